"""Usia sekolah and remaja: the school health screening at the start of the school year, anaemia screening of
girls in kelas 7 and 10, weekly iron-folate tablets (TTD) for girls in SMP/SMA, and BIAS immunisation.

The puskesmas' UKS team screens each school on one day, mostly in August and September (PKG Sekolah at the
start of the school year, SPM 5: usia pendidikan dasar): weight and height (BMI-for-age), vision, hearing,
blood pressure from SMP; ~82 % of the enrolled are seen, a few absentees on a catch-up day in October or
November. Girls in kelas 7 and 10 (aged 12 and 15) get an Hb test at the screening: ~60 % of them. TTD is taken
weekly at school on a set day and recorded once a month per girl, in school months only (not in the June-July
and December holidays nor around Lebaran): ~55 % of the girls get it (Juknis `03-anak-sekolah-remaja/`).
BIAS (`rules.immunisation.school_doses`): MR in kelas 1 and HPV in kelas 5-6 (girls) in August, DT/Td in
kelas 1, 2 and 5 in November.
The grade is the age on 1 July minus 5; an SD and an SMP per desa, one SMA for the kecamatan.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass

from ilp.demo.population.services.area import lebaran_month, share
from ilp.demo.population.services.plan import Facilities, Plan, Resident, clamp, weekday_in, window_months
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place, ServiceKind
from ilp.lifecycle.rules import ranges
from ilp.lifecycle.rules.common import Sex as RuleSex
from ilp.lifecycle.rules.growth.tables import growth_tables, sd_curve
from ilp.lifecycle.rules.immunisation import school_doses
from ilp.people.identity import SEX_FEMALE

CONTINUES = {"sd": 0.98, "smp": 0.93, "sma": 0.80}  # enrolled, of those who finished the level before
SCREENED = (0.82, 0.09)  # of the enrolled (base, spread by desa quality)
CATCH_UP = 0.3
SCREENING_MONTHS = {"sd": (8,), "smp": (8, 9), "sma": (9,), "catch_up": (10, 11)}
VISION_IMPAIRED = {"sd": 0.06, "smp": 0.12, "sma": 0.17}  # refraction errors (◐ school screening reports)
HEARING_IMPAIRED = 0.015
HB_GRADES = (7, 10)
HB_TESTED = (0.90, 0.08)
HB = (12.6, 1.2)  # g/dL: ~30 % of girls below 12 (◐ Riskesdas 2018: anaemia 32 % at 15-24)
TTD_GRADES = (7, 12)
TTD_TAKERS = (0.72, 0.10)
TTD_MONTHLY = 0.8
NO_SCHOOL = (6, 7, 12)
BIAS_COVERAGE = 0.93
# School children: height-for-age ~ N(-1.1, 1.0) (◐ Riskesdas 2018: 23.6 % short at 5-12), BMI-for-age
# ~ N(-0.05, 1.2) (thin ~5 %, obese ~5 %).
HAZ = (-1.1, 1.0)
BAZ = (-0.05, 1.2)


def _level(grade: int) -> str:
    return "sd" if grade <= 6 else "smp" if grade <= 9 else "sma"


def school_year(on: dt.date) -> int:
    return on.year if on.month >= 7 else on.year - 1


@dataclass(frozen=True)
class SchoolDays:
    """The days the schools are visited, keyed (desa, or 0 for the SMA, activity, year, month): activities are
    the levels' screening ("sd", "smp", "sma"; year = the school year, month 0), "catch_up" (school year,
    month 0), and the monthly "ttd" and the "bias" days (calendar year and month)."""

    days: dict[tuple[int, str, int, int], dt.date]

    def get(self, village: int, activity: str, year: int, month: int = 0) -> dt.date | None:
        return self.days.get((0 if activity == "sma" else village, activity, year, month))


def school_days(seed: int, village_ids: list[int], today: dt.date) -> SchoolDays:
    """One day per school and activity in the window, never after today."""
    rng = random.Random(f"{seed}:school")
    days: dict[tuple[int, str, int, int], dt.date] = {}
    months = window_months(today)
    for village in [0, *sorted(village_ids)]:
        for year in sorted({y if m >= 7 else y - 1 for y, m in months}):
            for level in ["sma"] if village == 0 else ["sd", "smp", "catch_up"]:
                month = rng.choice(SCREENING_MONTHS[level])
                on = weekday_in(rng, dt.date(year, month, 5), 20, today)
                if (year, month) in months and (on.year, on.month) == (year, month):
                    days[(village, level, year, 0)] = on
        for year, month in months:
            first = dt.date(year, month, 1)
            if month not in NO_SCHOOL and month != lebaran_month(year):
                days[(village, "ttd", year, month)] = weekday_in(rng, first + dt.timedelta(days=2), 10, today)
            if village and month in (8, 11):
                days[(village, "bias", year, month)] = weekday_in(rng, first + dt.timedelta(days=10), 12, today)
    return SchoolDays({k: d for k, d in days.items() if d <= today and (k[3] == 0 or (d.year, d.month) == k[2:])})


def _enrolled(stays: dict[str, bool], grade: int) -> bool:
    return stays["sd"] and (grade <= 6 or stays["smp"]) and (grade <= 9 or stays["sma"])


def plan_school(rng: random.Random, plan: Plan, child: Resident, facilities: Facilities, days: SchoolDays,
                today: dt.date) -> None:  # fmt: skip
    """The child's school services in the window, by the grade of each school year."""
    if not 5 <= child.age(today) <= 19:
        return
    quality = facilities.desa(child)
    stays = {level: rng.random() < rate for level, rate in CONTINUES.items()}
    ttd = child.sex == SEX_FEMALE and rng.random() < share(*TTD_TAKERS, quality)
    months = window_months(today)
    for year in sorted({y if m >= 7 else y - 1 for y, m in months}):
        grade = child.age(dt.date(year, 7, 1)) - 5
        if not 1 <= grade <= 12 or not _enrolled(stays, grade):
            continue
        screening = days.get(child.village_id, _level(grade), year)
        if screening is None or not child.present(screening):
            continue
        if rng.random() < share(*SCREENED, quality):
            _screen(rng, plan, child, screening, grade, quality)
        elif rng.random() < CATCH_UP:
            later = days.get(child.village_id, "catch_up", year)
            if later is not None and later > screening and child.present(later):
                _screen(rng, plan, child, later, grade, quality)
    for year, month in months:
        grade = child.age(dt.date(school_year(dt.date(year, month, 1)), 7, 1)) - 5
        if not 1 <= grade <= 12 or not _enrolled(stays, grade):
            continue
        bias = days.get(child.village_id, "bias", year, month)
        if bias is not None and child.present(bias):
            given = [code for code in _bias(grade, child.sex, month) if rng.random() < BIAS_COVERAGE]
            if given:
                draft = plan.encounter(child, bias, Place.SCHOOL, None, "nakes")
                for code in given:
                    plan.give(draft, ServiceKind.IMMUNISATION, code)
        if not ttd or not TTD_GRADES[0] <= grade <= TTD_GRADES[1]:
            continue
        tablets = days.get(child.village_id if grade <= 9 else 0, "ttd", year, month)
        if tablets is not None and child.present(tablets) and rng.random() < TTD_MONTHLY:
            plan.give(plan.encounter(child, tablets, Place.SCHOOL, None, "nakes"), ServiceKind.IRON_FOLATE)


