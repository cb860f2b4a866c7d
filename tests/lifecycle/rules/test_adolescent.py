"""School-age and adolescent rules (ilp.lifecycle.rules.adolescent) at every threshold.

Sources named per test: Juknis ILP (KMK HK.01.07/MENKES/2015/2023) files under
``docs/ILP/02-klaster-2/03-anak-sekolah-remaja/`` of ``mlengse/ilp-docs``; WHO 2011 Hb cut-offs;
Kemenkes Dit. Keswa 2022 SDQ bands.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilp.lifecycle.rules.adolescent import (
    CHILD_BP_SCREENING_TABLE,
    HAEMOGLOBIN_CUTOFFS,
    SDQ_CUTOFFS,
    AnaemiaScreening,
    AnaemiaSeverity,
    BmiForAgeCategory,
    ChildBloodPressureCategory,
    HaemoglobinCutoff,
    SdqBand,
    SdqCutoff,
    anaemia_screening,
    classify_bmi_for_age,
    classify_child_blood_pressure,
    classify_haemoglobin,
    classify_sdq,
    ttd_eligible,
)
from ilp.lifecycle.rules.adult import FollowUp
from ilp.lifecycle.rules.common import Sex
from ilp.lifecycle.rules.ranges import InvalidRuleInput

# -- anaemia screening and TTD -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "grade", "age", "screened", "expected"),
    [
        ("female", 7, None, False, AnaemiaScreening.DUE),
        ("female", 10, None, False, AnaemiaScreening.DUE),
        ("female", 8, 12.5, False, AnaemiaScreening.NOT_TARGET),
        ("female", 7, None, True, AnaemiaScreening.ALREADY_SCREENED),
        ("male", 7, None, False, AnaemiaScreening.NOT_TARGET),
        ("female", None, 11.99, False, AnaemiaScreening.NOT_TARGET),
        ("female", None, 12.0, False, AnaemiaScreening.DUE),
        ("female", None, 13.0, False, AnaemiaScreening.NOT_TARGET),
        ("female", None, 15.4, False, AnaemiaScreening.DUE),
    ],
)
def test_anaemia_screening_for_girls_in_kelas_7_and_10(sex, grade, age, screened, expected):
    # Source: Juknis ILP .../02-pkpr-luar-gedung/.../02-skrining-anemia.mdx (remaja putri kelas 7 dan 10);
    # ages 12 and 15 per .../01-skrining-anemia.mdx (ILP.md 2.3).
    # given a student / when asked / then whether her Hb test is due
    assert anaemia_screening(sex=sex, school_grade=grade, age_years=age, already_screened=screened) is expected


@pytest.mark.parametrize(("grade", "age"), [(None, None), (13, None), (0, None), (True, None)])
def test_anaemia_screening_needs_a_valid_grade_or_age(grade, age):
    # Source: 02-skrining-anemia.mdx: the target is defined by school grade (1-12).
    # given neither grade nor age, or an invalid grade / when asked / then refused
    with pytest.raises(InvalidRuleInput, match=r"^school_grade$"):
        anaemia_screening(sex="female", school_grade=grade, age_years=age, already_screened=False)


@pytest.mark.parametrize(
    ("sex", "grade", "expected"),
    [("female", 6, False), ("female", 7, True), ("female", 12, True), ("male", 9, False), ("female", None, False)],
)
def test_ttd_for_girls_in_kelas_7_to_12(sex, grade, expected):
    # Source: Juknis ILP .../02-pemberian-tdd.mdx via ILP.md 2.3 (remaja putri kelas 7-12, weekly).
    # given a student / when asked / then whether she gets weekly TTD
    assert ttd_eligible(sex=sex, school_grade=grade) is expected


@pytest.mark.parametrize(
    ("hb", "age", "sex", "expected"),
    [
        (12.0, 13, "female", AnaemiaSeverity.NONE),
        (11.9, 13, "female", AnaemiaSeverity.MILD),
        (11.0, 13, "female", AnaemiaSeverity.MILD),
        (10.9, 13, "female", AnaemiaSeverity.MODERATE),
        (8.0, 13, "female", AnaemiaSeverity.MODERATE),
        (7.9, 13, "female", AnaemiaSeverity.SEVERE),
        (11.5, 8, "male", AnaemiaSeverity.NONE),
        (11.4, 8, "male", AnaemiaSeverity.MILD),
        (12.9, 16, "male", AnaemiaSeverity.MILD),
        (13.0, 16, "male", AnaemiaSeverity.NONE),
        (12.0, 16, "female", AnaemiaSeverity.NONE),
        (11.9, 16, "female", AnaemiaSeverity.MILD),
    ],
)
def test_haemoglobin_who_2011_cut_offs(hb, age, sex, expected):
    # Source: WHO 2011 (WHO/NMH/NHD/MNM/11.1) as reproduced by Kemenkes 2016; default of data/adolescent.json.
    # given an Hb, age and sex / when classified / then the WHO severity
    assert classify_haemoglobin(hb_g_dl=hb, age_years=age, sex=sex).severity is expected


def test_haemoglobin_cut_offs_are_configurable():
    # Source: ILP.md open question 2 (Hb cut-offs unconfirmed): a Dinkes may pass its own table.
    # given a table with anaemia below 11.5 for girls 12-14 / when 11.8 is classified / then not anaemic
    custom = tuple(
        HaemoglobinCutoff(c.group, c.min_age_years, c.max_age_years, c.sex, 11.5, c.mild_from, c.moderate_from)
        if c.group == "child_12_14"
        else c
        for c in HAEMOGLOBIN_CUTOFFS
    )
    assert classify_haemoglobin(hb_g_dl=11.8, age_years=13, sex="female").severity is AnaemiaSeverity.MILD
    assert (
        classify_haemoglobin(hb_g_dl=11.8, age_years=13, sex="female", cutoffs=custom).severity is AnaemiaSeverity.NONE
    )


@pytest.mark.parametrize(("hb", "age", "field"), [(0, 13, "hb_g_dl"), (30, 13, "hb_g_dl"), (12, 4.9, "age_years")])
def test_haemoglobin_refuses_impossible_values_and_under_fives(hb, age, field):
    # Source: ranges.json haemoglobin row; under-5 cut-offs belong to the child rules.
    # given an impossible Hb or an under-5 / when classified / then refused with the field code
    with pytest.raises(InvalidRuleInput, match=rf"^{field}$"):
        classify_haemoglobin(hb_g_dl=hb, age_years=age, sex="female")


# -- BMI-for-age -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3.01, BmiForAgeCategory.SEVERE_THINNESS),
        (-3.0, BmiForAgeCategory.THINNESS),
        (-2.01, BmiForAgeCategory.THINNESS),
        (-2.0, BmiForAgeCategory.NORMAL),
        (1.0, BmiForAgeCategory.NORMAL),
        (1.01, BmiForAgeCategory.OVERWEIGHT),
        (2.0, BmiForAgeCategory.OVERWEIGHT),
        (2.01, BmiForAgeCategory.OBESE),
    ],
)
def test_bmi_for_age_bands(z, expected):
    # Source: Juknis ILP .../01-skrining-imunisasi/05-skrining-obesitas.mdx (IMT/U 5-18 y); <-3 per Permenkes 2/2020.
    # given a BMI-for-age z-score / when classified / then the Juknis band
    assert classify_bmi_for_age(z_score=z, age_years=10).category is expected


def test_bmi_for_age_follow_up_and_age_limits():
    # Source: 05-skrining-obesitas.mdx: obese -> education and 3-month monitoring; thinness -> nutritionist.
    # given an obese and a thin child / when classified / then their follow-up; a 4-year-old is refused
    assert classify_bmi_for_age(z_score=2.5, age_years=9).follow_up == (
        FollowUp.LIFESTYLE_EDUCATION,
        FollowUp.RECHECK_IN_3_MONTHS,
    )
    assert classify_bmi_for_age(z_score=-2.5, age_years=9).follow_up == (FollowUp.FIND_CAUSE_AND_REFER_NUTRITIONIST,)
    with pytest.raises(InvalidRuleInput, match=r"^age_years$"):
        classify_bmi_for_age(z_score=0, age_years=4.9)


# -- blood pressure ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "diastolic", "expected"),
    [
        (119, 79, ChildBloodPressureCategory.NORMAL),
        (120, 79, ChildBloodPressureCategory.ELEVATED),
        (129, 79, ChildBloodPressureCategory.ELEVATED),
        (130, 79, ChildBloodPressureCategory.STAGE_1),
        (119, 80, ChildBloodPressureCategory.STAGE_1),
        (139, 89, ChildBloodPressureCategory.STAGE_1),
        (140, 70, ChildBloodPressureCategory.STAGE_2),
        (115, 90, ChildBloodPressureCategory.STAGE_2),
    ],
)
def test_adolescent_blood_pressure_from_13(systolic, diastolic, expected):
    # Source: Juknis ILP .../01-skrining-imunisasi/07-skrining-ht.mdx Tabel 15 (AAP 2017, >=13 y;
    # stage 1 upper 139, the transcription's 138 is a typo).
    # given a reading of a 14-year-old / when classified / then the AAP stage
    assert (
        classify_child_blood_pressure(systolic=systolic, diastolic=diastolic, age_years=14, sex="male").category
        is expected
    )


@pytest.mark.parametrize(
    ("age", "sex", "systolic", "diastolic", "expected"),
    [
        (7.5, "male", 105, 67, ChildBloodPressureCategory.NORMAL),
        (7.5, "male", 106, 67, ChildBloodPressureCategory.ABOVE_SCREENING_THRESHOLD),
        (7.5, "male", 105, 68, ChildBloodPressureCategory.ABOVE_SCREENING_THRESHOLD),
        (9.0, "male", 107, 69, ChildBloodPressureCategory.ABOVE_SCREENING_THRESHOLD),
        (9.0, "female", 107, 70, ChildBloodPressureCategory.NORMAL),
        (12.9, "female", 113, 74, ChildBloodPressureCategory.NORMAL),
        (12.9, "female", 114, 74, ChildBloodPressureCategory.ABOVE_SCREENING_THRESHOLD),
        (13.0, "female", 119, 79, ChildBloodPressureCategory.NORMAL),
    ],
)
def test_child_blood_pressure_simplified_table_under_13(age, sex, systolic, diastolic, expected):
    # Source: 07-skrining-ht.mdx Tabel 14 (AAP 2017 simplified table by age and sex, 7-12 y).
    # given a reading / when classified / then normal below the table value, otherwise needs evaluation
    result = classify_child_blood_pressure(systolic=systolic, diastolic=diastolic, age_years=age, sex=sex)
    assert result.category is expected


def test_child_bp_table_matches_the_juknis_rows():
    # Source: 07-skrining-ht.mdx Tabel 14: 7 y 106/68 ... 12 y girls 114/75.
    # given the loaded table / then spot values match the Juknis
    assert CHILD_BP_SCREENING_TABLE[(7, Sex.MALE)] == (106, 68)
    assert CHILD_BP_SCREENING_TABLE[(9, Sex.FEMALE)] == (108, 71)
    assert CHILD_BP_SCREENING_TABLE[(12, Sex.FEMALE)] == (114, 75)
    assert len(CHILD_BP_SCREENING_TABLE) == 12


def test_child_blood_pressure_follow_up_and_refusals():
    # Source: 07-skrining-ht.mdx: elevated -> monthly monitoring; stage 1-2 -> diagnosis at FKTP/FKRTL.
    # given an elevated and a stage-2 reading / when classified / then their follow-up; ages <7 refused
    elevated = classify_child_blood_pressure(systolic=125, diastolic=70, age_years=15, sex="female")
    assert elevated.follow_up == (FollowUp.LIFESTYLE_EDUCATION, FollowUp.MONTHLY_MONITORING)
    stage_2 = classify_child_blood_pressure(systolic=150, diastolic=95, age_years=15, sex="female")
    assert stage_2.follow_up == (FollowUp.REFER_FOR_DIAGNOSIS,)
    with pytest.raises(InvalidRuleInput, match=r"^age_years$"):
        classify_child_blood_pressure(systolic=100, diastolic=60, age_years=6.9, sex="female")
    with pytest.raises(InvalidRuleInput, match=r"^blood_pressure$"):
        classify_child_blood_pressure(systolic=100, diastolic=100, age_years=10, sex="female")


_CHILD_ORDER = [
    ChildBloodPressureCategory.NORMAL,
    ChildBloodPressureCategory.ELEVATED,
    ChildBloodPressureCategory.STAGE_1,
    ChildBloodPressureCategory.STAGE_2,
]


@given(systolic=st.integers(90, 200), bump=st.integers(0, 50), diastolic=st.integers(40, 70))
def test_adolescent_bp_category_is_monotonic_in_systolic(systolic, bump, diastolic):
    # Source: 07-skrining-ht.mdx Tabel 15: stages are ordered by systolic thresholds.
    # given two systolic values at the same diastolic / when classified / then the higher is never milder
    low = classify_child_blood_pressure(systolic=systolic, diastolic=diastolic, age_years=15, sex="male")
    high = classify_child_blood_pressure(systolic=systolic + bump, diastolic=diastolic, age_years=15, sex="male")
    assert _CHILD_ORDER.index(high.category) >= _CHILD_ORDER.index(low.category)


# -- SDQ ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "age", "expected"),
    [
        (13, 10, SdqBand.NORMAL),
        (14, 10, SdqBand.BORDERLINE),
        (15, 10, SdqBand.BORDERLINE),
        (16, 10, SdqBand.ABNORMAL),
        (15, 11, SdqBand.NORMAL),
        (16, 11, SdqBand.BORDERLINE),
        (19, 18, SdqBand.BORDERLINE),
        (20, 18, SdqBand.ABNORMAL),
        (0, 4, SdqBand.NORMAL),
        (40, 17, SdqBand.ABNORMAL),
    ],
)
def test_sdq_bands_by_age(score, age, expected):
    # Source: Kemenkes Dit. Keswa 2022 slides (ILP.md 2.4): <11 y 0-13/14-15/16-40; 11-18 y 0-15/16-19/20-40.
    # given a total difficulties score and age / when classified / then the band
    assert classify_sdq(total_difficulties=score, age_years=age) is expected


def test_sdq_bands_are_configurable():
    # Source: ILP.md 2.4 marks the SDQ bands as secondary (◐).
    # given a table with normal up to 16 for 11-18 y / when 16 is classified / then normal
    custom = tuple(SdqCutoff(c.group, c.min_age_years, c.max_age_years, 16, 19) for c in SDQ_CUTOFFS)
    assert classify_sdq(total_difficulties=16, age_years=12) is SdqBand.BORDERLINE
    assert classify_sdq(total_difficulties=16, age_years=12, cutoffs=custom) is SdqBand.NORMAL


@pytest.mark.parametrize(
    ("score", "age", "field"),
    [(41, 10, "total_difficulties"), (-1, 10, "total_difficulties"), (10, 3, "age_years"), (10, 19, "age_years")],
)
def test_sdq_refuses_out_of_range_inputs(score, age, field):
    # Source: SDQ total difficulties is 0-40, for ages 4-18 (07-skrining-jiwa.mdx via ILP.md 2.4).
    # given an invalid score or age / when classified / then refused with the field code
    with pytest.raises(InvalidRuleInput, match=rf"^{field}$"):
        classify_sdq(total_difficulties=score, age_years=age)
