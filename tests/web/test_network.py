"""The jejaring fungsional page: members per puskesmas with their agreements, in scope only."""

import datetime as dt

import pytest

from ilp.facilities.models import AgreementType, Facility, FacilityKind, NetworkMember, NetworkRole
from tests.web.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ROLES)
def test_every_role_opens_the_network_page(client_as, username):
    # when
    response = client_as(username).get("/jejaring/")
    # then
    assert response.status_code == 200
    # The pemdes of nagari Maninjau sees it too: Puskesmas Maninjau stands in that nagari.
    assert response.context["member_count"] == (0 if username in ("pustu.bayua", "kader.bayua") else 5)


def test_the_network_shows_role_services_agreement_and_reporting(client_as):
    # when
    response = client_as("kapus.maninjau").get("/jejaring/")
    # then
    (puskesmas, members), *rest = response.context["groups"]
    assert rest == []
    assert puskesmas.name == "Puskesmas Maninjau"
    clinic = next(m for m in members if m.member.name == "Klinik Pratama Danau Maninjau")
    assert clinic.role == NetworkRole.SERVICE
    body = response.content.decode()
    for text in (
        clinic.services,
        clinic.agreement_number,
        clinic.document_ref,
        str(clinic.get_reporting_duty_display()),
    ):
        assert text in body
    assert str(clinic.get_agreement_type_display()) in body


def test_members_outside_the_scope_are_named_but_not_linked(client_as, facility):
    # given
    rsam = facility("RSUD Dr. Achmad Mochtar Bukittinggi")
    clinic = facility("Klinik Pratama Danau Maninjau")
    # when
    pemdes = client_as("walinagari.maninjau").get("/jejaring/").content.decode()
    kapus = client_as("kapus.maninjau").get("/jejaring/").content.decode()
    # then
    assert rsam.name in pemdes
    assert f"/fasilitas/{rsam.external_id}/" not in pemdes
    assert f"/fasilitas/{clinic.external_id}/" in pemdes
    assert f"/fasilitas/{rsam.external_id}/" in kapus


def test_the_pustu_and_the_kader_see_an_empty_network(client_as):
    # when
    response = client_as("pustu.bayua").get("/jejaring/")
    # then
    assert 'id="network-empty"' in response.content.decode()
    assert "Klinik Pratama" not in response.content.decode()


def test_an_expired_agreement_is_marked(client_as, facility):
    # given
    member = NetworkMember.objects.get(member__name="Laboratorium Klinik Tanjung Raya")
    member.agreement_end = dt.date(2020, 1, 1)
    member.agreement_date = dt.date(2019, 1, 1)
    member.save()
    # when
    body = client_as("kapus.maninjau").get("/jejaring/").content.decode()
    # then
    assert "badge warn" in body


def test_the_network_costs_the_same_queries_with_more_members(client_as, facility, count_queries):
    # given
    client = client_as("dinkes.agam")
    before, _ = count_queries(client, "/jejaring/")
    pkm = facility("Puskesmas Lubuk Basung")
    for i in range(3):
        clinic = Facility.objects.create(
            kind=FacilityKind.KLINIK_PRATAMA, code=f"KPN{i}", name=f"Klinik Jejaring {i}", region=pkm.region
        )
        NetworkMember.objects.create(
            puskesmas=pkm,
            member=clinic,
            role=NetworkRole.SERVICE,
            agreement_type=AgreementType.MOU,
            agreement_date=dt.date(2025, 3, 1),
        )
    # when
    after, response = count_queries(client, "/jejaring/")
    # then
    assert response.context["member_count"] == 8
    assert len(response.context["groups"]) == 2
    assert after == before


def test_the_network_page_stays_within_a_query_budget(client_as, django_assert_max_num_queries):
    # given
    client = client_as("kapus.maninjau")
    # then
    with django_assert_max_num_queries(10):
        assert client.get("/jejaring/").status_code == 200
