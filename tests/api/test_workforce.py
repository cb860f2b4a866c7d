"""Health workers and kader through the API: names of people, scoped, and closed to lintas sektor."""

import datetime as dt

import pytest

from ilp.api.errors import ERR_FACILITY_NOT_FOUND, ERR_NOT_POSYANDU
from ilp.facilities.models import CompetencyGroup, HealthWorker, Kader, KaderCompetency

pytestmark = pytest.mark.django_db

# 14 puskesmas staff, a bidan in each of the 10 pustu, a perawat in 9 of them.
PILOT_WORKERS = 33
# (health workers, kader) each person-level role reads.
WORKFORCE_BY_ROLE = {
    "kapus.maninjau": (PILOT_WORKERS, 100),
    "klaster2.maninjau": (PILOT_WORKERS, 100),
    "pustu.bayua": (2, 10),
    "kader.bayua": (0, 5),
    # Facilities located in nagari Maninjau: the puskesmas (14) and Pustu Maninjau (2); its two posyandu.
    "walinagari.maninjau": (16, 10),
}


@pytest.mark.parametrize("username", sorted(WORKFORCE_BY_ROLE))
def test_each_role_reads_the_workforce_of_its_facilities(get_json, username):
    # when
    hw_status, workers = get_json(username, "/api/workforce/health-workers")
    k_status, kader = get_json(username, "/api/workforce/kader")
    # then
    assert (hw_status, k_status) == (200, 200)
    assert (workers["count"], kader["count"]) == WORKFORCE_BY_ROLE[username]


def test_dinkes_reads_every_health_worker_and_kader_of_agam(get_json):
    _s, workers = get_json("dinkes.agam", "/api/workforce/health-workers")
    _s, kader = get_json("dinkes.agam", "/api/workforce/kader")
    assert workers["count"] == HealthWorker.objects.filter(facility__region__code__startswith="13.06.").count()
    assert kader["count"] == Kader.objects.filter(posyandu__region__code__startswith="13.06.").count()


def test_the_kader_reads_only_the_kader_of_their_posyandu(get_json, users):
    # given
    posyandu = users["kader.bayua"].facility
    # when
    _s, body = get_json("kader.bayua", "/api/workforce/kader")
    # then
    assert {row["posyandu"]["external_id"] for row in body["items"]} == {str(posyandu.external_id)}
    assert {row["name"] for row in body["items"]} == set(posyandu.kaders.values_list("name", flat=True))


def test_pustu_staff_read_the_workers_of_their_pustu_only(get_json, facility):
    _s, body = get_json("pustu.bayua", "/api/workforce/health-workers")
    assert {row["facility"]["name"] for row in body["items"]} == {"Pustu Bayua"}
    assert {row["profession"] for row in body["items"]} == {"bidan", "perawat"}


def test_health_workers_by_cluster_and_by_facility(get_json, facility):
    # when
    _s, k2 = get_json("kapus.maninjau", "/api/workforce/health-workers", cluster="k2")
    _s, pilot = get_json(
        "kapus.maninjau", "/api/workforce/health-workers", facility=facility("Puskesmas Maninjau").external_id
    )
    # then: 4 in the puskesmas' cluster 2 and the bidan of each of the 10 pustu
    assert k2["count"] == 14
    assert {row["cluster"] for row in k2["items"]} == {"k2"}
    assert pilot["count"] == 14
    leads = [row for row in pilot["items"] if row["is_cluster_lead"]]
    assert sorted(row["cluster"] for row in leads) == ["k1", "k2", "k3", "k4", "lintas"]
    # the doctor who heads the puskesmas is in no cluster
    assert next(row for row in pilot["items"] if row["name"] == "dr. Rahmi Yulianti")["cluster"] is None


