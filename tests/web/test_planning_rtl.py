"""ILP cycle pages, stages 2-3 (part two): the RTL of a priority problem as a care pathway — steps by phase, a
step done by the village government, approval, editing, the service's refusals shown on the form, rights."""

import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from ilp.facilities.models import Facility, FacilityKind, NetworkMember, WorkingAreaVillage
from ilp.planning.models import BudgetSource, Method, Party, PathwayPhase, PathwayStep
from ilp.planning.services import (
    ERR_DESA_OUTSIDE,
    ERR_FACILITY_NOT_NETWORK,
    ERR_NOT_PRIORITY,
    ERR_PEMDES_NEEDS_DESA,
    cycle_start,
    problem_add,
    problem_update,
    step_save,
)
from ilp.regions.models import Level, Region
from tests.web.conftest import MANINJAU
from tests.web.test_planning_cycle import PILOT, record_facts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]
TODAY = timezone.localdate()


@pytest.fixture
def pilot():
    return Facility.objects.select_related("region").get(code=PILOT)


@pytest.fixture
def kapus(users):
    return users["kapus.maninjau"]


@pytest.fixture
def problem(pilot, kapus):
    """Stunting, a priority problem of a cycle of the pilot."""
    cycle = cycle_start(actor=kapus, puskesmas=pilot, name="Siklus 2026", year=TODAY.year,
                        started_on=TODAY.replace(month=1, day=1), method=Method.USG)  # fmt: skip
    found = problem_add(actor=kapus, cycle=cycle, title="Stunting", indicator="stunting")
    return problem_update(actor=kapus, problem=found, is_priority=True)


@pytest.fixture
def maninjau():
    return Region.objects.get(code=MANINJAU)


def _step_data(**over) -> dict:
    data = {
        "action": "add", "phase": "promotive", "title": "Kelas ibu balita", "activities": "Penyuluhan MP-ASI",
        "party": "kader", "facility": "", "village": "", "person_in_charge": "Bidan Desi", "indicator": "stunting",
        "baseline_pct": "24", "target_pct": "18", "due_on": f"{TODAY.year}-12-31", "budget": "",
        "budget_source": "",
    }  # fmt: skip
    return data | over


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_kepala_puskesmas_builds_a_pathway_with_a_pemdes_step_and_approves_it(client_as, problem, maninjau, kapus):
    client = client_as("kapus.maninjau")
    url = f"/ilp/masalah/{problem.external_id}/rtl/"
    page = client.get(url).content.decode()
    # given the empty pathway: six phases from promotive to palliative, and the form offering the working area
    assert re.findall(r'id="phase-(\w+)"', page) == [p.value for p in PathwayPhase]
    form = page.split('id="step-form"')[1]
    assert f'<option value="{maninjau.pk}">Maninjau</option>' in form
    assert 'id="approve"' not in page
    # when a step is assigned to the wali nagari of Maninjau, paid from the Dana Desa
    data = _step_data(
        phase="preventive", title="PMT lokal balita", party="pemdes", village=maninjau.pk,
        person_in_charge="Wali Nagari Maninjau", budget="Rp 12.500.000", budget_source="dana_desa",
    )  # fmt: skip
    response = client.post(url, data)
    # then it is saved on the pathway, in its phase, with who, where, measure and budget
    assert response.status_code == 302
    step = PathwayStep.objects.get(problem=problem)
    assert (step.party, step.village, step.budget, step.budget_source) == (
        Party.PEMDES, maninjau, 12_500_000, BudgetSource.DANA_DESA)  # fmt: skip
    page = client.get(url).content.decode()
    card = _text(page.split(f'id="step-{step.external_id}"')[1].split("</li>")[0])
    assert "PMT lokal balita" in card and "Village government (pemdes)" in card and "desa Maninjau" in card
    assert "24 % → 18 %" in card and "Dana Desa" in card and "Wali Nagari Maninjau" in card
    assert page.index('id="phase-preventive"') < page.index(f'id="step-{step.external_id}"')
    # when the kepala puskesmas approves the RTL
    client.post(url, {"action": "approve"})
    problem.refresh_from_db()
    assert problem.rtl_approved_by == kapus and problem.rtl_approved_at is not None
    page = client.get(url).content.decode()
    assert "Approved" in page and 'id="approve"' not in page
    # and the wali nagari reads the step among their desa's, without the buttons
    page = client_as("walinagari.maninjau").get(url).content.decode()
    assert f'id="step-{step.external_id}"' in page and 'id="step-form"' not in page
    assert "/ubah/" not in page


def test_a_desa_outside_the_working_area_is_refused_with_its_name(client_as, problem, pilot):
    outside = (
        Region.objects.filter(level=Level.VILLAGE, code__startswith="13.06.")
        .exclude(pk__in=WorkingAreaVillage.objects.filter(puskesmas=pilot).values("village_id"))
        .order_by("code")[0]
    )
    response = client_as("kapus.maninjau").post(
        f"/ilp/masalah/{problem.external_id}/rtl/", _step_data(party="pemdes", village=outside.pk)
    )
    assert response.status_code == 400
    field = response.content.decode().split('for="id_village"')[1].split("</div>")[0]
    assert str(ERR_DESA_OUTSIDE) % {"name": outside.name} in field
    assert not PathwayStep.objects.exists()


