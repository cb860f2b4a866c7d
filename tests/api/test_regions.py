"""Regions through the API, for every role: what is in the scope, what is only shown for navigation, what is 404."""

import pytest
from django.conf import settings

from ilp.accounts.models import User
from ilp.api.errors import ERR_REGION_NOT_FOUND
from ilp.regions.models import Level, Region
from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db

TANJUNG_RAYA_NAGARI = 10
# Villages (desa/nagari) each role sees.
VILLAGES_BY_ROLE = {
    "kapus.maninjau": TANJUNG_RAYA_NAGARI,
    "klaster2.maninjau": TANJUNG_RAYA_NAGARI,
    "camat.tanjungraya": TANJUNG_RAYA_NAGARI,
    "pustu.bayua": 1,
    "kader.bayua": 1,
    "walinagari.maninjau": 1,
}


def _codes(body) -> list[str]:
    return [row["code"] for row in body["items"]]


def test_dinkes_lists_every_desa_of_agam_over_two_pages(get_json):
    # given every desa of Kabupaten Agam
    agam = Region.objects.filter(code__startswith="13.06.", level=Level.VILLAGE).order_by("code")
    expected = list(agam.values_list("code", flat=True))
    assert len(expected) > settings.NINJA_PAGINATION_PER_PAGE
    # when the dinkes admin pages through level 4
    _s, first = get_json("dinkes.agam", "/api/regions", level=4)
    _s, second = get_json("dinkes.agam", "/api/regions", level=4, page=2)
    # then the two pages hold exactly Agam's desa, in code order, once each
    assert first["count"] == len(expected)
    assert len(first["items"]) == settings.NINJA_PAGINATION_PER_PAGE
    assert _codes(first) + _codes(second) == expected


@pytest.mark.parametrize("username", sorted(VILLAGES_BY_ROLE))
def test_each_role_lists_the_desa_of_its_own_area(get_json, username):
    # when
    status, body = get_json(username, "/api/regions", level=4)
    # then
    assert status == 200
    assert body["count"] == VILLAGES_BY_ROLE[username]
    assert all(code.startswith("13.06.03.") for code in _codes(body))


@pytest.mark.parametrize(
    ("username", "village"),
    [("pustu.bayua", "Bayua"), ("kader.bayua", "Bayua"), ("walinagari.maninjau", "Maninjau")],
)
def test_a_desa_bound_role_sees_its_nagari_and_the_ancestors_for_navigation(get_json, username, village):
    # when
    _s, body = get_json(username, "/api/regions")
    # then: province, kabupaten, kecamatan (navigation) and the one nagari
    assert [row["name"] for row in body["items"]] == ["Sumatera Barat", "Kabupaten Agam", "Tanjung Raya", village]


@pytest.mark.parametrize("username", ROLES)
def test_every_role_opens_every_region_it_lists_and_only_its_area_is_in_scope(get_json, username):
    # given the regions a role lists (its area and, for navigation, the ancestors of its area)
    _s, body = get_json(username, "/api/regions", page_size=100)
    # when / then each opens; the desa of its area are in scope, the province never is
    for row in body["items"]:
        status, detail = get_json(username, f"/api/regions/{row['code']}")
        assert status == 200
        if row["level"] == Level.VILLAGE:
            assert detail["in_scope"] is True
        if row["level"] == Level.PROVINCE:
            assert detail["in_scope"] is False


def test_region_output_has_codes_levels_and_the_local_level_name(get_json):
    # when
    status, body = get_json("kapus.maninjau", "/api/regions/13.06.03.2003")
    # then
    assert status == 200
    assert body == {
        "code": "13.06.03.2003",
        "name": "Maninjau",
        "level": 4,
        "level_name": str(Level.VILLAGE.label),
        "local_label": "Nagari",
        "parent_code": "13.06.03",
        "is_active": True,
        "parent_name": "Tanjung Raya",
        "ancestors": [
            {"code": "13", "name": "Sumatera Barat", "level": 1},
            {"code": "13.06", "name": "Kabupaten Agam", "level": 2},
            {"code": "13.06.03", "name": "Tanjung Raya", "level": 3},
        ],
        "in_scope": True,
    }


