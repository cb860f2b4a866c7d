"""Reading the register for the service generator, and writing the pregnancies behind the window's births.

The register is read once (`load_register`). Babies born in the last 12 months are persons already, but
only the births of the last 42 days come with their mother's recorded pregnancy (`population.load`): the
others' pregnancies are written here (`pregnancies_open`), with one audit entry each as `pregnancy_record`
would leave. Their ANC contacts are back-entered from the Buku KIA and cohort register, and the encounter
rules accept an ANC contact only while the woman has an open pregnancy, so these pregnancies stay open while
the encounters are written and are closed with their delivery afterwards (`pregnancies_close`), all in the
one transaction of the seeding.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ilp.core import context
from ilp.core.audit import _plain
from ilp.core.models import AuditAction, AuditEntry
from ilp.core.rows import RowWriter
from ilp.demo.population.services.births import Delivery, link_births
from ilp.demo.population.services.plan import Facilities, Pregnancies, Resident, window_start
from ilp.facilities.models import Facility, FacilityKind, NetworkMember
from ilp.people.models import FamilyMembership, Migration, MigrationDirection, Person, Pregnancy, PregnancyOutcome
from ilp.people.selectors import DELIVERY_OUTCOMES

_LOGGED = (
    ("id", "id"),
    ("external_id", "external_id"),
    ("person", "person_id"),
    ("lmp_date", "lmp_date"),
    ("edd", "edd"),
    ("ended_on", "ended_on"),
    ("outcome", "outcome"),
)


def load_register(
    village_ids: list[int], puskesmas_id: int, today: dt.date
) -> tuple[list[Resident], Facilities, Pregnancies]:
    """The persons, facilities, pregnancies and births of the working area, in a handful of queries."""
    area = Q(region__village_id__in=village_ids)
    family, relationship = {}, {}
    for person, fam, rel in FamilyMembership.objects.filter(
        end_date__isnull=True, person__in=Person.objects.filter(area)
    ).values_list("person_id", "family_id", "relationship"):
        family[person], relationship[person] = fam, rel
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
    posyandu_day, posyandu_village, pustu = {}, {}, {}
    for pk, kind, day, village in Facility.objects.filter(
        kind__in=[FacilityKind.POSYANDU, FacilityKind.PUSTU], region__village_id__in=village_ids
    ).values_list("id", "kind", "schedule_day", "region__village_id"):
        if kind == FacilityKind.POSYANDU:
            posyandu_day[pk], posyandu_village[pk] = day, village
        else:
            pustu.setdefault(village, pk)
    network = NetworkMember.objects.filter(puskesmas_id=puskesmas_id).order_by("member__code")
    midwife = network.filter(member__kind=FacilityKind.PRAKTIK_BIDAN).values_list("member_id", flat=True).first()
    hospital = network.filter(member__kind=FacilityKind.RUMAH_SAKIT).values_list("member_id", flat=True).first()
    ongoing: dict[int, dt.date] = {}
    ended: dict[int, list[tuple[int, dt.date, dt.date]]] = {}
    for pk, person, lmp, end, outcome in (
        Pregnancy.objects.filter(person__in=Person.objects.filter(area))
        .order_by("id")
        .values_list("id", "person_id", "lmp_date", "ended_on", "outcome")
    ):
        if end is None:
            ongoing[person] = lmp
        elif outcome in DELIVERY_OUTCOMES:
            ended.setdefault(person, []).append((pk, lmp, end))
    births = link_births(residents, relationship, ended, ongoing, since=window_start(today))
    facilities = Facilities(posyandu_day, pustu, puskesmas_id, midwife, hospital, posyandu_village)
    return residents, facilities, Pregnancies(ongoing, births)


def pregnancies_open(deliveries: list[Delivery]) -> tuple[dict[int, int], list[tuple[int, Delivery]]]:
    """Write the missing pregnancies of the deliveries and reopen the recorded ones, for the encounters to
    come. Returns the new pregnancy ids by first baby, and (pregnancy id, delivery) for `pregnancies_close`.
    A mother pregnant again keeps her new pregnancy open, so her earlier one is written closed at once (her
    ANC contacts pass on the open one)."""
    mothers = [d for d in deliveries if d.link.mother_id is not None]
    new = [d for d in mothers if d.link.pregnancy_id is None]
    writer, audit = RowWriter(Pregnancy), RowWriter(AuditEntry)
    names = dict(Person.objects.filter(pk__in=[d.link.mother_id for d in new]).values_list("id", "name"))
    now, who = timezone.now(), context.current()
    rows, entries, opened, ids = [], [], [], {}
    for d, pk in zip(new, writer.reserve_ids(len(new)), strict=True):
        ids[d.link.babies[0]] = pk
        final = writer.values(
            now,
            id=pk,
            person_id=d.link.mother_id,
            lmp_date=d.lmp,
            edd=Pregnancy.edd_for(d.lmp),
            ended_on=d.link.born,
            outcome=PregnancyOutcome.LIVE_BIRTH,
        )
        rows.append(final if d.link.open_pregnancy else {**final, "ended_on": None, "outcome": ""})
        if not d.link.open_pregnancy:
            opened.append((pk, d))
        # The entry `pregnancy_record` + `pregnancy_end` amount to: the pregnancy as it stands at the end.
        changes = {name: [None, _plain(final[attname])] for name, attname in _LOGGED}
        entries.append(
            audit.values(
                now,
                actor_id=who.user_id,
                actor_username=who.username,
                action=AuditAction.CREATE,
                object_type=Pregnancy._meta.label_lower,
                object_id=str(final["external_id"]),
                object_repr=f"{names.get(d.link.mother_id, '')} HPHT {d.lmp:%d-%m-%Y}"[:255],
                changes=changes,
                ip_address=who.ip_address,
            )
        )
    for entry, pk in zip(entries, audit.reserve_ids(len(entries)), strict=True):
        entry["id"] = pk
    writer.insert(rows)
    audit.insert(entries)
    reopen = [d for d in mothers if d.link.pregnancy_id is not None and not d.link.open_pregnancy]
    Pregnancy.objects.filter(pk__in=[d.link.pregnancy_id for d in reopen]).update(ended_on=None, outcome="")
    return ids, opened + [(d.link.pregnancy_id, d) for d in reopen]


def pregnancies_close(opened: list[tuple[int, Delivery]]) -> None:
    """Close the pregnancies `pregnancies_open` left open, each on its delivery day, as live births."""
    objs = []
    for pk, d in opened:
        objs.append(Pregnancy(pk=pk, ended_on=d.link.born, outcome=PregnancyOutcome.LIVE_BIRTH))
    Pregnancy.objects.bulk_update(objs, ["ended_on", "outcome"], batch_size=500)
