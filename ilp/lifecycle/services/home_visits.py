"""Home visits (kunjungan rumah): a visit to a family closes the worklist items it addressed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_create
from ilp.core.scoping import AreaScope
from ilp.lifecycle.models import HomeVisit
from ilp.lifecycle.services.common import ERR_DATE_FUTURE, ERR_NOT_WRITER, recorder_kind, today
from ilp.people.models import Family, Person
from ilp.people.selectors import current_memberships
from ilp.people.services import require_family_in_scope

ERR_PERSON_NOT_MEMBER = _("Person: not a current member of this family.")
ERR_NOTHING = _("Home visit: say which items the visit addressed or write a note.")


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
    """Record a kunjungan rumah to `family` (optionally about one member) and the worklist reasons it addressed."""
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
    visit.full_clean()
    visit.save()
    audit_create(visit, actor=actor)
    return visit
