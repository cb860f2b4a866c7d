"""Family register schemas: families (Kartu Keluarga) and persons, by external_id only.

A NIK is shown in full only to roles that may see it (`User.may_see_nik`); everyone else reads it
masked (`mask_nik`). Age and life stage are derived on today's date, never stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Schema

from ilp.api.schemas.common import Text
from ilp.api.schemas.facilities import FacilityRefOut
from ilp.api.schemas.regions import RegionRefOut
from ilp.people.identity import mask_nik
from ilp.people.life_stage import age_in_years, life_stage
from ilp.people.models import Disability, NikMissingReason, Relationship, Sex
from ilp.people.selectors import family_members


def _may_see_nik(context) -> bool:
    request = (context or {}).get("request")
    user = getattr(request, "auth", None)
    return bool(getattr(user, "may_see_nik", False))


def _shown_nik(person, context) -> str | None:
    if not person.nik:
        return None
    return person.nik if _may_see_nik(context) else mask_nik(person.nik)


def _reference_date(person) -> dt.date | None:
    """Today, or the date of death for the deceased; None when the birth date lies after it."""
    on = person.death_date or timezone.localdate()
    return on if on >= person.birth_date else None


def _age(person) -> int | None:
    on = _reference_date(person)
    return age_in_years(person.birth_date, on) if on else None


def _life_stage(person) -> str | None:
    on = _reference_date(person)
    return life_stage(birth_date=person.birth_date, on=on, sex=person.sex).code if on else None


# --- output -------------------------------------------------------------------------------------


class PersonRefOut(Schema):
    external_id: UUID
    name: str


class PersonListOut(Schema):
    external_id: UUID
    name: str
    # Masked (e.g. 130603********01) unless your role may see NIKs; null when the person has none.
    nik: str | None
    nik_missing_reason: str | None
    sex: Sex
    birth_date: dt.date
    birth_date_estimated: bool
    # Completed years today (at death for the deceased).
    age: int | None
    # Life-stage code (bbl, bayi, balita, prasekolah, usia_sekolah_remaja, dewasa, lansia).
    life_stage: str | None
    region: RegionRefOut
    death_date: dt.date | None
    # Set when the person moved out of the area (pindah keluar).
    moved_out_on: dt.date | None

    @staticmethod
    def resolve_nik(obj, context) -> str | None:
        return _shown_nik(obj, context)

    @staticmethod
    def resolve_nik_missing_reason(obj) -> str | None:
        return obj.nik_missing_reason or None

    @staticmethod
    def resolve_age(obj) -> int | None:
        return _age(obj)

    @staticmethod
    def resolve_life_stage(obj) -> str | None:
        return _life_stage(obj)


class PersonFamilyOut(Schema):
    """The person's current family and their place in it."""

    external_id: UUID
    kk_number: str | None
    relationship: Relationship
    since: dt.date


class PersonDetailOut(PersonListOut):
    jkn_number: str
    ihs_number: str
    phone: str
    disability: str | None
    death_cause: str
    family: PersonFamilyOut | None

    @staticmethod
    def resolve_disability(obj) -> str | None:
        return obj.disability or None

    @staticmethod
    def resolve_family(obj) -> dict | None:
        membership = obj.memberships.filter(end_date__isnull=True).select_related("family").first()
        if membership is None:
            return None
        return {
            "external_id": membership.family.external_id,
            "kk_number": membership.family.kk_number or None,
            "relationship": membership.relationship,
            "since": membership.start_date,
        }


class MemberOut(Schema):
    """A current member of a family."""

    external_id: UUID
    name: str
    nik: str | None
    sex: Sex
    birth_date: dt.date
    age: int | None
    life_stage: str | None
    relationship: Relationship
    since: dt.date
    death_date: dt.date | None

    @staticmethod
    def resolve_external_id(obj) -> UUID:
        return obj.person.external_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_nik(obj, context) -> str | None:
        return _shown_nik(obj.person, context)

    @staticmethod
    def resolve_sex(obj) -> str:
        return obj.person.sex

    @staticmethod
    def resolve_birth_date(obj) -> dt.date:
        return obj.person.birth_date

    @staticmethod
    def resolve_age(obj) -> int | None:
        return _age(obj.person)

    @staticmethod
    def resolve_life_stage(obj) -> str | None:
        return _life_stage(obj.person)

    @staticmethod
    def resolve_since(obj) -> dt.date:
        return obj.start_date

    @staticmethod
    def resolve_death_date(obj) -> dt.date | None:
        return obj.person.death_date


