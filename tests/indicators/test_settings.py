"""Targets, denominator sources and projected sasaran: set through the services, read by the selectors."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.accounts.scope import scope_for
from ilp.core.models import AuditEntry
from ilp.demo.population.load import seed_population
from ilp.demo.seed import PILOT_CODE
from ilp.indicators.areas import area_for, sub_areas
from ilp.indicators.cells import DenominatorSource
from ilp.indicators.refresh import refresh_all
from ilp.indicators.registry import get
from ilp.indicators.sasaran import GROUPS
from ilp.indicators.selectors import cells, register_and_projection
from ilp.indicators.services import (
    ERR_NOT_PLANNER,
    ERR_POPULATION_LEVEL,
    area_population_set,
    area_setting_set,
    projection_rate_set,
)
from ilp.regions.models import Region

AGAM = "13.06"
MANINJAU = "13.06.03.2003"


@pytest.fixture
def world(db, users):
    seed_population(persons=800, seed=5, puskesmas_code=PILOT_CODE)
    refresh_all(indicators=[get("anc_k1"), get("child_weighed")])
    pkm = users["kapus.maninjau"].facility
    return {"pkm": pkm, "area": area_for(pkm.code), "period": timezone.localdate().replace(day=1)}


def _cell(area, code, period, **kw):
    return cells(indicators=[get(code)], areas=[area], period=period, **kw)[(code, area.code)]


def test_target_precedence_desa_over_puskesmas_over_kabupaten(world, users):
    dinkes, kapus = users["dinkes.agam"], users["kapus.maninjau"]
    year = world["period"].year
    desa = next(a for a in sub_areas(world["area"]) if a.code == MANINJAU)
    assert _cell(desa, "child_weighed", world["period"]).target_pct == 85  # the registry default
    area_setting_set(
        actor=dinkes,
        scope=scope_for(dinkes),
        indicator="child_weighed",
        year=year,
        region=Region.objects.get(code=AGAM),
        target_pct=80,
    )
    assert _cell(desa, "child_weighed", world["period"]).target_pct == 80
    area_setting_set(
        actor=kapus,
        scope=scope_for(kapus),
        indicator="child_weighed",
        year=year,
        puskesmas=world["pkm"],
        target_pct=82,
    )
    assert _cell(desa, "child_weighed", world["period"]).target_pct == 82
    assert _cell(world["area"], "child_weighed", world["period"]).target_pct == 82
    area_setting_set(
        actor=kapus,
        scope=scope_for(kapus),
        indicator="child_weighed",
        year=year,
        region=Region.objects.get(code=MANINJAU),
        target_pct=90,
    )
    assert _cell(desa, "child_weighed", world["period"]).target_pct == 90
    assert _cell(world["area"], "child_weighed", world["period"]).target_pct == 82
    assert AuditEntry.objects.filter(object_type__icontains="areasetting").count() == 3


def test_projection_is_population_times_proportion_and_can_be_chosen(world, users):
    dinkes = users["dinkes.agam"]
    year = world["period"].year
    desa_region = Region.objects.get(code=MANINJAU)
    area_population_set(actor=dinkes, scope=scope_for(dinkes), region=desa_region, year=year, population=4321)
    desa = area_for(MANINJAU)
    register, projected = register_and_projection(indicator=get("anc_k1"), area=desa, year=year)
    assert projected == round(4321 * GROUPS["pregnant"].proportion)
    assert register > 0
    projection_rate_set(
        actor=dinkes,
        scope=scope_for(dinkes),
        regency=Region.objects.get(code=AGAM),
        group="pregnant",
        year=year,
        proportion=0.02,
    )
    assert register_and_projection(indicator=get("anc_k1"), area=desa, year=year)[1] == round(4321 * 0.02)
    before = _cell(desa, "anc_k1", world["period"])
    assert before.source == DenominatorSource.REGISTER and before.denominator == register
    area_setting_set(
        actor=dinkes,
        scope=scope_for(dinkes),
        indicator="anc_k1",
        year=year,
        region=desa_region,
        source=DenominatorSource.PROJECTION,
    )
    after = _cell(desa, "anc_k1", world["period"])
    assert after.source == DenominatorSource.PROJECTION
    assert after.denominator == round(4321 * 0.02)
    assert after.numerator == before.numerator


def test_projection_of_an_area_needs_every_desa_population(world, users):
    dinkes = users["dinkes.agam"]
    year = world["period"].year
    one = sub_areas(world["area"])[0]
    area_population_set(
        actor=dinkes, scope=scope_for(dinkes), region=Region.objects.get(pk=one.pk), year=year, population=1000
    )
    # The puskesmas has other desa without a population: no projection rather than a wrong one.
    assert register_and_projection(indicator=get("anc_k1"), area=world["area"], year=year)[1] is None


def test_only_planners_set_targets_and_only_dinkes_populations(world, users):
    kader, kapus = users["kader.bayua"], users["kapus.maninjau"]
    year = dt.date.today().year
    with pytest.raises(PermissionDenied) as err:
        area_setting_set(
            actor=kader, scope=scope_for(kader), indicator="anc_k1", year=year, puskesmas=world["pkm"], target_pct=50
        )
    assert str(err.value) == str(ERR_NOT_PLANNER)
    with pytest.raises(PermissionDenied):
        area_population_set(
            actor=kapus, scope=scope_for(kapus), region=Region.objects.get(code=MANINJAU), year=year, population=10
        )


def test_population_is_entered_for_a_desa(world, users):
    dinkes = users["dinkes.agam"]
    with pytest.raises(ValidationError) as err:
        area_population_set(
            actor=dinkes, scope=scope_for(dinkes), region=Region.objects.get(code=AGAM), year=2026, population=10
        )
    assert err.value.message_dict["region"] == [str(ERR_POPULATION_LEVEL)]


def test_a_target_outside_0_100_is_refused(world, users):
    dinkes = users["dinkes.agam"]
    with pytest.raises(ValidationError):
        area_setting_set(
            actor=dinkes,
            scope=scope_for(dinkes),
            indicator="anc_k1",
            year=2026,
            region=Region.objects.get(code=AGAM),
            target_pct=120,
        )
