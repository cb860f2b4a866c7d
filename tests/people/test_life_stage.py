"""Life stage is derived from birth date, date and pregnancy: boundaries the day before and the day of."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilp.people.life_stage import (
    BALITA,
    BAYI,
    BBL,
    DEWASA,
    LANSIA,
    NIFAS_DAYS,
    PRASEKOLAH,
    STAGES,
    USIA_SEKOLAH_REMAJA,
    age_in_days,
    age_in_months,
    age_in_years,
    life_stage,
)

BORN = dt.date(2020, 3, 15)


def _stage(on, born=BORN, sex="M", **kw):
    return life_stage(birth_date=born, on=on, sex=sex, **kw).code


@pytest.mark.parametrize(
    ("_case", "on", "expected"),
    [
        ("day of birth", dt.date(2020, 3, 15), BBL),
        ("day 28", dt.date(2020, 4, 12), BBL),
        ("day 29", dt.date(2020, 4, 13), BAYI),
        ("11 months, day before 1st birthday", dt.date(2021, 3, 14), BAYI),
        ("1st birthday", dt.date(2021, 3, 15), BALITA),
        ("day before 5th birthday (59 months)", dt.date(2025, 3, 14), BALITA),
        ("5th birthday (60 months)", dt.date(2025, 3, 15), PRASEKOLAH),
        ("day before 6th birthday (71 months)", dt.date(2026, 3, 14), PRASEKOLAH),
        ("6th birthday", dt.date(2026, 3, 15), USIA_SEKOLAH_REMAJA),
        ("day before 18th birthday", dt.date(2038, 3, 14), USIA_SEKOLAH_REMAJA),
        ("18th birthday", dt.date(2038, 3, 15), DEWASA),
        ("day before 60th birthday", dt.date(2080, 3, 14), DEWASA),
        ("60th birthday", dt.date(2080, 3, 15), LANSIA),
    ],
)
def test_primary_stage_at_each_boundary(_case, on, expected):
    assert _stage(on) == expected


def test_the_table_starts_at_birth_and_is_ordered_youngest_first():
    assert [s.code for s in STAGES] == [BBL, BAYI, BALITA, PRASEKOLAH, USIA_SEKOLAH_REMAJA, DEWASA, LANSIA]
    assert (STAGES[0].unit, STAGES[0].starts_at) == ("days", 0)


def test_completed_months_and_years_at_month_ends_and_leap_days():
    # given a child born on 31 January, when February ends, then one month is completed
    assert age_in_months(dt.date(2025, 1, 31), dt.date(2025, 2, 27)) == 0
    assert age_in_months(dt.date(2025, 1, 31), dt.date(2025, 2, 28)) == 1
    assert age_in_months(dt.date(2025, 1, 31), dt.date(2025, 3, 30)) == 1
    assert age_in_months(dt.date(2025, 1, 31), dt.date(2025, 3, 31)) == 2
    # given a leap-day birth, the year is completed on 28 February of a common year
    assert age_in_years(dt.date(2024, 2, 29), dt.date(2025, 2, 27)) == 0
    assert age_in_years(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == 1
    assert age_in_days(BORN, dt.date(2020, 3, 16)) == 1


def test_a_date_before_birth_is_refused():
    with pytest.raises(ValueError, match="before the birth date"):
        age_in_days(BORN, dt.date(2020, 3, 14))


def test_pregnancy_overlay_applies_to_women_only():
    mother = dt.date(1995, 6, 1)
    on = dt.date(2026, 1, 1)
    assert life_stage(birth_date=mother, on=on, sex="F", pregnant=True).ibu_hamil is True
    assert life_stage(birth_date=mother, on=on, sex="F").ibu_hamil is False
    assert life_stage(birth_date=mother, on=on, sex="M", pregnant=True).ibu_hamil is False
    assert _stage(on, born=mother, sex="F", pregnant=True) == DEWASA


@pytest.mark.parametrize(
    ("days_after", "nifas"),
    [(-1, False), (0, True), (NIFAS_DAYS - 1, True), (NIFAS_DAYS, True), (NIFAS_DAYS + 1, False)],
)
def test_nifas_lasts_42_days_after_delivery(days_after, nifas):
    delivered = dt.date(2026, 1, 10)
    on = delivered + dt.timedelta(days=days_after)
    stage = life_stage(birth_date=dt.date(1995, 6, 1), on=on, sex="F", delivered_on=delivered)
    assert stage.ibu_nifas is nifas


ORDER = {s.code: i for i, s in enumerate(STAGES)}


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    first=st.integers(min_value=0, max_value=40000),
    step=st.integers(min_value=0, max_value=4000),
)
def test_stages_never_go_backwards_as_time_passes(born, first, step):
    earlier = born + dt.timedelta(days=first)
    later = earlier + dt.timedelta(days=step)
    assert ORDER[_stage(earlier, born=born)] <= ORDER[_stage(later, born=born)]
    assert age_in_months(born, earlier) <= age_in_months(born, later)
