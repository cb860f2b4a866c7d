"""Recording an encounter: what was measured and given, checked against plausible ranges, with the
WHO z-scores and the weight trend (N/T/2T/O/B) of a child derived at once, in one audited transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ilp.core import changes as changes_topics
from ilp.core.audit import audit_record, snapshot
from ilp.core.models import AuditAction
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.lifecycle import measurements
from ilp.lifecycle.models import (
    CODED_KINDS,
    Encounter,
    EncounterEvent,
    EncounterStatus,
    Observation,
    ObservationKind,
    Place,
    RecorderKind,
    ServiceGiven,
    ServiceKind,
)
from ilp.lifecycle.services.common import (
    ConfirmationNeeded,
    check_date,
    check_place,
    mark_changed,
    recorder_kind,
    require_writer,
    user_or_none,
)
from ilp.people.models import Person
from ilp.people.selectors import open_pregnancy

ERR_NOTHING = _("Encounter: record at least one measurement or service.")
ERR_SERVICE = _("%(field)s: unknown service.")
ERR_DOSE = _("%(field)s: the dose or visit number is 1 to 20.")
ERR_ANC_NOT_PREGNANT = _("ANC: the person has no ongoing pregnancy; record the pregnancy (HPHT) first.")
ERR_ALREADY_VOIDED = _("Encounter: already voided.")
ERR_VOID_REASON = _("Reason: say why the encounter is voided.")


@dataclass
class ServiceInput:
    """One service to record: kind (`ServiceKind`), which one (e.g. antigen "DPT-HB-Hib") and dose/visit number."""

    kind: str
    code: str = ""
    dose: int | None = None


@dataclass
class RecordedEncounter:
    encounter: Encounter
    observations: dict[str, Observation] = field(default_factory=dict)
    implausible: list[str] = field(default_factory=list)


def _clean_services(person: Person, on: dt.date, services: list[ServiceInput]) -> list[ServiceInput]:
    cleaned = []
    for s in services:
        if s.kind not in ServiceKind.values:
            raise ValidationError({"services": str(ERR_SERVICE) % {"field": s.kind}})
        if s.dose is not None and not 1 <= int(s.dose) <= 20:
            raise ValidationError({"services": str(ERR_DOSE) % {"field": ServiceKind(s.kind).label}})
        if s.kind == ServiceKind.ANC and open_pregnancy(person=person) is None:
            raise ValidationError({"services": ERR_ANC_NOT_PREGNANT})
        cleaned.append(ServiceInput(kind=s.kind, code=s.code.strip(), dose=int(s.dose) if s.dose else None))
    return cleaned


def _weight_trend(person: Person, on: dt.date, values: dict[str, float | str]) -> dict[str, str]:
    """`{WEIGHT_TREND: code}` for a child's weight judged against their weighings recorded before `on`
    (not voided), or nothing (no weight, 60 months or older)."""
    if not measurements.trend_applies(values, birth_date=person.birth_date, on=on):
        return {}
    history = (
        Observation.objects.filter(
            kind=ObservationKind.WEIGHT, encounter__person=person, encounter__date__lt=on, value__isnull=False
        )
        .exclude(encounter__status=EncounterStatus.VOIDED)
        .values_list("encounter__date", "value")
    )
    trend = measurements.weight_trend(
        birth_date=person.birth_date, on=on, weight_kg=values[ObservationKind.WEIGHT], history=history
    )
    return {ObservationKind.WEIGHT_TREND: trend}


def _topics(observation_kinds, services) -> set[str]:
    """The change topics of an encounter: it was held, what was measured and what was given."""
    return (
        {changes_topics.ENCOUNTER}
        | {changes_topics.observation_topic(k) for k in observation_kinds}
        | {changes_topics.service_topic(s.kind) for s in services}
    )


@transaction.atomic
def encounter_record(
    *,
    scope: AreaScope,
    person: Person,
    date: dt.date,
    place: str,
    facility: Facility | None = None,
    observations: dict[str, object] | None = None,
    services: list[ServiceInput] | None = None,
    note: str = "",
    confirm_implausible: bool = False,
    actor=None,
) -> RecordedEncounter:
    """Record an encounter of `person` on `date` at `place` (a `Place`; `facility` for posyandu/pustu/puskesmas).

    Observations are `{ObservationKind: value}`; an impossible value (weight 0, height 300 cm, a diastolic
    above the systolic) is refused naming the field; an unusual one raises `ConfirmationNeeded` until
    `confirm_implausible` and is stored flagged. For a child or adolescent the WHO z-scores are derived
    from the measurements and stored as observations too (`lifecycle.measurements`). A kader records at
    their own posyandu or on a home visit only.

    The weight of a child under 60 months also gets its weight trend (`ObservationKind.WEIGHT_TREND`,
    N/T/2T/O/B of `rules.faltering`), judged against the child's weighings recorded before `date` in
    encounters not voided, so indicators read it as a fact. It is fixed when recorded: recording an earlier weighing
    afterwards, or voiding one (`encounter_void`), does not recompute the trends of later encounters.
    Encounters are never edited in place here (a mistake is voided and recorded again), so a new record is
    the only time a trend is computed.
    """
    require_writer(scope, person)
    check_date(person, date)
    check_place(scope, place, facility, kader=recorder_kind(actor) == RecorderKind.KADER)
    values = measurements.clean(observations or {})
    given = _clean_services(person, date, list(services or []))
    if not values and not given:
        raise ValidationError({"observations": ERR_NOTHING})
    checked = measurements.check(values, birth_date=person.birth_date, sex=person.sex, on=date)
    if checked.warnings and not confirm_implausible:
        raise ConfirmationNeeded(checked.warnings)
    encounter = Encounter(
        person=person,
        date=date,
        place=place,
        facility=facility,
        recorder_kind=recorder_kind(actor),
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    encounter.full_clean()
    encounter.save()
    EncounterEvent.objects.create(encounter=encounter, status=EncounterStatus.RECORDED, actor=user_or_none(actor))
    derived = {**checked.derived, **_weight_trend(person, date, values)}
    rows = [
        Observation(
            encounter=encounter,
            kind=kind,
            value=None if kind in CODED_KINDS else value,
            code=value if kind in CODED_KINDS else "",
            confirmed_implausible=kind in checked.implausible,
        )
        for kind, value in {**values, **derived}.items()
    ]
    Observation.objects.bulk_create(rows)
    ServiceGiven.objects.bulk_create(
        ServiceGiven(encounter=encounter, kind=s.kind, code=s.code, dose=s.dose) for s in given
    )
    changes = {name: [None, value] for name, value in snapshot(encounter).items() if value not in (None, "")}
    changes["observations"] = [None, {**values, **derived}]
    changes["services"] = [None, [[s.kind, s.code, s.dose] for s in given]]
    audit_record(action=AuditAction.CREATE, obj=encounter, changes=changes, actor=actor)
    # The person's desa, and the facility's (a posyandu counts as held where it stands).
    regions = [person.region_id, facility.region_id if facility is not None else None]
    mark_changed(region_ids=regions, topics=_topics(list({**values, **derived}), given), dates=[date])
    return RecordedEncounter(
        encounter=encounter, observations={o.kind: o for o in rows}, implausible=sorted(checked.implausible)
    )


@transaction.atomic
def encounter_void(*, scope: AreaScope, encounter: Encounter, reason: str, actor=None) -> Encounter:
    """Void an encounter recorded in error: it stays, marked voided with the reason, and stops counting.

    The weight trends stored on the person's later encounters are not recomputed (see `encounter_record`).
    """
    require_writer(scope, encounter.person)
    if encounter.status == EncounterStatus.VOIDED:
        raise ValidationError({"encounter": ERR_ALREADY_VOIDED})
    if not reason.strip():
        raise ValidationError({"reason": ERR_VOID_REASON})
    encounter.status = EncounterStatus.VOIDED
    encounter.updated_by = actor
    encounter.save(update_fields=["status", "updated_by", "updated_at"])
    EncounterEvent.objects.create(
        encounter=encounter, status=EncounterStatus.VOIDED, actor=user_or_none(actor), note=reason.strip()[:255]
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=encounter,
        changes={"status": [EncounterStatus.RECORDED, EncounterStatus.VOIDED], "reason": [None, reason.strip()]},
        actor=actor,
    )
    kinds = list(encounter.observations.values_list("kind", flat=True))
    mark_changed(
        region_ids=[encounter.person.region_id, encounter.facility.region_id if encounter.facility_id else None],
        topics=_topics(kinds, list(encounter.services.all())),
        dates=[encounter.date],
    )
    return encounter


__all__ = ["ERR_NOTHING", "Place", "RecordedEncounter", "ServiceInput", "encounter_record", "encounter_void"]
