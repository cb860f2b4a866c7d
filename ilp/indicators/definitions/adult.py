"""Usia dewasa and lansia indicators (Klaster 3) and the SPM services for chronic and infectious disease."""

from django.utils.translation import gettext_lazy as _

from ilp.indicators import sql
from ilp.indicators.definitions.common import DASHBOARD, JUKNIS, SPM, UNCONFIRMED_TARGET
from ilp.indicators.registry import Kind, Stage, indicator
from ilp.lifecycle.models import ObservationKind, ServiceKind
from ilp.lifecycle.rules.adult import GLUCOSE_THRESHOLDS, GlucoseTest
from ilp.lifecycle.rules.adult_screening import TbScreeningResult
from ilp.lifecycle.rules.maternal import DEFAULT_RISK_PARAMS
from ilp.people.models import Sex

_ADULT = {"cluster": 3, "stage": Stage.ADULT, "kind": Kind.COVERAGE}
_ELDERLY = {"cluster": 3, "stage": Stage.ELDERLY, "kind": Kind.COVERAGE}
_FROM_15 = (180, 1800)
_PRODUCTIVE = (180, 720)
_ELDER = (720, 1800)
_SCREEN = JUKNIS + "03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/"
_HT_SYSTOLIC = DEFAULT_RISK_PARAMS.hypertension_systolic_from
_HT_DIASTOLIC = DEFAULT_RISK_PARAMS.hypertension_diastolic_from


def _screened() -> sql.Events:
    """A PTM screening: blood pressure or blood glucose measured."""
    return sql.observations(
        "",
        kinds=(ObservationKind.SYSTOLIC, ObservationKind.GLUCOSE_RANDOM, ObservationKind.GLUCOSE_FASTING),
    )


@indicator(
    code="spm_productive",
    name=_("People of productive age (15-59) screened for PTM"),
    short=_("SPM usia produktif"),
    numerator_text=_("people 15-59 with blood pressure or glucose measured this year"),
    denominator_text=_("people 15-59 years (sasaran usia produktif)"),
    target_pct=100,
    spm=6,
    sasaran="productive",
    source=SPM + " service 6; " + _SCREEN + "02-skrining-hipertensi.mdx, 03-skrining-dm.mdx",
    **_ADULT,
)
def spm_productive():
    """SPM 6, skrining PTM for 15-59 years at least once a year: a blood pressure (hypertension screening
    ≥15 y, ≥1x/yr, Juknis `02-skrining-hipertensi.mdx`) or a glucose measurement (`03-skrining-dm.mdx`)."""
    return sql.persons(age_months=_PRODUCTIVE), _screened()


@indicator(
    code="spm_elderly",
    name=_("Elderly (60+) screened"),
    short=_("SPM lansia"),
    numerator_text=_("people 60 and over with a geriatric screening, ADL or a PTM measurement this year"),
    denominator_text=_("people 60 and over (sasaran lansia)"),
    target_pct=100,
    spm=7,
    sasaran="elderly",
    source=SPM + " service 7; " + JUKNIS + "03-klaster-3/03-lansia/01-skrining-geriatri.mdx",
    **_ELDERLY,
)
def spm_elderly():
    """SPM 7, skrining usia lanjut once a year: SKILAS, ADL, blood pressure or glucose (Juknis
    `01-skrining-geriatri.mdx`: all ≥60, ≥1x/yr, at first contact BP, glucose, ADL and SKILAS)."""
    geriatric = sql.observations("", kinds=(ObservationKind.SKILAS, ObservationKind.ADL))
    return sql.persons(age_months=_ELDER), sql.union(geriatric, _screened())


@indicator(
    code="elderly_skilas",
    name=_("Elderly screened with SKILAS"),
    short=_("SKILAS"),
    numerator_text=_("people 60 and over with a SKILAS this year"),
    denominator_text=_("people 60 and over (sasaran lansia)"),
    target_pct=100,
    sasaran="elderly",
    source=JUKNIS + "03-klaster-3/03-lansia/01-skrining-geriatri.mdx; 09-form-table/05-kuesioner-skilas.mdx",
    **_ELDERLY,
)
def elderly_skilas():
    """SKILAS (six intrinsic-capacity domains) for everyone ≥60 once a year (Juknis `01-skrining-geriatri.mdx`)."""
    return sql.persons(age_months=_ELDER), sql.observations(ObservationKind.SKILAS)


def _hypertensive() -> sql.Events:
    return sql.union(
        sql.observations(ObservationKind.SYSTOLIC, "o.value >= %s", (_HT_SYSTOLIC,)),
        sql.observations(ObservationKind.DIASTOLIC, "o.value >= %s", (_HT_DIASTOLIC,)),
    )


