"""Scope rules for every role, on the demo world (issue #2: "each seeing only their own area")."""

import pytest

from ilp.accounts.scope import scope_for
from ilp.facilities.models import Facility, FacilityKind
from ilp.facilities.selectors import facility_list
from ilp.regions.models import Level, Region
from ilp.regions.selectors import region_list

pytestmark = pytest.mark.django_db


def _villages(scope):
    return set(region_list(scope=scope, level=Level.VILLAGE, include_ancestors=False).values_list("name", flat=True))


def test_dinkes_admin_sees_every_desa_of_agam_and_nothing_outside(users):
    scope = scope_for(users["dinkes.agam"])
    villages = region_list(scope=scope, level=Level.VILLAGE, include_ancestors=False)
    assert villages.count() == Region.objects.filter(code__startswith="13.06.", level=Level.VILLAGE).count()
    assert not villages.exclude(code__startswith="13.06.").exists()


def test_kepala_puskesmas_sees_the_ten_nagari_of_the_working_area(users):
    scope = scope_for(users["kapus.maninjau"])
    assert len(_villages(scope)) == 10
    assert "Maninjau" in _villages(scope)
    kinds = set(facility_list(scope=scope).values_list("kind", flat=True))
    assert {FacilityKind.PUSKESMAS, FacilityKind.PUSTU, FacilityKind.POSYANDU, FacilityKind.RUMAH_SAKIT} <= kinds
    assert not facility_list(scope=scope).filter(name="Puskesmas Lubuk Basung").exists()


def test_pustu_staff_sees_their_desa_pustu_and_its_posyandu_only(users):
    scope = scope_for(users["pustu.bayua"])
    assert _villages(scope) == {"Bayua"}
    names = set(facility_list(scope=scope).values_list("name", flat=True))
    assert "Pustu Bayua" in names
    assert all("Bayua" in n for n in names)
    assert len(names) == 3


def test_kader_sees_only_their_posyandu(users):
    kader = users["kader.bayua"]
    scope = scope_for(kader)
    assert list(facility_list(scope=scope)) == [kader.facility]


def test_pemdes_sees_their_nagari_and_lintas_sektor_reads_no_person_level_data(users):
    pemdes = scope_for(users["walinagari.maninjau"])
    assert _villages(pemdes) == {"Maninjau"}
    assert pemdes.person_level
    camat = scope_for(users["camat.tanjungraya"])
    assert len(_villages(camat)) == 10
    assert not camat.person_level


def test_ancestors_are_listed_for_navigation_but_their_other_children_are_not(users):
    scope = scope_for(users["kader.bayua"])
    visible = set(region_list(scope=scope).values_list("code", flat=True))
    assert {"13", "13.06", "13.06.03"} <= visible
    assert "13.06.03.2003" not in visible  # Maninjau, a sibling nagari
    assert Facility.objects.filter(kind=FacilityKind.POSYANDU).count() > 1


def test_network_staff_sees_only_their_facility_and_no_person_level_data(users):
    from django.core.exceptions import ValidationError

    from ilp.accounts.models import Role
    from ilp.accounts.services import user_create

    klinik = Facility.objects.filter(kind=FacilityKind.KLINIK_PRATAMA).first()
    staff = user_create(username="klinik.x", password="x", role=Role.NETWORK_STAFF, facility=klinik, validate=False)
    scope = scope_for(staff)
    assert list(facility_list(scope=scope)) == [klinik]
    assert scope.person_level is False
    assert not region_list(scope=scope).exists()
    posyandu = Facility.objects.filter(kind=FacilityKind.POSYANDU).first()
    with pytest.raises(ValidationError) as err:
        user_create(username="klinik.y", password="x", role=Role.NETWORK_STAFF, facility=posyandu, validate=False)
    assert "facility" in err.value.message_dict
