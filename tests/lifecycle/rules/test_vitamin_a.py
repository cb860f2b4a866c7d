"""Vitamin A in February and August for 6-59 months; obat cacing in August for balita; missed rounds."""

from datetime import date

import pytest

from ilp.lifecycle.rules.common import add_months
from ilp.lifecycle.rules.vitamin_a import (
    RoundStatus,
    SupplementParams,
    VitaminAGroup,
    deworming_status,
    missed_last_deworming_round,
    missed_last_vitamin_a_round,
    vitamin_a_group,
    vitamin_a_status,
)

ON = date(2025, 2, 10)


def born_months_ago(n: int, on: date = ON) -> date:
    return add_months(on, -n)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (5, None),
        (6, VitaminAGroup.INFANT),
        (11, VitaminAGroup.INFANT),
        (12, VitaminAGroup.CHILD),
        (59, VitaminAGroup.CHILD),
        (60, None),
    ],
)
def test_age_groups(age, expected):
    assert vitamin_a_group(birth_date=born_months_ago(age), on=ON) is expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [(5, RoundStatus.NOT_ELIGIBLE), (6, RoundStatus.DUE), (59, RoundStatus.DUE), (60, RoundStatus.NOT_ELIGIBLE)],
)
def test_due_in_february_for_six_to_fifty_nine_months(age, expected):
    assert vitamin_a_status(birth_date=born_months_ago(age), on=ON, given=[]) is expected


def test_given_this_round_and_not_a_round_month():
    birth = born_months_ago(8)
    assert vitamin_a_status(birth_date=birth, on=ON, given=[date(2025, 2, 3)]) is RoundStatus.GIVEN
    assert vitamin_a_status(birth_date=birth, on=ON, given=[date(2024, 8, 3)]) is RoundStatus.DUE
    assert vitamin_a_status(birth_date=birth, on=date(2025, 3, 1), given=[]) is RoundStatus.NOT_ROUND_MONTH
    assert vitamin_a_status(birth_date=birth, on=date(2025, 8, 31), given=[]) is RoundStatus.DUE


def test_missed_last_round():
    # given a child of 8 months in February who got nothing
    birth = date(2024, 6, 5)
    on = date(2025, 3, 10)
    assert missed_last_vitamin_a_round(birth_date=birth, on=on, given=[]) is True
    # when the capsule was given in February, the round is not missed
    assert missed_last_vitamin_a_round(birth_date=birth, on=on, given=[date(2025, 2, 20)]) is False
    # and during August the last finished round is still February
    assert missed_last_vitamin_a_round(birth_date=birth, on=date(2025, 8, 10), given=[date(2025, 2, 20)]) is False


def test_a_child_reaching_six_months_during_the_round_month_belongs_to_it():
    on = date(2025, 3, 10)
    assert missed_last_vitamin_a_round(birth_date=date(2024, 8, 28), on=on, given=[]) is True
    assert missed_last_vitamin_a_round(birth_date=date(2024, 9, 1), on=on, given=[]) is False
    # and a child turning 60 months on 1 February was still 59 months on no day of it
    assert missed_last_vitamin_a_round(birth_date=date(2020, 2, 1), on=on, given=[]) is False
    assert missed_last_vitamin_a_round(birth_date=date(2020, 2, 2), on=on, given=[]) is True


def test_sweeping_months_are_configurable():
    birth = date(2024, 6, 5)
    on = date(2025, 4, 1)
    sweeping = SupplementParams(sweeping_months=1)
    assert missed_last_vitamin_a_round(birth_date=birth, on=on, given=[date(2025, 3, 5)]) is True
    assert missed_last_vitamin_a_round(birth_date=birth, on=on, given=[date(2025, 3, 5)], params=sweeping) is False


def test_obat_cacing_in_august_for_balita():
    on = date(2025, 8, 5)
    assert deworming_status(birth_date=born_months_ago(12, on), on=on, given=[]) is RoundStatus.DUE
    assert deworming_status(birth_date=born_months_ago(11, on), on=on, given=[]) is RoundStatus.NOT_ELIGIBLE
    assert deworming_status(birth_date=born_months_ago(24, ON), on=ON, given=[]) is RoundStatus.NOT_ROUND_MONTH
    assert deworming_status(birth_date=born_months_ago(24, on), on=on, given=[date(2025, 8, 1)]) is RoundStatus.GIVEN


def test_missed_last_deworming_round():
    birth = date(2023, 1, 1)
    assert missed_last_deworming_round(birth_date=birth, on=date(2026, 2, 1), given=[]) is True
    assert missed_last_deworming_round(birth_date=birth, on=date(2026, 2, 1), given=[date(2025, 8, 9)]) is False


def test_deworming_ages_are_configurable():
    on = date(2025, 8, 5)
    wider = SupplementParams(deworming_ages=(12, 143))
    assert deworming_status(birth_date=born_months_ago(70, on), on=on, given=[]) is RoundStatus.NOT_ELIGIBLE
    assert deworming_status(birth_date=born_months_ago(70, on), on=on, given=[], params=wider) is RoundStatus.DUE
