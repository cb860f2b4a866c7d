"""The demo's services over the last 12 months, for the persons of the working area (deterministic for a seed).

Bayi and balita are weighed monthly at their family's posyandu with growth that follows a z-score
trajectory per child, immunised on the national schedule with delays and drop-outs, given vitamin A in
February and August and deworming in August, some tested with KPSP. Every pregnancy of the window has its
ANC contacts; the births of the window their delivery (place and attendant), the mother's KF and the baby's
KN visits (`births`, `maternal`). School children are screened at the start of the school year, girls get
TTD and an Hb test in kelas 7 and 10, BIAS runs in August and November (`school`). About half of the
residents from 15 are screened for PTM (lansia: ADL and SKILAS), known hypertensive and diabetic patients
come for their checks, presumptive TB is referred, ODGJ berat patients get monthly care (`adults`,
`chronic`), women 30-50 have IVA and SADANIS (`cancer`); kader visit about 30 % of the families at home
(`visits`). Desa and posyandu differ in how well they work, and the months in how busy they are (`area`).

Everything is read from the register once (`register`), planned in pure Python, and written through
`encounters_bulk_record`, the referral services and set-based inserts of home visits and pregnancies.
A working area that already has encounters gets nothing more.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.utils import timezone

from ilp.core.scoping import AreaScope
from ilp.demo.population.services.adults import plan_screening
from ilp.demo.population.services.area import quality_scores, skipped_sessions
from ilp.demo.population.services.births import Delivery, draw_delivery
from ilp.demo.population.services.cancer import plan_cancer_screening
from ilp.demo.population.services.children import BALITA_DAYS, plan_children
from ilp.demo.population.services.chronic import odgj_patients, plan_chronic, plan_odgj
from ilp.demo.population.services.follow_up import record_referrals
from ilp.demo.population.services.maternal import plan_anc, plan_delivery
from ilp.demo.population.services.plan import Facilities, Plan, Pregnancies, Resident, Tally, window_start
from ilp.demo.population.services.register import load_register, pregnancies_close, pregnancies_open
from ilp.demo.population.services.school import plan_school, school_days
from ilp.demo.population.services.visits import plan_routine_visits, record_home_visits
from ilp.lifecycle.bulk import encounters_bulk_record
from ilp.lifecycle.models import Encounter

__all__ = ["BLOCK_SIZE", "ServicesSummary", "iter_plans", "load_register", "prepare", "seed_services"]

BLOCK_SIZE = 5000
# Drafts per `encounters_bulk_record` chunk: each chunk writes its own change marks (topic x desa x month,
# and the histories reach back five years), so fewer, larger chunks write far fewer of them.
DRAFT_CHUNK = 20_000


@dataclass
class ServicesSummary:
    """What `seed_services` recorded, and the shares it drew (in percent)."""

    created: bool
    encounters: int = 0
    observations: int = 0
    services: int = 0
    referrals: int = 0
    home_visits: int = 0
    weighed_share: float = 0.0  # D/S over the child-months of the window
    stunted_share: float = 0.0  # of the children measured, by their latest length/height
    hypertension_share: float = 0.0  # of the screened adults from 18
    diabetes_share: float = 0.0  # of the screened adults from 40
    seconds: float = 0.0


def prepare(
    residents: list[Resident], facilities: Facilities, pregnancies: Pregnancies, *, seed: int, today: dt.date
) -> tuple[Facilities, dict[int, Delivery]]:
    """The facilities with each desa's and posyandu's quality and the posyandu-months not held, and the
    deliveries of the window by baby (pure: the same register and seed give the same)."""
    desa, posyandu = quality_scores(seed, facilities.pustu_by_village, facilities.posyandu_village)
    skipped = skipped_sessions(seed, facilities.posyandu_day, today)
    facilities = replace(facilities, quality=desa, posyandu_quality=posyandu, skipped=skipped).with_sessions(today)
    deliveries = {}
    for link in pregnancies.births:
        delivery = draw_delivery(seed, link, facilities, today)
        deliveries.update(dict.fromkeys(link.babies, delivery))
    return facilities, deliveries


def iter_plans(
    residents: list[Resident], facilities: Facilities, pregnancies: Pregnancies, *, seed: int, today: dt.date
) -> Iterator[Plan]:
    """One plan per block of `BLOCK_SIZE` residents (in id order), each from its own `Random(f"{seed}:services:{n}")`:
    the same register and seed give the same plans, and memory stays bounded for millions of persons."""
    facilities, deliveries = prepare(residents, facilities, pregnancies, seed=seed, today=today)
    days = school_days(seed, sorted(facilities.pustu_by_village), today)
    mothers: dict[int, list[Delivery]] = {}
    for delivery in {d.link: d for d in deliveries.values()}.values():
        if delivery.link.mother_id is not None:
            mothers.setdefault(delivery.link.mother_id, []).append(delivery)
    first = window_start(today)
    odgj = odgj_patients(seed, residents, today)
    for block, start in enumerate(range(0, len(residents), BLOCK_SIZE)):
        rng = random.Random(f"{seed}:services:{block}")
        plan = Plan()
        persons = [p for p in residents[start : start + BLOCK_SIZE] if p.village_id in facilities.pustu_by_village]
        children = [p for p in persons if (first - p.birth_date).days < BALITA_DAYS]
        plan_children(rng, plan, children, facilities, deliveries, today)
        for person in persons:
            for delivery in mothers.get(person.id, ()):
                if delivery.link.pregnancy_id is not None:  # its ANC contacts need the pregnancy on record
                    plan_anc(rng, plan, person, delivery.lmp, facilities, today, until=delivery.link.born)
                plan_delivery(rng, plan, person, delivery, facilities, today)
            if person.id in pregnancies.ongoing:
                plan_anc(rng, plan, person, pregnancies.ongoing[person.id], facilities, today)
            if plan_chronic(rng, plan, person, facilities, today, first):
                plan_screening(rng, plan, person, facilities, today)
            if person.id in odgj:
                plan_odgj(rng, plan, person, facilities, today)
            plan_cancer_screening(rng, plan, person, facilities, today)
            plan_school(rng, plan, person, facilities, days, today)
        yield plan


class _Collected:
    """The referrals, home visits and tallies of the plans, gathered while their drafts stream past."""

    def __init__(self):
        self.referrals, self.home_visits, self.tally = [], [], Tally()

    def drafts(self, plans: Iterable[Plan]):
        for plan in plans:
            self.referrals += plan.referrals
            self.home_visits += plan.home_visits
            for name, value in vars(plan.tally).items():
                setattr(self.tally, name, getattr(self.tally, name) + value)
            yield from plan.drafts()


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def seed_services(
    *,
    village_ids: list[int],
    puskesmas_id: int,
    seed: int,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ServicesSummary:
    """Record a year of services for the working area's persons, once (skipped when it has encounters).

    Dates run over the last 12 months (`plan.WINDOW_MONTHS`) up to today (immunisations from birth, the ANC of a
    pregnancy from its HPHT, a known patient's diagnosis a year or two before): never in the future, before
    birth, after death or a move out, or before a move in.
    """
    started = time.perf_counter()
    if Encounter.objects.filter(person__region__village_id__in=village_ids).exists():
        return ServicesSummary(created=False)
    today = today or timezone.localdate()
    residents, facilities, pregnancies = load_register(village_ids, puskesmas_id, today)
    prepared, deliveries = prepare(residents, facilities, pregnancies, seed=seed, today=today)
    ids, opened = pregnancies_open(list({d.link: d for d in deliveries.values()}.values()))
    births = [replace(link, pregnancy_id=ids.get(link.babies[0], link.pregnancy_id)) for link in pregnancies.births]
    pregnancies = replace(pregnancies, births=births)
    collected = _Collected()
    plans = iter_plans(residents, facilities, pregnancies, seed=seed, today=today)
    result = encounters_bulk_record(
        scope=AreaScope.all(), encounters=collected.drafts(plans), chunk_size=DRAFT_CHUNK, progress=progress
    )
    pregnancies_close(opened)
    rng = random.Random(f"{seed}:follow-up")
    referrals = record_referrals(rng, collected.referrals, facilities, today)
    routine = plan_routine_visits(seed, residents, prepared, pregnancies, today)
    visits = record_home_visits(collected.home_visits + routine)
    t = collected.tally
    return ServicesSummary(
        created=True,
        encounters=result.encounters,
        observations=result.observations,
        services=result.services,
        referrals=referrals,
        home_visits=visits,
        weighed_share=_share(t.weighed_months, t.balita_months),
        stunted_share=_share(t.stunted, t.measured),
        hypertension_share=_share(t.hypertension, t.screened_adults),
        diabetes_share=_share(t.diabetes, t.screened_40),
        seconds=round(time.perf_counter() - started, 1),
    )
