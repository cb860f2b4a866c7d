"""KPSP: age rounding, which form is due, score cut-offs, follow-up."""

from datetime import date, timedelta

import pytest

from ilp.lifecycle.rules.development import (
    KpspAction,
    KpspParams,
    KpspResult,
    kpsp_age_months,
    kpsp_due,
    kpsp_follow_up,
    kpsp_interpret,
)

BIRTH = date(2025, 1, 1)


@pytest.mark.parametrize(("on", "months"), [(date(2025, 4, 16), 3), (date(2025, 4, 17), 4), (date(2025, 4, 1), 3)])
def test_age_rounds_up_from_sixteen_days(on, months):
    assert kpsp_age_months(birth_date=BIRTH, on=on) == months


def test_age_rounding_can_be_switched_off():
    assert kpsp_age_months(birth_date=BIRTH, on=date(2025, 4, 30), params=KpspParams(round_up_from_days=None)) == 3


def test_the_three_month_form_opens_at_two_months_sixteen_days():
    # given a child of 2 months 15 days: no form yet, the 3-month form opens the next day
    before = kpsp_due(birth_date=BIRTH, on=date(2025, 3, 16))
    assert (before.form_months, before.due, before.next_form_months, before.next_due_on) == (
        None,
        False,
        3,
        date(2025, 3, 17),
    )
    # when that day comes, the 3-month form is due
    assert kpsp_due(birth_date=BIRTH, on=date(2025, 3, 17)).due is True


def test_a_test_in_the_period_satisfies_it_until_the_next_form():
    tested = date(2025, 3, 20)
    four_months = kpsp_due(birth_date=BIRTH, on=date(2025, 5, 1), last_tested_on=tested)
    assert (four_months.form_months, four_months.due) == (3, False)
    six_months = kpsp_due(birth_date=BIRTH, on=date(2025, 6, 17), last_tested_on=tested)
    assert (six_months.form_months, six_months.due) == (6, True)


def test_no_form_after_seventy_two_months():
    assert kpsp_due(birth_date=BIRTH, on=date(2031, 2, 20)).form_months is None


def test_the_schedule_is_configurable():
    params = KpspParams(schedule_months=(6, 12))
    assert kpsp_due(birth_date=BIRTH, on=date(2025, 5, 1), params=params).form_months is None
    assert kpsp_due(birth_date=BIRTH, on=date(2025, 8, 1), params=params).form_months == 6


@pytest.mark.parametrize(
    ("yes", "expected"),
    [
        (10, KpspResult.APPROPRIATE),
        (9, KpspResult.APPROPRIATE),
        (8, KpspResult.DOUBTFUL),
        (7, KpspResult.DOUBTFUL),
        (6, KpspResult.POSSIBLE_DEVIATION),
        (0, KpspResult.POSSIBLE_DEVIATION),
    ],
)
def test_score_cut_offs(yes, expected):
    assert kpsp_interpret(yes_count=yes) is expected


@pytest.mark.parametrize("yes", [-1, 11])
def test_impossible_scores_are_rejected(yes):
    with pytest.raises(ValueError):
        kpsp_interpret(yes_count=yes)


def test_cut_offs_are_configurable():
    strict = KpspParams(appropriate_from=10, doubtful_from=8)
    assert kpsp_interpret(yes_count=9, params=strict) is KpspResult.DOUBTFUL
    assert kpsp_interpret(yes_count=7, params=strict) is KpspResult.POSSIBLE_DEVIATION


def test_follow_up():
    tested = date(2025, 7, 1)
    appropriate = kpsp_follow_up(result=KpspResult.APPROPRIATE, tested_on=tested)
    assert appropriate.actions == (KpspAction.STIMULATE, KpspAction.ROUTINE_SCREENING)
    doubtful = kpsp_follow_up(result=KpspResult.DOUBTFUL, tested_on=tested)
    assert KpspAction.RETEST in doubtful.actions
    assert doubtful.retest_on == tested + timedelta(days=14)
    still_doubtful = kpsp_follow_up(result=KpspResult.DOUBTFUL, tested_on=tested, is_retest=True)
    assert still_doubtful.actions == (KpspAction.REFER_FKTL,)
    deviation = kpsp_follow_up(result=KpspResult.POSSIBLE_DEVIATION, tested_on=tested)
    assert deviation.actions == (KpspAction.DOCUMENT_DEVIATIONS, KpspAction.REFER_FKTL)
    assert deviation.retest_on is None
