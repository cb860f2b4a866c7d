"""Referrals up the chain (posyandu → pustu → puskesmas → hospital) and their steps, as event rows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ilp.core import changes
from ilp.core.audit import audit_create, audit_update, snapshot
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.lifecycle.models import Encounter, Referral, ReferralEvent, ReferralLevel, ReferralStatus
from ilp.lifecycle.rules import referral as chain
from ilp.lifecycle.services.common import check_date, mark_changed, require_writer, user_or_none
from ilp.people.models import Person

ERR_LEVEL_ORDER = _("To: a referral goes up the chain (posyandu → pustu → puskesmas → hospital).")
ERR_TO_FACILITY_KIND = _("To facility: choose a %(level)s.")
ERR_ENCOUNTER_PERSON = _("Encounter: belongs to another person.")
ERR_STEP = _('Status: "%(new)s" cannot follow "%(current)s".')
ERR_STEP_DATE = _("Date: before the referral's last step (%(last)s).")
ERR_REASON = _("Reasons: name at least one reason (a flag or a note).")

LEVEL_FACILITY_KINDS = {
    ReferralLevel.PUSTU: (FacilityKind.PUSTU,),
    ReferralLevel.PUSKESMAS: (FacilityKind.PUSKESMAS,),
    ReferralLevel.HOSPITAL: (FacilityKind.RUMAH_SAKIT,),
}


@transaction.atomic
def referral_create(
    *,
    scope: AreaScope,
    person: Person,
    date: dt.date,
    from_level: str,
    to_level: str,
    reasons: list[str] | None = None,
    note: str = "",
    encounter: Encounter | None = None,
    to_facility: Facility | None = None,
    actor=None,
) -> Referral:
    """Refer a person up the chain; the referral starts "sent" (dikirim) with its first event row."""
    require_writer(scope, person)
    check_date(person, date)
    if chain.LEVELS_BY_CODE[to_level] <= chain.LEVELS_BY_CODE[from_level]:
        raise ValidationError({"to_level": ERR_LEVEL_ORDER})
    if to_facility is not None and to_facility.kind not in LEVEL_FACILITY_KINDS.get(to_level, ()):
        raise ValidationError({"to_facility": str(ERR_TO_FACILITY_KIND) % {"level": ReferralLevel(to_level).label}})
    if encounter is not None and encounter.person_id != person.pk:
        raise ValidationError({"encounter": ERR_ENCOUNTER_PERSON})
    reasons = [r for r in (reasons or []) if r]
    if not reasons and not note.strip():
        raise ValidationError({"reasons": ERR_REASON})
    referral = Referral(
        person=person,
        encounter=encounter,
        date=date,
        from_level=from_level,
        to_level=to_level,
        to_facility=to_facility,
        reasons=reasons,
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.SENT, date=date, actor=user_or_none(actor))
    audit_create(referral, actor=actor)
    mark_changed(region_ids=[person.region_id], topics=[changes.REFERRAL], dates=[date])
    return referral


@transaction.atomic
def referral_advance(
    *, scope: AreaScope, referral: Referral, status: str, date: dt.date, note: str = "", actor=None
) -> Referral:
    """Record the referral's next step (diterima, ditangani, rujuk balik, follow-up after return, or cancel).

    Steps follow `lifecycle.rules.referral.TRANSITIONS` and are dated on or after the previous one.
    """
    require_writer(scope, referral.person)
    check_date(referral.person, date)
    if not chain.may_follow(referral.status, status):
        current, new = ReferralStatus(referral.status).label, ReferralStatus(status).label
        raise ValidationError({"status": str(ERR_STEP) % {"new": new, "current": current}})
    last = referral.events.order_by("-date", "-id").first()
    if last is not None and date < last.date:
        raise ValidationError({"date": str(ERR_STEP_DATE) % {"last": last.date.isoformat()}})
    before = snapshot(referral)
    referral.status = status
    referral.updated_by = actor
    referral.save(update_fields=["status", "updated_by", "updated_at"])
    ReferralEvent.objects.create(
        referral=referral, status=status, date=date, actor=user_or_none(actor), note=note[:255]
    )
    audit_update(referral, before, actor=actor)
    # The referral counts in the month it was sent; a step may close it.
    mark_changed(region_ids=[referral.person.region_id], topics=[changes.REFERRAL], dates=[referral.date, date])
    return referral
