"""Writes on the family register: every web form, API call and import row passes through these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_create, audit_update, snapshot
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.people.identity import SEX_FEMALE, check_kk, check_nik, normalise, search_key
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


@transaction.atomic
def person_register(
    *,
    scope: AreaScope,
    family: Family,
    relationship: str,
    name: str,
    sex: str,
    birth_date: dt.date,
    nik: str = "",
    nik_missing_reason: str = "",
    birth_date_estimated: bool = False,
    jkn_number: str = "",
    ihs_number: str = "",
    phone: str = "",
    disability: str = "",
    joined_on: dt.date | None = None,
    moved_in_from: str = "",
    confirm_warnings: bool = False,
    actor=None,
) -> Person:
    """Register a person as a member of `family`, from `joined_on` (default: today).

    Raises `ValidationError` naming the field; `NikWarnings` when the NIK's date or sex disagree and
    `confirm_warnings` is False; `DuplicateNik` (with `.existing`) when the NIK is registered.
    A head of family becomes the family's head. `moved_in_from` (a place) records a move into the area
    (pindah datang) on `joined_on`.
    """
    _require_family_in_scope(scope, family)
    nik = normalise(nik)
    if birth_date > _today():
        raise ValidationError({"birth_date": ERR_BIRTH_FUTURE})
    if nik:
        _check_nik(scope=scope, nik=nik, sex=sex, birth_date=birth_date, confirm_warnings=confirm_warnings)
        nik_missing_reason = ""
    elif not nik_missing_reason:
        raise ValidationError({"nik_missing_reason": ERR_NIK_REASON})
    if relationship == Relationship.HEAD and family.head_id is not None:
        raise ValidationError({"relationship": ERR_HEAD_EXISTS})
    person = Person(
        nik=nik or None,
        nik_missing_reason=nik_missing_reason,
        name=" ".join(name.split()),
        name_search=search_key(name),
        sex=sex,
        birth_date=birth_date,
        birth_date_estimated=birth_date_estimated,
        jkn_number=jkn_number.strip(),
        ihs_number=ihs_number.strip(),
        phone=phone.strip(),
        disability=disability,
        region_id=family.region_id,
        posyandu_id=family.posyandu_id,
        created_by=actor,
        updated_by=actor,
    )
    person.full_clean()
    person.save()
    audit_create(person, actor=actor)
    membership = FamilyMembership(
        family=family,
        person=person,
        relationship=relationship,
        start_date=joined_on or _today(),
        created_by=actor,
        updated_by=actor,
    )
    membership.full_clean()
    membership.save()
    audit_create(membership, actor=actor)
    if relationship == Relationship.HEAD:
        _family_set_head(family=family, head=person, actor=actor)
    if moved_in_from.strip():
        _migration_record(
            person=person, direction=MigrationDirection.IN, on=membership.start_date, place=moved_in_from, actor=actor
        )
    return person


def _migration_record(*, person: Person, direction: str, on: dt.date, place: str, actor) -> Migration:
    migration = Migration(
        person=person, direction=direction, date=on, place=place.strip(), created_by=actor, updated_by=actor
    )
    migration.full_clean()
    migration.save()
    audit_create(migration, actor=actor)
    return migration


def _family_set_head(*, family: Family, head: Person | None, actor) -> None:
    before = snapshot(family)
    family.head = head
    family.updated_by = actor
    family.save(update_fields=["head", "updated_by", "updated_at"])
    audit_update(family, before, actor=actor)


@transaction.atomic
def family_register(
    *,
    scope: AreaScope,
    region: Region,
    head: dict[str, Any],
    members: Iterable[dict[str, Any]] = (),
    kk_number: str = "",
    kk_missing_reason: str = "",
    address_text: str = "",
    latitude=None,
    longitude=None,
    posyandu: Facility | None = None,
    confirm_warnings: bool = False,
    actor=None,
) -> Family:
    """Register a family, its head and its members in one transaction: all of it or nothing.

    `head` and each of `members` are `person_register` keywords (members carry `relationship`).
    An error raised for a person gets `row`: "head" or the member's 1-based position. The posyandu
    defaults to a kader's own.
    """
    _require_in_scope(scope, region.pk, "region", ERR_REGION_OUT_OF_SCOPE)
    if region.level < Level.VILLAGE:
        raise ValidationError({"region": ERR_REGION_LEVEL})
    posyandu = _posyandu_for(scope, region, posyandu)
    kk_number = normalise(kk_number)
    if kk_number:
        check = check_kk(kk_number, district_exists=_district_exists)
        if check.errors:
            raise ValidationError({"kk_number": check.errors})
        if Family.objects.filter(kk_number=kk_number).exists():
            raise ValidationError({"kk_number": ERR_KK_TAKEN})
        if check.warnings and not confirm_warnings:
            raise KkWarnings(check.warnings)
        kk_missing_reason = ""
    elif not kk_missing_reason.strip():
        raise ValidationError({"kk_missing_reason": ERR_KK_REASON})
    family = Family(
        kk_number=kk_number,
        kk_missing_reason=kk_missing_reason.strip(),
        region=region,
        address_text=address_text.strip(),
        latitude=latitude,
        longitude=longitude,
        posyandu=posyandu,
        created_by=actor,
        updated_by=actor,
    )
    family.full_clean()
    family.save()
    audit_create(family, actor=actor)
    rows: list[tuple[str | int, dict[str, Any]]] = [("head", {**head, "relationship": Relationship.HEAD})]
    rows += [(i, member) for i, member in enumerate(members, start=1)]
    for row, data in rows:
        try:
            if row != "head" and data.get("relationship") == Relationship.HEAD:
                raise ValidationError({"relationship": ERR_HEAD_RELATIONSHIP})
            person_register(scope=scope, family=family, confirm_warnings=confirm_warnings, actor=actor, **data)
        except ValidationError as err:
            err.row = row
            raise
    return family


def family_member_add(*, scope: AreaScope, family: Family, **person: Any) -> Person:
    """Add a person (e.g. a newborn) to an existing family; the keywords are `person_register`'s."""
    return person_register(scope=scope, family=family, **person)


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
    membership.full_clean()
    membership.save()
    audit_create(membership, actor=actor)
    if relationship == Relationship.HEAD:
        _family_set_head(family=to_family, head=person, actor=actor)
    before = snapshot(person)
    person.region_id = to_family.region_id
    person.posyandu_id = to_family.posyandu_id
    person.moved_out_on = None
    person.updated_by = actor
    person.save(update_fields=["region", "posyandu", "moved_out_on", "updated_by", "updated_at"])
    audit_update(person, before, actor=actor)
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
    person.full_clean()
    person.save()
    audit_update(person, before, actor=actor)
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
    pregnancy.full_clean()
    pregnancy.save()
    audit_create(pregnancy, actor=actor)
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
    pregnancy.full_clean()
    pregnancy.save()
    audit_update(pregnancy, before, actor=actor)
    return pregnancy


