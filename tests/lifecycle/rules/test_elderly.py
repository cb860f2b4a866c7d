"""Elderly rules (ilp.lifecycle.rules.elderly): ADL, SKILAS, Mini-Cog, AMT at every threshold.

Sources named per test: Juknis ILP (KMK HK.01.07/MENKES/2015/2023)
``docs/ILP/03-klaster-3/03-lansia/01-skrining-geriatri.mdx`` and ``docs/ILP/09-form-table/`` of
``mlengse/ilp-docs``; the ADL item points as recorded in ILP.md 2.5.
"""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilp.lifecycle.rules.adult import FollowUp
from ilp.lifecycle.rules.elderly import (
    ADL_ITEM_MAXIMUM,
    ADL_MAX_SCORE,
    AdlGroup,
    AdlItems,
    AdlLevel,
    AmtResult,
    FollowUpInstrument,
    MiniCogResult,
    SkilasAnswers,
    SkilasDomain,
    adl_level,
    assess_adl,
    interpret_amt,
    mini_cog_result,
    score_mini_cog,
    screen_skilas,
)
from ilp.lifecycle.rules.ranges import InvalidRuleInput

FULL = AdlItems(**ADL_ITEM_MAXIMUM)


def _adl_with_total(total: int) -> AdlItems:
    """Take points away item by item until the total is reached."""
    items, missing = dict(ADL_ITEM_MAXIMUM), ADL_MAX_SCORE - total
    for name in items:
        taken = min(items[name], missing)
        items[name] -= taken
        missing -= taken
    return AdlItems(**items)


def test_adl_item_maxima_total_twenty():
    # Source: ILP.md 2.5 from 09-form-table/06-adl.mdx: BAB 2, BAK 2, grooming 1, toilet 2, eating 2,
    # transfer 3, mobility 3, dressing 2, stairs 2, bathing 1.
    # given the item table / then it sums to 20
    assert ADL_MAX_SCORE == 20
    assert (ADL_ITEM_MAXIMUM["transfer"], ADL_ITEM_MAXIMUM["mobility"], ADL_ITEM_MAXIMUM["bathing"]) == (3, 3, 1)


@pytest.mark.parametrize(
    ("total", "level", "group"),
    [
        (20, AdlLevel.INDEPENDENT, AdlGroup.A),
        (19, AdlLevel.MILD_DEPENDENCY, AdlGroup.B),
        (12, AdlLevel.MILD_DEPENDENCY, AdlGroup.B),
        (11, AdlLevel.MODERATE_DEPENDENCY, AdlGroup.B),
        (9, AdlLevel.MODERATE_DEPENDENCY, AdlGroup.B),
        (8, AdlLevel.SEVERE_DEPENDENCY, AdlGroup.C),
        (5, AdlLevel.SEVERE_DEPENDENCY, AdlGroup.C),
        (4, AdlLevel.TOTAL_DEPENDENCY, AdlGroup.C),
        (0, AdlLevel.TOTAL_DEPENDENCY, AdlGroup.C),
    ],
)
def test_adl_levels_at_each_threshold(total, level, group):
    # Source: Juknis ILP 01-skrining-geriatri.mdx "Interpretasi hasil": 20 A; 12-19 B; 9-11 B; 5-8 C; 0-4 C.
    # given items summing to the total / when assessed / then the level and group
    result = assess_adl(items=_adl_with_total(total))
    assert (result.total, result.level, result.group) == (total, level, group)


@pytest.mark.parametrize(
    ("total", "follow_up"),
    [
        (20, (FollowUp.ELDERLY_GROUP_ACTIVITIES,)),
        (15, (FollowUp.ELDERLY_GROUP_ACTIVITIES, FollowUp.REFER_PUSTU_OR_PUSKESMAS)),
        (10, (FollowUp.REFER_PUSTU_OR_PUSKESMAS, FollowUp.HOMECARE)),
        (2, (FollowUp.REFER_PUSTU_OR_PUSKESMAS, FollowUp.HOMECARE)),
    ],
)
def test_adl_follow_up(total, follow_up):
    # Source: 01-skrining-geriatri.mdx: posyandu refers any dependency to pustu/puskesmas; moderate to
    # total dependency -> homecare (caregiver) or hospital.
    # given an ADL total / when assessed / then the follow-up codes
    assert assess_adl(items=_adl_with_total(total)).follow_up == follow_up


@pytest.mark.parametrize(
    ("field", "value"),
    [("transfer", 4), ("grooming", 2), ("bathing", -1), ("feeding", 1.5), ("stairs", True)],
)
def test_adl_refuses_item_values_outside_their_range(field, value):
    # Source: ILP.md 2.5 item points (e.g. transfer 0-3, grooming 0-1).
    # given an item out of its range / when assessed / then refused naming the item
    with pytest.raises(InvalidRuleInput, match=rf"^adl\.{field}$"):
        assess_adl(items=replace(FULL, **{field: value}))


