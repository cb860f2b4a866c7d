"""The demo's services over the last 12 months, for the persons of the working area (deterministic for a seed).

Bayi and balita are weighed monthly at their family's posyandu with growth that follows a z-score
trajectory per child, immunised on the national schedule with delays and drop-outs, given vitamin A in
February and August and deworming in August, some tested with KPSP; ibu hamil have their ANC contacts,
ibu nifas their KF visits and newborns their KN visits; about a third of the residents from 15 are
screened for PTM (lansia: ADL and SKILAS). Flags lead to a few referrals, missed sessions and drop-outs
to kader home visits. Everything is read from the register once, planned in pure Python (`plan`,
`children`, `adults`), and written through `encounters_bulk_record` and the referral and home-visit
services. A working area that already has encounters gets nothing more.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from ilp.core.scoping import AreaScope
from ilp.demo.population.services.adults import plan_nifas, plan_pregnancies, plan_screening
from ilp.demo.population.services.children import BALITA_DAYS, plan_children
from ilp.demo.population.services.follow_up import record_home_visits, record_referrals
from ilp.demo.population.services.plan import (
    Facilities,
    Plan,
    Pregnancies,
    Resident,
    Tally,
    window_months,
)
from ilp.facilities.models import Facility, FacilityKind, NetworkMember
from ilp.lifecycle.bulk import encounters_bulk_record
from ilp.lifecycle.models import Encounter
from ilp.people.life_stage import NIFAS_DAYS
from ilp.people.models import FamilyMembership, Migration, MigrationDirection, Person, Pregnancy
from ilp.people.selectors import DELIVERY_OUTCOMES

__all__ = ["BLOCK_SIZE", "ServicesSummary", "iter_plans", "load_register", "seed_services"]

BLOCK_SIZE = 5000


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


def load_register(
    village_ids: list[int], puskesmas_id: int, today: dt.date
) -> tuple[list[Resident], Facilities, Pregnancies]:
    """The persons, facilities and pregnancies of the working area, in five queries."""
    area = Q(region__village_id__in=village_ids)
    family = dict(FamilyMembership.objects.filter(end_date__isnull=True, person__in=Person.objects.filter(area))
                  .values_list("person_id", "family_id"))  # fmt: skip
    arrived = dict(
        Migration.objects.filter(direction=MigrationDirection.IN, person__in=Person.objects.filter(area))
        .order_by("date")
        .values_list("person_id", "date")
    )
    residents = [
        Resident(pk, sex, born, died, moved, posyandu, village, family.get(pk), arrived.get(pk))
        for pk, sex, born, died, moved, posyandu, village in Person.objects.filter(area, merged_into__isnull=True)
        .order_by("id")
        .values_list("id", "sex", "birth_date", "death_date", "moved_out_on", "posyandu_id", "region__village_id")
    ]  # fmt: skip
    posyandu_day, pustu = {}, {}
    for pk, kind, day, village in Facility.objects.filter(
        kind__in=[FacilityKind.POSYANDU, FacilityKind.PUSTU], region__village_id__in=village_ids
    ).values_list("id", "kind", "schedule_day", "region__village_id"):
        if kind == FacilityKind.POSYANDU:
            posyandu_day[pk] = day
        else:
            pustu.setdefault(village, pk)
    midwife = (
        NetworkMember.objects.filter(puskesmas_id=puskesmas_id, member__kind=FacilityKind.PRAKTIK_BIDAN)
        .order_by("member__code")
        .values_list("member_id", flat=True)
        .first()
    )
    ongoing, delivered = {}, {}
    for person, lmp, ended, outcome in Pregnancy.objects.filter(person__in=Person.objects.filter(area)).values_list(
        "person_id", "lmp_date", "ended_on", "outcome"
    ):
        if ended is None:
            ongoing[person] = lmp
        elif outcome in DELIVERY_OUTCOMES and (today - ended).days <= NIFAS_DAYS:
            delivered[person] = ended
    facilities = Facilities(posyandu_day, pustu, puskesmas_id, midwife)
    return residents, facilities, Pregnancies(ongoing, delivered)


def iter_plans(
    residents: list[Resident], facilities: Facilities, pregnancies: Pregnancies, *, seed: int, today: dt.date
) -> Iterator[Plan]:
    """One plan per block of `BLOCK_SIZE` residents (in id order), each from its own `Random(f"{seed}:services:{n}")`:
    the same register and seed give the same plans, and memory stays bounded for millions of persons."""
    year, month = window_months(today)[0]
    first_session = dt.date(year, month, 1)
    for block, start in enumerate(range(0, len(residents), BLOCK_SIZE)):
        rng = random.Random(f"{seed}:services:{block}")
        plan = Plan()
        persons = [p for p in residents[start : start + BLOCK_SIZE] if p.village_id in facilities.pustu_by_village]
        children = [p for p in persons if (first_session - p.birth_date).days < BALITA_DAYS]
        plan_children(rng, plan, children, facilities, today)
        for person in persons:
            if person.id in pregnancies.ongoing:
                plan_pregnancies(rng, plan, person, pregnancies.ongoing[person.id], facilities, today)
            elif person.id in pregnancies.delivered:
                plan_nifas(rng, plan, person, pregnancies.delivered[person.id], facilities, today)
            plan_screening(rng, plan, person, facilities, today)
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

    Dates run over the last 12 months (`plan.WINDOW_MONTHS`) up to today (immunisations from birth): never in the
    future, before birth, after death or a move out, or before a move in.
    """
    started = time.perf_counter()
    if Encounter.objects.filter(person__region__village_id__in=village_ids).exists():
        return ServicesSummary(created=False)
    today = today or timezone.localdate()
    residents, facilities, pregnancies = load_register(village_ids, puskesmas_id, today)
    collected = _Collected()
    plans = iter_plans(residents, facilities, pregnancies, seed=seed, today=today)
    result = encounters_bulk_record(scope=AreaScope.all(), encounters=collected.drafts(plans), progress=progress)
    rng = random.Random(f"{seed}:follow-up")
    referrals = record_referrals(rng, collected.referrals, facilities, today)
    visits = record_home_visits(collected.home_visits)
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