def test_the_service_rules_come_back_on_their_fields(client_as, problem, pilot):
    client = client_as("kapus.maninjau")
    url = f"/ilp/masalah/{problem.external_id}/rtl/"
    # a pemdes step without its desa
    page = client.post(url, _step_data(party="pemdes")).content.decode()
    assert str(ERR_PEMDES_NEEDS_DESA) in page.split('for="id_village"')[1].split("</div>")[0]
    # a klinik that is not a member of the pilot's network
    stranger = Facility.objects.create(
        kind=FacilityKind.KLINIK_PRATAMA, code="KL-LUAR", name="Klinik Luar Jejaring", region=pilot.region
    )
    page = client.post(url, _step_data(party="jejaring", facility=stranger.pk)).content.decode()
    assert escape(str(ERR_FACILITY_NOT_NETWORK) % {"name": stranger.name}) in page
    # a target date before the cycle started
    page = client.post(url, _step_data(due_on=f"{TODAY.year - 1}-06-30")).content.decode()
    assert "Target date: it is before the cycle started." in page.split('for="id_due_on"')[1].split("</div>")[0]
    assert not PathwayStep.objects.exists()


def test_a_network_member_is_offered_and_accepted(client_as, problem, pilot):
    member = NetworkMember.objects.filter(puskesmas=pilot, is_active=True).select_related("member")[0].member
    client = client_as("kapus.maninjau")
    url = f"/ilp/masalah/{problem.external_id}/rtl/"
    assert f'<option value="{member.pk}">' in client.get(url).content.decode().split('id="id_facility"')[1]
    assert client.post(url, _step_data(phase="screening", party="jejaring", facility=member.pk)).status_code == 302
    assert PathwayStep.objects.get(problem=problem).facility == member


def test_a_blank_baseline_is_read_from_the_pws_data(client_as, problem, maninjau):
    record_facts("stunting", {MANINJAU: (6, 25)})
    client = client_as("kapus.maninjau")
    client.post(f"/ilp/masalah/{problem.external_id}/rtl/", _step_data(baseline_pct="", village=maninjau.pk))
    assert PathwayStep.objects.get(problem=problem).baseline_pct == 24


def test_a_problem_that_is_not_a_priority_gets_no_step(client_as, problem, kapus):
    problem_update(actor=kapus, problem=problem, is_priority=False)
    client = client_as("kapus.maninjau")
    url = f"/ilp/masalah/{problem.external_id}/rtl/"
    page = client.get(url).content.decode()
    assert str(ERR_NOT_PRIORITY) in page and 'id="step-form"' not in page
    response = client.post(url, _step_data())
    assert response.status_code == 400 and str(ERR_NOT_PRIORITY) in response.content.decode()
    # the planner makes it a priority from the page, and the form appears
    client.post(url, {"action": "priority"})
    assert 'id="step-form"' in client.get(url).content.decode()


def test_a_step_is_edited_and_deleted(client_as, problem, kapus, maninjau):
    step = step_save(actor=kapus, problem=problem, **{k: v for k, v in _step_data().items() if k != "action"}
                     | {"baseline_pct": 24, "target_pct": 18, "due_on": TODAY.replace(month=12, day=31),
                        "facility": None, "village": None, "budget": None})  # fmt: skip
    client = client_as("klaster2.maninjau")
    url = f"/ilp/langkah/{step.external_id}/ubah/"
    page = client.get(url).content.decode()
    assert 'value="Kelas ibu balita"' in page
    data = _step_data(action="save", title="Kelas ibu balita tiap bulan", village=maninjau.pk, target_pct="17,5")
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/ilp/masalah/{problem.external_id}/rtl/"
    step.refresh_from_db()
    assert (step.title, step.village, float(step.target_pct)) == ("Kelas ibu balita tiap bulan", maninjau, 17.5)
    # pemdes and kader may not change it
    for username in ("walinagari.maninjau", "kader.bayua"):
        assert client_as(username).post(url, {"action": "delete"}).status_code == 403
    client = client_as("klaster2.maninjau")
    client.post(url, {"action": "delete"})
    assert not PathwayStep.objects.filter(pk=step.pk).exists()


def test_pemdes_and_kader_cannot_add_steps_or_approve(client_as, problem, maninjau):
    url = f"/ilp/masalah/{problem.external_id}/rtl/"
    for username in ("walinagari.maninjau", "kader.bayua"):
        client = client_as(username)
        assert client.get(url).status_code == 200
        assert client.post(url, _step_data(party="pemdes", village=maninjau.pk)).status_code == 403
        assert client.post(url, {"action": "approve"}).status_code == 403
    assert not PathwayStep.objects.exists()


def test_the_rtl_page_takes_a_fixed_number_of_queries(client_as, problem, kapus, maninjau,
                                                      django_assert_max_num_queries):  # fmt: skip
    base = {k: v for k, v in _step_data().items() if k != "action"}
    base |= {"baseline_pct": 24, "target_pct": 18, "due_on": TODAY.replace(month=12, day=31), "budget": 1000}
    for n, phase in enumerate(PathwayPhase):
        for party, village in (("pemdes", maninjau), ("k2", None)):
            more = {"phase": phase, "title": f"Langkah {n}", "party": party, "village": village, "facility": None}
            step_save(actor=kapus, problem=problem, **base | more)
    client = client_as("kapus.maninjau")
    with django_assert_max_num_queries(13):
        page = client.get(f"/ilp/masalah/{problem.external_id}/rtl/").content.decode()
    assert len(re.findall(r'<li class="pc-step" id="step-', page)) == 12
