"""Facilities: /api/facilities and /api/facilities/{external_id}."""

from uuid import UUID

from ninja import Query, Router

from ilp.api.auth import request_scope
from ilp.api.pagination import paged, stable
from ilp.api.routers.lookups import scoped_facility, scoped_region
from ilp.api.schemas.common import ERRORS
from ilp.api.schemas.facilities import FacilityDetailOut, FacilityFilters, FacilityListOut
from ilp.facilities.selectors import facility_list

router = Router(tags=["facilities"])


@router.get("", response={200: list[FacilityListOut], **ERRORS}, summary="Facilities in your area")
@paged
def list_facilities(request, filters: Query[FacilityFilters]):
    """Facilities you may read, ordered by kind and name."""
    scope = request_scope(request)
    area = scoped_region(scope, filters.region, field="region") if filters.region else None
    return stable(facility_list(scope=scope, kind=filters.kind, search=filters.q, region=area))


@router.get("/{external_id}", response={200: FacilityDetailOut, **ERRORS}, summary="One facility")
def get_facility(request, external_id: UUID):
    return scoped_facility(request_scope(request), external_id)
