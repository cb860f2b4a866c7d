"""Where a puskesmas' programme is carried out (`service_places`), read through the user's scope."""

import pytest

from ilp.accounts.scope import scope_for
from ilp.demo.seed import PILOT_CODE
from ilp.facilities.models import Facility, FacilityKind, NetworkMember
from ilp.facilities.selectors import service_places

pytestmark = pytest.mark.django_db


def test_the_pilots_places_are_its_pustu_posyandu_and_active_network(users):
    pilot = Facility.objects.get(code=PILOT_CODE)
    places = service_places(scope=scope_for(users["kapus.maninjau"]), puskesmas=pilot)
    assert len(places.pustu) == 10 and len(places.posyandu) == 20  # a pustu and two posyandu per nagari
    area = set(pilot.working_area.values_list("pk", flat=True))
    assert {v.pk for v in places.villages} == area and len(area) == 10  # the 10 nagari of Maninjau
    assert all(f.region.village_id in area or f.region_id in area for f in places.pustu + places.posyandu)
    active = NetworkMember.objects.filter(puskesmas=pilot, is_active=True).values_list("member_id", flat=True)
    assert {f.pk for f in places.network} == set(active) and places.network
    assert FacilityKind.KLINIK_PRATAMA in {f.kind for f in places.network}
    assert set(places.by_pk()) == {pilot.pk} | {f.pk for f in places.pustu + places.posyandu + places.network}


def test_an_inactive_member_or_posyandu_is_no_place(users):
    pilot = Facility.objects.get(code=PILOT_CODE)
    scope = scope_for(users["kapus.maninjau"])
    before = service_places(scope=scope, puskesmas=pilot)
    NetworkMember.objects.filter(puskesmas=pilot, member=before.network[0]).update(is_active=False)
    Facility.objects.filter(pk=before.posyandu[0].pk).update(is_active=False)
    after = service_places(scope=scope, puskesmas=pilot)
    assert before.network[0] not in after.network and before.posyandu[0] not in after.posyandu
    assert len(after.posyandu) == len(before.posyandu) - 1


def test_a_kader_reads_only_the_places_of_their_scope(users):
    pilot = Facility.objects.get(code=PILOT_CODE)
    kader = users["kader.bayua"]
    places = service_places(scope=scope_for(kader), puskesmas=pilot)
    assert places.posyandu == [kader.facility]
