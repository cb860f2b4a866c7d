"""Adult screening rules (ilp.lifecycle.rules.adult and adult_screening) at every threshold.

Sources named per test: Juknis ILP (KMK HK.01.07/MENKES/2015/2023) files under ``docs/ILP/`` of the
transcription ``mlengse/ilp-docs``, and ILP.md section 2.4 where the file is not transcribed.
"""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ilp.lifecycle.rules.adult import (
    BloodPressureCategory as BP,
)
from ilp.lifecycle.rules.adult import (
    BmiCategory,
    BmiRuleSet,
    CentralObesityCutoffs,
    DiabetesScreeningReason,
    FollowUp,
    GlucoseTest,
    GlycaemiaCategory,
    body_mass_index,
    classify_blood_pressure,
    classify_bmi,
    classify_glucose,
    diabetes_screening_reasons,
    has_central_obesity,
)
from ilp.lifecycle.rules.adult_screening import (
    BREAST_SCREENING,
    CERVICAL_SCREENING,
    CancerScreeningParameters,
    PumaParameters,
    PumaRisk,
    ScreeningDue,
    Srq20Parameters,
    Srq20Result,
    TbParameters,
    TbScreeningResult,
    TbSymptoms,
    breast_cancer_screening,
    cervical_cancer_high_risk,
    cervical_cancer_screening,
    pack_years,
    score_puma,
    score_srq20,
    screen_tb,
)
from ilp.lifecycle.rules.ranges import InvalidRuleInput

# -- blood pressure: 02-skrining-hipertensi.mdx (table as recorded in ILP.md 2.4) ---------------------


@pytest.mark.parametrize(
    ("systolic", "diastolic", "expected"),
    [
        (119, 79, BP.OPTIMAL),
        (120, 79, BP.NORMAL),
        (119, 80, BP.NORMAL),
        (129, 84, BP.NORMAL),
        (130, 84, BP.HIGH_NORMAL),
        (129, 85, BP.HIGH_NORMAL),
        (139, 89, BP.HIGH_NORMAL),
        (140, 90, BP.HYPERTENSION_GRADE_1),
        (139, 90, BP.HYPERTENSION_GRADE_1),
        (159, 99, BP.HYPERTENSION_GRADE_1),
        (160, 100, BP.HYPERTENSION_GRADE_2),
        (150, 100, BP.HYPERTENSION_GRADE_2),
        (179, 109, BP.HYPERTENSION_GRADE_2),
        (180, 110, BP.HYPERTENSION_GRADE_3),
        (170, 110, BP.HYPERTENSION_GRADE_3),
        (140, 89, BP.ISOLATED_SYSTOLIC_HYPERTENSION),
        (185, 70, BP.ISOLATED_SYSTOLIC_HYPERTENSION),
    ],
)
def test_blood_pressure_category_at_each_juknis_threshold(systolic, diastolic, expected):
    # Source: Juknis ILP 02-skrining-hipertensi.mdx via ILP.md 2.4; the higher category wins.
    # given a reading / when classified / then the Juknis category
    assert classify_blood_pressure(systolic=systolic, diastolic=diastolic).category is expected


def test_isolated_systolic_hypertension_keeps_its_grade_as_level():
    # Source: 02-skrining-hipertensi.mdx (ILP.md 2.4): isolated systolic >=140 and <90.
    # given 185/70 / when classified / then isolated systolic, graded 3 by the systolic value
    result = classify_blood_pressure(systolic=185, diastolic=70)
    assert (result.category, result.level, result.hypertensive) == (
        BP.ISOLATED_SYSTOLIC_HYPERTENSION,
        BP.HYPERTENSION_GRADE_3,
        True,
    )


@pytest.mark.parametrize(
    ("systolic", "diastolic", "follow_up"),
    [
        (118, 78, (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,)),
        (125, 82, (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,)),
        (135, 85, (FollowUp.LIFESTYLE_EDUCATION, FollowUp.MONTHLY_MONITORING)),
        (145, 92, (FollowUp.LIFESTYLE_EDUCATION, FollowUp.MONTHLY_MONITORING, FollowUp.REFER_PUSKESMAS)),
    ],
)
def test_blood_pressure_follow_up(systolic, diastolic, follow_up):
    # Source: 02-skrining-hipertensi.mdx (ILP.md 2.4): high-normal and HT: education, monthly monitoring;
    # hypertension is diagnosed by the puskesmas doctor.
    # given a reading / when classified / then the follow-up codes
    assert classify_blood_pressure(systolic=systolic, diastolic=diastolic).follow_up == follow_up


