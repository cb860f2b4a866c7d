"""Growth faltering: N/T/2T/O/B from weighings in consecutive calendar months, KBM at each edge."""

from datetime import date, timedelta

import pytest

from ilp.lifecycle.rules.faltering import (
    KBM_7_TO_17_300,
    KBM_BUKU_KIA,
    KMS_LETTERS,
    FalteringAction,
    WeighingResult,
    faltering_follow_up,
    weighing_results,
)

BIRTH = date(2025, 1, 10)


def results(*weighings, kbm=KBM_BUKU_KIA):
    return [a.result for a in weighing_results(birth_date=BIRTH, weighings=weighings, kbm=kbm)]


@pytest.mark.parametrize(("gain_g", "expected"), [(899, "T"), (900, "N"), (901, "N")])
def test_kbm_edge_at_two_months(gain_g, expected):
    # given weighings at 1 and 2 months; the KBM at 2 months is 900 g
    outcome = results((date(2025, 2, 10), 4.0), (date(2025, 3, 10), 4.0 + gain_g / 1000))
    assert KMS_LETTERS[outcome[-1]] == expected


@pytest.mark.parametrize(("gain_g", "expected"), [(799, "T"), (800, "N")])
def test_kbm_edge_at_one_month_from_the_birth_weight(gain_g, expected):
    outcome = results((BIRTH, 3.2), (date(2025, 2, 10), 3.2 + gain_g / 1000))
    assert KMS_LETTERS[outcome[0]] == "B"
    assert KMS_LETTERS[outcome[1]] == expected


def test_loss_is_not_gained_and_two_in_a_row_is_2t():
    outcome = results(
        (date(2025, 7, 10), 7.0),
        (date(2025, 8, 10), 6.9),
        (date(2025, 9, 10), 7.0),
        (date(2025, 10, 10), 7.1),
        (date(2025, 11, 10), 7.6),
        (date(2025, 12, 10), 7.6),
    )
    assert [KMS_LETTERS[r] for r in outcome] == ["B", "T", "2T", "2T", "N", "T"]


def test_a_missing_month_gives_o_and_restarts_the_comparison():
    outcome = results((date(2025, 3, 10), 5.0), (date(2025, 5, 10), 6.5), (date(2025, 6, 10), 7.1))
    assert outcome == [WeighingResult.NEW, WeighingResult.NOT_WEIGHED_LAST_MONTH, WeighingResult.GAINED]


def test_consecutive_calendar_months_across_the_year_end_and_few_days_apart():
    # given weighings on 31 December and 1 January (consecutive months, one day apart)
    assessed = weighing_results(
        birth_date=date(2024, 1, 1), weighings=[(date(2024, 12, 31), 9.0), (date(2025, 1, 1), 9.2)]
    )
    # then they are compared, at the age of 12 months (KBM 200 g)
    assert [a.result for a in assessed] == [WeighingResult.NEW, WeighingResult.GAINED]
    assert (assessed[1].age_months, assessed[1].gain_g, assessed[1].minimum_gain_g) == (12, 200, 200)


def test_the_last_weighing_of_a_month_counts():
    outcome = weighing_results(
        birth_date=BIRTH,
        weighings=[(date(2025, 4, 12), 5.0), (date(2025, 5, 3), 5.0), (date(2025, 5, 20), 5.7)],
    )
    assert len(outcome) == 2
    assert (outcome[1].weight_kg, outcome[1].result) == (5.7, WeighingResult.GAINED)


@pytest.mark.parametrize(
    ("age", "grams"),
    [
        (0, 800),
        (1, 800),
        (2, 900),
        (3, 800),
        (4, 600),
        (5, 500),
        (6, 400),
        (7, 400),
        (8, 300),
        (10, 300),
        (11, 200),
        (59, 200),
        (72, 200),
    ],
)
def test_default_kbm_table(age, grams):
    assert KBM_BUKU_KIA.minimum_gain(age) == grams


def test_the_kbm_table_is_configurable():
    # given a gain of 350 g at 7 months
    weighings = ((date(2025, 7, 10), 7.0), (date(2025, 8, 10), 7.35))
    # then the default table (400 g) says T, the 7-17 months = 300 g reading says N
    assert results(*weighings)[-1] is WeighingResult.NOT_GAINED
    assert results(*weighings, kbm=KBM_7_TO_17_300)[-1] is WeighingResult.GAINED


def test_follow_up_of_t_and_2t():
    weighed = date(2025, 9, 10)
    t = faltering_follow_up(result=WeighingResult.NOT_GAINED, weighed_on=weighed)
    assert t.actions == (
        FalteringAction.REFER_TO_HEALTH_WORKER,
        FalteringAction.CHECK_RED_FLAGS,
        FalteringAction.LOCAL_SUPPLEMENTARY_FEEDING,
        FalteringAction.REEVALUATE,
    )
    assert t.reevaluate_on == weighed + timedelta(days=14)
    two_t = faltering_follow_up(result=WeighingResult.NOT_GAINED_TWICE, weighed_on=weighed)
    assert two_t.actions[-1] is FalteringAction.REFER_TO_PUSKESMAS
    assert faltering_follow_up(result=WeighingResult.GAINED, weighed_on=weighed).actions == ()
