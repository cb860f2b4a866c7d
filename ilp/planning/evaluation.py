"""The 6- or 12-monthly evaluation of the functional network (Juknis ILP `docs/ILP/06-integrasi-fasker/index.mdx`,
step 5: the Dinkes evaluates the impact on patients, providers and targets, and decides whether the network
arrangement continues): per network member, its RTL steps and their indicators against target."""

from __future__ import annotations

import datetime as dt

from ilp.facilities.models import NetworkMember
from ilp.planning.models import Cycle, PathwayStep, StepStatus
from ilp.planning.monitoring import Progress
from ilp.planning.selectors import step_progress


def _summary(progress) -> dict:
    counts = {p.value or "no_data": 0 for p in Progress}
    for p in progress:
        counts[p.progress.value or "no_data"] += 1
    return counts


def _row(p) -> dict:
    return {
        "step": p.step.title,
        "indicator": p.step.indicator,
        "area": p.area_name,
        "baseline": p.baseline,
        "current": p.current,
        "target": p.target,
        "progress": p.progress.value,
        "status": p.step.status,
    }


def findings_for(*, cycle: Cycle, on: dt.date) -> dict:
    """What the indicators say per network member (and for the puskesmas' own steps), as JSON."""
    steps = list(
        PathwayStep.objects.filter(problem__cycle=cycle, problem__is_priority=True)
        .exclude(status=StepStatus.CANCELLED)
        .select_related("problem", "village", "facility")
        .order_by("problem_id", "order", "id")
    )
    progress = step_progress(steps=steps, puskesmas=cycle.puskesmas, today=on)
    members = NetworkMember.objects.filter(puskesmas=cycle.puskesmas).select_related("member").order_by("member__name")
    out = {"on": on.isoformat(), "members": [], "overall": _summary(progress)}
    for m in members:
        mine = [p for p in progress if p.step.facility_id == m.member_id]
        out["members"].append(
            {
                "member_id": m.pk,
                "name": m.member.name,
                "kind": str(m.member.get_kind_display()),
                "active": m.is_active,
                "steps": len(mine),
                "done": sum(1 for p in mine if p.step.status == StepStatus.DONE),
                "progress": _summary(mine),
                "rows": [_row(p) for p in mine],
            }
        )
    others = [p for p in progress if p.step.facility_id is None or p.step.facility.kind not in ("klinik_pratama",)]
    out["puskesmas_steps"] = [_row(p) for p in others if not any(p.step.facility_id == m.member_id for m in members)]
    return out
