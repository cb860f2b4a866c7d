"""Stage 0 services: the readiness ticks, the SK Target Kinerja, the RACI matrix and the rollout status."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.accounts.models import Role
from ilp.accounts.services import user_create
from ilp.core.models import AuditEntry
from ilp.demo.seed import PILOT_CODE
from ilp.facilities.models import Facility, FacilityKind, IlpStatus
from ilp.indicators.models import AreaSetting
from ilp.planning.models import RaciActivity, ReadinessCheck, ReadinessItem, SuccessIndicator, TargetDecree
from ilp.planning.services.setup import (
    ERR_DINKES_ONLY,
    ERR_DONE_NEEDS_DATE,
    ERR_NO_RESPONSIBLE,
    ERR_NOT_PREPARER,
    ERR_ONE_ACCOUNTABLE,
    ERR_RUNNING_NEEDS_START,
    ERR_UNKNOWN_INDICATOR,
    ilp_status_set,
    raci_activity_delete,
    raci_activity_save,
    readiness_check_set,
    target_decree_set,
)
from ilp.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pilot():
    return Facility.objects.select_related("region").get(code=PILOT_CODE)


@pytest.fixture
def other(pilot):
    return Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(pk=pilot.pk).order_by("code").first()


def test_the_kepala_puskesmas_ticks_an_item_with_date_and_evidence_and_it_is_audited(users, pilot):
    check = readiness_check_set(
        actor=users["kapus.maninjau"],
        puskesmas=pilot,
        item=ReadinessItem.CLUSTER_SK,
        done=True,
        done_on=TODAY,
        evidence=" SK Kapus no. 12/2024 ",
    )
    assert (check.done, check.done_on, check.evidence) == (True, TODAY, "SK Kapus no. 12/2024")
    assert AuditEntry.objects.filter(object_type="planning.readinesscheck", action="create").count() == 1
    # ticking again updates the same row
    readiness_check_set(
        actor=users["dinkes.agam"], puskesmas=pilot, item=ReadinessItem.CLUSTER_SK, done=False, done_on=None
    )
    assert ReadinessCheck.objects.filter(puskesmas=pilot).count() == 1
    assert AuditEntry.objects.filter(object_type="planning.readinesscheck", action="update").count() == 1


def test_a_done_item_needs_its_date(users, pilot):
    with pytest.raises(ValidationError) as err:
        readiness_check_set(actor=users["kapus.maninjau"], puskesmas=pilot, item="satusehat", done=True, done_on=None)
    assert err.value.message_dict == {"done_on": [str(ERR_DONE_NEEDS_DATE)]}


@pytest.mark.parametrize("username", ["walinagari.maninjau", "kader.bayua", "pustu.bayua", "klaster2.maninjau"])
def test_other_roles_cannot_prepare(users, pilot, username):
    with pytest.raises(PermissionDenied) as err:
        readiness_check_set(actor=users[username], puskesmas=pilot, item="satusehat", done=False)
    assert str(err.value) == str(ERR_NOT_PREPARER)


def test_a_kepala_puskesmas_cannot_prepare_another_puskesmas(users, other):
    with pytest.raises(PermissionDenied):
        raci_activity_save(
            actor=users["kapus.maninjau"], puskesmas=other, name="Lokmin", cells={"kapus": "A", "k1": "R"}
        )


def test_the_decree_stores_the_success_indicators_and_writes_the_targets_to_the_pws(users, pilot):
    # given the puskesmas chose its denominator source for D/S before
    AreaSetting.objects.create(indicator="child_weighed", year=TODAY.year, puskesmas=pilot, source="projection")
    # when the kepala puskesmas records the SK with two success indicators
    decree = target_decree_set(
        actor=users["kapus.maninjau"],
        puskesmas=pilot,
        year=TODAY.year,
        number="440/012/SK-PKM/II/2026",
        signed_on=TODAY,
        indicators={"child_weighed": 88.5, "idl": None},
    )
    # then the decree and its indicators are kept
    assert set(decree.indicators.values_list("indicator", flat=True)) == {"child_weighed", "idl"}
    # and the D/S target is the puskesmas' own in the PWS settings, its denominator source kept
    setting = AreaSetting.objects.get(indicator="child_weighed", year=TODAY.year, puskesmas=pilot)
    assert (setting.target_pct, setting.source) == (88.5, "projection")
    # and no target is written for an indicator given without one
    assert not AreaSetting.objects.filter(indicator="idl", puskesmas=pilot).exists()
    # when saved again without IDL
    target_decree_set(
        actor=users["dinkes.agam"],
        puskesmas=pilot,
        year=TODAY.year,
        number="440/012/SK-PKM/II/2026",
        signed_on=TODAY,
        indicators={"child_weighed": 90},
    )
    assert list(SuccessIndicator.objects.filter(decree=decree).values_list("indicator", flat=True)) == ["child_weighed"]
    assert AreaSetting.objects.get(indicator="child_weighed", year=TODAY.year, puskesmas=pilot).target_pct == 90
    assert TargetDecree.objects.filter(puskesmas=pilot).count() == 1


def test_an_unknown_indicator_or_a_target_above_100_is_refused(users, pilot):
    kapus = users["kapus.maninjau"]
    with pytest.raises(ValidationError) as err:
        target_decree_set(actor=kapus, puskesmas=pilot, year=TODAY.year, indicators={"nope": 80})
    assert err.value.message_dict["indicators"] == [str(ERR_UNKNOWN_INDICATOR) % {"code": "nope"}]
    with pytest.raises(ValidationError):
        target_decree_set(actor=kapus, puskesmas=pilot, year=TODAY.year, indicators={"idl": 100.5})
    assert not TargetDecree.objects.filter(puskesmas=pilot).exists()


def test_a_raci_activity_needs_exactly_one_accountable_and_a_responsible(users, pilot):
    kapus = users["kapus.maninjau"]
    with pytest.raises(ValidationError) as err:
        raci_activity_save(actor=kapus, puskesmas=pilot, name="Lokmin", cells={"kapus": "A", "dinkes": "A", "k1": "R"})
    assert err.value.message_dict == {"cells": [str(ERR_ONE_ACCOUNTABLE) % {"count": 2}]}
    with pytest.raises(ValidationError) as err:
        raci_activity_save(actor=kapus, puskesmas=pilot, name="Lokmin", cells={"kapus": "A", "k1": "C"})
    assert err.value.message_dict == {"cells": [str(ERR_NO_RESPONSIBLE)]}
    with pytest.raises(ValidationError) as err:
        raci_activity_save(actor=kapus, puskesmas=pilot, name="Lokmin", cells={"kapus": "R"})
    assert err.value.message_dict == {"cells": [str(ERR_ONE_ACCOUNTABLE) % {"count": 0}]}
    # when valid, blank cells are dropped and lower-case letters accepted
    first = raci_activity_save(
        actor=kapus, puskesmas=pilot, name=" Lokakarya mini bulanan ", cells={"k1": "r", "kapus": "A", "pemdes": ""}
    )
    assert (first.name, first.cells, first.order) == ("Lokakarya mini bulanan", {"kapus": "A", "k1": "R"}, 0)
    second = raci_activity_save(actor=kapus, puskesmas=pilot, name="MMD", cells={"pemdes": "A", "pustu": "R"})
    assert second.order == 1
    # an edit keeps the row
    raci_activity_save(actor=kapus, puskesmas=pilot, activity=second, name="MMD", cells={"pemdes": "A", "kader": "R"})
    assert RaciActivity.objects.get(pk=second.pk).cells == {"kader": "R", "pemdes": "A"}
    raci_activity_delete(actor=kapus, activity=first)
    assert list(RaciActivity.objects.filter(puskesmas=pilot)) == [second]


def test_a_pemdes_cannot_delete_an_activity(users, pilot):
    row = raci_activity_save(actor=users["kapus.maninjau"], puskesmas=pilot, name="X", cells={"kapus": "A", "k1": "R"})
    with pytest.raises(PermissionDenied):
        raci_activity_delete(actor=users["walinagari.maninjau"], activity=row)


def test_only_the_dinkes_sets_the_ilp_status(users, other):
    with pytest.raises(PermissionDenied) as err:
        ilp_status_set(actor=users["kapus.maninjau"], puskesmas=other, status=IlpStatus.PREPARING)
    assert str(err.value) == str(ERR_DINKES_ONLY)
    with pytest.raises(ValidationError) as err:
        ilp_status_set(actor=users["dinkes.agam"], puskesmas=other, status=IlpStatus.RUNNING)
    assert err.value.message_dict == {"ilp_start_date": [str(ERR_RUNNING_NEEDS_START)]}
    ilp_status_set(
        actor=users["dinkes.agam"],
        puskesmas=other,
        status=IlpStatus.RUNNING,
        start_date=dt.date(2026, 1, 2),
        pilot=True,
    )
    other.refresh_from_db()
    assert (other.ilp_status, other.ilp_start_date, other.ilp_pilot) == ("running", dt.date(2026, 1, 2), True)
    assert AuditEntry.objects.filter(object_type="facilities.facility", object_id=str(other.external_id)).exists()


def test_a_dinkes_of_another_kabupaten_cannot_set_the_status(pilot):
    region = Region.objects.get(code="13.75")
    user = user_create(username="dinkes.bkt", password="x", role=Role.DINKES_ADMIN, region=region, validate=False)
    with pytest.raises(PermissionDenied):
        ilp_status_set(actor=user, puskesmas=pilot, status=IlpStatus.PREPARING)
    with pytest.raises(PermissionDenied):
        readiness_check_set(actor=user, puskesmas=pilot, item="satusehat", done=False)
