"""Stage 1 of the ILP cycle: the functional network (jejaring fungsional) of a puskesmas, whether each member
actually reports on time, and the gaps of the working area.

Sources: Juknis ILP `01-klaster-1/03-manajemen-jejaring.md` (the network bound by MoU/PKS, facilitated by the
Dinkes, recording and reporting), `06-integrasi-fasker/index.mdx` (step 1, the functional network),
`00-pendahuluan/04-ilp-pustu.md` (a pustu in the desa with at least one perawat and one bidan),
`00-pendahuluan/05-ilp-posyandu.md` (posyandu for every life stage, kader); ILP.md §1.3, §1.6, §1.7.

Reporting on time is read from the data, not ticked: a member with a monthly duty reported a month when
encounters at its facility (not voided) are dated in that month, and on time when every one of them was
entered by day `REPORT_DEADLINE_DAY` of the next month. That day is ours ❓ (no deadline was found in the
Juknis): a named default, overridden by the `ILP_REPORT_DEADLINE_DAY` setting or per call.

Every read is set-based: a fixed number of queries whatever the number of puskesmas, desa and members.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ilp.facilities.models import (
    Facility,
    FacilityKind,
    HealthWorker,
    NetworkMember,
    Profession,
    ReportingDuty,
    WorkingAreaVillage,
)
from ilp.lifecycle.models import Encounter, EncounterStatus

# Day of the next month by which a month's encounters must be entered (❓ ours, see the module docstring).
REPORT_DEADLINE_DAY = 10
# Months of reporting shown per member.
REPORT_MONTHS = 6
# An agreement ending within this many days is listed as a gap, so it is renewed in time (ours ❓).
EXPIRING_WITHIN_DAYS = 60


def deadline_day() -> int:
    """The day of the next month a month's report is due (the setting, else the named default)."""
    return int(getattr(settings, "ILP_REPORT_DEADLINE_DAY", REPORT_DEADLINE_DAY))


# --- the working area: desa, pustu and their staff, posyandu and their kader


@dataclass
class Village:
    id: int
    code: str
    name: str
    pustu_id: int | None = None
    pustu_name: str = ""
    bidan: int = 0
    perawat: int = 0
    posyandu: int = 0

    @property
    def pustu_staffed(self) -> bool:
        """The ILP minimum: one bidan and one perawat (ILP.md §1.3, Juknis `04-ilp-pustu.md`)."""
        return self.pustu_id is not None and self.bidan >= 1 and self.perawat >= 1


@dataclass
class Posyandu:
    id: int
    name: str
    village_id: int
    kader: int  # active kader
    trained: int  # active kader trained (a training date, or a competency attained)


@dataclass
class AreaFacts:
    """The desa of one puskesmas' working area with their pustu and posyandu."""

    puskesmas_id: int
    villages: list[Village] = field(default_factory=list)
    posyandu: list[Posyandu] = field(default_factory=list)


def area_facts(puskesmas_ids: Iterable[int]) -> dict[int, AreaFacts]:
    """Puskesmas id -> its working area's facts, in three queries for any number of puskesmas."""
    ids = sorted(set(puskesmas_ids))
    out = {pk: AreaFacts(pk) for pk in ids}
    by_village: dict[int, Village] = {}
    links = (
        WorkingAreaVillage.objects.filter(puskesmas_id__in=ids)
        .order_by("village__code")
        .values_list("puskesmas_id", "village_id", "village__code", "village__name")
    )
    for pkm, vid, code, name in links:
        village = Village(vid, code, name)
        by_village[vid] = village
        out[pkm].villages.append(village)
    active = Q(health_workers__is_active=True)
    pustu = (
        Facility.objects.filter(kind=FacilityKind.PUSTU, is_active=True, region_id__in=sorted(by_village))
        .values("id", "name", "region_id")
        .annotate(
            bidan=Count("health_workers", filter=active & Q(health_workers__profession=Profession.BIDAN)),
            perawat=Count("health_workers", filter=active & Q(health_workers__profession=Profession.PERAWAT)),
        )
        .order_by()
    )
    for row in pustu:
        village = by_village[row["region_id"]]
        village.pustu_id, village.pustu_name = row["id"], row["name"]
        village.bidan, village.perawat = row["bidan"], row["perawat"]
    village_of = {v: pkm for pkm, facts in out.items() for v in (x.id for x in facts.villages)}
    trained = Q(kaders__is_active=True) & (Q(kaders__trained_on__isnull=False) | Q(kaders__competencies__attained=True))
    posyandu = (
        Facility.objects.filter(kind=FacilityKind.POSYANDU, is_active=True, region__village_id__in=sorted(by_village))
        .values("id", "name", "region__village_id")
        .annotate(
            kader=Count("kaders", filter=Q(kaders__is_active=True), distinct=True),
            trained=Count("kaders", filter=trained, distinct=True),
        )
        .order_by("name", "id")
    )
    for row in posyandu:
        vid = row["region__village_id"]
        by_village[vid].posyandu += 1
        out[village_of[vid]].posyandu.append(Posyandu(row["id"], row["name"], vid, row["kader"], row["trained"]))
    return out


