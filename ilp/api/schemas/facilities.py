"""Facility schemas: identified by external_id; puskesmas and posyandu fields are null for other kinds."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Field, Schema

from ilp.api.auth import request_scope
from ilp.api.schemas.common import Text
from ilp.facilities.models import FacilityKind
from ilp.facilities.selectors import puskesmas_working_area


class FacilityRefOut(Schema):
    external_id: UUID
    name: str
    kind: str


class FacilityListOut(Schema):
    external_id: UUID
    code: str
    kind: str
    kind_name: str
    name: str
    region_code: str
    region_name: str
    is_active: bool

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return str(FacilityKind(obj.kind).label)

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


def _puskesmas_only(obj, value):
    return value if obj.kind == FacilityKind.PUSKESMAS else None


class FacilityDetailOut(FacilityListOut):
    parent_external_id: UUID | None
    parent_name: str | None
    address: str
    phone: str
    latitude: float | None
    longitude: float | None
    # Puskesmas only (null otherwise).
    ilp_status: str | None
    ilp_start_date: dt.date | None
    ilp_pilot: bool | None
    inpatient: bool | None
    # Codes of the desa/kelurahan of the working area that the caller may read; puskesmas only.
    working_area: list[str] | None
    # Posyandu only: the day of the month it opens.
    schedule_day: int | None

    @staticmethod
    def resolve_parent_external_id(obj) -> UUID | None:
        return obj.parent.external_id if obj.parent_id else None

    @staticmethod
    def resolve_parent_name(obj) -> str | None:
        return obj.parent.name if obj.parent_id else None

    @staticmethod
    def resolve_ilp_status(obj) -> str | None:
        return _puskesmas_only(obj, obj.ilp_status)

    @staticmethod
    def resolve_ilp_start_date(obj) -> dt.date | None:
        return _puskesmas_only(obj, obj.ilp_start_date)

    @staticmethod
    def resolve_ilp_pilot(obj) -> bool | None:
        return _puskesmas_only(obj, obj.ilp_pilot)

    @staticmethod
    def resolve_inpatient(obj) -> bool | None:
        return _puskesmas_only(obj, obj.inpatient)

    @staticmethod
    def resolve_working_area(obj, context) -> list[str] | None:
        if obj.kind != FacilityKind.PUSKESMAS:
            return None
        villages = puskesmas_working_area(scope=request_scope(context["request"]), puskesmas=obj)
        return list(villages.values_list("code", flat=True))

    @staticmethod
    def resolve_schedule_day(obj) -> int | None:
        return obj.schedule_day if obj.kind == FacilityKind.POSYANDU else None


class FacilityFilters(Schema):
    kind: FacilityKind | None = None
    q: Text = Field("", description="Name or code contains")
    region: Text | None = Field(None, description="Code of a region: facilities located anywhere under it")