# Fields a user corrects on a person; identity (NIK) goes through its own checks below.
PERSON_EDITABLE = (
    "name",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "nik",
    "nik_missing_reason",
    "jkn_number",
    "ihs_number",
    "phone",
    "disability",
)
FAMILY_EDITABLE = ("kk_number", "kk_missing_reason", "region", "address_text", "latitude", "longitude", "posyandu")


@transaction.atomic
def person_update(*, scope: AreaScope, person: Person, confirm_warnings: bool = False, actor=None, **changes) -> Person:
    """Correct a person's data (`PERSON_EDITABLE` keywords); unchanged values are ignored.

    The NIK is re-checked against the (possibly corrected) sex and birth date: errors refuse it,
    plausibility warnings need `confirm_warnings`, a NIK of another person raises `DuplicateNik`.
    """
    _require_person_in_scope(scope, person)
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise TypeError(f"person_update: not editable: {sorted(unknown)}")
    before = snapshot(person)
    for key, value in changes.items():
        if key == "nik":
            value = normalise(value or "") or None
        elif key == "name":
            value = " ".join((value or "").split())
        elif isinstance(value, str):
            value = value.strip()
        setattr(person, key, value)
    person.name_search = search_key(person.name)
    if person.birth_date > _today():
        raise ValidationError({"birth_date": ERR_BIRTH_FUTURE})
    if person.nik:
        person.nik_missing_reason = ""
        identity_changed = (
            person.nik != before.get("nik")
            or person.sex != before.get("sex")
            or person.birth_date.isoformat() != before.get("birth_date")
        )
        if identity_changed:
            check = check_nik(
                person.nik,
                district_exists=_district_exists,
                sex=person.sex,
                birth_date=person.birth_date,
                today=_today(),
            )
            if check.errors:
                raise ValidationError({"nik": check.errors})
            existing = Person.objects.filter(nik=person.nik).exclude(pk=person.pk).first()
            if existing is not None:
                visible = scope.everything or Person.objects.filter(scope.household_q(), pk=existing.pk).exists()
                raise DuplicateNik(existing if visible else None)
            if check.warnings and not confirm_warnings:
                raise NikWarnings(check.warnings)
    elif not person.nik_missing_reason:
        raise ValidationError({"nik_missing_reason": ERR_NIK_REASON})
    person.updated_by = actor
    person.full_clean()
    person.save()
    audit_update(person, before, actor=actor)
    return person


