"""The family register through the API: families and persons, scoped, NIK masked by role, writes through the
services (warnings to confirm, duplicate NIK 409), and CSRF for sessions but not for Basic scripts."""

import datetime as dt
import json

import pytest
from django.test import Client

from ilp.accounts.scope import scope_for
from ilp.api.errors import ERR_FAMILY_NOT_FOUND, ERR_PERSON_LEVEL
from ilp.demo.seed import DEMO_PASSWORD
from ilp.people.identity import SEX_FEMALE, SEX_MALE, mask_nik
from ilp.people.life_stage import BALITA, DEWASA
from ilp.people.models import Family, Person
from ilp.people.services import ERR_HEAD_RELATIONSHIP, family_register
from ilp.regions.models import Region
from tests.api.conftest import basic_header
from tests.people.conftest import BAYUA, MANINJAU, head_data, kk, nik, wife_data

pytestmark = pytest.mark.django_db


def _json(data: dict) -> str:
    return json.dumps(data, default=str)


def family_body(code: str = BAYUA, *, members=(), **head) -> dict:
    return {
        "region": code,
        "kk_number": kk(),
        "address_text": "Jorong Bayua, Jl. Raya Maninjau",
        "head": head_data(**head),
        "members": list(members),
    }


@pytest.fixture
def registered_family(users):
    """Register a family (head and optional members) through the service, as the given user."""

    def _make(username: str, code: str, members=(), posyandu=None) -> Family:
        return family_register(
            scope=scope_for(users[username]),
            region=Region.objects.get(code=code),
            kk_number=kk(),
            address_text="Jl. Raya Maninjau",
            head=head_data(),
            members=list(members),
            posyandu=posyandu,
            actor=users[username],
        )

    return _make


@pytest.fixture
def post_json(basic_client):
    """POST JSON as a user by HTTP Basic (a script: no session, no CSRF token); returns (status, body)."""

    def _post(username: str, path: str, data: dict):
        response = basic_client(username).post(path, _json(data), content_type="application/json")
        return response.status_code, response.json()

    return _post


def test_a_pustu_registers_a_family_by_basic_auth_and_reads_it_back(post_json, get_json):
    # given a family with a wife and a child of three
    child_born = dt.date.today() - dt.timedelta(days=3 * 365 + 30)
    child = {"name": "Rahmat", "sex": SEX_MALE, "birth_date": child_born, "nik": nik(child_born, SEX_MALE)}
    body = family_body(members=[wife_data(), {**child, "relationship": "anak"}])
    # when
    status, created = post_json("pustu.bayua", "/api/families", body)
    # then
    assert status == 201, created
    assert created["kk_number"] == body["kk_number"]
    assert created["head"]["name"] == "Syafril Datuak"
    assert [m["relationship"] for m in created["members"]] == ["kepala_keluarga", "istri", "anak"]
    # and it reads back, by detail and in the list
    status, family = get_json("pustu.bayua", f"/api/families/{created['external_id']}")
    assert status == 200
    assert family["region"]["code"] == BAYUA
    head, _wife, kid = family["members"]
    assert head["nik"] == body["head"]["nik"]
    assert head["life_stage"] == DEWASA
    assert (kid["life_stage"], kid["age"]) == (BALITA, 3)
    _s, listed = get_json("pustu.bayua", "/api/families", q=body["kk_number"])
    assert [row["external_id"] for row in listed["items"]] == [created["external_id"]]
    _s, persons = get_json("pustu.bayua", "/api/persons", family=created["external_id"])
    assert persons["count"] == 3
    _s, person = get_json("pustu.bayua", f"/api/persons/{kid['external_id']}")
    assert person["family"]["external_id"] == created["external_id"]
    assert person["family"]["relationship"] == "anak"


def test_pustu_cannot_read_a_family_of_another_desa(registered_family, get_json, post_json):
    # given a family registered by the kepala puskesmas in nagari Maninjau
    family = registered_family("kapus.maninjau", MANINJAU)
    head = Person.objects.get(pk=family.head_id)
    # when / then
    status, body = get_json("pustu.bayua", f"/api/families/{family.external_id}")
    assert (status, body["detail"]) == (404, str(ERR_FAMILY_NOT_FOUND))
    assert get_json("pustu.bayua", f"/api/persons/{head.external_id}")[0] == 404
    assert get_json("pustu.bayua", "/api/persons", family=str(family.external_id))[0] == 404
    assert get_json("pustu.bayua", "/api/families", q=family.kk_number)[1]["count"] == 0
    assert post_json("pustu.bayua", f"/api/families/{family.external_id}/members", {**wife_data()})[0] == 404
    # while the kepala puskesmas reads it
    assert get_json("kapus.maninjau", f"/api/families/{family.external_id}")[0] == 200


