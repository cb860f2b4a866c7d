"""Full, area and incremental refresh of the indicator facts.

- `refresh_all`: every indicator, for the years covering the 12 months before today (or one year).
- `refresh_stale`: reads the change marks up to a high-water mark, works out which (indicator, year,
  desa, first month) they touch from each indicator's topics and the marks' dates, recomputes those desa
  (and, for a rate, those months) only, and deletes the marks it read. A crash before the end leaves the
  marks, so the next run redoes the work (idempotent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from ilp.core.changes import FACILITY, PREGNANCY, REGISTER
from ilp.core.models import ChangeMark
from ilp.indicators import engine
from ilp.indicators.registry import Indicator, all_indicators

Progress = Callable[[int, int], None] | None
# Topics whose change moves facts in every computed year, not only the year of the date (a person's
# address or birth date is read for every year; facilities likewise).
_ALL_YEARS = frozenset({REGISTER, FACILITY, PREGNANCY})


@dataclass
class Report:
    indicators: int
    periods: list[tuple[int, int]]
    rows: int
    marks: int = 0


def periods_for(*, today: dt.date, year: int | None = None) -> list[tuple[int, int]]:
    """(year, last month) pairs: the given year (up to today's month when current), or the last 12 months."""
    if year is None:
        return engine.years_to_refresh(today)
    if year > today.year:
        return []
    return [(year, today.month if year == today.year else 12)]


def refresh_all(
    *,
    indicators: list[Indicator] | None = None,
    villages: list[int] | None = None,
    year: int | None = None,
    today: dt.date | None = None,
    progress: Progress = None,
) -> Report:
    """Recompute the facts of these indicators (all by default), of these desa (all by default)."""
    today = today or timezone.localdate()
    indicators = indicators or all_indicators()
    periods = periods_for(today=today, year=year)
    mark_id = ChangeMark.objects.aggregate(m=Max("id"))["m"] or 0
    rows = engine.refresh(indicators, periods=periods, villages=villages, mark_id=mark_id, progress=progress)
    if villages is None and year is None:
        ChangeMark.objects.filter(id__lte=mark_id).delete()  # everything they pointed at is recomputed
    return Report(len(indicators), periods, rows)


def refresh_stale(*, today: dt.date | None = None, progress: Progress = None) -> Report:
    """Recompute only what the pending change marks touch; returns what was done."""
    today = today or timezone.localdate()
    high = ChangeMark.objects.aggregate(m=Max("id"))["m"]
    if high is None:
        return Report(0, [], 0)
    marks = list(ChangeMark.objects.filter(id__lte=high).values_list("topic", "village_id", "date").distinct())
    computed_years = {y for y, _last in engine.years_to_refresh(today)}
    work: dict[tuple[str, int], set[int]] = defaultdict(set)
    whole: set[tuple[str, int]] = set()
    since: dict[tuple[str, int], int] = {}  # the first month of the indicator-year a mark can move
    indicators = {i.code: i for i in all_indicators()}
    for topic, village, date in marks:
        # A change counts in its own year and in later ones: sasaran read earlier records (a blood pressure
        # on record, a dose of a series), so a 2024 correction can move 2025's numbers.
        years = computed_years if topic in _ALL_YEARS else {y for y in computed_years if y >= date.year}
        for ind in indicators.values():
            if topic not in ind.topics:
                continue
            for y in years:
                if village is None:
                    whole.add((ind.code, y))
                else:
                    work[(ind.code, y)].add(village)
                # A register change (an address, a birth date) is read in every month; a dated record moves
                # its own month and the later ones (`engine.first_month`).
                month = date.month if topic not in _ALL_YEARS and date.year == y else 1
                since[(ind.code, y)] = min(since.get((ind.code, y), 12), month)
    jobs = sorted(set(work) | whole)
    rows = 0
    for n, (code, y) in enumerate(jobs, start=1):
        last = today.month if y == today.year else 12
        first = min(engine.first_month(indicators[code], since[(code, y)]), last)
        if (code, y) in whole:
            parts = [(None, first)]
        elif first > 1:  # the desa that can go on from their stored month, and the others from January
            going_on = engine.resumable(code, y, first, sorted(work[(code, y)]))
            again = sorted(work[(code, y)] - set(going_on))
            parts = [(vs, month) for vs, month in ((going_on, first), (again, 1)) if vs]
        else:
            parts = [(sorted(work[(code, y)]), 1)]
        for villages, month in parts:
            result = engine.compute(indicators[code], year=y, last_month=last, villages=villages, since=month)
            rows += engine.store(result, villages=villages, mark_id=high)
        if progress:
            progress(n, len(jobs))
    deleted, _ = ChangeMark.objects.filter(id__lte=high).delete()
    return Report(len({c for c, _y in jobs}), sorted({(y, 12) for _c, y in jobs}), rows, deleted)


def pending_marks() -> int:
    return ChangeMark.objects.count()
