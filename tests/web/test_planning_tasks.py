"""Tugas saya and a step's page: each party sees its own RTL tasks and records their progress with evidence."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ilp.core.models import AuditAction, AuditEntry
from ilp.planning.models import StepEvent, StepStatus
from ilp.planning.services import ERR_EVIDENCE_TYPE
from tests.web.planning_monitor_world import NETWORK_USER, PNG, TODAY, build_world, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world(users)


@pytest.fixture
def as_user(client):
    return lambda username: login(client, username)


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<(section|details)[^>]*id="{section_id}"(.*?)</\1>', page, flags=re.S)
    assert found, f"no section {section_id}"
    return found[2]


def _step_url(step) -> str:
    return reverse("web:planning_step", args=[step.external_id])


def _mark_done(client, step, **extra):
    data = {"status": StepStatus.DONE, "on": TODAY.isoformat(), "note": "Sosialisasi di kantor wali nagari", **extra}
    return client.post(_step_url(step), data)


def test_the_pemdes_sees_his_task_and_the_steps_in_his_desa(world, as_user):
    # Given the cycle with a step for the pemdes of Maninjau, one for the pustu there and one in Bayua
    # When the pemdes opens his tasks
    page = as_user("walinagari.maninjau").get(reverse("web:planning_tasks")).content.decode()

    # Then his own step is a task that opens in one tap, the pustu's is read-only under his desa, Bayua's is absent
    mine = _section(page, "tasks-open")
    assert world.pemdes_step.title in mine
    assert f'href="{_step_url(world.pemdes_step)}"' in mine
    assert world.pustu_step.title not in mine
    assert world.pustu_step.title in _section(page, "tasks-desa")
    assert world.bayua_step.title not in page
    assert world.network_step.title not in page


def test_the_pemdes_marks_his_task_done_with_a_photo(world, as_user):
    # Given the pemdes on his step's page with the progress form
    client = as_user("walinagari.maninjau")
    page = client.get(_step_url(world.pemdes_step)).content.decode()
    assert 'id="progress-form"' in page
    assert 'value="cancelled"' not in page  # cancelling is the puskesmas team's decision

    # When he marks it done with a note and a photo
    photo = SimpleUploadedFile("foto-sosialisasi.png", PNG, content_type="image/png")
    response = _mark_done(client, world.pemdes_step, issue="Hujan, peserta sedikit", evidence=photo)

    # Then the step is done, and its page shows the status and the event with its evidence link
    assert response.status_code == 302
    world.pemdes_step.refresh_from_db()
    assert world.pemdes_step.status == StepStatus.DONE
    event = StepEvent.objects.get(step=world.pemdes_step)
    assert event.evidence.name.endswith(".png")
    page = client.get(_step_url(world.pemdes_step)).content.decode()
    assert re.search(r'id="step-status">Done<', page)
    log = page.split('id="step-log"')[1]
    assert "Sosialisasi di kantor wali nagari" in log and "Hujan, peserta sedikit" in log
    evidence_url = reverse("web:planning_evidence", args=[event.pk])
    assert f'href="{evidence_url}"' in log

    # And the evidence downloads for him (audited as an export), not for a kader of another desa
    download = client.get(evidence_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="planning.stepevent").exists()
    assert as_user("kader.bayua").get(evidence_url).status_code == 404
    assert as_user("kader.bayua").get(_step_url(world.pemdes_step)).status_code == 404


def test_the_done_task_moves_down_and_the_planner_sees_it_too(world, as_user):
    # Given the pemdes marked his task done
    assert _mark_done(as_user("walinagari.maninjau"), world.pemdes_step).status_code == 302

    # When he opens his tasks again, and the head of the puskesmas opens the step
    page = as_user("walinagari.maninjau").get(reverse("web:planning_tasks")).content.decode()
    step_page = as_user("kapus.maninjau").get(_step_url(world.pemdes_step)).content.decode()

    # Then it is under "Done", and the planner reads the same log with the edit link of the RTL pages
    assert world.pemdes_step.title in _section(page, "tasks-done")
    assert world.pemdes_step.title not in _section(page, "tasks-open")
    assert "Sosialisasi di kantor wali nagari" in step_page
    assert 'value="cancelled"' in step_page


def test_the_pemdes_cannot_update_a_step_that_is_not_his(world, as_user):
    client = as_user("walinagari.maninjau")

    # When he posts progress for the pustu's step in his desa (which he reads) and for a step in Bayua
    in_his_desa = _mark_done(client, world.pustu_step)
    other_desa = _mark_done(client, world.bayua_step)

    # Then the first is refused, the second is not even there for him, and nothing changed
    assert in_his_desa.status_code == 403
    assert other_desa.status_code == 404
    assert client.get(_step_url(world.pustu_step)).status_code == 200
    assert 'id="progress-form"' not in client.get(_step_url(world.pustu_step)).content.decode()
    assert not StepEvent.objects.filter(step__in=[world.pustu_step, world.bayua_step]).exists()


def test_evidence_of_another_type_is_refused_on_the_field(world, as_user):
    # When the pemdes attaches a program instead of a photo
    bad = SimpleUploadedFile("bukti.exe", b"MZ...", content_type="application/octet-stream")
    response = _mark_done(as_user("walinagari.maninjau"), world.pemdes_step, evidence=bad)

    # Then the form comes back with the message on the evidence field and nothing is recorded
    assert response.status_code == 400
    assert str(ERR_EVIDENCE_TYPE) in response.content.decode()
    assert not StepEvent.objects.filter(step=world.pemdes_step).exists()


def test_a_date_in_the_future_is_refused(world, as_user):
    tomorrow = TODAY.fromordinal(TODAY.toordinal() + 1)
    response = _mark_done(as_user("walinagari.maninjau"), world.pemdes_step, on=tomorrow.isoformat())
    assert response.status_code == 400
    assert not StepEvent.objects.filter(step=world.pemdes_step).exists()


def test_the_network_user_sees_only_the_steps_of_his_facility(world, as_user):
    # Given a user of Klinik Pratama Danau Maninjau
    client = as_user(NETWORK_USER)

    # When he opens his tasks, the monitoring, and a step of the pemdes
    tasks = client.get(reverse("web:planning_tasks")).content.decode()
    monitoring = client.get(reverse("web:planning_monitoring", args=[world.cycle.external_id])).content.decode()

    # Then only the klinik's step is there, and he may record its progress
    assert world.network_step.title in _section(tasks, "tasks-open")
    for other in (world.pemdes_step, world.pustu_step, world.overdue_step):
        assert other.title not in tasks
        assert other.title not in monitoring
    assert world.network_step.title in monitoring
    assert client.get(_step_url(world.pemdes_step)).status_code == 404
    assert _mark_done(client, world.network_step).status_code == 302


def test_the_planners_see_the_open_steps_of_their_cycles(world, as_user, django_assert_max_num_queries):
    # When the head of the puskesmas opens "my tasks"
    client = as_user("kapus.maninjau")
    with django_assert_max_num_queries(30):
        page = client.get(reverse("web:planning_tasks")).content.decode()

    # Then the cycle is there with its open steps, the overdue one marked, and links to its pages
    block = _section(page, f"cycle-{world.cycle.external_id}")
    for step in (world.pemdes_step, world.pustu_step, world.bayua_step, world.network_step, world.overdue_step):
        assert step.title in block
    overdue = re.search(rf'<li class="pm-task is-overdue" id="task-{world.overdue_step.external_id}"', block)
    assert overdue
    assert reverse("web:planning_monitoring", args=[world.cycle.external_id]) in block


def test_the_tasks_page_does_not_grow_in_queries_with_the_tasks(world, as_user, django_assert_max_num_queries):
    # Given the pemdes with one task; then four more tasks in his desa
    from ilp.planning.services import step_save

    client = as_user("walinagari.maninjau")
    url = reverse("web:planning_tasks")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(4):
        step_save(
            actor=world.kapus, problem=world.problem, phase="promotive", title=f"Tugas tambahan {n}", party="pemdes",
            village=world.pemdes_step.village, person_in_charge="Wali", indicator="anc_k1", target_pct=80,
            due_on=world.pemdes_step.due_on,
        )  # fmt: skip

    # Then the page makes as many queries with five tasks as with one
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('class="pm-task"') + page.count('class="pm-task is-overdue"') >= 5


def test_anonymous_users_go_to_the_login(world, client):
    response = client.get(reverse("web:planning_tasks"))
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]
