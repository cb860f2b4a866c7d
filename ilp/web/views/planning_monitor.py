"""The monthly monitoring of a cycle (Juknis ILP `06-integrasi-fasker/index.mdx`, step 5): per priority problem
its RTL steps with baseline -> current (read live from the indicator facts) -> target and whether they are on
track, a compact chart per problem, and the cycle's risk register with its add and edit forms."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.accounts.models import Role
from ilp.planning import access
from ilp.planning.models import Party, Risk, RiskStatus
from ilp.planning.selectors import StepProgress, cycle_steps, monitoring_period, step_progress
from ilp.planning.services import risk_save
from ilp.web.forms_planning_monitor import RiskForm
from ilp.web.views.planning_monitor_common import (
    PARAM_OF_PROGRESS,
    PROGRESS_LABELS,
    PROGRESS_PARAM,
    cycle_for,
    cycle_tabs,
    is_overdue,
    problem_charts,
    progress_counts,
)

RISK_PARAM = "risiko"
# Roles that read only some steps of the cycle (their desa, or their facility's).
NARROWED_ROLES = frozenset({Role.PEMDES, Role.PUSTU_STAFF, Role.KADER, Role.NETWORK_STAFF})
# Score = likelihood x impact on the 5 x 5 matrix; the bands are ours (a common convention ❓).
RISK_BANDS = ((15, "very-high"), (10, "high"), (5, "medium"), (0, "low"))


def risk_band(score: int) -> str:
    return next(name for floor, name in RISK_BANDS if score >= floor)


@dataclass
class MonitorRow:
    p: StepProgress
    overdue: bool
    last_on: object

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.p.progress]

    @property
    def css(self) -> str:
        return self.p.progress.value or "none"


def _risk_rows(cycle, editing: Risk | None) -> list[dict]:
    """The register, the open risks first and the highest scores first within them."""
    risks = sorted(cycle.risks.all(), key=lambda r: (r.status == RiskStatus.CLOSED, -r.score, -r.pk))
    return [
        {"risk": r, "band": risk_band(r.score), "editing": editing is not None and r.pk == editing.pk} for r in risks
    ]


def _risk_form_for(request, cycle, may_edit: bool) -> tuple[Risk | None, RiskForm | None]:
    """The risk being edited (`?risiko=<id>` or the posted one) and the form, for the RTL editors."""
    if not may_edit:
        return None, None
    key = (request.POST if request.method == "POST" else request.GET).get(RISK_PARAM, "").strip()
    risk = None
    if key:
        try:
            risk = cycle.risks.get(external_id=key)
        except (Risk.DoesNotExist, ValidationError) as exc:
            raise Http404 from exc
    if request.method == "POST":
        return risk, RiskForm(request.POST)
    initial = (
        {f: getattr(risk, f) for f in ("challenge", "likelihood", "impact", "mitigation", "owner", "status")}
        if risk
        else {}
    )
    return risk, RiskForm(initial=initial)


def _filters(request) -> tuple[str, str, list[str]]:
    progress = request.GET.get("kemajuan", "").strip()
    party = request.GET.get("pihak", "").strip()
    errors = []
    if progress and progress not in PROGRESS_PARAM:
        errors.append(_("Progress: %(value)s is not a monitoring status; every step is shown.") % {"value": progress})
        progress = ""
    if party and party not in Party.values:
        errors.append(_("Party: %(value)s is not a party of the RTL; every party is shown.") % {"value": party})
        party = ""
    return progress, party, errors


@login_required
@require_http_methods(["GET", "POST"])
def monitoring(request, external_id):
    """The monitoring page of a cycle; POST saves a risk of the register (RTL editors only)."""
    cycle = cycle_for(request, external_id)
    user = request.user
    may_edit = access.may_edit_rtl(user, cycle.puskesmas)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    editing, risk_form = _risk_form_for(request, cycle, may_edit)
    status = 200
    if request.method == "POST":
        if risk_form.is_valid():
            try:
                risk_save(actor=user, cycle=cycle, risk=editing, **risk_form.cleaned_data)
            except ValidationError as err:
                risk_form.add_service_errors(err)
            else:
                messages.success(request, _("Risk register saved."))
                return redirect(reverse("web:planning_monitoring", args=[cycle.external_id]) + "#risks")
        status = 400
    today = timezone.localdate()
    progress_param, party, errors = _filters(request)
    steps_qs = cycle_steps(cycle=cycle, user=user).annotate(last_on=Max("events__on"))
    if party:
        steps_qs = steps_qs.filter(party=party)
    steps = list(steps_qs)
    progress = step_progress(steps=steps, puskesmas=cycle.puskesmas, today=today)
    counts = progress_counts(progress)
    charts = problem_charts(progress, monitoring_period(today))
    if progress_param:
        wanted = PROGRESS_PARAM[progress_param]
        progress = [p for p in progress if p.progress == wanted]
    problems: dict[int, dict] = {}
    for p in progress:
        block = problems.setdefault(p.step.problem_id, {"problem": p.step.problem, "rows": []})
        block["rows"].append(MonitorRow(p, is_overdue(p.step, today), p.step.last_on))
    for pid, block in problems.items():
        block["chart"] = charts.get(pid)
        block["chart_id"] = f"chart-{pid}"
    context = {
        "cycle": cycle,
        "tabs": cycle_tabs(cycle, "monitoring"),
        "period": monitoring_period(today),
        "counts": counts,
        "problems": sorted(problems.values(), key=lambda b: b["problem"].pk),
        "filters": {"progress": progress_param, "party": party},
        "progress_choices": [(k, PROGRESS_LABELS[v]) for k, v in PROGRESS_PARAM.items()],
        "party_choices": Party.choices,
        "errors": errors,
        "total": len(steps),
        "may_edit": may_edit,
        "risks": _risk_rows(cycle, editing),
        "risk_form": risk_form,
        "editing": editing,
        "risk_param": RISK_PARAM,
        "narrowed": user.role in NARROWED_ROLES,
        "param_of": PARAM_OF_PROGRESS,
    }
    return render(request, "web/planning/monitor/monitoring.html", context, status=status)
