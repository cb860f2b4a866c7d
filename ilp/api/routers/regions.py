"""Regions: /api/regions, /api/regions/{code}, /api/regions/{code}/children."""

from ninja import Query, Router

from ilp.api.auth import request_scope
from ilp.api.pagination import paged
from ilp.api.routers.lookups import scoped_region
from ilp.api.schemas.common import ERRORS, Text
from ilp.api.schemas.regions import RegionDetailOut, RegionFilters, RegionListOut
from ilp.regions.selectors import region_list

router = Router(tags=["regions"])


@router.get("", response={200: list[RegionListOut], **ERRORS}, summary="Regions in your area")
@paged
def list_regions(request, filters: Query[RegionFilters]):
    """Regions inside your area, plus the ancestors of your area (for navigation), ordered by code."""
    scope = request_scope(request)
    parent = scoped_region(scope, filters.parent, field="parent") if filters.parent else None
    return region_list(scope=scope, level=filters.level, parent=parent, search=filters.q).select_related("parent")


@router.get("/{code}", response={200: RegionDetailOut, **ERRORS}, summary="One region")
def get_region(request, code: Text):
    return scoped_region(request_scope(request), code)


@router.get("/{code}/children", response={200: list[RegionListOut], **ERRORS}, summary="Children of a region")
@paged
def list_region_children(request, code: Text):
    """The children of a region that lie in your area (an ancestor of your area shows only your branch)."""
    scope = request_scope(request)
    region = scoped_region(scope, code)
    return region_list(scope=scope, parent=region).select_related("parent")
