"""The demo world: real Agam regions, the Maninjau pilot, one user per role, idempotent and deterministic."""

import pytest
from django.core.management import call_command

from ilp.accounts.models import Role, User
from ilp.demo.seed import seed_demo
from ilp.facilities.models import Facility, FacilityKind, HealthWorker, Kader, NetworkMember

pytestmark = pytest.mark.django_db


def test_the_pilot_serves_the_ten_real_nagari_of_tanjung_raya():
    pilot = Facility.objects.get(name="Puskesmas Maninjau")
    assert pilot.ilp_pilot and pilot.ilp_status == "running"
    nagari = set(pilot.working_area.values_list("name", flat=True))
    assert len(nagari) == 10
    assert {"Maninjau", "Bayua", "Koto Malintang", "Sungai Batang", "Tanjung Sani"} <= nagari
    assert Facility.objects.filter(kind=FacilityKind.PUSTU, parent=pilot).count() == 10
    assert Facility.objects.filter(kind=FacilityKind.POSYANDU, parent__parent=pilot).count() == 20
    assert Kader.objects.filter(posyandu__parent__parent=pilot).count() == 100
    assert set(HealthWorker.objects.filter(facility=pilot, is_cluster_lead=True).values_list("cluster", flat=True)) == {
        "k1", "k2", "k3", "k4", "lintas",
    }  # fmt: skip
    kinds = set(NetworkMember.objects.filter(puskesmas=pilot).values_list("member__kind", flat=True))
    assert {"klinik_pratama", "praktik_bidan", "laboratorium", "rumah_sakit"} <= kinds


def test_every_kecamatan_of_agam_has_a_puskesmas_and_every_role_a_user():
    assert Facility.objects.filter(kind=FacilityKind.PUSKESMAS, region__regency__code="13.06").count() == 16
    assert set(User.objects.exclude(role="").values_list("role", flat=True)) == set(Role.values)


def test_running_the_demo_again_changes_nothing(capsys):
    before = Facility.objects.count(), User.objects.count()
    call_command("demo", "--no-progress", "--persons", "0")
    out = capsys.readouterr().out
    assert "kader.bayua" in out
    assert (Facility.objects.count(), User.objects.count()) == before
    assert seed_demo(seed=7).created is False
