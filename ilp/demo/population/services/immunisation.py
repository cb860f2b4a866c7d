"""The immunisation history of bayi and balita from birth, per the national schedule, with delays and drop-outs.

HB0 comes with the birth (almost always in a facility, less often after a home birth); the later contacts
are at the posyandu session, the pustu or the puskesmas. Zero-dose children and drop-outs are fewer where
the desa works well (`area`): ~3 % zero-dose, ~6 % dropping out before MR1 and ~10 % before the baduta
boosters put IDL near 85 % and DPT-HB-Hib 3 near 92 % (◐ WUENIC for Indonesia; Sumatera Barat's own IDL
reports 80-90 %), varying by desa.
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo.population.services.area import share
from ilp.demo.population.services.births import Delivery
from ilp.demo.population.services.plan import Facilities, HomeVisitPlan, Plan, Resident
from ilp.lifecycle.models import Place, ServiceKind
from ilp.lifecycle.rules.common import add_months

ZERO_DOSE = (0.03, -0.02)  # (base share, spread by desa quality)
DROP_OUT = (0.06, -0.03)
BOOSTER_DROP_OUT = 0.10
HB0_FACILITY = 0.97
HB0_HOME = 0.75
# Punctuality: (share, delay range in days) — on time, late, very late.
PUNCTUALITY = ((0.60, (0, 14)), (0.30, (7, 35)), (0.10, (30, 75)))
# Contacts of the national schedule (ILP Juknis `06-imunisasi-rutin.mdx`): (months, days after birth, doses).
CONTACTS = (
    (0, 14, ("bcg", "opv1")),
    (2, 0, ("dpt_hb_hib1", "opv2", "rv1", "pcv1")),
    (3, 0, ("dpt_hb_hib2", "opv3", "rv2", "pcv2")),
    (4, 0, ("dpt_hb_hib3", "opv4", "rv3", "ipv1")),
    (9, 0, ("mr1", "ipv2")),
    (12, 0, ("pcv3",)),
    (18, 0, ("dpt_hb_hib4", "mr2")),
)
# Minimum gaps the schedule asks after an earlier contact: (contact, earlier contact, days).
MIN_GAPS = ((5, 2, 57), (6, 3, 366), (6, 4, 184))
VISIT_DOFU = 0.4
AT_POSYANDU = 0.55
AT_PUSTU = 0.9  # below this (and from AT_POSYANDU): the pustu; above: the puskesmas


def _posyandu_on_or_after(facilities: Facilities, posyandu: int, target: dt.date) -> dt.date:
    """The first session held on or after `target` (a posyandu-month not held sends the child to the next)."""
    day = facilities.posyandu_day[posyandu]
    on = dt.date(target.year, target.month, day)
    if on < target:
        on = add_months(on, 1)
    while not facilities.held(posyandu, on):
        on = add_months(on, 1)
    return on


def _birth_place(rng: random.Random, facilities: Facilities) -> tuple[str, int | None]:
    """Where a child born before the window was born (its birth encounter: HB0)."""
    draw = rng.random()
    if draw < 0.40 and facilities.midwife_practice is not None:
        return Place.NETWORK, facilities.midwife_practice
    if draw < 0.95:
        return Place.PUSKESMAS, facilities.puskesmas
    return Place.HOME, None


def immunisations(
    rng: random.Random, plan: Plan, child: Resident, facilities: Facilities, today: dt.date, delivery: Delivery | None
) -> tuple[object | None, dict]:
    """The child's doses from birth on: the birth encounter (None when nothing was recorded there) and
    {posyandu session date: doses} for the sessions to merge with the weighing."""
    at_sessions: dict[dt.date, list[str]] = {}
    quality = facilities.desa(child)
    if delivery is not None:
        place, facility = delivery.place, delivery.facility
        hb0 = delivery.first_visit and rng.random() < (HB0_HOME if place == Place.HOME else HB0_FACILITY)
    else:
        place, facility = _birth_place(rng, facilities)
        hb0 = rng.random() < (HB0_HOME if place == Place.HOME else HB0_FACILITY)
    birth = None
    if child.present(child.birth_date) and (hb0 or (delivery is not None and delivery.first_visit)):
        birth = plan.encounter(child, child.birth_date, place, facility, "nakes")
        if hb0:
            plan.give(birth, ServiceKind.IMMUNISATION, "hb0")
    if rng.random() < share(*ZERO_DOSE, quality, low=0.005):
        return birth, at_sessions
    draw, drop = rng.random(), share(*DROP_OUT, quality, low=0.01)
    stop = rng.randint(2, 4) if draw < drop else rng.randint(5, 6) if draw < drop + BOOSTER_DROP_OUT else 7
    if stop < len(CONTACTS):
        _sweep_dofu(rng, plan, child, add_months(child.birth_date, CONTACTS[stop][0]), today)
    draw, (low, high) = rng.random(), PUNCTUALITY[-1][1]
    for rate, days in PUNCTUALITY:
        if draw < rate:
            low, high = days
            break
        draw -= rate
    dates: dict[int, dt.date] = {}
    last = None
    posyandu = child.posyandu_id if facilities.posyandu_day.get(child.posyandu_id) else None
    for index, (months, days, doses) in enumerate(CONTACTS[:stop]):
        on = add_months(child.birth_date, months) + dt.timedelta(days=days + rng.randint(low, high))
        if last is not None:
            on = max(on, last + dt.timedelta(days=31))
        for later, earlier, gap in MIN_GAPS:
            if later == index and earlier in dates:
                on = max(on, dates[earlier] + dt.timedelta(days=gap))
        where = rng.random()
        if where < AT_POSYANDU and posyandu:
            on = _posyandu_on_or_after(facilities, posyandu, on)
        gone = (child.death_date is not None and on > child.death_date) or (
            child.moved_out_on is not None and on >= child.moved_out_on
        )
        if on > today or gone:
            break
        if not child.present(on):  # before the family moved in: given elsewhere, not in this register
            continue
        dates[index] = last = on
        given = [d for d in doses if not _too_late(d, child.birth_date, on)]
        if where < AT_POSYANDU and posyandu:
            at_sessions[on] = given
            continue
        if where < AT_PUSTU:
            draft = plan.encounter(child, on, Place.PUSTU, facilities.pustu_by_village[child.village_id], "nakes")
        else:
            draft = plan.encounter(child, on, Place.PUSKESMAS, facilities.puskesmas, "nakes")
        for dose in given:
            plan.give(draft, ServiceKind.IMMUNISATION, dose)
    return birth, at_sessions


def _sweep_dofu(rng: random.Random, plan: Plan, child: Resident, missed: dt.date, today: dt.date) -> None:
    """A drop-out whose next dose is a month overdue is often visited at home in the last two months."""
    start = max(missed + dt.timedelta(days=31), today - dt.timedelta(days=60))
    if start >= today or child.family_id is None or rng.random() >= VISIT_DOFU:
        return
    on = start + dt.timedelta(days=rng.randint(0, (today - start).days))
    if child.present(on) and child.present(today):
        plan.home_visits.append(
            HomeVisitPlan(child.id, child.family_id, child.posyandu_id, on, ("immunisation_overdue",))
        )


def _too_late(dose: str, birth: dt.date, on: dt.date) -> bool:
    """Rotavirus from 7 months and BCG from 12 months are no longer given (`rules.immunisation.ScheduleParams`)."""
    return (dose.startswith("rv") and on >= add_months(birth, 7)) or (dose == "bcg" and on >= add_months(birth, 12))
