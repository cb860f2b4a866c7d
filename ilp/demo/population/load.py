"""Writing the synthetic population into the register: bulk for the families, the services for the events.

The families and persons go through `families_bulk_register` (the import path); everything that happens to
them afterwards goes through the services a puskesmas user would call, with `AreaScope.all()`: families who
moved in from Padang or Bukittinggi (`family_register` + `family_member_add` with `moved_in_from`), births of
the last 42 days (`pregnancy_record`, `pregnancy_end`, `family_member_add`), ongoing pregnancies, duplicate
registrations, moves out (`person_move_out`) and deaths (`person_record_death`). These are a few percent of
the rows, so the per-row calls stay proportional even for millions of persons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ilp.core.rows import without_gc
from ilp.core.scoping import AreaScope
from ilp.demo.population.generate import (
    PosyanduSpec,
    SynthFamily,
    SynthPerson,
    VillageSpec,
    generate_population,
)
from ilp.demo.population.services import ServicesSummary, seed_services
from ilp.facilities.models import Facility, FacilityKind, WorkingAreaVillage
from ilp.people.bulk import FamilyDraft, PersonDraft, families_bulk_register
from ilp.people.models import Family, Migration, MigrationDirection, Person, Pregnancy, PregnancyOutcome
from ilp.people.services import (
    family_member_add,
    family_register,
    person_move_out,
    person_record_death,
    pregnancy_end,
    pregnancy_record,
)
from ilp.regions.models import Level, Region

LOOKUP_CHUNK = 2000


@dataclass
class PopulationSummary:
    """What the working area's register holds, in the terms a Dinkes officer reads (life stages today)."""

    created: bool
    persons: int = 0
    families: int = 0
    bayi: int = 0
    balita: int = 0
    ibu_hamil: int = 0
    ibu_nifas: int = 0
    lansia: int = 0
    deaths: int = 0
    moved_in: int = 0
    moved_out: int = 0
    duplicates: int | None = None
    # A year of services (`population.services`); None when nothing was recorded this time.
    services: ServicesSummary | None = None

    @property
    def mean_family_size(self) -> float:
        return self.persons / self.families if self.families else 0.0


def working_area_villages(puskesmas_code: str) -> list[VillageSpec]:
    """The villages a puskesmas serves, with their posyandu and any dusun/jorong regions, in code order."""
    villages = Region.objects.filter(
        pk__in=WorkingAreaVillage.objects.filter(puskesmas__code=puskesmas_code).values("village_id")
    ).order_by("code")
    posyandu: dict[int, list[PosyanduSpec]] = {}
    for pk, code, village_id in (
        Facility.objects.filter(kind=FacilityKind.POSYANDU, region__village__in=villages)
        .order_by("code")
        .values_list("id", "code", "region__village_id")
    ):
        posyandu.setdefault(village_id, []).append(PosyanduSpec(code=code, id=pk))
    dusun: dict[int, list[tuple[int, str]]] = {}
    for pk, name, village_id in (
        Region.objects.filter(level=Level.DUSUN, village__in=villages, is_active=True)
        .order_by("code")
        .values_list("id", "name", "village_id")
    ):
        dusun.setdefault(village_id, []).append((pk, name))
    return [
        VillageSpec(
            code=v.code,
            name=v.name,
            region_id=v.pk,
            posyandu=tuple(posyandu.get(v.pk, ())),
            dusun=tuple(dusun.get(v.pk, ())),
        )
        for v in villages
    ]


def _area_q(villages: list[VillageSpec]) -> Q:
    return Q(region__village_id__in=[v.region_id for v in villages])


