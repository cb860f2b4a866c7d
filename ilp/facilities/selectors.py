"""Reads on facilities, the network and the workforce, always through an `AreaScope`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind, HealthWorker, Kader, NetworkMember
from ilp.regions.models import LEVEL_FIELD, Level, Region


def facility_list(*, scope: AreaScope, kind: str | None = None, search: str = "", region=None) -> QuerySet[Facility]:
    """Facilities the scope may read, with region and parent loaded for list pages."""
    qs = Facility.objects.filter(scope.facility_q()).select_related("region", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        qs = qs.filter(**{f"region__{LEVEL_FIELD[Level(region.level)]}_id": region.id})
    if search:
        qs = qs.filter(Q(name__icontains=search.strip()) | Q(code__icontains=search.strip()))
    return qs.order_by("kind", "name", "id")  # id last: a stable order for pagination


def facility_get(*, scope: AreaScope, external_id) -> Facility:
    """One facility by external id; `Facility.DoesNotExist` when outside the scope."""
    return facility_list(scope=scope).get(external_id=external_id)


def facility_kind_counts(*, scope: AreaScope) -> dict[str, int]:
    rows = Facility.objects.filter(scope.facility_q()).values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}


def puskesmas_working_area(*, scope: AreaScope, puskesmas: Facility) -> QuerySet[Region]:
    """The desa of a puskesmas' working area that the scope may read."""
    return Region.objects.filter(scope.region_q(), puskesmas_working_area=puskesmas).order_by("code")


def network_list(*, scope: AreaScope, puskesmas: Facility | None = None) -> QuerySet[NetworkMember]:
    """Network members of the puskesmas the scope may read."""
    qs = NetworkMember.objects.filter(scope.facility_q("puskesmas__")).select_related(
        "puskesmas", "member", "member__region"
    )
    if puskesmas is not None:
        qs = qs.filter(puskesmas=puskesmas)
    return qs.order_by("puskesmas__name", "member__name", "id")


def health_worker_list(
    *, scope: AreaScope, facility: Facility | None = None, cluster: str = "", search: str = ""
) -> QuerySet[HealthWorker]:
    qs = HealthWorker.objects.filter(scope.facility_q("facility__")).select_related("facility")
    if facility is not None:
        qs = qs.filter(facility=facility)
    if cluster:
        qs = qs.filter(cluster=cluster)
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("facility__name", "cluster", "name", "id")


def kader_list(*, scope: AreaScope, posyandu: Facility | None = None, search: str = "") -> QuerySet[Kader]:
    qs = (
        Kader.objects.filter(scope.facility_q("posyandu__"))
        .select_related("posyandu", "posyandu__region")
        .prefetch_related("competencies")
    )
    if posyandu is not None:
        qs = qs.filter(posyandu=posyandu)
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("posyandu__name", "name", "id")


def kader_competency_summary(kader: Kader) -> dict[str, object]:
    """Latest assessment per competency group (uses prefetched rows: no query per kader)."""
    latest = {}
    for c in sorted(kader.competencies.all(), key=lambda c: c.assessed_on):
        latest[c.group] = c
    return latest


def posyandu_without_kader(*, scope: AreaScope) -> QuerySet[Facility]:
    return facility_list(scope=scope, kind=FacilityKind.POSYANDU).annotate(n=Count("kaders")).filter(n=0)
