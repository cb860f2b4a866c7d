"""Permenkes 2/2020 nutritional-status categories at every boundary: just below, at, and just above."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilp.lifecycle.rules.growth import (
    BmiForAge5to18,
    HeightForAge,
    WeightForAge,
    WeightForHeight,
    classify_bmi_for_age,
    classify_height_for_age,
    classify_weight_for_age,
    classify_weight_for_height,
)

EPS = 0.01


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3 - EPS, WeightForAge.SEVERELY_UNDERWEIGHT),
        (-3, WeightForAge.UNDERWEIGHT),
        (-2 - EPS, WeightForAge.UNDERWEIGHT),
        (-2, WeightForAge.NORMAL),
        (1, WeightForAge.NORMAL),
        (1 + EPS, WeightForAge.RISK_OF_OVERWEIGHT),
    ],
)
def test_weight_for_age(z, expected):
    assert classify_weight_for_age(z) == expected


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3 - EPS, HeightForAge.SEVERELY_STUNTED),
        (-3, HeightForAge.STUNTED),
        (-2 - EPS, HeightForAge.STUNTED),
        (-2, HeightForAge.NORMAL),
        (-2 + EPS, HeightForAge.NORMAL),
        (3, HeightForAge.NORMAL),
        (3 + EPS, HeightForAge.TALL),
    ],
)
def test_length_or_height_for_age(z, expected):
    assert classify_height_for_age(z) == expected


WFH_BOUNDARIES = [
    (-3 - EPS, WeightForHeight.SEVERELY_WASTED),
    (-3, WeightForHeight.WASTED),
    (-2 - EPS, WeightForHeight.WASTED),
    (-2, WeightForHeight.NORMAL),
    (1, WeightForHeight.NORMAL),
    (1 + EPS, WeightForHeight.POSSIBLE_RISK_OF_OVERWEIGHT),
    (2, WeightForHeight.POSSIBLE_RISK_OF_OVERWEIGHT),
    (2 + EPS, WeightForHeight.OVERWEIGHT),
    (3, WeightForHeight.OVERWEIGHT),
    (3 + EPS, WeightForHeight.OBESE),
]


@pytest.mark.parametrize(("z", "expected"), WFH_BOUNDARIES)
def test_weight_for_length_or_height(z, expected):
    assert classify_weight_for_height(z) == expected


@pytest.mark.parametrize(("z", "expected"), WFH_BOUNDARIES)
def test_bmi_for_age_under_five_uses_the_weight_for_length_categories(z, expected):
    # given a child of 60 completed months (1856 days is 60.98 months)
    assert classify_bmi_for_age(z, age_days=1856) == expected


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3 - EPS, BmiForAge5to18.SEVERE_THINNESS),
        (-3, BmiForAge5to18.THINNESS),
        (-2 - EPS, BmiForAge5to18.THINNESS),
        (-2, BmiForAge5to18.NORMAL),
        (1, BmiForAge5to18.NORMAL),
        (1 + EPS, BmiForAge5to18.OVERWEIGHT),
        (2, BmiForAge5to18.OVERWEIGHT),
        (2 + EPS, BmiForAge5to18.OBESE),
    ],
)
def test_bmi_for_age_5_to_18_years(z, expected):
    # given a child of 61 completed months (1857 days) and one just before the 19th birthday
    assert classify_bmi_for_age(z, age_days=1857) == expected
    assert classify_bmi_for_age(z, age_days=227.9 * 30.4375) == expected


def test_bmi_for_age_outside_0_to_18_years_and_missing_z_give_none():
    assert classify_bmi_for_age(0.0, age_days=228 * 30.4375) is None
    assert classify_bmi_for_age(0.0, age_days=-1) is None
    assert classify_bmi_for_age(math.nan, age_days=400) is None
    assert classify_weight_for_age(None) is None


def test_codes_are_short_english_strings():
    assert classify_height_for_age(-2.5) == "stunted"
    assert classify_height_for_age(-3.5) == "severely_stunted"
    assert isinstance(classify_weight_for_height(0.0), str)


def test_arrays_are_classified_element_wise():
    # given z-scores of several children, one missing
    z = np.array([-3.5, -2.5, 0.0, 1.5, np.nan])
    # when classified at once; then each gets its own code and the missing one None
    assert classify_weight_for_age(z).tolist() == [
        WeightForAge.SEVERELY_UNDERWEIGHT,
        WeightForAge.UNDERWEIGHT,
        WeightForAge.NORMAL,
        WeightForAge.RISK_OF_OVERWEIGHT,
        None,
    ]
    ages = np.array([400, 4000, 9000, 400, 4000])
    assert classify_bmi_for_age(np.array([2.5, 2.5, 2.5, -2.5, -2.5]), age_days=ages).tolist() == [
        WeightForHeight.OVERWEIGHT,
        BmiForAge5to18.OBESE,
        None,
        WeightForHeight.WASTED,
        BmiForAge5to18.THINNESS,
    ]


@given(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-10, 10), st.none()), min_size=1, max_size=20))
def test_one_number_is_classified_as_the_same_number_in_an_array(values):
    # Source: Permenkes 2/2020 cut-offs; a single z-score takes a scalar path, an array the numpy one.
    array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    for classify in (classify_weight_for_age, classify_height_for_age, classify_weight_for_height):
        assert [classify(v) for v in values] == classify(array).tolist()
