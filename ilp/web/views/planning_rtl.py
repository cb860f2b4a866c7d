"""Stage 3 of the ILP cycle: the RTL of a priority problem as a care pathway, from promotive to palliative
(Juknis ILP `06-integrasi-fasker/index.mdx`): each step with who does it (cluster, pustu, posyandu/kader,
network facility, pemdes …), where, its indicator from baseline to target by a date, the person in charge
and the budget with its source; approved by the kepala puskesmas."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.facilities.selectors import service_places
from ilp.indicators.registry import get
from ilp.planning.models import PathwayPhase, PathwayStep, Problem
from ilp.planning.selectors import cycle_steps
from ilp.planning.services import ERR_NOT_PRIORITY, problem_update, rtl_approve, step_delete, step_save
from ilp.web.forms_planning import StepForm, step_place_choices
from ilp.web.views.planning_cycle_common import cycle_links, error_text, problem_or_404, require, rights, step_or_404

ACTION_ADD = "add"
ACTION_APPROVE = "approve"
ACTION_PRIORITY = "priority"
ACTION_SAVE = "save"
ACTION_DELETE = "delete"


def _step_form(request, problem: Problem, data=None, step: PathwayStep | None = None) -> StepForm:
    places = service_places(scope=request.scope, puskesmas=problem.cycle.puskesmas)
    return StepForm(
        data,
        initial=StepForm.initial_for(problem, step),
        facilities=step_place_choices(places),
        villages=sorted(((v.pk, v.name) for v in places.villages), key=lambda v: v[1]),
    )


@dataclass
class StepView:
    step: PathwayStep
    indicator_name: str


def _indicator_name(code: str) -> str:
    try:
        return str(get(code).name)
    except KeyError:
        return code


def _phases(steps: list[PathwayStep]) -> list[tuple[str, str, list[StepView]]]:
    views = [StepView(s, _indicator_name(s.indicator)) for s in steps]
    return [(p.value, p.label, [v for v in views if v.step.phase == p]) for p in PathwayPhase]


def _save_step(request, problem: Problem, form: StepForm, step: PathwayStep | None = None) -> PathwayStep | None:
    if not form.is_valid():
        return None
    try:
        return step_save(actor=request.user, problem=problem, step=step, **form.service_fields())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def rtl_view(request, external_id):
    """The RTL pathway of a problem. POST `action`: add (a step), approve (the RTL), priority (make the
    problem a priority so it gets an RTL)."""
    problem = problem_or_404(request, external_id)
    cycle = problem.cycle
    may = rights(request.user, cycle.puskesmas)
    action = request.POST.get("action") if request.method == "POST" else None
    form = None
    if may.may_edit_rtl and problem.is_priority:
        form = _step_form(request, problem, request.POST if action == ACTION_ADD else None)
    approve_error = ""
    if action == ACTION_ADD:
        require(may.may_edit_rtl)
        if form is None:
            form = _step_form(request, problem, request.POST)
        step = _save_step(request, problem, form)
        if step is not None:
            messages.success(request, _("Step added: %(title)s") % {"title": step.title})
            return redirect("web:planning_rtl", problem.external_id)
    elif action == ACTION_APPROVE:
        require(may.may_approve)
        try:
            rtl_approve(actor=request.user, problem=problem)
        except ValidationError as exc:
            approve_error = error_text(exc)
        else:
            messages.success(request, _("RTL approved."))
            return redirect("web:planning_rtl", problem.external_id)
    elif action == ACTION_PRIORITY:
        require(may.may_plan)
        problem_update(actor=request.user, problem=problem, is_priority=True)
        return redirect("web:planning_rtl", problem.external_id)
    steps = list(cycle_steps(cycle=cycle, user=request.user).filter(problem=problem))
    approved_at = problem.rtl_approved_at
    changed = bool(approved_at) and any(s.updated_at > approved_at for s in steps)
    context = {
        "cycle": cycle,
        "problem": problem,
        "may": may,
        "links": cycle_links(cycle),
        "phases": _phases(steps),
        "step_count": len(steps),
        "budget_total": sum(s.budget or 0 for s in steps),
        "form": form,
        "not_priority": "" if problem.is_priority else str(ERR_NOT_PRIORITY),
        "approve_error": approve_error,
        "changed_since_approval": changed,
        "show_approve": may.may_approve and bool(steps) and (approved_at is None or changed),
    }
    failed = bool(approve_error or (form is not None and form.errors))
    return render(request, "web/planning/cycle/rtl.html", context, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, external_id):
    """Change or delete a step of an RTL pathway."""
    step = step_or_404(request, external_id)
    problem = step.problem
    may = rights(request.user, problem.cycle.puskesmas)
    require(may.may_edit_rtl)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == ACTION_DELETE:
        step_delete(actor=request.user, step=step)
        messages.success(request, _("Step deleted: %(title)s") % {"title": step.title})
        return redirect("web:planning_rtl", problem.external_id)
    form = _step_form(request, problem, request.POST if action == ACTION_SAVE else None, step)
    if action == ACTION_SAVE and _save_step(request, problem, form, step) is not None:
        messages.success(request, _("Step saved: %(title)s") % {"title": step.title})
        return redirect("web:planning_rtl", problem.external_id)
    context = {
        "cycle": problem.cycle,
        "problem": problem,
        "step": step,
        "form": form,
        "links": cycle_links(problem.cycle),
    }
    return render(request, "web/planning/cycle/step_edit.html", context, status=400 if form.errors else 200)
