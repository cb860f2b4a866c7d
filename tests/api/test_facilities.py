"""Facilities through the API, for every role: lists, detail, filters; outside the scope is 404."""

import pytest

from ilp.api.errors import ERR_FACILITY_NOT_FOUND, ERR_REGION_NOT_FOUND
from ilp.facilities.models import Facility, FacilityKind
from tests.api.conftest import ROLES, RSAM, names

pytestmark = pytest.mark.django_db

# How many facilities each role lists in the demo world.
FACILITIES_BY_ROLE = {
    # 10 pustu + 20 posyandu + the puskesmas + klinik, PMB, lab, and the two network hospitals.
    "kapus.maninjau": 36,
    "klaster2.maninjau": 36,
    # The same kecamatan by region: the hospitals outside it are not in.
    "camat.tanjungraya": 34,
    # Pustu Bayua and its two posyandu.
    "pustu.bayua": 3,
    "kader.bayua": 1,
    # Everything located in nagari Maninjau: puskesmas, pustu, 2 posyandu, klinik, lab.
    "walinagari.maninjau": 6,
}


@pytest.mark.parametrize("username", sorted(FACILITIES_BY_ROLE))
def test_each_role_lists_the_facilities_of_its_area(get_json, username):
    status, body = get_json(username, "/api/facilities")
    assert status == 200
    assert body["count"] == FACILITIES_BY_ROLE[username]
    assert len(body["items"]) == body["count"]


def test_dinkes_lists_every_facility_of_agam_and_the_network_members_outside_it(get_json):
    # given the facilities located in Agam, and RSUD Dr. Achmad Mochtar (Kota Bukittinggi) in Maninjau's network
    in_agam = set(Facility.objects.filter(region__code__startswith="13.06.").values_list("name", flat=True))
    # when
    _s, body = get_json("dinkes.agam", "/api/facilities", page_size=100)
    # then
    assert names(body) == in_agam | {RSAM}
    assert not any(n.startswith("Puskesmas") and n not in in_agam for n in names(body))


def test_the_kader_lists_exactly_one_facility_their_posyandu(get_json, users):
    _s, body = get_json("kader.bayua", "/api/facilities")
    assert body["count"] == 1
    assert body["items"][0]["external_id"] == str(users["kader.bayua"].facility.external_id)


def test_pustu_staff_cannot_open_another_pustu(get_json, facility):
    # when
    own = get_json("pustu.bayua", f"/api/facilities/{facility('Pustu Bayua').external_id}")
    other = get_json("pustu.bayua", f"/api/facilities/{facility('Pustu Maninjau').external_id}")
    # then
    assert own[0] == 200
    assert other == (404, {"detail": str(ERR_FACILITY_NOT_FOUND), "field": None})


def test_the_bukittinggi_hospital_is_open_to_its_network_and_closed_to_a_kader(get_json, facility):
    # given RSUD Dr. Achmad Mochtar, in Kota Bukittinggi (13.75), a network member of Puskesmas Maninjau
    path = f"/api/facilities/{facility(RSAM).external_id}"
    # when
    dinkes = get_json("dinkes.agam", path)
    kapus = get_json("kapus.maninjau", path)
    kader = get_json("kader.bayua", path)
    # then the Dinkes that formed the network and the puskesmas see it; the kader does not
    assert dinkes[0] == 200
    assert kader == (404, {"detail": str(ERR_FACILITY_NOT_FOUND), "field": None})
    assert kapus[0] == 200
    assert kapus[1]["region_code"].startswith("13.75.")
    assert kapus[1]["kind"] == FacilityKind.RUMAH_SAKIT


@pytest.mark.parametrize("username", ROLES)
def test_every_role_opens_every_facility_it_lists(get_json, username):
    # given the facilities a role lists
    _s, body = get_json(username, "/api/facilities", page_size=100)
    # when / then each detail opens
    for row in body["items"]:
        status, detail = get_json(username, f"/api/facilities/{row['external_id']}")
        assert status == 200
        assert detail["name"] == row["name"]


def test_puskesmas_detail_has_the_ilp_fields_and_the_working_area(get_json, facility):
    # when
    status, body = get_json("kapus.maninjau", f"/api/facilities/{facility('Puskesmas Maninjau').external_id}")
    # then
    assert status == 200
    assert body["kind"] == "puskesmas"
    assert body["ilp_status"] == "running"
    assert body["ilp_start_date"] == "2024-08-01"
    assert body["ilp_pilot"] is True
    assert body["inpatient"] is False
    assert body["region_code"] == "13.06.03.2003"
    assert body["region_name"] == "Maninjau"
    assert body["parent_external_id"] is None
    assert len(body["working_area"]) == 10
    assert all(code.startswith("13.06.03.") for code in body["working_area"])
    assert body["schedule_day"] is None


