"""Shared by the ILP stages 4-5 pages (tasks, a step, monitoring, lokakarya mini, evaluation): who reads which
step, the labels of the monitoring statuses, the cycle's sub-navigation and the chart data fed to
`static/web/pws_chart.js` (its header comment describes the JSON)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.http import Http404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ilp.indicators.areas import area_for
from ilp.indicators.registry import Kind, get
from ilp.indicators.selectors import series
from ilp.planning import access
from ilp.planning.models import Cycle, PathwayStep
from ilp.planning.monitoring import Progress
from ilp.planning.selectors import OPEN_STATUSES, StepProgress, cycle_get, cycle_steps
from ilp.web.views.common import get_or_404

PROGRESS_LABELS = {
    Progress.ACHIEVED: _("achieved"),
    Progress.ON_TRACK: _("on track"),
    Progress.AT_RISK: _("at risk"),
    Progress.NO_DATA: _("no data"),
}
# URL values of the progress filter ("" is no data, which a query string cannot tell from "no filter").
PROGRESS_PARAM = {"tercapai": Progress.ACHIEVED, "sesuai": Progress.ON_TRACK, "berisiko": Progress.AT_RISK,
                  "tanpa-data": Progress.NO_DATA}  # fmt: skip
PARAM_OF_PROGRESS = {v: k for k, v in PROGRESS_PARAM.items()}


def cycle_for(request, external_id) -> Cycle:
    """A cycle the user may read, else 404."""
    return get_or_404(cycle_get, scope=request.scope, user=request.user, external_id=external_id)


def step_get(request, external_id) -> PathwayStep:
    """A step the user may read: their own task, or a step of a cycle they read that their view of the cycle
    holds (the pemdes, pustu and kader read only the steps of their desa: `selectors.cycle_steps`). 404 else."""
    user = request.user
    step = (
        PathwayStep.objects.select_related("problem__cycle__puskesmas__region", "village", "facility")
        .filter(external_id=external_id)
        .first()
    )
    if step is None:
        raise Http404
    if access.owns_step(user, step):
        return step
    cycle = cycle_for(request, step.problem.cycle.external_id)
    if not cycle_steps(cycle=cycle, user=user).filter(pk=step.pk).exists():
        raise Http404
    return step


def is_overdue(step: PathwayStep, today: dt.date) -> bool:
    return step.status in OPEN_STATUSES and step.due_on < today


def cycle_tabs(cycle: Cycle, current: str) -> list[dict]:
    """The cycle's pages (the RTL page belongs to another part of the app and shows only when it exists)."""
    key = cycle.external_id
    tabs = [
        ("rtl", reverse("web:planning_cycle", args=[key]), _("RTL")),
        ("monitoring", reverse("web:planning_monitoring", args=[key]), _("Monitoring")),
        ("lokmin", reverse("web:planning_workshops", args=[key]), _("Lokakarya mini")),
        ("evaluation", reverse("web:planning_evaluation", args=[key]), _("Evaluation")),
    ]
    return [{"key": k, "url": url, "label": label, "active": k == current} for k, url, label in tabs if url]


def progress_counts(progress: list[StepProgress]) -> list[dict]:
    """How many steps are achieved, on track, at risk, without data (each with its filter value)."""
    counts = dict.fromkeys(Progress, 0)
    for p in progress:
        counts[p.progress] += 1
    return [
        {"progress": p.value or "none", "param": PARAM_OF_PROGRESS[p], "label": PROGRESS_LABELS[p], "count": n}
        for p, n in counts.items()
    ]


def months_to(period: dt.date | None) -> list[dt.date]:
    return [] if period is None else [period.replace(month=m, day=1) for m in range(1, period.month + 1)]


def month_label(month: dt.date) -> str:
    """A short month name: the charts show one year, and a long label is cut at the chart's right edge."""
    return formats.date_format(month, "M")


def _flat(value: float | None, n: int) -> list[float | None]:
    return [value] * n


def step_chart(p: StepProgress, values: list[dict]) -> dict:
    """One step: its indicator in its area this year (`selectors.step_series`), the target as the dashed line,
    and the baseline as a flat line (where the step started from)."""
    months = [dt.date.fromisoformat(v["period"] + "-01") for v in values]
    step = p.step
    data = [{"name": p.area_name, "values": [v["value"] for v in values]}]
    if p.baseline is not None and months:
        data.append({"name": str(_("Baseline")), "values": _flat(p.baseline, len(months))})
    return {
        "title": f"{get(step.indicator).short} · {p.area_name} · {months[-1].year if months else ''}",
        "months": [month_label(m) for m in months],
        "series": data,
        "target": _flat(p.target, len(months)),
        "target_label": str(_("Target")),
        "y_label": "%",
    }


def problem_charts(progress: list[StepProgress], period: dt.date | None) -> dict[int, dict]:
    """Problem id -> a compact chart: one line per indicator and area its steps are measured in, the target
    dashed when its steps share one. A fixed number of queries: one `series` call per indicator kind, plus one
    area lookup per area."""
    months = months_to(period)
    if not months or not progress:
        return {}
    areas = {code: area_for(code) for code in dict.fromkeys(p.area_code for p in progress)}
    indicators = {p.step.indicator: get(p.step.indicator) for p in progress}
    values: dict[tuple[str, str], list[float | None]] = defaultdict(list)
    for kind in (Kind.COVERAGE, Kind.RATE):
        inds = [i for i in indicators.values() if i.kind == kind]
        if not inds:
            continue
        for c in series(indicators=inds, areas=list(areas.values()), periods=months, cumulative=kind == Kind.COVERAGE):
            values[(c.indicator, c.area_code)].append(c.coverage_pct)
    by_problem: dict[int, list[StepProgress]] = defaultdict(list)
    for p in progress:
        by_problem[p.step.problem_id].append(p)
    out = {}
    for problem_id, rows in by_problem.items():
        keys = list(dict.fromkeys((p.step.indicator, p.area_code) for p in rows))
        several = len({k[0] for k in keys}) > 1
        names = {p.area_code: p.area_name for p in rows}
        lines = [
            {"name": f"{get(ind).short} · {names[code]}" if several else names[code], "values": values[(ind, code)]}
            for ind, code in keys
        ]
        targets = {p.target for p in rows}
        out[problem_id] = {
            "title": " · ".join([*dict.fromkeys(str(get(ind).short) for ind, _code in keys), str(period.year)]),
            "months": [month_label(m) for m in months],
            "series": lines,
            "target": _flat(targets.pop(), len(months)) if len(targets) == 1 else [],
            "target_label": str(_("Target")),
            "y_label": "%",
        }
    return out