def cluster_staffing(puskesmas_ids: Iterable[int]) -> dict[int, dict[str, object]]:
    """Puskesmas id -> active staff of the puskesmas and its pustu (`total`, `without_cluster`) and the clusters
    1-4 with a PJ at the puskesmas (`led`), in one query (Juknis `03-ilp-puskesmas.md`: every staff member in a
    cluster, each cluster with a PJ; the kepala stands above the clusters and is not counted)."""
    ids = sorted(set(puskesmas_ids))
    mine = Q(facility_id__in=ids) | Q(facility__kind=FacilityKind.PUSTU, facility__parent_id__in=ids)
    rows = HealthWorker.objects.filter(mine, is_active=True, is_head=False).values_list(
        "facility_id", "facility__parent_id", "facility__kind", "cluster", "is_cluster_lead"
    )
    out = {pk: {"total": 0, "without_cluster": 0, "led": set()} for pk in ids}
    for facility_id, parent_id, kind, cluster, lead in rows:
        pkm = parent_id if kind == FacilityKind.PUSTU else facility_id
        entry = out[pkm]
        entry["total"] += 1
        entry["without_cluster"] += not cluster
        if lead and kind == FacilityKind.PUSKESMAS and cluster in LED_CLUSTERS:
            entry["led"].add(cluster)
    return out


# The clusters that must each have a PJ (the cross-cluster services have their own coordinators).
LED_CLUSTERS = ("k1", "k2", "k3", "k4")


# --- reporting on time


class MonthStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"


@dataclass(frozen=True)
class MonthReport:
    month: dt.date
    status: MonthStatus
    encounters: int = 0
    last_entered: dt.date | None = None


@dataclass
class MemberReport:
    member: NetworkMember
    months: list[MonthReport] = field(default_factory=list)
    last_entered: dt.date | None = None

    @property
    def monthly(self) -> bool:
        return self.member.reporting_duty == ReportingDuty.MONTHLY and self.member.is_active

    @property
    def due(self) -> int:
        return sum(1 for m in self.months if m.status != MonthStatus.NOT_DUE)

    @property
    def on_time(self) -> int:
        return sum(1 for m in self.months if m.status == MonthStatus.ON_TIME)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def report_deadline(month: dt.date, day: int) -> dt.date:
    """The last day a month's encounters may be entered and still count as on time."""
    following = _add_months(month, 1)
    return following.replace(day=min(day, calendar.monthrange(following.year, following.month)[1]))


def report_months(today: dt.date, *, months: int = REPORT_MONTHS, day: int | None = None) -> list[dt.date]:
    """The last `months` months whose deadline has passed, oldest first."""
    day = deadline_day() if day is None else day
    newest = _add_months(today.replace(day=1), -1 if today.day > day else -2)
    return [_add_months(newest, -k) for k in reversed(range(months))]


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the local time zone (entries are compared in local time)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def member_reports(
    members: list[NetworkMember], *, today: dt.date, months: int = REPORT_MONTHS, day: int | None = None
) -> list[MemberReport]:
    """Each member's reporting over the last `months` due months, in two queries for any number of members."""
    day = deadline_day() if day is None else day
    periods = report_months(today, months=months, day=day)
    facility_ids = sorted({m.member_id for m in members})
    recorded = Encounter.objects.filter(facility_id__in=facility_ids).exclude(status=EncounterStatus.VOIDED)
    per_month = (
        recorded.filter(date__gte=periods[0], date__lt=_add_months(periods[-1], 1))
        .annotate(month=TruncMonth("date"))
        .values("facility_id", "month")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by()
    )
    found = {(r["facility_id"], _as_date(r["month"])): (r["n"], r["last"]) for r in per_month}
    last = dict(recorded.values("facility_id").annotate(last=Max("created_at")).values_list("facility_id", "last"))
    reports = []
    for member in members:
        report = MemberReport(member, last_entered=_local_date(last.get(member.member_id)))
        for month in periods:
            report.months.append(_month(member, month, found.get((member.member_id, month)), day))
        reports.append(report)
    return reports


