"""Reads of the ILP cycle, always through the user's scope (ARCHITECTURE.md: selectors are area-scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ilp.accounts.models import Role
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, NetworkMember, WorkingAreaVillage
from ilp.indicators.areas import Area, area_for
from ilp.indicators.registry import Kind, all_indicators, get
from ilp.indicators.selectors import latest_period, series
from ilp.planning.models import Cycle, Method, Party, PathwayStep, Problem, StepStatus, SuccessIndicator
from ilp.planning.monitoring import Progress, progress_of
from ilp.planning.scoring import hanlon_npd, hanlon_npt, pearl, ranked, usg_total

OPEN_STATUSES = (StepStatus.PLANNED, StepStatus.IN_PROGRESS, StepStatus.BLOCKED)


def task_q(user) -> Q:
    """The steps that are the user's own tasks (mirrors `planning.access.owns_step`)."""
    if not user.is_authenticated or not user.role:
        return Q(pk__in=[])
    if user.role == Role.PEMDES:
        return Q(party=Party.PEMDES, village_id=user.region_id)
    if user.role == Role.NETWORK_STAFF:
        return Q(facility_id=user.facility_id)
    if user.role in (Role.PUSTU_STAFF, Role.KADER) and user.facility_id:
        party = Party.PUSTU if user.role == Role.PUSTU_STAFF else Party.KADER
        village = user.facility.region.village_id
        return Q(facility_id=user.facility_id) | Q(facility__isnull=True, party=party, village_id=village)
    return Q(pk__in=[])


def my_tasks(*, user) -> QuerySet[PathwayStep]:
    """The user's own RTL steps, open ones first by target date."""
    return (
        PathwayStep.objects.filter(task_q(user))
        .select_related("problem__cycle__puskesmas", "village", "facility")
        .order_by("status", "due_on", "id")
    )


def success_indicator_codes(*, puskesmas: Facility, year: int) -> list[str]:
    """The success indicators of the puskesmas' SK Target Kinerja of `year`, in catalogue order."""
    chosen = set(
        SuccessIndicator.objects.filter(decree__puskesmas=puskesmas, decree__year=year).values_list(
            "indicator", flat=True
        )
    )
    return [i.code for i in all_indicators() if i.code in chosen]


def task_counts(*, user, on: dt.date | None = None) -> dict[str, int]:
    """How many RTL steps are the user's own tasks: all, still open, and open past their target date."""
    on = on or timezone.localdate()
    open_q = Q(status__in=OPEN_STATUSES)
    return PathwayStep.objects.filter(task_q(user)).aggregate(
        total=Count("id"), open=Count("id", filter=open_q), overdue=Count("id", filter=open_q & Q(due_on__lt=on))
    )


def cycle_list(*, scope: AreaScope) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(scope.facility_q("puskesmas__"))
        .select_related("puskesmas")
        .order_by("puskesmas__name", "-year", "-started_on", "-id")
    )


def _serving_puskesmas_ids(user) -> set[int]:
    """For roles bound to one desa (pemdes, pustu, kader): the puskesmas whose working area holds it."""
    village = user.region_id if user.role == Role.PEMDES else None
    if user.role in (Role.PUSTU_STAFF, Role.KADER) and user.facility_id:
        village = user.facility.region.village_id
    if village is None:
        return set()
    return set(WorkingAreaVillage.objects.filter(village_id=village).values_list("puskesmas_id", flat=True))


def cycle_get(*, scope: AreaScope, user, external_id) -> Cycle:
    """A cycle the user may read: their puskesmas' (or their kabupaten's), the one serving their desa, or one
    holding one of their tasks. `Cycle.DoesNotExist` otherwise."""
    q = scope.facility_q("puskesmas__")
    serving = _serving_puskesmas_ids(user)
    if serving:
        q |= Q(puskesmas_id__in=serving)
    q |= Q(problems__steps__in=PathwayStep.objects.filter(task_q(user)))
    return (
        Cycle.objects.filter(q).select_related("puskesmas", "puskesmas__region").distinct().get(external_id=external_id)
    )


def desa_only(user) -> int | None:
    """The desa a user reads the cycle for (pemdes, pustu, kader), None for the puskesmas and Dinkes."""
    if user.role == Role.PEMDES:
        return user.region_id
    if user.role in (Role.PUSTU_STAFF, Role.KADER) and user.facility_id:
        return user.facility.region.village_id
    return None


