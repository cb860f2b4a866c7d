"""The demo's running ILP cycle of Puskesmas Maninjau: stage 0, problems from the PWS facts, an approved
hypertension RTL with tasks for every party, risks and this month's lokakarya mini; seeded once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.core.models import AuditEntry
from ilp.demo import seed
from ilp.demo.planning import cycle_name, cycle_year, seed_planning
from ilp.facilities.models import FacilityKind, NetworkMember
from ilp.planning.models import (
    GENERATED_SOURCES,
    CauseCategory,
    Cycle,
    CycleStage,
    DecisionAction,
    Party,
    PathwayStep,
    Problem,
    ProblemSource,
    RaciActivity,
    ReadinessCheck,
    Risk,
    RootCause,
    StepEvent,
    StepStatus,
    TargetDecree,
    Workshop,
    WorkshopDecision,
)
from ilp.planning.selectors import OPEN_STATUSES, my_tasks, problems_ranked
from tests.demo.world.conftest import PERSONS, SEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo_world):
    return demo_world


@pytest.fixture
def cycle(world):
    return Cycle.objects.select_related("puskesmas").get(puskesmas__code=seed.PILOT_CODE)


@pytest.fixture
def hypertension(cycle):
    return cycle.problems.get(is_priority=True, rtl_approved_at__isnull=False)


def test_the_cycle_runs_with_problems_generated_from_the_pws_facts(cycle):
    today = timezone.localdate()
    assert cycle.name == cycle_name(cycle_year(today)) and cycle.stage == CycleStage.MONITORING
    assert cycle.started_on.month == 1 and cycle.started_on < today
    generated = list(cycle.problems.filter(source__in=GENERATED_SOURCES))
    assert len(generated) >= 5
    for problem in generated:
        own = problem.evidence["puskesmas"]
        assert isinstance(own["numerator"], int) and own["denominator"] > 0
        assert own["coverage_pct"] is not None and problem.evidence["current"] is True
    by_hand = cycle.problems.filter(source__in=[ProblemSource.MMD, ProblemSource.SMD])
    assert by_hand.filter(title__contains="keramba").exists() and by_hand.count() == 2


def test_the_priorities_are_the_top_of_the_usg_ranking_with_hypertension_first(cycle, hypertension):
    ranked = problems_ranked(cycle=cycle)
    assert ranked[0].problem == hypertension and ranked[0].score == 15
    priorities = [r for r in ranked if r.problem.is_priority]
    assert len(priorities) == 2 and {r.rank for r in priorities} == {1, 2}
    assert all(r.score is not None for r in ranked)  # every problem left in was scored
    assert hypertension.indicator in ("hypertension_served", "spm_productive")
    categories = set(RootCause.objects.filter(problem=hypertension).values_list("category", flat=True))
    assert categories == set(CauseCategory.values)


def test_the_hypertension_rtl_gives_every_party_its_task_with_a_budget_and_a_target(cycle, hypertension):
    steps = list(hypertension.steps.select_related("facility", "village"))
    assert {Party.CLUSTER_3, Party.PUSTU, Party.KADER, Party.NETWORK, Party.PEMDES} <= {s.party for s in steps}
    network = [s for s in steps if s.party == Party.NETWORK]
    assert {s.facility.kind for s in network} == {FacilityKind.KLINIK_PRATAMA, FacilityKind.LABORATORIUM}
    assert all(NetworkMember.objects.filter(puskesmas=cycle.puskesmas, member=s.facility).exists() for s in network)
    (pemdes,) = [s for s in steps if s.party == Party.PEMDES]
    assert pemdes.village.code == seed.MANINJAU and pemdes.budget_source == "dana_desa" and pemdes.budget > 0
    assert {s.budget_source for s in steps} >= {"bok", "dana_desa", "jkn", "apbd"}
    assert all(s.indicator and s.target_pct > 0 and s.due_on.year == cycle.year for s in steps)


def test_parties_record_their_own_progress_some_steps_done_one_overdue(hypertension):
    today = timezone.localdate()
    steps = hypertension.steps.all()
    assert steps.filter(status=StepStatus.DONE).count() >= 2
    assert steps.filter(status=StepStatus.IN_PROGRESS).count() >= 3
    overdue = steps.filter(due_on__lt=today, status__in=OPEN_STATUSES)
    assert overdue.count() == 1 and overdue.get().party == Party.NETWORK
    events = StepEvent.objects.filter(step__problem=hypertension).select_related("by", "step")
    assert all(e.on < today or e.note.startswith("Lokakarya") for e in events)
    assert all(e.on >= hypertension.rtl_approved_at.date() for e in events)
    by_party = {(e.step.party, e.by.username) for e in events}
    assert {
        (Party.PEMDES, "walinagari.maninjau"),
        (Party.NETWORK, "klinik.maninjau"),
        (Party.PUSTU, "pustu.bayua"),
        (Party.KADER, "kader.bayua"),
    } <= by_party
    assert events.filter(by__username="walinagari.maninjau", status=StepStatus.IN_PROGRESS).exclude(note="").exists()


def test_a_second_pathway_waits_for_approval(cycle, hypertension):
    draft = cycle.problems.get(is_priority=True, rtl_approved_at__isnull=True)
    assert draft.indicator in ("stunting", "child_gained", "child_weighed")
    assert 2 <= draft.steps.count() <= 3 and not draft.steps.exclude(status=StepStatus.PLANNED).exists()


def test_the_risk_register_and_this_months_lokakarya_mini(cycle, hypertension):
    today = timezone.localdate()
    risks = list(cycle.risks.all())
    assert 4 <= len(risks) <= 6 and all(r.mitigation for r in risks)
    assert max(r.score for r in risks) == 16
    (workshop,) = cycle.workshops.all()
    assert workshop.held_on <= today and (today - workshop.held_on).days < 40
    assert {"last_month", "pws", "overdue", "next_month"} <= set(workshop.agenda)
    assert len(workshop.agenda["overdue"]) == 1 and workshop.agenda["pws"]
    assert 10 <= len(workshop.attendees.splitlines()) <= 15 and workshop.notes
    decisions = {d.action: d for d in workshop.decisions.select_related("step")}
    assert set(decisions) == {DecisionAction.NOTE, DecisionAction.NEW_STEP, DecisionAction.STEP_UPDATE}
    new = decisions[DecisionAction.NEW_STEP].step
    assert new.problem == hypertension and new.from_decision == decisions[DecisionAction.NEW_STEP]
    changed = decisions[DecisionAction.STEP_UPDATE].step
    assert changed.events.filter(on=workshop.held_on, note__icontains="lokakarya mini").exists()


def test_stage_0_readiness_targets_and_roles(cycle):
    checks = {c.item: c for c in ReadinessCheck.objects.filter(puskesmas=cycle.puskesmas)}
    assert checks["satusehat"].done and checks["cluster_sk"].evidence.startswith("SK Kepala Puskesmas No. 445/")
    assert sum(c.done for c in checks.values()) >= 6 and not all(c.done for c in checks.values())
    decree = TargetDecree.objects.get(puskesmas=cycle.puskesmas, year=cycle.year)
    assert decree.signed_on.month in (1, 2) and 8 <= decree.indicators.count() <= 10
    rows = list(RaciActivity.objects.filter(puskesmas=cycle.puskesmas))
    assert len(rows) >= 6 and all(list(r.cells.values()).count("A") == 1 for r in rows)


def _counts() -> tuple[int, ...]:
    models = (Cycle, Problem, RootCause, PathwayStep, StepEvent, Risk, Workshop, WorkshopDecision, AuditEntry)
    return tuple(m.objects.count() for m in (*models, ReadinessCheck, TargetDecree, RaciActivity, User))


def test_seeding_the_cycle_again_changes_nothing(world):
    before = _counts()
    again = seed_planning(seed=SEED, today=timezone.localdate())
    assert again.created is False and again.steps == world.planning.steps
    assert _counts() == before


def test_the_klinik_and_the_wali_nagari_see_their_own_tasks(hypertension):
    klinik = User.objects.get(username="klinik.maninjau")
    assert klinik.role == Role.NETWORK_STAFF and klinik.facility.kind == FacilityKind.KLINIK_PRATAMA
    assert {s.facility_id for s in my_tasks(user=klinik)} == {klinik.facility_id}
    assert my_tasks(user=klinik).filter(problem=hypertension).exists()
    wali = my_tasks(user=User.objects.get(username="walinagari.maninjau"))
    assert wali.exists() and {(s.party, s.village.code) for s in wali} == {(Party.PEMDES, seed.MANINJAU)}


def test_the_demo_command_prints_the_cycle_and_the_klinik_login(world, capsys):
    call_command("demo", "--no-progress", "--persons", str(PERSONS), "--seed", str(SEED))
    out = capsys.readouterr().out
    assert world.planning.cycle in out and "klinik.maninjau" in out
