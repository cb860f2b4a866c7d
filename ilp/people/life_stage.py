"""Life stage of a person on a date: derived, never typed (issue #3, "Life stage").

Issue #3: "ibu hamil / ibu nifas, bayi baru lahir (0-28 days), bayi (<12 months), balita (12-59
months), anak prasekolah (60-71 months), usia sekolah dan remaja (6-18 years), usia produktif/dewasa
(18-59), lansia (>= 60), following the ILP technical guidance". The stages are the ILP life-cycle
groups of ILP.md §2 (§2.1 ibu hamil/nifas, §2.2 bayi/balita/prasekolah, §2.3 usia sekolah dan
remaja, §2.4 dewasa, §2.5 lanjut usia >= 60); the nifas window is KF1-KF4, up to 42 days after
delivery (ILP.md §2.1, `05-pelayanan-nifas.mdx`).

Pure standard-library code: the thresholds are data in `STAGES`, so a change in the guidance is a
one-line edit, and the rules run unchanged over millions of rows outside Django.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DAYS = "days"
MONTHS = "months"
YEARS = "years"

BBL = "bbl"
BAYI = "bayi"
BALITA = "balita"
PRASEKOLAH = "prasekolah"
USIA_SEKOLAH_REMAJA = "usia_sekolah_remaja"
DEWASA = "dewasa"
LANSIA = "lansia"

# KF4 ends on day 42 after delivery (ILP.md §2.1).
NIFAS_DAYS = 42


@dataclass(frozen=True)
class StageThreshold:
    """A stage starts when the age, counted in `unit`, reaches `starts_at` (inclusive)."""

    code: str
    unit: str
    starts_at: int


# Youngest first; each stage lasts until the next one starts.
STAGES: tuple[StageThreshold, ...] = (
    StageThreshold(BBL, DAYS, 0),  # 0-28 days
    StageThreshold(BAYI, DAYS, 29),  # 29 days to < 12 months
    StageThreshold(BALITA, MONTHS, 12),  # 12-59 months
    StageThreshold(PRASEKOLAH, MONTHS, 60),  # 60-71 months
    StageThreshold(USIA_SEKOLAH_REMAJA, YEARS, 6),  # 6 to < 18 years
    StageThreshold(DEWASA, YEARS, 18),  # 18-59 years
    StageThreshold(LANSIA, YEARS, 60),  # >= 60 years
)


@dataclass(frozen=True)
class LifeStage:
    """The primary stage code plus the maternal overlays, which sit on top of a woman's stage."""

    code: str
    ibu_hamil: bool = False
    ibu_nifas: bool = False


def _check_order(birth_date: dt.date, on: dt.date) -> None:
    if on < birth_date:
        raise ValueError(f"{on} is before the birth date {birth_date}")


def age_in_days(birth_date: dt.date, on: dt.date) -> int:
    """Days since birth; the day of birth is day 0."""
    _check_order(birth_date, on)
    return (on - birth_date).days


def age_in_months(birth_date: dt.date, on: dt.date) -> int:
    """Completed months since birth.

    A month is completed on the same day of a later month, or on that month's last day when it is
    shorter (born 31 January: one month on 28 February), so the count never stalls or jumps back.
    """
    _check_order(birth_date, on)
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    anniversary_day = min(birth_date.day, calendar.monthrange(on.year, on.month)[1])
    if on.day < anniversary_day:
        months -= 1
    return months


def age_in_years(birth_date: dt.date, on: dt.date) -> int:
    """Completed years (a person born 29 February turns a year older on 28 February)."""
    return age_in_months(birth_date, on) // 12


_AGE = {DAYS: age_in_days, MONTHS: age_in_months, YEARS: age_in_years}


def life_stage(
    *,
    birth_date: dt.date,
    on: dt.date,
    sex: str,
    pregnant: bool = False,
    delivered_on: dt.date | None = None,
) -> LifeStage:
    """The life stage on `on`: the primary stage from `STAGES`, plus ibu hamil / ibu nifas for women.

    `pregnant` is whether an open pregnancy exists on `on`; `delivered_on` is the last delivery date.
    `sex` uses the register's codes ("F"/"M", `ilp.people.identity`).
    """
    code = STAGES[0].code
    for stage in STAGES:
        if _AGE[stage.unit](birth_date, on) >= stage.starts_at:
            code = stage.code
    female = sex == "F"
    nifas = female and delivered_on is not None and 0 <= (on - delivered_on).days <= NIFAS_DAYS
    return LifeStage(code=code, ibu_hamil=female and pregnant, ibu_nifas=nifas)
