"""Workforce schemas: health workers and kader. Names of people: read only by person-level roles."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Field, Schema

from ilp.api.schemas.facilities import FacilityRefOut
from ilp.facilities.models import Cluster, CompetencyGroup
from ilp.facilities.selectors import kader_competency_summary


class HealthWorkerListOut(Schema):
    external_id: UUID
    name: str
    profession: str
    facility: FacilityRefOut
    # Null for staff not (yet) assigned to a cluster.
    cluster: str | None
    is_cluster_lead: bool
    is_active: bool

    @staticmethod
    def resolve_cluster(obj) -> str | None:
        return obj.cluster or None


class KaderCompetencyOut(Schema):
    group: str
    attained: bool
    skills_attained: int
    skills_total: int
    assessed_on: dt.date


class KaderListOut(Schema):
    external_id: UUID
    name: str
    posyandu: FacilityRefOut
    # Null when not certified.
    tier: str | None
    trained_on: dt.date | None
    is_active: bool
    # The latest assessment of each basic competency that has been assessed, in the guideline's order.
    competencies: list[KaderCompetencyOut]

    @staticmethod
    def resolve_tier(obj) -> str | None:
        return obj.tier or None

    @staticmethod
    def resolve_competencies(obj) -> list:
        latest = kader_competency_summary(obj)
        return [latest[group] for group in CompetencyGroup.values if group in latest]


class HealthWorkerFilters(Schema):
    facility: UUID | None = Field(None, description="external_id of a facility")
    cluster: Cluster | None = None


class KaderFilters(Schema):
    posyandu: UUID | None = Field(None, description="external_id of a posyandu")
