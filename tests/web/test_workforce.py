"""Health workers by facility and cluster, kader with competencies; headcounts only for lintas sektor."""

import datetime as dt

import pytest

from ilp.facilities.models import (
    Cluster,
    CompetencyGroup,
    HealthWorker,
    Kader,
    KaderCompetency,
    KaderTier,
    Profession,
)
from tests.web.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ROLES)
def test_every_role_opens_the_workforce_pages(client_as, username):
    # when
    workers = client_as(username).get("/tenaga-kesehatan/")
    kader = client_as(username).get("/kader/")
    # then
    assert workers.status_code == 200
    assert kader.status_code == 200


def test_health_workers_are_grouped_by_facility_with_the_pj_marked(client_as):
    # when
    response = client_as("kapus.maninjau").get("/tenaga-kesehatan/")
    # then
    groups = response.context["groups"]
    facilities = [f.name for f, _rows in groups]
    assert facilities == sorted(facilities)
    assert "Puskesmas Maninjau" in facilities
    assert response.context["page"].paginator.count == 14 + 19
    body = response.content.decode()
    assert "Desmawati, S.Tr.Keb" in body
    assert body.count("badge pj") == 5


def test_health_workers_filter_by_cluster(client_as):
    # when
    response = client_as("kapus.maninjau").get("/tenaga-kesehatan/", {"cluster": Cluster.MANAGEMENT})
    # then
    names = [w.name for _f, rows in response.context["groups"] for w in rows]
    assert names == ["Nurlela, A.Md.RMIK", "Syafrizal, S.KM"]


def test_the_pustu_sees_only_its_own_staff(client_as):
    # when
    response = client_as("pustu.bayua").get("/tenaga-kesehatan/")
    # then
    assert [f.name for f, _rows in response.context["groups"]] == ["Pustu Bayua"]
    assert "Syafrizal" not in response.content.decode()


def test_the_lintas_sektor_reads_headcounts_without_names(client_as):
    # when
    workers = client_as("camat.tanjungraya").get("/tenaga-kesehatan/")
    kader = client_as("camat.tanjungraya").get("/kader/")
    # then
    assert "groups" not in workers.context
    counts = {row["facility__name"]: row for row in workers.context["counts"]}
    assert counts["Puskesmas Maninjau"]["total"] == 14
    assert counts["Puskesmas Maninjau"]["by_cluster"] == [2, 4, 3, 2, 2]
    assert "Syafrizal" not in workers.content.decode()
    assert 'id="aggregate-only"' in workers.content.decode()
    rows = kader.context["counts"]
    assert len(rows) == 20
    assert all(row["total"] == 5 for row in rows)
    some_kader = Kader.objects.filter(posyandu__name=rows[0]["posyandu__name"]).first()
    assert some_kader.name not in kader.content.decode()


def test_kader_show_posyandu_tier_training_and_latest_competencies(client_as):
    # given
    kader = Kader.objects.filter(posyandu__name="Posyandu Seroja Bayua").exclude(trained_on=None).first()
    KaderCompetency.objects.create(
        kader=kader,
        group=CompetencyGroup.INFANT,
        skills_attained=2,
        skills_total=5,
        attained=False,
        assessed_on=dt.date(2026, 10, 30),
    )
    # when
    response = client_as("pustu.bayua").get("/kader/", {"q": kader.name})
    # then
    row = next(latest for k, latest in response.context["rows"] if k.pk == kader.pk)
    by_group = {group: a for (label, a), group in zip(row, CompetencyGroup.values, strict=True)}
    assert by_group[CompetencyGroup.INFANT].assessed_on == dt.date(2026, 10, 30)
    assert by_group[CompetencyGroup.INFANT].skills_attained == 2
    assert all(by_group[g] is not None for g in CompetencyGroup.values)
    body = response.content.decode()
    assert "2/5" in body
    assert "30-10-2026" in body


def test_the_kader_sees_the_kader_of_their_posyandu_only(client_as, users):
    # when
    response = client_as("kader.bayua").get("/kader/")
    # then
    posyandu = {k.posyandu_id for k, _latest in response.context["rows"]}
    assert posyandu == {users["kader.bayua"].facility_id}
    assert len(response.context["rows"]) == 5


def test_the_kader_list_costs_the_same_queries_with_more_kader(client_as, users, count_queries):
    # given
    client = client_as("pustu.bayua")
    before, _ = count_queries(client, "/kader/")
    posyandu = users["kader.bayua"].facility
    new = Kader.objects.bulk_create(
        Kader(name=f"Kader Uji {i}", posyandu=posyandu, tier=KaderTier.MADYA, trained_on=dt.date(2025, 1, 1))
        for i in range(4)
    )
    KaderCompetency.objects.bulk_create(
        KaderCompetency(kader=k, group=g, skills_attained=5, attained=True, assessed_on=dt.date(2025, 6, 1))
        for k in new
        for g in CompetencyGroup.values
    )
    # when
    after, response = count_queries(client, "/kader/")
    # then
    assert response.context["page"].paginator.count == 14
    assert after == before


def test_the_health_worker_list_costs_the_same_queries_with_more_workers(client_as, users, count_queries):
    # given
    client = client_as("kapus.maninjau")
    before, _ = count_queries(client, "/tenaga-kesehatan/")
    HealthWorker.objects.bulk_create(
        HealthWorker(name=f"Perawat Uji {i}", profession=Profession.PERAWAT, facility=users["pustu.bayua"].facility)
        for i in range(4)
    )
    # when
    after, _ = count_queries(client, "/tenaga-kesehatan/")
    # then
    assert after == before


def test_the_aggregate_pages_cost_the_same_queries_with_more_rows(client_as, users, count_queries):
    # given
    client = client_as("camat.tanjungraya")
    workers_before, _ = count_queries(client, "/tenaga-kesehatan/")
    kader_before, _ = count_queries(client, "/kader/")
    Kader.objects.bulk_create(Kader(name=f"K {i}", posyandu=users["kader.bayua"].facility) for i in range(3))
    HealthWorker.objects.bulk_create(
        HealthWorker(name=f"H {i}", profession=Profession.BIDAN, facility=users["pustu.bayua"].facility)
        for i in range(3)
    )
    # when
    workers_after, _ = count_queries(client, "/tenaga-kesehatan/")
    kader_after, _ = count_queries(client, "/kader/")
    # then
    assert (workers_after, kader_after) == (workers_before, kader_before)


def test_workforce_pages_stay_within_a_query_budget(client_as, django_assert_max_num_queries):
    # given
    client = client_as("kapus.maninjau")
    # then
    with django_assert_max_num_queries(10):
        assert client.get("/tenaga-kesehatan/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/kader/").status_code == 200


def test_the_kader_search_is_wired_for_htmx(client_as):
    # when
    response = client_as("kapus.maninjau").get("/kader/", {"q": "a"}, HTTP_HX_REQUEST="true")
    # then
    assert "<html" not in response.content.decode()
    assert response.templates[0].name == "web/workforce/_kader.html"