@pytest.mark.parametrize(
    ("systolic", "diastolic", "field"), [(0, 80, "systolic"), (120, 0, "diastolic"), (80, 90, "blood_pressure")]
)
def test_impossible_blood_pressure_is_refused_with_its_field(systolic, diastolic, field):
    # Source: ranges.json systolic/diastolic rows; diastolic at or above systolic is impossible.
    # given an impossible reading / when classified / then InvalidRuleInput names the field
    with pytest.raises(InvalidRuleInput, match=rf"^{field}$"):
        classify_blood_pressure(systolic=systolic, diastolic=diastolic)


_ORDER = list(BP)


@given(
    systolic=st.integers(min_value=60, max_value=250),
    bump=st.integers(min_value=0, max_value=60),
    diastolic=st.integers(min_value=30, max_value=59),
)
def test_blood_pressure_level_is_monotonic_in_systolic(systolic, bump, diastolic):
    # Source: 02-skrining-hipertensi.mdx: categories are ordered by systolic thresholds.
    # given two systolic values at the same diastolic / when classified / then the higher is never milder
    low = classify_blood_pressure(systolic=systolic, diastolic=diastolic).level
    high = classify_blood_pressure(systolic=min(systolic + bump, 300), diastolic=diastolic).level
    assert _ORDER.index(high) >= _ORDER.index(low)


# -- glucose: 03-skrining-dm.mdx (ILP.md 2.4) --------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "value", "expected"),
    [
        (GlucoseTest.RANDOM, 139, GlycaemiaCategory.NORMAL),
        (GlucoseTest.RANDOM, 140, GlycaemiaCategory.PREDIABETES),
        (GlucoseTest.RANDOM, 199, GlycaemiaCategory.PREDIABETES),
        (GlucoseTest.RANDOM, 200, GlycaemiaCategory.DIABETES),
        (GlucoseTest.FASTING, 99, GlycaemiaCategory.NORMAL),
        (GlucoseTest.FASTING, 100, GlycaemiaCategory.PREDIABETES),
        (GlucoseTest.FASTING, 125, GlycaemiaCategory.PREDIABETES),
        (GlucoseTest.FASTING, 126, GlycaemiaCategory.DIABETES),
        (GlucoseTest.HBA1C, 5.6, GlycaemiaCategory.NORMAL),
        (GlucoseTest.HBA1C, 5.7, GlycaemiaCategory.PREDIABETES),
        (GlucoseTest.HBA1C, 6.4, GlycaemiaCategory.PREDIABETES),
        (GlucoseTest.HBA1C, 6.5, GlycaemiaCategory.DIABETES),
        (GlucoseTest.OGTT_2H, 139, GlycaemiaCategory.NORMAL),
        (GlucoseTest.OGTT_2H, 200, GlycaemiaCategory.DIABETES),
    ],
)
def test_glucose_category_at_each_threshold(test, value, expected):
    # Source: Juknis ILP 03-skrining-dm.mdx via ILP.md 2.4 (GDS 140/200, GDP 100/126, HbA1c 5.7/6.5).
    # given a result / when classified / then the category
    assert classify_glucose(test=test, value=value).category is expected


def test_glucose_follow_up_per_category():
    # Source: 03-skrining-dm.mdx (ILP.md 2.4): prediabetes re-check every 3 months; diabetes to puskesmas.
    # given a prediabetic and a diabetic value / when classified / then their follow-up
    assert classify_glucose(test="fasting", value=110).follow_up == (
        FollowUp.LIFESTYLE_EDUCATION,
        FollowUp.RECHECK_IN_3_MONTHS,
    )
    assert classify_glucose(test="random", value=250).follow_up == (FollowUp.REFER_PUSKESMAS,)


