"""Home visits (kunjungan rumah): a visit to a family closes the worklist items it addressed.

A person can also be asked for on the worklist (`home_visit_request_add`), e.g. from the PWS for someone
missing from an indicator: sweeping those who did not come is a kunjungan rumah task (ILP.md §1.5), and the
PWS notifies the pustu of cases to follow up (ILP.md §3.2).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ilp.core import changes
from ilp.core.audit import audit_create, audit_update, save_audited, snapshot
from ilp.core.scoping import AreaScope
from ilp.lifecycle.models import HomeVisit, HomeVisitRequest
from ilp.lifecycle.services.common import (
    ERR_DATE_FUTURE,
    ERR_NOT_WRITER,
    check_date,
    mark_changed,
    recorder_kind,
    require_writer,
    today,
)
from ilp.lifecycle.worklist import Reason
from ilp.people.models import Family, FamilyMembership, Person
from ilp.people.selectors import current_memberships
from ilp.people.services import require_family_in_scope

ERR_PERSON_NOT_MEMBER = _("Person: not a current member of this family.")
ERR_NOTHING = _("Home visit: say which items the visit addressed or write a note.")
ERR_REQUEST_DECEASED = _("Person: recorded as deceased; a home visit cannot be asked for.")
ERR_REQUEST_MOVED_OUT = _("Person: moved out of the area; a home visit cannot be asked for.")
ERR_REQUEST_MERGED = _("Person: a merged duplicate record; ask for the visit on the record it was merged into.")
ERR_REQUEST_NO_FAMILY = _("Person: not a current member of any family; a home visit goes to a family.")
ERR_REQUEST_REASON = _("Reason: say why the person should be visited.")


@transaction.atomic
def home_visit_record(
    *,
    scope: AreaScope,
    family: Family,
    date: dt.date,
    person: Person | None = None,
    reasons: list[str] | None = None,
    note: str = "",
    actor=None,
) -> HomeVisit:
    """Record a kunjungan rumah to `family` (optionally about one member) and the worklist reasons it addressed.

    The visit closes open home-visit requests made on or before its date: those of every current member
    when it addressed `Reason.REQUESTED`, and those of `person` when it was about them.
    """
    require_family_in_scope(scope, family)
    if not scope.may_write_people:
        raise PermissionDenied(ERR_NOT_WRITER)
    if date > today():
        raise ValidationError({"date": ERR_DATE_FUTURE})
    if person is not None:
        membership = current_memberships(persons=[person]).get(person.pk)
        if membership is None or membership.family_id != family.pk:
            raise ValidationError({"person": ERR_PERSON_NOT_MEMBER})
    reasons = sorted({r for r in (reasons or []) if r})
    if not reasons and not note.strip():
        raise ValidationError({"reasons": ERR_NOTHING})
    visit = HomeVisit(
        family=family,
        person=person,
        date=date,
        recorder_kind=recorder_kind(actor),
        reasons=reasons,
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    save_audited(visit, actor=actor)
    _requests_close(visit, actor=actor)
    mark_changed(region_ids=[family.region_id], topics=[changes.HOME_VISIT], dates=[date])
    return visit


def _requests_close(visit: HomeVisit, *, actor) -> None:
    """Close the open requests the visit answered (see `home_visit_record`), each with an audit entry."""
    if Reason.REQUESTED in visit.reasons:
        members = FamilyMembership.objects.filter(family_id=visit.family_id, end_date__isnull=True)
        persons = {"person_id__in": members.values("person_id")}
    elif visit.person_id is not None:
        persons = {"person_id": visit.person_id}
    else:
        return
    for request in HomeVisitRequest.objects.filter(closed_on__isnull=True, requested_on__lte=visit.date, **persons):
        before = snapshot(request)
        request.closed_by = visit
        request.closed_on = visit.date
        request.updated_by = actor
        request.save(update_fields=["closed_by", "closed_on", "updated_by", "updated_at"])
        audit_update(request, before, actor=actor)


@transaction.atomic
def home_visit_request_add(
    *, actor, scope: AreaScope, person: Person, reason: str, source: str = "", on: dt.date
) -> HomeVisitRequest:
    """Put `person` on the home-visit worklist of their family with `reason` (the text the kader reads).

    For the PWS "one click" on someone missing from an indicator: sweeping those who did not come is a
    kunjungan rumah task (ILP.md §1.5) and the PWS notifies the pustu of cases to follow up (ILP.md §3.2).
    `source` is a machine code of who asked (e.g. "pws:child_weighed"); while a request of the same person
    and source is open, adding again returns it unchanged. A home visit closes it (`home_visit_record`).
    A deceased, moved-out or merged person, or one without a current family, is refused.
    """
    require_writer(scope, person)
    if person.death_date is not None:
        raise ValidationError({"person": ERR_REQUEST_DECEASED})
    if person.moved_out_on is not None:
        raise ValidationError({"person": ERR_REQUEST_MOVED_OUT})
    if person.merged_into_id is not None:
        raise ValidationError({"person": ERR_REQUEST_MERGED})
    membership = current_memberships(persons=[person]).get(person.pk)
    if membership is None:
        raise ValidationError({"person": ERR_REQUEST_NO_FAMILY})
    check_date(person, on, field="requested_on")
    reason, source = reason.strip(), source.strip()
    if not reason:
        raise ValidationError({"reason": ERR_REQUEST_REASON})
    existing = HomeVisitRequest.objects.filter(person=person, source=source, closed_on__isnull=True).first()
    if existing is not None:
        return existing
    request = HomeVisitRequest(
        person=person,
        family=membership.family,
        requested_on=on,
        reason=reason,
        source=source,
        created_by=actor,
        updated_by=actor,
    )
    # The unique constraint is checked by the database below: a concurrent add that won the race is returned.
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        return HomeVisitRequest.objects.get(person=person, source=source, closed_on__isnull=True)
    audit_create(request, actor=actor)
    return request
