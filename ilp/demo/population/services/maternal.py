"""Services for mothers: the ANC contacts K1-K6 of every pregnancy of the window (ongoing ones up to today,
those that ended in a delivery of the window from their HPHT), the delivery itself, and the KF visits.

ANC follows the 1-2-3 distribution with the doctor at K1 and K5 (ILP Juknis `01-anc-terpadu.mdx`): ~95 % have
a K1 (the others are seen elsewhere or not at all), a fifth start in the second trimester and catch up, some
miss a contact, so ~80 % of the mothers who deliver reach K6 (a named, West Sumatra-like level ❓). Triple
elimination at K1 (or a later contact): ~90 % tested for HIV. The delivery encounter carries the place and
attendant (`births.Delivery`) and KF1; KF2 and KF3 are the joint visits with the baby's KN2/KN3, KF4 a visit
of its own (Juknis `05-pelayanan-nifas.mdx`).
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo.population.services.area import share
from ilp.demo.population.services.births import Delivery
from ilp.demo.population.services.plan import Facilities, Plan, Resident, clamp
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place, ServiceKind

# ANC: contact weeks of the 1-2-3 distribution; K1 and K5 with the doctor at the puskesmas.
ANC_WEEKS = ((6, 12), (14, 18), (20, 24), (26, 30), (31, 33), (34, 36))
# A late first contact (second trimester) is followed by the same six, closer together.
LATE_ANC_WEEKS = ((13, 20), (21, 24), (25, 28), (29, 31), (32, 34), (35, 36))
ANY_ANC = (0.955, 0.03)  # (base share, spread by desa quality)
LATE_K1 = (0.20, -0.06)
MISSED_CONTACT = (0.14, -0.07)  # drops one of K2-K6: the pregnancy ends with five contacts
AT_PRACTICE = 0.15  # routine contacts at the midwife's practice (PMB) of the network
AT_POSYANDU = 0.25  # of the other routine contacts, at the posyandu session of the month
# KEK: LiLA ~ N(25.6, 2.2) cm puts ~17 % below 23.5 cm (Riskesdas 2018: 17.3 % of pregnant women KEK).
MUAC_PREGNANT = (25.6, 2.2)
# Anaemia in pregnancy: Hb ~ N(11.6, 1.0) g/dL puts ~27 % below 11 (SKI 2023: 27.7 %).
HB_PREGNANT = (11.6, 1.0)
# Triple elimination, reactive shares (HBsAg ~1.6 % of pregnant women screened in Kemenkes PPIA reports ◐).
TRIPLE = ((K.HIV, 0.002), (K.SYPHILIS, 0.003), (K.HEPATITIS_B, 0.016))
TRIPLE_AT_K1 = (0.86, 0.06)
TRIPLE_LATER = 0.4  # of those not tested at K1, tested at a later contact


def plan_anc(rng: random.Random, plan: Plan, mother: Resident, lmp: dt.date, facilities: Facilities,
             today: dt.date, *, until: dt.date | None = None) -> None:  # fmt: skip
    """ANC contacts of one pregnancy from its HPHT, up to today or (ended) the day before the delivery."""
    quality = facilities.desa(mother)
    if rng.random() >= share(*ANY_ANC, quality):
        return
    weeks = list(LATE_ANC_WEEKS if rng.random() < share(*LATE_K1, quality) else ANC_WEEKS)
    if rng.random() < share(*MISSED_CONTACT, quality, low=0.02):
        weeks.pop(rng.randrange(1, len(weeks)))
    last_day = min(today, until - dt.timedelta(days=1)) if until else today
    before = rng.gauss(53, 9)
    height = rng.gauss(151.5, 6)
    muac = clamp(rng.gauss(*MUAC_PREGNANT), 18.0, 38.0)
    hb = rng.gauss(*HB_PREGNANT)
    systolic = clamp(rng.gauss(112, 11), 90, 170)
    triple = 1 if rng.random() < share(*TRIPLE_AT_K1, quality) else 0
    triple = triple or (rng.randint(2, 4) if rng.random() < TRIPLE_LATER else 0)
    pustu = facilities.pustu_by_village[mother.village_id]
    sessions = facilities.sessions(mother.posyandu_id, today)
    previous = lmp
    for number, (first, last) in enumerate(weeks, start=1):
        on = lmp + dt.timedelta(days=7 * rng.randint(first, last) + rng.randint(0, 6))
        on = max(on, previous + dt.timedelta(days=7))
        if on > last_day:
            break
        if not mother.present(on):
            continue
        doctor = number == 1 or first in (ANC_WEEKS[4][0], LATE_ANC_WEEKS[4][0])
        session = next((s for s in sessions if s.year == on.year and s.month == on.month), None)
        if doctor:
            draft = plan.encounter(mother, on, Place.PUSKESMAS, facilities.puskesmas, "nakes")
        elif facilities.midwife_practice is not None and rng.random() < AT_PRACTICE:
            draft = plan.encounter(mother, on, Place.NETWORK, facilities.midwife_practice, "nakes")
        elif (
            session is not None
            and previous < session <= last_day
            and mother.present(session)
            and (rng.random() < AT_POSYANDU)
        ):
            draft = plan.encounter(mother, session, Place.POSYANDU, mother.posyandu_id, "nakes")
            on = session
        else:
            draft = plan.encounter(mother, on, Place.PUSTU, pustu, "nakes")
        plan.give(draft, ServiceKind.ANC, dose=number)
        previous = on
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
        if number == triple:
            values |= {kind: "pos" if rng.random() < rate else "neg" for kind, rate in TRIPLE}
        if number == 1 or doctor:
            values[K.HB] = round(clamp(hb + rng.gauss(0, 0.3), 6.0, 15.5), 1)
        if number == 3:
            values[K.GLUCOSE_RANDOM] = round(clamp(rng.gauss(105, 18), 65, 260))
        draft.observations.update(values)


def plan_delivery(rng: random.Random, plan: Plan, mother: Resident, delivery: Delivery, facilities: Facilities,
                  today: dt.date) -> None:  # fmt: skip
    """The mother's delivery encounter (place, attendant, KF1) and her KF2-KF4 visits."""
    born = delivery.link.born
    if not mother.present(born) or born > today:
        return
    first = plan.encounter(mother, born, delivery.place, delivery.facility, "nakes")
    plan.give(first, ServiceKind.DELIVERY)
    first.observations |= {K.DELIVERY_PLACE: delivery.delivery_place, K.DELIVERY_ATTENDANT: delivery.attendant}
    if delivery.first_visit:
        kf1 = first
        if delivery.place == Place.HOME:  # the midwife comes the same or the next day
            kf1 = plan.encounter(mother, min(today, born + dt.timedelta(days=rng.randint(0, 1))), Place.HOME,
                                 None, "nakes")  # fmt: skip
        plan.give(kf1, ServiceKind.POSTNATAL, "kf1", 1)
        sbp = round(clamp(rng.gauss(115, 10), 90, 170))
        kf1.observations |= {K.SYSTOLIC: sbp, K.DIASTOLIC: round(clamp(0.6 * sbp + rng.gauss(5, 5), 50, sbp - 25))}
    visits = [(n, on, where) for n, on, where in delivery.visits]
    if delivery.kf4 is not None:
        visits.append((4, delivery.kf4, Place.HOME))
    pustu = facilities.pustu_by_village[mother.village_id]
    for number, on, where in visits:
        if on <= today and mother.present(on):
            draft = plan.encounter(mother, on, where, pustu if where == Place.PUSTU else None, "nakes")
            plan.give(draft, ServiceKind.POSTNATAL, f"kf{number}", number)
