"""Shared helpers for the mother-and-child rules: ages as the Buku KIA counts them, and visit windows.

Ages: the Buku KIA and the posyandu count a child's age in *completed months* — a child is "2 months"
from the day of the 2-month birthday until the day before the 3-month birthday. A birthday that does not
exist in a shorter month falls on that month's last day (born 31 January: 1 month on 28/29 February).

Visit windows (KF, KN): counted in whole days after the delivery or birth date (day 0 = that date).
Dates carry no time, so the "6 hours" lower bound of KF1/KN1 cannot be checked here; a visit on the
day of birth counts as the first window, and a caller holding clock times can reject one under 6 hours.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Sex(StrEnum):
    """FHIR administrative gender codes, the ones SATUSEHAT uses."""

    FEMALE = "female"
    MALE = "male"


def add_months(start: date, months: int) -> date:
    """`start` moved by whole calendar months, clamped to the target month's last day."""
    if start.day <= 28:
        # Every month has a 28th: no clamping, no calendar lookup (the schedules call this ~60 times a child).
        month_index = start.month - 1 + months
        return date(start.year + month_index // 12, month_index % 12 + 1, start.day)
    return _add_months_clamped(start, months)


@functools.lru_cache(maxsize=4096)
def _add_months_clamped(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def age_in_days(*, birth_date: date, on: date) -> int:
    """Whole days from `birth_date` to `on` (day of birth = 0)."""
    return (on - birth_date).days


def completed_months(*, birth_date: date, on: date) -> int:
    """Age in completed months as the Buku KIA counts it (the month birthday has been reached).

    Negative before birth. Consistent with `add_months`: `add_months(b, completed_months(b, d)) <= d`.
    """
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    if add_months(birth_date, months) > on:
        months -= 1
    return months


def completed_years(*, birth_date: date, on: date) -> int:
    """Age in completed years (the birthday has been reached)."""
    return completed_months(birth_date=birth_date, on=on) // 12


@dataclass(frozen=True, slots=True)
class AgeOffset:
    """An age (or an interval) as whole months plus days: "2 months", "8 weeks" (= 56 days), "<24 h"."""

    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """The date this offset after `start` (months first, then days)."""
        return add_months(start, self.months) + timedelta(days=self.days)


class VisitStatus(StrEnum):
    """A contact window on a given date. `overdue` = the window closed without a visit (a sweeping target)."""

    NOT_YET = "not_yet"
    DUE = "due"
    DONE = "done"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class VisitWindow:
    """A scheduled contact (KF1, KN2, ...) open from day `first_day` to `last_day` inclusive after day 0."""

    code: str
    first_day: int
    last_day: int

    def contains(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class VisitAssessment:
    code: str
    status: VisitStatus
    opens_on: date
    closes_on: date
    visited_on: date | None


def window_for_day(windows: Iterable[VisitWindow], day: int) -> str | None:
    """The code of the window containing `day`, or None between or after the windows."""
    return next((w.code for w in windows if w.contains(day)), None)


def assess_windows(
    *, windows: tuple[VisitWindow, ...], day_zero: date, visits: Iterable[date], on: date
) -> tuple[VisitAssessment, ...]:
    """Each window's status on `on`: done when a visit fell inside it, else not yet / due / overdue.

    A visit outside every window counts for none (it is not a KF/KN contact by the definition).
    """
    first_visit: dict[str, date] = {}
    for visited in sorted(visits):
        code = window_for_day(windows, (visited - day_zero).days)
        if code is not None:
            first_visit.setdefault(code, visited)
    day = (on - day_zero).days
    result = []
    for w in windows:
        visited = first_visit.get(w.code)
        if visited is not None and visited <= on:
            status = VisitStatus.DONE
        elif day < w.first_day:
            status = VisitStatus.NOT_YET
        elif day <= w.last_day:
            status = VisitStatus.DUE
        else:
            status = VisitStatus.OVERDUE
        result.append(
            VisitAssessment(
                code=w.code,
                status=status,
                opens_on=day_zero + timedelta(days=w.first_day),
                closes_on=day_zero + timedelta(days=w.last_day),
                visited_on=visited if status is VisitStatus.DONE else None,
            )
        )
    return tuple(result)