def test_a_kader_reads_the_families_of_the_posyandu_with_masked_niks(registered_family, get_json, users):
    # given a family of the kader's posyandu and one of the other posyandu of the same nagari
    family = registered_family("pustu.bayua", BAYUA, posyandu=users["kader.bayua"].facility)
    neighbour = registered_family("pustu.bayua", BAYUA)
    head = Person.objects.get(pk=family.head_id)
    # when
    status, body = get_json("kader.bayua", f"/api/families/{family.external_id}")
    _s, person = get_json("kader.bayua", f"/api/persons/{head.external_id}")
    _s, persons = get_json("kader.bayua", "/api/persons", q=head.name)
    # then
    assert status == 200
    assert body["members"][0]["nik"] == mask_nik(head.nik) != head.nik
    assert person["nik"] == mask_nik(head.nik)
    assert {row["nik"] for row in persons["items"]} <= {mask_nik(p.nik) for p in Person.objects.all()}
    # while the pustu staff see the NIK in full
    assert get_json("pustu.bayua", f"/api/persons/{head.external_id}")[1]["nik"] == head.nik
    # and the kader does not see the other posyandu's family
    assert get_json("kader.bayua", f"/api/families/{neighbour.external_id}")[0] == 404
    assert get_json("pustu.bayua", f"/api/families/{neighbour.external_id}")[0] == 200


@pytest.mark.parametrize("path", ["/api/families", "/api/persons"])
def test_lintas_sektor_reads_no_person(get_json, path):
    status, body = get_json("camat.tanjungraya", path)
    assert (status, body["detail"]) == (403, str(ERR_PERSON_LEVEL))


def test_lintas_sektor_cannot_register_a_family(post_json):
    status, body = post_json("camat.tanjungraya", "/api/families", family_body())
    assert (status, body["detail"]) == (403, str(ERR_PERSON_LEVEL))
    assert not Family.objects.filter(kk_number=family_body()["kk_number"]).exists()


def test_a_nik_whose_date_disagrees_needs_confirmation(post_json):
    # given a head whose NIK encodes another birth date
    body = family_body(nik=nik(dt.date(1984, 4, 12), SEX_MALE))
    # when
    status, refused = post_json("pustu.bayua", "/api/families", body)
    # then
    assert status == 422
    assert refused["field"] == "head.nik"
    assert len(refused["warnings"]) == 1
    assert "12-04-1984" in refused["warnings"][0]
    assert not Family.objects.filter(kk_number=body["kk_number"]).exists()
    # when confirmed
    status, created = post_json("pustu.bayua", "/api/families", {**body, "confirm_warnings": True})
    assert status == 201, created


def test_a_registered_nik_is_refused_with_409_and_the_existing_person(registered_family, post_json):
    # given
    family = registered_family("pustu.bayua", BAYUA)
    existing = Person.objects.get(pk=family.head_id)
    # when
    status, body = post_json(
        "pustu.bayua", "/api/families", family_body(nik=existing.nik, birth_date=existing.birth_date)
    )
    # then
    assert status == 409
    assert (body["field"], body["existing"]) == ("head.nik", str(existing.external_id))
    assert existing.name in body["detail"]


def test_a_member_error_names_the_member_in_the_body(post_json):
    status, body = post_json(
        "pustu.bayua", "/api/families", family_body(members=[head_data(relationship="kepala_keluarga")])
    )
    assert (status, body["field"], body["detail"]) == (422, "members.0.relationship", str(ERR_HEAD_RELATIONSHIP))


def test_a_region_outside_the_area_is_refused(post_json):
    status, body = post_json("pustu.bayua", "/api/families", family_body(MANINJAU))
    assert status == 422
    assert body["field"] == "region"


def test_a_newborn_is_added_to_a_family(registered_family, post_json):
    # given
    family = registered_family("pustu.bayua", BAYUA)
    born = dt.date.today() - dt.timedelta(days=3)
    newborn = {"name": "Bayi Ny. Yusnimar", "sex": SEX_FEMALE, "birth_date": born, "nik_missing_reason": "newborn"}
    # when
    status, person = post_json(
        "pustu.bayua", f"/api/families/{family.external_id}/members", {**newborn, "relationship": "anak"}
    )
    # then
    assert status == 201, person
    assert (person["nik"], person["nik_missing_reason"], person["life_stage"]) == (None, "newborn", "bbl")
    assert person["family"]["external_id"] == str(family.external_id)


