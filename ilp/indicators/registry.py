"""The indicator registry: every PWS indicator is a definition in code (`indicators.definitions`).

A definition is a function decorated with `@indicator(...)`; its docstring says what it counts and
cites the guideline it comes from, and it returns the denominator `Population` and the numerator
`Events` built from `indicators.sql`. Two kinds exist:

- `Kind.COVERAGE` (SPM style, ILP.md §3.6): the denominator is the year's sasaran (everyone in the
  group on at least one day of the year); the numerator counts a person once, in the month they first
  received the service that year; the year-to-date figure is the classic PWS cumulative coverage and
  its target grows by one twelfth a month.
- `Kind.RATE` (posyandu style, e.g. D/S): denominator and numerator belong to each month; the year to
  date is the sum of the months.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise

from ilp.indicators.cells import Status
from ilp.indicators.sql import Events, Population


class Kind(StrEnum):
    COVERAGE = "coverage"
    RATE = "rate"


class Stage(StrEnum):
    """Life stage an indicator belongs to (ILP.md §2), for grouping the dashboards."""

    PREGNANCY = "pregnancy"
    NEWBORN = "newborn"
    CHILD = "child"
    SCHOOL = "school"
    ADULT = "adult"
    ELDERLY = "elderly"
    ALL = "all"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise  # English msgid, Indonesian through gettext
    short: Promise  # column header
    cluster: int  # ILP cluster (2: ibu & anak, 3: dewasa & lansia, 4: penyakit menular, 1: manajemen)
    stage: Stage
    kind: Kind
    population: Population
    events: Events
    numerator_text: Promise
    denominator_text: Promise
    target_pct: float
    source: str  # the guideline, file and section
    doc: str
    sasaran: str = ""  # projection group (`indicators.sasaran`) when the denominator can be estimated
    higher_is_better: bool = True
    near_pp: float = 10.0  # "hampir" within this many percentage points of the target
    age_bands: tuple[int, ...] = ()  # band limits in months of age; () = one band
    sex_split: bool = True
    spm: int | None = None  # SPM service number (1-12) when the indicator is an SPM one

    @property
    def topics(self) -> frozenset[str]:
        """Change topics (`core.changes`) that make this indicator stale."""
        return self.population.topics | self.events.topics

    def period_target(self, target_pct: float, *, month: int, cumulative: bool) -> float:
        """The target a month is held to: an annual coverage target grows by a twelfth a month when
        accumulated, and is a twelfth of it for the month alone (PWS-KIA's target line)."""
        if self.kind != Kind.COVERAGE:
            return target_pct
        return target_pct * (month if cumulative else 1) / 12

    def status(self, coverage_pct: float | None, target_pct: float) -> Status:
        """tercapai at or past the target; hampir within `near_pp` points of it; otherwise belum."""
        if coverage_pct is None:
            return Status.NO_DATA
        gap = (target_pct - coverage_pct) if self.higher_is_better else (coverage_pct - target_pct)
        if gap <= 0:
            return Status.REACHED
        return Status.NEAR if gap <= self.near_pp else Status.BELOW

    def band_labels(self) -> list[str]:
        limits = self.age_bands
        if not limits:
            return [""]
        edges = [0, *limits]
        labels = [f"{a}-{b - 1} bln" for a, b in itertools.pairwise(edges)]
        return [*labels, f"≥{limits[-1]} bln"]


REGISTRY: dict[str, Indicator] = {}


def indicator(**meta) -> Callable[[Callable[[], tuple[Population, Events]]], Indicator]:
    """Register the decorated definition; its docstring is the indicator's documentation."""

    def wrap(fn: Callable[[], tuple[Population, Events]]) -> Indicator:
        population, events = fn()
        item = Indicator(population=population, events=events, doc=inspect.getdoc(fn) or "", **meta)
        if item.code in REGISTRY:
            raise ValueError(f"Indicator {item.code} is defined twice.")
        REGISTRY[item.code] = item
        return item

    return wrap


def all_indicators() -> list[Indicator]:
    """Every indicator, in catalogue order (cluster, then definition order)."""
    from ilp.indicators import definitions  # noqa: F401  (importing registers them)

    return sorted(REGISTRY.values(), key=lambda i: i.cluster)


def get(code: str) -> Indicator:
    all_indicators()
    return REGISTRY[code]