def cycle_steps(*, cycle: Cycle, user) -> QuerySet[PathwayStep]:
    """The RTL steps of a cycle the user reads: all of them, or those in their desa plus their own tasks."""
    qs = PathwayStep.objects.filter(problem__cycle=cycle).select_related("problem", "village", "facility")
    village = desa_only(user)
    if village is not None:
        qs = qs.filter(Q(village_id=village) | task_q(user))
    elif user.role == Role.NETWORK_STAFF:
        qs = qs.filter(task_q(user))
    return qs.order_by("problem_id", "order", "id")


def desa_steps(*, user, village_id: int) -> QuerySet[PathwayStep]:
    """The other RTL steps in the user's desa, not cancelled (read-only for them), by target date."""
    return (
        PathwayStep.objects.filter(village_id=village_id)
        .exclude(task_q(user))
        .exclude(status=StepStatus.CANCELLED)
        .select_related("problem__cycle__puskesmas__region", "village", "facility")
        .order_by("due_on", "id")
    )


def open_steps(*, cycles: list[Cycle]) -> QuerySet[PathwayStep]:
    """The open steps of these cycles, by target date."""
    return (
        PathwayStep.objects.filter(problem__cycle__in=[c.pk for c in cycles], status__in=OPEN_STATUSES)
        .select_related("problem__cycle__puskesmas__region", "village", "facility")
        .order_by("due_on", "id")
    )


def priority_problems(*, cycle: Cycle) -> QuerySet[Problem]:
    """The cycle's priority problems still worked on (a lokakarya mini decides new steps for them)."""
    return cycle.problems.filter(is_priority=True, dismissed=False).order_by("id")


@dataclass(frozen=True)
class RankedProblem:
    rank: int | None
    problem: Problem
    score: Decimal | int | None
    usg: int | None
    npd: Decimal | None
    npt: Decimal | None


def problem_scores(problem: Problem, cycle: Cycle) -> tuple[int | None, Decimal | None, Decimal | None]:
    usg = usg_total(problem.usg_u, problem.usg_s, problem.usg_g, cycle.usg_aggregation)
    npd = hanlon_npd(problem.hanlon_a, problem.hanlon_b, problem.hanlon_c)
    npt = hanlon_npt(npd, pearl(problem.pearl_p, problem.pearl_e, problem.pearl_a, problem.pearl_r, problem.pearl_l))
    return usg, npd, npt


def problems_ranked(*, cycle: Cycle, include_dismissed: bool = False) -> list[RankedProblem]:
    """The problems of a cycle ranked by the cycle's method (USG total or Hanlon NPT), unscored last."""
    qs = cycle.problems.prefetch_related("causes").order_by("id")
    if not include_dismissed:
        qs = qs.filter(dismissed=False)
    scores = {p.pk: problem_scores(p, cycle) for p in qs}
    pick = 0 if cycle.method == Method.USG else 2
    out = []
    for rank, problem, score in ranked(list(qs), lambda p: scores[p.pk][pick]):
        usg, npd, npt = scores[problem.pk]
        out.append(RankedProblem(rank, problem, score, usg, npd, npt))
    return out


@dataclass(frozen=True)
class StepProgress:
    step: PathwayStep
    area_code: str
    area_name: str
    baseline: float | None
    current: float | None
    target: float
    period: dt.date | None
    progress: Progress
    higher_is_better: bool


def step_area(step: PathwayStep, puskesmas: Facility) -> str:
    """The area whose facts measure a step: its desa, else the puskesmas working area."""
    return step.village.code if step.village_id else puskesmas.code


def monitoring_period(today: dt.date | None = None) -> dt.date | None:
    """The month monitoring reads: the latest computed month that has ended (PWS reports whole months; the
    lokakarya mini at the start of a month evaluates the month before), or None before any refresh."""
    today = today or timezone.localdate()
    latest = latest_period()
    if latest is None:
        return None
    last_ended = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return min(latest, last_ended)


