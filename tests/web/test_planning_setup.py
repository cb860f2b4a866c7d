"""The ILP preparation pages: the kabupaten's rollout, a puskesmas' readiness checklist, SK Target Kinerja,
RACI matrix and functional network, with who may read and who may write them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.models import Role
from ilp.accounts.services import user_create
from ilp.demo.seed import PILOT_CODE
from ilp.facilities.models import Facility, FacilityKind, IlpStatus
from ilp.indicators.models import AreaSetting
from ilp.planning.models import Cycle, CycleStage, RaciActivity, ReadinessCheck, SuccessIndicator, TargetDecree

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pilot():
    return Facility.objects.select_related("region").get(code=PILOT_CODE)


@pytest.fixture
def other():
    return Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(code=PILOT_CODE).order_by("code").first()


def url(name, code=PILOT_CODE):
    return reverse(f"web:{name}", args=[code])


def page_text(response) -> str:
    return response.content.decode()


def row(response, code: str) -> str:
    return page_text(response).split(f'data-code="{code}"', 1)[1].split("</tr>", 1)[0]


def test_the_dinkes_sees_every_puskesmas_with_status_readiness_and_open_cycle(client_as, pilot):
    # given an open cycle of the pilot
    Cycle.objects.create(
        puskesmas=pilot, name="Siklus 2026", year=2026, started_on=dt.date(2026, 1, 5), stage=CycleStage.PROBLEMS
    )
    client = client_as("dinkes.agam")
    response = client.get(reverse("web:planning_home"))
    assert response.status_code == 200
    total = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).count()
    assert page_text(response).count('<tr data-code="') == total
    pilot_row = row(response, PILOT_CODE)
    assert "badge pilot" in pilot_row and "status-running" in pilot_row
    assert '<progress value="' in pilot_row
    assert "2. " in pilot_row  # the stage "2. Priority problems"
    # and the counts per status on top
    running = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, ilp_status=IlpStatus.RUNNING).count()
    counts = page_text(response).split('id="status-counts"', 1)[1].split("</ul>", 1)[0]
    assert f"<strong>{running}</strong>" in counts.split('data-status="running"', 1)[1].split("</li>", 1)[0]
    assert 'id="status-form"' in page_text(response)


def test_the_rollout_page_reads_in_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("dinkes.agam")
    client.get(reverse("web:planning_home"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("web:planning_home"))
    assert response.status_code == 200


def test_the_dinkes_changes_the_ilp_status_of_a_puskesmas(client_as, other):
    client = client_as("dinkes.agam")
    data = {"status-puskesmas": other.code, "status-status": "running", "status-start_date": "2026-07-01"}
    response = client.post(reverse("web:planning_home"), data)
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.ilp_status, other.ilp_start_date, other.ilp_pilot) == ("running", dt.date(2026, 7, 1), False)
    # running without a start date is refused on the field
    bad = client.post(reverse("web:planning_home"), {"status-puskesmas": other.code, "status-status": "running"})
    assert bad.status_code == 400
    assert "field-error" in page_text(bad).split('id="status-form"', 1)[1]


@pytest.mark.parametrize("username", ["kapus.maninjau", "klaster2.maninjau"])
def test_the_puskesmas_team_goes_to_its_puskesmas_page(client_as, username):
    response = client_as(username).get(reverse("web:planning_home"))
    assert response.status_code == 302 and response["Location"] == url("planning_puskesmas")


@pytest.mark.parametrize("username", ["kader.bayua", "walinagari.maninjau", "pustu.bayua", "camat.tanjungraya"])
def test_other_roles_are_sent_to_their_tasks(client_as, username):
    response = client_as(username).get(reverse("web:planning_home"))
    assert response.status_code == 302 and response["Location"] == reverse("web:planning_tasks")


def test_the_puskesmas_page_links_the_preparation_and_lists_the_cycles(client_as, pilot):
    Cycle.objects.create(puskesmas=pilot, name="Siklus uji", year=2026, started_on=dt.date(2026, 1, 5))
    response = client_as("kapus.maninjau").get(url("planning_puskesmas"))
    assert response.status_code == 200
    text = page_text(response)
    for name in ("planning_readiness", "planning_targets", "planning_raci", "planning_network"):
        assert url(name) in text
    assert "Siklus uji" in text


def test_a_kapus_of_another_puskesmas_gets_404(client_as, users, other):
    user_create(username="kapus.other", password="x", role=Role.KEPALA_PUSKESMAS, facility=other, validate=False)
    client = client_as("kapus.maninjau")
    for name in ("planning_puskesmas", "planning_readiness", "planning_targets", "planning_raci", "planning_network"):
        assert client.get(url(name, other.code)).status_code == 404
    # and the other kapus reads its own
    client.force_login(type(users["kapus.maninjau"]).objects.get(username="kapus.other"))
    assert client.get(url("planning_readiness", other.code)).status_code == 200
    assert client.get(url("planning_readiness")).status_code == 404


def test_the_readiness_page_shows_what_the_data_says_and_saves_ticks(client_as, pilot):
    client = client_as("kapus.maninjau")
    response = client.get(url("planning_readiness"))
    assert response.status_code == 200
    text = page_text(response)
    # one pustu waits for its nurse: 9 of the 10 nagari
    pustu = text.split('id="item-pustu_staffed"', 1)[1].split("</li>", 1)[0]
    assert "9" in pustu and "10" in pustu and "unmet" in pustu
    assert 'name="satusehat-done"' in text
    # when the kepala puskesmas ticks SATUSEHAT with a date and evidence
    data = {"satusehat-done": "on", "satusehat-done_on": TODAY.isoformat(), "satusehat-evidence": "Org ID 100026"}
    saved = client.post(url("planning_readiness"), data)
    assert saved.status_code == 302
    check = ReadinessCheck.objects.get(puskesmas=pilot, item="satusehat")
    assert (check.done, check.done_on, check.evidence) == (True, TODAY, "Org ID 100026")
    # a done item without its date saves nothing and says where
    bad = client.post(url("planning_readiness"), {**data, "cluster_sk-done": "on"})
    assert bad.status_code == 400
    assert "form-error" in page_text(bad).split('id="item-cluster_sk"', 1)[1].split("</li>", 1)[0]
    assert not ReadinessCheck.objects.filter(puskesmas=pilot, item="cluster_sk").exists()


@pytest.mark.parametrize("username", ["walinagari.maninjau", "kader.bayua", "pustu.bayua"])
def test_pemdes_kader_and_pustu_cannot_write_stage_0(client_as, username):
    client = client_as(username)
    for name in ("planning_readiness", "planning_targets", "planning_raci"):
        response = client.post(url(name), {"satusehat-done": "on"})
        assert response.status_code in (403, 404)
    assert not ReadinessCheck.objects.exists()


def test_the_pemdes_of_the_puskesmas_desa_reads_the_checklist_without_forms(client_as):
    response = client_as("walinagari.maninjau").get(url("planning_readiness"))
    assert response.status_code == 200
    assert 'name="satusehat-done"' not in page_text(response)
    assert client_as("walinagari.maninjau").post(url("planning_readiness"), {}).status_code == 403


def test_the_targets_page_saves_the_decree_and_the_targets_reach_the_pws(client_as, pilot):
    client = client_as("kapus.maninjau")
    page = client.get(url("planning_targets") + f"?tahun={TODAY.year}")
    assert page.status_code == 200
    assert 'data-code="child_weighed"' in page_text(page)
    assert 'value="85"' in row(page, "child_weighed")  # the national default, prefilled
    data = {
        "sk-number": "440/12/SK/2026",
        "sk-signed_on": dt.date(TODAY.year, 3, 2).isoformat() if dt.date(TODAY.year, 3, 2) <= TODAY else "",
        "i-child_weighed-chosen": "on",
        "i-child_weighed-target": "90,5",
        "i-idl-target": "99",
    }
    response = client.post(url("planning_targets") + f"?tahun={TODAY.year}", data)
    assert response.status_code == 302
    decree = TargetDecree.objects.get(puskesmas=pilot, year=TODAY.year)
    assert list(SuccessIndicator.objects.filter(decree=decree).values_list("indicator", flat=True)) == ["child_weighed"]
    assert AreaSetting.objects.get(puskesmas=pilot, indicator="child_weighed", year=TODAY.year).target_pct == 90.5
    # an unticked indicator's target is not written
    assert not AreaSetting.objects.filter(puskesmas=pilot, indicator="idl").exists()
    # signed after February: the page warns
    again = client.get(url("planning_targets") + f"?tahun={TODAY.year}")
    if decree.signed_on:
        assert 'id="late-warning"' in page_text(again)
    assert "puskesmas" in row(again, "child_weighed")


def test_a_target_above_100_is_refused_on_its_row(client_as, pilot):
    client = client_as("kapus.maninjau")
    data = {"i-idl-chosen": "on", "i-idl-target": "120"}
    response = client.post(url("planning_targets"), data)
    assert response.status_code == 400
    assert "field-error" in row(response, "idl")
    assert not TargetDecree.objects.filter(puskesmas=pilot).exists()


def test_a_bad_year_is_a_400(client_as):
    assert client_as("kapus.maninjau").get(url("planning_targets") + "?tahun=20x6").status_code == 400


def test_the_raci_matrix_adds_edits_and_deletes_activities(client_as, pilot):
    client = client_as("kapus.maninjau")
    page = client.get(url("planning_raci"))
    assert page.status_code == 200 and 'id="raci-legend"' in page_text(page)
    # add one
    response = client.post(url("planning_raci"), {"new-name": "Lokakarya mini", "new-p_kapus": "A", "new-p_k1": "R"})
    assert response.status_code == 302
    activity = RaciActivity.objects.get(puskesmas=pilot)
    assert activity.cells == {"kapus": "A", "k1": "R"}
    # two accountable parties: refused on the row, nothing saved
    prefix = f"a{activity.pk}"
    bad = client.post(
        url("planning_raci"), {f"{prefix}-name": "Lokakarya mini", f"{prefix}-p_kapus": "A", f"{prefix}-p_dinkes": "A"}
    )
    assert bad.status_code == 400
    assert "field-error" in page_text(bad).split(f'data-activity="{activity.external_id}"', 1)[1].split("</tr>", 1)[0]
    # delete
    gone = client.post(url("planning_raci"), {f"{prefix}-name": "Lokakarya mini", f"{prefix}-delete": "on"})
    assert gone.status_code == 302 and not RaciActivity.objects.filter(puskesmas=pilot).exists()


def test_the_network_page_shows_members_reporting_and_gaps(client_as):
    response = client_as("kapus.maninjau").get(url("planning_network"))
    assert response.status_code == 200
    text = page_text(response)
    klinik = row(response, "KP1306031")
    assert "0/6" in klinik and klinik.count('class="dot dot-') == 6
    assert 'class="unconfirmed"' in text.split('id="gaps"', 1)[0]
    gaps = text.split('id="gaps"', 1)[1]
    assert gaps.count('class="gap"') >= 1


def test_the_network_page_reads_in_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("kapus.maninjau")
    client.get(url("planning_network"))
    with django_assert_max_num_queries(16):
        assert client.get(url("planning_network")).status_code == 200
