"""The ILP improvement cycle of a puskesmas: start one, and its overview — the Juknis' five steps (functional
network, priority problems, RTL, implementation, monitoring and evaluation) as a stepper with counts and the
next thing to do (Juknis ILP `06-integrasi-fasker/index.mdx`; ILP.md §1.7)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.planning.models import CycleStage, StepStatus
from ilp.planning.selectors import cycle_list, cycle_overview
from ilp.planning.services import cycle_start, cycle_update
from ilp.web.forms_planning import CycleForm, CycleSettingsForm
from ilp.web.views.planning_cycle_common import cycle_links, cycle_or_404, require, rights
from ilp.web.views.planning_setup import get_puskesmas

STAGES = (
    CycleStage.NETWORK,
    CycleStage.PROBLEMS,
    CycleStage.RTL,
    CycleStage.IMPLEMENTATION,
    CycleStage.MONITORING,
)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request, code):
    """Start a cycle of the puskesmas `code` (its kepala or the Dinkes)."""
    puskesmas = get_puskesmas(request, code)
    require(rights(request.user, puskesmas).may_plan)
    form = CycleForm(request.POST or None, initial=CycleForm.initial_for(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_start(actor=request.user, puskesmas=puskesmas, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Cycle %(name)s started.") % {"name": cycle.name})
            return redirect("web:planning_cycle", cycle.external_id)
    others = cycle_list(scope=request.scope).filter(puskesmas=puskesmas)
    context = {"puskesmas": puskesmas, "form": form, "others": others}
    return render(request, "web/planning/cycle/new.html", context, status=400 if form.errors else 200)


@dataclass
class StageCard:
    key: str
    label: str
    state: str  # done, current, todo
    facts: list[str]
    links: list[tuple[str, str]]


@dataclass
class NextAction:
    text: str
    url: str


def _next_action(cycle, links, members: int, problems: dict, priorities: list) -> NextAction | None:
    if cycle.stage == CycleStage.CLOSED:
        return None
    if cycle.stage == CycleStage.NETWORK and not members and links["network"]:
        return NextAction(_("Form the functional network and record its agreements."), links["network"])
    if not problems["total"]:
        return NextAction(_("Generate the candidate problems from the PWS data."), links["problems"])
    if not problems["scored"]:
        return NextAction(_("Score the problems to rank them."), links["problems"])
    if not priorities:
        return NextAction(_("Mark the priority problems."), links["problems"])
    for p in priorities:
        if not p.n_steps:
            url = reverse("web:planning_rtl", args=[p.external_id])
            return NextAction(_("Build the RTL pathway of “%(title)s”.") % {"title": p.title}, url)
    for p in priorities:
        if p.rtl_approved_at is None:
            url = reverse("web:planning_rtl", args=[p.external_id])
            return NextAction(_("Approve the RTL of “%(title)s”.") % {"title": p.title}, url)
    url = links["monitoring"] or links["workshops"]
    return NextAction(_("Record the progress of the steps and review it in the lokakarya mini."), url)


def _stage_cards(cycle, links, members, problems, priorities, steps, monitoring) -> list[StageCard]:
    current = STAGES.index(cycle.stage) if cycle.stage in STAGES else len(STAGES)
    approved = sum(1 for p in priorities if p.rtl_approved_at)
    total_steps = sum(steps.values())
    facts = {
        CycleStage.NETWORK: [_("Active network members: %(n)d") % {"n": members}],
        CycleStage.PROBLEMS: [
            _("Problems: %(n)d") % {"n": problems["total"]},
            _("Scored: %(n)d") % {"n": problems["scored"]},
            _("Priority: %(n)d") % {"n": problems["priority"]},
        ],
        CycleStage.RTL: [
            _("RTL steps: %(n)d") % {"n": total_steps},
            _("RTL approved: %(n)d of %(total)d") % {"n": approved, "total": len(priorities)},
        ],
        CycleStage.IMPLEMENTATION: [
            _("In progress: %(n)d") % {"n": steps.get(StepStatus.IN_PROGRESS, 0)},
            _("Done: %(n)d") % {"n": steps.get(StepStatus.DONE, 0)},
            _("Blocked: %(n)d") % {"n": steps.get(StepStatus.BLOCKED, 0)},
        ],
        CycleStage.MONITORING: [
            _("Overdue steps: %(n)d") % {"n": monitoring["overdue"]},
            _("Lokakarya mini: %(n)d") % {"n": monitoring["workshops"]},
            _("Evaluations: %(n)d") % {"n": monitoring["evaluations"]},
        ],
    }
    stage_links = {
        CycleStage.NETWORK: [(_("Functional network"), links["network"])],
        CycleStage.PROBLEMS: [(_("Problems and ranking"), links["problems"])],
        CycleStage.RTL: [(p.title, reverse("web:planning_rtl", args=[p.external_id])) for p in priorities],
        CycleStage.IMPLEMENTATION: [(_("Tasks"), links["tasks"]), (_("Monitoring"), links["monitoring"])],
        CycleStage.MONITORING: [
            (_("Monthly monitoring"), links["monitoring"]),
            (_("Lokakarya mini"), links["workshops"]),
            (_("Evaluation"), links["evaluation"]),
        ],
    }
    cards = []
    for i, stage in enumerate(STAGES):
        state = "done" if i < current else "current" if i == current else "todo"
        usable = [(label, url) for label, url in stage_links[stage] if url]
        cards.append(StageCard(stage.value, stage.label, state, facts[stage], usable))
    return cards


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request, external_id):
    """The overview of a cycle; planners change its name, stage and scoring method here (POST)."""
    cycle = cycle_or_404(request, external_id)
    may = rights(request.user, cycle.puskesmas)
    initial = {f: getattr(cycle, f) for f in ("name", "stage", "method", "usg_aggregation")}
    form = CycleSettingsForm(request.POST or None, initial=initial) if may.may_plan else None
    if request.method == "POST":
        require(may.may_plan)
        stage = request.POST.get("set_stage", "")
        if stage in CycleStage.values:
            cycle_update(actor=request.user, cycle=cycle, stage=stage)
            messages.success(request, _("Stage: %(stage)s.") % {"stage": CycleStage(stage).label})
            return redirect("web:planning_cycle", cycle.external_id)
        if form.is_valid():
            try:
                cycle_update(actor=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Cycle saved."))
                return redirect("web:planning_cycle", cycle.external_id)
    links = cycle_links(cycle)
    overview = cycle_overview(cycle=cycle, user=request.user, on=timezone.localdate())
    members, problems, steps = overview["members"], overview["problems"], overview["steps"]
    priorities, monitoring = overview["priorities"], overview["monitoring"]
    context = {
        "cycle": cycle,
        "may": may,
        "form": form,
        "links": links,
        "cards": _stage_cards(cycle, links, members, problems, priorities, steps, monitoring),
        "next": _next_action(cycle, links, members, problems, priorities),
        "priorities": priorities,
    }
    return render(request, "web/planning/cycle/cycle.html", context, status=400 if form and form.errors else 200)
