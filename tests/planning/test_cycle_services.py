"""The cycle services: who may do what, idempotent problem generation, RTL validation, progress by the
step's own party, lokakarya mini decisions flowing back into the RTL, and the evaluation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilp.accounts.models import Role
from ilp.accounts.services import user_create
from ilp.core.models import AuditEntry
from ilp.facilities.models import NetworkMember
from ilp.indicators.models import IndicatorValue
from ilp.planning import services as svc
from ilp.planning.models import DecisionAction, Party, PathwayPhase, ProblemSource, StepStatus, WorkshopKind
from ilp.planning.selectors import cycle_steps, my_tasks, problems_ranked
from ilp.regions.models import Region
from tests.planning.conftest import BAYUA, MANINJAU

OCT = dt.date(2026, 10, 1)


@pytest.fixture
def cycle(users, pilot):
    return svc.cycle_start(
        actor=users["kapus.maninjau"],
        puskesmas=pilot,
        name="Siklus ILP 2026",
        year=2026,
        started_on=dt.date(2026, 1, 6),
        method="usg",
    )


@pytest.fixture
def priority(users, cycle):
    problem = svc.problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="Hipertensi tidak terkendali")
    return svc.problem_update(actor=users["kapus.maninjau"], problem=problem, is_priority=True)


def _step(users, problem, **kw):
    fields = {
        "phase": PathwayPhase.PROMOTIVE,
        "title": "Senam lansia tiap Jumat",
        "party": Party.PEMDES,
        "village": Region.objects.get(code=MANINJAU),
        "person_in_charge": "Wali Nagari Maninjau",
        "indicator": "hypertension_served",
        "target_pct": 80,
        "due_on": dt.date(2026, 12, 31),
        "baseline_pct": 40,
    }
    return svc.step_save(actor=users["kapus.maninjau"], problem=problem, **{**fields, **kw})


def test_only_planners_start_a_cycle(users, pilot):
    for name in ("walinagari.maninjau", "kader.bayua", "pustu.bayua", "klaster2.maninjau", "camat.tanjungraya"):
        with pytest.raises(PermissionDenied):
            svc.cycle_start(
                actor=users[name], puskesmas=pilot, name="x", year=2026, started_on=dt.date(2026, 1, 1), method="usg"
            )
    assert svc.cycle_start(
        actor=users["dinkes.agam"], puskesmas=pilot, name="x", year=2026, started_on=dt.date(2026, 1, 1), method="usg"
    )


def test_generation_is_idempotent_and_keeps_scores(users, cycle, put_fact):
    put_fact("hypertension_served", MANINJAU, "2026-10", 5, 100, 30, 100)
    kapus = users["kapus.maninjau"]
    assert svc.problems_generate(actor=kapus, cycle=cycle, period=OCT) == {"created": 1, "updated": 0, "stale": 0}
    problem = cycle.problems.get()
    svc.problem_update(actor=kapus, problem=problem, usg_u=5, usg_s=5, usg_g=4, is_priority=True)
    assert svc.problems_generate(actor=kapus, cycle=cycle, period=OCT) == {"created": 0, "updated": 1, "stale": 0}
    problem.refresh_from_db()
    assert (problem.usg_u, problem.is_priority, problem.source) == (5, True, ProblemSource.BELOW_TARGET)
    assert problem.evidence["puskesmas"]["coverage_pct"] == 30.0


def test_a_problem_the_data_no_longer_shows_is_kept_but_marked(users, cycle, put_fact):
    put_fact("hypertension_served", MANINJAU, "2026-10", 5, 100, 30, 100)
    kapus = users["kapus.maninjau"]
    svc.problems_generate(actor=kapus, cycle=cycle, period=OCT)
    # Recorded late: 90 of the 100 were screened after all.
    IndicatorValue.objects.filter(indicator="hypertension_served").update(numerator_ytd=90)
    assert svc.problems_generate(actor=kapus, cycle=cycle, period=OCT)["stale"] == 1
    assert cycle.problems.get().evidence["current"] is False


def test_ranking_follows_the_cycle_method(users, cycle):
    kapus = users["kapus.maninjau"]
    a = svc.problem_add(actor=kapus, cycle=cycle, title="A")
    b = svc.problem_add(actor=kapus, cycle=cycle, title="B")
    svc.problem_update(actor=kapus, problem=a, usg_u=3, usg_s=3, usg_g=3, hanlon_a=9, hanlon_b=9, hanlon_c=9)
    svc.problem_update(actor=kapus, problem=b, usg_u=5, usg_s=5, usg_g=5, hanlon_a=2, hanlon_b=2, hanlon_c=2)
    assert [r.problem.title for r in problems_ranked(cycle=cycle)] == ["B", "A"]
    svc.cycle_update(actor=kapus, cycle=cycle, method="hanlon")
    ranked = problems_ranked(cycle=cycle)
    assert [(r.rank, r.problem.title, r.npt) for r in ranked] == [(1, "A", 162), (2, "B", 8)]
    svc.problem_update(actor=kapus, problem=a, pearl_l=False)
    assert [r.problem.title for r in problems_ranked(cycle=cycle)] == ["B", "A"]


def test_usg_scores_outside_1_to_5_are_refused(users, cycle):
    problem = svc.problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="A")
    with pytest.raises(ValidationError) as err:
        svc.problem_update(actor=users["kapus.maninjau"], problem=problem, usg_u=6)
    assert "usg_u" in err.value.message_dict


def test_only_a_priority_problem_gets_steps(users, cycle):
    problem = svc.problem_add(actor=users["kapus.maninjau"], cycle=cycle, title="A")
    with pytest.raises(ValidationError) as err:
        _step(users, problem)
    assert err.value.message_dict["problem"] == [str(svc.ERR_NOT_PRIORITY)]


def test_a_pemdes_step_needs_a_desa_of_the_working_area(users, priority):
    with pytest.raises(ValidationError) as err:
        _step(users, priority, village=None)
    assert err.value.message_dict["village"] == [str(svc.ERR_PEMDES_NEEDS_DESA)]
    outside = Region.objects.get(code="13.06.01.2001")
    with pytest.raises(ValidationError) as err:
        _step(users, priority, village=outside)
    assert "village" in err.value.message_dict


def test_a_network_step_needs_a_member_of_this_network(users, priority, pilot):
    member = NetworkMember.objects.filter(puskesmas=pilot, is_active=True).select_related("member").first()
    step = _step(users, priority, party=Party.NETWORK, village=None, facility=member.member)
    assert step.facility == member.member
    member.is_active = False
    member.save()
    with pytest.raises(ValidationError) as err:
        _step(users, priority, party=Party.NETWORK, village=None, facility=member.member)
    assert "facility" in err.value.message_dict


def test_an_unknown_indicator_is_refused(users, priority):
    with pytest.raises(ValidationError) as err:
        _step(users, priority, indicator="nope")
    assert "indicator" in err.value.message_dict


def test_the_baseline_is_read_from_the_facts_when_not_given(users, priority, put_fact):
    put_fact("hypertension_served", MANINJAU, "2026-10", 5, 100, 42, 100)
    step = _step(users, priority, baseline_pct=None)
    assert float(step.baseline_pct) == 42.0
    assert step.baseline_period == OCT


def test_the_pemdes_marks_his_own_step_done_and_nobody_elses(users, priority):
    mine = _step(users, priority)
    other = _step(users, priority, village=Region.objects.get(code=BAYUA))
    pemdes = users["walinagari.maninjau"]
    assert list(my_tasks(user=pemdes)) == [mine]
    event = svc.step_progress_record(
        actor=pemdes, step=mine, status=StepStatus.DONE, on=dt.date(2026, 11, 1), note="ok"
    )
    mine.refresh_from_db()
    assert mine.status == StepStatus.DONE and event.by == pemdes
    with pytest.raises(PermissionDenied):
        svc.step_progress_record(actor=pemdes, step=other, status=StepStatus.DONE, on=dt.date(2026, 11, 1))
    with pytest.raises(PermissionDenied):
        _step({"kapus.maninjau": pemdes}, priority)
    assert AuditEntry.objects.filter(object_id=str(mine.external_id), actor=pemdes).exists()


def test_the_pemdes_reads_only_the_steps_of_his_desa(users, priority):
    mine = _step(users, priority)
    _step(users, priority, village=Region.objects.get(code=BAYUA), party=Party.PUSTU)
    assert list(cycle_steps(cycle=priority.cycle, user=users["walinagari.maninjau"])) == [mine]
    assert len(cycle_steps(cycle=priority.cycle, user=users["kapus.maninjau"])) == 2


def test_a_network_facility_sees_and_updates_its_own_steps(users, priority, pilot):
    member = NetworkMember.objects.filter(puskesmas=pilot, is_active=True).select_related("member").first()
    step = _step(users, priority, party=Party.NETWORK, village=None, facility=member.member)
    _step(users, priority)
    staff = user_create(
        username="klinik.test", password="x", role=Role.NETWORK_STAFF, facility=member.member, validate=False
    )
    assert list(my_tasks(user=staff)) == [step]
    svc.step_progress_record(actor=staff, step=step, status=StepStatus.IN_PROGRESS, on=dt.date(2026, 11, 2))


def test_evidence_must_be_a_pdf_or_an_image(users, priority):
    from django.core.files.uploadedfile import SimpleUploadedFile

    step = _step(users, priority)
    with pytest.raises(ValidationError) as err:
        svc.step_progress_record(
            actor=users["walinagari.maninjau"],
            step=step,
            status=StepStatus.DONE,
            on=dt.date(2026, 11, 1),
            evidence=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert err.value.message_dict["evidence"] == [str(svc.ERR_EVIDENCE_TYPE)]


def test_progress_cannot_be_dated_in_the_future(users, priority):
    step = _step(users, priority)
    with pytest.raises(ValidationError):
        svc.step_progress_record(
            actor=users["walinagari.maninjau"], step=step, status=StepStatus.DONE, on=dt.date(2999, 1, 1)
        )


def test_approval_needs_steps_and_a_planner(users, priority):
    with pytest.raises(ValidationError):
        svc.rtl_approve(actor=users["kapus.maninjau"], problem=priority)
    _step(users, priority)
    with pytest.raises(PermissionDenied):
        svc.rtl_approve(actor=users["klaster2.maninjau"], problem=priority)
    approved = svc.rtl_approve(actor=users["kapus.maninjau"], problem=priority)
    assert approved.rtl_approved_by == users["kapus.maninjau"]


def test_lokmin_decisions_flow_back_into_the_rtl(users, priority):
    kapus = users["kapus.maninjau"]
    step = _step(users, priority)
    workshop = svc.workshop_create(
        actor=kapus, cycle=priority.cycle, kind=WorkshopKind.MONTHLY, held_on=dt.date(2026, 11, 3)
    )
    new = svc.decision_add(
        actor=kapus,
        workshop=workshop,
        text="Tambah posbindu malam untuk laki-laki",
        action=DecisionAction.NEW_STEP,
        problem=priority,
        step_fields={
            "phase": PathwayPhase.SCREENING,
            "title": "Posbindu malam",
            "party": Party.CLUSTER_3,
            "person_in_charge": "PJ Klaster 3",
            "indicator": "spm_productive",
            "target_pct": 70,
            "due_on": dt.date(2026, 12, 31),
            "baseline_pct": 20,
        },
    )
    assert new.step.from_decision == new and new.step.problem == priority
    changed = svc.decision_add(
        actor=kapus,
        workshop=workshop,
        text="Mundur ke akhir Januari",
        action=DecisionAction.STEP_UPDATE,
        step=step,
        step_fields={"due_on": dt.date(2027, 1, 31)},
    )
    step.refresh_from_db()
    assert step.due_on == dt.date(2027, 1, 31) and changed.step == step
    assert step.events.get().note.endswith("Mundur ke akhir Januari")


def test_the_dinkes_evaluates_and_ends_a_network_arrangement(users, priority, pilot):
    member = NetworkMember.objects.filter(puskesmas=pilot, is_active=True).first()
    with pytest.raises(PermissionDenied):
        svc.evaluation_record(
            actor=users["kapus.maninjau"], cycle=priority.cycle, months=6, evaluated_on=dt.date(2026, 7, 1)
        )
    evaluation = svc.evaluation_record(
        actor=users["dinkes.agam"],
        cycle=priority.cycle,
        months=6,
        evaluated_on=dt.date(2026, 7, 1),
        decisions={member.pk: ("end", "tidak melapor")},
    )
    member.refresh_from_db()
    assert member.is_active is False
    assert evaluation.decisions.get().decision == "end"
    assert any(m["member_id"] == member.pk for m in evaluation.findings["members"])


def test_generation_can_read_only_the_success_indicators_of_the_sk(users, cycle, put_fact, pilot):
    from ilp.planning.services.setup import target_decree_set

    put_fact("hypertension_served", MANINJAU, "2026-10", 5, 100, 30, 100)
    put_fact("spm_elderly", MANINJAU, "2026-10", 5, 100, 30, 100)
    kapus = users["kapus.maninjau"]
    # without a decree of the cycle's year there is nothing to restrict to
    with pytest.raises(ValidationError) as err:
        svc.problems_generate(actor=kapus, cycle=cycle, period=OCT, success_only=True)
    assert "success_only" in err.value.message_dict
    target_decree_set(
        actor=kapus, puskesmas=pilot, year=2026, number="1", signed_on=dt.date(2026, 2, 20),
        indicators={"hypertension_served": 90},
    )  # fmt: skip
    assert svc.problems_generate(actor=kapus, cycle=cycle, period=OCT, success_only=True)["created"] == 1
    assert list(cycle.problems.values_list("indicator", flat=True)) == ["hypertension_served"]
    # the whole catalogue adds the others, and a restricted run does not mark them stale
    assert svc.problems_generate(actor=kapus, cycle=cycle, period=OCT)["created"] == 1
    assert svc.problems_generate(actor=kapus, cycle=cycle, period=OCT, success_only=True)["stale"] == 0