def population_summary(
    villages: list[VillageSpec], *, created: bool, today: dt.date | None = None
) -> PopulationSummary:
    """Counts of the register in these villages: active persons by life stage, deaths, migrations."""
    today = today or timezone.localdate()
    area = _area_q(villages)
    active = Person.objects.filter(area, death_date__isnull=True, moved_out_on__isnull=True, merged_into__isnull=True)

    def years_ago(n: int) -> dt.date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    nifas_from = today - dt.timedelta(days=42)
    return PopulationSummary(
        created=created,
        persons=active.count(),
        families=Family.objects.filter(area).count(),
        bayi=active.filter(birth_date__gt=years_ago(1)).count(),
        balita=active.filter(birth_date__gt=years_ago(5), birth_date__lte=years_ago(1)).count(),
        ibu_hamil=Pregnancy.objects.filter(ended_on__isnull=True, person__in=active).count(),
        ibu_nifas=Pregnancy.objects.filter(
            ended_on__gte=nifas_from, outcome__in=[PregnancyOutcome.LIVE_BIRTH, PregnancyOutcome.STILLBIRTH]
        )
        .filter(person__in=active)
        .count(),
        lansia=active.filter(birth_date__lte=years_ago(60)).count(),
        deaths=Person.objects.filter(area, death_date__isnull=False).count(),
        moved_in=Migration.objects.filter(
            direction=MigrationDirection.IN, person__in=Person.objects.filter(area)
        ).count(),
        moved_out=Migration.objects.filter(
            direction=MigrationDirection.OUT, person__in=Person.objects.filter(area)
        ).count(),
    )


def _person_draft(p: SynthPerson) -> PersonDraft:
    return PersonDraft(
        name=p.name,
        sex=p.sex,
        birth_date=p.birth_date,
        relationship=p.relationship,
        nik=p.nik,
        nik_missing_reason=p.nik_missing_reason,
        birth_date_estimated=p.birth_date_estimated,
        jkn_number=p.jkn_number,
        phone=p.phone,
        disability=p.disability,
        external_id=p.external_id,
        joined_on=p.joined_on,
    )


def _person_kwargs(p: SynthPerson, moved_in_from: str = "") -> dict:
    return {
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "relationship": p.relationship,
        "nik": p.nik,
        "nik_missing_reason": p.nik_missing_reason,
        "birth_date_estimated": p.birth_date_estimated,
        "jkn_number": p.jkn_number,
        "phone": p.phone,
        "disability": p.disability,
        "joined_on": p.joined_on,
        "moved_in_from": moved_in_from,
        "confirm_warnings": True,
    }


def _has_event(p: SynthPerson) -> bool:
    return bool(p.pregnancy_lmp or p.delivery or p.died_on or p.moved_out_on)


class _Plan:
    """What the bulk step leaves to the services, collected while the drafts stream past."""

    def __init__(self):
        self.moved_in: list[SynthFamily] = []
        self.added: list[tuple[SynthFamily, SynthPerson]] = []  # newborns and duplicates, after bulk
        self.event_persons: dict = {}  # external id -> SynthPerson registered by bulk, with an event
        self.events: list[SynthPerson] = []  # every person with an event, bulk or moved in
        self.host_families: dict = {}  # external id -> SynthFamily receiving an added person
        self.duplicates = 0

    def drafts(self, families: Iterator[SynthFamily]) -> Iterator[FamilyDraft]:
        for fam in families:
            for p in fam.members:
                if p.added_by_event:
                    self.added.append((fam, p))
                    self.duplicates += p.duplicate_of is not None
            self.events += [p for p in fam.members if not p.added_by_event and _has_event(p)]
            if fam.moved_in_from:
                self.moved_in.append(fam)
                continue
            if any(p.added_by_event for p in fam.members):
                self.host_families[fam.external_id] = fam
            members = [p for p in fam.members if not p.added_by_event]
            self.event_persons.update({p.external_id: p for p in members if _has_event(p)})
            yield FamilyDraft(
                region_id=fam.region_id,
                members=[_person_draft(p) for p in members],
                kk_number=fam.kk_number,
                address_text=fam.address_text,
                posyandu_id=fam.posyandu.id if fam.posyandu else None,
                external_id=fam.external_id,
            )


def _lookup(model, external_ids) -> dict:
    ids = sorted(external_ids, key=str)
    found = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        found.update(
            {o.external_id: o for o in model.objects.filter(external_id__in=ids[start : start + LOOKUP_CHUNK])}
        )
    return found


