"""Services for mothers and adults: ANC contacts of the ongoing pregnancies (K1-K6), KF visits of the mothers
in nifas, and the yearly PTM screening of residents from 15 (lansia: ADL and SKILAS too), with the monthly
blood-pressure checks that follow a raised reading.
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo.population.services.plan import (
    Facilities,
    Plan,
    ReferralPlan,
    Resident,
    clamp,
    session_dates,
    weekday_in,
)
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place, ServiceKind
from ilp.lifecycle.rules.adult import BloodPressureCategory, classify_blood_pressure
from ilp.people.identity import SEX_FEMALE

# Referred to the puskesmas (Juknis `02-skrining-hipertensi.mdx`: uncontrolled or high grades).
_GRADE_2_OR_MORE = frozenset({BloodPressureCategory.HYPERTENSION_GRADE_2, BloodPressureCategory.HYPERTENSION_GRADE_3})

# ANC: contact weeks of the 1-2-3 distribution (ILP Juknis `01-anc-terpadu.mdx`: 1x T1, 2x T2, 3x T3, doctor at
# K1 and K5); 25 % start in the second trimester and 20 % miss one later contact, so some are "behind".
ANC_WEEKS = ((6, 12), (14, 18), (20, 24), (26, 30), (31, 34), (35, 38))
LATE_K1_WEEKS = (13, 20)
# KEK: LiLA ~ N(25.6, 2.2) cm puts ~17 % below 23.5 cm (Riskesdas 2018: 17.3 % of pregnant women KEK).
MUAC_PREGNANT = (25.6, 2.2)
# Anaemia in pregnancy: Hb ~ N(11.6, 1.0) g/dL puts ~27 % below 11 (SKI 2023: 27.7 %).
HB_PREGNANT = (11.6, 1.0)
# Triple elimination at K1, reactive shares (HBsAg ~1.6 % of pregnant women screened in Kemenkes PPIA reports ◐).
TRIPLE = ((K.HIV, 0.002), (K.SYPHILIS, 0.003), (K.HEPATITIS_B, 0.016))
KF_VISITS = ((2, (3, 7), 0.85), (3, (8, 28), 0.75), (4, (29, 42), 0.6))
# PTM screening in the year, by age from (share screened), before the sex factor: about a third of residents
# from 15 are screened, about half of the lansia (who then get ADL and SKILAS).
SCREENED = ((15, 0.22), (40, 0.38), (60, 0.50))
SEX_FACTOR = {SEX_FEMALE: 1.25, "M": 0.75}
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


def _age(person: Resident, on: dt.date) -> int:
    years = on.year - person.birth_date.year
    return years - ((on.month, on.day) < (person.birth_date.month, person.birth_date.day))


def _step(table, age: int, default=0.0):
    value = default
    for start, v in table:
        if age >= start:
            value = v
    return value


def plan_pregnancies(rng: random.Random, plan: Plan, mother: Resident, lmp: dt.date, facilities: Facilities,
                     today: dt.date) -> None:  # fmt: skip
    """ANC contacts K1-K6 of an ongoing pregnancy, up to today."""
    weeks = list(ANC_WEEKS)
    if rng.random() < 0.25:
        weeks[0] = LATE_K1_WEEKS
        weeks = [weeks[0]] + [w for w in weeks[1:] if w[0] > LATE_K1_WEEKS[1]]
    if rng.random() < 0.2 and len(weeks) > 2:
        weeks.pop(rng.randrange(1, len(weeks)))
    before = rng.gauss(53, 9)
    height = rng.gauss(151.5, 6)
    muac = clamp(rng.gauss(*MUAC_PREGNANT), 18.0, 38.0)
    hb = rng.gauss(*HB_PREGNANT)
    systolic = clamp(rng.gauss(112, 11), 90, 170)
    pustu = facilities.pustu_by_village[mother.village_id]
    for number, (first, last) in enumerate(weeks, start=1):
        on = lmp + dt.timedelta(days=7 * rng.randint(first, last) + rng.randint(0, 6))
        if on > today or not mother.present(on):
            break
        doctor = number == 1 or first == ANC_WEEKS[4][0]
        if doctor:
            draft = plan.encounter(mother, on, Place.PUSKESMAS, facilities.puskesmas, "nakes")
        elif rng.random() < 0.25 and mother.posyandu_id and facilities.posyandu_day.get(mother.posyandu_id):
            draft = plan.encounter(mother, on, Place.POSYANDU, mother.posyandu_id, "nakes")
        else:
            draft = plan.encounter(mother, on, Place.PUSTU, pustu, "nakes")
        plan.give(draft, ServiceKind.ANC, dose=number)
        gained = max(0, (on - lmp).days / 7 - 12) * 0.45
        sbp = round(clamp(systolic + rng.gauss(0, 5), 85, 190))
        values = {
            K.WEIGHT: round(clamp(before + gained, 35, 120), 1),
            K.SYSTOLIC: sbp,
            K.DIASTOLIC: round(clamp(0.6 * sbp + rng.gauss(6, 5), 50, sbp - 25)),
            K.TB_SYMPTOMS: "not_presumptive",
        }
        if number == 1:
            values |= {K.LENGTH_HEIGHT: round(clamp(height, 135, 180), 1), K.MUAC: round(muac, 1)}
            values |= {kind: "pos" if rng.random() < share else "neg" for kind, share in TRIPLE}
        if number == 1 or doctor:
            values[K.HB] = round(clamp(hb + rng.gauss(0, 0.3), 6.0, 15.5), 1)
        if number == 3:
            values[K.GLUCOSE_RANDOM] = round(clamp(rng.gauss(105, 18), 65, 260))
        draft.observations.update(values)


def plan_nifas(rng: random.Random, plan: Plan, mother: Resident, delivered: dt.date, facilities: Facilities,
               today: dt.date) -> None:  # fmt: skip
    """KF1 at the delivery on the day, KF2-KF4 at home by the bidan when their day has come."""
    first = plan.encounter(mother, delivered, Place.PUSKESMAS, facilities.puskesmas, "nakes")
    plan.give(first, ServiceKind.POSTNATAL, "kf1", 1)
    sbp = round(clamp(rng.gauss(115, 10), 90, 170))
    first.observations |= {K.SYSTOLIC: sbp, K.DIASTOLIC: round(clamp(0.6 * sbp + rng.gauss(5, 5), 50, sbp - 25))}
    for number, (low, high), share in KF_VISITS:
        on = delivered + dt.timedelta(days=rng.randint(low, high))
        if on <= today and mother.present(on) and rng.random() < share:
            plan.give(
                plan.encounter(mother, on, Place.HOME, None, "nakes"), ServiceKind.POSTNATAL, f"kf{number}", number
            )


def plan_screening(rng: random.Random, plan: Plan, person: Resident, facilities: Facilities, today: dt.date) -> None:
    """One PTM screening in the year for about a third (monthly BP checks after a raised reading)."""
    age = _age(person, today)
    if age < 15 or rng.random() >= _step(SCREENED, age) * SEX_FACTOR[person.sex]:
        return
    day = facilities.posyandu_day.get(person.posyandu_id)
    sessions = [on for on in session_dates(day, today) if person.present(on)] if day else []
    if sessions and rng.random() < 0.8:
        index = rng.randrange(len(sessions))
        on, place, facility = sessions[index], Place.POSYANDU, person.posyandu_id
    else:
        index, on = len(sessions), weekday_in(rng, today - dt.timedelta(days=364), 364, today)
        place, facility = Place.PUSTU, facilities.pustu_by_village[person.village_id]
    age = _age(person, on)
    if age < 15 or not person.present(on):
        return
    draft = plan.encounter(person, on, place, facility, "kader" if place == Place.POSYANDU else "nakes")
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
    mean, slope, sd = SYSTOLIC
    level = mean + slope * (min(age, 70) - 18) if age >= 18 else 110.0
    sbp = round(clamp(rng.gauss(level, sd), 85, 230))
    dbp = round(clamp(0.45 * sbp + 20 + rng.gauss(0, 7), 50, min(130, sbp - 20)))
    smoker = rng.random() < _step(SMOKING[person.sex], age)
    values |= {
        K.LENGTH_HEIGHT: round(clamp(height - (2 if age >= 60 else 0), 130, 195), 1),
        K.WEIGHT: round(bmi * (height / 100) ** 2, 1),
        K.WAIST: round(clamp(waist, 55, 150)),
        K.SYSTOLIC: sbp,
        K.DIASTOLIC: dbp,
        K.SMOKING: "y" if smoker else "n",
        K.TB_SYMPTOMS: "presumptive" if rng.random() < 0.005 else "not_presumptive",
    }
    if age >= 40 or rng.random() < 0.15:
        diabetic = rng.random() < _step(sorted(DIABETES.items()), age)
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
