"""The agenda of a lokakarya mini, generated from the data (Juknis ILP `docs/ILP/01-klaster-1/01-manajemen-inti.mdx`,
P2: the monthly meeting reviews last month's activities, plans the next month and evaluates the PWS, each
cluster PJ presenting; the quarterly one adds the lintas sektor partners)."""

from __future__ import annotations

import datetime as dt

from ilp.indicators.areas import area_for
from ilp.indicators.cells import Status
from ilp.indicators.registry import all_indicators
from ilp.indicators.selectors import series
from ilp.planning.models import Cycle, Party, PathwayStep, StepEvent, Workshop, WorkshopKind
from ilp.planning.monitoring import Progress
from ilp.planning.selectors import OPEN_STATUSES, monitoring_period, step_progress

CROSS_SECTOR = (Party.PEMDES, Party.TP_PKK, Party.KECAMATAN, Party.LINTAS_SEKTOR)
WORST_PER_CLUSTER = 3


def _month_bounds(on: dt.date, shift: int) -> tuple[dt.date, dt.date]:
    """First and last day of the month `shift` months from `on`'s."""
    month = on.month - 1 + shift
    first = dt.date(on.year + month // 12, month % 12 + 1, 1)
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _step_json(s: PathwayStep) -> dict:
    return {
        "id": str(s.external_id),
        "title": s.title,
        "problem": s.problem.title,
        "party": s.get_party_display(),
        "person_in_charge": s.person_in_charge,
        "desa": s.village.name if s.village_id else "",
        "due_on": s.due_on.isoformat(),
        "status": s.status,
        "status_label": str(s.get_status_display()),
    }


def _pws(cycle: Cycle, on: dt.date) -> list[dict]:
    period = monitoring_period(on)
    if period is None:
        return []
    indicators = all_indicators()
    cells = series(indicators=indicators, areas=[area_for(cycle.puskesmas.code)], periods=[period], cumulative=True)
    by_code = {c.indicator: c for c in cells}
    out = []
    for cluster in sorted({i.cluster for i in indicators}):
        inds = [i for i in indicators if i.cluster == cluster]
        counts = {s.value: 0 for s in (Status.REACHED, Status.NEAR, Status.BELOW)}
        below = []
        for ind in inds:
            c = by_code[ind.code]
            if c.status in (Status.REACHED, Status.NEAR, Status.BELOW):
                counts[c.status.value] += 1
            if c.status == Status.BELOW:
                below.append((c.gap_persons, ind, c))
        below.sort(key=lambda t: -t[0])
        worst = [
            {
                "code": ind.code,
                "name": str(ind.name),
                "coverage_pct": c.coverage_pct,
                "target_pct": round(c.target_pct, 1),
                "gap_persons": gap,
            }
            for gap, ind, c in below[:WORST_PER_CLUSTER]
        ]
        out.append({"cluster": cluster, "period": period.strftime("%Y-%m"), "counts": counts, "worst": worst})
    return out


def agenda_for(*, cycle: Cycle, on: dt.date, kind: str = WorkshopKind.MONTHLY) -> dict:
    """The generated agenda of a lokakarya mini held on `on` (JSON, kept with the meeting as it was)."""
    last_first, last_end = _month_bounds(on, -1)
    next_first, next_end = _month_bounds(on, 0)
    events = (
        StepEvent.objects.filter(step__problem__cycle=cycle, on__range=(last_first, last_end))
        .select_related("step", "step__problem", "step__village")
        .order_by("on", "id")
    )
    steps = list(
        PathwayStep.objects.filter(problem__cycle=cycle)
        .select_related("problem", "village", "facility")
        .order_by("due_on")
    )
    open_steps = [s for s in steps if s.status in OPEN_STATUSES]
    progress = step_progress(steps=open_steps, puskesmas=cycle.puskesmas, today=on)
    previous = Workshop.objects.filter(cycle=cycle, held_on__lt=on).order_by("-held_on").first()
    since = previous.held_on if previous else on - dt.timedelta(days=31)
    new_problems = cycle.problems.filter(created_at__date__gt=since, dismissed=False).order_by("id")
    agenda = {
        "on": on.isoformat(),
        "last_month": {
            "from": last_first.isoformat(),
            "to": last_end.isoformat(),
            "activities": [
                {
                    "on": e.on.isoformat(),
                    "step": e.step.title,
                    "problem": e.step.problem.title,
                    "status": e.status,
                    "note": e.note,
                    "issue": e.issue,
                }
                for e in events
            ],
        },
        "pws": _pws(cycle, on),
        "overdue": [_step_json(s) for s in open_steps if s.due_on < on],
        "at_risk": [
            {**_step_json(p.step), "current": p.current, "target": p.target, "baseline": p.baseline}
            for p in progress
            if p.progress == Progress.AT_RISK
        ],
        "next_month": [_step_json(s) for s in open_steps if next_first <= s.due_on <= next_end],
        "new_problems": [{"id": str(p.external_id), "title": p.title, "source": p.source} for p in new_problems],
    }
    if kind == WorkshopKind.QUARTERLY:
        agenda["cross_sector"] = [_step_json(s) for s in steps if s.party in CROSS_SECTOR]
    return agenda
