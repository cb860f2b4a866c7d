"""Stage 2 of the ILP cycle: priority problems. Candidates generated from the PWS facts (below target,
worsening, desa in red, coverage above 100 %), problems entered by hand (SMD/MMD), scored with the cycle's
method (USG or Hanlon, ILP.md §5) and ranked; each problem's evidence and its fishbone of root causes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from ilp.indicators.registry import get
from ilp.planning.models import CauseCategory, Method, Problem, ProblemSource
from ilp.planning.selectors import (
    RankedProblem,
    problem_scores,
    problems_ranked,
    step_counts_by_problem,
    success_indicator_codes,
)
from ilp.planning.services import (
    problem_add,
    problem_update,
    problems_generate,
    root_cause_add,
    root_cause_delete,
)
from ilp.web.forms_planning import CauseForm, ProblemAddForm, ScoreForm
from ilp.web.views.planning_cycle_common import (
    cycle_links,
    cycle_or_404,
    error_text,
    problem_or_404,
    require,
    rights,
)

ACTION_GENERATE = "generate"
# What "generate" reads: the SK Target Kinerja's success indicators, or the whole catalogue.
SCOPE_SUCCESS = "sk"
SCOPE_ALL = "semua"
ACTION_ADD = "add"
ACTION_SCORE = "score"
ERR_METHOD_CHANGED = _lazy("The scoring method of this cycle was changed meanwhile: the scores typed were not saved.")


class _Rollback(Exception):
    """A row failed: nothing of the score form is kept."""


@dataclass
class ProblemRow:
    ranked: RankedProblem
    form: ScoreForm | None
    evidence: dict
    steps: int

    @property
    def problem(self) -> Problem:
        return self.ranked.problem


def evidence_summary(problem: Problem) -> dict:
    """The key numbers of a problem's evidence: coverage against target, red desa, trend, over-100 areas."""
    ev = problem.evidence or {}
    own = ev.get("puskesmas") or {}
    return {
        "coverage": own.get("coverage_pct"),
        "target": own.get("target_pct"),
        "status": own.get("status", ""),
        "red": len(ev.get("red_desa") or []),
        "trend": ev.get("trend") or [],
        "over": len(ev.get("over_100") or []),
        "period": ev.get("period", ""),
        "current": ev.get("current", True),
        "generated": problem.source not in (ProblemSource.SMD, ProblemSource.MMD, ProblemSource.OTHER),
    }


def _rows(cycle, ranked: list[RankedProblem], may_plan: bool, data=None) -> list[ProblemRow]:
    counts = step_counts_by_problem(cycle=cycle)
    methods = (cycle.method,)
    # Only the rows that were on the page are read: a problem generated meanwhile keeps its scores.
    posted = set(data.getlist("rows")) if data is not None else set()
    rows = []
    for r in ranked:
        bound = data if str(r.problem.pk) in posted else None
        form = ScoreForm(bound, problem=r.problem, methods=methods, prefix=f"p{r.problem.pk}") if may_plan else None
        rows.append(ProblemRow(r, form, evidence_summary(r.problem), counts.get(r.problem.pk, 0)))
    return rows


def _save_scores(request, rows: list[ProblemRow], toggles: dict[int, tuple[Problem, dict]]) -> bool:
    """Write the changed scores (and a priority or dismissed toggle) in one transaction; False when one failed."""
    rows = [row for row in rows if row.form.is_bound]
    valid = [row.form.is_valid() for row in rows]
    if not all(valid):
        return False
    writes = [(row.problem, row.form.changes() | toggles.pop(row.problem.pk, (None, {}))[1], row.form) for row in rows]
    writes += [(problem, fields, None) for problem, fields in toggles.values()]
    try:
        with transaction.atomic():
            failed = False
            for problem, fields, form in writes:
                if not fields:
                    continue
                try:
                    with transaction.atomic():
                        problem_update(actor=request.user, problem=problem, **fields)
                except ValidationError as exc:
                    failed = True
                    if form is None:
                        messages.error(request, error_text(exc))
                    else:
                        form.add_service_errors(exc)
            if failed:
                raise _Rollback
    except _Rollback:
        return False
    return True


