"""What the dashboards, the report and the exports read: one indicator value of one area and month.

A `Cell` is already the sum of the facts of its area (roll-ups are sums of numerators and
denominators) with the denominator source the user chose and the target that applies to the area.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """Colour of a cell against its target (`indicators.registry.Indicator.status`)."""

    REACHED = "tercapai"
    NEAR = "hampir"
    BELOW = "belum"
    NO_DATA = ""


class DenominatorSource(StrEnum):
    REGISTER = "register"  # persons counted by name, by address in the family register
    PROJECTION = "projection"  # official estimate: area population x proportion (ILP.md §3.6)


@dataclass(frozen=True)
class Cell:
    indicator: str  # Indicator.code
    area_code: str  # Region.code, or a puskesmas Facility.code
    area_name: str
    period: dt.date  # first day of the month
    cumulative: bool  # True: January to the end of `period` (year to date)
    numerator: int
    denominator: int | None  # the chosen source's; None when that source has no number (no projection)
    source: DenominatorSource
    target_pct: float  # the target for this period (pro-rated by month for cumulative annual targets)
    coverage_pct: float | None
    status: Status
    higher_is_better: bool = True  # False for prevalences (stunting, wasting): the target is a ceiling

    @property
    def gap_persons(self) -> int:
        """Persons still needed to reach the target (0 when reached or without a denominator)."""
        if self.denominator is None:
            return 0
        allowed = self.target_pct * self.denominator / 100
        gap = allowed - self.numerator if self.higher_is_better else self.numerator - allowed
        return max(0, math.ceil(gap))


def rank_of(cells: list[Cell], code: str) -> tuple[int, int, bool] | None:
    """(rank, areas with a coverage, tied) of area `code` among `cells` of one indicator and period: the
    better coverage first (the lower one for a prevalence); ties share a rank. None without a coverage."""
    scored = [c for c in cells if c.coverage_pct is not None]
    mine = next((c for c in scored if c.area_code == code), None)
    if mine is None:
        return None
    sign = 1 if mine.higher_is_better else -1
    better = sum(1 for c in scored if sign * c.coverage_pct > sign * mine.coverage_pct)
    tied = sum(1 for c in scored if c.coverage_pct == mine.coverage_pct) > 1
    return better + 1, len(scored), tied


def trend_of(series: list[Cell]) -> dict:
    """The last month of an area's series against the one before: "up", "down" or "flat", the change in
    points, and whether it is good news (a rise is bad for a prevalence); empty without both coverages."""
    if len(series) < 2 or series[-1].coverage_pct is None or series[-2].coverage_pct is None:
        return {"trend": "", "good": None}
    diff = round(series[-1].coverage_pct - series[-2].coverage_pct, 1)
    if diff == 0:
        return {"trend": "flat", "good": None, "diff": diff}
    return {"trend": "up" if diff > 0 else "down", "good": (diff > 0) == series[-1].higher_is_better, "diff": diff}
