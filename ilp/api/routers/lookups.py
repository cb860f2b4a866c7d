"""Turning path and query parameters into objects through the caller's scope: outside it is 404, never the data."""

from __future__ import annotations

from uuid import UUID

from ilp.api.errors import ERR_FACILITY_NOT_FOUND, ERR_REGION_NOT_FOUND, ApiError
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.facilities.selectors import facility_get
from ilp.regions.models import Region
from ilp.regions.selectors import region_get


def scoped_region(scope: AreaScope, code: str, *, field: str | None = None) -> Region:
    try:
        return region_get(scope=scope, code=code)
    except Region.DoesNotExist:
        raise ApiError(404, ERR_REGION_NOT_FOUND, field=field) from None


def scoped_facility(
    scope: AreaScope, external_id: UUID, *, field: str | None = None, kind: str | None = None, wrong_kind=None
) -> Facility:
    """The facility, or 404 when outside the scope; 400 with `wrong_kind` when it is not of `kind`."""
    try:
        facility = facility_get(scope=scope, external_id=external_id)
    except Facility.DoesNotExist:
        raise ApiError(404, ERR_FACILITY_NOT_FOUND, field=field) from None
    if kind is not None and facility.kind != kind:
        raise ApiError(400, wrong_kind, field=field)
    return facility
