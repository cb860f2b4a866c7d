"""Corrections of a person's or a family's data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ilp.core.audit import audit_update, save_audited, snapshot
from ilp.core.scoping import AreaScope
from ilp.people.identity import check_kk, check_nik, normalise, search_key
from ilp.people.models import (
    Family,
    Person,
)
from ilp.people.services.common import (
    ERR_BIRTH_FUTURE,
    ERR_KK_REASON,
    ERR_KK_TAKEN,
    ERR_NIK_REASON,
    ERR_REGION_LEVEL,
    ERR_REGION_OUT_OF_SCOPE,
    DuplicateNik,
    KkWarnings,
    NikWarnings,
    _district_exists,
    _posyandu_for,
    _require_family_in_scope,
    _require_in_scope,
    _require_person_in_scope,
    _today,
    _write_name_keys,
    mark_register_changed,
)
from ilp.regions.models import Level

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
    if person.name_search != before.get("name_search"):
        _write_name_keys(person)
    audit_update(person, before, actor=actor)
    mark_register_changed(person.region_id)
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
    save_audited(family, actor=actor, before=before)
    if family.region_id != before.get("region") or family.posyandu_id != before.get("posyandu"):
        members = Person.objects.filter(memberships__family=family, memberships__end_date__isnull=True)
        for member in members:
            member_before = snapshot(member)
            member.region_id, member.posyandu_id, member.updated_by = family.region_id, family.posyandu_id, actor
            member.save(update_fields=["region", "posyandu", "updated_by", "updated_at"])
            audit_update(member, member_before, actor=actor)
        mark_register_changed(before.get("region"), family.region_id)
    return family
