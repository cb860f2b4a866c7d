"""The jejaring fungsional: /api/network."""

from ninja import Query, Router

from ilp.api.auth import request_scope
from ilp.api.errors import ERR_NOT_PUSKESMAS
from ilp.api.pagination import paged, stable
from ilp.api.routers.lookups import scoped_facility
from ilp.api.schemas.common import ERRORS, ErrorOut
from ilp.api.schemas.network import NetworkFilters, NetworkMemberListOut
from ilp.facilities.models import FacilityKind
from ilp.facilities.selectors import network_list

router = Router(tags=["network"])


@router.get("", response={200: list[NetworkMemberListOut], **ERRORS, 400: ErrorOut}, summary="Network members")
@paged
def list_network(request, filters: Query[NetworkFilters]):
    """Members of the network of the puskesmas you may read, ordered by puskesmas and member name."""
    scope = request_scope(request)
    puskesmas = None
    if filters.puskesmas:
        puskesmas = scoped_facility(
            scope, filters.puskesmas, field="puskesmas", kind=FacilityKind.PUSKESMAS, wrong_kind=ERR_NOT_PUSKESMAS
        )
    return stable(network_list(scope=scope, puskesmas=puskesmas))