class FamilyListOut(Schema):
    external_id: UUID
    # Null while the family waits for a KK (see kk_missing_reason).
    kk_number: str | None
    kk_missing_reason: str | None
    region: RegionRefOut
    address_text: str
    # The posyandu the family attends; null when not yet assigned.
    posyandu: FacilityRefOut | None
    head: PersonRefOut | None

    @staticmethod
    def resolve_kk_number(obj) -> str | None:
        return obj.kk_number or None

    @staticmethod
    def resolve_kk_missing_reason(obj) -> str | None:
        return obj.kk_missing_reason or None


class FamilyDetailOut(FamilyListOut):
    latitude: Decimal | None
    longitude: Decimal | None
    # Current members, the head first, then by age.
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return family_members(family=obj)


# --- filters ------------------------------------------------------------------------------------


class FamilyFilters(Schema):
    q: Text = Field("", max_length=100, description="KK number or a member's NIK (16 digits), head's name, address")


class PersonFilters(Schema):
    q: Text = Field("", max_length=100, description="name (partial) or NIK / KK number (16 digits)")
    family: UUID | None = Field(None, description="external_id of a family: its current members")


# --- input --------------------------------------------------------------------------------------


class PersonIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    sex: Sex
    birth_date: dt.date
    birth_date_estimated: bool = False
    # 16 digits (spaces, dots and dashes are ignored); leave empty and give nik_missing_reason instead.
    nik: Text = Field("", max_length=32)
    nik_missing_reason: NikMissingReason | None = None
    jkn_number: Text = Field("", max_length=13)
    ihs_number: Text = Field("", max_length=20)
    phone: Text = Field("", max_length=20)
    disability: Disability | None = None

    def service_kwargs(self) -> dict:
        data = self.dict()
        data["nik_missing_reason"] = data["nik_missing_reason"] or ""
        data["disability"] = data["disability"] or ""
        return data


class MemberIn(PersonIn):
    relationship: Relationship


class FamilyCreateIn(Schema):
    # Kemendagri code of the desa/kelurahan (or a dusun, RW, RT under it), e.g. 13.06.03.2004.
    region: Text = Field(..., max_length=32)
    kk_number: Text = Field("", max_length=32)
    kk_missing_reason: Text = Field("", max_length=200)
    address_text: Text = Field("", max_length=255)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    # external_id of a posyandu of the family's desa; a kader's own posyandu when omitted.
    posyandu: UUID | None = None
    head: PersonIn
    members: list[MemberIn] = Field([], max_length=50)
    # Send true to save despite NIK/KK plausibility warnings (after showing them to the user).
    confirm_warnings: bool = False


class FamilyUpdateIn(Schema):
    """A correction: send only the fields that change."""

    kk_number: Text | None = Field(None, max_length=32)
    kk_missing_reason: Text | None = Field(None, max_length=200)
    # Kemendagri code of the new desa/kelurahan (or dusun, RW, RT) when the family's address changes.
    region: Text | None = Field(None, max_length=32)
    address_text: Text | None = Field(None, max_length=255)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    posyandu: UUID | None = None
    confirm_warnings: bool = False


class PersonUpdateIn(Schema):
    """A correction: send only the fields that change; a NIK is checked again like a new one."""

    name: Text | None = Field(None, min_length=1, max_length=150)
    sex: Sex | None = None
    birth_date: dt.date | None = None
    birth_date_estimated: bool | None = None
    nik: Text | None = Field(None, max_length=32)
    nik_missing_reason: NikMissingReason | None = None
    jkn_number: Text | None = Field(None, max_length=13)
    ihs_number: Text | None = Field(None, max_length=20)
    phone: Text | None = Field(None, max_length=20)
    disability: Disability | None = None
    confirm_warnings: bool = False


class MemberCreateIn(MemberIn):
    # Default: today.
    joined_on: dt.date | None = None
    confirm_warnings: bool = False


class ServiceErrorOut(Schema):
    """A refusal from the register's rules: the field at fault and, for NIK/KK, the warnings to confirm."""

    detail: str
    # The field at fault, e.g. "nik", "head.nik", "members.0.relationship"; null when none.
    field: str | None = None
    # Plausibility warnings: send again with confirm_warnings=true to save anyway.
    warnings: list[str] = []
    # For a duplicate NIK: the external_id of the registered person, when in your area.
    existing: UUID | None = None