def test_a_facility_filter_outside_the_scope_is_404(get_json, facility):
    status, body = get_json(
        "pustu.bayua", "/api/workforce/health-workers", facility=facility("Puskesmas Maninjau").external_id
    )
    assert status == 404
    assert body == {"detail": str(ERR_FACILITY_NOT_FOUND), "field": "facility"}


def test_an_unknown_cluster_is_a_validation_error(get_json):
    assert get_json("kapus.maninjau", "/api/workforce/health-workers", cluster="k9")[0] == 422


def test_kader_by_posyandu_and_refusals(get_json, users, facility):
    # given the kader's posyandu and the other posyandu of Bayua
    own = users["kader.bayua"].facility
    other = facility("Pustu Bayua").children.exclude(pk=own.pk).get()
    # when
    _s, by_pustu_staff = get_json("pustu.bayua", "/api/workforce/kader", posyandu=other.external_id)
    outside = get_json("kader.bayua", "/api/workforce/kader", posyandu=other.external_id)
    not_posyandu = get_json("pustu.bayua", "/api/workforce/kader", posyandu=facility("Pustu Bayua").external_id)
    # then
    assert by_pustu_staff["count"] == 5
    assert outside == (404, {"detail": str(ERR_FACILITY_NOT_FOUND), "field": "posyandu"})
    assert not_posyandu == (400, {"detail": str(ERR_NOT_POSYANDU), "field": "posyandu"})


def test_a_kader_row_has_tier_training_and_the_latest_competency_per_group(get_json, users):
    # given a kader of Bayua assessed twice on one competency, the later time not attained
    kader = Kader.objects.filter(posyandu=users["kader.bayua"].facility).order_by("name").first()
    Kader.objects.filter(pk=kader.pk).update(tier="madya", trained_on=dt.date(2024, 7, 1))
    KaderCompetency.objects.filter(kader=kader).delete()
    KaderCompetency.objects.create(
        kader=kader, group=CompetencyGroup.ADULT, attained=True, skills_attained=5, assessed_on=dt.date(2025, 1, 5)
    )
    KaderCompetency.objects.create(
        kader=kader, group=CompetencyGroup.ADULT, attained=False, skills_attained=3, assessed_on=dt.date(2025, 9, 1)
    )
    KaderCompetency.objects.create(
        kader=kader, group=CompetencyGroup.INFANT, attained=True, skills_attained=5, assessed_on=dt.date(2025, 2, 1)
    )
    # when
    _s, body = get_json("kader.bayua", "/api/workforce/kader")
    row = next(r for r in body["items"] if r["external_id"] == str(kader.external_id))
    # then: guideline order (infant before adult), the latest adult assessment only
    assert row["tier"] == "madya"
    assert row["trained_on"] == "2024-07-01"
    assert row["competencies"] == [
        {"group": "infant", "attained": True, "skills_attained": 5, "skills_total": 5, "assessed_on": "2025-02-01"},
        {"group": "adult", "attained": False, "skills_attained": 3, "skills_total": 5, "assessed_on": "2025-09-01"},
    ]


def test_an_untrained_kader_has_no_tier_and_no_competencies(get_json, users):
    # given
    kader = Kader.objects.filter(posyandu=users["kader.bayua"].facility).order_by("name").first()
    Kader.objects.filter(pk=kader.pk).update(tier="", trained_on=None)
    KaderCompetency.objects.filter(kader=kader).delete()
    # when
    _s, body = get_json("kader.bayua", "/api/workforce/kader")
    row = next(r for r in body["items"] if r["external_id"] == str(kader.external_id))
    # then
    assert (row["tier"], row["trained_on"], row["competencies"]) == (None, None, [])


def test_workforce_rows_carry_no_phone_nip_or_pk(get_json):
    _s, workers = get_json("kapus.maninjau", "/api/workforce/health-workers")
    _s, kader = get_json("kapus.maninjau", "/api/workforce/kader")
    for row in (*workers["items"], *kader["items"]):
        assert not {"id", "pk", "phone", "nip"} & set(row)