def _month(member: NetworkMember, month: dt.date, found, day: int) -> MonthReport:
    if member.reporting_duty != ReportingDuty.MONTHLY or not member.is_active:
        return MonthReport(month, MonthStatus.NOT_DUE)
    if member.agreement_date and member.agreement_date > _add_months(month, 1) - dt.timedelta(days=1):
        return MonthReport(month, MonthStatus.NOT_DUE)  # the agreement did not exist yet in that month
    if not found:
        return MonthReport(month, MonthStatus.MISSING)
    n, last = found
    on_time = last < _end_of(report_deadline(month, day))
    return MonthReport(month, MonthStatus.ON_TIME if on_time else MonthStatus.LATE, n, _local_date(last))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


# --- the network page and its gaps


@dataclass
class Gaps:
    villages_without_pustu: list[Village]
    pustu_understaffed: list[Village]
    villages_without_posyandu: list[Village]
    posyandu_untrained: list[Posyandu]
    agreements_expired: list[NetworkMember]
    agreements_expiring: list[NetworkMember]

    @property
    def count(self) -> int:
        return sum(len(v) for v in vars(self).values())


@dataclass
class NetworkReport:
    puskesmas: Facility
    months: list[dt.date]
    deadline_day: int
    members: list[MemberReport]
    facts: AreaFacts
    gaps: Gaps


def active_agreement_q(today: dt.date, prefix: str = "") -> Q:
    """Active members whose agreement is in force on `today` (no end date, or not ended yet)."""
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}agreement_end__isnull": True}) | Q(**{f"{prefix}agreement_end__gte": today})
    )


def gaps(facts: AreaFacts, members: list[NetworkMember], *, today: dt.date) -> Gaps:
    """What the working area still lacks for ILP, and the agreements to renew."""
    soon = today + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    active = [m for m in members if m.is_active and m.agreement_end]
    return Gaps(
        villages_without_pustu=[v for v in facts.villages if v.pustu_id is None],
        pustu_understaffed=[v for v in facts.villages if v.pustu_id is not None and not v.pustu_staffed],
        villages_without_posyandu=[v for v in facts.villages if not v.posyandu],
        posyandu_untrained=[p for p in facts.posyandu if not p.trained],
        agreements_expired=[m for m in active if m.agreement_end < today],
        agreements_expiring=[m for m in active if today <= m.agreement_end <= soon],
    )


def network_report(
    puskesmas: Facility, *, today: dt.date | None = None, months: int = REPORT_MONTHS, day: int | None = None
) -> NetworkReport:
    """The network of a puskesmas with each member's reporting, and the gaps of its working area."""
    today = today or timezone.localdate()
    day = deadline_day() if day is None else day
    members = list(
        NetworkMember.objects.filter(puskesmas=puskesmas)
        .select_related("member", "member__region")
        .order_by("-is_active", "member__name", "id")
    )
    facts = area_facts([puskesmas.pk])[puskesmas.pk]
    return NetworkReport(
        puskesmas=puskesmas,
        months=report_months(today, months=months, day=day),
        deadline_day=day,
        members=member_reports(members, today=today, months=months, day=day),
        facts=facts,
        gaps=gaps(facts, members, today=today),
    )


def agreements_in_force(puskesmas_ids: Iterable[int], *, today: dt.date) -> dict[int, int]:
    """Puskesmas id -> how many active members have an agreement in force, in one query."""
    rows = (
        NetworkMember.objects.filter(active_agreement_q(today), puskesmas_id__in=sorted(set(puskesmas_ids)))
        .values("puskesmas_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return defaultdict(int, {r["puskesmas_id"]: r["n"] for r in rows})
