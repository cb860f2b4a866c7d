"""The monthly monitoring (baseline -> current -> target, read live from the indicator facts), the risk
register, and the Dinkes' 6/12-monthly evaluation of the network."""

import json
import re

import pytest
from django.urls import reverse

from ilp.planning.models import EvaluationDecision, Risk
from ilp.planning.services import step_save
from tests.web.planning_monitor_world import K1, TODAY, build_world, login, set_k1

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(users)


@pytest.fixture
def as_user(client):
    return lambda username: login(client, username)


def _url(world, name="web:planning_monitoring") -> str:
    return reverse(name, args=[world.cycle.external_id])


def _row(page: str, step) -> str:
    found = re.search(rf'<tr id="row-{step.external_id}"[^>]*>(.*?)</tr>', page, flags=re.S)
    assert found, f"no row for {step.title}"
    return found[0]


def _current(page: str, step) -> str:
    cell = re.search(r'class="half num pm-current"[^>]*>(.*?)</td>', _row(page, step), flags=re.S)
    return re.sub(r"\s+|&nbsp;", " ", re.sub(r"<[^>]+>", "", cell[1])).strip()


def _counts(page: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(r'data-progress="(\w+)"><strong>(\d+)</strong>', page)}


def test_monitoring_follows_the_indicator_facts(world, as_user):
    # Given the pemdes' step measured by K1 in Maninjau: baseline 30 % (3 of 10), target 80 %
    client = as_user("kapus.maninjau")
    page = client.get(_url(world)).content.decode()
    assert _current(page, world.pemdes_step) == "30.0 %"
    assert "30.0" in _row(page, world.pemdes_step) and "80.0" in _row(page, world.pemdes_step)

    # When more pregnant women of Maninjau get their first ANC visit (the facts say 9 of 10)
    set_k1(9)
    page = client.get(_url(world)).content.decode()

    # Then the same page reads the new current value and the step reached its target
    assert _current(page, world.pemdes_step) == "90.0 %"
    assert 'data-progress="achieved"' in _row(page, world.pemdes_step)
    assert _counts(page)["achieved"] >= 1


def test_the_page_counts_filters_and_charts_the_steps(world, as_user):
    client = as_user("kapus.maninjau")
    page = client.get(_url(world)).content.decode()

    # Then every step is counted once, the overdue one is at risk, and the problem has its chart data
    counts = _counts(page)
    assert sum(counts.values()) == 5
    assert 'data-progress="at_risk"' in _row(page, world.overdue_step)
    chart = re.search(r'<script id="chart-\d+" type="application/json">(.*?)</script>', page, flags=re.S)
    data = json.loads(chart[1])
    assert data["target"] and set(data["target"]) == {80.0}
    assert {s["name"] for s in data["series"]} >= {"Maninjau"}

    # When filtering at-risk steps done by cluster 2, then by an unknown party
    only = client.get(_url(world), {"kemajuan": "berisiko", "pihak": "k2"}).content.decode()
    bad = client.get(_url(world), {"pihak": "dukun"}).content.decode()

    # Then only the overdue step is listed; the unknown party is said and ignored
    assert world.overdue_step.title in only and world.pemdes_step.title not in only
    assert "dukun is not a party of the RTL" in bad and world.pemdes_step.title in bad


def test_the_pemdes_reads_the_steps_of_his_desa_and_cannot_touch_the_risks(world, as_user):
    # Given a risk in the register
    Risk.objects.create(cycle=world.cycle, challenge="Bidan desa pindah tugas", likelihood=4, impact=5, owner="kapus")
    client = as_user("walinagari.maninjau")

    # When the pemdes opens the monitoring and tries to add a risk
    page = client.get(_url(world)).content.decode()
    refused = client.post(
        _url(world), {"challenge": "x", "likelihood": 1, "impact": 1, "owner": "pemdes", "status": "open"}
    )

    # Then he sees his desa's steps and the register, without its form; the write is refused
    assert world.pemdes_step.title in page and world.pustu_step.title in page
    assert world.bayua_step.title not in page and world.network_step.title not in page
    assert "Bidan desa pindah tugas" in page and 'id="risk-form"' not in page
    assert refused.status_code == 403
    assert Risk.objects.filter(cycle=world.cycle).count() == 1


def test_the_puskesmas_adds_and_edits_a_risk(world, as_user):
    client = as_user("klaster2.maninjau")

    # When cluster staff add a likely, serious risk
    data = {"challenge": "Stok tes Hb habis", "likelihood": 4, "impact": 4, "mitigation": "Minta ke Dinkes",
            "owner": "k2", "status": "open"}  # fmt: skip
    assert client.post(_url(world), data).status_code == 302

    # Then it is in the register with its score coloured high
    risk = Risk.objects.get(cycle=world.cycle)
    page = client.get(_url(world)).content.decode()
    row = re.search(rf'<tr id="risk-{risk.external_id}"(.*?)</tr>', page, flags=re.S)[1]
    assert '<span class="pm-score risk-very-high">16</span>' in row

    # When they edit it to mitigating with a lower likelihood
    form = client.get(_url(world), {"risiko": str(risk.external_id)}).content.decode()
    assert 'value="Stok tes Hb habis"' in form
    edit = {**data, "risiko": str(risk.external_id), "likelihood": 2, "status": "mitigating"}
    assert client.post(_url(world), edit).status_code == 302

    # Then the same entry changed
    risk.refresh_from_db()
    assert (risk.likelihood, risk.status, risk.score) == (2, "mitigating", 8)
    assert Risk.objects.filter(cycle=world.cycle).count() == 1


