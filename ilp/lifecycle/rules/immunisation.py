"""Routine immunisation: each dose's status for a child on a date, next due per antigen, IDL and baduta
completeness, and the BIAS school doses.

The schedule is data, `data/immunisation_schedule.json` (its `sources` record where each part comes from):
the recommended ages and intervals are the ILP Juknis table (KMK HK.01.07/MENKES/2015/2023,
`docs/ILP/02-klaster-2/02-balita-pra-sekolah/06-imunisasi-rutin.mdx`), the BIAS months are Tabel 17 of
`docs/ILP/02-klaster-2/03-anak-sekolah-remaja/01-pkpr-dalam-gedung/01-skrining-imunisasi/12-vaksinasi.mdx`.
Upper age limits are not in the Juknis; they are named `ScheduleParams` attributes with the secondary
source of each default. The file is read once at import; evaluating a child is date arithmetic only.

Catch-up: a dose becomes eligible at the later of its earliest age and the minimum interval after the
*actually given* previous dose, so a late DPT-HB-Hib 1 moves dose 2 to one month after it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from importlib import resources
from typing import Any

from ilp.lifecycle.rules.common import AgeOffset, Sex


class Antigen(StrEnum):
    HB = "hb"
    BCG = "bcg"
    OPV = "opv"
    DPT_HB_HIB = "dpt_hb_hib"
    RV = "rv"
    PCV = "pcv"
    IPV = "ipv"
    MR = "mr"
    JE = "je"
    DT = "dt"
    TD = "td"
    HPV = "hpv"


class DoseCode(StrEnum):
    HB0 = "hb0"
    BCG = "bcg"
    OPV1 = "opv1"
    OPV2 = "opv2"
    OPV3 = "opv3"
    OPV4 = "opv4"
    DPT_HB_HIB1 = "dpt_hb_hib1"
    DPT_HB_HIB2 = "dpt_hb_hib2"
    DPT_HB_HIB3 = "dpt_hb_hib3"
    DPT_HB_HIB4 = "dpt_hb_hib4"
    RV1 = "rv1"
    RV2 = "rv2"
    RV3 = "rv3"
    PCV1 = "pcv1"
    PCV2 = "pcv2"
    PCV3 = "pcv3"
    IPV1 = "ipv1"
    IPV2 = "ipv2"
    MR1 = "mr1"
    MR2 = "mr2"
    JE = "je"


class SchoolDoseCode(StrEnum):
    MR = "bias_mr"
    DT = "bias_dt"
    TD_GRADE2 = "bias_td_grade2"
    TD_GRADE5 = "bias_td_grade5"
    HPV1 = "bias_hpv1"
    HPV2 = "bias_hpv2"


class DoseStatus(StrEnum):
    GIVEN = "given"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_YET = "not_yet"
    TOO_LATE = "too_late"


_MONTHS = {n: AgeOffset(months=n) for n in (1, 7, 12, 60)}


@dataclass(frozen=True, slots=True)
class ScheduleParams:
    """Per-area switches and the upper age limits the Juknis does not state (all configurable).

    - `je_endemic`: JE at 10 months only in endemic areas (Juknis).
    - `hb0_too_late_from` 1 month: ◐ Buku KIA 2023 table marks HB0 "not allowed" from 1 month; older
      programme texts say up to 7 days ❓ — set `AgeOffset(days=8)` to follow those.
    - `bcg_too_late_from` 12 months: ◐ Buku KIA 2023 table (BCG not allowed 12-59 months).
    - `rotavirus_too_late_from` 7 months: ◐ Dirjen P2P letter IM.02.02/C/3052/2023, last RV dose by
      6 months 29 days (a news quote says "before 6 months" ❓).
    - `catch_up_too_late_from` 60 months: ◐ Buku KIA 2023 table, catch-up (imunisasi kejar) 12-59 months.
    - `catch_up_due_window` 1 month: how long a dose moved later by a late previous dose counts as
      "due" before "overdue" (the recommended windows are one month) ❓ a design choice.
    """

    je_endemic: bool = False
    hb0_too_late_from: AgeOffset = _MONTHS[1]
    bcg_too_late_from: AgeOffset = _MONTHS[12]
    rotavirus_too_late_from: AgeOffset = _MONTHS[7]
    catch_up_too_late_from: AgeOffset = _MONTHS[60]
    catch_up_due_window: AgeOffset = _MONTHS[1]


DEFAULT_PARAMS = ScheduleParams()


@dataclass(frozen=True, slots=True)
class ScheduledDose:
    code: DoseCode
    antigen: Antigen
    number: int
    recommended_from: AgeOffset
    recommended_until: AgeOffset
    earliest: AgeOffset
    too_late_param: str
    previous: DoseCode | None
    min_interval: AgeOffset | None
    condition: str | None

    def applies(self, params: ScheduleParams) -> bool:
        return self.condition is None or bool(getattr(params, self.condition))


@dataclass(frozen=True, slots=True)
class CompletionDefinition:
    name: str
    doses: tuple[DoseCode, ...]
    on_time_before: AgeOffset


@dataclass(frozen=True, slots=True)
class SchoolDose:
    code: SchoolDoseCode
    antigen: Antigen
    grade: int
    month: int
    girls_only: bool


def _age(raw: Mapping[str, int]) -> AgeOffset:
    return AgeOffset(months=raw.get("months", 0), days=raw.get("days", 0))


def _load() -> dict[str, Any]:
    text = resources.files("ilp.lifecycle.rules").joinpath("data/immunisation_schedule.json").read_text("utf-8")
    return json.loads(text)


_DATA = _load()
SCHEDULE: tuple[ScheduledDose, ...] = tuple(
    ScheduledDose(
        code=DoseCode(d["code"]),
        antigen=Antigen(d["antigen"]),
        number=d["number"],
        recommended_from=_age(d["recommended_from"]),
        recommended_until=_age(d["recommended_until"]),
        earliest=_age(d["earliest"]),
        too_late_param=d["too_late_from"],
        previous=DoseCode(d["previous"]) if d.get("previous") else None,
        min_interval=_age(d["min_interval"]) if d.get("min_interval") else None,
        condition=d.get("condition"),
    )
    for d in _DATA["routine"]
)
_COMPLETION = {
    name: CompletionDefinition(name, tuple(DoseCode(c) for c in raw["doses"]), _age(raw["on_time_before"]))
    for name, raw in _DATA["completion"].items()
}
IDL_DEFAULT = _COMPLETION["idl_default"]
IDL_JUKNIS_HEADING = _COMPLETION["idl_juknis_heading"]
LANJUTAN_DEFAULT = _COMPLETION["lanjutan_default"]
SCHOOL_SCHEDULE: tuple[SchoolDose, ...] = tuple(
    SchoolDose(SchoolDoseCode(d["code"]), Antigen(d["antigen"]), d["grade"], d["month"], d["girls_only"])
    for d in _DATA["bias"]
)
for _dose in SCHEDULE:
    if not isinstance(getattr(DEFAULT_PARAMS, _dose.too_late_param), AgeOffset):
        raise ValueError(f"{_dose.code}: unknown too_late_from parameter {_dose.too_late_param}")


@dataclass(frozen=True, slots=True)
class DoseAssessment:
    """`due_from`..`due_by` (inclusive) is the window the dose is "due" in; None while the previous dose
    is missing. `valid` says whether a given dose respected its earliest age and interval."""

    code: DoseCode
    antigen: Antigen
    status: DoseStatus
    given_on: date | None
    valid: bool | None
    eligible_from: date | None
    due_from: date | None
    due_by: date | None
    too_late_from: date


@functools.lru_cache(maxsize=8192)
def _ages(birth_date: date, params: ScheduleParams) -> tuple[tuple[date, date, date, date], ...]:
    """Per scheduled dose, the dates its ages fall on for this birth date: too late from, earliest,
    recommended from and until. They depend on the birth date alone, which many children share: computed
    once per birth date (the due-services rules assess every child of a register, bench/due_services.py)."""
    return tuple(
        (
            getattr(params, dose.too_late_param).after(birth_date),
            dose.earliest.after(birth_date),
            dose.recommended_from.after(birth_date),
            dose.recommended_until.after(birth_date),
        )
        for dose in SCHEDULE
    )


def _assess(
    dose: ScheduledDose,
    ages: tuple[date, date, date, date],
    on: date,
    given: Mapping[DoseCode, date],
    params: ScheduleParams,
) -> DoseAssessment:
    too_late, eligible, recommended_from, due_until = ages
    if dose.previous is not None:
        previous_on = given.get(dose.previous)
        if previous_on is None:
            eligible = None
        elif dose.min_interval is not None:
            eligible = max(eligible, dose.min_interval.after(previous_on))
        else:
            eligible = max(eligible, previous_on)
    due_from = None
    if eligible is None:
        due_until = None
    else:
        due_from = max(recommended_from, eligible)
        if due_from > recommended_from:
            due_until = max(due_until, params.catch_up_due_window.after(due_from))
    given_on = given.get(dose.code)
    if given_on is not None:
        status = DoseStatus.GIVEN
    elif on >= too_late or (due_from is not None and due_from >= too_late):
        status = DoseStatus.TOO_LATE
    elif due_from is None or on < due_from:
        status = DoseStatus.NOT_YET
    else:
        status = DoseStatus.DUE if on < due_until else DoseStatus.OVERDUE
    valid = None
    if status is DoseStatus.GIVEN:
        valid = eligible is not None and eligible <= given_on < too_late
    return DoseAssessment(
        code=dose.code,
        antigen=dose.antigen,
        status=status,
        given_on=given_on,
        valid=valid,
        eligible_from=eligible,
        due_from=due_from,
        due_by=due_until - timedelta(days=1) if due_until else None,
        too_late_from=too_late,
    )


_DOSE_CODES = {code.value: code for code in DoseCode}


def _normalise(given: Mapping[str, date]) -> dict[DoseCode, date]:
    # A dict lookup first (`DoseCode(code)` is an enum call per dose); an unknown code still raises ValueError.
    return {_DOSE_CODES.get(code) or DoseCode(code): on for code, on in given.items()}


def dose_statuses(
    *, birth_date: date, on: date, given: Mapping[str, date], params: ScheduleParams = DEFAULT_PARAMS
) -> tuple[DoseAssessment, ...]:
    """Every applicable routine dose on `on`: given / due / overdue / not yet / too late.

    `given` maps dose codes (`DoseCode` values) to the date given; doses given after `on` are ignored.
    JE appears only when `params.je_endemic`. Source: `06-imunisasi-rutin.mdx` (ages and intervals);
    upper limits per `ScheduleParams`.
    """
    known = {code: given_on for code, given_on in _normalise(given).items() if given_on <= on}
    ages = _ages(birth_date, params)
    return tuple(_assess(d, ages[i], on, known, params) for i, d in enumerate(SCHEDULE) if d.applies(params))


def next_due_by_antigen(
    *, birth_date: date, on: date, given: Mapping[str, date], params: ScheduleParams = DEFAULT_PARAMS
) -> dict[Antigen, DoseAssessment]:
    """Per antigen, the first dose still to give (due, overdue or not yet, with its `due_from`).

    Antigens whose remaining doses are all given or too late are left out. Source: `06-imunisasi-rutin.mdx`;
    kader follow up overdue doses by DOFU home visits (same file).
    """
    result: dict[Antigen, DoseAssessment] = {}
    for assessed in dose_statuses(birth_date=birth_date, on=on, given=given, params=params):
        pending = assessed.status in (DoseStatus.DUE, DoseStatus.OVERDUE, DoseStatus.NOT_YET)
        if pending and assessed.due_from is not None and assessed.antigen not in result:
            result[assessed.antigen] = assessed
    return result


@dataclass(frozen=True, slots=True)
class CompletionStatus:
    complete: bool
    missing: tuple[DoseCode, ...]
    completed_on: date | None
    on_time: bool


def completion_status(
    *,
    birth_date: date,
    given: Mapping[str, date],
    definition: CompletionDefinition,
    params: ScheduleParams = DEFAULT_PARAMS,
) -> CompletionStatus:
    """Whether every dose of `definition` was given; `completed_on` = the last of them; `on_time` = before
    the definition's age limit. Doses that do not apply (JE outside endemic areas) are not required."""
    normalised = _normalise(given)
    conditions = {d.code: d for d in SCHEDULE}
    required = [c for c in definition.doses if conditions[c].applies(params)]
    missing = tuple(c for c in required if c not in normalised)
    completed_on = None if missing else max((normalised[c] for c in required), default=None)
    on_time = completed_on is not None and completed_on < definition.on_time_before.after(birth_date)
    return CompletionStatus(complete=not missing, missing=missing, completed_on=completed_on, on_time=on_time)


