"""Geriatric screening for the elderly (60 and over): ADL (modified Barthel), SKILAS, Mini-Cog, AMT.

Source: Juknis ILP, KMK HK.01.07/MENKES/2015/2023, ``docs/ILP/03-klaster-3/03-lansia/01-skrining-geriatri.mdx``
and the form annex ``docs/ILP/09-form-table/`` in the GitHub transcription ``mlengse/ilp-docs``. The
adult rules (blood pressure, glucose, BMI, waist) apply to the elderly too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from ilp.lifecycle.rules.adult import FollowUp
from ilp.lifecycle.rules.ranges import InvalidRuleInput, require_number

ELDERLY_MIN_AGE_YEARS = 60


# -- ADL / AKS: modified Barthel index ---------------------------------------------------------------


@dataclass(frozen=True)
class AdlItems:
    """Points per item of the modified Barthel index; each item's maximum is in ``ADL_ITEM_MAXIMUM``."""

    bowels: int  # BAB
    bladder: int  # BAK
    grooming: int  # membersihkan diri
    toilet_use: int
    feeding: int
    transfer: int  # berpindah tempat tidur-kursi
    mobility: int  # berjalan di permukaan datar
    dressing: int
    stairs: int
    bathing: int


ADL_ITEM_MAXIMUM: dict[str, int] = {
    "bowels": 2,
    "bladder": 2,
    "grooming": 1,
    "toilet_use": 2,
    "feeding": 2,
    "transfer": 3,
    "mobility": 3,
    "dressing": 2,
    "stairs": 2,
    "bathing": 1,
}
ADL_MAX_SCORE = sum(ADL_ITEM_MAXIMUM.values())


class AdlLevel(StrEnum):
    INDEPENDENT = "independent"  # mandiri
    MILD_DEPENDENCY = "mild_dependency"
    MODERATE_DEPENDENCY = "moderate_dependency"
    SEVERE_DEPENDENCY = "severe_dependency"
    TOTAL_DEPENDENCY = "total_dependency"


class AdlGroup(StrEnum):
    A = "A"
    B = "B"
    C = "C"


# (lowest total, level, group), highest first.
_ADL_BANDS = (
    (20, AdlLevel.INDEPENDENT, AdlGroup.A),
    (12, AdlLevel.MILD_DEPENDENCY, AdlGroup.B),
    (9, AdlLevel.MODERATE_DEPENDENCY, AdlGroup.B),
    (5, AdlLevel.SEVERE_DEPENDENCY, AdlGroup.C),
    (0, AdlLevel.TOTAL_DEPENDENCY, AdlGroup.C),
)


@dataclass(frozen=True)
class AdlResult:
    total: int
    level: AdlLevel
    group: AdlGroup
    follow_up: tuple[FollowUp, ...]


def _band(total: int) -> tuple[AdlLevel, AdlGroup]:
    _, level, group = next(band for band in _ADL_BANDS if total >= band[0])
    return level, group


def adl_level(*, total: int) -> AdlLevel:
    """The dependency level of a recorded ADL total (0-20), for records that keep the total only.

    Source: as `assess_adl` (``01-skrining-geriatri.mdx``, "Interpretasi hasil"). A total outside 0-20
    raises ``InvalidRuleInput("adl.total")``.
    """
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= 20:
        raise InvalidRuleInput("adl.total")
    return _band(total)[0]