@indicator(
    code="hypertension_served",
    name=_("People with hypertension served"),
    short=_("SPM hipertensi"),
    numerator_text=_("people 15+ with hypertension whose blood pressure was checked this year"),
    denominator_text=_("people 15+ with a blood pressure ≥140/90 on record (sasaran hipertensi)"),
    target_pct=100,
    spm=8,
    sasaran="hypertensive",
    source=SPM + " service 8; " + _SCREEN + "02-skrining-hipertensi.mdx (grade 1 from 140/90)",
    **_ADULT,
)
def hypertension_served():
    """SPM 8: people with hypertension (any recorded BP ≥140 systolic or ≥90 diastolic up to the period,
    Juknis `02-skrining-hipertensi.mdx`, the same cut-off as `rules.maternal`) who had their BP checked
    in the year (monthly monitoring is the standard; once counts here)."""
    population = sql.with_events(_hypertensive(), age_months=_FROM_15, upto=True)
    return population, sql.observations(ObservationKind.SYSTOLIC)


@indicator(
    code="diabetes_served",
    name=_("People with diabetes served"),
    short=_("SPM DM"),
    numerator_text=_("people 15+ with diabetes whose glucose was checked this year"),
    denominator_text=_("people 15+ with a diabetic glucose on record (sasaran DM)"),
    target_pct=100,
    spm=9,
    sasaran="diabetic",
    source=SPM + " service 9; " + _SCREEN + "03-skrining-dm.mdx (GDS ≥200, GDP ≥126)",
    **_ADULT,
)
def diabetes_served():
    """SPM 9: people with a diabetic glucose on record (GDS ≥200 or GDP ≥126 mg/dL, `rules.adult.
    GLUCOSE_THRESHOLDS`, Juknis `03-skrining-dm.mdx`) who had a glucose test in the year."""
    diabetic = sql.union(
        sql.observations(ObservationKind.GLUCOSE_RANDOM, "o.value >= %s", (GLUCOSE_THRESHOLDS[GlucoseTest.RANDOM][1],)),
        sql.observations(
            ObservationKind.GLUCOSE_FASTING, "o.value >= %s", (GLUCOSE_THRESHOLDS[GlucoseTest.FASTING][1],)
        ),
    )
    tested = sql.observations("", kinds=(ObservationKind.GLUCOSE_RANDOM, ObservationKind.GLUCOSE_FASTING))
    return sql.with_events(diabetic, age_months=_FROM_15, upto=True), tested


@indicator(
    code="mental_screening",
    name=_("Adults screened for mental health (SRQ-20)"),
    short=_("SRQ-20"),
    numerator_text=_("people 15+ screened with SRQ-20 this year"),
    denominator_text=_("people 15 and over"),
    target_pct=100,
    sasaran="adult",
    source=_SCREEN + "07-skrining-jiwa.mdx (≥15 y, ≥1x/yr); " + UNCONFIRMED_TARGET,
    **_ADULT,
)
def mental_screening():
    """Mental-health screening of everyone ≥15 once a year with SRQ-20 (Juknis `07-skrining-jiwa.mdx`)."""
    return sql.persons(age_months=_FROM_15), sql.observations(ObservationKind.SRQ20)


def _tb_presumptive() -> sql.Events:
    return sql.observations(ObservationKind.TB_SYMPTOMS, "o.code = %s", (TbScreeningResult.PRESUMPTIVE,))


_REFERRED = sql.Events(
    sql.Sql("SELECT r.person_id AS unit_id, r.date AS d FROM lifecycle_referral r WHERE r.status <> 'cancelled'"),
    topics=frozenset({"referral"}),
)


@indicator(
    code="tb_presumptive_served",
    name=_("Presumptive TB referred for examination"),
    short=_("SPM terduga TB"),
    numerator_text=_("presumptive TB cases of the year referred for examination"),
    denominator_text=_("people found presumptive TB this year (sasaran terduga TB)"),
    target_pct=100,
    spm=11,
    sasaran="tb_presumptive",
    cluster=4,
    stage=Stage.ALL,
    kind=Kind.COVERAGE,
    source=SPM + " service 11; " + _SCREEN + "10-skrining-tb.mdx; " + DASHBOARD + " (Klaster 4 TB cascade)",
)
def tb_presumptive_served():
    """SPM 11: terduga TB (symptom screening result "presumptive", Juknis `10-skrining-tb.mdx`) who were
    referred (any referral not cancelled in the year; sputum TCM is at the puskesmas)."""
    return sql.with_events(_tb_presumptive()), _REFERRED


