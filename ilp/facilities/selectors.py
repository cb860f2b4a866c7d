"""Reads on facilities, the network and the workforce, always through an `AreaScope`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Cluster, Facility, FacilityKind, HealthWorker, Kader, KaderTier, NetworkMember
from ilp.regions.models import LEVEL_FIELD, Level, Region
from ilp.regions.selectors import region_list

# Certified tiers, in rising order (the blank "not certified" tier is counted as total - certified).
KADER_TIERS = [t for t in KaderTier if t.value]


def facility_list(*, scope: AreaScope, kind: str | None = None, search: str = "", region=None) -> QuerySet[Facility]:
    """Facilities the scope may read, with region and parent loaded for list pages."""
    qs = Facility.objects.filter(scope.facility_q()).select_related("region", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        if region.level in LEVEL_FIELD:
            qs = qs.filter(**{f"region__{LEVEL_FIELD[Level(region.level)]}_id": region.id})
        else:  # an RT has no flattened column of its own: it is the smallest unit
            qs = qs.filter(region=region)
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


@dataclass(frozen=True)
class ServicePlaces:
    """Where a puskesmas' programme is carried out: the puskesmas itself, the active pustu and posyandu of its
    working area and its active network members (the jejaring fungsional, Juknis ILP Bab VI); and the desa of
    that working area, where a step's target group lives."""

    puskesmas: Facility
    villages: list[Region]
    pustu: list[Facility]
    posyandu: list[Facility]
    network: list[Facility]

    def by_pk(self) -> dict[int, Facility]:
        return {f.pk: f for f in (self.puskesmas, *self.pustu, *self.posyandu, *self.network)}


def service_places(*, scope: AreaScope, puskesmas: Facility) -> ServicePlaces:
    """The `ServicePlaces` of a puskesmas that the scope may read (three queries)."""
    villages = list(puskesmas_working_area(scope=scope, puskesmas=puskesmas))
    village_ids = [v.pk for v in villages]
    own = list(
        facility_list(scope=scope)
        .filter(kind__in=(FacilityKind.PUSTU, FacilityKind.POSYANDU), is_active=True)
        .filter(Q(region_id__in=village_ids) | Q(region__village_id__in=village_ids))
    )
    members = network_list(scope=scope, puskesmas=puskesmas).filter(is_active=True)
    return ServicePlaces(
        puskesmas=puskesmas,
        villages=villages,
        pustu=[f for f in own if f.kind == FacilityKind.PUSTU],
        posyandu=[f for f in own if f.kind == FacilityKind.POSYANDU],
        network=[m.member for m in members],
    )


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


def facilities_in_region(*, scope: AreaScope, region: Region) -> QuerySet[Facility]:
    """Facilities located in the region or below it; an RT has no flattened column, so it matches itself."""
    return facility_list(scope=scope, region=region)


def facility_kinds_in_region(*, scope: AreaScope, region: Region) -> list[tuple[str, str, int]]:
    """(kind, label, count) of the facilities in the region the scope may read, in the order of `FacilityKind`."""
    rows = dict(facilities_in_region(scope=scope, region=region).order_by().values_list("kind").annotate(n=Count("id")))
    return [(kind, label, rows[kind]) for kind, label in FacilityKind.choices if rows.get(kind)]


def facility_children(*, scope: AreaScope, facility: Facility) -> QuerySet[Facility]:
    """The pustu of a puskesmas, the posyandu of a pustu: only those the scope may read."""
    return facility_list(scope=scope).filter(parent=facility)


def visible_facility_ids(*, scope: AreaScope, ids: Iterable[int]) -> set[int]:
    """Which of these facilities the scope may open (one query), to link only what will not 404."""
    ids = {i for i in ids if i}
    if not ids:
        return set()
    return set(facility_list(scope=scope).filter(pk__in=sorted(ids)).values_list("pk", flat=True))


def puskesmas_district_names(*, scope: AreaScope, facilities: Iterable[Facility]) -> dict[int, str]:
    """Kecamatan name per facility id (one query), for the rollout table."""
    district_ids = {f.region.district_id for f in facilities if f.region.district_id}
    names = dict(
        region_list(scope=scope, level=Level.DISTRICT).filter(id__in=sorted(district_ids)).values_list("id", "name")
    )
    return {f.pk: names.get(f.region.district_id, "") for f in facilities}


def health_worker_counts(*, scope: AreaScope, facility: Facility | None = None, cluster: str = "") -> list[dict]:
    """Headcount per facility and cluster (`by_cluster` in `Cluster` order), without names."""
    per_cluster = {f"n_{c.value}": Count("id", filter=Q(cluster=c.value)) for c in Cluster}
    rows = (
        health_worker_list(scope=scope, facility=facility, cluster=cluster)
        .order_by()
        .values("facility_id", "facility__name", "facility__external_id")
        .annotate(total=Count("id"), no_cluster=Count("id", filter=Q(cluster="")), **per_cluster)
        .order_by("facility__name")
    )
    rows = list(rows)
    for row in rows:
        row["by_cluster"] = [row[f"n_{c.value}"] for c in Cluster]
    return rows


def kader_counts(*, scope: AreaScope, posyandu: Facility | None = None) -> list[dict]:
    """Kader per posyandu, trained and by tier (`by_tier` in `KADER_TIERS` order), without names."""
    per_tier = {f"n_{t.value}": Count("id", filter=Q(tier=t.value)) for t in KADER_TIERS}
    rows = (
        kader_list(scope=scope, posyandu=posyandu)
        .prefetch_related(None)
        .order_by()
        .values("posyandu_id", "posyandu__name", "posyandu__external_id")
        .annotate(total=Count("id"), trained=Count("id", filter=Q(trained_on__isnull=False)), **per_tier)
        .order_by("posyandu__name")
    )
    rows = list(rows)
    for row in rows:
        row["by_tier"] = [row[f"n_{t.value}"] for t in KADER_TIERS]
    return rows


def puskesmas_name_of_village(*, village_id: int) -> str:
    """The name of the puskesmas whose working area holds the desa, or "" (for printed headings)."""
    rows = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, working_area_links__village_id=village_id)
    return rows.values_list("name", flat=True).first() or ""


def facility_ancestor(*, facility: Facility | None, kind: FacilityKind | str) -> Facility | None:
    """The facility itself, or the one above it of `kind` (posyandu → pustu → puskesmas, `models.KIND_PARENT`:
    its parent or its parent's parent; the kinds along the chain differ, so at most one matches); one query."""
    if facility is None:
        return None
    if facility.kind == kind:
        return facility
    above = Q(children=facility) | Q(children__children=facility)
    return Facility.objects.filter(above, kind=kind).order_by("id").first()