def idl_status(
    *,
    birth_date: date,
    given: Mapping[str, date],
    params: ScheduleParams = DEFAULT_PARAMS,
    definition: CompletionDefinition = IDL_DEFAULT,
) -> CompletionStatus:
    """Imunisasi dasar lengkap (IDL). The antigen list is unconfirmed ❓: `IDL_DEFAULT` is the classic
    indicator plus PCV1-2 and RV1-3; `IDL_JUKNIS_HEADING` is everything the Juknis lists under "Imunisasi
    dasar bagi Bayi" (adds IPV2 and, in endemic areas, JE). Dashboard "% imunisasi dasar lengkap"
    (`docs/ILP/08-pencatatan/02-pelaporan.mdx`)."""
    return completion_status(birth_date=birth_date, given=given, definition=definition, params=params)


def lanjutan_status(
    *,
    birth_date: date,
    given: Mapping[str, date],
    params: ScheduleParams = DEFAULT_PARAMS,
    definition: CompletionDefinition = LANJUTAN_DEFAULT,
) -> CompletionStatus:
    """Imunisasi baduta lengkap: PCV3, DPT-HB-Hib 4, MR2 — the Juknis heading "Imunisasi Lanjutan bagi
    Baduta" (`06-imunisasi-rutin.mdx`); the on-time limit (2nd birthday) is unconfirmed ❓."""
    return completion_status(birth_date=birth_date, given=given, definition=definition, params=params)


