"""Registering families and persons (the web form, the API and the import pass through these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ilp.core.audit import audit_create, save_audited
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.people.identity import check_kk, normalise, search_key
from ilp.people.models import (
    Family,
    FamilyMembership,
    MigrationDirection,
    Person,
    Relationship,
)
from ilp.people.services.common import (
    ERR_BIRTH_FUTURE,
    ERR_HEAD_EXISTS,
    ERR_HEAD_RELATIONSHIP,
    ERR_KK_REASON,
    ERR_KK_TAKEN,
    ERR_NIK_REASON,
    ERR_REGION_LEVEL,
    ERR_REGION_OUT_OF_SCOPE,
    KkWarnings,
    _check_nik,
    _district_exists,
    _family_set_head,
    _migration_record,
    _posyandu_for,
    _require_family_in_scope,
    _require_in_scope,
    _today,
    _write_name_keys,
    mark_register_changed,
)
from ilp.regions.models import Level, Region


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
    _write_name_keys(person)
    audit_create(person, actor=actor)
    membership = FamilyMembership(
        family=family,
        person=person,
        relationship=relationship,
        start_date=joined_on or _today(),
        created_by=actor,
        updated_by=actor,
    )
    save_audited(membership, actor=actor)
    if relationship == Relationship.HEAD:
        _family_set_head(family=family, head=person, actor=actor)
    if moved_in_from.strip():
        _migration_record(
            person=person, direction=MigrationDirection.IN, on=membership.start_date, place=moved_in_from, actor=actor
        )
    mark_register_changed(family.region_id)
    return person


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
    save_audited(family, actor=actor)
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
