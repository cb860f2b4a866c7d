"""The 6- or 12-monthly evaluation of the functional network by the Dinkes (Juknis ILP
`06-integrasi-fasker/index.mdx`, step 5): what the indicators say per network member now (live), the
evaluations recorded with their findings as they were, and the Dinkes' form deciding per member whether the
arrangement continues, changes or ends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.indicators.registry import get
from ilp.planning import access
from ilp.planning.evaluation import findings_for
from ilp.planning.models import MemberDecision, StepStatus
from ilp.planning.monitoring import Progress
from ilp.planning.services import evaluation_record
from ilp.web.forms_planning_monitor import EvaluationForm
from ilp.web.views.planning_monitor_common import PROGRESS_LABELS, cycle_for, cycle_tabs

# The keys `evaluation.findings_for` counts under ("no_data" for Progress.NO_DATA), in reading order.
COUNT_KEYS = [(p.value or "no_data", p.value or "none", PROGRESS_LABELS[p]) for p in Progress]


def _indicator_short(code: str) -> str:
    try:
        return str(get(code).short)
    except KeyError:
        return code


def _labelled(findings: dict) -> dict:
    """Findings (live or as recorded) with the labels of their counts and statuses for the page."""
    statuses = dict(StepStatus.choices)

    def rows(items):
        return [
            {
                **r,
                "progress_label": PROGRESS_LABELS.get(Progress(r.get("progress") or ""), ""),
                "progress_class": r.get("progress") or "none",
                "status_label": statuses.get(r.get("status"), r.get("status")),
                "indicator_label": _indicator_short(r.get("indicator", "")),
            }
            for r in items
        ]

    def counts(summary):
        return [{"key": css, "label": label, "count": (summary or {}).get(key, 0)} for key, css, label in COUNT_KEYS]

    members = [
        {**m, "counts": counts(m.get("progress")), "rows": rows(m.get("rows", []))} for m in findings.get("members", [])
    ]
    return {
        **findings,
        "members": members,
        "overall_counts": counts(findings.get("overall")),
        "puskesmas_rows": rows(findings.get("puskesmas_steps", [])),
    }


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request, external_id):
    """Live findings per network member, the recorded evaluations, and the Dinkes' evaluation form."""
    cycle = cycle_for(request, external_id)
    user = request.user
    may_evaluate = access.may_evaluate(user, cycle.puskesmas)
    if request.method == "POST" and not may_evaluate:
        raise PermissionDenied
    today = timezone.localdate()
    findings = findings_for(cycle=cycle, on=today)
    form, status = None, 200
    if may_evaluate:
        form = EvaluationForm(request.POST if request.method == "POST" else None, members=findings["members"])
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                evaluation_record(
                    actor=user,
                    cycle=cycle,
                    months=data["months"],
                    evaluated_on=data["evaluated_on"],
                    notes=data["notes"],
                    decisions=form.decisions(),
                )
            except ValidationError as err:
                form.add_service_errors(err)
            else:
                messages.success(request, _("Evaluation recorded."))
                return redirect("web:planning_evaluation", external_id=cycle.external_id)
        status = 400
    recorded = cycle.evaluations.order_by("-evaluated_on", "-id").prefetch_related(
        Prefetch("decisions", queryset=MemberDecision.objects.select_related("member__member").order_by("id"))
    )
    context = {
        "cycle": cycle,
        "tabs": cycle_tabs(cycle, "evaluation"),
        "findings": _labelled(findings),
        "recorded": [{"e": e, "findings": _labelled(e.findings or {})} for e in recorded],
        "form": form,
        "today": today,
    }
    return render(request, "web/planning/monitor/evaluation.html", context, status=status)
