"""Reads of the PWS: cells (an indicator of an area and month) and series, from the facts only.

Every read sums `IndicatorValue` rows (roll-ups are sums of numerators and denominators), then applies
the area's chosen denominator source and target. The number of queries is fixed whatever the number
of areas: one for the facts, one each for the settings, the populations, the projection rates and
the fill state.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max, Min, Q, QuerySet, Sum

from ilp.core.scoping import AreaScope
from ilp.indicators import engine
from ilp.indicators.areas import KIND_POSYANDU, KIND_PUSKESMAS, Area
from ilp.indicators.cells import Cell, DenominatorSource, Status
from ilp.indicators.models import AreaPopulation, AreaSetting, FillState, IndicatorValue, ProjectionRate
from ilp.indicators.registry import Indicator, Kind
from ilp.indicators.sasaran import GROUPS, projected
from ilp.people.models import Family, Person
from ilp.regions.models import Level

Sums = tuple[int, int, int, int]  # numerator, denominator, numerator_ytd, denominator_ytd


def _by_village(area: Area) -> bool:
    return area.kind == KIND_PUSKESMAS or (area.kind != KIND_POSYANDU and area.level <= Level.VILLAGE)


def _fact_sums(codes: list[str], areas: list[Area], periods: list[dt.date]) -> dict[tuple, Sums]:
    """(indicator, period, area code) -> summed facts, in one query (or one per sub-village area)."""
    fields = {"n": Sum("numerator"), "d": Sum("denominator"), "ny": Sum("numerator_ytd"), "dy": Sum("denominator_ytd")}
    base = IndicatorValue.objects.filter(indicator__in=codes, period__in=periods)
    out: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    grouped = [a for a in areas if _by_village(a)]
    posyandu = [a for a in areas if a.kind == KIND_POSYANDU]
    if grouped or posyandu:
        village_ids = sorted({v for a in grouped for v in a.village_ids})
        q = Q(village_id__in=village_ids) | Q(posyandu_id__in=[a.pk for a in posyandu])
        by_village: dict[int, list[Area]] = defaultdict(list)
        for a in grouped:
            for v in a.village_ids:
                by_village[v].append(a)
        by_posyandu = {a.pk: a for a in posyandu}
        rows = base.filter(q).values("indicator", "period", "village_id", "posyandu_id").annotate(**fields)
        for r in rows:
            targets = list(by_village.get(r["village_id"], []))
            if r["posyandu_id"] in by_posyandu:
                targets.append(by_posyandu[r["posyandu_id"]])
            for a in targets:
                acc = out[(r["indicator"], r["period"], a.code)]
                for k, key in enumerate(("n", "d", "ny", "dy")):
                    acc[k] += r[key] or 0
    for a in areas:
        if a in grouped or a.kind == KIND_POSYANDU:
            continue
        for r in base.filter(a.fact_q()).values("indicator", "period").annotate(**fields):
            out[(r["indicator"], r["period"], a.code)] = [r["n"] or 0, r["d"] or 0, r["ny"] or 0, r["dy"] or 0]
    return {k: tuple(v) for k, v in out.items()}


def setting_chain(area: Area, puskesmas_id: int | None) -> list[tuple[str, int | None]]:
    """Where an area's target and denominator source may be set, most specific first: ("region", id) or
    ("pkm", id) keys — the desa, the puskesmas (`puskesmas_id`: the desa's own), the kecamatan, the kabupaten.
    The registry's default applies when none of them sets one."""
    chain = []
    if area.kind == KIND_POSYANDU or (area.kind != KIND_PUSKESMAS and area.level == Level.VILLAGE):
        chain += [("region", v) for v in area.village_ids[:1]]
    elif area.kind != KIND_PUSKESMAS:
        chain.append(("region", area.pk))
    if area.kind == KIND_PUSKESMAS:
        chain.append(("pkm", area.pk))
    elif puskesmas_id:
        chain.append(("pkm", puskesmas_id))
    chain += [("region", area.district_id), ("region", area.regency_id)]
    return chain


class _Settings:
    """Targets and denominator sources of a year, resolved desa > puskesmas > kecamatan > kabupaten > default."""

    def __init__(self, codes: list[str], year: int):
        self.rows: dict[tuple, AreaSetting] = {}
        for s in AreaSetting.objects.filter(indicator__in=codes, year=year):
            key = ("pkm", s.puskesmas_id) if s.puskesmas_id else ("region", s.region_id)
            self.rows[(s.indicator, *key)] = s

    def resolve(self, ind: Indicator, area: Area, puskesmas_id: int | None) -> tuple[float, DenominatorSource]:
        target, source = None, None
        for key in setting_chain(area, puskesmas_id):
            s = self.rows.get((ind.code, *key))
            if s is None:
                continue
            if target is None and s.target_pct is not None:
                target = s.target_pct
            if source is None and s.source:
                source = DenominatorSource(s.source)
        return (ind.target_pct if target is None else target), (source or DenominatorSource.REGISTER)


class _Projection:
    """Projected sasaran of an area for a year: the sum over its desa of population x proportion."""

    def __init__(self, areas: list[Area], year: int):
        villages = {v for a in areas for v in a.village_ids}
        self.population = dict(
            AreaPopulation.objects.filter(region_id__in=villages, year=year).values_list("region_id", "population")
        )
        regencies = {a.regency_id for a in areas}
        self.rates = {
            (r.regency_id, r.group): r.proportion
            for r in ProjectionRate.objects.filter(regency_id__in=regencies, year=year)
        }

    def proportion(self, group: str, regency_id: int | None) -> float:
        return self.rates.get((regency_id, group), GROUPS[group].proportion)

    def size(self, ind: Indicator, area: Area) -> int | None:
        if not ind.sasaran or not area.has_projection:
            return None
        pops = [self.population.get(v) for v in area.village_ids]
        if not pops or any(p is None for p in pops):
            return None
        return projected(sum(pops), self.proportion(ind.sasaran, area.regency_id))


def _cell(ind, area, period, cumulative, sums: Sums, target, source, projection: int | None) -> Cell:
    num, den, num_ytd, den_ytd = sums
    numerator, denominator = (num_ytd, den_ytd) if cumulative else (num, den)
    if source == DenominatorSource.PROJECTION:
        if projection is None:
            denominator = None
        elif ind.kind == Kind.RATE and cumulative:
            denominator = projection * period.month  # a monthly rate's year to date sums the months
        else:
            denominator = projection
    coverage = round(100 * numerator / denominator, 1) if denominator else None
    period_target = ind.period_target(target, month=period.month, cumulative=cumulative)
    status = ind.status(coverage, period_target) if denominator else Status.NO_DATA
    return Cell(
        indicator=ind.code,
        area_code=area.code,
        area_name=area.name,
        period=period,
        cumulative=cumulative,
        numerator=numerator,
        denominator=denominator,
        source=source,
        target_pct=round(period_target, 1),
        coverage_pct=coverage,
        status=status,
        higher_is_better=ind.higher_is_better,
    )


def _puskesmas_of(areas: Iterable[Area]) -> dict[int, int]:
    from ilp.facilities.models import WorkingAreaVillage

    villages = {v for a in areas for v in a.village_ids}
    return dict(WorkingAreaVillage.objects.filter(village_id__in=villages).values_list("village_id", "puskesmas_id"))


def cells(
    *, indicators: list[Indicator], areas: list[Area], period: dt.date, cumulative: bool = True
) -> dict[tuple[str, str], Cell]:
    """(indicator code, area code) -> the cell of `period` (monthly or year to date)."""
    return {
        (c.indicator, c.area_code): c
        for c in series(indicators=indicators, areas=areas, periods=[period], cumulative=cumulative)
    }


def series(
    *, indicators: list[Indicator], areas: list[Area], periods: list[dt.date], cumulative: bool = True
) -> list[Cell]:
    """The cells of every indicator x area x period (periods of one year), in that order."""
    periods = [p.replace(day=1) for p in periods]
    year = periods[0].year
    codes = [i.code for i in indicators]
    sums = _fact_sums(codes, areas, periods)
    settings = _Settings(codes, year)
    projection = _Projection(areas, year)
    pkm = _puskesmas_of(areas)
    out = []
    for ind in indicators:
        for area in areas:
            target, source = settings.resolve(ind, area, pkm.get(area.village_ids[0]) if area.village_ids else None)
            size = projection.size(ind, area)
            for period in periods:
                s = sums.get((ind.code, period, area.code), (0, 0, 0, 0))
                out.append(_cell(ind, area, period, cumulative, s, target, source, size))
    return out


def sasaran_side_by_side(*, indicator: Indicator, areas: list[Area], year: int) -> dict[str, tuple[int, int | None]]:
    """Area code -> the two sasaran of an indicator for the year: counted by name in the register (January's
    denominator: the year's for a coverage indicator) and projected (None without every desa's population).
    A fixed number of queries whatever the number of areas."""
    period = dt.date(year, 1, 1)
    sums = _fact_sums([indicator.code], areas, [period])
    projection = _Projection(areas, year)
    return {
        a.code: (sums.get((indicator.code, period, a.code), (0, 0, 0, 0))[1], projection.size(indicator, a))
        for a in areas
    }


def register_and_projection(*, indicator: Indicator, area: Area, year: int) -> tuple[int, int | None]:
    """The two sasaran of one area side by side (`sasaran_side_by_side`)."""
    return sasaran_side_by_side(indicator=indicator, areas=[area], year=year)[area.code]


def last_computed(*, codes: list[str], period: dt.date) -> dt.datetime | None:
    """When the oldest computed of these indicators' month was computed (None when none was)."""
    rows = FillState.objects.filter(indicator__in=codes, period=period.replace(day=1))
    return rows.aggregate(at=Min("computed_at"))["at"]


def latest_period() -> dt.date | None:
    return FillState.objects.aggregate(p=Max("period"))["p"]


# Units the drill-down can list by name: persons directly, families through their members.
LISTABLE_UNITS = frozenset({"person", "family"})


def missing_units(*, scope: AreaScope, indicator: Indicator, area: Area, period: dt.date) -> tuple[str, QuerySet]:
    """Who is in the denominator of `period` but not (yet) in the numerator — "siapa yang belum" — by name
    and address, within the scope; for a prevalence (lower is better) the cases themselves.

    Returns the unit kind and a queryset of `Person` (ordered by address then name) or `Family`.
    A coverage indicator reads January to the end of `period`, a rate the month.
    """
    if indicator.population.unit not in LISTABLE_UNITS or not scope.person_level:
        return indicator.population.unit, Person.objects.none()
    posyandu = [area.pk] if area.kind == KIND_POSYANDU else None
    ids = engine.missing(
        indicator,
        period=period,
        villages=list(area.village_ids),
        posyandu_ids=posyandu,
        in_numerator=not indicator.higher_is_better,
    )
    # A dusun/RW/RT covers part of a desa: keep the units whose address lies in it.
    sub_village = area.kind == "region" and area.level is not None and area.level > Level.VILLAGE
    in_area = area.fact_q() if sub_village else Q()
    if indicator.population.unit == "family":
        qs = Family.objects.filter(scope.household_q(), in_area, id__in=ids)
        return "family", qs.select_related("region", "head", "posyandu").order_by("region__name", "address_text", "id")
    qs = Person.objects.filter(scope.household_q(), in_area, id__in=ids, merged_into__isnull=True)
    return "person", qs.select_related("region", "posyandu").order_by("region__name", "name", "id")


def area_settings(*, indicator: Indicator, year: int, areas: list[Area]) -> dict[tuple[str, int], AreaSetting]:
    """The settings recorded for these areas and the kecamatan and kabupaten above them, keyed as
    `setting_chain` keys them (("region", id) or ("pkm", id))."""
    regions = {a.pk for a in areas if a.kind != KIND_PUSKESMAS} | {a.district_id for a in areas}
    regions |= {a.regency_id for a in areas}
    puskesmas = {a.pk for a in areas if a.kind == KIND_PUSKESMAS}
    found = AreaSetting.objects.filter(indicator=indicator.code, year=year).filter(
        Q(region_id__in=regions - {None}) | Q(puskesmas_id__in=puskesmas)
    )
    return {(("pkm", s.puskesmas_id) if s.puskesmas_id else ("region", s.region_id)): s for s in found}


def projection_rates(*, regency_id: int | None, year: int) -> dict[str, ProjectionRate]:
    """The kabupaten's own proportions of the year by sasaran group (the named defaults apply to the rest)."""
    return {r.group: r for r in ProjectionRate.objects.filter(regency_id=regency_id, year=year)}


def area_populations(*, regency_id: int, year: int) -> dict[int, AreaPopulation]:
    """The official populations of the kabupaten's desa recorded for the year, by desa id."""
    return {p.region_id: p for p in AreaPopulation.objects.filter(region__regency_id=regency_id, year=year)}
