"""Reads of the life-cycle app: a person's history, and their flags and due services (the rules applied
to what is recorded), for many persons at once without a query per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import QuerySet

from ilp.core.db import in_ids
from ilp.core.scoping import AreaScope
from ilp.lifecycle.models import (
    Encounter,
    EncounterStatus,
    HomeVisitRequest,
    Observation,
    ObservationKind,
    Referral,
    ServiceGiven,
    ServiceKind,
)
from ilp.lifecycle.rules import referral as chain
from ilp.lifecycle.rules.care import Care, PersonRecord, assess
from ilp.people.identity import SEX_FEMALE
from ilp.people.models import Person, Pregnancy, PregnancyOutcome

DELIVERIES = (PregnancyOutcome.LIVE_BIRTH, PregnancyOutcome.STILLBIRTH)
# How far back the rules look: the whole childhood schedule (immunisation from birth) and a year of
# adult screening; a child's record is read whole, an adult's last two years.
ADULT_HISTORY = dt.timedelta(days=730)


def encounter_list(*, scope: AreaScope, person: Person | None = None) -> QuerySet[Encounter]:
    """Encounters of persons inside the scope (none for aggregate-only roles), newest first."""
    if not scope.person_level:
        return Encounter.objects.none()
    qs = Encounter.objects.filter(scope.household_q("person__")).select_related("facility", "person")
    if person is not None:
        qs = qs.filter(person=person)
    return qs.prefetch_related("observations", "services").order_by("-date", "-id")


def referral_list(*, scope: AreaScope, open_only: bool = False) -> QuerySet[Referral]:
    """Referrals of persons inside the scope, newest first; `open_only` keeps those not yet followed up."""
    if not scope.person_level:
        return Referral.objects.none()
    qs = Referral.objects.filter(scope.household_q("person__")).select_related("person", "to_facility")
    if open_only:
        qs = qs.filter(status__in=[s.value for s in chain.OPEN])
    return qs.order_by("-date", "-id")


def _encounters(persons: Sequence[Person], on: dt.date) -> dict[int, list[tuple[int, dt.date]]]:
    """(id, date) of each person's encounters the rules read, as recorded (date, then id): a child's whole
    record, an adult's last two years; never voided."""
    child_born_after = on - dt.timedelta(days=19 * 366)
    every, every_params = in_ids("person_id", [p.pk for p in persons])
    young, young_params = in_ids("person_id", [p.pk for p in persons if p.birth_date >= child_born_after])
    rows = _rows(
        f"SELECT person_id, id, date FROM {Encounter._meta.db_table} "  # noqa: S608
        f"WHERE {every} AND date <= %s AND status <> %s AND (date >= %s OR {young}) ORDER BY person_id, date, id",
        [*every_params, on, EncounterStatus.VOIDED.value, on - ADULT_HISTORY, *young_params],
    )
    return {person_id: [row[1:] for row in group] for person_id, group in groupby(rows, itemgetter(0))}


def _by_encounter(select: str, table: str, encounter_ids: list[int]) -> dict[int, list[tuple]]:
    """The rows of `table` (observations or services) of these encounters, per encounter in the order recorded
    (each row led by its encounter id).

    Read by encounter id, not joined to the encounters: the database then reads these rows through the
    encounter index, at a cost that follows the number of persons asked for, where a join read the whole
    table for every 10,000 persons (`bench/due_services.py`)."""
    condition, params = in_ids("encounter_id", encounter_ids)
    rows = _rows(f"SELECT encounter_id, {select} FROM {table} WHERE {condition} ORDER BY encounter_id, id", params)  # noqa: S608
    return {encounter_id: list(group) for encounter_id, group in groupby(rows, itemgetter(0))}


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def person_records(*, persons: Iterable[Person], on: dt.date) -> dict[int, PersonRecord]:
    """The rules' view of each person on `on`, in four flat queries whatever the number of persons
    (encounters, their observations and services, pregnancies; rows as tuples, no model instances).
    Persons and encounters are passed as one array parameter each (`core.db.in_ids`)."""
    persons = list(persons)
    if not persons:
        return {}
    encounters = _encounters(persons, on)
    ids = [encounter_id for rows in encounters.values() for encounter_id, _date in rows]
    observations = _by_encounter("kind, value, code", Observation._meta.db_table, ids)
    services = _by_encounter("kind, code", ServiceGiven._meta.db_table, ids)
    women, params = in_ids("person_id", [p.pk for p in persons if p.sex == SEX_FEMALE])
    rows = _rows(
        f"SELECT person_id, lmp_date, edd, ended_on, outcome FROM {Pregnancy._meta.db_table} "  # noqa: S608
        f"WHERE {women} AND lmp_date <= %s ORDER BY person_id, lmp_date, id",
        [*params, on],
    )
    pregnancies = {person_id: [row[1:] for row in group] for person_id, group in groupby(rows, itemgetter(0))}
    return {
        p.pk: _record(p, on, encounters.get(p.pk, ()), observations, services, pregnancies.get(p.pk, ()))
        for p in persons
    }


