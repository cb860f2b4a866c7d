"""Stage 0 of the ILP cycle: the readiness checklist of a puskesmas, ticked by hand and checked against the data.

Sources: Juknis ILP `docs/ILP/00-pendahuluan/03-ilp-puskesmas.md` (every staff member in a cluster, each
cluster with a PJ), `04-ilp-pustu.md` (a pustu with at least one perawat and one bidan), `05-ilp-posyandu.md`
(posyandu serving every life stage, kader with the five basic competencies), `01-klaster-1/01-manajemen-inti.mdx`
(SK Target Kinerja signed by the end of February, the monthly lokakarya mini); ILP.md §1.2-1.8.
The composition of the checklist is ours ❓ (the Juknis lists the elements, not a checklist); it is kept as
data (`planning.models.ReadinessItem`).

Each item shows the hand-kept `ReadinessCheck` (done, date, evidence) and, where the data can tell, what the
data says. Where the data can tell, the data decides whether the item is done (a tick records the date and
the evidence, it cannot override the data); the SK of the cluster organisation and the SATUSEHAT connection
are by hand only. Everything is computed for many puskesmas at once in a fixed number of queries (the
kabupaten's rollout page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _g
from django.utils.translation import ngettext

from ilp.facilities.models import CompetencyGroup, Facility, IlpStatus, Kader, KaderCompetency
from ilp.indicators.models import AreaSetting
from ilp.indicators.registry import Indicator
from ilp.planning import network
from ilp.planning.models import Cycle, CycleStage, ReadinessCheck, ReadinessItem, TargetDecree, Workshop
from ilp.regions.models import Level
from ilp.regions.selectors import level_label, level_labels

# Share of active kader with all five basic competencies attained for the item to count as met (ours ❓; the
# old national target for kader aktif was 80 %, ILP.md §3.7 ◐).
KADER_COMPETENT_MIN_PCT = 80
# A lokakarya mini is monthly: one within this many days keeps the item met (ours ❓: a month and a half).
LOKMIN_WITHIN_DAYS = 45
# The SK Target Kinerja is signed by the end of February (Juknis `01-klaster-1/01-manajemen-inti.mdx`).
TARGETS_DUE_MONTH = 2

# Items only a person can check.
BY_HAND = frozenset({ReadinessItem.CLUSTER_SK, ReadinessItem.SATUSEHAT})


@dataclass(frozen=True)
class DataSays:
    """What the data says about an item: met or not, in words, with the numbers behind it."""

    met: bool
    text: str
    count: int | None = None
    of: int | None = None
    pct: float | None = None
    late: bool = False
    on: dt.date | None = None


@dataclass
class ItemState:
    item: ReadinessItem
    check: ReadinessCheck | None
    data: DataSays | None  # None: by hand only

    @property
    def ticked(self) -> bool:
        return bool(self.check and self.check.done)

    @property
    def done(self) -> bool:
        """The data decides where it can; otherwise the tick."""
        return self.data.met if self.data is not None else self.ticked

    @property
    def disagrees(self) -> bool:
        """Ticked by hand while the data does not show it (or the other way round)."""
        return self.data is not None and self.ticked != self.data.met


@dataclass
class Readiness:
    puskesmas: Facility
    items: list[ItemState] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def pct(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def targets_due(year: int) -> dt.date:
    """The last day of February of `year`."""
    return dt.date(year, TARGETS_DUE_MONTH + 1, 1) - dt.timedelta(days=1)


def readiness(puskesmas: Sequence[Facility], *, today: dt.date | None = None) -> dict[int, Readiness]:
    """Puskesmas id -> its checklist with what the data says, for any number of puskesmas in a fixed number of
    queries (ten); `region` of each puskesmas should be loaded."""
    today = today or timezone.localdate()
    ids = [p.pk for p in puskesmas]
    checks = {(c.puskesmas_id, c.item): c for c in ReadinessCheck.objects.filter(puskesmas_id__in=ids)}
    facts = network.area_facts(ids)
    staffing = network.cluster_staffing(ids)
    kader = _kader_competence(facts)
    agreements = network.agreements_in_force(ids, today=today)
    decrees = {d.puskesmas_id: d for d in TargetDecree.objects.filter(puskesmas_id__in=ids, year=today.year)}
    lokmin = dict(
        Workshop.objects.filter(cycle__puskesmas_id__in=ids, held_on__lte=today)
        .values("cycle__puskesmas_id")
        .annotate(last=Max("held_on"))
        .values_list("cycle__puskesmas_id", "last")
    )
    labels = level_labels()
    out = {}
    for pkm in puskesmas:
        word = level_label(pkm.region.code, Level.VILLAGE, labels)
        area = facts[pkm.pk]
        data = {
            ReadinessItem.STAFF_IN_CLUSTERS: _staff(staffing[pkm.pk]),
            ReadinessItem.PUSTU_STAFFED: _pustu(area, word),
            ReadinessItem.POSYANDU_ALL_AGES: _posyandu(area, word),
            ReadinessItem.KADER_COMPETENT: _kader(*kader.get(pkm.pk, (0, 0))),
            ReadinessItem.NETWORK_AGREEMENTS: _agreements(agreements[pkm.pk]),
            ReadinessItem.TARGETS_SK: _targets(decrees.get(pkm.pk), today),
            ReadinessItem.LOKMIN: _lokmin(lokmin.get(pkm.pk), today),
        }
        items = [ItemState(item, checks.get((pkm.pk, item.value)), data.get(item)) for item in ReadinessItem]
        out[pkm.pk] = Readiness(pkm, items)
    return out


def readiness_of(puskesmas: Facility, *, today: dt.date | None = None) -> Readiness:
    """The checklist of one puskesmas."""
    return readiness([puskesmas], today=today)[puskesmas.pk]


def _kader_competence(facts: dict[int, network.AreaFacts]) -> dict[int, tuple[int, int]]:
    """Puskesmas id -> (active kader whose latest assessment of every basic competency is attained, active kader)
    of the posyandu in its working area, in one query."""
    village_of = {v.id: pkm for pkm, area in facts.items() for v in area.villages}
    newer = KaderCompetency.objects.filter(
        kader=OuterRef("kader"), group=OuterRef("group"), assessed_on__gt=OuterRef("assessed_on")
    )
    competent = (
        KaderCompetency.objects.filter(~Exists(newer), attained=True)
        .values("kader_id")
        .annotate(groups=Count("group", distinct=True))
        .filter(groups=len(CompetencyGroup))
        .values("kader_id")
    )
    rows = (
        Kader.objects.filter(
            is_active=True, posyandu__is_active=True, posyandu__region__village_id__in=sorted(village_of)
        )
        .values("posyandu__region__village_id")
        .annotate(total=Count("id"), competent=Count("id", filter=Q(id__in=competent)))
        .order_by()
    )
    out: dict[int, tuple[int, int]] = {}
    for r in rows:
        pkm = village_of[r["posyandu__region__village_id"]]
        done, total = out.get(pkm, (0, 0))
        out[pkm] = (done + r["competent"], total + r["total"])
    return out


def _date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _staff(entry: dict) -> DataSays:
    total, without = entry["total"], entry["without_cluster"]
    led = len(entry["led"])
    in_cluster = total - without
    text = _g("%(count)d of %(total)d active staff in a cluster; a PJ in %(led)d of %(clusters)d clusters.") % {
        "count": in_cluster,
        "total": total,
        "led": led,
        "clusters": len(network.LED_CLUSTERS),
    }
    met = total > 0 and without == 0 and led == len(network.LED_CLUSTERS)
    return DataSays(met, text, in_cluster, total)


def _pustu(area: network.AreaFacts, word: str) -> DataSays:
    total = len(area.villages)
    staffed = sum(1 for v in area.villages if v.pustu_staffed)
    text = _g("%(count)d of %(total)d %(village)s have a pustu with a nurse and a midwife.") % {
        "count": staffed,
        "total": total,
        "village": word.lower(),
    }
    return DataSays(total > 0 and staffed == total, text, staffed, total)


def _posyandu(area: network.AreaFacts, word: str) -> DataSays:
    total = len(area.villages)
    served = sum(1 for v in area.villages if v.posyandu)
    text = _g("%(count)d of %(total)d %(village)s have a posyandu.") % {
        "count": served,
        "total": total,
        "village": word.lower(),
    }
    return DataSays(total > 0 and served == total, text, served, total)


def _kader(competent: int, total: int) -> DataSays:
    if not total:
        return DataSays(False, _g("No active kader registered."), 0, 0)
    pct = round(100 * competent / total, 1)
    text = _g(
        "%(pct)s %% of %(total)d active kader attained all five basic competencies (%(count)d); met from %(min)d %%."
    ) % {"pct": formats.number_format(pct, 1), "total": total, "count": competent, "min": KADER_COMPETENT_MIN_PCT}
    return DataSays(pct >= KADER_COMPETENT_MIN_PCT, text, competent, total, pct=pct)


def _agreements(count: int) -> DataSays:
    if not count:
        return DataSays(False, _g("No network agreement in force."), 0)
    text = ngettext("%(count)d network agreement in force.", "%(count)d network agreements in force.", count) % {
        "count": count
    }
    return DataSays(True, text, count)


def _targets(decree: TargetDecree | None, today: dt.date) -> DataSays:
    due = targets_due(today.year)
    if decree is None or decree.signed_on is None:
        if today <= due:
            text = _g("Not signed yet; due by %(date)s.") % {"date": _date(due)}
        else:
            text = _g("Not signed; it was due by %(date)s.") % {"date": _date(due)}
        return DataSays(False, text, late=today > due)
    late = decree.signed_on > due
    if late:
        text = _g("Signed on %(date)s, after the end of February.") % {"date": _date(decree.signed_on)}
    else:
        text = _g("Signed on %(date)s.") % {"date": _date(decree.signed_on)}
    return DataSays(True, text, late=late, on=decree.signed_on)


def _lokmin(last: dt.date | None, today: dt.date) -> DataSays:
    if last is None:
        return DataSays(False, _g("No lokakarya mini recorded."))
    met = (today - last).days <= LOKMIN_WITHIN_DAYS
    if met:
        text = _g("Last lokakarya mini on %(date)s.") % {"date": _date(last)}
    else:
        text = _g("Last lokakarya mini on %(date)s, more than %(days)d days ago.") % {
            "date": _date(last),
            "days": LOKMIN_WITHIN_DAYS,
        }
    return DataSays(met, text, on=last)


# --- the kabupaten's rollout page and the SK Target Kinerja form


@dataclass
class RolloutRow:
    puskesmas: Facility
    readiness: Readiness
    open_cycle: Cycle | None


def open_cycles(puskesmas_ids: Sequence[int]) -> dict[int, Cycle]:
    """Puskesmas id -> its most recent cycle not closed, in one query."""
    out: dict[int, Cycle] = {}
    rows = Cycle.objects.filter(puskesmas_id__in=sorted(set(puskesmas_ids))).exclude(stage=CycleStage.CLOSED)
    for cycle in rows.order_by("puskesmas_id", "-year", "-started_on", "-id"):
        out.setdefault(cycle.puskesmas_id, cycle)
    return out


def rollout(puskesmas: Sequence[Facility], *, today: dt.date | None = None) -> list[RolloutRow]:
    """Every puskesmas with its readiness summary and its open cycle, for the kabupaten's rollout page."""
    states = readiness(puskesmas, today=today)
    cycles = open_cycles([p.pk for p in puskesmas])
    return [RolloutRow(p, states[p.pk], cycles.get(p.pk)) for p in puskesmas]


