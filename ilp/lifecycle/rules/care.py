"""Flags and due services of one person on a day, from their record: the rules of every life stage together.

Each flag or due item comes from one rule module, whose docstring cites its guideline; this module only
decides which rules apply at which age and how fresh a value must be to count. Codes, never text: the
Django layer labels them (`lifecycle.labels`). A flag names the level it needs a referral to (the
referral chain, `rules.referral`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from ilp.lifecycle.rules import (
    adolescent,
    adult,
    adult_screening,
    development,
    elderly,
    faltering,
    immunisation,
    maternal,
    newborn,
    vitamin_a,
)
from ilp.lifecycle.rules.common import VisitStatus, completed_years
from ilp.lifecycle.rules.growth import classify as growth

UNDER_FIVE_DAYS = 1826
# A child's measurements describe them for about a month of growth (monthly posyandu weighing); an adult
# screening result stands for the year until the next yearly screening (Juknis: "minimal 1x setahun").
CHILD_FRESH = timedelta(days=62)
ADULT_FRESH = timedelta(days=365)
NIFAS_DAYS = 42


class Severity(StrEnum):
    DANGER = "danger"
    WARNING = "warning"
    INFO = "info"


# Under five: the stored z-score -> (index, its Permenkes 2/2020 classification; `rules.growth.classify`).
GROWTH_INDICES = {
    "z_wfa": ("weight_for_age", growth.classify_weight_for_age),
    "z_lhfa": ("length_height_for_age", growth.classify_height_for_age),
    "z_wflh": ("weight_for_length_height", growth.classify_weight_for_height),
}
# Which classifications are flags, how urgent, and where they are referred, after the Juknis PKG follow-up
# (`docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx`; `02-balita-pra-sekolah/08-balita-masalah-gizi.mdx`):
# stunted and gizi buruk are referred (through the puskesmas doctor to the FKTL); gizi kurang, underweight and
# overweight get PMT/PMBA counselling and a re-evaluation after 2 weeks at the pustu; obese is referred.
GROWTH_FLAGS = {
    "severely_stunted": (Severity.DANGER, "puskesmas"),
    "stunted": (Severity.DANGER, "puskesmas"),
    "severely_wasted": (Severity.DANGER, "puskesmas"),
    "wasted": (Severity.WARNING, "pustu"),
    "severely_underweight": (Severity.WARNING, "pustu"),
    "underweight": (Severity.WARNING, "pustu"),
    "overweight": (Severity.WARNING, "pustu"),
    "obese": (Severity.WARNING, "puskesmas"),
}


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    refer_to: str | None = None  # "pustu" / "puskesmas" / "hospital"
    since: date | None = None


@dataclass(frozen=True)
class Due:
    code: str  # e.g. "weighing", "immunisation:dpt_hb_hib2", "anc", "kf:kf2", "screening_ptm"
    overdue: bool = False
    due_by: date | None = None

    @property
    def kind(self) -> str:
        """The service kind of the code: "immunisation", "kf", "kn", "anc", "vitamin_a", "weighing", ..."""
        return self.code.partition(":")[0]

    @property
    def which(self) -> str:
        """The dose or visit of the code ("dpt_hb_hib2", "kf2"), empty for a service without one."""
        return self.code.partition(":")[2]


@dataclass(frozen=True)
class PersonRecord:
    """What the rules read about a person. Observation kinds are the `lifecycle` observation codes."""

    sex: str  # "female" / "male"
    birth_date: date
    on: date
    hpht: date | None = None  # an ongoing pregnancy
    hpl: date | None = None
    anc_visits: tuple[date, ...] = ()
    delivered_on: date | None = None  # the latest delivery (nifas: 42 days after it)
    kf_visits: tuple[date, ...] = ()
    kn_visits: tuple[date, ...] = ()
    immunisations: Mapping[str, date] = field(default_factory=dict)  # DoseCode value -> date given
    vitamin_a: tuple[date, ...] = ()
    deworming: tuple[date, ...] = ()
    weighings: tuple[tuple[date, float], ...] = ()
    latest: Mapping[str, tuple[date, float | str]] = field(default_factory=dict)  # kind -> (date, value)
    last_service: Mapping[str, date] = field(default_factory=dict)  # e.g. "sadanis", "iva"


@dataclass
class Care:
    flags: list[Flag] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)
    growth: dict[str, str] = field(default_factory=dict)  # index -> classification code
    weighing: str | None = None  # the latest N / T / 2T / O / B


def _value(record: PersonRecord, kind: str, fresh: timedelta) -> float | str | None:
    item = record.latest.get(kind)
    if item is None or record.on - item[0] > fresh:
        return None
    return item[1]


def assess(record: PersonRecord) -> Care:
    """Every flag and due service of the person on `record.on`."""
    care = Care()
    age_days = (record.on - record.birth_date).days
    years = completed_years(birth_date=record.birth_date, on=record.on)
    if age_days < UNDER_FIVE_DAYS:
        _child(record, care, age_days)
    if age_days <= 28:
        _newborn(record, care)
    if record.hpht is not None:
        _pregnancy(record, care, years)
    elif record.delivered_on is not None and 0 <= (record.on - record.delivered_on).days <= NIFAS_DAYS:
        _nifas(record, care)
    if 5 <= years < 18:
        _school_age(record, care, years)
    if years >= 5:
        _senses(record, care, years)
    if years >= 15:
        _adult(record, care, years)
    if years >= 60:
        _elderly(record, care)
    return care


def _child(record: PersonRecord, care: Care, age_days: int) -> None:
    on = record.on
    for zkind, (index, classify) in GROWTH_INDICES.items():
        z = _value(record, zkind, CHILD_FRESH)
        if z is None:
            continue
        code = str(classify(float(z)))
        care.growth[index] = code
        if code in GROWTH_FLAGS:
            severity, refer_to = GROWTH_FLAGS[code]
            care.flags.append(Flag(code, severity, refer_to, record.latest[zkind][0]))
    results = faltering.weighing_results(birth_date=record.birth_date, weighings=record.weighings)
    if results:
        last = results[-1]
        care.weighing = last.result.value
        if last.result == faltering.WeighingResult.NOT_GAINED:
            care.flags.append(Flag("growth_faltering_t", Severity.WARNING, "pustu", last.on))
        elif last.result == faltering.WeighingResult.NOT_GAINED_TWICE:
            care.flags.append(Flag("growth_faltering_2t", Severity.DANGER, "puskesmas", last.on))
    if not any(d.year == on.year and d.month == on.month for d, _ in record.weighings):
        care.due.append(Due("weighing"))
    overdue = False
    for dose in immunisation.dose_statuses(birth_date=record.birth_date, on=on, given=record.immunisations):
        if dose.status in (immunisation.DoseStatus.DUE, immunisation.DoseStatus.OVERDUE):
            late = dose.status == immunisation.DoseStatus.OVERDUE
            overdue = overdue or late
            care.due.append(Due(f"immunisation:{dose.code}", late, dose.due_by))
    if overdue:
        care.flags.append(Flag("immunisation_overdue", Severity.WARNING))
    if (
        vitamin_a.vitamin_a_status(birth_date=record.birth_date, on=on, given=record.vitamin_a)
        == vitamin_a.RoundStatus.DUE
    ):
        care.due.append(Due("vitamin_a"))
    if (
        vitamin_a.deworming_status(birth_date=record.birth_date, on=on, given=record.deworming)
        == vitamin_a.RoundStatus.DUE
    ):
        care.due.append(Due("deworming"))
    kpsp = record.latest.get("kpsp_yes")
    kpsp_due = development.kpsp_due(birth_date=record.birth_date, on=on, last_tested_on=kpsp[0] if kpsp else None)
    if kpsp_due.due:
        care.due.append(Due("kpsp"))
    if kpsp is not None and on - kpsp[0] <= CHILD_FRESH:
        result = development.kpsp_interpret(yes_count=int(kpsp[1]))
        if result == development.KpspResult.DOUBTFUL:
            care.flags.append(Flag("development_doubtful", Severity.WARNING, "pustu", kpsp[0]))
        elif result == development.KpspResult.POSSIBLE_DEVIATION:
            care.flags.append(Flag("development_deviation", Severity.DANGER, "puskesmas", kpsp[0]))


def _newborn(record: PersonRecord, care: Care) -> None:
    for visit in newborn.neonatal_visits(birth_date=record.birth_date, visits=record.kn_visits, on=record.on):
        if visit.status in (VisitStatus.DUE, VisitStatus.OVERDUE):
            care.due.append(Due(f"kn:{visit.code}", visit.status == VisitStatus.OVERDUE, visit.closes_on))


def _pregnancy(record: PersonRecord, care: Care, years: int) -> None:
    hpht, on = record.hpht, record.on
    hpl = record.hpl or hpht + timedelta(days=280)
    nxt = maternal.next_anc_due(hpht=hpht, hpl=hpl, visits=record.anc_visits, on=on)
    if nxt is not None and nxt.due_from <= on:
        care.due.append(Due("anc", nxt.overdue, nxt.due_by))
    if maternal.anc_progress(hpht=hpht, visits=record.anc_visits, on=on).behind:
        care.flags.append(Flag("anc_behind", Severity.WARNING, None))
    during = timedelta(days=(on - hpht).days)

    def value(kind):
        return _value(record, kind, during)

    risk = maternal.pregnancy_risk(
        age_years=years,
        hpht=hpht,
        last_delivery_on=record.delivered_on,
        muac_cm=value("muac_cm"),
        hb_g_dl=value("haemoglobin_g_dl"),
        systolic=value("systolic_mmhg"),
        diastolic=value("diastolic_mmhg"),
        hiv_reactive=value("hiv_test") == "pos",
        syphilis_reactive=value("syphilis_test") == "pos",
        hepatitis_b_reactive=value("hepatitis_b_test") == "pos",
    )
    if risk.high_risk:
        care.flags.append(Flag("high_risk_pregnancy", Severity.DANGER, "puskesmas"))
        care.flags.extend(Flag(f"pregnancy_risk:{code}", Severity.INFO) for code in risk.codes)


def _nifas(record: PersonRecord, care: Care) -> None:
    for visit in maternal.postpartum_visits(delivered_on=record.delivered_on, visits=record.kf_visits, on=record.on):
        if visit.status in (VisitStatus.DUE, VisitStatus.OVERDUE):
            care.due.append(Due(f"kf:{visit.code}", visit.status == VisitStatus.OVERDUE, visit.closes_on))


def _school_age(record: PersonRecord, care: Care, years: int) -> None:
    z = _value(record, "z_bmifa", ADULT_FRESH)
    if z is not None:
        category = adolescent.classify_bmi_for_age(z_score=float(z), age_years=years).category
        if category in (adolescent.BmiForAgeCategory.OBESE, adolescent.BmiForAgeCategory.SEVERE_THINNESS):
            care.flags.append(Flag(f"bmi_for_age:{category}", Severity.WARNING, "pustu"))
    sdq = _value(record, "sdq_score", ADULT_FRESH)
    if sdq is not None:
        band = adolescent.classify_sdq(total_difficulties=int(sdq), age_years=years)
        if band == adolescent.SdqBand.ABNORMAL:
            care.flags.append(Flag("sdq_abnormal", Severity.WARNING, "puskesmas"))
        elif band == adolescent.SdqBand.BORDERLINE:
            care.flags.append(Flag("sdq_borderline", Severity.INFO))
    hb = record.latest.get("haemoglobin_g_dl")
    screening = adolescent.anaemia_screening(
        sex=record.sex, school_grade=None, age_years=years, already_screened=hb is not None
    )
    if screening == adolescent.AnaemiaScreening.DUE:
        care.due.append(Due("anaemia_screening"))


def _senses(record: PersonRecord, care: Care, years: int) -> None:
    """Vision and hearing screening results (school age: Juknis `03-anak-sekolah-remaja` screening list;
    elderly: SKILAS follow-up), and smoking (counselling from age 10 up, PKPR and PTM screening)."""
    for kind in ("vision", "hearing"):
        if _value(record, kind, ADULT_FRESH) == "impaired":
            care.flags.append(Flag(f"{kind}_impaired", Severity.WARNING, "puskesmas"))
    if years >= 10 and _value(record, "smoking", ADULT_FRESH) == "y":
        care.flags.append(Flag("smoker", Severity.INFO))


def _adult(record: PersonRecord, care: Care, years: int) -> None:
    systolic, diastolic = _value(record, "systolic_mmhg", ADULT_FRESH), _value(record, "diastolic_mmhg", ADULT_FRESH)
    if systolic is None or diastolic is None:
        care.due.append(Due("screening_ptm"))
    elif years >= 18:
        category = adult.classify_blood_pressure(systolic=systolic, diastolic=diastolic).category
        if category in _HYPERTENSION:
            care.flags.append(Flag("hypertension", Severity.DANGER, "puskesmas"))
        elif category == adult.BloodPressureCategory.HIGH_NORMAL:
            care.flags.append(Flag("high_normal_bp", Severity.WARNING))
    glucose = [(k, _value(record, k, ADULT_FRESH)) for k in ("glucose_random_mg_dl", "glucose_fasting_mg_dl")]
    measured = [(k, v) for k, v in glucose if v is not None]
    if not measured and years >= 40:
        care.due.append(Due("screening_glucose"))
    tests = {"glucose_random_mg_dl": adult.GlucoseTest.RANDOM, "glucose_fasting_mg_dl": adult.GlucoseTest.FASTING}
    categories = {adult.classify_glucose(test=tests[k], value=v).category for k, v in measured}
    if adult.GlycaemiaCategory.DIABETES in categories:
        care.flags.append(Flag("diabetes", Severity.DANGER, "puskesmas"))
    elif adult.GlycaemiaCategory.PREDIABETES in categories:
        care.flags.append(Flag("prediabetes", Severity.WARNING))
    weight, height = _value(record, "weight_kg", ADULT_FRESH), _value(record, "length_height_cm", ADULT_FRESH)
    if years >= 18 and weight is not None and height is not None:
        bmi = adult.classify_bmi(bmi=adult.body_mass_index(weight_kg=weight, height_cm=height))
        if bmi in _OBESE:
            care.flags.append(Flag("obesity", Severity.WARNING))
    waist = _value(record, "waist_cm", ADULT_FRESH)
    if waist is not None and adult.has_central_obesity(waist_cm=waist, sex=record.sex):
        care.flags.append(Flag("central_obesity", Severity.WARNING))
    srq = _value(record, "srq20_score", ADULT_FRESH)
    if srq is None:
        care.due.append(Due("screening_srq20"))
    elif srq >= adult_screening.SRQ20_PARAMETERS.potential_problem_min_score:
        care.flags.append(Flag("mental_health_risk", Severity.WARNING, "puskesmas"))
    if years >= 40:
        puma = _value(record, "puma_score", ADULT_FRESH)
        if puma is None:
            care.due.append(Due("screening_puma"))
        elif puma >= adult_screening.PUMA_PARAMETERS.high_risk_min_score:
            care.flags.append(Flag("copd_high_risk", Severity.WARNING, "hospital"))
    if _value(record, "tb_symptoms", ADULT_FRESH) == "presumptive":
        care.flags.append(Flag("tb_presumptive", Severity.DANGER, "puskesmas"))
    if record.sex == "female":
        breast = adult_screening.breast_cancer_screening(
            sex=record.sex, age_years=years, last_screened_on=record.last_service.get("sadanis"), today=record.on
        )
        if breast.status == adult_screening.ScreeningDue.DUE:
            care.due.append(Due("screening_breast"))
        cervix = adult_screening.cervical_cancer_screening(
            sex=record.sex,
            age_years=years,
            ever_sexually_active=record.hpht is not None or record.delivered_on is not None or years >= 30,
            high_risk=False,
            last_screened_on=record.last_service.get("iva"),
            today=record.on,
        )
        if cervix.status == adult_screening.ScreeningDue.DUE:
            care.due.append(Due("screening_cervical"))


def _elderly(record: PersonRecord, care: Care) -> None:
    adl = _value(record, "adl_score", ADULT_FRESH)
    skilas = _value(record, "skilas_positive", ADULT_FRESH)
    if adl is None or skilas is None:
        care.due.append(Due("screening_elderly"))
    if adl is not None:
        level = elderly.adl_level(total=int(adl))
        if level != elderly.AdlLevel.INDEPENDENT:
            severe = level in (elderly.AdlLevel.SEVERE_DEPENDENCY, elderly.AdlLevel.TOTAL_DEPENDENCY)
            care.flags.append(Flag(f"adl:{level}", Severity.DANGER if severe else Severity.WARNING, "pustu"))
    if skilas not in (None, "none"):
        care.flags.append(Flag("skilas_positive", Severity.WARNING, "puskesmas"))
    mini_cog = _value(record, "mini_cog_score", ADULT_FRESH)
    if (
        mini_cog is not None
        and elderly.mini_cog_result(score=int(mini_cog)) == elderly.MiniCogResult.POSSIBLE_IMPAIRMENT
    ):
        care.flags.append(Flag("cognitive_impairment_possible", Severity.WARNING, "puskesmas"))


_HYPERTENSION = frozenset(
    {
        adult.BloodPressureCategory.HYPERTENSION_GRADE_1,
        adult.BloodPressureCategory.HYPERTENSION_GRADE_2,
        adult.BloodPressureCategory.HYPERTENSION_GRADE_3,
        adult.BloodPressureCategory.ISOLATED_SYSTOLIC_HYPERTENSION,
    }
)
_OBESE = frozenset({adult.BmiCategory.OBESE_1, adult.BmiCategory.OBESE_2, adult.BmiCategory.OBESE})