@functools.cache
def _bias(grade: int, sex: str, month: int) -> tuple[str, ...]:
    """The BIAS dose codes of a grade in a month."""
    rule_sex = RuleSex.FEMALE if sex == SEX_FEMALE else RuleSex.MALE
    return tuple(str(d.code) for d in school_doses(grade=grade, sex=rule_sex) if d.month == month)


def _screen(rng: random.Random, plan: Plan, child: Resident, on: dt.date, grade: int, quality: float) -> None:
    """One screening at school: anthropometry from the WHO 2007 reference, vision, hearing, BP, Hb."""
    draft = plan.encounter(child, on, Place.SCHOOL, None, "nakes")
    age_days = (on - child.birth_date).days
    months = max(61, min(228, round(age_days / 30.4375)))
    t = growth_tables()
    sex = 2 if child.sex == SEX_FEMALE else 1

    def at(table, z: float) -> float:
        row = (sex - 1) * table.block + round((months - table.start) / table.step)
        return float(sd_curve(table.lam[row], table.m[row], table.s[row], z))

    height = at(t.hfa_2007, clamp(rng.gauss(*HAZ), -3.5, 3.0))
    bmi = at(t.bfa_2007, clamp(rng.gauss(*BAZ), -3.0, 3.5))
    values = draft.observations
    values[K.LENGTH_HEIGHT] = _plausible(K.LENGTH_HEIGHT, round(height, 1), age_days)
    values[K.WEIGHT] = _plausible(K.WEIGHT, round(bmi * (values[K.LENGTH_HEIGHT] / 100) ** 2, 1), age_days)
    level = _level(grade)
    values[K.VISION] = "impaired" if rng.random() < VISION_IMPAIRED[level] else "normal"
    values[K.HEARING] = "impaired" if rng.random() < HEARING_IMPAIRED else "normal"
    if grade >= 7:
        sbp = round(clamp(rng.gauss(106 + 1.5 * (grade - 7), 10), 85, 150))
        values |= {K.SYSTOLIC: sbp, K.DIASTOLIC: round(clamp(0.55 * sbp + 8 + rng.gauss(0, 6), 50, sbp - 25))}
    if child.sex == SEX_FEMALE and grade in HB_GRADES and rng.random() < share(*HB_TESTED, quality):
        values[K.HB] = round(clamp(rng.gauss(*HB), 7.0, 16.0), 1)


def _plausible(kind: str, value: float, age_days: int) -> float:
    row = ranges.range_row(kind, age_days=age_days)
    return clamp(value, row.plausible_min, row.plausible_max)
