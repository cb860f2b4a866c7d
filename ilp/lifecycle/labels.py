"""What a user reads for the rules' codes (flags, due services, growth classifications), through gettext."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ilp.lifecycle.models import ServiceKind

FLAGS = {
    "severely_stunted": _("severely stunted (sangat pendek)"),
    "stunted": _("stunted (pendek)"),
    "severely_wasted": _("severely wasted (gizi buruk)"),
    "wasted": _("wasted (gizi kurang)"),
    "severely_underweight": _("severely underweight (BB sangat kurang)"),
    "underweight": _("underweight (BB kurang)"),
    "risk_of_overweight": _("possible risk of overweight"),
    "overweight": _("overweight (gizi lebih)"),
    "obese": _("obese (obesitas)"),
    "growth_faltering_t": _("weight not rising (T)"),
    "growth_faltering_2t": _("weight not rising twice (2T)"),
    "immunisation_overdue": _("immunisation overdue"),
    "development_doubtful": _("KPSP doubtful: re-test in 2 weeks"),
    "development_deviation": _("KPSP: possible developmental deviation"),
    "anc_behind": _("behind on ANC visits"),
    "high_risk_pregnancy": _("high-risk pregnancy"),
    "pregnancy_risk:too_young": _("mother under 20"),
    "pregnancy_risk:too_old": _("mother over 35"),
    "pregnancy_risk:too_close": _("less than 2 years since the last delivery"),
    "pregnancy_risk:too_many": _("4 or more children"),
    "pregnancy_risk:kek": _("chronic energy deficiency (KEK)"),
    "pregnancy_risk:underweight": _("underweight in the first trimester"),
    "pregnancy_risk:anaemia": _("anaemia in pregnancy"),
    "pregnancy_risk:hypertension": _("hypertension in pregnancy"),
    "pregnancy_risk:hiv_reactive": _("HIV test reactive"),
    "pregnancy_risk:syphilis_reactive": _("syphilis test reactive"),
    "pregnancy_risk:hepatitis_b_reactive": _("hepatitis B test reactive"),
    "bmi_for_age:obese": _("obese for age (IMT/U)"),
    "bmi_for_age:severe_thinness": _("severely thin for age (IMT/U)"),
    "hypertension": _("hypertension"),
    "high_normal_bp": _("high-normal blood pressure"),
    "diabetes": _("blood glucose in the diabetes range"),
    "prediabetes": _("prediabetes"),
    "obesity": _("obesity"),
    "central_obesity": _("central obesity"),
    "mental_health_risk": _("SRQ-20: possible mental health problem"),
    "copd_high_risk": _("PUMA: high risk of COPD"),
    "tb_presumptive": _("presumptive TB"),
    "skilas_positive": _("SKILAS positive: further screening"),
    "sdq_abnormal": _("SDQ: abnormal"),
    "sdq_borderline": _("SDQ: borderline"),
    "vision_impaired": _("vision problem"),
    "hearing_impaired": _("hearing problem"),
    "smoker": _("smokes: counselling"),
    "cognitive_impairment_possible": _("Mini-Cog: possible cognitive impairment"),
}
ADL_LEVELS = {
    "mild_dependency": _("ADL: mild dependency"),
    "moderate_dependency": _("ADL: moderate dependency"),
    "severe_dependency": _("ADL: severe dependency"),
    "total_dependency": _("ADL: total dependency"),
}
DUE = {
    "weighing": _("monthly weighing"),
    "vitamin_a": _("vitamin A"),
    "deworming": _("deworming"),
    "kpsp": _("development check (KPSP)"),
    "anc": _("ANC visit"),
    "anaemia_screening": _("anaemia screening (Hb)"),
    "screening_ptm": _("yearly PTM screening (blood pressure, BMI)"),
    "screening_glucose": _("blood glucose check"),
    "screening_srq20": _("mental health screening (SRQ-20)"),
    "screening_puma": _("COPD screening (PUMA)"),
    "screening_breast": _("breast examination (SADANIS)"),
    "screening_cervical": _("cervical screening (IVA)"),
    "screening_elderly": _("elderly screening (ADL, SKILAS)"),
}
DOSES = {
    "hb0": "HB0",
    "bcg": "BCG",
    "opv1": "Polio 1",
    "opv2": "Polio 2",
    "opv3": "Polio 3",
    "opv4": "Polio 4",
    "dpt_hb_hib1": "DPT-HB-Hib 1",
    "dpt_hb_hib2": "DPT-HB-Hib 2",
    "dpt_hb_hib3": "DPT-HB-Hib 3",
    "dpt_hb_hib4": "DPT-HB-Hib 4",
    "rv1": "Rotavirus 1",
    "rv2": "Rotavirus 2",
    "rv3": "Rotavirus 3",
    "pcv1": "PCV 1",
    "pcv2": "PCV 2",
    "pcv3": "PCV 3",
    "ipv1": "IPV 1",
    "ipv2": "IPV 2",
    "mr1": "MR 1",
    "mr2": "MR 2",
    "je": "JE",
}
# The `rules.faltering.WeighingResult` codes: the latest weighing of the care panel, the weight trend.
WEIGHING = {
    "gained": _("N: weight rose enough"),
    "not_gained": _("T: weight not rising"),
    "not_gained_twice": _("2T: not rising twice"),
    "not_weighed_last_month": _("O: not weighed last month"),
    "new": _("B: first weighing"),
}

# The rules' growth indices (`lifecycle.rules.growth`) as the KMS and the Permenkes 2/2020 name them.
GROWTH_INDICES = {
    "weight_for_age": _("weight-for-age (BB/U)"),
    "length_height_for_age": _("length/height-for-age (PB/U, TB/U)"),
    "weight_for_length_height": _("weight-for-length/height (BB/PB, BB/TB)"),
    "bmi_for_age": _("BMI-for-age (IMT/U)"),
}
# Growth classification codes that are not flags (`FLAGS` labels the others).
GROWTH_CODES = {
    "normal": _("normal"),
    "tall": _("tall (tinggi)"),
    "possible_risk_of_overweight": FLAGS["risk_of_overweight"],
    "thinness": _("thin (gizi kurang)"),
    "severe_thinness": _("severely thin (gizi buruk)"),
    "microcephaly": _("small head (mikrosefali)"),
    "macrocephaly": _("large head (makrosefali)"),
}
# The codes of coded observations (`measurements.CODES`): yes/no, test results, TB screening, the measure,
# and the weight trend.
OBSERVATION_CODES = {
    "y": _("yes"),
    "n": _("no"),
    "pos": _("reactive (positive)"),
    "neg": _("non-reactive (negative)"),
    "presumptive": FLAGS["tb_presumptive"],
    "not_presumptive": _("not presumptive"),
    "contact": _("household contact"),
    "L": _("lying (L)"),
    "H": _("standing (H)"),
    # The derived weight trend (`ObservationKind.WEIGHT_TREND`): the KMS letter and what it means.
    **WEIGHING,
}
# The SKILAS domains (`measurements.SKILAS_DOMAINS`) of the elderly screening.
SKILAS = {
    "cognition": _("cognition"),
    "mobility": _("mobility"),
    "malnutrition": _("malnutrition"),
    "vision": _("vision"),
    "hearing": _("hearing"),
    "depression": _("depression"),
}


def flag_label(code: str) -> str:
    if code.startswith("adl:"):
        return str(ADL_LEVELS.get(code[4:], code))
    return str(FLAGS.get(code, code))


def due_label(code: str) -> str:
    kind, _sep, which = code.partition(":")
    if kind == "immunisation":
        return f"{_('immunisation')} {DOSES.get(which, which)}"
    if kind in ("kn", "kf"):
        return which.upper()
    return str(DUE.get(code, code))


def anc_label(number: int | None) -> str:
    """An ANC contact: "ANC visit K2", or "ANC visit" without its number."""
    return f"{due_label('anc')} K{number}" if number else due_label("anc")


def growth_label(code: str) -> str:
    return str(GROWTH_CODES[code]) if code in GROWTH_CODES else flag_label(code)


def service_label(kind: str, code: str = "", dose: int | None = None) -> str:
    """How a given service reads in the history: "DPT-HB-Hib 1", "ANC visit K2", "KF1", "vitamin A"."""
    if kind == ServiceKind.IMMUNISATION:
        return DOSES.get(code, code)
    if kind == ServiceKind.ANC:
        return anc_label(dose)
    if kind in (ServiceKind.POSTNATAL, ServiceKind.NEONATAL) and code:
        return code.upper()
    return str(ServiceKind(kind).label) if kind in ServiceKind.values else kind


def weighing_label(code: str | None) -> str:
    return str(WEIGHING.get(code, "")) if code else ""
