"""Candidate priority problems generated from the PWS indicator facts of a puskesmas' working area.

Juknis ILP `docs/ILP/06-integrasi-fasker/index.mdx` (step 2): the network identifies priority problems from
community data, kab/kota priority programmes and the SPM; ILP.md §5: a problem is the gap between
achievement and target (das sein vs das sollen); §6: coverage above 100 % is a data-quality problem.
Four kinds are generated, each with its evidence (the numbers as they were):

One candidate per indicator names its gap by the strongest reason (below target, else desa in red, else
worsening), the other reasons travelling in its evidence; the candidates come most severe first (the
lowest share of the target reached), data-quality ones last:

- below target: the puskesmas' year-to-date coverage is "belum" (`Indicator.status`), with its red desa;
- worsening: the indicator moved the wrong way in each of the last `WORSENING_MONTHS` months and by at least
  `WORSENING_MIN_PP` points in all (RATE indicators: the monthly value; COVERAGE indicators, which only grow
  within a year: the year-to-date coverage as a share of the month's target line) — named defaults ❓;
- desa in red: the puskesmas is on or near target, but some desa are "belum";
- data quality: a coverage above 100 % in the puskesmas or a desa (numerator larger than the sasaran).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ilp.indicators.areas import Area, sub_areas
from ilp.indicators.cells import Cell, Status
from ilp.indicators.registry import Indicator, Kind, all_indicators
from ilp.indicators.selectors import series
from ilp.planning.models import ProblemSource

WORSENING_MONTHS = 2
WORSENING_MIN_PP = 5.0
DATA_QUALITY_MAX_PCT = 100.0


@dataclass
class Candidate:
    source: str
    indicator: str
    area_code: str
    title: str
    evidence: dict = field(default_factory=dict)


def _cell_json(c: Cell) -> dict:
    return {
        "area_code": c.area_code,
        "area_name": c.area_name,
        "period": c.period.strftime("%Y-%m"),
        "numerator": c.numerator,
        "denominator": c.denominator,
        "coverage_pct": c.coverage_pct,
        "target_pct": round(c.target_pct, 1),
        "status": str(c.status),
        "gap_persons": c.gap_persons,
    }


def _attainment(c: Cell) -> float | None:
    """The value the trend is judged on (see the module docstring)."""
    if c.coverage_pct is None:
        return None
    if c.cumulative and c.target_pct:
        return 100.0 * c.coverage_pct / c.target_pct
    return c.coverage_pct


def _worsening(ind: Indicator, cells: list[Cell]) -> tuple[bool, list[float]]:
    values = [_attainment(c) for c in cells[-(WORSENING_MONTHS + 1) :]]
    if len(values) < WORSENING_MONTHS + 1 or any(v is None for v in values):
        return False, []
    sign = 1 if ind.higher_is_better else -1
    steps = [sign * (b - a) for a, b in itertools.pairwise(values)]
    worse = all(s < 0 for s in steps) and -sum(steps) >= WORSENING_MIN_PP
    return worse, [round(v, 1) for v in values]


def candidates(*, puskesmas: Area, period: dt.date, indicators: list[Indicator] | None = None) -> list[Candidate]:
    """Every generated problem of the puskesmas area for the month `period` (year to date), in catalogue order."""
    indicators = indicators or all_indicators()
    desa = sub_areas(puskesmas)
    months = [period.replace(month=m, day=1) for m in range(max(1, period.month - WORSENING_MONTHS), period.month + 1)]
    ytd = series(indicators=indicators, areas=[puskesmas, *desa], periods=[period], cumulative=True)
    by_key = {(c.indicator, c.area_code): c for c in ytd}
    rate_inds = [i for i in indicators if i.kind == Kind.RATE]
    cov_inds = [i for i in indicators if i.kind != Kind.RATE]
    trend: dict[str, list[Cell]] = {}
    for inds, cumulative in ((rate_inds, False), (cov_inds, True)):
        if inds:
            for c in series(indicators=inds, areas=[puskesmas], periods=months, cumulative=cumulative):
                trend.setdefault(c.indicator, []).append(c)
    ranked: list[tuple[float, Candidate]] = []
    for ind in indicators:
        own = by_key[(ind.code, puskesmas.code)]
        if own.denominator in (None, 0):
            continue
        desa_cells = [by_key[(ind.code, d.code)] for d in desa]
        red = [c for c in desa_cells if c.status == Status.BELOW]
        worse, values = _worsening(ind, trend.get(ind.code, []))
        base = {
            "indicator_name": str(ind.name),
            "puskesmas": _cell_json(own),
            "red_desa": [_cell_json(c) for c in red],
            "trend": values,
            "months": [m.strftime("%Y-%m") for m in months] if values else [],
        }
        name = str(ind.name)
        # One candidate per indicator for its gap (the strongest reason; the others are its evidence) ...
        if own.status == Status.BELOW:
            title = _("%(name)s below target: %(cov).1f%% against %(target).1f%%") % {
                "name": name,
                "cov": own.coverage_pct,
                "target": own.target_pct,
            }
            gap = Candidate(ProblemSource.BELOW_TARGET, ind.code, puskesmas.code, title, base)
        elif red:
            title = _("%(name)s: %(n)d of %(total)d desa below target") % {
                "name": name,
                "n": len(red),
                "total": len(desa_cells),
            }
            gap = Candidate(ProblemSource.RED_DESA, ind.code, puskesmas.code, title, base)
        elif worse:
            title = _("%(name)s getting worse for %(n)d months") % {"name": name, "n": WORSENING_MONTHS}
            gap = Candidate(ProblemSource.WORSENING, ind.code, puskesmas.code, title, base)
        else:
            gap = None
        if gap is not None:
            ranked.append((_severity(own, red, worse), gap))
        # ... and a data-quality candidate of its own: its remedy (the sasaran, the recording) differs.
        over = [c for c in [own, *desa_cells] if c.coverage_pct is not None and c.coverage_pct > DATA_QUALITY_MAX_PCT]
        if over:
            title = _("%(name)s above 100%%: check the sasaran and the recording (areas: %(n)d)") % {
                "name": name,
                "n": len(over),
            }
            evidence = {**base, "over_100": [_cell_json(c) for c in over]}
            dq = Candidate(ProblemSource.DATA_QUALITY, ind.code, puskesmas.code, title, evidence)
            ranked.append((SEVERITY_DATA_QUALITY, dq))
    ranked.sort(key=lambda pair: pair[0])
    return [c for _score, c in ranked]


# Data-quality candidates come after every gap: a wrong sasaran is fixed before it is prioritised.
SEVERITY_DATA_QUALITY = 10_000.0


def _severity(own: Cell, red: list[Cell], worse: bool) -> float:
    """Sort key, the most severe first: the share of the target reached (lower is worse; a prevalence over its
    ceiling counts as the ceiling's share of the value), then more red desa, then a worsening trend."""
    if own.coverage_pct is None or not own.target_pct:
        reached = 100.0
    elif own.higher_is_better:
        reached = 100.0 * own.coverage_pct / own.target_pct
    else:
        reached = 100.0 * own.target_pct / own.coverage_pct if own.coverage_pct else 100.0
    return min(reached, 100.0) * 100 - len(red) * 10 - (5 if worse else 0)