@pytest.mark.parametrize(
    ("test", "value", "field"), [("random", 0, "value"), ("hba1c", 40, "value"), ("urine", 100, "test")]
)
def test_impossible_glucose_is_refused(test, value, field):
    # Source: ranges.json glucose and HbA1c rows.
    # given an impossible value or unknown test / when classified / then refused with the field code
    with pytest.raises(InvalidRuleInput, match=rf"^{field}$"):
        classify_glucose(test=test, value=value)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"age_years": 39.9}, ()),
        ({"age_years": 40}, (DiabetesScreeningReason.AGE_40_PLUS,)),
        ({"age_years": 65}, (DiabetesScreeningReason.AGE_40_PLUS,)),
        ({"age_years": 15, "obese": True}, (DiabetesScreeningReason.OBESITY,)),
        ({"age_years": 14.9, "obese": True}, ()),
        ({"age_years": 30, "central_obesity": True}, (DiabetesScreeningReason.CENTRAL_OBESITY,)),
        ({"age_years": 30, "high_blood_pressure": True}, (DiabetesScreeningReason.HIGH_BLOOD_PRESSURE,)),
        ({"age_years": 22, "tb_patient": True}, (DiabetesScreeningReason.TB_PATIENT,)),
    ],
)
def test_who_needs_diabetes_screening(kwargs, expected):
    # Source: 03-skrining-dm.mdx (ILP.md 2.4): all >=40; 15-<40 with obesity/central obesity/high BP; TB.
    # given a person / when asked / then the reasons (empty: no indication)
    assert diabetes_screening_reasons(**kwargs) == expected


# -- BMI and waist: 01-skrining-obesitas.md; Permenkes 41/2014 ---------------------------------------


@pytest.mark.parametrize(
    ("bmi", "expected"),
    [
        (18.49, BmiCategory.UNDERWEIGHT),
        (18.5, BmiCategory.NORMAL),
        (22.99, BmiCategory.NORMAL),
        (23.0, BmiCategory.OVERWEIGHT_AT_RISK),
        (24.99, BmiCategory.OVERWEIGHT_AT_RISK),
        (25.0, BmiCategory.OBESE_1),
        (29.99, BmiCategory.OBESE_1),
        (30.0, BmiCategory.OBESE_2),
    ],
)
def test_bmi_asia_pacific_default(bmi, expected):
    # Source: Juknis ILP 03-klaster-3/.../01-skrining-obesitas.md (Asia-Pacific WHO 2000; obese I from 25).
    # given a BMI / when classified with the default rule set / then the Asia-Pacific category
    assert classify_bmi(bmi=bmi) is expected


@pytest.mark.parametrize(
    ("bmi", "expected"),
    [
        (16.99, BmiCategory.THIN_SEVERE),
        (17.0, BmiCategory.THIN_MILD),
        (18.49, BmiCategory.THIN_MILD),
        (18.5, BmiCategory.NORMAL),
        (25.0, BmiCategory.NORMAL),
        (25.01, BmiCategory.OVERWEIGHT),
        (27.0, BmiCategory.OVERWEIGHT),
        (27.01, BmiCategory.OBESE),
    ],
)
def test_bmi_kemenkes_gizi_seimbang_rule_set(bmi, expected):
    # Source: Permenkes 41/2014 Pedoman Gizi Seimbang (normal 18.5-25.0, gemuk >25-27, obesitas >27).
    # given a BMI / when classified with the Kemenkes rule set / then its category
    assert classify_bmi(bmi=bmi, rule_set=BmiRuleSet.KEMENKES_PGS_2014) is expected


def test_bmi_rule_set_changes_the_outcome():
    # Source: 01-skrining-obesitas.md vs Permenkes 41/2014: 25.0 is obese I in one, normal in the other.
    # given BMI 25.0 / when classified under both rule sets / then the outcomes differ
    assert classify_bmi(bmi=25.0) is BmiCategory.OBESE_1
    assert classify_bmi(bmi=25.0, rule_set="kemenkes_pgs_2014") is BmiCategory.NORMAL


def test_body_mass_index_and_its_refusals():
    # Source: 01-skrining-obesitas.md formula; ranges.json weight/height rows.
    # given 70 kg and 175 cm / when computed / then 22.86; an impossible height is refused
    assert body_mass_index(weight_kg=70, height_cm=175) == pytest.approx(22.857, abs=1e-3)
    with pytest.raises(InvalidRuleInput, match=r"^height_cm$"):
        body_mass_index(weight_kg=70, height_cm=300)
    with pytest.raises(InvalidRuleInput, match=r"^weight_kg$"):
        body_mass_index(weight_kg=0, height_cm=170)


@pytest.mark.parametrize(
    ("waist", "sex", "expected"),
    [(90, "male", False), (90.1, "male", True), (80, "female", False), (80.1, "female", True)],
)
def test_central_obesity_cutoffs(waist, sex, expected):
    # Source: 01-skrining-obesitas.md Tabel 21 (>90 cm men, >80 cm women).
    # given a waist / when checked / then central obesity only above the cut-off
    assert has_central_obesity(waist_cm=waist, sex=sex) is expected