def assess_adl(*, items: AdlItems) -> AdlResult:
    """Modified Barthel index (ADL/AKS): total 0-20, dependency level, group and follow-up.

    Source: Juknis ILP ``03-klaster-3/03-lansia/01-skrining-geriatri.mdx`` ("Interpretasi hasil": 20
    mandiri (A), 12-19 ringan (B), 9-11 sedang (B), 5-8 berat (C), 0-4 total (C); follow-up tables) and
    the item points recorded in ILP.md 2.5 from ``09-form-table/06-adl.mdx`` (not in the searchable
    transcription). Any dependency: refer from posyandu to pustu/puskesmas; moderate, severe or total:
    homecare with a caregiver, or hospital. An item outside 0..max raises ``InvalidRuleInput("adl.<item>")``.
    """
    for field in fields(AdlItems):
        value = getattr(items, field.name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= ADL_ITEM_MAXIMUM[field.name]:
            raise InvalidRuleInput(f"adl.{field.name}")
    total = sum(getattr(items, field.name) for field in fields(AdlItems))
    level, group = _band(total)
    if level is AdlLevel.INDEPENDENT:
        follow_up = (FollowUp.ELDERLY_GROUP_ACTIVITIES,)
    elif level is AdlLevel.MILD_DEPENDENCY:
        follow_up = (FollowUp.ELDERLY_GROUP_ACTIVITIES, FollowUp.REFER_PUSTU_OR_PUSKESMAS)
    else:
        follow_up = (FollowUp.REFER_PUSTU_OR_PUSKESMAS, FollowUp.HOMECARE)
    return AdlResult(total, level, group, follow_up)


# -- SKILAS: simple screening of intrinsic capacity --------------------------------------------------


class SkilasDomain(StrEnum):
    COGNITION = "cognition"
    MOBILITY = "mobility"
    MALNUTRITION = "malnutrition"
    VISION = "vision"
    HEARING = "hearing"
    DEPRESSIVE_SYMPTOMS = "depressive_symptoms"


class FollowUpInstrument(StrEnum):
    MINI_COG_OR_AMT = "mini_cog_or_amt"
    SPPB = "sppb"
    MNA_SF = "mna_sf"
    RAPUH = "rapuh"
    WHO_SIMPLE_EYE_CHART = "who_simple_eye_chart"
    WHISPER_TEST = "whisper_test"
    GDS_4 = "gds_4"


# The ICOPE instrument per domain, from the Juknis table "Rangkuman instrumen ICOPE di Puskesmas".
SKILAS_FOLLOW_UP_INSTRUMENTS: dict[SkilasDomain, tuple[FollowUpInstrument, ...]] = {
    SkilasDomain.COGNITION: (FollowUpInstrument.MINI_COG_OR_AMT,),
    SkilasDomain.MOBILITY: (FollowUpInstrument.SPPB,),
    SkilasDomain.MALNUTRITION: (FollowUpInstrument.MNA_SF, FollowUpInstrument.RAPUH),
    SkilasDomain.VISION: (FollowUpInstrument.WHO_SIMPLE_EYE_CHART,),
    SkilasDomain.HEARING: (FollowUpInstrument.WHISPER_TEST,),
    SkilasDomain.DEPRESSIVE_SYMPTOMS: (FollowUpInstrument.GDS_4,),
}
SKILAS_MUAC_BELOW_CM = 21.0


@dataclass(frozen=True)
class SkilasAnswers:
    orientation_error: bool  # wrong on date or place
    recall_failed: bool  # cannot repeat the three words
    chair_stand_passed: bool  # five chair stands without hands within 14 seconds
    weight_loss_over_3kg_in_3_months: bool  # or clothes have become looser
    appetite_loss_or_eating_difficulty: bool
    muac_cm: float | None  # LiLA; None when not measured
    eye_problem_reported: bool  # difficulty seeing, eye disease, or treated for diabetes/hypertension
    finger_count_passed: bool | None  # None when not done (only needed without a reported eye problem)
    whisper_test_passed: bool | None  # None when the test could not be done: refer to the puskesmas
    feeling_down: bool  # sad, depressed or hopeless in the last two weeks
    little_interest: bool  # little interest or pleasure in the last two weeks


@dataclass(frozen=True)
class SkilasResult:
    positive_domains: tuple[SkilasDomain, ...]
    needs_further_screening: bool
    follow_up_instruments: tuple[FollowUpInstrument, ...]
    follow_up: tuple[FollowUp, ...]


def screen_skilas(*, answers: SkilasAnswers) -> SkilasResult:
    """SKILAS: which of the six intrinsic-capacity domains are positive; any positive needs follow-up.

    Source: Juknis ILP ``docs/ILP/09-form-table/05-kuesioner-skilas.mdx`` (items and check boxes) and
    ``03-klaster-3/03-lansia/01-skrining-geriatri.mdx`` (one or more positive: further screening by a
    health worker at pustu/puskesmas with the ICOPE instrument for that domain). Positive when:
    cognition: an orientation error or the three words cannot be repeated; mobility: five chair stands
    not done within 14 s; malnutrition: weight loss >3 kg in 3 months or looser clothes, appetite loss
    or eating difficulty, or LiLA <21 cm; vision: a reported eye problem, else a failed finger-count
    test; hearing: a failed whisper test, or one that could not be done; depression: either question.
    Without a reported eye problem the finger-count result is required
    (``InvalidRuleInput("skilas.finger_count_passed")``).
    """
    if answers.muac_cm is not None and require_number(answers.muac_cm, field="skilas.muac_cm") <= 0:
        raise InvalidRuleInput("skilas.muac_cm")
    if not answers.eye_problem_reported and answers.finger_count_passed is None:
        raise InvalidRuleInput("skilas.finger_count_passed")
    checks = (
        (SkilasDomain.COGNITION, answers.orientation_error or answers.recall_failed),
        (SkilasDomain.MOBILITY, not answers.chair_stand_passed),
        (
            SkilasDomain.MALNUTRITION,
            answers.weight_loss_over_3kg_in_3_months
            or answers.appetite_loss_or_eating_difficulty
            or (answers.muac_cm is not None and answers.muac_cm < SKILAS_MUAC_BELOW_CM),
        ),
        (SkilasDomain.VISION, answers.eye_problem_reported or answers.finger_count_passed is False),
        (SkilasDomain.HEARING, answers.whisper_test_passed is not True),
        (SkilasDomain.DEPRESSIVE_SYMPTOMS, answers.feeling_down or answers.little_interest),
    )
    positive = tuple(domain for domain, flag in checks if flag)
    instruments = tuple(instrument for domain in positive for instrument in SKILAS_FOLLOW_UP_INSTRUMENTS[domain])
    follow_up = (FollowUp.FURTHER_SCREENING_BY_HEALTH_WORKER,) if positive else ()
    return SkilasResult(positive, bool(positive), instruments, follow_up)


# -- cognition follow-up: Mini-Cog and AMT -----------------------------------------------------------


class MiniCogResult(StrEnum):
    POSSIBLE_IMPAIRMENT = "possible_impairment"
    IMPAIRMENT_UNLIKELY = "impairment_unlikely"


@dataclass(frozen=True)
class MiniCogOutcome:
    score: int
    result: MiniCogResult


def score_mini_cog(*, words_recalled: int, clock_normal: bool) -> MiniCogOutcome:
    """Mini-Cog: 1 point per recalled word (0-3) + 2 for a normal clock drawing (0 otherwise); 0-5.

    Source: Juknis ILP ``docs/ILP/09-form-table/05-kuesioner-skilas.mdx`` ("Instrumen tindak lanjut
    SKILAS: Mini Cog"): total 0-2 possible cognitive impairment, 3-5 impairment unlikely. A refused or
    incomplete clock is abnormal (pass ``clock_normal=False``).
    """
    if isinstance(words_recalled, bool) or not isinstance(words_recalled, int) or not 0 <= words_recalled <= 3:
        raise InvalidRuleInput("mini_cog.words_recalled")
    score = words_recalled + (2 if clock_normal else 0)
    return MiniCogOutcome(score, mini_cog_result(score=score))


def mini_cog_result(*, score: int) -> MiniCogResult:
    """A recorded Mini-Cog total (0-5): 0-2 possible cognitive impairment, 3-5 unlikely (source: as
    `score_mini_cog`). A total outside 0-5 raises ``InvalidRuleInput("mini_cog.score")``."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        raise InvalidRuleInput("mini_cog.score")
    return MiniCogResult.POSSIBLE_IMPAIRMENT if score <= 2 else MiniCogResult.IMPAIRMENT_UNLIKELY


class AmtResult(StrEnum):
    NORMAL = "normal"
    MODERATE_IMPAIRMENT = "moderate_impairment"
    SEVERE_IMPAIRMENT = "severe_impairment"


def interpret_amt(*, score: int) -> AmtResult:
    """Abbreviated Mental Test (items A-J, 1 point each, 0-10).

    Source: Juknis ILP ``docs/ILP/09-form-table/08-amt.mdx``: 8-10 normal, 4-7 moderate memory
    impairment, 0-3 severe memory impairment.
    """
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise InvalidRuleInput("amt.score")
    if score >= 8:
        return AmtResult.NORMAL
    return AmtResult.MODERATE_IMPAIRMENT if score >= 4 else AmtResult.SEVERE_IMPAIRMENT