@indicator(
    code="hiv_risk_tested",
    name=_("People at risk of HIV tested"),
    short=_("SPM HIV"),
    numerator_text=_("pregnant women and presumptive TB cases with an HIV test this year"),
    denominator_text=_("pregnant women and presumptive TB cases (sasaran berisiko HIV)"),
    target_pct=100,
    spm=12,
    sasaran="hiv_risk",
    cluster=4,
    stage=Stage.ALL,
    kind=Kind.COVERAGE,
    source=SPM + " service 12; " + JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx (triple elimination)",
)
def hiv_risk_tested():
    """SPM 12, orang berisiko terinfeksi HIV: the risk groups the register knows are pregnant women (ANC
    triple elimination) and presumptive TB; other key populations are not recorded, so the projection
    is the fuller denominator."""
    population = sql.any_of(sql.pregnant(), sql.with_events(_tb_presumptive()))
    return population, sql.observations(ObservationKind.HIV)


@indicator(
    code="tb_screened",
    name=_("People 15+ screened for TB symptoms"),
    short=_("Skrining TB"),
    numerator_text=_("people 15+ with a TB symptom screening this year"),
    denominator_text=_("people 15 and over"),
    target_pct=100,
    sasaran="adult",
    cluster=4,
    stage=Stage.ADULT,
    kind=Kind.COVERAGE,
    source=_SCREEN + "10-skrining-tb.mdx (every contact); " + DASHBOARD + "; " + UNCONFIRMED_TARGET,
)
def tb_screened():
    """TB symptom screening of adults and elderly at every contact (Juknis `10-skrining-tb.mdx`), counted
    once a year."""
    return sql.persons(age_months=_FROM_15), sql.observations(ObservationKind.TB_SYMPTOMS)


@indicator(
    code="ppok_screening",
    name=_("People 40+ screened for COPD (PUMA)"),
    short=_("PUMA"),
    numerator_text=_("people 40+ with a PUMA score this year"),
    denominator_text=_("people 40 and over"),
    target_pct=100,
    source=_SCREEN + "09-skrining-ppok.mdx (≥40 y, ≥1x/yr); " + UNCONFIRMED_TARGET,
    **_ADULT,
)
def ppok_screening():
    """PPOK screening with PUMA for everyone ≥40 once a year (Juknis `09-skrining-ppok.mdx`)."""
    return sql.persons(age_months=(480, 1800)), sql.observations(ObservationKind.PUMA)


_CANCER = dict(sex_split=False, target_pct=25, **_ADULT)


@indicator(
    code="cervical_screening",
    name=_("Women 30-50 screened for cervical cancer (IVA)"),
    short=_("IVA"),
    numerator_text=_("women 30-50 with an IVA test this year"),
    denominator_text=_("women 30-50 years"),
    sasaran="women_30_50",
    source=_SCREEN + "06-skrining-kanker/02-skrining-kanker-leher-rahim.mdx (every 3 years); " + UNCONFIRMED_TARGET,
    **_CANCER,
)
def cervical_screening():
    """IVA every three years for women over 30 (Juknis `02-skrining-kanker-leher-rahim.mdx`), so about a
    third of them a year; the 25 % default target and the 30-50 band are ❓ named defaults."""
    return sql.persons(age_months=(360, 612), sex=Sex.FEMALE), sql.services(ServiceKind.VIA)


@indicator(
    code="breast_screening",
    name=_("Women 30-50 with a clinical breast examination (SADANIS)"),
    short=_("SADANIS"),
    numerator_text=_("women 30-50 with SADANIS this year"),
    denominator_text=_("women 30-50 years"),
    sasaran="women_30_50",
    source=_SCREEN + "06-skrining-kanker/01-skrining-kanker-payudara.mdx (every 3 years); " + UNCONFIRMED_TARGET,
    **_CANCER,
)
def breast_screening():
    """SADANIS by a doctor or bidan every three years (Juknis `01-skrining-kanker-payudara.mdx`)."""
    return sql.persons(age_months=(360, 612), sex=Sex.FEMALE), sql.services(ServiceKind.BREAST_EXAM)


@indicator(
    code="odgj_served",
    name=_("People with severe mental illness (ODGJ berat) served"),
    short=_("SPM ODGJ"),
    numerator_text=_("known ODGJ berat patients given care this year"),
    denominator_text=_("known ODGJ berat patients (sasaran ODGJ berat)"),
    target_pct=100,
    spm=10,
    sasaran="odgj",
    source=SPM + " service 10; " + _SCREEN + "07-skrining-jiwa.mdx",
    **_ADULT,
)
def odgj_served():
    """SPM 10, orang dengan gangguan jiwa berat mendapat pelayanan sesuai standar. The register knows an
    ODGJ berat patient from a recorded ODGJ care service; the projection (prevalence x population) is the
    fuller denominator, since patients never seen are not in the register."""
    care = sql.services(ServiceKind.MENTAL_HEALTH)
    return sql.with_events(care, upto=True), care
