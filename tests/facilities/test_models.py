"""Facility, network and workforce validation rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ilp.facilities.models import (
    ERR_PUSTU_OUTSIDE_AREA,
    Facility,
    FacilityKind,
    HealthWorker,
    NetworkMember,
    NetworkRole,
    Profession,
)
from ilp.regions.models import Region

pytestmark = pytest.mark.django_db


def test_a_pustu_sits_in_a_desa_and_belongs_to_a_puskesmas():
    kecamatan = Region.objects.get(code="13.06.03")
    pustu = Facility(kind=FacilityKind.PUSTU, code="X1", name="Pustu Salah", region=kecamatan)
    with pytest.raises(ValidationError) as err:
        pustu.full_clean()
    assert set(err.value.message_dict) == {"region", "parent"}


@pytest.mark.parametrize(("day", "ok"), [(1, True), (28, True), (29, False), (0, False)])
def test_posyandu_opening_day_is_1_to_28(day, ok):
    pustu = Facility.objects.get(name="Pustu Bayua")
    posyandu = Facility(
        kind=FacilityKind.POSYANDU, code=f"PY-{day}", name="Posyandu Uji", region=pustu.region, parent=pustu,
        schedule_day=day,
    )  # fmt: skip
    if ok:
        posyandu.full_clean()
    else:
        with pytest.raises(ValidationError):
            posyandu.full_clean()


def test_only_other_fktp_and_hospitals_join_the_network():
    pkm = Facility.objects.get(name="Puskesmas Maninjau")
    pustu = Facility.objects.get(name="Pustu Bayua")
    member = NetworkMember(
        puskesmas=pkm, member=pustu, role=NetworkRole.SERVICE, agreement_type="pks",
        agreement_date=dt.date(2025, 1, 1), agreement_end=dt.date(2024, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        member.full_clean()
    assert set(err.value.message_dict) == {"member", "agreement_end"}


def test_one_cluster_lead_per_cluster():
    pkm = Facility.objects.get(name="Puskesmas Maninjau")
    second = HealthWorker(
        name="Calon PJ", profession=Profession.BIDAN, facility=pkm, cluster="k2", is_cluster_lead=True
    )
    with pytest.raises(ValidationError):
        second.full_clean()


def test_one_pustu_per_desa_inside_the_working_area_of_its_puskesmas():
    pkm = Facility.objects.get(name="Puskesmas Maninjau")
    bayua = Region.objects.get(code="13.06.03.2004")
    second = Facility(kind=FacilityKind.PUSTU, code="PT-X", name="Pustu Kedua", region=bayua, parent=pkm)
    with pytest.raises(ValidationError) as err:
        second.full_clean()
    assert "__all__" in err.value.message_dict or "region" in err.value.message_dict
    elsewhere = Region.objects.get(code="13.06.02.2002")  # Garagahan, Lubuk Basung: not Maninjau's area
    outside = Facility(kind=FacilityKind.PUSTU, code="PT-Y", name="Pustu Luar", region=elsewhere, parent=pkm)
    with pytest.raises(ValidationError) as err:
        outside.full_clean()
    assert err.value.message_dict["region"] == [str(ERR_PUSTU_OUTSIDE_AREA)]