def test_a_session_post_needs_the_csrf_token(users):
    # given a browser session that enforces CSRF like a real browser
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["pustu.bayua"])
    # when posting without the token
    response = browser.post("/api/families", _json(family_body()), content_type="application/json")
    # then
    assert response.status_code == 403
    # when posting with it
    token = _csrf_token(browser)
    response = browser.post(
        "/api/families", _json(family_body()), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.json()


def _csrf_token(browser: Client) -> str:
    browser.get("/accounts/login/")
    return browser.cookies["csrftoken"].value


def test_a_basic_script_posts_without_csrf(db):
    script = Client(enforce_csrf_checks=True, headers={"Authorization": basic_header("pustu.bayua", DEMO_PASSWORD)})
    response = script.post("/api/families", _json(family_body()), content_type="application/json")
    assert response.status_code == 201, response.json()


def test_lists_do_not_grow_queries_with_rows(registered_family, client_as, django_assert_max_num_queries):
    # given a few families of several members
    for _ in range(5):
        registered_family("pustu.bayua", BAYUA, members=[wife_data()])
    client = client_as("pustu.bayua")
    # when / then
    with django_assert_max_num_queries(10):
        assert client.get("/api/families", {"page_size": 100}).json()["count"] >= 5
    with django_assert_max_num_queries(10):
        assert client.get("/api/persons", {"page_size": 100}).json()["count"] >= 10
    family = Family.objects.filter(region__code=BAYUA).last()
    with django_assert_max_num_queries(10):
        client.get(f"/api/families/{family.external_id}")


@pytest.fixture
def patch_json(basic_client):
    """PATCH JSON as a user by HTTP Basic; returns (status, body)."""

    def _patch(username: str, path: str, data: dict):
        response = basic_client(username).patch(path, _json(data), content_type="application/json")
        return response.status_code, response.json()

    return _patch


def test_a_person_is_corrected_by_patch_with_only_the_changed_fields(registered_family, patch_json):
    # given
    family = registered_family("pustu.bayua", BAYUA, members=[wife_data()])
    wife = Person.objects.get(memberships__family=family, memberships__relationship="istri")
    # when
    status, body = patch_json(
        "pustu.bayua", f"/api/persons/{wife.external_id}", {"name": "Yusnimar Rahmi", "phone": "0812"}
    )
    # then
    assert status == 200, body
    assert (body["name"], body["phone"], body["nik"]) == ("Yusnimar Rahmi", "0812", wife.nik)
    wife.refresh_from_db()
    assert (wife.name, wife.name_search, wife.sex) == ("Yusnimar Rahmi", "yusnimar rahmi", SEX_FEMALE)


def test_a_patched_nik_of_another_person_is_a_409_naming_them(registered_family, patch_json):
    family = registered_family("pustu.bayua", BAYUA, members=[wife_data()])
    head = Person.objects.get(pk=family.head_id)
    wife = Person.objects.get(memberships__family=family, memberships__relationship="istri")
    status, body = patch_json("pustu.bayua", f"/api/persons/{wife.external_id}", {"nik": head.nik})
    assert (status, body["field"], body["existing"]) == (409, "nik", str(head.external_id))


def test_a_family_moves_to_a_posyandu_by_patch_and_the_kader_then_sees_it(
    registered_family, patch_json, get_json, users
):
    # given a family without posyandu, invisible to the kader
    family = registered_family("pustu.bayua", BAYUA)
    posyandu = users["kader.bayua"].facility
    assert get_json("kader.bayua", f"/api/families/{family.external_id}")[0] == 404
    # when the pustu assigns the kader's posyandu
    status, body = patch_json(
        "pustu.bayua",
        f"/api/families/{family.external_id}",
        {"posyandu": str(posyandu.external_id), "address_text": "Jorong Bayua"},
    )
    # then
    assert status == 200, body
    assert (body["posyandu"]["name"], body["address_text"]) == (posyandu.name, "Jorong Bayua")
    assert get_json("kader.bayua", f"/api/families/{family.external_id}")[0] == 200


def test_a_family_cannot_be_patched_into_another_desa_outside_the_area(registered_family, patch_json):
    family = registered_family("pustu.bayua", BAYUA)
    status, body = patch_json("pustu.bayua", f"/api/families/{family.external_id}", {"region": MANINJAU})
    assert (status, body["field"]) == (422, "region")
    assert Family.objects.get(pk=family.pk).region.code == BAYUA