def test_central_obesity_cutoffs_are_configurable_and_sex_is_validated():
    # Source: 01-skrining-obesitas.md; cut-offs as a parameter object.
    # given a stricter cut-off / when checked / then the outcome changes; an unknown sex is refused
    assert has_central_obesity(waist_cm=85, sex="male", cutoffs=CentralObesityCutoffs(male_above_cm=80)) is True
    with pytest.raises(InvalidRuleInput, match=r"^sex$"):
        has_central_obesity(waist_cm=85, sex="x")


# -- PUMA: 09-form-table/04-kuesioner-puma.mdx -------------------------------------------------------


def _puma(**overrides):
    answers = {
        "sex": "female",
        "age_years": 45,
        "dyspnoea": False,
        "sputum": False,
        "cough": False,
        "previous_spirometry": False,
    }
    return score_puma(**{**answers, **overrides})


@pytest.mark.parametrize(
    ("overrides", "score"),
    [
        ({}, 0),
        ({"sex": "male"}, 1),
        ({"age_years": 49.9}, 0),
        ({"age_years": 50}, 1),
        ({"age_years": 59.9}, 1),
        ({"age_years": 60}, 2),
        ({"smoking_years": 19, "cigarettes_per_day": 20}, 0),
        ({"smoking_years": 20, "cigarettes_per_day": 20}, 1),
        ({"smoking_years": 30, "cigarettes_per_day": 20}, 1),
        ({"smoking_years": 31, "cigarettes_per_day": 20}, 2),
        ({"dyspnoea": True, "sputum": True, "cough": True, "previous_spirometry": True}, 4),
    ],
)
def test_puma_item_points(overrides, score):
    # Source: Juknis ILP 09-form-table/04-kuesioner-puma.mdx (bands: age 40-49/50-59/>=60; pack-years <20/20-30/>30).
    # given answers / when scored / then the total
    assert _puma(**overrides).score == score


def test_puma_pack_years_formula():
    # Source: 04-kuesioner-puma.mdx: pack-year = years x cigarettes per day / 20.
    # given 15 years of 10 a day / when computed / then 7.5 pack-years
    assert pack_years(smoking_years=15, cigarettes_per_day=10) == 7.5


def test_puma_cut_off_at_six_and_configurable():
    # Source: 04-kuesioner-puma.mdx (<6 low, >=6 high); a circulating form uses >7.
    # given a score of 5 and of 6 / when scored / then low and high risk; with cut-off 8, 6 is low
    five = _puma(sex="male", age_years=60, dyspnoea=True, sputum=True)
    six = _puma(sex="male", age_years=60, dyspnoea=True, sputum=True, cough=True)
    assert (five.score, five.risk) == (5, PumaRisk.LOW)
    assert (six.score, six.risk) == (6, PumaRisk.HIGH)
    assert six.follow_up == (
        FollowUp.SMOKING_CESSATION_COUNSELLING,
        FollowUp.SPIROMETRY_IF_AVAILABLE,
        FollowUp.REFER_FKRTL,
    )
    strict = _puma(sex="male", age_years=60, dyspnoea=True, sputum=True, cough=True, parameters=PumaParameters(8))
    assert strict.risk is PumaRisk.LOW


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"age_years": 39.9}, "age_years"),
        ({"smoking_years": -1}, "smoking_years"),
        ({"cigarettes_per_day": 500}, "cigarettes_per_day"),
    ],
)
def test_puma_refuses_invalid_answers(overrides, field):
    # Source: 04-kuesioner-puma.mdx "Dilakukan pada subjek berumur >=40 tahun".
    # given an invalid answer / when scored / then refused with the field code
    with pytest.raises(InvalidRuleInput, match=rf"^{field}$"):
        _puma(**overrides)


# -- SRQ-20: 07-skrining-jiwa.mdx Tabel 26 -----------------------------------------------------------


def _srq(yes_items):
    return [i + 1 in yes_items for i in range(20)]