def status_counts(puskesmas: Sequence[Facility]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every ILP status, in the statuses' order."""
    counts = dict.fromkeys(IlpStatus.values, 0)
    for p in puskesmas:
        counts[p.ilp_status] = counts.get(p.ilp_status, 0) + 1
    return [(s, str(IlpStatus(s).label), n) for s, n in counts.items()]


class Origin(StrEnum):
    """Where a target in force is set (the PWS resolves puskesmas > kecamatan > kabupaten > national default)."""

    PUSKESMAS = "puskesmas"
    DISTRICT = "kecamatan"
    REGENCY = "kabupaten"
    DEFAULT = "default"


def targets_in_force(
    puskesmas: Facility, *, year: int, indicators: Sequence[Indicator]
) -> dict[str, tuple[float, Origin]]:
    """Indicator code -> (the puskesmas' target in force for the year, where it is set), in one query; the
    order is the PWS's own (`indicators.selectors.setting_chain` for a puskesmas area)."""
    region = puskesmas.region
    chain = [
        (("pkm", puskesmas.pk), Origin.PUSKESMAS),
        (("region", region.district_id), Origin.DISTRICT),
        (("region", region.regency_id), Origin.REGENCY),
    ]
    rows = AreaSetting.objects.filter(indicator__in=[i.code for i in indicators], year=year, target_pct__isnull=False)
    rows = rows.filter(Q(puskesmas=puskesmas) | Q(region_id__in=[region.district_id, region.regency_id]))
    found = {(s.indicator, *(("pkm", s.puskesmas_id) if s.puskesmas_id else ("region", s.region_id))): s for s in rows}
    out = {}
    for ind in indicators:
        hit = next(((found[(ind.code, *key)], origin) for key, origin in chain if (ind.code, *key) in found), None)
        out[ind.code] = (hit[0].target_pct, hit[1]) if hit else (ind.target_pct, Origin.DEFAULT)
    return out


def decree_of(puskesmas: Facility, *, year: int) -> tuple[TargetDecree | None, set[str]]:
    """The SK Target Kinerja of the year and its success indicator codes."""
    decree = TargetDecree.objects.filter(puskesmas=puskesmas, year=year).first()
    codes = set(decree.indicators.values_list("indicator", flat=True)) if decree else set()
    return decree, codes
