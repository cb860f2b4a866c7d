"""Plausibility ranges (ilp.lifecycle.rules.ranges).

Source: the platform's table ``ilp/lifecycle/rules/data/ranges.json`` (WHO Child Growth Standards 2006 /
WHO Reference 2007 extremes for children; clinical and recorded human limits for adults).
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilp.lifecycle.rules.ranges import (
    RANGE_TABLE,
    BloodPressureIssue,
    InvalidRuleInput,
    ObservationKind,
    RangeStatus,
    check_blood_pressure,
    check_value,
    range_row,
    require_possible,
    require_possible_blood_pressure,
)


def test_every_kind_has_an_any_age_row_and_consistent_bounds():
    # Source: ranges.json: each kind needs a fallback row; hard bounds must contain plausible bounds.
    # given the loaded table / then every kind is covered and every row is ordered
    assert set(RANGE_TABLE) == set(ObservationKind)
    for kind, rows in RANGE_TABLE.items():
        assert sum(row.band is None for row in rows) == 1, kind
        for row in rows:
            assert row.hard_min < row.plausible_min < row.plausible_max < row.hard_max, (kind, row.band)
            assert row.why


@pytest.mark.parametrize(
    ("kind", "value", "age_days", "expected"),
    [
        ("weight_kg", 0, None, RangeStatus.IMPOSSIBLE),
        ("weight_kg", -3, 30, RangeStatus.IMPOSSIBLE),
        ("weight_kg", 0.5, 3, RangeStatus.IMPLAUSIBLE),
        ("weight_kg", 3.2, 3, RangeStatus.OK),
        ("weight_kg", 6.0, 3, RangeStatus.OK),
        ("weight_kg", 6.1, 3, RangeStatus.IMPLAUSIBLE),
        ("weight_kg", 12.1, 3, RangeStatus.IMPOSSIBLE),
        ("weight_kg", 70, 40 * 365, RangeStatus.OK),
        ("weight_kg", 70, 400, RangeStatus.IMPOSSIBLE),
        ("length_height_cm", 300, None, RangeStatus.IMPOSSIBLE),
        ("length_height_cm", 300, 40 * 365, RangeStatus.IMPOSSIBLE),
        ("length_height_cm", 215, 40 * 365, RangeStatus.IMPLAUSIBLE),
        ("length_height_cm", 50, 1, RangeStatus.OK),
        ("head_circumference_cm", 35, 1, RangeStatus.OK),
        ("muac_cm", 10.5, 700, RangeStatus.OK),
        ("muac_cm", 8.5, 700, RangeStatus.IMPLAUSIBLE),
        ("haemoglobin_g_dl", 12.3, None, RangeStatus.OK),
        ("haemoglobin_g_dl", 3, None, RangeStatus.IMPLAUSIBLE),
        ("haemoglobin_g_dl", 123, None, RangeStatus.IMPOSSIBLE),
        ("glucose_random_mg_dl", 650, None, RangeStatus.IMPLAUSIBLE),
        ("hba1c_percent", 6.1, None, RangeStatus.OK),
        ("temperature_c", 36.8, None, RangeStatus.OK),
        ("temperature_c", 98.6, None, RangeStatus.IMPOSSIBLE),
        ("temperature_c", 42.5, None, RangeStatus.IMPLAUSIBLE),
        ("gestational_age_weeks", 43, None, RangeStatus.IMPLAUSIBLE),
        ("gestational_age_weeks", 50, None, RangeStatus.IMPOSSIBLE),
        ("waist_cm", 85, 30 * 365, RangeStatus.OK),
        ("pulse_bpm", 72, None, RangeStatus.OK),
    ],
)
def test_check_value_golden(kind, value, age_days, expected):
    # Source: ranges.json rows for each kind and age band.
    # given a measurement / when checked / then ok, implausible or impossible
    assert check_value(kind, value, age_days=age_days).status is expected


def test_result_reports_the_bounds_used():
    # Source: ranges.json weight_kg neonate row (hard 0.2-12, plausible 1.0-6.0).
    # given a newborn weight / when checked / then the neonatal bounds are returned
    result = check_value(ObservationKind.WEIGHT_KG, 3.2, age_days=0)
    assert (result.band, result.hard_min, result.hard_max, result.plausible_min, result.plausible_max) == (
        "neonate",
        0.2,
        12.0,
        1.0,
        6.0,
    )


def test_bounds_are_inclusive_and_age_band_edges():
    # Source: ranges.json: bands are [from, to) in days; bounds inclusive.
    # given values on the bounds and ages on band edges / when checked / then the expected row and status
    assert check_value("weight_kg", 0.2, age_days=0).status is RangeStatus.IMPLAUSIBLE
    assert check_value("weight_kg", 1.0, age_days=0).status is RangeStatus.OK
    assert range_row("weight_kg", age_days=28).band == "neonate"
    assert range_row("weight_kg", age_days=29).band == "infant"
    assert range_row("weight_kg", age_days=6575).band == "adult"
    assert range_row("head_circumference_cm", age_days=40 * 365).band is None


@pytest.mark.parametrize("value", [math.nan, math.inf, True, "70"])
def test_non_numbers_are_impossible(value):
    # Source: ranges.json; a non-finite or non-numeric entry cannot be a measurement.
    # given a non-number / when checked / then impossible
    assert check_value("weight_kg", value).status is RangeStatus.IMPOSSIBLE


def test_invalid_age_or_sex_is_refused():
    # Source: check_value contract: age in days >= 0, sex a FHIR AdministrativeGender code.
    # given a negative age or unknown sex / when checked / then refused with the field code
    with pytest.raises(InvalidRuleInput, match=r"^age_days$"):
        check_value("weight_kg", 10, age_days=-1)
    with pytest.raises(InvalidRuleInput, match=r"^sex$"):
        check_value("weight_kg", 10, sex="unknown")
    assert check_value("weight_kg", 60, sex="female").status is RangeStatus.OK


@pytest.mark.parametrize(
    ("systolic", "diastolic", "status", "issue"),
    [
        (120, 80, RangeStatus.OK, None),
        (120, 120, RangeStatus.IMPOSSIBLE, BloodPressureIssue.DIASTOLIC_NOT_BELOW_SYSTOLIC),
        (80, 120, RangeStatus.IMPOSSIBLE, BloodPressureIssue.DIASTOLIC_NOT_BELOW_SYSTOLIC),
        (100, 95, RangeStatus.IMPLAUSIBLE, BloodPressureIssue.NARROW_PULSE_PRESSURE),
        (100, 90, RangeStatus.OK, None),
        (310, 80, RangeStatus.IMPOSSIBLE, None),
        (260, 100, RangeStatus.IMPLAUSIBLE, None),
        (0, 0, RangeStatus.IMPOSSIBLE, None),
    ],
)
def test_check_blood_pressure(systolic, diastolic, status, issue):
    # Source: ranges.json systolic/diastolic rows; diastolic must be below systolic, pulse pressure >=10.
    # given a pair / when checked / then the worst status and the pair issue
    result = check_blood_pressure(systolic, diastolic)
    assert (result.status, result.issue) == (status, issue)


@given(
    kind=st.sampled_from(list(ObservationKind)),
    value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e4, max_value=1e4),
    age_days=st.one_of(st.none(), st.integers(0, 120 * 365)),
)
def test_status_agrees_with_the_bounds_returned(kind, value, age_days):
    # Source: ranges.json semantics: outside hard -> impossible, outside plausible -> implausible.
    # given any value / when checked / then the status is the one its own bounds imply
    result = check_value(kind, value, age_days=age_days)
    if not result.hard_min <= value <= result.hard_max:
        assert result.status is RangeStatus.IMPOSSIBLE
    elif not result.plausible_min <= value <= result.plausible_max:
        assert result.status is RangeStatus.IMPLAUSIBLE
    else:
        assert result.status is RangeStatus.OK


@given(
    kind=st.sampled_from(list(ObservationKind)),
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True), st.integers(-100, 1000), st.booleans(), st.text(max_size=2)
    ),
)
def test_require_possible_refuses_exactly_what_check_value_calls_impossible(kind, value):
    # Source: ranges.json; `require_possible` checks the any-age hard range without building a RangeResult.
    # given any value / then it is refused exactly when check_value (no age) says impossible
    impossible = check_value(kind, value).status is RangeStatus.IMPOSSIBLE
    if impossible:
        with pytest.raises(InvalidRuleInput):
            require_possible(kind, value, field="x")
    else:
        assert require_possible(kind, value, field="x") == float(value)


@given(
    systolic=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(0, 400)),
    diastolic=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(0, 400)),
)
def test_require_possible_blood_pressure_refuses_what_the_check_calls_impossible(systolic, diastolic):
    # Source: ranges.json systolic/diastolic rows and the pair rule of `check_blood_pressure`.
    check = check_blood_pressure(systolic, diastolic)
    expected = (
        "systolic"
        if check.systolic.status is RangeStatus.IMPOSSIBLE
        else "diastolic"
        if check.diastolic.status is RangeStatus.IMPOSSIBLE
        else "blood_pressure"
        if check.status is RangeStatus.IMPOSSIBLE
        else None
    )
    if expected is None:
        require_possible_blood_pressure(systolic=systolic, diastolic=diastolic)
    else:
        with pytest.raises(InvalidRuleInput) as refused:
            require_possible_blood_pressure(systolic=systolic, diastolic=diastolic)
        assert refused.value.field == expected
