"""Helpers shared by the pages of the ILP cycle (the cycle, its problems, the RTL): lookups through the
user's visibility (404 outside it), the user's rights, and links to pages that may not exist yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from ilp.facilities.models import Facility
from ilp.planning import access
from ilp.planning.models import Cycle, PathwayStep, Problem
from ilp.planning.selectors import cycle_get
from ilp.web.views.common import get_or_404


@dataclass(frozen=True)
class Rights:
    may_plan: bool
    may_edit_rtl: bool
    may_approve: bool


def rights(user, puskesmas: Facility) -> Rights:
    return Rights(
        may_plan=access.may_plan(user, puskesmas),
        may_edit_rtl=access.may_edit_rtl(user, puskesmas),
        may_approve=access.may_approve(user, puskesmas),
    )


def require(allowed: bool) -> None:
    """403 before a write the user may not make (the services refuse it too)."""
    if not allowed:
        raise PermissionDenied


def cycle_or_404(request, external_id) -> Cycle:
    return get_or_404(cycle_get, scope=request.scope, user=request.user, external_id=external_id)


def problem_or_404(request, external_id) -> Problem:
    """A problem of a cycle the user reads (its cycle loaded with the puskesmas)."""
    problem = Problem.objects.select_related("cycle", "rtl_approved_by").filter(external_id=external_id).first()
    if problem is None:
        raise Http404
    problem.cycle = cycle_or_404(request, problem.cycle.external_id)
    return problem


def step_or_404(request, external_id) -> PathwayStep:
    step = PathwayStep.objects.select_related("problem", "facility", "village").filter(external_id=external_id).first()
    if step is None:
        raise Http404
    step.problem = problem_or_404(request, step.problem.external_id)
    return step


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def cycle_links(cycle: Cycle) -> dict[str, str]:
    """Links of the cycle's pages; "" for those not built yet."""
    eid = cycle.external_id
    return {
        "puskesmas": reverse("web:planning_puskesmas", args=[cycle.puskesmas.code]),
        "network": reverse("web:planning_network", args=[cycle.puskesmas.code]),
        "problems": reverse("web:planning_problems", args=[eid]),
        "cycle": reverse("web:planning_cycle", args=[eid]),
        "monitoring": reverse("web:planning_monitoring", args=[eid]),
        "workshops": reverse("web:planning_workshops", args=[eid]),
        "evaluation": reverse("web:planning_evaluation", args=[eid]),
        "tasks": reverse("web:planning_tasks"),
        "home": reverse("web:planning_home"),
    }
