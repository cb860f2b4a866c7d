"""Screening rules for adults (age 15 and over; the elderly from 60 are adults too).

Source: Juknis ILP, KMK HK.01.07/MENKES/2015/2023, Bab Klaster 3 (transcribed in GitHub
``mlengse/ilp-docs``, ``docs/ILP/03-klaster-3/...``). This module holds the measurement rules (blood
pressure, glucose, who needs diabetes screening, BMI, waist) and the ``FollowUp`` codes; the
questionnaire and schedule rules (PUMA, SRQ-20, TB symptoms, breast and cervical cancer) are in
``adult_screening`` to keep both modules small.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from ilp.lifecycle.rules.common import Sex
from ilp.lifecycle.rules.ranges import (
    InvalidRuleInput,
    ObservationKind,
    coerce_sex,
    require_number,
    require_possible,
    require_possible_blood_pressure,
)


class FollowUp(StrEnum):
    """Follow-up codes shared by the adult, adolescent and elderly rules; the web layer labels them."""

    MAINTAIN_HEALTHY_LIFESTYLE = "maintain_healthy_lifestyle"
    LIFESTYLE_EDUCATION = "lifestyle_education"
    MONTHLY_MONITORING = "monthly_monitoring"
    RECHECK_IN_3_MONTHS = "recheck_in_3_months"
    REFER_PUSKESMAS = "refer_puskesmas"
    REFER_PUSTU_OR_PUSKESMAS = "refer_pustu_or_puskesmas"
    REFER_FKRTL = "refer_fkrtl"
    REFER_FOR_DIAGNOSIS = "refer_for_diagnosis"
    SMOKING_HAZARD_EDUCATION = "smoking_hazard_education"
    SMOKING_CESSATION_COUNSELLING = "smoking_cessation_counselling"
    SPIROMETRY_IF_AVAILABLE = "spirometry_if_available"
    MENTAL_HEALTH_EDUCATION = "mental_health_education"
    FURTHER_MENTAL_HEALTH_ASSESSMENT = "further_mental_health_assessment"
    SPUTUM_TEST = "sputum_test"
    TB_PREVENTIVE_THERAPY_ASSESSMENT = "tb_preventive_therapy_assessment"
    TB_PREVENTION_EDUCATION = "tb_prevention_education"
    FIND_CAUSE_AND_REFER_NUTRITIONIST = "find_cause_and_refer_nutritionist"
    ELDERLY_GROUP_ACTIVITIES = "elderly_group_activities"
    HOMECARE = "homecare"
    FURTHER_SCREENING_BY_HEALTH_WORKER = "further_screening_by_health_worker"


ADULT_MIN_AGE_YEARS = 15


# -- blood pressure ----------------------------------------------------------------------------------


class BloodPressureCategory(StrEnum):
    OPTIMAL = "optimal"
    NORMAL = "normal"
    HIGH_NORMAL = "high_normal"
    HYPERTENSION_GRADE_1 = "hypertension_grade_1"
    HYPERTENSION_GRADE_2 = "hypertension_grade_2"
    HYPERTENSION_GRADE_3 = "hypertension_grade_3"
    ISOLATED_SYSTOLIC_HYPERTENSION = "isolated_systolic_hypertension"


_BP = BloodPressureCategory
_BP_ORDER = (_BP.OPTIMAL, _BP.NORMAL, _BP.HIGH_NORMAL, _BP.HYPERTENSION_GRADE_1, _BP.HYPERTENSION_GRADE_2)
_SYSTOLIC_UPPER = (120, 130, 140, 160, 180)
_DIASTOLIC_UPPER = (80, 85, 90, 100, 110)
_HYPERTENSIVE = frozenset(
    {_BP.HYPERTENSION_GRADE_1, _BP.HYPERTENSION_GRADE_2, _BP.HYPERTENSION_GRADE_3, _BP.ISOLATED_SYSTOLIC_HYPERTENSION}
)


def _bp_level(value: float, uppers: tuple[int, ...]) -> int:
    return next((i for i, upper in enumerate(uppers) if value < upper), len(uppers))


@dataclass(frozen=True)
class BloodPressureResult:
    category: BloodPressureCategory
    level: BloodPressureCategory  # the grade table alone (never isolated systolic): orders results by severity
    follow_up: tuple[FollowUp, ...]

    @property
    def hypertensive(self) -> bool:
        return self.category in _HYPERTENSIVE


def classify_blood_pressure(*, systolic: float, diastolic: float) -> BloodPressureResult:
    """Classify an adult's (age >= 15) blood pressure per the Juknis table.

    Source: Juknis ILP, ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/02-skrining-hipertensi.mdx``
    (table as recorded in ILP.md section 2.4; that file is not in the searchable transcription): optimal
    <120/<80; normal 120-129 and/or 80-84; high-normal 130-139/85-89; grade 1 140-159/90-99; grade 2
    160-179/100-109; grade 3 >=180/>=110; isolated systolic >=140 with <90. The higher of the systolic
    and diastolic categories wins. Follow-up at posyandu/pustu: high-normal and hypertension get
    education and monthly monitoring; hypertension is referred to the puskesmas doctor for diagnosis.
    An impossible pair (see ``ranges.check_blood_pressure``) raises ``InvalidRuleInput``.
    """
    require_possible_blood_pressure(systolic=systolic, diastolic=diastolic)
    index = max(_bp_level(systolic, _SYSTOLIC_UPPER), _bp_level(diastolic, _DIASTOLIC_UPPER))
    level = _BP_ORDER[index] if index < len(_BP_ORDER) else _BP.HYPERTENSION_GRADE_3
    category = _BP.ISOLATED_SYSTOLIC_HYPERTENSION if systolic >= 140 and diastolic < 90 else level
    if category in _HYPERTENSIVE:
        follow_up = (FollowUp.LIFESTYLE_EDUCATION, FollowUp.MONTHLY_MONITORING, FollowUp.REFER_PUSKESMAS)
    elif category is _BP.HIGH_NORMAL:
        follow_up = (FollowUp.LIFESTYLE_EDUCATION, FollowUp.MONTHLY_MONITORING)
    else:
        follow_up = (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,)
    return BloodPressureResult(category, level, follow_up)


# -- blood glucose -----------------------------------------------------------------------------------


class GlucoseTest(StrEnum):
    RANDOM = "random"  # GDS, glucometer
    FASTING = "fasting"  # GDP
    OGTT_2H = "ogtt_2h"  # TTGO 2 hours after 75 g glucose
    HBA1C = "hba1c"


class GlycaemiaCategory(StrEnum):
    NORMAL = "normal"
    PREDIABETES = "prediabetes"
    DIABETES = "diabetes"


# (prediabetes from, diabetes from) in mg/dL, HbA1c in %.
GLUCOSE_THRESHOLDS: dict[GlucoseTest, tuple[float, float]] = {
    GlucoseTest.RANDOM: (140, 200),
    GlucoseTest.FASTING: (100, 126),
    GlucoseTest.OGTT_2H: (140, 200),
    GlucoseTest.HBA1C: (5.7, 6.5),
}
_GLUCOSE_RANGE_KIND = {
    GlucoseTest.RANDOM: ObservationKind.GLUCOSE_RANDOM_MG_DL,
    GlucoseTest.FASTING: ObservationKind.GLUCOSE_FASTING_MG_DL,
    GlucoseTest.OGTT_2H: ObservationKind.GLUCOSE_RANDOM_MG_DL,
    GlucoseTest.HBA1C: ObservationKind.HBA1C_PERCENT,
}


@dataclass(frozen=True)
class GlucoseResult:
    test: GlucoseTest
    category: GlycaemiaCategory
    follow_up: tuple[FollowUp, ...]


def classify_glucose(*, test: GlucoseTest | str, value: float) -> GlucoseResult:
    """Classify one glucose or HbA1c result.

    Source: Juknis ILP ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/03-skrining-dm.mdx`` (as
    recorded in ILP.md section 2.4; the file is not in the searchable transcription): diabetes GDS >=200
    mg/dL (with classic symptoms), GDP >=126, 2-h OGTT >=200, HbA1c >=6.5 %; prediabetes GDS 140-199,
    GDP 100-125, HbA1c 5.7-6.4. The OGTT prediabetes band 140-199 (impaired glucose tolerance) is
    PERKENI 2021's, not read in the Juknis. Prediabetes: lifestyle advice and a re-check every 3 months;
    diabetes: refer to the puskesmas. Impossible values (``ranges``) raise ``InvalidRuleInput("value")``.
    """
    try:
        test = GlucoseTest(test)
    except ValueError:
        raise InvalidRuleInput("test") from None
    value = require_possible(_GLUCOSE_RANGE_KIND[test], value, field="value")
    prediabetes_from, diabetes_from = GLUCOSE_THRESHOLDS[test]
    if value >= diabetes_from:
        return GlucoseResult(test, GlycaemiaCategory.DIABETES, (FollowUp.REFER_PUSKESMAS,))
    if value >= prediabetes_from:
        follow_up = (FollowUp.LIFESTYLE_EDUCATION, FollowUp.RECHECK_IN_3_MONTHS)
        return GlucoseResult(test, GlycaemiaCategory.PREDIABETES, follow_up)
    return GlucoseResult(test, GlycaemiaCategory.NORMAL, (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,))


class DiabetesScreeningReason(StrEnum):
    AGE_40_PLUS = "age_40_plus"
    OBESITY = "obesity"
    CENTRAL_OBESITY = "central_obesity"
    HIGH_BLOOD_PRESSURE = "high_blood_pressure"
    TB_PATIENT = "tb_patient"


def diabetes_screening_reasons(
    *,
    age_years: float,
    obese: bool = False,
    central_obesity: bool = False,
    high_blood_pressure: bool = False,
    tb_patient: bool = False,
) -> tuple[DiabetesScreeningReason, ...]:
    """Why a person should have the yearly diabetes screening; an empty tuple means no indication.

    Source: Juknis ILP ``03-skrining-dm.mdx`` (as recorded in ILP.md section 2.4): everyone aged >=40;
    aged 15 to <40 with a PTM risk factor (obesity, central obesity, high blood pressure); every TB
    patient. Below age 15 the adult rule does not apply (school-age DM screening is a separate file).
    """
    age = require_number(age_years, field="age_years")
    if age < ADULT_MIN_AGE_YEARS:
        return ()
    flags = (
        (age >= 40, DiabetesScreeningReason.AGE_40_PLUS),
        (obese, DiabetesScreeningReason.OBESITY),
        (central_obesity, DiabetesScreeningReason.CENTRAL_OBESITY),
        (high_blood_pressure, DiabetesScreeningReason.HIGH_BLOOD_PRESSURE),
        (tb_patient, DiabetesScreeningReason.TB_PATIENT),
    )
    return tuple(reason for flag, reason in flags if flag)


# -- body mass index and waist -----------------------------------------------------------------------


class BmiRuleSet(StrEnum):
    ASIA_PACIFIC_WHO_2000 = "asia_pacific_who_2000"
    KEMENKES_PGS_2014 = "kemenkes_pgs_2014"


class BmiCategory(StrEnum):
    UNDERWEIGHT = "underweight"
    THIN_SEVERE = "thin_severe"
    THIN_MILD = "thin_mild"
    NORMAL = "normal"
    OVERWEIGHT_AT_RISK = "overweight_at_risk"
    OVERWEIGHT = "overweight"
    OBESE_1 = "obese_1"
    OBESE_2 = "obese_2"
    OBESE = "obese"


# The Juknis's own rule set; a Dinkes preferring the gizi-seimbang categories passes the other name.
DEFAULT_BMI_RULE_SET = BmiRuleSet.ASIA_PACIFIC_WHO_2000
BMI_OBESE_CATEGORIES = frozenset({BmiCategory.OBESE_1, BmiCategory.OBESE_2, BmiCategory.OBESE})

_ADULT_DATA = json.loads(resources.files(__package__).joinpath("data/adult.json").read_text(encoding="utf-8"))
BMI_RULE_SETS: dict[BmiRuleSet, tuple[tuple[BmiCategory, float | None, bool], ...]] = {
    BmiRuleSet(name): tuple(
        (BmiCategory(band["category"]), band["upper"], band["upper_inclusive"]) for band in rule_set["bands"]
    )
    for name, rule_set in _ADULT_DATA["bmi_rule_sets"].items()
}


def body_mass_index(*, weight_kg: float, height_cm: float) -> float:
    """BMI = weight (kg) / height (m)^2, unrounded.

    Source: Juknis ILP ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/01-skrining-obesitas.md``
    (formula). Impossible weights or heights (``ranges``) raise ``InvalidRuleInput``.
    """
    weight = require_possible(ObservationKind.WEIGHT_KG, weight_kg, field="weight_kg")
    height = require_possible(ObservationKind.LENGTH_HEIGHT_CM, height_cm, field="height_cm")
    return weight / (height / 100) ** 2


def classify_bmi(*, bmi: float, rule_set: BmiRuleSet | str = DEFAULT_BMI_RULE_SET) -> BmiCategory:
    """Classify an adult's BMI under a named rule set (configurable: the sources disagree).

    Sources: ``asia_pacific_who_2000`` (default) is the Juknis ILP table in ``01-skrining-obesitas.md``
    (The Asia-Pacific Perspective, WHO 2000): <18.5 underweight, 18.5-22.9 normal, 23-24.9 overweight
    at risk, 25-29.9 obese I, >=30 obese II; the transcription's "Obesitas I = 23-29,9" is a typo.
    ``kemenkes_pgs_2014`` is Permenkes 41/2014 Pedoman Gizi Seimbang (secondary copies only): <17 thin
    (severe), 17-<18.5 thin (mild), 18.5-25.0 normal, >25-27 overweight, >27 obese. Bands are in
    ``data/adult.json``.
    """
    value = require_number(bmi, field="bmi")
    try:
        bands = BMI_RULE_SETS[BmiRuleSet(rule_set)]
    except ValueError:
        raise InvalidRuleInput("rule_set") from None
    for category, upper, inclusive in bands:
        if upper is None or value < upper or (inclusive and value == upper):
            return category
    raise AssertionError("the last band of every BMI rule set is open-ended")


@dataclass(frozen=True)
class CentralObesityCutoffs:
    male_above_cm: float = 90.0
    female_above_cm: float = 80.0


CENTRAL_OBESITY_CUTOFFS = CentralObesityCutoffs()


def has_central_obesity(
    *, waist_cm: float, sex: Sex | str, cutoffs: CentralObesityCutoffs = CENTRAL_OBESITY_CUTOFFS
) -> bool:
    """Central obesity: waist (lingkar perut) >90 cm in men, >80 cm in women.

    Source: Juknis ILP ``01-skrining-obesitas.md``, Tabel 21 "Kategori Obesitas Sentral" (Asia-Pacific
    Perspective, WHO 2000). Impossible waists (``ranges``) raise ``InvalidRuleInput("waist_cm")``.
    """
    waist = require_possible(ObservationKind.WAIST_CM, waist_cm, field="waist_cm")
    limit = cutoffs.male_above_cm if coerce_sex(sex) is Sex.MALE else cutoffs.female_above_cm
    return waist > limit
