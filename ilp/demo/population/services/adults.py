"""Adults and lansia: the yearly PTM screening of residents from 15 (lansia: ADL and SKILAS too), with the
monthly blood-pressure checks that follow a raised reading, and the presumptive TB cases it finds, referred to
the puskesmas for sputum TCM and offered an HIV test there (Juknis `10-skrining-tb.mdx`).

Shares (◐ SPM reports of West Sumatra kabupaten): ~55 % of the residents 15-59 and ~70 % of the lansia are
screened in the year, women more than men (men work away from the posyandu hours), more where the desa works
well (`area`); the sessions around Lebaran are quieter.
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo.population.services.area import busy_weight, day_in_window, share
from ilp.demo.population.services.plan import Facilities, Plan, ReferralPlan, Resident, clamp
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place
from ilp.lifecycle.rules.adult import BloodPressureCategory, classify_blood_pressure
from ilp.people.identity import SEX_FEMALE

# Referred to the puskesmas (Juknis `02-skrining-hipertensi.mdx`: uncontrolled or high grades).
_GRADE_2_OR_MORE = frozenset({BloodPressureCategory.HYPERTENSION_GRADE_2, BloodPressureCategory.HYPERTENSION_GRADE_3})

# PTM screening in the year, by age from (share screened), before the sex factor and the desa's quality.
SCREENED = ((15, 0.43), (25, 0.50), (40, 0.62), (60, 0.64))
SCREENED_SPREAD = 0.2  # relative: the best desa screens 20 % more than the middle one, the weakest 20 % less
SEX_FACTOR = {SEX_FEMALE: 1.15, "M": 0.85}
AT_POSYANDU = 0.8  # of the screenings; the others at the pustu
# Systolic mmHg: mean 108 at 18 rising 0.7/year to 70, SD 17 (diastolic following it) -> ~30-35 % of the screened
# adults from 18 (older ones come more often) at or above 140/90 (Riskesdas 2018, measured, 18+: 34.1 %).
SYSTOLIC = (108.0, 0.7, 17.0)
# Random glucose >= 200 mg/dL for ~10.5 % from 40 (Riskesdas 2018: diabetes by blood test, 15+: 10.9 %).
DIABETES = {40: 0.105, 15: 0.04}
# Smoking: 62.9 % of men from 15 (Riskesdas 2018), few women; fewer boys under 20.
SMOKING = {"M": ((15, 0.2), (20, 0.63)), SEX_FEMALE: ((15, 0.03),)}
SRQ_SHARE = 0.3
REFER_HYPERTENSION = 0.25  # of grade 2-3 readings at the posyandu/pustu, referred to the puskesmas doctor
# SRQ-20 totals: ~10 % at 6 or more (Riskesdas 2018: mental emotional disorder 9.8 %).
SRQ_WEIGHTS = (30, 18, 14, 11, 9, 8, 4, 2.5, 1.5, 1, 0.5, 0.3, 0.2)
SKILAS_DOMAINS = (("vision", 35), ("mobility", 25), ("hearing", 15), ("cognition", 12), ("depression", 8),
                  ("malnutrition", 5))  # fmt: skip
# ADL (Barthel 0-20): mostly independent; more dependency after 75.
ADL_BANDS = (((20, 20), 72), ((15, 19), 18), ((12, 14), 5), ((9, 11), 3), ((5, 8), 1.5), ((0, 4), 0.5))
# Presumptive TB among the screened (cough >= 2 weeks and more): ~0.7 %, more in the old and in smokers; ~80 %
# referred for sputum TCM (more where the desa works well), ~65 % of those tested for HIV at the puskesmas.
PRESUMPTIVE = 0.007
REFER_TB = (0.80, 0.10)
HIV_FOR_TB = 0.65


def step(table, age: int, default=0.0):
    """The value of a step table ((from age, value), ...) at `age`."""
    value = default
    for start, v in table:
        if age >= start:
            value = v
    return value


def plan_screening(rng: random.Random, plan: Plan, person: Resident, facilities: Facilities, today: dt.date) -> None:
    """One PTM screening in the year for about half (monthly BP checks after a raised reading)."""
    age = person.age(today)
    quality = facilities.desa(person)
    chance = step(SCREENED, age) * SEX_FACTOR[person.sex] * (1 + SCREENED_SPREAD * quality)
    if age < 15 or rng.random() >= min(chance, 0.97):
        return
    sessions = [on for on in facilities.sessions(person.posyandu_id, today) if person.present(on)]
    if sessions and rng.random() < AT_POSYANDU:
        index = rng.choices(range(len(sessions)), [busy_weight(on) for on in sessions])[0]
        on, place, facility = sessions[index], Place.POSYANDU, person.posyandu_id
    else:
        index, on = len(sessions), day_in_window(rng, today)
        place, facility = Place.PUSTU, facilities.pustu_by_village[person.village_id]
    age = person.age(on)
    if age < 15 or not person.present(on):
        return
    draft = plan.encounter(person, on, place, facility, "kader" if place == Place.POSYANDU else "nakes")
    mean, slope, sd = SYSTOLIC
    level = mean + slope * (min(age, 70) - 18) if age >= 18 else 110.0
    sbp = round(clamp(rng.gauss(level, sd), 85, 230))
    dbp = round(clamp(0.45 * sbp + 20 + rng.gauss(0, 7), 50, min(130, sbp - 20)))
    ptm_values(rng, plan, person, draft, age, sbp, dbp)
    tb_follow_up(rng, plan, person, draft, facilities, today)
    if age >= 18:
        plan.tally.screened_adults += 1
        pressure = classify_blood_pressure(systolic=sbp, diastolic=dbp)
        raised = pressure.hypertensive
        plan.tally.hypertension += raised
        if raised:
            _follow_up_bp(rng, plan, person, sessions[index + 1 :], sbp, dbp)
        if pressure.level in _GRADE_2_OR_MORE and rng.random() < REFER_HYPERTENSION:
            level = "pustu" if place == Place.PUSTU else "posyandu"
            plan.referrals.append(ReferralPlan(person.id, on, place, level, "puskesmas", ("hypertension",)))


def ptm_values(rng: random.Random, plan: Plan, person: Resident, draft, age: int, sbp: int, dbp: int,
               diabetic: bool | None = None) -> None:  # fmt: skip
    """The PTM screening's measurements and questionnaires (`diabetic`: a known patient's glucose is raised)."""
    values = draft.observations
    female = person.sex == SEX_FEMALE
    height = rng.gauss(151.5, 6) if female else rng.gauss(163, 6.5)
    # BMI ~ N(23.3, 4.2): ~35 % at 25 or more, ~22 % above 27 (Riskesdas 2018, 18+: 13.6 % overweight >25-27 and
    # 21.8 % obese >27); waist from BMI -> ~30 % central obesity (Riskesdas 2018, 15+: 31.0 %). Under 20 the WHO
    # 2007 BMI-for-age is derived: kept below +5 SD (its implausible-value limit).
    bmi = (
        clamp(rng.gauss(21.0, 3.5), 15.0, 32.0)
        if age < 20
        else clamp(rng.gauss(24.0 if age < 60 else 23.0, 4.2), 15.0, 45.0)
    )
    waist = (13 + 2.7 * bmi + rng.gauss(0, 6)) if female else (16 + 2.75 * bmi + rng.gauss(0, 5))
    smoker = rng.random() < step(SMOKING[person.sex], age)
    presumptive = rng.random() < PRESUMPTIVE * (1 + smoker + (age >= 60)) / 1.6
    values |= {
        K.LENGTH_HEIGHT: round(clamp(height - (2 if age >= 60 else 0), 130, 195), 1),
        K.WEIGHT: round(bmi * (height / 100) ** 2, 1),
        K.WAIST: round(clamp(waist, 55, 150)),
        K.SYSTOLIC: sbp,
        K.DIASTOLIC: dbp,
        K.SMOKING: "y" if smoker else "n",
        K.TB_SYMPTOMS: "presumptive" if presumptive else "not_presumptive",
    }
    if age >= 40 or diabetic or rng.random() < 0.15:
        diabetic = diabetic or rng.random() < step(sorted(DIABETES.items()), age)
        glucose = 200 + abs(rng.gauss(0, 60)) if diabetic else rng.gauss(110, 17)
        values[K.GLUCOSE_RANDOM] = round(clamp(glucose, 70, 450 if diabetic else 199))
        draft.recorder_kind = "nakes"
        if age >= 40:
            plan.tally.screened_40 += 1
            plan.tally.diabetes += diabetic
    if rng.random() < SRQ_SHARE:
        values[K.SRQ20] = rng.choices(range(len(SRQ_WEIGHTS)), SRQ_WEIGHTS)[0]
    if age >= 40 and rng.random() < (0.5 if smoker else 0.2):
        puma = (not female) + (age >= 50) + (age >= 60) + smoker * rng.choice((0, 1, 2))
        values[K.PUMA] = puma + sum(rng.random() < 0.15 for _ in range(3))
    if age >= 60:
        bands = [band for band, _w in ADL_BANDS]
        frail = [w * 3 if band[0] < 20 and age >= 75 else w for band, w in ADL_BANDS]
        low, high = rng.choices(bands, frail)[0]
        values[K.ADL] = rng.randint(low, high)
        domains, weights = zip(*SKILAS_DOMAINS, strict=True)
        positive = [] if rng.random() < 0.6 else rng.choices(domains, weights, k=rng.randint(1, 2))
        values[K.SKILAS] = ",".join(sorted(set(positive))) or "none"


def tb_follow_up(rng: random.Random, plan: Plan, person: Resident, draft, facilities: Facilities, today: dt.date):
    """A presumptive TB case found at the posyandu or pustu is referred to the puskesmas, where most are offered
    an HIV test (SPM 12) when the sputum is taken; one found at the puskesmas is tested there and the sputum
    referred to the hospital's TCM."""
    if draft.observations.get(K.TB_SYMPTOMS) != "presumptive":
        return
    if rng.random() >= share(*REFER_TB, facilities.desa(person)):
        return
    if draft.place == Place.PUSKESMAS:
        plan.referrals.append(ReferralPlan(person.id, draft.date, draft.place, "puskesmas", "hospital",
                                           ("tb_presumptive",)))  # fmt: skip
        if rng.random() < HIV_FOR_TB:
            draft.observations[K.HIV] = "pos" if rng.random() < 0.01 else "neg"
        return
    received = draft.date + dt.timedelta(days=rng.randint(1, 7))
    received = received if received <= today and person.present(received) else None
    level = "pustu" if draft.place == Place.PUSTU else "posyandu"
    plan.referrals.append(
        ReferralPlan(person.id, draft.date, draft.place, level, "puskesmas", ("tb_presumptive",), received)
    )
    if received is not None:
        visit = plan.encounter(person, received, Place.PUSKESMAS, facilities.puskesmas, "nakes")
        visit.observations[K.TB_SYMPTOMS] = "presumptive"
        if rng.random() < HIV_FOR_TB:
            visit.observations[K.HIV] = "pos" if rng.random() < 0.01 else "neg"


def _follow_up_bp(rng: random.Random, plan: Plan, person: Resident, later: list[dt.date], sbp: int, dbp: int) -> None:
    """Normal-high and raised readings are re-checked monthly at the posyandu (Juknis `02-skrining-hipertensi.mdx`)."""
    if rng.random() >= 0.5:
        return
    for on in later[: rng.randint(1, 3)]:
        sbp = round(clamp(sbp + rng.gauss(-4, 8), 95, 230))
        dbp = round(clamp(dbp + rng.gauss(-2, 5), 55, min(130, sbp - 20)))
        plan.encounter(person, on, Place.POSYANDU, person.posyandu_id, "kader").observations.update(
            {K.SYSTOLIC: sbp, K.DIASTOLIC: dbp}
        )
