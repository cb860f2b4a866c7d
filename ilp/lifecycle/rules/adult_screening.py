"""Questionnaire and schedule-based screening for adults: PUMA, SRQ-20, TB symptoms, breast and cervical cancer.

Source: Juknis ILP, KMK HK.01.07/MENKES/2015/2023, Bab Klaster 3 and its form annex (transcribed in
GitHub ``mlengse/ilp-docs``, ``docs/ILP/03-klaster-3/...`` and ``docs/ILP/09-form-table/...``).
Ages are exact ages in years (e.g. 15.5), so "older than 15" keeps its literal meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ilp.lifecycle.rules.adult import FollowUp
from ilp.lifecycle.rules.common import Sex
from ilp.lifecycle.rules.ranges import InvalidRuleInput, coerce_sex, require_number

# -- PPOK: PUMA questionnaire ------------------------------------------------------------------------


class PumaRisk(StrEnum):
    LOW = "low"
    HIGH = "high"


@dataclass(frozen=True)
class PumaParameters:
    # The Juknis says >=6; a circulating PUMA form (id.scribd.com/document/671344795) uses >7.
    high_risk_min_score: int = 6


PUMA_PARAMETERS = PumaParameters()
PUMA_MIN_AGE_YEARS = 40


@dataclass(frozen=True)
class PumaResult:
    score: int
    pack_years: float
    risk: PumaRisk
    follow_up: tuple[FollowUp, ...]


def pack_years(*, smoking_years: float, cigarettes_per_day: float) -> float:
    """Pack-years = years smoked x cigarettes per day / 20.

    Source: Juknis ILP ``docs/ILP/09-form-table/04-kuesioner-puma.mdx``, item 3.
    """
    years = require_number(smoking_years, field="smoking_years")
    per_day = require_number(cigarettes_per_day, field="cigarettes_per_day")
    if years < 0 or years > 120:
        raise InvalidRuleInput("smoking_years")
    if per_day < 0 or per_day > 200:
        raise InvalidRuleInput("cigarettes_per_day")
    return years * per_day / 20


def score_puma(
    *,
    sex: Sex | str,
    age_years: float,
    smoking_years: float = 0,
    cigarettes_per_day: float = 0,
    dyspnoea: bool,
    sputum: bool,
    cough: bool,
    previous_spirometry: bool,
    parameters: PumaParameters = PUMA_PARAMETERS,
) -> PumaResult:
    """PUMA COPD case-finding score (0-9) and risk for people aged >= 40.

    Source: Juknis ILP ``docs/ILP/09-form-table/04-kuesioner-puma.mdx`` and
    ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/09-skrining-ppok.mdx`` (the latter as recorded
    in ILP.md 2.4): male 1; age 40-49 0, 50-59 1, >=60 2; pack-years <20 0, 20-30 1, >30 2; dyspnoea,
    sputum, cough without a cold, previous spirometry/peak-flow request 1 each. Score <6: education on
    smoking hazards; >=6: stop-smoking counselling (UBM), spirometry if available, refer to FKRTL.
    The cut-off is ``PumaParameters.high_risk_min_score`` (configurable: a circulating form uses >7).
    Under 40 the questionnaire does not apply: ``InvalidRuleInput("age_years")``.
    """
    age = require_number(age_years, field="age_years")
    if age < PUMA_MIN_AGE_YEARS:
        raise InvalidRuleInput("age_years")
    packs = pack_years(smoking_years=smoking_years, cigarettes_per_day=cigarettes_per_day)
    score = (
        (coerce_sex(sex) is Sex.MALE)
        + (0 if age < 50 else 1 if age < 60 else 2)
        + (0 if packs < 20 else 1 if packs <= 30 else 2)
        + sum(map(bool, (dyspnoea, sputum, cough, previous_spirometry)))
    )
    if score >= parameters.high_risk_min_score:
        follow_up = (FollowUp.SMOKING_CESSATION_COUNSELLING, FollowUp.SPIROMETRY_IF_AVAILABLE, FollowUp.REFER_FKRTL)
        return PumaResult(score, packs, PumaRisk.HIGH, follow_up)
    return PumaResult(score, packs, PumaRisk.LOW, (FollowUp.SMOKING_HAZARD_EDUCATION,))


# -- mental health: SRQ-20 ---------------------------------------------------------------------------


class Srq20Result(StrEnum):
    NORMAL = "normal"
    POTENTIAL_PROBLEM = "potential_problem"


@dataclass(frozen=True)
class Srq20Parameters:
    # Tabel 26 says >=6 (also Riskesdas and the monthly report form); the Juknis prose says "> 6".
    potential_problem_min_score: int = 6


SRQ20_PARAMETERS = Srq20Parameters()
SRQ20_ITEM_COUNT = 20
SRQ20_SUICIDAL_IDEATION_ITEM = 17


@dataclass(frozen=True)
class Srq20Outcome:
    score: int
    result: Srq20Result
    suicidal_ideation: bool
    follow_up: tuple[FollowUp, ...]


def score_srq20(*, answers: Sequence[bool], parameters: Srq20Parameters = SRQ20_PARAMETERS) -> Srq20Outcome:
    """Score the Self-Reporting Questionnaire-20 (20 yes/no items, 30-day recall).

    Source: Juknis ILP ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/07-skrining-jiwa.mdx``,
    Tabel 26, and the form ``docs/ILP/09-form-table/12-skrining-jiwa.mdx``: score = number of "yes";
    >=6 is "abnormal (potential mental-health problem)", as is any score with item 17 (thoughts of
    ending one's life) answered yes; not a diagnosis: refer for assessment at the puskesmas. The
    cut-off is ``Srq20Parameters.potential_problem_min_score`` (configurable: the prose says "> 6").
    ``answers`` must be exactly 20 booleans in form order (``InvalidRuleInput("answers")``).
    """
    if len(answers) != SRQ20_ITEM_COUNT or not all(isinstance(answer, bool) for answer in answers):
        raise InvalidRuleInput("answers")
    score = sum(answers)
    suicidal = answers[SRQ20_SUICIDAL_IDEATION_ITEM - 1]
    if suicidal or score >= parameters.potential_problem_min_score:
        follow_up = (FollowUp.FURTHER_MENTAL_HEALTH_ASSESSMENT, FollowUp.REFER_PUSKESMAS)
        return Srq20Outcome(score, Srq20Result.POTENTIAL_PROBLEM, suicidal, follow_up)
    return Srq20Outcome(score, Srq20Result.NORMAL, suicidal, (FollowUp.MENTAL_HEALTH_EDUCATION,))


# -- tuberculosis symptom screening ------------------------------------------------------------------


class TbScreeningResult(StrEnum):
    PRESUMPTIVE = "presumptive"  # terduga TBC
    NOT_PRESUMPTIVE = "not_presumptive"  # bukan terduga TBC
    CLOSE_CONTACT = "close_contact"  # kontak erat


@dataclass(frozen=True)
class TbSymptoms:
    cough_days: int = 0  # 0: no cough
    weight_loss_or_poor_appetite: bool = False
    unexplained_fever: bool = False
    malaise: bool = False
    night_sweats: bool = False
    dyspnoea_without_chest_pain: bool = False
    enlarged_lymph_nodes: bool = False
    extrapulmonary_signs: bool = False
    chest_xray_suggestive: bool = False


@dataclass(frozen=True)
class TbParameters:
    # Bab IV counts a cough of >=2 weeks; the ILP TB form counts any cough (set 1 to follow the form).
    cough_min_days: int = 14


TB_PARAMETERS = TbParameters()


@dataclass(frozen=True)
class TbOutcome:
    result: TbScreeningResult
    follow_up: tuple[FollowUp, ...]


def screen_tb(*, symptoms: TbSymptoms, close_contact: bool, parameters: TbParameters = TB_PARAMETERS) -> TbOutcome:
    """TB symptom screening: presumptive, not presumptive, or close contact.

    Source: Juknis ILP ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/10-skrining-tb.mdx`` (results
    terduga / bukan terduga / kontak erat, interpretation per Bab IV), Bab IV
    ``02-klaster-2/02-balita-pra-sekolah/10-skrining-tb.mdx`` (terduga = at least one symptom or sign;
    kontak erat = close contact of a bacteriologically confirmed index case without symptoms),
    ``02-klaster-2/03-anak-sekolah-remaja/.../02-skrining-tb.mdx`` (symptom list: cough >2 weeks; any
    cough with weight loss/poor appetite, unexplained fever, malaise, night sweats, dyspnoea without
    chest pain, enlarged nodes) and the form ``09-form-table/01-form-tb/form.mdx`` (chest X-ray). A
    cough counts alone from ``TbParameters.cough_min_days`` (configurable: 14 per Bab IV, the form
    counts any cough). Presumptive: sputum TCM (2 specimens); close contact: puskesmas for TPT.
    """
    if isinstance(symptoms.cough_days, bool) or not isinstance(symptoms.cough_days, int) or symptoms.cough_days < 0:
        raise InvalidRuleInput("cough_days")
    other_signs = (
        symptoms.weight_loss_or_poor_appetite,
        symptoms.unexplained_fever,
        symptoms.malaise,
        symptoms.night_sweats,
        symptoms.dyspnoea_without_chest_pain,
        symptoms.enlarged_lymph_nodes,
        symptoms.extrapulmonary_signs,
        symptoms.chest_xray_suggestive,
    )
    if symptoms.cough_days >= max(parameters.cough_min_days, 1) or any(other_signs):
        return TbOutcome(TbScreeningResult.PRESUMPTIVE, (FollowUp.SPUTUM_TEST,))
    if close_contact:
        follow_up = (FollowUp.REFER_PUSKESMAS, FollowUp.TB_PREVENTIVE_THERAPY_ASSESSMENT)
        return TbOutcome(TbScreeningResult.CLOSE_CONTACT, follow_up)
    return TbOutcome(TbScreeningResult.NOT_PRESUMPTIVE, (FollowUp.TB_PREVENTION_EDUCATION,))


# -- breast and cervical cancer schedules ------------------------------------------------------------


class ScreeningDue(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    DUE = "due"
    UP_TO_DATE = "up_to_date"


@dataclass(frozen=True)
class CancerScreeningParameters:
    min_age_years: float
    min_age_inclusive: bool
    interval_years: int
    high_risk_interval_years: int


# Juknis: SADANIS for women "usia >15 tahun", every 3 years (PKG 2025 starts at 30: configurable).
BREAST_SCREENING = CancerScreeningParameters(
    min_age_years=15, min_age_inclusive=False, interval_years=3, high_risk_interval_years=3
)
# Juknis (ILP.md 2.4): IVA for women >30 who have had sexual contact, every 3 years, yearly if high risk.
CERVICAL_SCREENING = CancerScreeningParameters(
    min_age_years=30, min_age_inclusive=False, interval_years=3, high_risk_interval_years=1
)


@dataclass(frozen=True)
class ScreeningSchedule:
    status: ScreeningDue
    next_due_on: date | None
    interval_years: int | None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year + years, day=28)


def _schedule(
    *, eligible: bool, interval: int, last_screened_on: date | None, today: date, due_now: bool = False
) -> ScreeningSchedule:
    if not eligible:
        return ScreeningSchedule(ScreeningDue.NOT_ELIGIBLE, None, None)
    if last_screened_on is not None and last_screened_on > today:
        raise InvalidRuleInput("last_screened_on")
    if last_screened_on is None or due_now:
        return ScreeningSchedule(ScreeningDue.DUE, today, interval)
    next_due = _add_years(last_screened_on, interval)
    return ScreeningSchedule(ScreeningDue.DUE if next_due <= today else ScreeningDue.UP_TO_DATE, next_due, interval)


def _old_enough(age_years: float, parameters: CancerScreeningParameters) -> bool:
    age = require_number(age_years, field="age_years")
    return age >= parameters.min_age_years if parameters.min_age_inclusive else age > parameters.min_age_years


def breast_cancer_screening(
    *,
    sex: Sex | str,
    age_years: float,
    last_screened_on: date | None,
    today: date,
    breast_self_exam_abnormal: bool = False,
    parameters: CancerScreeningParameters = BREAST_SCREENING,
) -> ScreeningSchedule:
    """Whether clinical breast examination (SADANIS) is due, and when next.

    Source: Juknis ILP ``03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/06-skrining-kanker/
    01-skrining-kanker-payudara.mdx``: women aged >15; SADANIS every 3 years, sooner when monthly
    self-examination (SADARI) finds an abnormality or complaint. Age and interval are
    ``CancerScreeningParameters`` (configurable: the PKG 2025 Juknis starts breast screening at 30).
    """
    eligible = coerce_sex(sex) is Sex.FEMALE and _old_enough(age_years, parameters)
    return _schedule(
        eligible=eligible,
        interval=parameters.interval_years,
        last_screened_on=last_screened_on,
        today=today,
        due_now=breast_self_exam_abnormal,
    )


def cervical_cancer_high_risk(
    *,
    multiple_partners: bool = False,
    first_sex_before_18: bool = False,
    repeated_sti: bool = False,
    hiv_or_immunosuppressed: bool = False,
    malnutrition: bool = False,
) -> bool:
    """High risk for cervical cancer, which shortens the IVA interval to one year.

    Source: Juknis ILP ``06-skrining-kanker/02-skrining-kanker-leher-rahim.mdx`` (as recorded in ILP.md
    2.4; the file is not in the searchable transcription).
    """
    return any((multiple_partners, first_sex_before_18, repeated_sti, hiv_or_immunosuppressed, malnutrition))


def cervical_cancer_screening(
    *,
    sex: Sex | str,
    age_years: float,
    ever_sexually_active: bool,
    high_risk: bool,
    last_screened_on: date | None,
    today: date,
    parameters: CancerScreeningParameters = CERVICAL_SCREENING,
) -> ScreeningSchedule:
    """Whether IVA (or HPV DNA) cervical screening is due, and when next.

    Source: Juknis ILP ``06-skrining-kanker/02-skrining-kanker-leher-rahim.mdx`` (as recorded in ILP.md
    2.4; the file is not in the searchable transcription): women >30 who have had sexual contact; IVA
    every 3 years, yearly for high risk. The minimum age is configurable because the sources differ on
    its edge (the PKG 2025 Juknis says "mulai usia 30", i.e. inclusive).
    """
    eligible = coerce_sex(sex) is Sex.FEMALE and ever_sexually_active and _old_enough(age_years, parameters)
    interval = parameters.high_risk_interval_years if high_risk else parameters.interval_years
    return _schedule(eligible=eligible, interval=interval, last_screened_on=last_screened_on, today=today)
