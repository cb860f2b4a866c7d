"""Known patients: hypertension and diabetes diagnosed before the window, and people with a severe mental
illness (ODGJ berat), with the care they get in the window.

A known hypertensive or diabetic was diagnosed at the puskesmas one to two years ago (that visit is recorded:
it is what makes them known); most come back for their monthly checks (Prolanis at the puskesmas, the pustu,
BP at the posyandu), some are lost to follow-up and are not seen at all in the window: SPM 8/9 ~85-95 %.
ODGJ berat: ~1.5 known patients per 1,000 residents from 15 (◐ Riskesdas 2018: 7 per 1,000 households; the
register knows fewer than exist), cared for monthly at the puskesmas or at home by the nakes, ~80 % of months.
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo.population.services.adults import ptm_values, step, tb_follow_up
from ilp.demo.population.services.area import busy_weight, share
from ilp.demo.population.services.plan import Facilities, Plan, Resident, clamp, weekday_in, window_months
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place, ServiceKind
from ilp.people.identity import SEX_MALE

# Diagnosed and on the puskesmas' list, by age (◐ Riskesdas 2018: hypertension 34.1 % measured but 8.4 %
# diagnosed by a doctor, 18+; diabetes 10.9 % by blood test but 2.0 % diagnosed, 15+).
KNOWN_HYPERTENSION = ((30, 0.03), (40, 0.09), (50, 0.16), (60, 0.25))
KNOWN_DIABETES = ((35, 0.01), (40, 0.025), (50, 0.045), (60, 0.06))
FOLLOWED = (0.90, 0.05)  # share of known patients seen in the window (base, spread by desa quality)
DIAGNOSED_DAYS = (60, 700)  # diagnosis this long before the window
ODGJ_PER_ADULT = 0.0015
ODGJ_AGES = (18, 65)
ODGJ_MONTHLY = (0.80, 0.06)
ODGJ_AT_HOME = 0.35
ODGJ_MALE_FACTOR = 1.4  # weight of a man against a woman when the patients are drawn


def plan_chronic(rng: random.Random, plan: Plan, person: Resident, facilities: Facilities, today: dt.date,
                 first: dt.date) -> bool:  # fmt: skip
    """A known hypertensive or diabetic's diagnosis and checks; False when the person is lost to follow-up
    (and is then not screened either). `first` is the window's first day."""
    age = person.age(today)
    hypertensive = rng.random() < step(KNOWN_HYPERTENSION, age)
    diabetic = rng.random() < step(KNOWN_DIABETES, age)
    if not (hypertensive or diabetic):
        return True
    diagnosed = first - dt.timedelta(days=rng.randint(*DIAGNOSED_DAYS))
    diagnosed = weekday_in(rng, diagnosed, 0, today)
    if not person.present(diagnosed) or person.age(diagnosed) < 15:
        return True
    start = plan.encounter(person, diagnosed, Place.PUSKESMAS, facilities.puskesmas, "nakes")
    sbp = round(clamp(rng.gauss(156, 12), 140, 210)) if hypertensive else round(clamp(rng.gauss(128, 10), 100, 139))
    dbp = round(clamp(0.45 * sbp + 24 + rng.gauss(0, 6), 60, min(125, sbp - 25)))
    start.observations |= {K.SYSTOLIC: sbp, K.DIASTOLIC: dbp}
    if diabetic:
        start.observations[K.GLUCOSE_RANDOM] = round(clamp(rng.gauss(265, 50), 200, 450))
    if rng.random() >= share(*FOLLOWED, facilities.desa(person)):
        return False
    adherence = rng.uniform(0.3, 0.9)
    months = [ym for ym in window_months(today) if rng.random() < adherence * busy_weight(dt.date(*ym, 15))]
    sessions = {(s.year, s.month): s for s in facilities.sessions(person.posyandu_id, today)}
    checks = 0
    for year, month in months or [rng.choice(window_months(today))]:
        session = sessions.get((year, month))
        if session is not None and rng.random() < (0.35 if diabetic else 0.6):
            on, place, facility = session, Place.POSYANDU, person.posyandu_id
        else:
            on = weekday_in(rng, dt.date(year, month, 1), 27, today)
            at_puskesmas = rng.random() < 0.6
            place = Place.PUSKESMAS if at_puskesmas else Place.PUSTU
            facility = facilities.puskesmas if at_puskesmas else facilities.pustu_by_village[person.village_id]
        if on > today or not person.present(on):
            continue
        draft = plan.encounter(person, on, place, facility, "kader" if place == Place.POSYANDU else "nakes")
        sbp = round(clamp(rng.gauss(142 if hypertensive else 126, 13), 100, 200))
        dbp = round(clamp(0.45 * sbp + 22 + rng.gauss(0, 6), 55, min(125, sbp - 25)))
        if checks == 0:
            ptm_values(rng, plan, person, draft, person.age(on), sbp, dbp, diabetic=diabetic or None)
            tb_follow_up(rng, plan, person, draft, facilities, today)
        else:
            draft.observations |= {K.SYSTOLIC: sbp, K.DIASTOLIC: dbp}
            if diabetic and place != Place.POSYANDU:
                draft.observations[K.GLUCOSE_RANDOM] = round(clamp(rng.gauss(190, 50), 90, 420))
        checks += 1
    return True


def odgj_patients(seed: int, residents: list[Resident], today: dt.date) -> frozenset[int]:
    """The known ODGJ berat patients: `ODGJ_PER_ADULT` of the residents from 15, aged 18-65, men more often."""
    adults = [p for p in residents if p.present(today) and p.age(today) >= 15]
    low, high = ODGJ_AGES
    eligible = [p for p in adults if low <= p.age(today) <= high]
    count = min(len(eligible), max(1, round(ODGJ_PER_ADULT * len(adults)))) if adults else 0
    rng = random.Random(f"{seed}:odgj")
    weights = [ODGJ_MALE_FACTOR if p.sex == SEX_MALE else 1.0 for p in eligible]
    keyed = sorted(((rng.random() ** (1 / w), p.id) for p, w in zip(eligible, weights, strict=True)), reverse=True)
    return frozenset(pk for _key, pk in keyed[:count])


def plan_odgj(rng: random.Random, plan: Plan, person: Resident, facilities: Facilities, today: dt.date) -> None:
    """A known ODGJ berat patient's monthly care (drug refill and control), at the puskesmas or at home."""
    monthly = share(*ODGJ_MONTHLY, facilities.desa(person)) * rng.uniform(0.85, 1.15)
    for year, month in window_months(today):
        if rng.random() >= monthly:
            continue
        on = weekday_in(rng, dt.date(year, month, 1), 27, today)
        if not person.present(on):
            continue
        home = rng.random() < ODGJ_AT_HOME
        draft = plan.encounter(person, on, Place.HOME if home else Place.PUSKESMAS,
                               None if home else facilities.puskesmas, "nakes")  # fmt: skip
        plan.give(draft, ServiceKind.MENTAL_HEALTH)