@transaction.atomic
def family_update(*, scope: AreaScope, family: Family, confirm_warnings: bool = False, actor=None, **changes) -> Family:
    """Correct a family's KK number, address or posyandu (`FAMILY_EDITABLE` keywords).

    A new address or posyandu is copied to the current members, so their scope follows the household.
    """
    _require_family_in_scope(scope, family)
    unknown = set(changes) - set(FAMILY_EDITABLE)
    if unknown:
        raise TypeError(f"family_update: not editable: {sorted(unknown)}")
    before = snapshot(family)
    region = changes.get("region", family.region)
    if region.pk != family.region_id:
        _require_in_scope(scope, region.pk, "region", ERR_REGION_OUT_OF_SCOPE)
        if region.level < Level.VILLAGE:
            raise ValidationError({"region": ERR_REGION_LEVEL})
    if "posyandu" in changes or region.village_id != family.region.village_id:
        changes["posyandu"] = _posyandu_for(scope, region, changes.get("posyandu", family.posyandu))
    for key, value in changes.items():
        if key == "kk_number":
            value = normalise(value or "")
        elif isinstance(value, str):
            value = value.strip()
        setattr(family, key, value)
    if family.kk_number:
        family.kk_missing_reason = ""
        if family.kk_number != before.get("kk_number"):
            check = check_kk(family.kk_number, district_exists=_district_exists)
            if check.errors:
                raise ValidationError({"kk_number": check.errors})
            if Family.objects.filter(kk_number=family.kk_number).exclude(pk=family.pk).exists():
                raise ValidationError({"kk_number": ERR_KK_TAKEN})
            if check.warnings and not confirm_warnings:
                raise KkWarnings(check.warnings)
    elif not family.kk_missing_reason:
        raise ValidationError({"kk_missing_reason": ERR_KK_REASON})
    family.updated_by = actor
    family.full_clean()
    family.save()
    audit_update(family, before, actor=actor)
    if family.region_id != before.get("region") or family.posyandu_id != before.get("posyandu"):
        members = Person.objects.filter(memberships__family=family, memberships__end_date__isnull=True)
        for member in members:
            member_before = snapshot(member)
            member.region_id, member.posyandu_id, member.updated_by = family.region_id, family.posyandu_id, actor
            member.save(update_fields=["region", "posyandu", "updated_by", "updated_at"])
            audit_update(member, member_before, actor=actor)
    return family


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
    return _migration_record(person=person, direction=MigrationDirection.OUT, on=on, place=place, actor=actor)
