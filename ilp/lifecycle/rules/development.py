"""KPSP (Kuesioner Pra Skrining Perkembangan): when it is due, how a score reads, what follows.

Follow-up ✅ PKG Juknis (KMK HK.01.07/MENKES/33/2025), `docs/PKG/01-pkg-ultah/01-pkg-balita-as/02-perkembangan.mdx`
(transcription `mlengse/ilp-docs`): sesuai umur → stimulate with the Buku KIA checklist and routine KPSP
on schedule; meragukan → health check if needed, stimulate more often, re-test after 2 weeks, refer to
FKTL if still doubtful or deviant; kemungkinan penyimpangan → document the kind and number of deviations
and refer to FKTL. The ILP Juknis places KPSP at posyandu, pustu and puskesmas
(`docs/ILP/02-klaster-2/02-balita-pra-sekolah/05-tumbuh-kembang.mdx`) and PKAT at 6 to <7 months.

Not in the texts read ❓, so configurable (`KpspParams`): the age schedule, the score cut-offs
(9-10 "yes" of 10 sesuai, 7-8 meragukan, ≤6 penyimpangan) and the age rounding (16 days or more past the
month birthday count as the next month) — all as the SDIDTK guideline is commonly quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ilp.lifecycle.rules.common import add_months, completed_months


@dataclass(frozen=True, slots=True)
class KpspParams:
    schedule_months: tuple[int, ...] = (3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54, 60, 66, 72)
    round_up_from_days: int | None = 16
    items: int = 10
    appropriate_from: int = 9
    doubtful_from: int = 7
    retest_after_days: int = 14


DEFAULT_KPSP_PARAMS = KpspParams()


def kpsp_age_months(*, birth_date: date, on: date, params: KpspParams = DEFAULT_KPSP_PARAMS) -> int:
    """Age in months for choosing a KPSP form: completed months, plus one when at least
    `round_up_from_days` days have passed since the month birthday (❓ SDIDTK rounding, configurable)."""
    months = completed_months(birth_date=birth_date, on=on)
    rounding = params.round_up_from_days
    if rounding is not None and (on - add_months(birth_date, months)).days >= rounding:
        months += 1
    return months


def _period_start(birth_date: date, form_months: int, params: KpspParams) -> date:
    if params.round_up_from_days is None:
        return add_months(birth_date, form_months)
    return add_months(birth_date, form_months - 1) + timedelta(days=params.round_up_from_days)


@dataclass(frozen=True, slots=True)
class KpspDue:
    form_months: int | None
    due: bool
    next_form_months: int | None
    next_due_on: date | None


def kpsp_due(
    *, birth_date: date, on: date, last_tested_on: date | None = None, params: KpspParams = DEFAULT_KPSP_PARAMS
) -> KpspDue:
    """Which KPSP form applies on `on` (the scheduled age at or just below the child's age), whether it is
    still to be done (no test since the child reached that age), and when the next form falls due.

    Source: "skrining rutin dengan KPSP sesuai jadwal", `02-perkembangan.mdx`; schedule ❓ configurable.
    """
    age = kpsp_age_months(birth_date=birth_date, on=on, params=params)
    reached = [m for m in params.schedule_months if m <= age]
    form = reached[-1] if reached and age <= params.schedule_months[-1] else None
    due = False
    if form is not None:
        due = last_tested_on is None or last_tested_on < _period_start(birth_date, form, params)
    later = [m for m in params.schedule_months if m > age]
    next_form = later[0] if later else None
    next_due_on = _period_start(birth_date, next_form, params) if next_form is not None else None
    return KpspDue(form_months=form, due=due, next_form_months=next_form, next_due_on=next_due_on)


class KpspResult(StrEnum):
    APPROPRIATE = "appropriate"
    DOUBTFUL = "doubtful"
    POSSIBLE_DEVIATION = "possible_deviation"


def kpsp_interpret(*, yes_count: int, params: KpspParams = DEFAULT_KPSP_PARAMS) -> KpspResult:
    """Sesuai (9-10 "yes"), meragukan (7-8) or kemungkinan penyimpangan (≤6) — cut-offs ❓ configurable;
    the three categories are those of `02-perkembangan.mdx`."""
    if not 0 <= yes_count <= params.items:
        raise ValueError(f"yes_count must be between 0 and {params.items}")
    if yes_count >= params.appropriate_from:
        return KpspResult.APPROPRIATE
    if yes_count >= params.doubtful_from:
        return KpspResult.DOUBTFUL
    return KpspResult.POSSIBLE_DEVIATION


class KpspAction(StrEnum):
    STIMULATE = "stimulate"
    ROUTINE_SCREENING = "routine_screening"
    HEALTH_CHECK = "health_check"
    STIMULATE_MORE = "stimulate_more"
    RETEST = "retest"
    DOCUMENT_DEVIATIONS = "document_deviations"
    REFER_FKTL = "refer_fktl"


@dataclass(frozen=True, slots=True)
class KpspFollowUp:
    actions: tuple[KpspAction, ...]
    retest_on: date | None


def kpsp_follow_up(
    *, result: KpspResult, tested_on: date, is_retest: bool = False, params: KpspParams = DEFAULT_KPSP_PARAMS
) -> KpspFollowUp:
    """The follow-up of `02-perkembangan.mdx`: sesuai → stimulate + routine schedule; meragukan → health
    check, more stimulation, re-test after 2 weeks (a re-test that is still doubtful → refer to FKTL);
    kemungkinan penyimpangan → document the deviations and refer to FKTL."""
    if result is KpspResult.APPROPRIATE:
        return KpspFollowUp((KpspAction.STIMULATE, KpspAction.ROUTINE_SCREENING), None)
    if result is KpspResult.DOUBTFUL and not is_retest:
        retest_on = tested_on + timedelta(days=params.retest_after_days)
        return KpspFollowUp((KpspAction.HEALTH_CHECK, KpspAction.STIMULATE_MORE, KpspAction.RETEST), retest_on)
    if result is KpspResult.DOUBTFUL:
        return KpspFollowUp((KpspAction.REFER_FKTL,), None)
    return KpspFollowUp((KpspAction.DOCUMENT_DEVIATIONS, KpspAction.REFER_FKTL), None)