def test_maninjau_is_404_for_the_kader_of_bayua(get_json):
    # when
    status, body = get_json("kader.bayua", "/api/regions/13.06.03.2003")
    # then
    assert status == 404
    assert body == {"detail": str(ERR_REGION_NOT_FOUND), "field": None}


@pytest.mark.parametrize("username", ROLES)
def test_a_region_of_another_kabupaten_is_404_for_every_role(get_json, username):
    status, _body = get_json(username, "/api/regions/13.75")
    assert status == 404


def test_an_unknown_code_is_404(get_json):
    assert get_json("dinkes.agam", "/api/regions/99.99")[0] == 404


def test_an_ancestor_opens_but_is_marked_as_navigation_only(get_json):
    # when the kader opens their kecamatan
    status, body = get_json("kader.bayua", "/api/regions/13.06.03")
    # then it is shown, flagged as outside the area
    assert status == 200
    assert body["in_scope"] is False


def test_children_of_an_ancestor_show_only_the_callers_branch(get_json):
    # when the kader of Bayua lists the nagari of Tanjung Raya
    status, body = get_json("kader.bayua", "/api/regions/13.06.03/children")
    # then only Bayua, never its sibling Maninjau
    assert status == 200
    assert [row["name"] for row in body["items"]] == ["Bayua"]


def test_children_of_the_kecamatan_for_the_kepala_puskesmas_are_the_working_area(get_json):
    status, body = get_json("kapus.maninjau", "/api/regions/13.06.03/children")
    assert status == 200
    assert body["count"] == TANJUNG_RAYA_NAGARI
    assert all(row["local_label"] == "Nagari" and row["parent_code"] == "13.06.03" for row in body["items"])


def test_children_of_a_region_outside_the_scope_are_404(get_json):
    assert get_json("pustu.bayua", "/api/regions/13.06.02/children")[0] == 404


def test_the_parent_filter_lists_children_and_refuses_a_parent_outside_the_scope(get_json):
    # when
    _s, inside = get_json("dinkes.agam", "/api/regions", parent="13.06")
    status, outside = get_json("dinkes.agam", "/api/regions", parent="13.75")
    # then
    assert inside["count"] == Region.objects.filter(parent__code="13.06").count()
    assert status == 404
    assert outside == {"detail": str(ERR_REGION_NOT_FOUND), "field": "parent"}


def test_search_by_name_and_by_code_prefix(get_json):
    _s, by_name = get_json("dinkes.agam", "/api/regions", q="bayua")
    _s, by_code = get_json("dinkes.agam", "/api/regions", q="13.06.03.20")
    assert [row["name"] for row in by_name["items"]] == ["Bayua"]
    assert by_code["count"] == TANJUNG_RAYA_NAGARI


def test_a_level_outside_1_to_7_is_a_validation_error(get_json):
    assert get_json("dinkes.agam", "/api/regions", level=9)[0] == 422


def test_a_kelurahan_keeps_its_own_level_name(client):
    # given a superuser, who also reads Kota Bukittinggi
    client.force_login(User.objects.create_superuser(username="root", password="x-unused-x"))
    # when
    body = client.get("/api/regions", {"parent": "13.75.01"}).json()
    # then its villages are kelurahan, not nagari
    assert body["count"] > 0
    assert {row["local_label"] for row in body["items"]} == {"Kelurahan"}


def test_a_nul_character_in_a_parameter_is_a_validation_error_not_a_database_error(get_json):
    # (PostgreSQL refuses NUL in text)
    assert get_json("dinkes.agam", "/api/regions", q="ba\x00yua")[0] == 422
    assert get_json("dinkes.agam", "/api/regions/13.06%00")[0] == 422
    assert get_json("dinkes.agam", "/api/facilities", region="13\x00")[0] == 422
