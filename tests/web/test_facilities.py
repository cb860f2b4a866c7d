"""Facility list and facility pages for every role: filters, sections by kind, scope and 404s."""

import datetime as dt

import pytest

from ilp.facilities.models import (
    AgreementType,
    Cluster,
    Facility,
    FacilityKind,
    HealthWorker,
    NetworkMember,
    NetworkRole,
    Profession,
)
from ilp.regions.models import Level, Region
from tests.web.conftest import BAYUA, ROLES

pytestmark = pytest.mark.django_db


def _url(f):
    return f"/fasilitas/{f.external_id}/"


def _posyandu(pustu, code):
    return Facility(kind=FacilityKind.POSYANDU, code=code, name=f"Posyandu {code}", region=pustu.region, parent=pustu)


@pytest.mark.parametrize("username", ROLES)
def test_every_role_lists_the_facilities_of_their_area(client_as, users, username):
    # when
    response = client_as(username).get("/fasilitas/")
    # then
    assert response.status_code == 200
    page = response.context["page"]
    names = [f.name for f in page.object_list]
    user = users[username]
    if user.facility_id:
        assert user.facility.name in names or page.paginator.count > len(names)
    assert "Puskesmas Lubuk Basung" not in names or username == "dinkes.agam"


def test_the_kader_lists_only_their_posyandu(client_as, users):
    # when
    response = client_as("kader.bayua").get("/fasilitas/")
    # then
    assert list(response.context["page"].object_list) == [users["kader.bayua"].facility]


def test_the_list_filters_by_kind_and_search(client_as):
    # given
    client = client_as("kapus.maninjau")
    # when
    posyandu = client.get("/fasilitas/", {"kind": "posyandu"})
    bayua = client.get("/fasilitas/", {"kind": "posyandu", "q": "bayua"})
    by_code = client.get("/fasilitas/", {"q": "P1306030101-PT04"})
    # then
    assert posyandu.context["page"].paginator.count == 20
    assert {f.kind for f in posyandu.context["page"].object_list} == {FacilityKind.POSYANDU}
    assert [f.name for f in bayua.context["page"].object_list] == [
        "Posyandu Lavender Bayua",
        "Posyandu Seroja Bayua",
    ]
    assert [f.name for f in by_code.context["page"].object_list] == ["Pustu Bayua"]


def test_the_list_is_paginated(client_as):
    # given
    client = client_as("dinkes.agam")
    # when
    first = client.get("/fasilitas/")
    second = client.get("/fasilitas/", {"page": 2})
    # then
    assert first.context["page"].paginator.count > 25
    assert len(first.context["page"].object_list) == 25
    assert 'href="?page=2"' in first.content.decode()
    assert second.context["page"].number == 2


def test_the_list_filters_by_region(client_as):
    # when
    response = client_as("kapus.maninjau").get("/fasilitas/", {"wilayah": BAYUA})
    # then
    names = {f.name for f in response.context["page"].object_list}
    assert "Pustu Bayua" in names
    assert all("Bayua" in n or n.startswith("PMB") for n in names)


def test_a_region_filter_outside_the_scope_is_not_found(client_as):
    assert client_as("pustu.bayua").get("/fasilitas/", {"wilayah": "13.06.03.2003"}).status_code == 404


