"""Tugas saya: the RTL steps that are the user's own tasks (the pemdes of a desa, a network facility, a pustu,
a posyandu's kader), with the steps in their desa beside them; for the puskesmas team and the Dinkes, the
open steps of their cycles (Juknis ILP `06-integrasi-fasker/index.mdx`, step 4: implementation)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ilp.accounts.models import Role
from ilp.core.audit import audit_record
from ilp.core.models import AuditAction
from ilp.indicators.registry import get
from ilp.planning import access
from ilp.planning.models import PathwayStep, StepEvent, StepStatus
from ilp.planning.monitoring import Progress
from ilp.planning.selectors import (
    OPEN_STATUSES,
    cycle_list,
    desa_only,
    desa_steps,
    my_tasks,
    open_steps,
    step_progress,
    step_series,
)
from ilp.planning.services import step_progress_record
from ilp.regions.models import Region
from ilp.web.forms_planning_monitor import ProgressForm
from ilp.web.views.planning_monitor_common import (
    PROGRESS_LABELS,
    cycle_tabs,
    is_overdue,
    step_chart,
    step_get,
)

OWNER_ROLES = frozenset({Role.PEMDES, Role.PUSTU_STAFF, Role.KADER, Role.NETWORK_STAFF})
PLANNER_STEPS_SHOWN = 200


@dataclass
class TaskRow:
    step: PathwayStep
    overdue: bool
    progress: Progress
    progress_label: str
    current: float | None

    @property
    def progress_class(self) -> str:
        return self.progress.value or "none"


def _rows(steps: list[PathwayStep], today) -> list[TaskRow]:
    """Each step with its monitoring status, read per puskesmas (a step is measured in its cycle's area)."""
    by_puskesmas: dict[int, list[PathwayStep]] = defaultdict(list)
    for s in steps:
        by_puskesmas[s.problem.cycle.puskesmas_id].append(s)
    found = {}
    for group in by_puskesmas.values():
        for p in step_progress(steps=group, puskesmas=group[0].problem.cycle.puskesmas, today=today):
            found[p.step.pk] = p
    return [
        TaskRow(
            s, is_overdue(s, today), found[s.pk].progress, PROGRESS_LABELS[found[s.pk].progress], found[s.pk].current
        )
        for s in steps
    ]


def _planner_cycles(request, today) -> list[dict]:
    """The cycles of the user's scope, each with its open steps by target date."""
    cycles = list(cycle_list(scope=request.scope))
    steps = list(open_steps(cycles=cycles)[:PLANNER_STEPS_SHOWN])
    rows = _rows(steps, today)
    by_cycle: dict[int, list[TaskRow]] = defaultdict(list)
    for r in rows:
        by_cycle[r.step.problem.cycle_id].append(r)
    return [{"cycle": c, "rows": by_cycle.get(c.pk, [])} for c in cycles]


@login_required
@require_GET
def tasks(request):
    """My RTL tasks, open first (overdue ones marked), the done ones below; the steps in my desa; for the
    planners the open steps of their cycles."""
    user = request.user
    today = timezone.localdate()
    context: dict = {"today": today, "owner": user.role in OWNER_ROLES}
    if context["owner"]:
        mine = list(my_tasks(user=user))
        rows = _rows(mine, today)
        context["open_rows"] = [r for r in rows if r.step.status in OPEN_STATUSES]
        context["done_rows"] = [r for r in rows if r.step.status not in OPEN_STATUSES]
        village = desa_only(user)
        if village is not None:
            context["desa_rows"] = _rows(list(desa_steps(user=user, village_id=village)), today)
            context["desa_name"] = Region.objects.values_list("name", flat=True).get(pk=village)
    else:
        context["cycles"] = _planner_cycles(request, today)
    return render(request, "web/planning/monitor/tasks.html", context)


# Shown in the browser; anything else is downloaded (the service accepts only these and PDF/JPG/PNG).
INLINE_TYPES = frozenset({".pdf", ".jpg", ".jpeg", ".png"})


@login_required
@require_http_methods(["GET", "POST"])
def step_view(request, external_id):
    """One RTL step: what, who, where and the budget; its monitoring (baseline -> current -> target and the
    chart); its event log; and, for the step's own party and the puskesmas team, the progress form."""
    step = step_get(request, external_id)
    user = request.user
    cycle = step.problem.cycle
    puskesmas = cycle.puskesmas
    may_update = access.may_update_step(user, step, puskesmas)
    planner = access.may_edit_rtl(user, puskesmas)
    form, status = None, 200
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        form = ProgressForm(request.POST, request.FILES, planner=planner, current=step.status)
        if form.is_valid():
            data = form.cleaned_data
            try:
                step_progress_record(
                    actor=user,
                    step=step,
                    status=data["status"],
                    on=data["on"],
                    note=data["note"],
                    issue=data["issue"],
                    evidence=data["evidence"] or None,
                )
            except ValidationError as err:
                form.add_service_errors(err)
            else:
                label = StepStatus(data["status"]).label
                messages.success(request, _("%(step)s: %(status)s recorded.") % {"step": step.title, "status": label})
                return redirect("web:planning_step", external_id=step.external_id)
        status = 400
    elif may_update:
        form = ProgressForm(planner=planner, current=step.status)
    today = timezone.localdate()
    progress = step_progress(steps=[step], puskesmas=puskesmas, today=today)[0]
    values = step_series(step=step, puskesmas=puskesmas, today=today)
    events = list(step.events.select_related("by").order_by("-at", "-id"))
    context = {
        "step": step,
        "cycle": cycle,
        "indicator": get(step.indicator),
        "p": progress,
        "progress_label": PROGRESS_LABELS[progress.progress],
        "progress_class": progress.progress.value or "none",
        "overdue": is_overdue(step, today),
        "chart": step_chart(progress, values) if values else None,
        "events": events,
        "form": form,
        "edit_url": reverse("web:planning_step_edit", args=[step.external_id]) if planner else "",
        "tabs": cycle_tabs(cycle, ""),
        "own_task": access.owns_step(user, step),
    }
    return render(request, "web/planning/monitor/step.html", context, status=status)


@login_required
@require_GET
def evidence(request, event_id: int):
    """The evidence file of a step event, to those who read the step (404 otherwise); audited as an export.
    Media are never served publicly: this view is the only way to them."""
    event = StepEvent.objects.filter(pk=event_id).select_related("step").first()
    if event is None or not event.evidence:
        raise Http404
    step_get(request, event.step.external_id)
    try:
        handle = event.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = Path(event.evidence.name).name
    audit_record(
        action=AuditAction.EXPORT,
        obj=event,
        changes={"file": event.evidence.name, "step": str(event.step.external_id)},
        actor=request.user,
    )
    inline = Path(name).suffix.lower() in INLINE_TYPES
    response = FileResponse(handle, filename=name, as_attachment=not inline)
    response["Cache-Control"] = "private, no-store"
    return response