@given(st.tuples(*(st.integers(0, maximum) for maximum in ADL_ITEM_MAXIMUM.values())))
def test_adl_total_is_the_sum_and_level_is_monotonic(points):
    # Source: 01-skrining-geriatri.mdx: bands ordered by total.
    # given any valid items / when assessed / then the total is the sum and one more point is never worse
    items = AdlItems(*points)
    result = assess_adl(items=items)
    assert result.total == sum(points)
    order = list(AdlLevel)
    for name, maximum in ADL_ITEM_MAXIMUM.items():
        if getattr(items, name) < maximum:
            better = assess_adl(items=replace(items, **{name: getattr(items, name) + 1}))
            assert order.index(better.level) <= order.index(result.level)


# -- SKILAS ------------------------------------------------------------------------------------------

HEALTHY = SkilasAnswers(
    orientation_error=False,
    recall_failed=False,
    chair_stand_passed=True,
    weight_loss_over_3kg_in_3_months=False,
    appetite_loss_or_eating_difficulty=False,
    muac_cm=25.0,
    eye_problem_reported=False,
    finger_count_passed=True,
    whisper_test_passed=True,
    feeling_down=False,
    little_interest=False,
)


def test_skilas_all_negative_needs_no_further_screening():
    # Source: Juknis ILP 09-form-table/05-kuesioner-skilas.mdx: nothing checked -> no follow-up.
    # given a healthy elder / when screened / then no positive domain
    result = screen_skilas(answers=HEALTHY)
    assert (result.positive_domains, result.needs_further_screening, result.follow_up) == ((), False, ())


@pytest.mark.parametrize(
    ("change", "domain"),
    [
        ({"orientation_error": True}, SkilasDomain.COGNITION),
        ({"recall_failed": True}, SkilasDomain.COGNITION),
        ({"chair_stand_passed": False}, SkilasDomain.MOBILITY),
        ({"weight_loss_over_3kg_in_3_months": True}, SkilasDomain.MALNUTRITION),
        ({"appetite_loss_or_eating_difficulty": True}, SkilasDomain.MALNUTRITION),
        ({"muac_cm": 20.9}, SkilasDomain.MALNUTRITION),
        ({"eye_problem_reported": True, "finger_count_passed": None}, SkilasDomain.VISION),
        ({"finger_count_passed": False}, SkilasDomain.VISION),
        ({"whisper_test_passed": False}, SkilasDomain.HEARING),
        ({"whisper_test_passed": None}, SkilasDomain.HEARING),
        ({"feeling_down": True}, SkilasDomain.DEPRESSIVE_SYMPTOMS),
        ({"little_interest": True}, SkilasDomain.DEPRESSIVE_SYMPTOMS),
    ],
)
def test_skilas_each_item_makes_its_domain_positive(change, domain):
    # Source: 05-kuesioner-skilas.mdx (items and check boxes) and 01-skrining-geriatri.mdx (one or more
    # positive -> further screening by a health worker).
    # given one positive item / when screened / then exactly its domain is positive
    result = screen_skilas(answers=replace(HEALTHY, **change))
    assert result.positive_domains == (domain,)
    assert result.needs_further_screening is True
    assert result.follow_up == (FollowUp.FURTHER_SCREENING_BY_HEALTH_WORKER,)


def test_skilas_muac_threshold_is_strictly_below_21():
    # Source: 05-kuesioner-skilas.mdx "LiLA <21 cm".
    # given LiLA 21.0 and no LiLA / when screened / then malnutrition is not positive
    assert screen_skilas(answers=replace(HEALTHY, muac_cm=21.0)).positive_domains == ()
    assert screen_skilas(answers=replace(HEALTHY, muac_cm=None)).positive_domains == ()


def test_skilas_follow_up_instruments_per_domain():
    # Source: 01-skrining-geriatri.mdx table "Rangkuman instrumen ICOPE di Puskesmas".
    # given cognition and malnutrition positive / when screened / then Mini-Cog/AMT, MNA-SF and RAPUH
    result = screen_skilas(answers=replace(HEALTHY, recall_failed=True, muac_cm=19.0))
    assert result.follow_up_instruments == (
        FollowUpInstrument.MINI_COG_OR_AMT,
        FollowUpInstrument.MNA_SF,
        FollowUpInstrument.RAPUH,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [({"finger_count_passed": None}, "skilas.finger_count_passed"), ({"muac_cm": 0}, "skilas.muac_cm")],
)
def test_skilas_refuses_incomplete_or_impossible_answers(change, field):
    # Source: 05-kuesioner-skilas.mdx: without a reported eye problem the finger-count test is done.
    # given a missing test result or impossible LiLA / when screened / then refused with the field code
    with pytest.raises(InvalidRuleInput, match=rf"^{field}$"):
        screen_skilas(answers=replace(HEALTHY, **change))