def _toggles(request, cycle) -> dict[int, tuple[Problem, dict]]:
    """The priority or dismissed button pressed with the scores: {problem pk: (problem, fields)}."""
    out: dict[int, tuple[Problem, dict]] = {}
    for name, field in (("priority", "is_priority"), ("dismiss", "dismissed")):
        eid = request.POST.get(name, "")
        problem = cycle.problems.filter(external_id=eid).first() if _is_uuid(eid) else None
        if problem is not None:
            out.setdefault(problem.pk, (problem, {}))[1][field] = not getattr(problem, field)
    return out


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _generate(request, cycle) -> None:
    try:
        counts = problems_generate(
            actor=request.user, cycle=cycle, success_only=request.POST.get("lingkup") == SCOPE_SUCCESS
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return
    text = _("Problems from the PWS data: %(created)d new, %(updated)d updated.") % counts
    if counts.get("stale"):
        text += " " + _("%(stale)d no longer seen in the data.") % counts
    messages.success(request, text)


@login_required
@require_http_methods(["GET", "POST"])
def problems_view(request, external_id):
    """The ranked problems of a cycle. POST `action`: generate (from the PWS facts), add (by hand), or score
    (every row's scores at once, with a priority or dismissed toggle pressed on one row)."""
    cycle = cycle_or_404(request, external_id)
    may = rights(request.user, cycle.puskesmas)
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        require(may.may_plan)
    if action == ACTION_GENERATE:
        _generate(request, cycle)
        return redirect("web:planning_problems", cycle.external_id)
    add_form = ProblemAddForm(request.POST if action == ACTION_ADD else None) if may.may_plan else None
    if action == ACTION_ADD and add_form.is_valid():
        try:
            problem = problem_add(actor=request.user, cycle=cycle, **add_form.cleaned_data)
        except ValidationError as exc:
            add_form.add_service_errors(exc)
        else:
            messages.success(request, _("Problem added: %(title)s") % {"title": problem.title})
            return redirect("web:planning_problems", cycle.external_id)
    ranked = problems_ranked(cycle=cycle)
    scores = request.POST if action == ACTION_SCORE else None
    if scores is not None and scores.get("method") != cycle.method:
        messages.warning(request, ERR_METHOD_CHANGED)
        scores = None
    rows = _rows(cycle, ranked, may.may_plan, scores)
    failed = False
    if action == ACTION_SCORE:
        if _save_scores(request, rows, _toggles(request, cycle)):
            messages.success(request, _("Scores saved; the list is ranked again."))
            return redirect("web:planning_problems", cycle.external_id)
        failed = True
    dismissed = list(cycle.problems.filter(dismissed=True).order_by("id"))
    context = {
        "cycle": cycle,
        "may": may,
        "success_count": len(success_indicator_codes(puskesmas=cycle.puskesmas, year=cycle.year)),
        "links": cycle_links(cycle),
        "rows": rows,
        "dismissed": dismissed,
        "add_form": add_form,
        "failed": failed,
        "usg": cycle.method == Method.USG,
        "open_add": action == ACTION_ADD,
    }
    status = 400 if failed or (add_form is not None and add_form.errors) else 200
    return render(request, "web/planning/cycle/problems.html", context, status=status)


# --- one problem: evidence, scores, fishbone


def _fishbone(problem: Problem) -> list[tuple[str, str, list]]:
    causes = list(problem.causes.all())
    return [(c.value, c.label, [x for x in causes if x.category == c]) for c in CauseCategory]


def _problem_post(request, problem: Problem, may, score_form: ScoreForm, cause_form: CauseForm) -> bool:
    """Handle a POST of the problem page; True when it was written."""
    action = request.POST.get("action")
    try:
        if action == ACTION_SCORE:
            require(may.may_plan)
            if not score_form.is_valid():
                return False
            problem_update(actor=request.user, problem=problem, **score_form.changes())
            messages.success(request, _("Scores saved."))
        elif action in ("priority", "dismiss"):
            require(may.may_plan)
            field = "is_priority" if action == "priority" else "dismissed"
            problem_update(actor=request.user, problem=problem, **{field: not getattr(problem, field)})
        elif action == "cause_add":
            require(may.may_edit_rtl)
            if not cause_form.is_valid():
                return False
            root_cause_add(actor=request.user, problem=problem, **cause_form.cleaned_data)
        elif action == "cause_delete":
            require(may.may_edit_rtl)
            cause_id = request.POST.get("cause", "")
            cause = problem.causes.filter(pk=cause_id).first() if cause_id.isdigit() else None
            if cause is not None:
                root_cause_delete(actor=request.user, cause=cause)
        else:
            return False
    except ValidationError as exc:
        target = cause_form if action and action.startswith("cause") else score_form
        target.add_service_errors(exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def problem_view(request, external_id):
    """A problem with its full evidence, its scores (both methods), its fishbone, and the link to its RTL."""
    problem = problem_or_404(request, external_id)
    cycle = problem.cycle
    may = rights(request.user, cycle.puskesmas)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    score_form = ScoreForm(post if action == ACTION_SCORE else None, problem=problem)
    cause_form = CauseForm(post if action == "cause_add" else None)
    if post is not None and _problem_post(request, problem, may, score_form, cause_form):
        return redirect("web:planning_problem", problem.external_id)
    usg, npd, npt = problem_scores(problem, cycle)
    indicator = None
    if problem.indicator:
        try:
            indicator = get(problem.indicator)
        except KeyError:
            indicator = None
    context = {
        "cycle": cycle,
        "problem": problem,
        "may": may,
        "links": cycle_links(cycle),
        "ev": problem.evidence or {},
        "summary": evidence_summary(problem),
        "indicator": indicator,
        "score_form": score_form,
        "cause_form": cause_form,
        "fishbone": _fishbone(problem),
        "usg_total": usg,
        "npd": npd,
        "npt": npt,
        "usg": cycle.method == Method.USG,
    }
    failed = bool(score_form.errors or cause_form.errors)
    return render(request, "web/planning/cycle/problem.html", context, status=400 if failed else 200)
