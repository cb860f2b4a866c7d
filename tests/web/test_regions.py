"""The region browser: roots, live search, region pages with local level names, scope and 404s."""

import pytest

from ilp.regions.models import Level, LevelLabel, Region
from tests.web.conftest import AGAM, BAYUA, MANINJAU, ROLES, TANJUNG_RAYA

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ROLES)
def test_every_role_sees_the_roots_of_their_area(client_as, users, username):
    # when
    response = client_as(username).get("/wilayah/")
    # then
    assert response.status_code == 200
    codes = {region.code for region, _label in response.context["roots"]}
    user = users[username]
    if user.region_id:
        assert codes == {user.region.code}
    elif username.startswith(("pustu", "kader")):
        assert codes == {BAYUA}
    else:
        assert len(codes) == 10


def test_the_search_finds_by_name_and_by_code_inside_the_scope_only(client_as):
    # given
    client = client_as("pustu.bayua")
    # when
    by_name = client.get("/wilayah/", {"q": "bayua"})
    by_code = client.get("/wilayah/", {"q": "13.06.03"})
    elsewhere = client.get("/wilayah/", {"q": "Maninjau"})
    # then
    assert [r.code for r, _label in by_name.context["results"]] == [BAYUA]
    assert BAYUA in [r.code for r, _label in by_code.context["results"]]
    assert MANINJAU not in [r.code for r, _label in by_code.context["results"]]
    assert elsewhere.context["results"] == []


def test_the_live_search_answers_htmx_with_a_fragment(client_as):
    # given
    client = client_as("kapus.maninjau")
    # when
    response = client.get("/wilayah/", {"q": "koto"}, HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="search-results"' in body
    assert "Koto Kaciak" in body
    assert "HX-Request" in response["Vary"]
    assert response.templates[0].name == "web/regions/_results.html"


def test_the_search_box_is_wired_for_htmx(client_as):
    # when
    body = client_as("kapus.maninjau").get("/wilayah/").content.decode()
    # then
    assert 'hx-get="/wilayah/"' in body
    assert "keyup changed delay:300ms" in body
    assert 'hx-target="#region-results"' in body


def test_a_district_page_lists_its_nagari_with_the_local_level_name(client_as):
    # when
    response = client_as("kapus.maninjau").get(f"/wilayah/{TANJUNG_RAYA}/")
    # then
    assert response.status_code == 200
    children = response.context["children"]
    assert len(children) == 10
    assert {label for _region, label in children} == {"Nagari"}
    body = response.content.decode()
    assert "Nagari" in body
    assert 'id="label-note"' in body
    assert [r.code for r, _label in response.context["breadcrumb"]] == ["13", AGAM, TANJUNG_RAYA]


def test_the_level_name_follows_the_configurable_data(client_as):
    # given
    LevelLabel.objects.filter(area_code="13", level=Level.VILLAGE).update(label="Desa adat")
    # when
    response = client_as("kapus.maninjau").get(f"/wilayah/{TANJUNG_RAYA}/")
    # then
    assert {label for _region, label in response.context["children"]} == {"Desa adat"}


def test_a_nagari_page_lists_its_facilities(client_as):
    # when
    response = client_as("kapus.maninjau").get(f"/wilayah/{BAYUA}/")
    # then
    names = {f.name for f in response.context["facilities"]}
    assert "Pustu Bayua" in names
    assert "PMB Bidan Yusnimar, S.Tr.Keb" in names
    assert response.context["region_label"] == "Nagari"


def test_ancestors_open_for_navigation_but_list_only_what_is_in_scope(client_as, users):
    # when
    response = client_as("kader.bayua").get(f"/wilayah/{TANJUNG_RAYA}/")
    # then
    assert response.status_code == 200
    assert [r.code for r, _label in response.context["children"]] == [BAYUA]
    assert list(response.context["facilities"]) == [users["kader.bayua"].facility]
    assert response.context["in_scope"] is False


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("kader.bayua", MANINJAU),
        ("pustu.bayua", MANINJAU),
        ("walinagari.maninjau", BAYUA),
        ("camat.tanjungraya", "13.06.02"),
        ("kapus.maninjau", "13.06.02.2001"),
        ("klaster2.maninjau", "13.06.02"),
        ("dinkes.agam", "13.75"),
        ("dinkes.agam", "13.04.01"),
    ],
)
def test_a_region_outside_the_scope_is_not_found(client_as, username, code):
    # when
    response = client_as(username).get(f"/wilayah/{code}/")
    # then
    assert response.status_code == 404


