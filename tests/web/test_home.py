"""The home page for every role: who I am, my area, facility counts, the rollout and the kader's posyandu."""

import pytest

from ilp.facilities.models import Facility, FacilityKind, IlpStatus
from tests.web.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ROLES)
def test_every_role_sees_who_they_are_and_their_area(client_as, users, username):
    # given
    user = users[username]
    # when
    response = client_as(username).get("/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert user.get_full_name() in body
    assert str(user.get_role_display()) in body
    assert 'id="my-area"' in body
    if user.facility_id:
        assert user.facility.name in body
    if user.region_id:
        assert user.region.name in body


def test_the_kepala_puskesmas_area_is_the_ten_nagari_with_facility_counts(client_as):
    # when
    response = client_as("kapus.maninjau").get("/")
    # then
    roots = response.context["roots"]
    assert len(roots) == 10
    assert all(label == "Nagari" for _region, label in roots)
    counts = {kind: n for kind, _label, n in response.context["kind_counts"]}
    assert counts[FacilityKind.PUSTU] == 10
    assert counts[FacilityKind.POSYANDU] == 20
    assert "?kind=posyandu" in response.content.decode()


def test_the_dinkes_admin_sees_the_rollout_of_every_puskesmas_of_agam(client_as):
    # when
    response = client_as("dinkes.agam").get("/")
    # then
    rollout = response.context["rollout"]
    names = [row["facility"].name for row in rollout["rows"]]
    assert len(names) == Facility.objects.filter(kind=FacilityKind.PUSKESMAS, region__code__startswith="13.06.").count()
    assert "Puskesmas Maninjau" in names
    assert rollout["pilots"] == 1
    maninjau = next(row for row in rollout["rows"] if row["facility"].name == "Puskesmas Maninjau")
    assert maninjau["district"] == "Tanjung Raya"
    assert maninjau["facility"].ilp_status == IlpStatus.RUNNING
    body = response.content.decode()
    assert 'id="rollout"' in body
    assert "Tanjung Raya" in body


@pytest.mark.parametrize("username", [u for u in ROLES if u != "dinkes.agam"])
def test_only_the_dinkes_gets_the_rollout_table(client_as, username):
    # when
    response = client_as(username).get("/")
    # then
    assert "rollout" not in response.context
    assert 'id="rollout"' not in response.content.decode()


def test_a_kader_sees_their_posyandu_its_opening_day_and_its_kader(client_as, users):
    # given
    posyandu = users["kader.bayua"].facility
    # when
    response = client_as("kader.bayua").get("/")
    # then
    body = response.content.decode()
    assert 'id="my-posyandu"' in body
    assert posyandu.name in body
    assert f"<strong>{posyandu.schedule_day}</strong>" in body
    kader = list(response.context["my_kader"])
    assert len(kader) == 5
    assert all(k.name in body for k in kader)


def test_read_only_roles_are_marked_read_only(client_as):
    # when
    camat = client_as("camat.tanjungraya").get("/").content.decode()
    pemdes = client_as("walinagari.maninjau").get("/").content.decode()
    kapus = client_as("kapus.maninjau").get("/").content.decode()
    # then
    assert 'id="read-only"' in camat
    assert 'id="read-only"' in pemdes
    assert 'id="read-only"' not in kapus


def test_staff_get_links_to_master_data_and_the_audit_log(client_as):
    # when
    dinkes = client_as("dinkes.agam").get("/").content.decode()
    kapus = client_as("kapus.maninjau").get("/").content.decode()
    # then
    assert 'href="/admin/"' in dinkes
    assert 'href="/admin/core/auditentry/"' in dinkes
    assert 'href="/admin/"' not in kapus


def test_the_navigation_fits_the_role(client_as, users):
    # when
    kader = client_as("kader.bayua").get("/").content.decode()
    kapus = client_as("kapus.maninjau").get("/").content.decode()
    # then
    posyandu_url = f"/fasilitas/{users['kader.bayua'].facility.external_id}/"
    assert f'href="{posyandu_url}"' in kader
    assert 'href="/jejaring/"' not in kader
    assert 'href="/kader/"' in kader
    for url in ("/wilayah/", "/fasilitas/", "/jejaring/", "/tenaga-kesehatan/", "/kader/"):
        assert f'href="{url}"' in kapus


def test_the_rollout_costs_the_same_queries_with_more_puskesmas(client_as, facility, count_queries):
    # given
    client = client_as("dinkes.agam")
    before, _ = count_queries(client, "/")
    home = facility("Puskesmas Lubuk Basung")
    for i in range(3):
        Facility.objects.create(
            kind=FacilityKind.PUSKESMAS, code=f"PTEST{i}", name=f"Puskesmas Uji {i}", region=home.region
        )
    # when
    after, response = count_queries(client, "/")
    # then
    assert len(response.context["rollout"]["rows"]) >= 19
    assert after == before


def test_the_home_page_stays_within_a_query_budget(client_as, django_assert_max_num_queries):
    # given
    client = client_as("dinkes.agam")
    # then
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
