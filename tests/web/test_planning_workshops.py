"""Lokakarya mini: an agenda generated from the data, attendees and notes, decisions written back into the RTL."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from ilp.accounts.models import User
from ilp.planning.models import DecisionAction, PathwayStep, StepEvent, Workshop, WorkshopKind
from ilp.planning.services import step_progress_record
from tests.web.planning_monitor_world import K1, TODAY, build_world, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(users)


@pytest.fixture
def as_user(client):
    return lambda username: login(client, username)


def _last_month_day() -> dt.date:
    return TODAY.replace(day=1) - dt.timedelta(days=3)


def _prepare(client, world, kind=WorkshopKind.MONTHLY) -> Workshop:
    url = reverse("web:planning_workshops", args=[world.cycle.external_id])
    response = client.post(url, {"kind": kind, "held_on": TODAY.isoformat(), "place": "Aula puskesmas"})
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Workshop.objects.get(cycle=world.cycle)
    assert response["Location"] == reverse("web:planning_workshop", args=[workshop.external_id])
    return workshop


def _section(page: str, section_id: str) -> str:
    return re.search(rf'<article id="{section_id}">(.*?)</article>', page, flags=re.S)[1]


def test_the_agenda_lists_last_months_work_and_the_overdue_steps(world, as_user, django_assert_max_num_queries):
    # Given the pemdes recorded progress last month, and a cluster 2 step is past its target date
    step_progress_record(
        actor=User.objects.get(username="walinagari.maninjau"),
        step=world.pemdes_step,
        status="in_progress",
        on=_last_month_day(),
        note="Rapat dengan ninik mamak",
    )
    client = as_user("kapus.maninjau")

    # When the head of the puskesmas prepares this month's lokakarya mini
    workshop = _prepare(client, world)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("web:planning_workshop", args=[workshop.external_id])).content.decode()

    # Then its agenda holds last month's activity, the overdue step (linked), and the PWS per cluster
    last = _section(page, "agenda-last-month")
    assert "Rapat dengan ninik mamak" in last and world.pemdes_step.title in last
    overdue = _section(page, "agenda-overdue")
    assert world.overdue_step.title in overdue
    assert reverse("web:planning_step", args=[world.overdue_step.external_id]) in overdue
    assert world.pemdes_step.title not in overdue
    cluster2 = re.search(r"Cluster 2 Mother and Child.*?</p>", _section(page, "agenda-pws"), flags=re.S)[0]
    assert sum(int(n) for n in re.findall(r": (\d+)</span>", cluster2)) == 1  # K1, the one indicator with facts
    assert "agenda-cross-sector" not in page
    assert 'id="print-agenda"' in page


def test_the_quarterly_agenda_adds_the_cross_sector_steps(world, as_user):
    workshop = _prepare(as_user("kapus.maninjau"), world, WorkshopKind.QUARTERLY)
    page = as_user("kapus.maninjau").get(reverse("web:planning_workshop", args=[workshop.external_id])).content.decode()
    cross = _section(page, "agenda-cross-sector")
    assert world.pemdes_step.title in cross and world.bayua_step.title in cross
    assert world.network_step.title not in cross


def test_attendees_and_notes_are_recorded(world, as_user):
    client = as_user("kapus.maninjau")
    workshop = _prepare(client, world)
    url = reverse("web:planning_workshop", args=[workshop.external_id])
    data = {"bagian": "catatan", "attendees": "dr. Rahmi (kapus)\n\nWali Nagari Maninjau", "notes": "Lokmin lancar"}
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    attendees = re.search(r'id="attendee-list">(.*?)</ol>', page, flags=re.S)[1]
    assert attendees.count("<li>") == 2 and "Wali Nagari Maninjau" in attendees
    assert "Lokmin lancar" in page


def test_a_new_step_decision_goes_into_the_rtl(world, as_user):
    # Given a prepared lokakarya mini
    client = as_user("kapus.maninjau")
    workshop = _prepare(client, world)
    url = reverse("web:planning_workshop", args=[workshop.external_id])
    due = TODAY + dt.timedelta(days=45)

    # When it decides a new step: the pemdes of Maninjau mobilises pregnant women through the mosque (a target
    # typed with a decimal comma, as Indonesian users write it)
    data = {
        "bagian": "keputusan", "d-text": "Wali nagari mengumumkan kelas ibu di masjid", "d-action": "new_step",
        "d-problem": str(world.problem.external_id), "d-phase": "promotive", "d-title": "Pengumuman di masjid",
        "d-party": "pemdes", "d-village": str(world.pemdes_step.village_id), "d-person_in_charge": "Wali Nagari",
        "d-indicator": K1, "d-target_pct": "85,5", "d-due_on": due.isoformat(),
    }  # fmt: skip
    response = client.post(url, data)

    # Then the step is in the RTL, made by the decision, and the decision links to it
    assert response.status_code == 302, response.content.decode()[:3000]
    step = PathwayStep.objects.get(title="Pengumuman di masjid")
    assert (step.problem, step.party, step.due_on, float(step.target_pct)) == (world.problem, "pemdes", due, 85.5)
    decision = workshop.decisions.get()
    assert decision.action == DecisionAction.NEW_STEP and decision.step == step and step.from_decision == decision
    page = client.get(url).content.decode()
    decisions = page.split('id="decision-list"')[1].split("</ol>")[0]
    assert reverse("web:planning_step", args=[step.external_id]) in decisions

    # And the pemdes finds it among his tasks
    tasks = as_user("walinagari.maninjau").get(reverse("web:planning_tasks")).content.decode()
    assert "Pengumuman di masjid" in tasks


def test_a_new_step_decision_needs_the_step_fields(world, as_user):
    client = as_user("kapus.maninjau")
    workshop = _prepare(client, world)
    url = reverse("web:planning_workshop", args=[workshop.external_id])
    data = {"bagian": "keputusan", "d-text": "Langkah baru", "d-action": "new_step"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Priority problem: required for a new RTL step." in response.content.decode()
    assert not workshop.decisions.exists()


def test_a_change_decision_moves_the_target_date_and_logs_it(world, as_user):
    client = as_user("kapus.maninjau")
    workshop = _prepare(client, world)
    url = reverse("web:planning_workshop", args=[workshop.external_id])
    new_due = TODAY + dt.timedelta(days=30)
    data = {"bagian": "keputusan", "d-text": "Kelas ibu diundur", "d-action": "step_update",
            "d-step": str(world.overdue_step.external_id), "d-new_due_on": new_due.isoformat()}  # fmt: skip
    assert client.post(url, data).status_code == 302
    world.overdue_step.refresh_from_db()
    assert world.overdue_step.due_on == new_due
    assert StepEvent.objects.filter(step=world.overdue_step, note__contains="Kelas ibu diundur").exists()


def test_only_the_planners_prepare_a_lokakarya_mini(world, as_user):
    client = as_user("walinagari.maninjau")
    url = reverse("web:planning_workshops", args=[world.cycle.external_id])
    page = client.get(url).content.decode()
    assert 'id="workshop-form"' not in page
    assert client.post(url, {"kind": "monthly", "held_on": TODAY.isoformat()}).status_code == 403
    assert not Workshop.objects.exists()
    # the klaster staff reads the RTL but does not plan the meetings either
    assert as_user("klaster2.maninjau").post(url, {"kind": "monthly", "held_on": TODAY.isoformat()}).status_code == 403


def test_the_list_shows_the_meetings(world, as_user):
    client = as_user("kapus.maninjau")
    workshop = _prepare(client, world)
    page = client.get(reverse("web:planning_workshops", args=[world.cycle.external_id])).content.decode()
    assert f'id="workshop-{workshop.external_id}"' in page and "Aula puskesmas" in page
