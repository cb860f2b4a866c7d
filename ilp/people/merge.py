"""Merging two records of the same person: all history moves to the survivor, household-aware (issue #3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core import changes
from ilp.core.audit import audit_record, audit_update, diff, snapshot
from ilp.core.models import AuditAction
from ilp.core.scoping import AreaScope
from ilp.people.models import (
    Family,
    FamilyMembership,
    NikMissingReason,
    Person,
    PersonMerge,
    PersonNameKey,
    Pregnancy,
    Relationship,
)
from ilp.people.services.common import _require_person_in_scope, mark_register_changed

ERR_MERGE_SAME = _("Duplicate: a person cannot be merged into itself.")
ERR_MERGE_ALREADY = _("Duplicate: this record was already merged into another person.")
ERR_MERGE_SURVIVOR_MERGED = _("Survivor: this record was merged into another person; choose that one.")
ERR_MERGE_TWO_NIKS = _("Duplicate: both records have a different NIK; correct the wrong one before merging.")
ERR_MERGE_SEX = _("Duplicate: the two records have a different sex; correct the wrong one before merging.")
ERR_MERGE_TWO_PREGNANCIES = _("Duplicate: both records have an ongoing pregnancy; end the wrong one before merging.")
ERR_MERGE_REASON = _("Reason: say why the two records are the same person.")

# Empty fields of the survivor that the duplicate fills; the survivor's non-empty values always win.
FILLED_FIELDS = ("jkn_number", "ihs_number", "phone", "disability", "death_date", "death_cause")


def _today() -> dt.date:
    return timezone.localdate()


def _membership_ref(m: FamilyMembership | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "id": m.pk,
        "family": str(m.family.external_id),
        "relationship": m.relationship,
        "start_date": m.start_date.isoformat(),
    }


def _close(membership: FamilyMembership, on: dt.date, actor) -> None:
    before = snapshot(membership)
    membership.end_date = max(on, membership.start_date)
    membership.updated_by = actor
    membership.save(update_fields=["end_date", "updated_by", "updated_at"])
    audit_update(membership, before, actor=actor)


def _move_reverse_relations(*, duplicate: Person, survivor: Person) -> dict[str, int]:
    """Re-point every row that refers to the duplicate, whatever app it lives in.

    Generic on purpose: relations added by later issues (encounters, services, referrals, …) move
    without this function knowing them. Only PersonMerge (the event itself), `merged_into` and the name
    keys (derived from the duplicate's own name; searches leave merged records out) stay.
    Hidden relations (related_name "+", e.g. Family.head) are not listed by Django and are handled
    explicitly by the caller. A later model with a per-person unique constraint must be reconciled
    before this point, as memberships are, or the merge fails and rolls back.
    """
    moved = {}
    for rel in Person._meta.related_objects:
        if rel.related_model in (PersonMerge, PersonNameKey) or (
            rel.related_model is Person and rel.field.name == "merged_into"
        ):
            continue
        if rel.many_to_many:
            continue
        count = rel.related_model._base_manager.filter(**{rel.field.name: duplicate}).update(
            **{rel.field.name: survivor}
        )
        if count:
            moved[rel.related_model._meta.label_lower] = count
    return moved


@transaction.atomic
def person_merge(*, scope: AreaScope, survivor: Person, duplicate: Person, reason: str, actor=None) -> PersonMerge:
    """Merge `duplicate` into `survivor`: history moves, the duplicate stays as a marked record.

    - Both must be in scope (person-level roles only), distinct, of the same sex and not yet merged;
      two different NIKs are refused (one of them is wrong and must be corrected first).
    - The survivor takes the duplicate's NIK and fills its empty fields from it; its own values win.
    - Memberships, pregnancies and every other row pointing at the duplicate move to the survivor.
      When both have a current membership, the survivor's stays and the duplicate's is closed on the
      merge date (same family: no double member; different families: both recorded in the snapshot).
    - A family headed by the duplicate gets the survivor as head when the survivor is a current
      member of it after the merge; otherwise it is left headless, as after a move.
    - The duplicate loses its NIK (so the unique NIK can move) and points at the survivor.
    Audited (an update on each record) and recorded as a `PersonMerge` event for review.
    """
    _require_person_in_scope(scope, survivor, "survivor")
    _require_person_in_scope(scope, duplicate, "duplicate")
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    reason = reason.strip()
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate": ERR_MERGE_SAME})
    if duplicate.merged_into_id is not None:
        raise ValidationError({"duplicate": ERR_MERGE_ALREADY})
    if survivor.merged_into_id is not None:
        raise ValidationError({"survivor": ERR_MERGE_SURVIVOR_MERGED})
    if survivor.nik and duplicate.nik and survivor.nik != duplicate.nik:
        raise ValidationError({"duplicate": ERR_MERGE_TWO_NIKS})
    if survivor.sex != duplicate.sex:
        raise ValidationError({"duplicate": ERR_MERGE_SEX})
    if Pregnancy.objects.filter(person__in=[survivor, duplicate], ended_on__isnull=True).count() > 1:
        raise ValidationError({"duplicate": ERR_MERGE_TWO_PREGNANCIES})
    if not reason:
        raise ValidationError({"reason": ERR_MERGE_REASON})

    today = _today()
    survivor_before, duplicate_before = snapshot(survivor), snapshot(duplicate)

    memberships = FamilyMembership.objects.select_for_update().select_related("family")
    survivor_current = memberships.filter(person=survivor, end_date__isnull=True).first()
    duplicate_current = memberships.filter(person=duplicate, end_date__isnull=True).first()
    closed = None
    if survivor_current is not None and duplicate_current is not None:
        _close(duplicate_current, today, actor)
        closed = duplicate_current

    headed = list(Family.objects.select_for_update().filter(head=duplicate))

    moved = _move_reverse_relations(duplicate=duplicate, survivor=survivor)
    # Records merged earlier into the duplicate now point at the survivor, so a chain never forms.
    Person.objects.filter(merged_into=duplicate).update(merged_into=survivor)

    kept = survivor_current or duplicate_current
    current_family_id = kept.family_id if kept is not None else None
    heads = []
    for family in headed:
        new_head = survivor if family.pk == current_family_id else None
        before = snapshot(family)
        family.head = new_head
        family.updated_by = actor
        family.save(update_fields=["head", "updated_by", "updated_at"])
        audit_update(family, before, actor=actor)
        heads.append({"family": str(family.external_id), "head": str(new_head.external_id) if new_head else None})
        if new_head is not None and kept.relationship != Relationship.HEAD:
            kept.refresh_from_db()
            before = snapshot(kept)
            kept.relationship = Relationship.HEAD
            kept.updated_by = actor
            kept.save(update_fields=["relationship", "updated_by", "updated_at"])
            audit_update(kept, before, actor=actor)

    # The NIK is unique: free it on the duplicate before the survivor takes it.
    nik = survivor.nik or duplicate.nik
    duplicate.nik = None
    duplicate.nik_missing_reason = duplicate.nik_missing_reason or NikMissingReason.UNKNOWN
    duplicate.merged_into = survivor
    duplicate.updated_by = actor
    duplicate.save()

    if nik and not survivor.nik:
        survivor.nik, survivor.nik_missing_reason = nik, ""
    for name in FILLED_FIELDS:
        if getattr(survivor, name) in ("", None) and getattr(duplicate, name) not in ("", None):
            setattr(survivor, name, getattr(duplicate, name))
    if survivor.birth_date_estimated and not duplicate.birth_date_estimated:
        survivor.birth_date, survivor.birth_date_estimated = duplicate.birth_date, False
    if survivor_current is None and duplicate_current is not None:
        survivor.region_id = duplicate_current.family.region_id
        survivor.posyandu_id = duplicate_current.family.posyandu_id
    survivor.updated_by = actor
    survivor.full_clean()
    survivor.save()

    audit_update(survivor, survivor_before, actor=actor)
    audit_record(
        action=AuditAction.UPDATE, obj=duplicate, changes=diff(duplicate_before, snapshot(duplicate)), actor=actor
    )
    # The duplicate's history now counts for the survivor, wherever each of them lives.
    mark_register_changed(
        survivor_before.get("region"),
        survivor.region_id,
        duplicate.region_id,
        topics=(changes.REGISTER, changes.REFERRAL),
    )
    return PersonMerge.objects.create(
        survivor=survivor,
        merged=duplicate,
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        snapshot={
            "person": duplicate_before,
            "survivor": survivor_before,
            "kept_membership": _membership_ref(kept),
            "closed_membership": _membership_ref(closed),
            "heads": heads,
            "moved": moved,
        },
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