@dataclass(frozen=True, slots=True)
class SchoolDoseAssessment:
    code: SchoolDoseCode
    antigen: Antigen
    status: DoseStatus
    scheduled_month: date
    given_on: date | None


def school_doses(*, grade: int, sex: Sex | str) -> tuple[SchoolDose, ...]:
    """The BIAS doses of a school grade (kelas 1-6 SD/MI); HPV for girls only. Source: Tabel 17 of
    `.../01-skrining-imunisasi/12-vaksinasi.mdx` (kelas 1 MR Aug + DT Nov, kelas 2 Td Nov, kelas 5 Td Nov +
    HPV1 Aug, kelas 6 HPV2 Aug)."""
    girl = Sex(sex) is Sex.FEMALE
    return tuple(d for d in SCHOOL_SCHEDULE if d.grade == grade and (girl or not d.girls_only))


def school_dose_statuses(
    *, grade: int, sex: Sex | str, on: date, given: Mapping[str, date], school_year_starts_month: int = 7
) -> tuple[SchoolDoseAssessment, ...]:
    """Each BIAS dose of the child's grade in the school year containing `on`: given, not yet (before its
    month), due (in its month) or overdue (after it, for the sweeping). The school year starts in July ◐
    (`school_year_starts_month`). Source: Tabel 17, `12-vaksinasi.mdx`."""
    normalised = {SchoolDoseCode(code): d for code, d in given.items()}
    year_start = on.year if on.month >= school_year_starts_month else on.year - 1
    result = []
    for dose in school_doses(grade=grade, sex=sex):
        month = date(year_start if dose.month >= school_year_starts_month else year_start + 1, dose.month, 1)
        given_on = normalised.get(dose.code)
        if given_on is not None and given_on <= on:
            status = DoseStatus.GIVEN
        elif on < month:
            status = DoseStatus.NOT_YET
        elif (on.year, on.month) == (month.year, month.month):
            status = DoseStatus.DUE
        else:
            status = DoseStatus.OVERDUE
        result.append(
            SchoolDoseAssessment(
                dose.code, dose.antigen, status, month, given_on if status is DoseStatus.GIVEN else None
            )
        )
    return tuple(result)
