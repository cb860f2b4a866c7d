"""Screening rules for school-age children and adolescents (Klaster 2, PKPR and UKS/M).

Source: Juknis ILP, KMK HK.01.07/MENKES/2015/2023, Bab IV, ``docs/ILP/02-klaster-2/03-anak-sekolah-remaja/``
in the GitHub transcription ``mlengse/ilp-docs``. Tables live in ``data/adolescent.json``. Ages are
exact ages in years; "at 12 years" means 12 <= age < 13.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from ilp.lifecycle.rules.adult import FollowUp
from ilp.lifecycle.rules.common import Sex
from ilp.lifecycle.rules.ranges import (
    InvalidRuleInput,
    ObservationKind,
    coerce_sex,
    require_number,
    require_possible,
    require_possible_blood_pressure,
)

_DATA = json.loads(resources.files(__package__).joinpath("data/adolescent.json").read_text(encoding="utf-8"))


def _school_grade(school_grade: int | None) -> int | None:
    if school_grade is not None and (
        isinstance(school_grade, bool) or not isinstance(school_grade, int) or not 1 <= school_grade <= 12
    ):
        raise InvalidRuleInput("school_grade")
    return school_grade


# -- anaemia and iron-folate tablets (TTD) -----------------------------------------------------------


class AnaemiaScreening(StrEnum):
    DUE = "due"
    NOT_TARGET = "not_target"
    ALREADY_SCREENED = "already_screened"


ANAEMIA_SCREENING_GRADES = frozenset({7, 10})
ANAEMIA_SCREENING_AGES = frozenset({12, 15})


def anaemia_screening(
    *, sex: Sex | str, school_grade: int | None, age_years: float | None, already_screened: bool
) -> AnaemiaScreening:
    """Whether an adolescent girl's Hb test is due at this milestone (kelas 7 or 10, else age 12 or 15).

    Source: Juknis ILP ``02-klaster-2/03-anak-sekolah-remaja/02-pkpr-luar-gedung/01-pelayanan-sekolah-madrasah/
    01-penjaringan-kesehatan/02-skrining-anemia.mdx`` (Hb test for girls in kelas 7 and 10, not
    conditional on symptoms) and ``01-pkpr-dalam-gedung/01-skrining-imunisasi/01-skrining-anemia.mdx``
    (girls aged 12 and 15 never screened; as recorded in ILP.md 2.3). The grade decides when known,
    else the age. ``already_screened`` means screened at this milestone (this kelas 7 or 10 round).
    """
    grade = _school_grade(school_grade)
    if grade is None and age_years is None:
        raise InvalidRuleInput("school_grade")
    if coerce_sex(sex) is not Sex.FEMALE:
        return AnaemiaScreening.NOT_TARGET
    if grade is not None:
        target = grade in ANAEMIA_SCREENING_GRADES
    else:
        target = math.floor(require_number(age_years, field="age_years")) in ANAEMIA_SCREENING_AGES
    if not target:
        return AnaemiaScreening.NOT_TARGET
    return AnaemiaScreening.ALREADY_SCREENED if already_screened else AnaemiaScreening.DUE


TTD_TABLETS_PER_WEEK = 1
TTD_IRON_MG = 60
TTD_FOLIC_ACID_MCG = 400
TTD_GRADES = range(7, 13)


def ttd_eligible(*, sex: Sex | str, school_grade: int | None) -> bool:
    """Whether a student gets weekly iron-folate tablets (TTD, 1 tablet a week all year).

    Source: Juknis ILP ``02-klaster-2/03-anak-sekolah-remaja/.../02-pemberian-tdd.mdx`` (as recorded in
    ILP.md 2.3; not in the searchable transcription): girls in SMP/SMA kelas 7-12, 60 mg elemental iron
    + 400 mcg folic acid, taken together at school. Out-of-school girls (no grade) are not covered here.
    """
    grade = _school_grade(school_grade)
    return coerce_sex(sex) is Sex.FEMALE and grade is not None and grade in TTD_GRADES


class AnaemiaSeverity(StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


@dataclass(frozen=True)
class HaemoglobinCutoff:
    group: str
    min_age_years: float
    max_age_years: float | None  # exclusive
    sex: Sex | None
    non_anaemic_from: float
    mild_from: float
    moderate_from: float


HAEMOGLOBIN_CUTOFFS: tuple[HaemoglobinCutoff, ...] = tuple(
    HaemoglobinCutoff(**{**row, "sex": Sex(row["sex"]) if row["sex"] else None})
    for row in _DATA["haemoglobin_cutoffs"]["groups"]
)


@dataclass(frozen=True)
class AnaemiaResult:
    severity: AnaemiaSeverity
    group: str
    non_anaemic_from: float


def classify_haemoglobin(
    *,
    hb_g_dl: float,
    age_years: float,
    sex: Sex | str,
    cutoffs: tuple[HaemoglobinCutoff, ...] = HAEMOGLOBIN_CUTOFFS,
) -> AnaemiaResult:
    """Anaemia severity from Hb for non-pregnant people aged 5 and over.

    Source: WHO 2011 Haemoglobin concentrations for the diagnosis of anaemia (as reproduced by Kemenkes
    2016), ``data/adolescent.json``; configurable because ILP.md marks the Hb cut-offs unconfirmed (the
    Juknis anaemia files name no cut-off). Defaults: 5-11 y <11.5 g/dL, 12-14 y <12, women >=15 <12,
    men >=15 <13; mild down to 11.0, moderate 8.0-10.9, severe <8.0. Pregnancy and under-5s are the
    maternal and child rules' concern. Impossible Hb values raise ``InvalidRuleInput("hb_g_dl")``.
    """
    hb = require_possible(ObservationKind.HAEMOGLOBIN_G_DL, hb_g_dl, field="hb_g_dl")
    age, person_sex = require_number(age_years, field="age_years"), coerce_sex(sex)
    cutoff = next(
        (
            row
            for row in cutoffs
            if row.min_age_years <= age
            and (row.max_age_years is None or age < row.max_age_years)
            and row.sex in (None, person_sex)
        ),
        None,
    )
    if cutoff is None:
        raise InvalidRuleInput("age_years")
    if hb >= cutoff.non_anaemic_from:
        severity = AnaemiaSeverity.NONE
    elif hb >= cutoff.mild_from:
        severity = AnaemiaSeverity.MILD
    elif hb >= cutoff.moderate_from:
        severity = AnaemiaSeverity.MODERATE
    else:
        severity = AnaemiaSeverity.SEVERE
    return AnaemiaResult(severity, cutoff.group, cutoff.non_anaemic_from)


# -- nutrition status: BMI-for-age -------------------------------------------------------------------


class BmiForAgeCategory(StrEnum):
    SEVERE_THINNESS = "severe_thinness"
    THINNESS = "thinness"
    NORMAL = "normal"
    OVERWEIGHT = "overweight"
    OBESE = "obese"


@dataclass(frozen=True)
class BmiForAgeResult:
    category: BmiForAgeCategory
    follow_up: tuple[FollowUp, ...]


def classify_bmi_for_age(*, z_score: float, age_years: float) -> BmiForAgeResult:
    """Nutrition status of a 5-18-year-old from the BMI-for-age (IMT/U) z-score.

    Source: Juknis ILP ``02-klaster-2/03-anak-sekolah-remaja/01-pkpr-dalam-gedung/01-skrining-imunisasi/
    05-skrining-obesitas.mdx``: thinness -3 to <-2 SD, normal -2 to +1 SD, overweight >+1 to +2 SD, obese
    >+2 SD. Below -3 SD (severe thinness) is Permenkes 2/2020's band; the Juknis list starts at -3.
    Follow-up: obese: healthy-lifestyle education and 3-month monitoring; overweight: education;
    thinness: find the cause, consult a nutritionist. The z-score is computed by the growth rules.
    """
    z, age = require_number(z_score, field="z_score"), require_number(age_years, field="age_years")
    if not 5 <= age < 19:
        raise InvalidRuleInput("age_years")
    if z < -3:
        category, follow_up = BmiForAgeCategory.SEVERE_THINNESS, (FollowUp.FIND_CAUSE_AND_REFER_NUTRITIONIST,)
    elif z < -2:
        category, follow_up = BmiForAgeCategory.THINNESS, (FollowUp.FIND_CAUSE_AND_REFER_NUTRITIONIST,)
    elif z <= 1:
        category, follow_up = BmiForAgeCategory.NORMAL, (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,)
    elif z <= 2:
        category, follow_up = BmiForAgeCategory.OVERWEIGHT, (FollowUp.LIFESTYLE_EDUCATION,)
    else:
        category, follow_up = BmiForAgeCategory.OBESE, (FollowUp.LIFESTYLE_EDUCATION, FollowUp.RECHECK_IN_3_MONTHS)
    return BmiForAgeResult(category, follow_up)


# -- blood pressure ----------------------------------------------------------------------------------


class ChildBloodPressureCategory(StrEnum):
    NORMAL = "normal"
    ABOVE_SCREENING_THRESHOLD = "above_screening_threshold"  # under 13: at or above the AAP simplified table
    ELEVATED = "elevated"
    STAGE_1 = "stage_1"
    STAGE_2 = "stage_2"


CHILD_BP_SCREENING_TABLE: dict[tuple[int, Sex], tuple[int, int]] = {
    (row["age_years"], sex): tuple(row[sex.value]) for row in _DATA["child_bp_screening_table"]["rows"] for sex in Sex
}
_CHILD_BP_ORDER = (
    ChildBloodPressureCategory.NORMAL,
    ChildBloodPressureCategory.ELEVATED,
    ChildBloodPressureCategory.STAGE_1,
    ChildBloodPressureCategory.STAGE_2,
)


@dataclass(frozen=True)
class ChildBloodPressureResult:
    category: ChildBloodPressureCategory
    follow_up: tuple[FollowUp, ...]


def classify_child_blood_pressure(
    *, systolic: float, diastolic: float, age_years: float, sex: Sex | str
) -> ChildBloodPressureResult:
    """Blood pressure of a school-age child or adolescent (7 to 18 years).

    Source: Juknis ILP ``02-klaster-2/03-anak-sekolah-remaja/01-pkpr-dalam-gedung/01-skrining-imunisasi/
    07-skrining-ht.mdx``. From 13 y (Tabel 15, AAP 2017): normal <120/<80; elevated 120-129/<80; stage 1
    130-139 or 80-89 (the transcription's "130 s.d. 138" is a typo for AAP's 139); stage 2 >=140 or >=90;
    the higher category wins. Ages 7-12 (Tabel 14, AAP 2017 simplified table by age and sex,
    ``data/adolescent.json``): a reading at or above the value needs evaluation. Follow-up: elevated:
    education and monthly monitoring; stage 1-2 or above the table: diagnosis at the puskesmas/FKRTL.
    """
    require_possible_blood_pressure(systolic=systolic, diastolic=diastolic)
    age, person_sex = require_number(age_years, field="age_years"), coerce_sex(sex)
    if not 7 <= age < 19:
        raise InvalidRuleInput("age_years")
    if age < 13:
        max_systolic, max_diastolic = CHILD_BP_SCREENING_TABLE[(math.floor(age), person_sex)]
        if systolic >= max_systolic or diastolic >= max_diastolic:
            return ChildBloodPressureResult(
                ChildBloodPressureCategory.ABOVE_SCREENING_THRESHOLD,
                (FollowUp.LIFESTYLE_EDUCATION, FollowUp.REFER_FOR_DIAGNOSIS),
            )
        return ChildBloodPressureResult(ChildBloodPressureCategory.NORMAL, (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,))
    systolic_level = 0 if systolic < 120 else 1 if systolic < 130 else 2 if systolic < 140 else 3
    diastolic_level = 0 if diastolic < 80 else 2 if diastolic < 90 else 3
    category = _CHILD_BP_ORDER[max(systolic_level, diastolic_level)]
    if category is ChildBloodPressureCategory.NORMAL:
        follow_up = (FollowUp.MAINTAIN_HEALTHY_LIFESTYLE,)
    elif category is ChildBloodPressureCategory.ELEVATED:
        follow_up = (FollowUp.LIFESTYLE_EDUCATION, FollowUp.MONTHLY_MONITORING)
    else:
        follow_up = (FollowUp.REFER_FOR_DIAGNOSIS,)
    return ChildBloodPressureResult(category, follow_up)


# -- mental health: SDQ ------------------------------------------------------------------------------


class SdqBand(StrEnum):
    NORMAL = "normal"
    BORDERLINE = "borderline"
    ABNORMAL = "abnormal"


@dataclass(frozen=True)
class SdqCutoff:
    group: str
    min_age_years: float
    max_age_years: float  # exclusive
    normal_max: int
    borderline_max: int


SDQ_CUTOFFS: tuple[SdqCutoff, ...] = tuple(SdqCutoff(**row) for row in _DATA["sdq_bands"]["groups"])
SDQ_MAX_SCORE = 40


def classify_sdq(*, total_difficulties: int, age_years: float, cutoffs: tuple[SdqCutoff, ...] = SDQ_CUTOFFS) -> SdqBand:
    """Band of a Strengths and Difficulties Questionnaire total difficulties score (0-40), ages 4-18.

    Source: SDQ is the Juknis instrument for 4-18 y (``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/
    07-skrining-jiwa.mdx``); the bands are from Kemenkes Dit. Keswa 2022 slides (secondary, so
    configurable, ``data/adolescent.json``): under 11 y 0-13 normal, 14-15 borderline, 16-40 abnormal;
    11-18 y 0-15, 16-19, 20-40.
    """
    if (
        isinstance(total_difficulties, bool)
        or not isinstance(total_difficulties, int)
        or not 0 <= total_difficulties <= SDQ_MAX_SCORE
    ):
        raise InvalidRuleInput("total_difficulties")
    age = require_number(age_years, field="age_years")
    cutoff = next((row for row in cutoffs if row.min_age_years <= age < row.max_age_years), None)
    if cutoff is None:
        raise InvalidRuleInput("age_years")
    if total_difficulties <= cutoff.normal_max:
        return SdqBand.NORMAL
    return SdqBand.BORDERLINE if total_difficulties <= cutoff.borderline_max else SdqBand.ABNORMAL