def test_a_risk_without_its_challenge_comes_back_with_the_error(world, as_user):
    response = as_user("kapus.maninjau").post(
        _url(world), {"likelihood": 2, "impact": 2, "owner": "k1", "status": "open"}
    )
    assert response.status_code == 400
    assert 'id="risk-form" open' in response.content.decode()
    assert not Risk.objects.exists()


def test_the_monitoring_page_does_not_grow_in_queries_with_the_steps(world, as_user, django_assert_max_num_queries):
    # Given the page's queries with five steps
    client = as_user("kapus.maninjau")
    with django_assert_max_num_queries(60) as first:
        client.get(_url(world))
    # When five more steps of the same indicator are added in the same desa
    for n in range(5):
        step_save(
            actor=world.kapus, problem=world.problem, phase="preventive", title=f"Langkah {n}", party="k2",
            village=world.pemdes_step.village, person_in_charge="Bidan", indicator=K1, target_pct=80,
            due_on=world.pemdes_step.due_on,
        )  # fmt: skip
    # Then the page makes no more queries
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(_url(world)).content.decode()
    assert page.count('<tr id="row-') == 10


def test_the_step_page_charts_baseline_current_and_target(world, as_user):
    page = as_user("walinagari.maninjau").get(reverse("web:planning_step", args=[world.pemdes_step.external_id]))
    text = page.content.decode()
    data = json.loads(re.search(r'<script id="step-chart-data" type="application/json">(.*?)</script>', text, re.S)[1])
    assert data["target"][-1] == 80.0
    assert data["series"][0]["values"][-1] == 30.0
    assert data["series"][1]["name"] == "Baseline" and 30.0 in data["series"][1]["values"]
    assert "echarts.min.js" in text and "pws_chart.js" in text


# --- evaluation


def test_the_dinkes_ends_a_network_arrangement(world, as_user):
    # Given the live findings: the klinik has one RTL step, not done
    client = as_user("dinkes.agam")
    page = client.get(_url(world, "web:planning_evaluation")).content.decode()
    member = re.search(rf'id="member-{world.member.pk}"(.*?)</article>', page, flags=re.S)[1]
    assert "0 of 1 RTL steps done" in member and world.network_step.title in member
    assert 'id="evaluation-form"' in page

    # When the Dinkes records the 6-month evaluation ending the klinik's arrangement
    key = f"m{world.member.pk}"
    data = {"months": 6, "evaluated_on": TODAY.isoformat(), "notes": "Klinik tidak melapor",
            f"{key}_decision": EvaluationDecision.END, f"{key}_note": "PKS tidak diperpanjang"}  # fmt: skip
    response = client.post(_url(world, "web:planning_evaluation"), data)

    # Then the member leaves the network and the evaluation is listed with the decision
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.is_active is False
    page = client.get(_url(world, "web:planning_evaluation")).content.decode()
    recorded = page.split('id="evaluations"')[1]
    assert "Klinik tidak melapor" in recorded and "PKS tidak diperpanjang" in recorded
    assert 'class="badge decision-end"' in recorded
    assert "no longer in the network" in page


def test_the_head_of_the_puskesmas_reads_the_evaluation_but_cannot_record_it(world, as_user):
    client = as_user("kapus.maninjau")
    page = client.get(_url(world, "web:planning_evaluation")).content.decode()
    assert world.member.member.name in page and 'id="evaluation-form"' not in page
    data = {"months": 12, "evaluated_on": TODAY.isoformat(), f"m{world.member.pk}_decision": "end"}
    assert client.post(_url(world, "web:planning_evaluation"), data).status_code == 403
    world.member.refresh_from_db()
    assert world.member.is_active is True


def test_a_cycle_outside_the_scope_is_not_there(world, client, users):
    from ilp.accounts.models import Role
    from ilp.accounts.services import user_create
    from ilp.facilities.models import Facility, FacilityKind

    other = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(pk=world.cycle.puskesmas_id).first()
    kapus = user_create(username="kapus.lain", password="x", role=Role.KEPALA_PUSKESMAS, facility=other, validate=False)
    client.force_login(kapus)
    for name in ("web:planning_monitoring", "web:planning_workshops", "web:planning_evaluation"):
        assert client.get(_url(world, name)).status_code == 404


def test_a_task_marked_done_shows_on_the_monitoring(world, as_user):
    # Given the pemdes marks his step done today
    client = as_user("walinagari.maninjau")
    step_url = reverse("web:planning_step", args=[world.pemdes_step.external_id])
    assert client.post(step_url, {"status": "done", "on": TODAY.isoformat(), "note": "Selesai"}).status_code == 302

    # When the puskesmas opens the monitoring
    row = _row(as_user("kapus.maninjau").get(_url(world)).content.decode(), world.pemdes_step)

    # Then his row says done, updated today
    assert '<span class="badge step-done">Done</span>' in row
    assert TODAY.strftime("%d-%m-%Y") in row.split("Last update")[-1]