def step_progress(*, steps: list[PathwayStep], puskesmas: Facility, today: dt.date | None = None) -> list[StepProgress]:
    """Baseline -> current (live from the indicator facts) -> target, and the monitoring status, per step."""
    today = today or timezone.localdate()
    period = monitoring_period(today)
    areas: dict[str, Area] = {}
    for s in steps:
        code = step_area(s, puskesmas)
        if code not in areas:
            areas[code] = area_for(code)
    codes = sorted({s.indicator for s in steps})
    current: dict[tuple[str, str], float | None] = {}
    if period is not None and codes:
        for code in codes:
            ind = get(code)
            area_list = [areas[step_area(s, puskesmas)] for s in steps if s.indicator == code]
            unique = list({a.code: a for a in area_list}.values())
            for c in series(indicators=[ind], areas=unique, periods=[period], cumulative=ind.kind == Kind.COVERAGE):
                current[(c.indicator, c.area_code)] = c.coverage_pct
    out = []
    for s in steps:
        ind = get(s.indicator)
        code = step_area(s, puskesmas)
        value = current.get((s.indicator, code))
        baseline = float(s.baseline_pct) if s.baseline_pct is not None else None
        start = s.baseline_period or s.created_at.date()
        prog = progress_of(
            baseline=baseline,
            current=value,
            target=float(s.target_pct),
            start=start,
            due=s.due_on,
            period=period,
            today=today,
            cumulative=ind.kind == Kind.COVERAGE,
            higher_is_better=ind.higher_is_better,
        )
        out.append(
            StepProgress(
                s, code, areas[code].name, baseline, value, float(s.target_pct), period, prog, ind.higher_is_better
            )
        )
    return out


def step_series(*, step: PathwayStep, puskesmas: Facility, today: dt.date | None = None) -> list[dict]:
    """The monthly values of a step's indicator in its area this year, for its monitoring chart."""
    period = monitoring_period(today)
    if period is None:
        return []
    ind = get(step.indicator)
    area = area_for(step_area(step, puskesmas))
    months = [period.replace(month=m) for m in range(1, period.month + 1)]
    cells = series(indicators=[ind], areas=[area], periods=months, cumulative=ind.kind == Kind.COVERAGE)
    return [{"period": c.period.strftime("%Y-%m"), "value": c.coverage_pct} for c in cells]


def overdue_steps(*, cycle: Cycle, on: dt.date) -> QuerySet[PathwayStep]:
    return PathwayStep.objects.filter(problem__cycle=cycle, due_on__lt=on, status__in=OPEN_STATUSES).select_related(
        "problem", "village", "facility"
    )


def indicator_value(*, indicator: str, area_code: str, period: dt.date | None) -> float | None:
    """The value a step of `indicator` in `area_code` reads in `period` (year to date for coverage)."""
    if period is None:
        return None
    ind = get(indicator)
    cells = series(
        indicators=[ind], areas=[area_for(area_code)], periods=[period], cumulative=ind.kind == Kind.COVERAGE
    )
    return cells[0].coverage_pct if cells else None


def step_counts_by_problem(*, cycle: Cycle) -> dict[int, int]:
    """Problem id -> how many RTL steps it has, in one query."""
    rows = PathwayStep.objects.filter(problem__cycle=cycle).values("problem_id").annotate(n=Count("id"))
    return {r["problem_id"]: r["n"] for r in rows}


def cycle_overview(*, cycle: Cycle, user, on: dt.date) -> dict:
    """The counts of the cycle's five-stage overview: active network members, problems (open, scored by the
    cycle's method, priority), the priority problems with their step counts, the steps the user reads by
    status, and overdue steps, lokakarya mini and evaluations."""
    scored = (
        Q(usg_u__isnull=False, usg_s__isnull=False, usg_g__isnull=False)
        if cycle.method == Method.USG
        else Q(hanlon_a__isnull=False, hanlon_b__isnull=False, hanlon_c__isnull=False)
    )
    live = Q(dismissed=False)
    problems = cycle.problems.aggregate(
        total=Count("id", filter=live),
        scored=Count("id", filter=live & scored),
        priority=Count("id", filter=Q(is_priority=True)),
    )
    by_status = cycle_steps(cycle=cycle, user=user).order_by().values("status").annotate(n=Count("id"))
    return {
        "members": NetworkMember.objects.filter(puskesmas=cycle.puskesmas, is_active=True).count(),
        "problems": problems,
        "priorities": list(priority_problems(cycle=cycle).annotate(n_steps=Count("steps"))),
        "steps": {r["status"]: r["n"] for r in by_status},
        "monitoring": {
            "overdue": overdue_steps(cycle=cycle, on=on).count(),
            "workshops": cycle.workshops.count(),
            "evaluations": cycle.evaluations.count(),
        },
    }