@pytest.mark.parametrize(
    ("yes_items", "expected"),
    [({1, 2, 3, 4, 5}, Srq20Result.NORMAL), ({1, 2, 3, 4, 5, 6}, Srq20Result.POTENTIAL_PROBLEM)],
)
def test_srq20_cut_off_at_six(yes_items, expected):
    # Source: Juknis ILP 07-skrining-jiwa.mdx Tabel 26: <6 normal, >=6 potential problem.
    # given 5 or 6 yes answers / when scored / then normal or potential problem
    assert score_srq20(answers=_srq(yes_items)).result is expected


def test_srq20_item_17_alone_is_abnormal():
    # Source: 07-skrining-jiwa.mdx Tabel 26: "<6 namun pertanyaan nomor 17 diisi Ya" is abnormal.
    # given only item 17 (thoughts of ending life) answered yes / when scored / then potential problem
    outcome = score_srq20(answers=_srq({17}))
    assert (outcome.score, outcome.result, outcome.suicidal_ideation) == (1, Srq20Result.POTENTIAL_PROBLEM, True)


def test_srq20_cut_off_is_configurable():
    # Source: 07-skrining-jiwa.mdx prose says "> 6" while Tabel 26 says >=6.
    # given 6 yes answers / when scored with cut-off 7 / then normal
    assert score_srq20(answers=_srq(set(range(1, 7))), parameters=Srq20Parameters(7)).result is Srq20Result.NORMAL


@pytest.mark.parametrize("answers", [[False] * 19, [False] * 21, [0] * 20])
def test_srq20_refuses_malformed_answers(answers):
    # Source: 09-form-table/12-skrining-jiwa.mdx: 20 yes/no items.
    # given the wrong number or type of answers / when scored / then refused
    with pytest.raises(InvalidRuleInput, match=r"^answers$"):
        score_srq20(answers=answers)


# -- TB: 10-skrining-tb.mdx and Bab IV ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "contact", "expected"),
    [
        (TbSymptoms(), False, TbScreeningResult.NOT_PRESUMPTIVE),
        (TbSymptoms(cough_days=13), False, TbScreeningResult.NOT_PRESUMPTIVE),
        (TbSymptoms(cough_days=14), False, TbScreeningResult.PRESUMPTIVE),
        (TbSymptoms(cough_days=3, night_sweats=True), False, TbScreeningResult.PRESUMPTIVE),
        (TbSymptoms(unexplained_fever=True), False, TbScreeningResult.PRESUMPTIVE),
        (TbSymptoms(chest_xray_suggestive=True), False, TbScreeningResult.PRESUMPTIVE),
        (TbSymptoms(), True, TbScreeningResult.CLOSE_CONTACT),
        (TbSymptoms(cough_days=20), True, TbScreeningResult.PRESUMPTIVE),
    ],
)
def test_tb_symptom_screening(symptoms, contact, expected):
    # Source: 10-skrining-tb.mdx (three results); Bab IV 02-balita-pra-sekolah/10-skrining-tb.mdx
    # (terduga = at least one symptom or sign; kontak erat without symptoms); school-age 02-skrining-tb.mdx.
    # given symptoms and contact history / when screened / then the result
    assert screen_tb(symptoms=symptoms, close_contact=contact).result is expected


def test_tb_cough_duration_is_configurable():
    # Source: the ILP TB form 09-form-table/01-form-tb/form.mdx counts any cough; Bab IV counts >=2 weeks.
    # given a 3-day cough alone / when screened with cough_min_days=1 / then presumptive
    outcome = screen_tb(symptoms=TbSymptoms(cough_days=3), close_contact=False, parameters=TbParameters(1))
    assert outcome.result is TbScreeningResult.PRESUMPTIVE
    assert outcome.follow_up == (FollowUp.SPUTUM_TEST,)


def test_tb_refuses_negative_cough_days():
    # Source: 10-skrining-tb.mdx; a duration cannot be negative.
    # given a negative cough duration / when screened / then refused
    with pytest.raises(InvalidRuleInput, match=r"^cough_days$"):
        screen_tb(symptoms=TbSymptoms(cough_days=-1), close_contact=False)


