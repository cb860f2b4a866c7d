"""Schemas of the jejaring fungsional: one row per member and puskesmas, with its agreement."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Field, Schema

from ilp.api.schemas.facilities import FacilityRefOut


class NetworkMemberListOut(Schema):
    external_id: UUID
    puskesmas: FacilityRefOut
    member: FacilityRefOut
    member_region_code: str
    role: str
    services: str
    agreement_type: str
    agreement_number: str
    agreement_date: dt.date
    agreement_end: dt.date | None
    document_ref: str
    reporting_duty: str
    is_active: bool

    @staticmethod
    def resolve_member_region_code(obj) -> str:
        return obj.member.region.code


class NetworkFilters(Schema):
    puskesmas: UUID | None = Field(None, description="external_id of a puskesmas")
