"""The workforce: /api/workforce/health-workers and /api/workforce/kader. Names of people, so a role
without person-level access (lintas sektor) gets 403."""

from ninja import Query, Router

from ilp.api.auth import require_person_level
from ilp.api.errors import ERR_NOT_POSYANDU
from ilp.api.pagination import paged, stable
from ilp.api.routers.lookups import scoped_facility
from ilp.api.schemas.common import ERRORS, ErrorOut
from ilp.api.schemas.workforce import HealthWorkerFilters, HealthWorkerListOut, KaderFilters, KaderListOut
from ilp.facilities.models import FacilityKind
from ilp.facilities.selectors import health_worker_list, kader_list

router = Router(tags=["workforce"])


@router.get(
    "/health-workers", response={200: list[HealthWorkerListOut], **ERRORS, 403: ErrorOut}, summary="Health workers"
)
@paged
def list_health_workers(request, filters: Query[HealthWorkerFilters]):
    """Health workers (nakes) of the facilities you may read, ordered by facility, cluster and name."""
    scope = require_person_level(request)
    facility = scoped_facility(scope, filters.facility, field="facility") if filters.facility else None
    return stable(health_worker_list(scope=scope, facility=facility, cluster=filters.cluster or ""))


@router.get(
    "/kader", response={200: list[KaderListOut], **ERRORS, 400: ErrorOut, 403: ErrorOut}, summary="Posyandu kader"
)
@paged
def list_kader(request, filters: Query[KaderFilters]):
    """Kader of the posyandu you may read, with tier, training date and latest competency per group."""
    scope = require_person_level(request)
    posyandu = None
    if filters.posyandu:
        posyandu = scoped_facility(
            scope, filters.posyandu, field="posyandu", kind=FacilityKind.POSYANDU, wrong_kind=ERR_NOT_POSYANDU
        )
    return stable(kader_list(scope=scope, posyandu=posyandu))