# -- breast and cervical cancer ----------------------------------------------------------------------

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("sex", "age", "last", "status", "next_due"),
    [
        ("female", 15.0, None, ScreeningDue.NOT_ELIGIBLE, None),
        ("female", 15.1, None, ScreeningDue.DUE, TODAY),
        ("male", 40, None, ScreeningDue.NOT_ELIGIBLE, None),
        ("female", 40, date(2022, 6, 2), ScreeningDue.UP_TO_DATE, date(2025, 6, 2)),
        ("female", 40, date(2022, 6, 1), ScreeningDue.DUE, date(2025, 6, 1)),
    ],
)
def test_breast_sadanis_every_three_years_for_women_over_15(sex, age, last, status, next_due):
    # Source: Juknis ILP 03-klaster-3/.../06-skrining-kanker/01-skrining-kanker-payudara.mdx.
    # given a person and her last SADANIS / when scheduled / then status and next due date
    schedule = breast_cancer_screening(sex=sex, age_years=age, last_screened_on=last, today=TODAY)
    assert (schedule.status, schedule.next_due_on) == (status, next_due)


def test_breast_abnormal_self_exam_makes_sadanis_due_now_and_age_is_configurable():
    # Source: 01-skrining-kanker-payudara.mdx ("atau lebih cepat apabila ditemukan kelainan ... pada SADARI");
    # PKG 2025 starts at 30.
    # given a recent SADANIS but an abnormal SADARI / when scheduled / then due today
    schedule = breast_cancer_screening(
        sex="female", age_years=40, last_screened_on=date(2025, 1, 1), today=TODAY, breast_self_exam_abnormal=True
    )
    assert (schedule.status, schedule.next_due_on) == (ScreeningDue.DUE, TODAY)
    pkg = CancerScreeningParameters(
        min_age_years=30, min_age_inclusive=True, interval_years=3, high_risk_interval_years=3
    )
    young = breast_cancer_screening(sex="female", age_years=25, last_screened_on=None, today=TODAY, parameters=pkg)
    assert young.status is ScreeningDue.NOT_ELIGIBLE
    assert BREAST_SCREENING.interval_years == 3


@pytest.mark.parametrize(
    ("age", "active", "high_risk", "last", "status", "next_due"),
    [
        (30.0, True, False, None, ScreeningDue.NOT_ELIGIBLE, None),
        (30.5, True, False, None, ScreeningDue.DUE, TODAY),
        (45, False, False, None, ScreeningDue.NOT_ELIGIBLE, None),
        (45, True, False, date(2024, 6, 1), ScreeningDue.UP_TO_DATE, date(2027, 6, 1)),
        (45, True, True, date(2024, 6, 1), ScreeningDue.DUE, date(2025, 6, 1)),
        (45, True, True, date(2024, 6, 2), ScreeningDue.UP_TO_DATE, date(2025, 6, 2)),
    ],
)
def test_cervical_iva_schedule(age, active, high_risk, last, status, next_due):
    # Source: 06-skrining-kanker/02-skrining-kanker-leher-rahim.mdx via ILP.md 2.4 (>30, sexual contact,
    # IVA every 3 years, yearly for high risk).
    # given a woman / when scheduled / then status and next due date
    schedule = cervical_cancer_screening(
        sex="female",
        age_years=age,
        ever_sexually_active=active,
        high_risk=high_risk,
        last_screened_on=last,
        today=TODAY,
    )
    assert (schedule.status, schedule.next_due_on) == (status, next_due)


def test_cervical_minimum_age_edge_is_configurable_and_risk_helper():
    # Source: ILP.md 2.4 ">30"; PKG 2025 Juknis "mulai usia 30" (inclusive).
    # given a woman of exactly 30 / when the inclusive parameter is used / then due
    inclusive = CancerScreeningParameters(30, True, CERVICAL_SCREENING.interval_years, 1)
    schedule = cervical_cancer_screening(
        sex="female",
        age_years=30,
        ever_sexually_active=True,
        high_risk=False,
        last_screened_on=None,
        today=TODAY,
        parameters=inclusive,
    )
    assert schedule.status is ScreeningDue.DUE
    assert cervical_cancer_high_risk(first_sex_before_18=True) is True
    assert cervical_cancer_high_risk() is False


def test_leap_day_due_date_and_future_screening_refused():
    # Source: 01-skrining-kanker-payudara.mdx (3-year interval); a screening cannot be in the future.
    # given a SADANIS on 29 Feb 2024 / when scheduled / then next due 28 Feb 2027; a future date is refused
    schedule = breast_cancer_screening(sex="female", age_years=40, last_screened_on=date(2024, 2, 29), today=TODAY)
    assert schedule.next_due_on == date(2027, 2, 28)
    with pytest.raises(InvalidRuleInput, match=r"^last_screened_on$"):
        breast_cancer_screening(sex="female", age_years=40, last_screened_on=date(2026, 1, 1), today=TODAY)