def test_the_working_area_shows_only_the_desa_the_caller_may_read(get_json, facility):
    # when the wali nagari of Maninjau opens the puskesmas located in their nagari
    _s, body = get_json("walinagari.maninjau", f"/api/facilities/{facility('Puskesmas Maninjau').external_id}")
    # then only their own nagari of the working area is listed
    assert body["working_area"] == ["13.06.03.2003"]


def test_posyandu_detail_has_its_opening_day_and_its_pustu(get_json, users):
    # given the kader's posyandu
    posyandu = users["kader.bayua"].facility
    # when
    status, body = get_json("kader.bayua", f"/api/facilities/{posyandu.external_id}")
    # then
    assert status == 200
    assert body["schedule_day"] == posyandu.schedule_day
    assert 1 <= body["schedule_day"] <= 28
    assert body["parent_external_id"] == str(posyandu.parent.external_id)
    assert body["parent_name"] == "Pustu Bayua"
    assert body["ilp_status"] is None
    assert body["working_area"] is None


def test_a_pustu_has_no_puskesmas_fields(get_json, facility):
    _s, body = get_json("pustu.bayua", f"/api/facilities/{facility('Pustu Bayua').external_id}")
    assert body["parent_name"] == "Puskesmas Maninjau"
    assert [body[k] for k in ("ilp_status", "ilp_start_date", "ilp_pilot", "inpatient", "working_area")] == [None] * 5


def test_filter_by_kind_search_and_region(get_json):
    # when
    _s, puskesmas = get_json("kapus.maninjau", "/api/facilities", kind="puskesmas")
    _s, searched = get_json("kapus.maninjau", "/api/facilities", q="bayua")
    _s, in_bayua = get_json("kapus.maninjau", "/api/facilities", region="13.06.03.2004")
    # then
    assert names(puskesmas) == {"Puskesmas Maninjau"}
    assert "Pustu Bayua" in names(searched)
    assert all("Bayua" in n for n in names(searched))
    assert in_bayua["count"] == 4  # pustu, two posyandu, PMB Bidan Yusnimar
    assert "PMB Bidan Yusnimar, S.Tr.Keb" in names(in_bayua)


def test_a_region_filter_on_an_ancestor_stays_inside_the_scope(get_json):
    # when the kader filters by their whole kabupaten
    _s, body = get_json("kader.bayua", "/api/facilities", region="13.06")
    # then still only their posyandu
    assert body["count"] == 1


def test_a_region_filter_outside_the_scope_is_404(get_json):
    status, body = get_json("pustu.bayua", "/api/facilities", region="13.06.03.2003")
    assert status == 404
    assert body == {"detail": str(ERR_REGION_NOT_FOUND), "field": "region"}


def test_an_unknown_kind_and_a_malformed_id_are_validation_errors(get_json):
    assert get_json("dinkes.agam", "/api/facilities", kind="warung")[0] == 422
    assert get_json("dinkes.agam", "/api/facilities/42")[0] == 422


def test_a_well_formed_unknown_id_is_404(get_json):
    status, _body = get_json("dinkes.agam", "/api/facilities/00000000-0000-4000-8000-000000000000")
    assert status == 404


def test_integer_pks_never_appear(get_json, facility):
    # when
    _s, listed = get_json("dinkes.agam", "/api/facilities")
    _s, detail = get_json("kapus.maninjau", f"/api/facilities/{facility('Puskesmas Maninjau').external_id}")
    # then
    for row in (*listed["items"], detail):
        assert not {"id", "pk", "parent_id", "region_id"} & set(row)


def test_pages_do_not_overlap_and_keep_the_order_of_one_big_page(get_json):
    # when the kepala puskesmas reads 36 facilities in pages of 10, then in one page
    pages = [get_json("kapus.maninjau", "/api/facilities", page=p, page_size=10)[1]["items"] for p in (1, 2, 3, 4)]
    _s, whole = get_json("kapus.maninjau", "/api/facilities", page_size=100)
    # then the pages add up to the whole list, each facility once
    rows = [row["external_id"] for page in pages for row in page]
    assert rows == [row["external_id"] for row in whole["items"]]
    assert len(set(rows)) == 36


def test_a_page_beyond_the_limit_is_a_validation_error_and_an_empty_page_is_empty(get_json):
    # (a huge page number would overflow the database's OFFSET)
    assert get_json("dinkes.agam", "/api/facilities", page=10**18)[0] == 422
    assert get_json("dinkes.agam", "/api/facilities", page=1000) == (200, {"items": [], "count": 51})
