"""Vitamin A (February and August) and obat cacing (August) for bayi and balita.

Source: ILP Juknis KMK HK.01.07/MENKES/2015/2023, `docs/ILP/02-klaster-2/02-balita-pra-sekolah/07-vitamin-a.mdx`
(transcription `mlengse/ilp-docs`): vitamin A for bayi 6-11 months and balita 12-59 months, simultaneously
in February and August (bulan vitamin A); balita get obat cacing at least once a year, in August after the
vitamin A; kader sweep children without them using the Buku KIA. Capsule doses (blue 100,000 IU / red
200,000 IU) are not in the Juknis text ❓ and not decided here: the age group code is returned instead.

A child belongs to a round when, on some day of the round month, their age in completed months is inside
the range (a child turning 6 months on 20 February is in the February round). "Due" is judged on the day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ilp.lifecycle.rules.common import add_months, completed_months


class VitaminAGroup(StrEnum):
    INFANT = "infant"
    CHILD = "child"


class RoundStatus(StrEnum):
    GIVEN = "given"
    DUE = "due"
    NOT_ROUND_MONTH = "not_round_month"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True, slots=True)
class SupplementParams:
    """Round months and age ranges (completed months, inclusive), all from `07-vitamin-a.mdx` except
    `deworming_ages`: the Juknis says "balita", read as 12-59 months like the vitamin A text ❓.
    `sweeping_months` lets a dose given that many months after the round still count for it (kader
    sweeping); 0 by default ❓."""

    vitamin_a_months: tuple[int, ...] = (2, 8)
    infant_ages: tuple[int, int] = (6, 11)
    child_ages: tuple[int, int] = (12, 59)
    deworming_months: tuple[int, ...] = (8,)
    deworming_ages: tuple[int, int] = (12, 59)
    sweeping_months: int = 0


DEFAULT_SUPPLEMENT_PARAMS = SupplementParams()


def vitamin_a_group(
    *, birth_date: date, on: date, params: SupplementParams = DEFAULT_SUPPLEMENT_PARAMS
) -> VitaminAGroup | None:
    """Bayi (6-11 months) or balita (12-59 months) on `on`, else None. Source: `07-vitamin-a.mdx`."""
    months = completed_months(birth_date=birth_date, on=on)
    if params.infant_ages[0] <= months <= params.infant_ages[1]:
        return VitaminAGroup.INFANT
    if params.child_ages[0] <= months <= params.child_ages[1]:
        return VitaminAGroup.CHILD
    return None


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _counts_for_round(given_on: date, round_start: date, sweeping_months: int) -> bool:
    return round_start <= given_on < add_months(round_start, 1 + sweeping_months)


def _in_round(birth_date: date, round_start: date, ages: tuple[int, int]) -> bool:
    at_start = completed_months(birth_date=birth_date, on=round_start)
    at_end = completed_months(birth_date=birth_date, on=add_months(round_start, 1) - timedelta(days=1))
    return at_end >= ages[0] and at_start <= ages[1]


def _status(
    birth_date: date, on: date, given: Iterable[date], months: tuple[int, ...], ages: tuple[int, int]
) -> RoundStatus:
    if on.month not in months:
        return RoundStatus.NOT_ROUND_MONTH
    round_start = _month_start(on)
    if any(_counts_for_round(d, round_start, 0) and d <= on for d in given):
        return RoundStatus.GIVEN
    age = completed_months(birth_date=birth_date, on=on)
    return RoundStatus.DUE if ages[0] <= age <= ages[1] else RoundStatus.NOT_ELIGIBLE


def _last_round(on: date, months: tuple[int, ...]) -> date:
    start = _month_start(on)
    for back in range(1, 13):
        candidate = add_months(start, -back)
        if candidate.month in months:
            return candidate
    raise ValueError("no round month configured")


def _missed(
    birth_date: date, on: date, given: Iterable[date], months: tuple[int, ...], ages: tuple[int, int], sweeping: int
) -> bool:
    round_start = _last_round(on, months)
    if not _in_round(birth_date, round_start, ages):
        return False
    return not any(_counts_for_round(d, round_start, sweeping) and d <= on for d in given)


def vitamin_a_status(
    *, birth_date: date, on: date, given: Iterable[date], params: SupplementParams = DEFAULT_SUPPLEMENT_PARAMS
) -> RoundStatus:
    """Vitamin A on `on`: given this round, due (round month and 6-59 months old), not eligible, or not a
    round month. Source: `07-vitamin-a.mdx` (February and August, bayi 6-11 and balita 12-59 months)."""
    ages = (params.infant_ages[0], params.child_ages[1])
    return _status(birth_date, on, given, params.vitamin_a_months, ages)


def missed_last_vitamin_a_round(
    *, birth_date: date, on: date, given: Iterable[date], params: SupplementParams = DEFAULT_SUPPLEMENT_PARAMS
) -> bool:
    """Whether the child was in the last finished vitamin A round (the latest February or August before
    this month) and got no capsule in it — the kader's sweeping list. Source: `07-vitamin-a.mdx`."""
    ages = (params.infant_ages[0], params.child_ages[1])
    return _missed(birth_date, on, given, params.vitamin_a_months, ages, params.sweeping_months)


def deworming_status(
    *, birth_date: date, on: date, given: Iterable[date], params: SupplementParams = DEFAULT_SUPPLEMENT_PARAMS
) -> RoundStatus:
    """Obat cacing on `on`: due for balita in August (after the vitamin A). Source: `07-vitamin-a.mdx`."""
    return _status(birth_date, on, given, params.deworming_months, params.deworming_ages)


def missed_last_deworming_round(
    *, birth_date: date, on: date, given: Iterable[date], params: SupplementParams = DEFAULT_SUPPLEMENT_PARAMS
) -> bool:
    """Whether a balita in the last August round got no obat cacing in it. Source: `07-vitamin-a.mdx`."""
    return _missed(birth_date, on, given, params.deworming_months, params.deworming_ages, params.sweeping_months)
