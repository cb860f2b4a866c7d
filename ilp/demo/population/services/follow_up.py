"""Referrals of the demo, recorded through their services (a few dozen rows a year per 10,000 persons).

Referrals go up the chain with realistic steps: most are received at the puskesmas within days and handled,
then followed up back home; some wait ("sent" for weeks: the home-visit worklist chases them), and some
hypertension cases are sent on by the puskesmas doctor to the hospital, which refers them back.
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.core.scoping import AreaScope
from ilp.demo.population.services.plan import Facilities, ReferralPlan
from ilp.facilities.models import Facility, FacilityKind
from ilp.lifecycle.models import Encounter, ReferralStatus
from ilp.lifecycle.services import referral_advance, referral_create
from ilp.people.models import Person

# Shares of referrals still waiting to be received, and handled but not yet followed up.
STILL_SENT = 0.15
STILL_HANDLED = 0.25
TO_HOSPITAL = 0.2  # hypertension sent on to the hospital (uncontrolled or with complications)


def _days(rng: random.Random, on: dt.date, low: int, high: int) -> dt.date:
    return on + dt.timedelta(days=rng.randint(low, high))


def _advance(scope, referral, steps, today: dt.date) -> int:
    """Record the steps whose day has come (and the person lived to see); returns how many."""
    done = 0
    death = referral.person.death_date
    for status, on in steps:
        if on > today or (death is not None and on > death):
            break
        referral_advance(scope=scope, referral=referral, status=status, date=on)
        done += 1
    return done


def record_referrals(rng: random.Random, plans: list[ReferralPlan], facilities: Facilities, today: dt.date) -> int:
    """Record the planned referrals and their steps; returns how many referrals were created."""
    if not plans:
        return 0
    scope = AreaScope.all()
    persons = Person.objects.in_bulk({p.person_id for p in plans})
    encounters = {
        (e.person_id, e.date, e.place): e
        for e in Encounter.objects.filter(person_id__in=persons, date__in={p.date for p in plans})
    }
    puskesmas = Facility.objects.get(pk=facilities.puskesmas)
    hospital = Facility.objects.filter(kind=FacilityKind.RUMAH_SAKIT).order_by("code").first()
    created = 0
    for plan in plans:
        person = persons[plan.person_id]
        referral = referral_create(
            scope=scope,
            person=person,
            date=plan.date,
            from_level=plan.from_level,
            to_level=plan.to_level,
            reasons=list(plan.reasons),
            encounter=encounters.get((plan.person_id, plan.date, plan.place)),
            to_facility=hospital if plan.to_level == "hospital" else puskesmas,
        )
        created += 1
        if plan.received_on is None and rng.random() < STILL_SENT:
            continue
        received = plan.received_on or _days(rng, plan.date, 1, 10)
        steps = [(ReferralStatus.RECEIVED, received), (ReferralStatus.HANDLED, received)]
        onward = plan.to_level == "puskesmas" and "hypertension" in plan.reasons and rng.random() < TO_HOSPITAL
        onward = onward and hospital is not None
        if not onward and rng.random() >= STILL_HANDLED:
            steps.append((ReferralStatus.FOLLOWED_UP, _days(rng, received, 7, 30)))
        if _advance(scope, referral, steps, today) < 2 or not onward:
            continue
        sent_on = referral_create(
            scope=scope,
            person=person,
            date=received,
            from_level="puskesmas",
            to_level="hospital",
            reasons=list(plan.reasons),
            to_facility=hospital,
            note="Hipertensi tidak terkontrol, rujuk Sp.PD",
        )
        created += 1
        at_hospital = _days(rng, received, 1, 7)
        back = _days(rng, at_hospital, 7, 21)
        steps = [(ReferralStatus.RECEIVED, at_hospital), (ReferralStatus.HANDLED, at_hospital)]
        steps += [(ReferralStatus.REFERRED_BACK, back), (ReferralStatus.FOLLOWED_UP, _days(rng, back, 3, 14))]
        if _advance(scope, sent_on, steps, today) == len(steps):
            referral_advance(scope=scope, referral=referral, status=ReferralStatus.FOLLOWED_UP, date=steps[-1][1])
    return created
