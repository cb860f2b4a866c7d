"""Writes of the PWS settings: area populations, projection rates, and per-area targets and denominators.

The Dinkes sets its kabupaten's populations, projection rates and targets (the SK Target Kinerja);
a kepala puskesmas overrides targets and the denominator source for the puskesmas and its desa.
Every write is validated, scoped and audited (ARCHITECTURE.md, habits).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Role
from ilp.core.audit import audit_delete, save_audited, snapshot
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.indicators.cells import DenominatorSource
from ilp.indicators.models import AreaPopulation, AreaSetting, ProjectionRate
from ilp.indicators.registry import get
from ilp.indicators.sasaran import GROUPS
from ilp.regions.models import Level, Region

ERR_NOT_PLANNER = _("Only the Dinkes or the head of the puskesmas sets targets and populations.")
ERR_OUT_OF_SCOPE = _("Area: outside your working area.")
ERR_UNKNOWN_INDICATOR = _("Indicator: unknown code %(code)s.")
ERR_UNKNOWN_GROUP = _("Sasaran group: unknown code %(code)s.")
ERR_POPULATION_LEVEL = _("Area: a population is entered for a desa/kelurahan.")
ERR_DINKES_ONLY = _("Only the Dinkes sets populations and projection rates.")

_PLANNERS = (Role.DINKES_ADMIN, Role.KEPALA_PUSKESMAS)


def _require(actor, roles) -> None:
    if actor is not None and not actor.is_superuser and getattr(actor, "role", None) not in roles:
        raise PermissionDenied(ERR_NOT_PLANNER if len(roles) > 1 else ERR_DINKES_ONLY)


def _require_region(scope: AreaScope, region: Region) -> None:
    if not scope.everything and not Region.objects.filter(scope.region_q(), pk=region.pk).exists():
        raise ValidationError({"region": ERR_OUT_OF_SCOPE})


@transaction.atomic
def area_population_set(*, actor, scope: AreaScope, region: Region, year: int, population: int, source: str = ""):
    """Record the official population of a desa for a year (the base of projected sasaran)."""
    _require(actor, (Role.DINKES_ADMIN,))
    if region.level != Level.VILLAGE:
        raise ValidationError({"region": ERR_POPULATION_LEVEL})
    _require_region(scope, region)
    row = AreaPopulation.objects.select_for_update().filter(region=region, year=year).first()
    if row is None:
        row = AreaPopulation(region=region, year=year, population=population, source=source, created_by=actor)
        save_audited(row, actor=actor)
        return row
    before = snapshot(row)
    row.population, row.source, row.updated_by = population, source, actor
    save_audited(row, actor=actor, before=before)
    return row


@transaction.atomic
def projection_rate_set(
    *, actor, scope: AreaScope, regency: Region, group: str, year: int, proportion: float, source=""
):
    """Override the named default proportion of a sasaran group for a kabupaten and year."""
    _require(actor, (Role.DINKES_ADMIN,))
    if group not in GROUPS:
        raise ValidationError({"group": str(ERR_UNKNOWN_GROUP) % {"code": group}})
    _require_region(scope, regency)
    row, created = ProjectionRate.objects.select_for_update().get_or_create(
        regency=regency, group=group, year=year, defaults={"proportion": proportion, "source": source}
    )
    before = snapshot(row)
    row.proportion, row.source = proportion, source
    save_audited(row, actor=actor, before=None if created else before)
    return row


@transaction.atomic
def area_setting_set(
    *,
    actor,
    scope: AreaScope,
    indicator: str,
    year: int,
    region: Region | None = None,
    puskesmas: Facility | None = None,
    target_pct: float | None = None,
    source: DenominatorSource | str = "",
) -> AreaSetting | None:
    """Set the target and/or the denominator source of an indicator for one area (a region or a puskesmas).

    Neither a target nor a source removes the area's setting, so the next area up applies again.
    """
    _require(actor, _PLANNERS)
    try:
        get(indicator)
    except KeyError:
        raise ValidationError({"indicator": str(ERR_UNKNOWN_INDICATOR) % {"code": indicator}}) from None
    if region is not None:
        _require_region(scope, region)
    if puskesmas is not None and not Facility.objects.filter(scope.facility_q(), pk=puskesmas.pk).exists():
        raise ValidationError({"puskesmas": ERR_OUT_OF_SCOPE})
    row = (
        AreaSetting.objects.select_for_update()
        .filter(indicator=indicator, year=year, region=region, puskesmas=puskesmas)
        .first()
    )
    before = snapshot(row) if row else None
    if target_pct is None and not source:
        if row is not None:
            audit_delete(row, actor=actor)
            row.delete()
        return None
    if row is None:
        row = AreaSetting(indicator=indicator, year=year, region=region, puskesmas=puskesmas, created_by=actor)
    row.target_pct, row.source, row.updated_by = target_pct, str(source), actor
    save_audited(row, actor=actor, before=before)
    return row