# -- Mini-Cog and AMT --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "clock", "score", "expected"),
    [
        (0, False, 0, MiniCogResult.POSSIBLE_IMPAIRMENT),
        (2, False, 2, MiniCogResult.POSSIBLE_IMPAIRMENT),
        (3, False, 3, MiniCogResult.IMPAIRMENT_UNLIKELY),
        (0, True, 2, MiniCogResult.POSSIBLE_IMPAIRMENT),
        (1, True, 3, MiniCogResult.IMPAIRMENT_UNLIKELY),
        (3, True, 5, MiniCogResult.IMPAIRMENT_UNLIKELY),
    ],
)
def test_mini_cog_interpretation(words, clock, score, expected):
    # Source: Juknis ILP 09-form-table/05-kuesioner-skilas.mdx (Mini-Cog: 0-2 possible impairment, 3-5 unlikely).
    # given recalled words and clock / when scored / then score and interpretation
    outcome = score_mini_cog(words_recalled=words, clock_normal=clock)
    assert (outcome.score, outcome.result) == (score, expected)


@pytest.mark.parametrize("words", [-1, 4, True])
def test_mini_cog_refuses_invalid_recall(words):
    # Source: 05-kuesioner-skilas.mdx: 3-item recall, 0-3 points.
    # given an invalid recall count / when scored / then refused
    with pytest.raises(InvalidRuleInput, match=r"^mini_cog\.words_recalled$"):
        score_mini_cog(words_recalled=words, clock_normal=True)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (10, AmtResult.NORMAL),
        (8, AmtResult.NORMAL),
        (7, AmtResult.MODERATE_IMPAIRMENT),
        (4, AmtResult.MODERATE_IMPAIRMENT),
        (3, AmtResult.SEVERE_IMPAIRMENT),
        (0, AmtResult.SEVERE_IMPAIRMENT),
    ],
)
def test_amt_interpretation(score, expected):
    # Source: Juknis ILP 09-form-table/08-amt.mdx: 8-10 normal, 4-7 moderate, 0-3 severe.
    # given an AMT score / when interpreted / then the band
    assert interpret_amt(score=score) is expected


def test_amt_refuses_out_of_range_score():
    # Source: 08-amt.mdx: items A-J, 0-10.
    # given 11 / when interpreted / then refused
    with pytest.raises(InvalidRuleInput, match=r"^amt\.score$"):
        interpret_amt(score=11)


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (20, AdlLevel.INDEPENDENT),
        (19, AdlLevel.MILD_DEPENDENCY),
        (12, AdlLevel.MILD_DEPENDENCY),
        (11, AdlLevel.MODERATE_DEPENDENCY),
        (9, AdlLevel.MODERATE_DEPENDENCY),
        (8, AdlLevel.SEVERE_DEPENDENCY),
        (5, AdlLevel.SEVERE_DEPENDENCY),
        (4, AdlLevel.TOTAL_DEPENDENCY),
        (0, AdlLevel.TOTAL_DEPENDENCY),
    ],
)
def test_a_recorded_adl_total_reads_as_its_level_at_each_boundary(total, level):
    # Source: 01-skrining-geriatri.mdx, "Interpretasi hasil"
    assert adl_level(total=total) == level


def test_an_adl_total_outside_0_to_20_is_refused():
    for total in (-1, 21):
        with pytest.raises(InvalidRuleInput):
            adl_level(total=total)


@pytest.mark.parametrize(
    ("score", "result"),
    [
        (0, MiniCogResult.POSSIBLE_IMPAIRMENT),
        (2, MiniCogResult.POSSIBLE_IMPAIRMENT),
        (3, MiniCogResult.IMPAIRMENT_UNLIKELY),
        (5, MiniCogResult.IMPAIRMENT_UNLIKELY),
    ],
)
def test_a_recorded_mini_cog_total_reads_at_its_boundary(score, result):
    # Source: 09-form-table/05-kuesioner-skilas.mdx, Mini Cog: 0-2 possible impairment, 3-5 unlikely
    assert mini_cog_result(score=score) == result


def test_a_mini_cog_total_outside_0_to_5_is_refused():
    with pytest.raises(InvalidRuleInput):
        mini_cog_result(score=6)