def _record(
    person: Person,
    on: dt.date,
    encounters: Sequence[tuple[int, dt.date]],
    observations: dict[int, list[tuple]],
    services: dict[int, list[tuple]],
    pregnancies: Sequence[tuple],
) -> PersonRecord:
    """The PersonRecord of one person from their encounters (in order) and the rows of each encounter."""
    latest: dict[str, tuple[dt.date, float | str]] = {}
    weighings: dict[dt.date, float] = {}
    for encounter_id, date in encounters:
        for _encounter, kind, value, code in observations.get(encounter_id, ()):
            latest[kind] = (date, value if value is not None else code)
            if kind == ObservationKind.WEIGHT and value is not None:
                weighings[date] = value
    ongoing = next((p for p in pregnancies if p[2] is None), None)
    immunisations: dict[str, dt.date] = {}
    by_kind: dict[str, list[dt.date]] = defaultdict(list)
    last_service: dict[str, dt.date] = {}
    for encounter_id, date in encounters:
        for _encounter, kind, code in services.get(encounter_id, ()):
            if kind == ServiceKind.IMMUNISATION:
                if code:
                    immunisations.setdefault(code, date)
            elif kind == ServiceKind.ANC:
                if ongoing is not None and date >= ongoing[0]:
                    by_kind[kind].append(date)
            elif kind in _DATED:
                by_kind[kind].append(date)
            else:
                last_service[kind] = date
    delivered = [end for _lmp, _edd, end, outcome in pregnancies if end is not None and outcome in DELIVERIES]
    return PersonRecord(
        sex="female" if person.sex == SEX_FEMALE else "male",
        birth_date=person.birth_date,
        on=on,
        hpht=ongoing[0] if ongoing else None,
        hpl=ongoing[1] if ongoing else None,
        anc_visits=tuple(by_kind[ServiceKind.ANC]),
        delivered_on=max(delivered) if delivered else None,
        kf_visits=tuple(by_kind[ServiceKind.POSTNATAL]),
        kn_visits=tuple(by_kind[ServiceKind.NEONATAL]),
        immunisations=immunisations,
        vitamin_a=tuple(by_kind[ServiceKind.VITAMIN_A]),
        deworming=tuple(by_kind[ServiceKind.DEWORMING]),
        weighings=tuple(sorted(weighings.items())),
        latest=latest,
        last_service=last_service,
    )


# Services whose every date the rules read (schedules); for the others only the latest date counts.
_DATED = frozenset({ServiceKind.VITAMIN_A, ServiceKind.DEWORMING, ServiceKind.POSTNATAL, ServiceKind.NEONATAL})


def is_active(person: Person) -> bool:
    """Whether anyone is due to see the person: alive, living here, not a merged duplicate."""
    return person.death_date is None and person.moved_out_on is None and person.merged_into_id is None


def served_on(*, facility, on: dt.date, persons: Iterable[Person]) -> set[int]:
    """Ids of these persons with a (not voided) encounter at `facility` on `on`: who was served that day."""
    return set(
        Encounter.objects.filter(facility=facility, date=on, person_id__in=[p.pk for p in persons])
        .exclude(status=EncounterStatus.VOIDED)
        .values_list("person_id", flat=True)
    )


def care_for(*, persons: Iterable[Person], on: dt.date) -> dict[int, Care]:
    """Flags and due services of each person on `on` (`lifecycle.rules.care`); the dead and the moved-out
    get none: nobody is due to see them."""
    active = [p for p in persons if is_active(p)]
    return {pk: assess(record) for pk, record in person_records(persons=active, on=on).items()}


def next_anc_number(*, person: Person, lmp_date: dt.date, on: dt.date) -> int:
    """The K-number the next ANC contact of this pregnancy will be: contacts on distinct days since the HPHT
    (two on one day count once, `rules.maternal.anc_contact_number`), plus one."""
    days = (
        ServiceGiven.objects.filter(
            kind=ServiceKind.ANC,
            encounter__person=person,
            encounter__date__gte=lmp_date,
            encounter__date__lte=on,
        )
        .exclude(encounter__status=EncounterStatus.VOIDED)
        .values("encounter__date")
        .distinct()
        .count()
    )
    return days + 1


def open_request_person_ids(*, persons, source: str) -> set[int]:
    """Which of `persons` have an open home-visit request from `source` (one query)."""
    rows = HomeVisitRequest.objects.filter(person__in=persons, source=source, closed_on__isnull=True)
    return set(rows.values_list("person_id", flat=True))
