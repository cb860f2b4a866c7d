"""The jejaring fungsional through the API: members, agreements, and who may read them."""

import pytest

from ilp.api.errors import ERR_FACILITY_NOT_FOUND, ERR_NOT_PUSKESMAS
from ilp.facilities.models import NetworkMember
from tests.api.conftest import RSAM

pytestmark = pytest.mark.django_db

MANINJAU_NETWORK = {
    "Klinik Pratama Danau Maninjau",
    "Laboratorium Klinik Tanjung Raya",
    "PMB Bidan Yusnimar, S.Tr.Keb",
    RSAM,
    "RSUD Lubuk Basung",
}
NETWORK_BY_ROLE = {
    "dinkes.agam": MANINJAU_NETWORK,
    "kapus.maninjau": MANINJAU_NETWORK,
    "klaster2.maninjau": MANINJAU_NETWORK,
    "camat.tanjungraya": MANINJAU_NETWORK,
    # The puskesmas is located in nagari Maninjau.
    "walinagari.maninjau": MANINJAU_NETWORK,
    "pustu.bayua": set(),
    "kader.bayua": set(),
}


def _members(body) -> set[str]:
    return {row["member"]["name"] for row in body["items"]}


@pytest.mark.parametrize("username", sorted(NETWORK_BY_ROLE))
def test_each_role_reads_the_network_of_the_puskesmas_it_may_read(get_json, username):
    status, body = get_json(username, "/api/network")
    assert status == 200
    assert _members(body) == NETWORK_BY_ROLE[username]


def test_a_member_row_carries_the_agreement(get_json, facility):
    # given the referral agreement with RSAM
    row = NetworkMember.objects.get(member__name=RSAM)
    # when
    _s, body = get_json("kapus.maninjau", "/api/network")
    out = next(r for r in body["items"] if r["member"]["name"] == RSAM)
    # then
    assert out == {
        "external_id": str(row.external_id),
        "puskesmas": {
            "external_id": str(facility("Puskesmas Maninjau").external_id),
            "name": "Puskesmas Maninjau",
            "kind": "puskesmas",
        },
        "member": {"external_id": str(facility(RSAM).external_id), "name": RSAM, "kind": "rumah_sakit"},
        "member_region_code": facility(RSAM).region.code,
        "role": "referral",
        "services": "Rujukan spesialistik lanjutan",
        "agreement_type": "sk",
        "agreement_number": row.agreement_number,
        "agreement_date": "2024-08-12",
        "agreement_end": "2027-08-11",
        "document_ref": row.document_ref,
        "reporting_duty": "per_case",
        "is_active": True,
    }


def test_filter_by_puskesmas(get_json, facility):
    # when
    pilot = get_json("dinkes.agam", "/api/network", puskesmas=facility("Puskesmas Maninjau").external_id)
    other = get_json("dinkes.agam", "/api/network", puskesmas=facility("Puskesmas Lubuk Basung").external_id)
    # then
    assert _members(pilot[1]) == MANINJAU_NETWORK
    assert other == (200, {"items": [], "count": 0})


def test_a_puskesmas_outside_the_scope_is_404(get_json, facility):
    status, body = get_json("kapus.maninjau", "/api/network", puskesmas=facility("Puskesmas Lubuk Basung").external_id)
    assert status == 404
    assert body == {"detail": str(ERR_FACILITY_NOT_FOUND), "field": "puskesmas"}


def test_a_facility_that_is_not_a_puskesmas_is_refused(get_json, facility):
    status, body = get_json("kapus.maninjau", "/api/network", puskesmas=facility("Pustu Bayua").external_id)
    assert status == 400
    assert body == {"detail": str(ERR_NOT_PUSKESMAS), "field": "puskesmas"}