@without_gc()
@transaction.atomic
def seed_population(
    *,
    persons: int,
    seed: int,
    puskesmas_code: str,
    today: dt.date | None = None,
    bulk_progress: Callable[[int], None] | None = None,
    events_progress: Callable[[int, int], None] | None = None,
    services_progress: Callable[[int], None] | None = None,
) -> PopulationSummary:
    """Register `persons` synthetic persons in the puskesmas' working area, once, then a year of their services.

    Skipped (`created=False`) when the working area already has persons: a second `ilp demo` adds nothing. The
    services are recorded once too: for a register seeded before they existed, on the next run.
    Dates are relative to `today`, the local date by default (the date the services check against; pass it
    only to pin the date a long run started on). The whole step is one transaction.
    """
    today = today or timezone.localdate()
    villages = working_area_villages(puskesmas_code)
    if not villages or Person.objects.filter(_area_q(villages)).exists() or persons <= 0:
        summary = population_summary(villages, created=False, today=today)
        if summary.persons:
            summary.services = _services(villages, puskesmas_code, seed, today, services_progress)
        return summary
    scope = AreaScope.all()
    plan = _Plan()
    generated = generate_population(persons=persons, seed=seed, villages=villages, today=today)
    families_bulk_register(scope=scope, families=plan.drafts(generated), progress=bulk_progress)
    # Generated uid -> stored row, for the persons and families the services work on.
    db_person = {plan.event_persons[ext].uid: obj for ext, obj in _lookup(Person, plan.event_persons).items()}
    db_family = {plan.host_families[ext].uid: obj for ext, obj in _lookup(Family, plan.host_families).items()}
    steps = (
        len(plan.moved_in)
        + len(plan.added)
        + sum(bool(p.pregnancy_lmp or p.moved_out_on or p.died_on) for p in plan.events)
    )
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if events_progress is not None:
            events_progress(done, steps)

    # Families who moved in: registered as a kader would, the move recorded on each person.
    for fam in plan.moved_in:
        members = [p for p in fam.members if not p.added_by_event]
        head, others = members[0], members[1:]
        head_data = _person_kwargs(head, fam.moved_in_from)
        head_data.pop("relationship")
        head_data.pop("confirm_warnings")
        family = family_register(
            scope=scope,
            region=Region.objects.get(pk=fam.region_id),
            head=head_data,
            kk_number=fam.kk_number,
            address_text=fam.address_text,
            posyandu=Facility.objects.get(pk=fam.posyandu.id) if fam.posyandu else None,
            confirm_warnings=True,
        )
        db_family[fam.uid] = family
        db_person[head.uid] = family.head
        for p in others:
            db_person[p.uid] = family_member_add(
                scope=scope,
                family=family,
                **_person_kwargs(p, fam.moved_in_from if p.joined_on == fam.moved_in_on else ""),
            )
        tick()
    # Births of the last 42 days: the mother's pregnancy is recorded and ended, then the baby joins the family.
    for fam, p in plan.added:
        if p.duplicate_of is not None:
            continue
        mother = db_person[p.mother.uid]
        lmp, born = p.mother.delivery
        pregnancy = pregnancy_record(scope=scope, person=mother, lmp_date=lmp)
        pregnancy_end(scope=scope, pregnancy=pregnancy, ended_on=born, outcome=PregnancyOutcome.LIVE_BIRTH)
        family_member_add(scope=scope, family=db_family[fam.uid], **_person_kwargs(p))
        tick()
    for p in plan.events:
        if p.pregnancy_lmp:
            pregnancy_record(scope=scope, person=db_person[p.uid], lmp_date=p.pregnancy_lmp)
            tick()
    # The same person registered a second time, without NIK and with another spelling, in another family.
    for fam, p in plan.added:
        if p.duplicate_of is not None:
            family_member_add(scope=scope, family=db_family[fam.uid], **_person_kwargs(p))
            tick()
    for p in plan.events:
        if p.moved_out_on:
            person_move_out(scope=scope, person=db_person[p.uid], on=p.moved_out_on, place=p.moved_out_to)
            tick()
        elif p.died_on:
            person_record_death(scope=scope, person=db_person[p.uid], died_on=p.died_on, cause=p.death_cause)
            tick()
    summary = population_summary(villages, created=True, today=today)
    summary.duplicates = plan.duplicates
    summary.services = _services(villages, puskesmas_code, seed, today, services_progress)
    return summary


def _services(villages: list[VillageSpec], puskesmas_code: str, seed: int, today, progress) -> ServicesSummary | None:
    puskesmas = Facility.objects.get(code=puskesmas_code)
    village_ids = [v.region_id for v in villages]
    services = seed_services(
        village_ids=village_ids, puskesmas_id=puskesmas.pk, seed=seed, today=today, progress=progress
    )
    return services if services.created else None