def test_the_live_filter_answers_htmx_with_a_fragment(client_as):
    # when
    response = client_as("kapus.maninjau").get("/fasilitas/", {"q": "pustu"}, HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert "<html" not in body
    assert "Pustu Bayua" in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("username", ("dinkes.agam", "kapus.maninjau", "klaster2.maninjau", "camat.tanjungraya"))
def test_the_puskesmas_page_shows_status_working_area_network_and_children(client_as, facility, username):
    # given
    pkm = facility("Puskesmas Maninjau")
    # when
    response = client_as(username).get(_url(pkm))
    # then
    assert response.status_code == 200
    ctx = response.context
    assert len(ctx["working_area"]) == 10
    assert {label for _r, label in ctx["working_area"]} == {"Nagari"}
    assert len(ctx["network"]) == 5
    assert len(ctx["children"]) == 10
    body = response.content.decode()
    assert pkm.code in body
    assert 'id="network"' in body
    assert "RSUD Dr. Achmad Mochtar Bukittinggi" in body
    assert "001/PKS/PKM-MNJ/VIII/2024" in body
    # the pustu rows link back to the puskesmas they are part of
    assert body.count(f'href="/fasilitas/{pkm.external_id}/"') == 10


def test_the_puskesmas_page_groups_health_workers_by_cluster_with_the_pj(client_as, facility):
    # when
    response = client_as("kapus.maninjau").get(_url(facility("Puskesmas Maninjau")))
    # then
    groups = response.context["cluster_groups"]
    assert len(groups) == 6
    leads = [w.name for _label, workers in groups for w in workers if w.is_cluster_lead]
    assert len(leads) == 5
    assert groups[0][1][0].name == "Syafrizal, S.KM"
    assert "badge pj" in response.content.decode()


def test_the_lintas_sektor_sees_headcounts_not_names(client_as, facility):
    # when
    response = client_as("camat.tanjungraya").get(_url(facility("Puskesmas Maninjau")))
    # then
    assert "cluster_groups" not in response.context
    assert response.context["worker_counts"][0]["total"] == 14
    assert "Syafrizal" not in response.content.decode()


def test_the_posyandu_page_shows_the_opening_day_and_its_kader(client_as, users):
    # given
    posyandu = users["kader.bayua"].facility
    # when
    response = client_as("kader.bayua").get(_url(posyandu))
    # then
    body = response.content.decode()
    assert 'id="schedule-day"' in body
    assert str(posyandu.schedule_day) in body
    assert len(response.context["kader"]) == 5
    assert "Pustu Bayua" in body
    assert response.context["parent_link"] is False


def test_the_pustu_page_lists_its_posyandu_and_staff(client_as, facility):
    # when
    response = client_as("pustu.bayua").get(_url(facility("Pustu Bayua")))
    # then
    assert {f.name for f in response.context["children"]} == {"Posyandu Lavender Bayua", "Posyandu Seroja Bayua"}
    assert sum(len(ws) for _label, ws in response.context["cluster_groups"]) == 2
    assert response.context["parent_link"] is False


@pytest.mark.parametrize("username", ("kapus.maninjau", "klaster2.maninjau", "dinkes.agam"))
def test_a_network_member_outside_the_area_opens_for_its_puskesmas_and_the_dinkes(client_as, facility, username):
    # when
    response = client_as(username).get(_url(facility("RSUD Dr. Achmad Mochtar Bukittinggi")))
    # then
    assert response.status_code == 200
    assert response.context["region_link"] is False


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("kader.bayua", "Puskesmas Lubuk Basung"),
        ("kader.bayua", "Pustu Bayua"),
        ("kader.bayua", "Posyandu Seroja Bayua"),
        ("pustu.bayua", "Pustu Maninjau"),
        ("pustu.bayua", "Puskesmas Maninjau"),
        ("walinagari.maninjau", "Pustu Bayua"),
        ("camat.tanjungraya", "Puskesmas Lubuk Basung"),
        ("kapus.maninjau", "Puskesmas Lubuk Basung"),
        ("klaster2.maninjau", "Puskesmas Lubuk Basung"),
        ("dinkes.agam", "Klinik Pratama Jam Gadang"),
    ],
)
def test_a_facility_outside_the_scope_is_not_found(client_as, facility, username, name):
    # given a klinik in Kota Bukittinggi (13.75) that is in no network of Agam
    bukittinggi = Region.objects.filter(code__startswith="13.75.", level=Level.VILLAGE).first()
    Facility.objects.create(
        kind=FacilityKind.KLINIK_PRATAMA, code="KPBKT1", name="Klinik Pratama Jam Gadang", region=bukittinggi
    )
    # when
    response = client_as(username).get(_url(facility(name)))
    # then
    assert response.status_code == 404
    assert name not in response.content.decode()


def test_an_unknown_facility_is_not_found(client_as):
    assert client_as("dinkes.agam").get("/fasilitas/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_facility_list_costs_the_same_queries_with_more_facilities(client_as, facility, count_queries):
    # given
    client = client_as("kapus.maninjau")
    before, _ = count_queries(client, "/fasilitas/", data={"kind": "posyandu"})
    pustu = facility("Pustu Bayua")
    Facility.objects.bulk_create(_posyandu(pustu, f"PYT{i}") for i in range(4))
    # when
    after, response = count_queries(client, "/fasilitas/", data={"kind": "posyandu"})
    # then
    assert response.context["page"].paginator.count == 24
    assert after == before


def test_the_facility_page_costs_the_same_queries_with_more_rows(client_as, facility, count_queries):
    # given
    client = client_as("kapus.maninjau")
    pustu = facility("Pustu Bayua")
    before, _ = count_queries(client, _url(pustu))
    Facility.objects.bulk_create(_posyandu(pustu, f"PYU{i}") for i in range(3))
    HealthWorker.objects.bulk_create(
        HealthWorker(name=f"Bidan Uji {i}", profession=Profession.BIDAN, facility=pustu, cluster=Cluster.MOTHER_CHILD)
        for i in range(3)
    )
    # when
    after, response = count_queries(client, _url(pustu))
    # then
    assert len(response.context["children"]) == 5
    assert after == before


def test_the_puskesmas_page_costs_the_same_queries_with_more_network_members(client_as, facility, count_queries):
    # given
    client = client_as("kapus.maninjau")
    pkm = facility("Puskesmas Maninjau")
    before, _ = count_queries(client, _url(pkm))
    for i in range(3):
        clinic = Facility.objects.create(
            kind=FacilityKind.KLINIK_PRATAMA, code=f"KPU{i}", name=f"Klinik Uji {i}", region=pkm.region
        )
        NetworkMember.objects.create(
            puskesmas=pkm,
            member=clinic,
            role=NetworkRole.SERVICE,
            agreement_type=AgreementType.PKS,
            agreement_date=dt.date(2025, 1, 1),
        )
    # when
    after, response = count_queries(client, _url(pkm))
    # then
    assert len(response.context["network"]) == 8
    assert after == before


def test_facility_pages_stay_within_a_query_budget(client_as, facility, django_assert_max_num_queries):
    # given
    client = client_as("kapus.maninjau")
    # then
    with django_assert_max_num_queries(10):
        assert client.get("/fasilitas/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(_url(facility("Puskesmas Maninjau"))).status_code == 200


def test_a_parent_outside_the_scope_is_not_named_in_the_list(client_as):
    # when
    kader = client_as("kader.bayua").get("/fasilitas/").content.decode()
    pustu = client_as("pustu.bayua").get("/fasilitas/", {"kind": "posyandu"}).content.decode()
    # then
    assert "Pustu Bayua" not in kader
    assert 'href="/fasilitas/' in pustu
    assert "Pustu Bayua" in pustu
