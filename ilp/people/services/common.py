"""What every write on the family register shares: its messages, its refusals and its scope checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core import changes
from ilp.core.audit import audit_update, save_audited, snapshot
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.people.identity import check_nik, name_keys
from ilp.people.models import (
    Family,
    Migration,
    Person,
    PersonNameKey,
)
from ilp.regions.models import Level, Region

# Plausibility limits for a pregnancy; a record outside them is far more often a typing error.
PREGNANCY_MIN_AGE_YEARS = 10
PREGNANCY_MAX_AGE_YEARS = 55
LMP_MAX_DAYS_AGO = 300

ERR_NO_PERSON_DATA = _("Your role cannot see or change person-level data.")
ERR_READ_ONLY = _("Your role reads the family register but does not change it.")
ERR_REGION_OUT_OF_SCOPE = _("Region: this place is outside your working area.")
ERR_FAMILY_OUT_OF_SCOPE = _("Family: this family is outside your working area.")
ERR_TO_FAMILY_OUT_OF_SCOPE = _("Destination family: this family is outside your working area.")
ERR_PERSON_OUT_OF_SCOPE = _("Person: this person is outside your working area.")
ERR_POSYANDU_VILLAGE = _("Posyandu: choose a posyandu of the family's desa/kelurahan.")
ERR_POSYANDU_OUT_OF_SCOPE = _("Posyandu: you register families of your own posyandu only.")
ERR_MOVED_OUT = _("Person: this person has moved out of the area.")
ERR_MOVE_OUT_DATE = _(
    "Move-out date: must be on or after %(start)s, the start of the current membership, and not in the future."
)
ERR_REGION_LEVEL = _("Region: choose a desa/kelurahan or a dusun, RW or RT under it.")
ERR_NIK_TAKEN = _("NIK: already registered for %(name)s.")
ERR_NIK_TAKEN_ELSEWHERE = _("NIK: already registered outside your working area; ask the Dinkes to move the person.")
ERR_NIK_REASON = _("Reason for no NIK: required when the NIK is empty.")
ERR_KK_TAKEN = _("KK number: already registered for another family.")
ERR_KK_REASON = _("Reason for no KK number: required when the KK number is empty.")
ERR_BIRTH_FUTURE = _("Birth date: cannot be in the future.")
ERR_HEAD_EXISTS = _("Relationship: this family already has a head of family.")
ERR_HEAD_RELATIONSHIP = _("Relationship: the head of family is registered separately from the members.")
ERR_SAME_FAMILY = _("Destination family: the person already belongs to this family.")
ERR_MOVE_DATE = _(
    "Move date: must be on or after %(start)s, the start of the current membership, and not in the future."
)
ERR_DECEASED = _("Person: this person is recorded as deceased.")
ERR_DEATH_BEFORE_BIRTH = _("Date of death: cannot be before the birth date.")
ERR_DEATH_FUTURE = _("Date of death: cannot be in the future.")
ERR_PREGNANCY_OPEN = _("Person: already has an ongoing pregnancy; end it first.")
ERR_LMP_FUTURE = _("HPHT: cannot be in the future.")
ERR_LMP_TOO_OLD = _("HPHT: more than %(days)s days ago; a pregnancy that old has ended.")
ERR_LMP_AGE = _("HPHT: the mother would be %(age)s years old; expected %(min)s-%(max)s.")
ERR_PREGNANCY_END_DATE = _("End date: must be between the HPHT and today.")


class IdentityWarnings(ValidationError):
    """Plausibility warnings on a NIK or KK number: the save goes through once the user confirms."""

    field = ""

    def __init__(self, warnings: Iterable[str]):
        self.warnings = list(warnings)
        super().__init__({self.field: self.warnings})


class NikWarnings(IdentityWarnings):
    field = "nik"


class KkWarnings(IdentityWarnings):
    field = "kk_number"


class DuplicateNik(ValidationError):
    """The NIK belongs to a registered person; `existing` lets the form link to that record.

    A person outside the caller's scope is neither named nor linked (UU PDP): `existing` is None.
    """

    def __init__(self, existing: Person | None):
        self.existing = existing
        message = str(ERR_NIK_TAKEN) % {"name": existing.name} if existing else str(ERR_NIK_TAKEN_ELSEWHERE)
        super().__init__({"nik": [message]})


def _today() -> dt.date:
    return timezone.localdate()


def _district_exists(code: str) -> bool:
    return Region.objects.filter(level=Level.DISTRICT, code=code).exists()


def _require_person_level(scope: AreaScope) -> None:
    """Writers only: lintas sektor reads aggregates (issue #2), the pemdes reads its desa's register."""
    if not scope.person_level:
        raise PermissionDenied(ERR_NO_PERSON_DATA)
    if not scope.may_write_people:
        raise PermissionDenied(ERR_READ_ONLY)


def _require_in_scope(scope: AreaScope, region_id: int, field: str, message) -> None:
    _require_person_level(scope)
    if not scope.everything and not Region.objects.filter(scope.region_q(), pk=region_id).exists():
        raise ValidationError({field: message})


def _require_family_in_scope(scope: AreaScope, family: Family, field: str = "family", message=None) -> None:
    _require_person_level(scope)
    if not scope.everything and not Family.objects.filter(scope.household_q(), pk=family.pk).exists():
        raise ValidationError({field: message or ERR_FAMILY_OUT_OF_SCOPE})


def _require_person_in_scope(scope: AreaScope, person: Person, field: str = "person") -> None:
    _require_person_level(scope)
    if not scope.everything and not Person.objects.filter(scope.household_q(), pk=person.pk).exists():
        raise ValidationError({field: ERR_PERSON_OUT_OF_SCOPE})


# Public names for other apps' services (lifecycle): a write about a person or family checks these first.
require_person_in_scope = _require_person_in_scope
require_family_in_scope = _require_family_in_scope


def _posyandu_for(scope: AreaScope, region: Region, posyandu: Facility | None) -> Facility | None:
    """The family's posyandu: as chosen, else the kader's own; it must serve the family's desa."""
    if posyandu is None and scope.posyandu_ids is not None and len(scope.posyandu_ids) == 1:
        posyandu = Facility.objects.get(pk=next(iter(scope.posyandu_ids)))
    if posyandu is None:
        return None
    if posyandu.kind != FacilityKind.POSYANDU or posyandu.region.village_id != region.village_id:
        raise ValidationError({"posyandu": ERR_POSYANDU_VILLAGE})
    if scope.posyandu_ids is not None and posyandu.pk not in scope.posyandu_ids:
        raise ValidationError({"posyandu": ERR_POSYANDU_OUT_OF_SCOPE})
    return posyandu


def _require_alive(person: Person) -> None:
    if person.death_date is not None:
        raise ValidationError({"person": ERR_DECEASED})


def _check_nik(*, scope: AreaScope, nik: str, sex: str, birth_date: dt.date, confirm_warnings: bool) -> None:
    check = check_nik(nik, district_exists=_district_exists, sex=sex, birth_date=birth_date, today=_today())
    if check.errors:
        raise ValidationError({"nik": check.errors})
    existing = Person.objects.filter(nik=nik).first()
    if existing is not None:
        visible = scope.everything or Person.objects.filter(scope.household_q(), pk=existing.pk).exists()
        raise DuplicateNik(existing if visible else None)
    if check.warnings and not confirm_warnings:
        raise NikWarnings(check.warnings)


def _migration_record(*, person: Person, direction: str, on: dt.date, place: str, actor) -> Migration:
    migration = Migration(
        person=person, direction=direction, date=on, place=place.strip(), created_by=actor, updated_by=actor
    )
    save_audited(migration, actor=actor)
    return migration


def _family_set_head(*, family: Family, head: Person | None, actor) -> None:
    before = snapshot(family)
    family.head = head
    family.updated_by = actor
    family.save(update_fields=["head", "updated_by", "updated_at"])
    audit_update(family, before, actor=actor)


def _write_name_keys(person: Person) -> None:
    """Store the person's name keys (`PersonNameKey`) for the current `name_search`, replacing older ones."""
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(PersonNameKey(person=person, key=k) for k in name_keys(person.name_search))


def mark_register_changed(*region_ids: int | None, topics: Iterable[str] = (changes.REGISTER,)) -> None:
    """Tell the indicators that the register of these regions' desa changed (`ilp.core.changes`)."""
    ids = {r for r in region_ids if r}
    villages = {village or pk for pk, village in Region.objects.filter(id__in=ids).values_list("id", "village_id")}
    changes.mark_changed(topics=topics, village_ids=villages, dates=[_today()])
