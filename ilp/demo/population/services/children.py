"""Services for bayi and balita: monthly posyandu weighing over the last 12 months with growth that follows a
persistent z-score trajectory per child, the immunisation history from birth (`immunisation`), vitamin A,
deworming, KPSP, and the KN visits of the babies born in the window (`births`). Attendance follows the
posyandu's quality and the calendar (`area`); a posyandu-month not held has no session.

Measurements are drawn as z-scores and turned into centimetres and kilograms through the WHO LMS tables
(`rules.growth.tables`), all of a block at once; the stored z-scores are then derived from those values
by `encounters_bulk_record`, as for any recorded weighing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

import numpy as np

from ilp.demo.population.services.area import attendance_shift
from ilp.demo.population.services.births import Delivery
from ilp.demo.population.services.immunisation import immunisations
from ilp.demo.population.services.plan import Facilities, HomeVisitPlan, Plan, ReferralPlan, Resident, clamp
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place, ServiceKind
from ilp.lifecycle.rules import ranges
from ilp.lifecycle.rules.common import completed_months
from ilp.lifecycle.rules.development import DEFAULT_KPSP_PARAMS, kpsp_age_months
from ilp.lifecycle.rules.growth.tables import growth_tables, sd_curve
from ilp.people.identity import SEX_FEMALE

BALITA_DAYS = 1826  # under 60 months
# Height-for-age once grown (from 24 months): mean -1.2, SD 1.15 puts ~24 % of 2-4-year-olds and, with the
# milder infant ramp below, ~21-22 % of all under-fives below -2 SD: SSGI 2022 21.6 %, SKI 2023 21.5 %
# stunting (SSGI 2022 by age: lower in infants, highest at 24-35 months).
HAZ = (-1.2, 1.15)
HAZ_INFANT_SHARE = 0.7  # the share of the grown z-score a newborn already has; full by 24 months
# Weight-for-length/height: mean -0.45, SD ~1.05 with the monthly wobble -> ~7 % below -2 SD (wasting;
# SSGI 2022 7.7 %, SKI 2023 8.5 %).
WHZ = (-0.45, 0.95)
WOBBLE = (0.8, 0.12)  # AR(1) month to month: persistence, SD of the monthly change in z
LENGTH_ERROR_CM = 0.35  # SD of a posyandu length/height reading around the true value
FALTERING_SHARE = 0.05  # children with a 2-3 month weight plateau (growth faltering, T/2T)
# D/S: a child's chance to come to a session, mean ~0.8 (the 75-85 % weighing coverage posyandu report ◐),
# higher in February and August (bulan penimbangan and vitamin A).
ATTENDANCE = (0.80, 0.15)
ATTENDANCE_SPREAD = 0.07  # by posyandu quality (`area`); the month's shift is `area.attendance_shift`
HEIGHT_SHARE = 0.6  # sessions where length/height is measured too (always in February and August)
MUAC_SHARE = 0.25
HEAD_SHARE = 0.3  # head circumference, under two
KPSP_SHARE = 0.35  # children tested at a KPSP age (SDIDTK by the bidan at the posyandu)
# Follow-up: stunted children referred to the puskesmas doctor (PKG Juknis `01-pertumbuhan.mdx`: stunted ->
# refer), kader sweeping of children who missed a session (ILP.md §1.5).
REFER_STUNTED = 0.10
VISIT_MISSED = 0.25
# Birth weight: mean 3.1 kg, SD 0.45 kg gives ~6 % below 2.5 kg (BBLR; Riskesdas 2018: 6.2 %).
BIRTH_WEIGHT = (3.1, 0.45)


@dataclass(slots=True)
class _Measure:
    draft: object
    sex: int
    age_days: int
    haz: float
    length_error: float
    whz: float
    muac_z: float  # NaN: not measured
    head_z: float
    height: bool


def _newborn(rng: random.Random, plan: Plan, child: Resident, birth, delivery: Delivery, facilities: Facilities,
             today: dt.date, measures: list) -> None:  # fmt: skip
    """Birth weight and length with KN1 at the birth encounter, then KN2/KN3 at the joint KF/KN visits."""
    if birth is not None and delivery.first_visit:
        plan.give(birth, ServiceKind.NEONATAL, "kn1", 1)
        weight = clamp(rng.gauss(*BIRTH_WEIGHT), 1.6, 4.6)
        birth.observations[K.WEIGHT] = round(weight, 2)
        haz = clamp(0.6 * (weight - BIRTH_WEIGHT[0]) / BIRTH_WEIGHT[1] + rng.gauss(0, 0.6), -3.5, 3.0)
        measures.append(_Measure(birth, _sex(child), 0, haz, 0.0, math.nan, math.nan, math.nan, True))
    pustu = facilities.pustu_by_village[child.village_id]
    for number, on, where in delivery.visits:
        if on <= today and child.present(on):
            draft = plan.encounter(child, on, where, pustu if where == Place.PUSTU else None, "nakes")
            plan.give(draft, ServiceKind.NEONATAL, f"kn{number}", number)


def _sex(person: Resident) -> int:
    return 2 if person.sex == SEX_FEMALE else 1


def plan_children(rng: random.Random, plan: Plan, children: list[Resident], facilities: Facilities,
                  deliveries: dict[int, Delivery], today: dt.date) -> None:  # fmt: skip
    """Every service of the children under five (and of those who turned five during the window)."""
    measures: list[_Measure] = []
    for child in children:
        delivery = deliveries.get(child.id)
        birth, at_sessions = immunisations(rng, plan, child, facilities, today, delivery)
        if delivery is not None:
            _newborn(rng, plan, child, birth, delivery, facilities, today, measures)
        base_h = clamp(rng.gauss(*HAZ), -4.0, 3.0)
        base_w = clamp(rng.gauss(*WHZ), -3.6, 2.8)
        muac_offset, head_z = rng.gauss(0, 0.5), clamp(rng.gauss(-0.3, 0.9), -3.0, 3.0)
        attend = clamp(rng.gauss(ATTENDANCE[0] + ATTENDANCE_SPREAD * facilities.posyandu(child), ATTENDANCE[1]),
                       0.15, 0.99)  # fmt: skip
        sessions = facilities.sessions(child.posyandu_id, today)
        falters = len(sessions) >= 6 and rng.random() < FALTERING_SHARE
        falter = rng.randrange(len(sessions) - 5, len(sessions)) if falters else -1
        wobble, drop, latest, latest_on = 0.0, 0.0, None, None
        for i, on in enumerate(sessions):
            wobble = WOBBLE[0] * wobble + rng.gauss(0, WOBBLE[1])
            drop = drop + 0.3 if 0 <= falter <= i < falter + 3 else max(0.0, drop - 0.1)
            age = (on - child.birth_date).days
            doses = at_sessions.pop(on, None)
            if not child.present(on) or age >= BALITA_DAYS or (age < 28 and doses is None):
                continue
            plan.tally.balita_months += 1
            if doses is None and rng.random() >= attend + attendance_shift(on):
                _sweep_missed(rng, plan, child, on, today)
                continue
            plan.tally.weighed_months += 1
            draft = plan.encounter(child, on, Place.POSYANDU, child.posyandu_id, "kader" if not doses else "nakes")
            for dose in doses or ():
                plan.give(draft, ServiceKind.IMMUNISATION, dose)
            months = completed_months(birth_date=child.birth_date, on=on)
            haz = clamp(base_h * (HAZ_INFANT_SHARE + (1 - HAZ_INFANT_SHARE) * min(1.0, age / 730)), -4.0, 3.0)
            whz = clamp(base_w + wobble - drop, -4.0, 3.0)
            height = on.month in (2, 8) or rng.random() < HEIGHT_SHARE
            muac = clamp(0.75 * whz + muac_offset, -4.0, 3.0) if months >= 6 and rng.random() < MUAC_SHARE else math.nan
            head = head_z if months < 24 and rng.random() < HEAD_SHARE else math.nan
            error = rng.gauss(0, LENGTH_ERROR_CM)
            measures.append(_Measure(draft, _sex(child), age, haz, error, whz, muac, head, height))
            if height:
                latest, latest_on = haz, on
            if on.month in (2, 8) and 6 <= months <= 59:
                plan.give(draft, ServiceKind.VITAMIN_A)
            if on.month == 8 and 12 <= months <= 59 and rng.random() < 0.9:
                plan.give(draft, ServiceKind.DEWORMING)
            if kpsp_age_months(birth_date=child.birth_date, on=on) in DEFAULT_KPSP_PARAMS.schedule_months and (
                rng.random() < KPSP_SHARE
            ):
                draft.observations[K.KPSP] = rng.choices((10, 9, 8, 7, 6, 5), (55, 33, 5, 3, 3, 1))[0]
                draft.recorder_kind = "nakes"
        for on, doses in at_sessions.items():  # sessions before the window: the doses only
            draft = plan.encounter(child, on, Place.POSYANDU, child.posyandu_id, "nakes")
            for dose in doses:
                plan.give(draft, ServiceKind.IMMUNISATION, dose)
        if latest is not None:
            plan.tally.measured += 1
            plan.tally.stunted += latest < -2
            if latest < -2 and rng.random() < REFER_STUNTED:
                flag = "severely_stunted" if latest < -3 else "stunted"
                plan.referrals.append(
                    ReferralPlan(child.id, latest_on, Place.POSYANDU, "posyandu", "puskesmas", (flag,))
                )
    _fill(measures)


def _sweep_missed(rng: random.Random, plan: Plan, child: Resident, session: dt.date, today: dt.date) -> None:
    """A child who missed one of the last three sessions is sometimes visited by a kader within days."""
    if (today - session).days > 92 or child.family_id is None or rng.random() >= VISIT_MISSED:
        return
    on = min(today, session + dt.timedelta(days=rng.randint(2, 10)))
    if child.present(on) and child.present(today):
        plan.home_visits.append(HomeVisitPlan(child.id, child.family_id, child.posyandu_id, on, ("missed_posyandu",)))


def _fill(measures: list[_Measure]) -> None:
    """Turn the drawn z-scores into measurements (WHO LMS: y = M(1 + L·S·z)^(1/L)), all at once."""
    if not measures:
        return
    t = growth_tables()
    sex = np.array([x.sex for x in measures], dtype=np.intp)
    age = np.array([x.age_days for x in measures], dtype=np.intp)

    def at_age(table, z):
        row = (sex - 1) * table.block + np.minimum(age, table.size - 1)
        return sd_curve(table.lam[row], table.m[row], table.s[row], z)

    # Length under two years (lying, L), height from two (standing, H): the measure the standard expects.
    length = at_age(t.lhfa, np.array([x.haz for x in measures]))
    standing = age >= 731
    weights = []
    for table, low, high in ((t.wfl, 45.0, 110.0), (t.wfh, 65.0, 120.0)):
        grid = np.rint((np.clip(length, low, high) - low) / 0.1).astype(np.intp)
        row = (sex - 1) * table.block + grid
        weights.append(sd_curve(table.lam[row], table.m[row], table.s[row], np.array([x.whz for x in measures])))
    weight = np.round(np.where(standing, weights[1], weights[0]), 1)
    length = np.round(length + np.array([x.length_error for x in measures]), 1)
    muac = np.round(at_age(t.acfa, np.array([x.muac_z for x in measures])), 1)
    head = np.round(at_age(t.hcfa, np.array([x.head_z for x in measures])), 1)
    for i, x in enumerate(measures):
        values = x.draft.observations
        if K.WEIGHT not in values:
            values[K.WEIGHT] = _plausible(K.WEIGHT, float(weight[i]), x.age_days)
        if x.height:
            values[K.LENGTH_HEIGHT] = _plausible(K.LENGTH_HEIGHT, float(length[i]), x.age_days)
            values[K.MEASURE] = "H" if standing[i] else "L"
        if not math.isnan(muac[i]):
            values[K.MUAC] = _plausible(K.MUAC, float(muac[i]), x.age_days)
        if not math.isnan(head[i]):
            values[K.HEAD_CIRCUMFERENCE] = _plausible(K.HEAD_CIRCUMFERENCE, float(head[i]), x.age_days)


def _plausible(kind: str, value: float, age_days: int) -> float:
    row = ranges.range_row(kind, age_days=age_days)
    return clamp(value, row.plausible_min, row.plausible_max)
