"""Lokakarya mini (Juknis ILP `01-klaster-1/01-manajemen-inti.mdx`, P2): the monthly meeting and the quarterly
one with the lintas sektor partners. Preparing one generates its agenda from the data (`planning.agenda`);
the meeting page prints it, records attendees and minutes, and writes its decisions back into the RTL."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.facilities.selectors import service_places
from ilp.indicators.cells import Status
from ilp.planning import access
from ilp.planning.models import (
    Party,
    ProblemSource,
    StepStatus,
    Workshop,
    WorkshopKind,
)
from ilp.planning.selectors import cycle_steps, priority_problems
from ilp.planning.services import decision_add, workshop_create, workshop_record
from ilp.web.forms_planning_monitor import DecisionForm, WorkshopCreateForm, WorkshopRecordForm
from ilp.web.views.planning_monitor_common import cycle_for, cycle_tabs

PART_RECORD = "catatan"
PART_DECISION = "keputusan"


@login_required
@require_http_methods(["GET", "POST"])
def workshops(request, external_id):
    """The lokakarya mini of a cycle, newest first, and the form preparing the next one (the planners)."""
    cycle = cycle_for(request, external_id)
    may_plan = access.may_plan(request.user, cycle.puskesmas)
    form, status = (WorkshopCreateForm() if may_plan else None), 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied
        form = WorkshopCreateForm(request.POST)
        if form.is_valid():
            try:
                row = workshop_create(actor=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as err:
                form.add_service_errors(err)
            else:
                messages.success(request, _("Lokakarya mini prepared: its agenda is generated from the data."))
                return redirect("web:planning_workshop", external_id=row.external_id)
        status = 400
    rows = cycle.workshops.order_by("-held_on", "-id")
    context = {"cycle": cycle, "tabs": cycle_tabs(cycle, "lokmin"), "rows": rows, "form": form}
    return render(request, "web/planning/monitor/workshops.html", context, status=status)


def _status_label(value: str) -> str:
    return StepStatus(value).label if value in StepStatus.values else value


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def _steps(items) -> list[dict]:
    return [{**i, "due_on": _date(i.get("due_on"))} for i in items or [] if isinstance(i, dict)]


def _agenda(workshop: Workshop) -> dict:
    """The stored agenda with what a reader needs: dates, and the labels of statuses, clusters and sources."""
    agenda = dict(workshop.agenda or {})
    last = dict(agenda.get("last_month") or {})
    last["from"], last["to"] = _date(last.get("from")), _date(last.get("to"))
    last["activities"] = [
        {**a, "on": _date(a.get("on")), "status_label": _status_label(a.get("status", ""))}
        for a in last.get("activities", [])
    ]
    agenda["last_month"] = last
    agenda["pws"] = [
        {
            **c,
            "cluster_label": _cluster_label(c.get("cluster")),
            "reached": (c.get("counts") or {}).get(Status.REACHED.value, 0),
            "near": (c.get("counts") or {}).get(Status.NEAR.value, 0),
            "below": (c.get("counts") or {}).get(Status.BELOW.value, 0),
        }
        for c in agenda.get("pws", [])
        if isinstance(c, dict)
    ]
    for key in ("overdue", "at_risk", "next_month", "cross_sector"):
        agenda[key] = _steps(agenda.get(key))
    sources = dict(ProblemSource.choices)
    agenda["new_problems"] = [
        {**p, "source_label": sources.get(p.get("source"), p.get("source"))} for p in agenda.get("new_problems", [])
    ]
    return agenda


def _cluster_label(cluster) -> str:
    try:
        return Party(f"k{int(cluster)}").label
    except (TypeError, ValueError):
        return str(cluster)


def _decision_form(cycle, request, data=None) -> DecisionForm:
    problems = list(priority_problems(cycle=cycle))
    steps = list(cycle_steps(cycle=cycle, user=request.user))
    places = service_places(scope=request.scope, puskesmas=cycle.puskesmas)
    return DecisionForm(data, prefix="d", problems=problems, steps=steps, villages=places.villages, places=places)


def _workshop(request, external_id) -> Workshop:
    row = Workshop.objects.select_related("cycle").filter(external_id=external_id).first()
    if row is None:
        raise Http404
    row.cycle = cycle_for(request, row.cycle.external_id)
    return row


@login_required
@require_http_methods(["GET", "POST"])
def workshop(request, external_id):
    """One lokakarya mini: its agenda (printable), attendees and minutes, and its decisions."""
    row = _workshop(request, external_id)
    cycle = row.cycle
    user = request.user
    may_plan = access.may_plan(user, cycle.puskesmas)
    part = request.POST.get("bagian") if request.method == "POST" else None
    if request.method == "POST" and not may_plan:
        raise PermissionDenied
    record_form = decision_form = None
    status = 200
    if may_plan:
        initial = {"attendees": row.attendees, "notes": row.notes}
        record_form = WorkshopRecordForm(request.POST if part == PART_RECORD else None, initial=initial)
        decision_form = _decision_form(cycle, request, request.POST if part == PART_DECISION else None)
    if part == PART_RECORD and record_form.is_valid():
        try:
            workshop_record(actor=user, workshop=row, **record_form.cleaned_data)
        except ValidationError as err:
            record_form.add_service_errors(err)
        else:
            messages.success(request, _("Attendees and notes saved."))
            return redirect("web:planning_workshop", external_id=row.external_id)
    if part == PART_DECISION and decision_form.is_valid():
        try:
            decision = decision_add(actor=user, workshop=row, **decision_form.service_kwargs())
        except ValidationError as err:
            decision_form.add_service_errors(err)
        else:
            text = _("Decision recorded.")
            if decision.step_id:
                text = _("Decision recorded and written into the RTL: %(step)s.") % {"step": decision.step.title}
            messages.success(request, text)
            return redirect(f"{request.path}#decisions")
    if part in (PART_RECORD, PART_DECISION):
        status = 400
    context = {
        "w": row,
        "cycle": cycle,
        "tabs": cycle_tabs(cycle, "lokmin"),
        "agenda": _agenda(row),
        "quarterly": row.kind == WorkshopKind.QUARTERLY,
        "attendees": [line.strip() for line in row.attendees.splitlines() if line.strip()],
        "decisions": row.decisions.select_related("step").order_by("id"),
        "record_form": record_form,
        "decision_form": decision_form,
        "PART_RECORD": PART_RECORD,
        "PART_DECISION": PART_DECISION,
        "open_decision": part == PART_DECISION,
        "open_record": part == PART_RECORD,
    }
    return render(request, "web/planning/monitor/workshop.html", context, status=status)
