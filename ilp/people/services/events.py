"""What happens to a person: moves within and out of the area, death, pregnancy."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ilp.core import changes
from ilp.core.audit import audit_update, save_audited, snapshot
from ilp.core.scoping import AreaScope
from ilp.people.identity import SEX_FEMALE
from ilp.people.life_stage import age_in_years
from ilp.people.models import (
    ERR_PREGNANCY_SEX,
    Family,
    FamilyMembership,
    Migration,
    MigrationDirection,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relationship,
)
from ilp.people.services.common import (
    ERR_DEATH_BEFORE_BIRTH,
    ERR_DEATH_FUTURE,
    ERR_HEAD_EXISTS,
    ERR_LMP_AGE,
    ERR_LMP_FUTURE,
    ERR_LMP_TOO_OLD,
    ERR_MOVE_DATE,
    ERR_MOVE_OUT_DATE,
    ERR_MOVED_OUT,
    ERR_PREGNANCY_END_DATE,
    ERR_PREGNANCY_OPEN,
    ERR_SAME_FAMILY,
    ERR_TO_FAMILY_OUT_OF_SCOPE,
    LMP_MAX_DAYS_AGO,
    PREGNANCY_MAX_AGE_YEARS,
    PREGNANCY_MIN_AGE_YEARS,
    _family_set_head,
    _migration_record,
    _require_alive,
    _require_family_in_scope,
    _require_person_in_scope,
    _today,
    mark_register_changed,
)


@transaction.atomic
def person_move(
    *, scope: AreaScope, person: Person, to_family: Family, relationship: str, on: dt.date, actor=None
) -> FamilyMembership:
    """Move a person to another family from `on`: the old membership is closed, not changed.

    The person's region follows the new family; a head who leaves leaves the old family headless.
    """
    _require_person_in_scope(scope, person)
    _require_family_in_scope(scope, to_family, "to_family", ERR_TO_FAMILY_OUT_OF_SCOPE)
    _require_alive(person)
    current = FamilyMembership.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    if current is not None and current.family_id == to_family.pk:
        raise ValidationError({"to_family": ERR_SAME_FAMILY})
    if relationship == Relationship.HEAD and to_family.head_id is not None:
        raise ValidationError({"relationship": ERR_HEAD_EXISTS})
    start = current.start_date if current is not None else person.birth_date
    if on < start or on > _today():
        raise ValidationError({"on": str(ERR_MOVE_DATE) % {"start": start.strftime("%d-%m-%Y")}})
    if current is not None:
        before = snapshot(current)
        current.end_date = on
        current.updated_by = actor
        current.save(update_fields=["end_date", "updated_by", "updated_at"])
        audit_update(current, before, actor=actor)
        old_family = current.family
        if old_family.head_id == person.pk:
            _family_set_head(family=old_family, head=None, actor=actor)
    membership = FamilyMembership(
        family=to_family, person=person, relationship=relationship, start_date=on, created_by=actor, updated_by=actor
    )
    save_audited(membership, actor=actor)
    if relationship == Relationship.HEAD:
        _family_set_head(family=to_family, head=person, actor=actor)
    before = snapshot(person)
    person.region_id = to_family.region_id
    person.posyandu_id = to_family.posyandu_id
    person.moved_out_on = None
    person.updated_by = actor
    person.save(update_fields=["region", "posyandu", "moved_out_on", "updated_by", "updated_at"])
    audit_update(person, before, actor=actor)
    mark_register_changed(before.get("region"), person.region_id)
    return membership


@transaction.atomic
def person_record_death(*, scope: AreaScope, person: Person, died_on: dt.date, cause: str = "", actor=None) -> Person:
    """Record (or correct) a death; the membership stays, as it does on the KK until Dukcapil updates it."""
    _require_person_in_scope(scope, person)
    if died_on < person.birth_date:
        raise ValidationError({"died_on": ERR_DEATH_BEFORE_BIRTH})
    if died_on > _today():
        raise ValidationError({"died_on": ERR_DEATH_FUTURE})
    before = snapshot(person)
    person.death_date = died_on
    person.death_cause = cause.strip()
    person.updated_by = actor
    save_audited(person, actor=actor, before=before)
    mark_register_changed(person.region_id)
    return person


@transaction.atomic
def pregnancy_record(*, scope: AreaScope, person: Person, lmp_date: dt.date, actor=None) -> Pregnancy:
    """Mark a woman pregnant from her HPHT; HPL is HPHT + 280 days (Naegele's rule)."""
    _require_person_in_scope(scope, person)
    _require_alive(person)
    if person.sex != SEX_FEMALE:
        raise ValidationError({"person": ERR_PREGNANCY_SEX})
    today = _today()
    if lmp_date > today:
        raise ValidationError({"lmp_date": ERR_LMP_FUTURE})
    if (today - lmp_date).days > LMP_MAX_DAYS_AGO:
        raise ValidationError({"lmp_date": str(ERR_LMP_TOO_OLD) % {"days": LMP_MAX_DAYS_AGO}})
    age = age_in_years(person.birth_date, lmp_date) if lmp_date >= person.birth_date else -1
    if not PREGNANCY_MIN_AGE_YEARS <= age <= PREGNANCY_MAX_AGE_YEARS:
        raise ValidationError(
            {
                "lmp_date": str(ERR_LMP_AGE)
                % {"age": age, "min": PREGNANCY_MIN_AGE_YEARS, "max": PREGNANCY_MAX_AGE_YEARS}
            }
        )
    if Pregnancy.objects.filter(person=person, ended_on__isnull=True).exists():
        raise ValidationError({"person": ERR_PREGNANCY_OPEN})
    pregnancy = Pregnancy(
        person=person, lmp_date=lmp_date, edd=Pregnancy.edd_for(lmp_date), created_by=actor, updated_by=actor
    )
    save_audited(pregnancy, actor=actor)
    mark_register_changed(person.region_id, topics=(changes.PREGNANCY,))
    return pregnancy


@transaction.atomic
def pregnancy_end(
    *, scope: AreaScope, pregnancy: Pregnancy, ended_on: dt.date, outcome: str = PregnancyOutcome.UNKNOWN, actor=None
) -> Pregnancy:
    """Close a pregnancy with its outcome; a live birth or stillbirth starts the nifas window."""
    _require_person_in_scope(scope, pregnancy.person)
    if ended_on < pregnancy.lmp_date or ended_on > _today():
        raise ValidationError({"ended_on": ERR_PREGNANCY_END_DATE})
    before = snapshot(pregnancy)
    pregnancy.ended_on = ended_on
    pregnancy.outcome = outcome
    pregnancy.updated_by = actor
    save_audited(pregnancy, actor=actor, before=before)
    mark_register_changed(pregnancy.person.region_id, topics=(changes.PREGNANCY,))
    return pregnancy


@transaction.atomic
def person_move_out(*, scope: AreaScope, person: Person, on: dt.date, place: str = "", actor=None) -> Migration:
    """Record a move out of the area (pindah keluar): the membership closes, the person leaves the sasaran.

    The record stays, with its history, for the day the person returns (`person_move` back into a family).
    """
    _require_person_in_scope(scope, person)
    _require_alive(person)
    if person.moved_out_on is not None:
        raise ValidationError({"person": ERR_MOVED_OUT})
    current = FamilyMembership.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    start = current.start_date if current is not None else person.birth_date
    if on < start or on > _today():
        raise ValidationError({"on": str(ERR_MOVE_OUT_DATE) % {"start": start.strftime("%d-%m-%Y")}})
    if current is not None:
        before = snapshot(current)
        current.end_date = on
        current.updated_by = actor
        current.save(update_fields=["end_date", "updated_by", "updated_at"])
        audit_update(current, before, actor=actor)
        if current.family.head_id == person.pk:
            _family_set_head(family=current.family, head=None, actor=actor)
    before = snapshot(person)
    person.moved_out_on = on
    person.updated_by = actor
    person.save(update_fields=["moved_out_on", "updated_by", "updated_at"])
    audit_update(person, before, actor=actor)
    mark_register_changed(person.region_id)
    return _migration_record(person=person, direction=MigrationDirection.OUT, on=on, place=place, actor=actor)
