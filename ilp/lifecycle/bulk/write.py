"""Writing checked encounter drafts: rows as `encounter_record` leaves them, inserted with `RowWriter`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from ilp.core.audit import _plain
from ilp.core.models import AuditAction, AuditEntry
from ilp.core.rows import RowWriter
from ilp.lifecycle.bulk.checks import Checked
from ilp.lifecycle.models import (
    CODED_KINDS,
    Encounter,
    EncounterEvent,
    EncounterStatus,
    Observation,
    Place,
    ServiceGiven,
)

# Values `_plain` returns unchanged, checked by exact type to skip its isinstance chain (as `people.bulk`).
_JSON_READY = frozenset({str, int, float, bool})


@dataclass
class BulkEncounterResult:
    """What one call created: observations count the derived values (z-scores, weight trend) too."""

    encounters: int = 0
    observations: int = 0
    derived: int = 0
    services: int = 0
    implausible: int = 0
    audit_entries: int = 0


class Writers:
    """The row writers of the five tables, and what an encounter's audit entry lists."""

    def __init__(self):
        self.encounter = RowWriter(Encounter)
        self.event = RowWriter(EncounterEvent)
        self.observation = RowWriter(Observation)
        self.service = RowWriter(ServiceGiven)
        self.audit = RowWriter(AuditEntry)
        # What `snapshot(encounter)` lists: every concrete field by name, foreign keys as their pk.
        self.logged = [(f.name, f.attname) for f in Encounter._meta.concrete_fields]
        self.place_labels = {place: str(Place(place).label) for place in Place.values}


@dataclass(frozen=True, slots=True)
class Who:
    """As `encounter_record` writes them: created_by is the actor, the event's actor an authenticated user,
    the audit actor that user or the request's."""

    created_by: int | None
    event_actor: int | None
    audit_actor: int | None
    username: str
    ip: str | None


def write(rows: list[Checked], writers: Writers, who: Who, result: BulkEncounterResult) -> None:
    """One checked chunk: ids reserved, the rows `encounter_record` would leave built as dicts, five inserts."""
    now = timezone.now()
    encounters, events, observations, services, entries = [], [], [], [], []
    ids = writers.encounter.reserve_ids(len(rows))
    for row, pk in zip(rows, ids, strict=True):
        d = row.draft
        encounter = writers.encounter.values(
            now,
            id=pk,
            person_id=d.person_id,
            date=d.date,
            place=d.place,
            facility_id=d.facility_id,
            recorder_kind=row.recorder,
            status=EncounterStatus.RECORDED,
            note=d.note.strip(),
            created_by_id=who.created_by,
            updated_by_id=who.created_by,
        )
        encounters.append(encounter)
        events.append(
            writers.event.values(now, encounter_id=pk, status=EncounterStatus.RECORDED, actor_id=who.event_actor)
        )
        recorded = {**row.values, **row.derived}
        for kind, value in recorded.items():
            coded = kind in CODED_KINDS
            observations.append(
                {
                    "encounter_id": pk,
                    "kind": kind,
                    "value": None if coded else value,
                    "code": value if coded else "",
                    "confirmed_implausible": kind in row.implausible,
                }
            )
        services += [{"encounter_id": pk, "kind": k, "code": c, "dose": dose} for k, c, dose in row.services]
        changes = {}
        for name, attname in writers.logged:
            value = encounter[attname]
            if value is not None and value != "":
                changes[name] = [None, value if type(value) in _JSON_READY else _plain(value)]
        changes["observations"] = [None, recorded]
        changes["services"] = [None, [list(s) for s in row.services]]
        text = f"{row.name} {d.date:%Y-%m-%d} {writers.place_labels[d.place]}"
        entries.append(
            writers.audit.values(
                now,
                actor_id=who.audit_actor,
                actor_username=who.username,
                action=AuditAction.CREATE,
                object_type=Encounter._meta.label_lower,
                object_id=str(encounter["external_id"]),
                object_repr=text[:255],
                changes=changes,
                ip_address=who.ip,
            )
        )
        result.derived += len(row.derived)
        result.implausible += len(row.implausible)
    for writer, batch in (
        (writers.event, events),
        (writers.observation, observations),
        (writers.service, services),
        (writers.audit, entries),
    ):
        for item, pk in zip(batch, writer.reserve_ids(len(batch)), strict=True):
            item["id"] = pk
    writers.encounter.insert(encounters)
    writers.event.insert(events)
    writers.observation.insert(observations)
    writers.service.insert(services)
    writers.audit.insert(entries)
    result.encounters += len(encounters)
    result.observations += len(observations)
    result.services += len(services)
    result.audit_entries += len(entries)