def test_an_unknown_code_is_not_found(client_as):
    assert client_as("dinkes.agam").get("/wilayah/99.99/").status_code == 404


def test_a_sub_village_page_shows_the_jorong_label(client_as):
    # given
    bayua = Region.objects.get(code=BAYUA)
    jorong = Region.objects.create(
        code=f"{BAYUA}.DJ01",
        name="Jorong Uji",
        level=Level.DUSUN,
        parent=bayua,
        **{f"{c}_id": getattr(bayua, f"{c}_id") for c in ("province", "regency", "district", "village")},
    )
    # when
    response = client_as("pustu.bayua").get(f"/wilayah/{jorong.code}/")
    parent = client_as("pustu.bayua").get(f"/wilayah/{BAYUA}/")
    # then
    assert response.status_code == 200
    assert response.context["region_label"] == "Jorong"
    assert ("Jorong Uji", "Jorong") in [(r.name, label) for r, label in parent.context["children"]]


def test_the_region_list_costs_the_same_queries_with_more_regions(client_as, count_queries):
    # given
    client = client_as("kapus.maninjau")
    before, _ = count_queries(client, "/wilayah/", data={"q": "a"})
    bayua = Region.objects.get(code=BAYUA)
    Region.objects.bulk_create(
        Region(
            code=f"{BAYUA}.DA{i}",
            name=f"Jorong Alam {i}",
            level=Level.DUSUN,
            parent=bayua,
            **{f"{c}_id": getattr(bayua, f"{c}_id") for c in ("province", "regency", "district", "village")},
        )
        for i in range(5)
    )
    # when
    after, response = count_queries(client, "/wilayah/", data={"q": "a"})
    # then
    assert after == before
    assert any(r.name.startswith("Jorong Alam") for r, _label in response.context["results"])


def test_the_region_page_costs_the_same_queries_with_more_children(client_as, count_queries):
    # given
    client = client_as("pustu.bayua")
    before, _ = count_queries(client, f"/wilayah/{BAYUA}/")
    bayua = Region.objects.get(code=BAYUA)
    Region.objects.bulk_create(
        Region(
            code=f"{BAYUA}.DB{i}",
            name=f"Jorong {i}",
            level=Level.DUSUN,
            parent=bayua,
            **{f"{c}_id": getattr(bayua, f"{c}_id") for c in ("province", "regency", "district", "village")},
        )
        for i in range(5)
    )
    # when
    after, response = count_queries(client, f"/wilayah/{BAYUA}/")
    # then
    assert len(response.context["children"]) == 5
    assert after == before


def test_region_pages_stay_within_a_query_budget(client_as, django_assert_max_num_queries):
    # given
    client = client_as("dinkes.agam")
    # then
    with django_assert_max_num_queries(14):
        assert client.get(f"/wilayah/{AGAM}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/wilayah/", {"q": "koto"}).status_code == 200


def test_a_kabupaten_page_counts_facilities_by_kind_instead_of_listing_them(client_as):
    # when
    response = client_as("dinkes.agam").get(f"/wilayah/{AGAM}/")
    # then
    counts = {kind: n for kind, _label, n in response.context["kind_counts"]}
    assert counts["puskesmas"] == 16
    assert counts["posyandu"] == 20
    assert response.context["facilities"] == []
    body = response.content.decode()
    assert f"/fasilitas/?wilayah={AGAM}&amp;kind=puskesmas" in body
    listed = client_as("dinkes.agam").get("/fasilitas/", {"wilayah": AGAM, "kind": "puskesmas"})
    assert listed.context["page"].paginator.count == 16
