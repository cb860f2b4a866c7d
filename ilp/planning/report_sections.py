"""The section of one puskesmas in the "Laporan Monitoring ILP" (`planning.report`): its cycle, network,
ranked problems, RTL steps with their monitoring, risks, and the lokakarya mini and evaluations of the
quarter. Every value is JSON-ready: dates as ISO text, decimals as floats, choices as code and label."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from ilp.facilities.models import Facility, NetworkMember
from ilp.indicators.registry import get
from ilp.planning.models import Cycle, MemberDecision, PathwayStep
from ilp.planning.network import member_reports
from ilp.planning.selectors import RankedProblem, problems_ranked, step_progress


def _num(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return round(float(value), 1)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _indicator_name(code: str) -> str:
    if not code:
        return ""
    try:
        return str(get(code).name)
    except KeyError:
        return ""


def _cycle(cycle: Cycle) -> dict:
    return {
        "id": str(cycle.external_id),
        "name": cycle.name,
        "year": cycle.year,
        "started_on": _day(cycle.started_on),
        "stage": cycle.stage,
        "stage_label": str(cycle.get_stage_display()),
        "method": cycle.method,
        "method_label": str(cycle.get_method_display()),
        "usg_aggregation": cycle.usg_aggregation,
    }


def _network(puskesmas: Facility, as_of: dt.date) -> list[dict]:
    members = list(
        NetworkMember.objects.filter(puskesmas=puskesmas)
        .select_related("member")
        .order_by("-is_active", "member__name", "id")
    )
    reports = {r.member.pk: r for r in member_reports(members, today=as_of)} if members else {}
    out = []
    for m in members:
        report = reports.get(m.pk)
        reporting = {"on_time": report.on_time, "due": report.due} if report and report.monthly else None
        out.append(
            {
                "facility": m.member.name,
                "code": m.member.code,
                "kind": m.member.kind,
                "kind_label": str(m.member.get_kind_display()),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "agreement_type": m.agreement_type,
                "agreement_type_label": str(m.get_agreement_type_display()),
                "agreement_number": m.agreement_number,
                "agreement_date": _day(m.agreement_date),
                "agreement_end": _day(m.agreement_end),
                "services": m.services,
                "reporting_duty": m.reporting_duty,
                "reporting_duty_label": str(m.get_reporting_duty_display()),
                "active": m.is_active,
                "reporting_on_time": reporting,
            }
        )
    return out


def _problem(r: RankedProblem) -> dict:
    p = r.problem
    pearl = all((p.pearl_p, p.pearl_e, p.pearl_a, p.pearl_r, p.pearl_l))
    return {
        "rank": r.rank,
        "title": p.title,
        "source": p.source,
        "source_label": str(p.get_source_display()),
        "indicator": p.indicator,
        "indicator_name": _indicator_name(p.indicator),
        "area_code": p.area_code,
        "priority": p.is_priority,
        "rtl_approved_at": p.rtl_approved_at.isoformat(timespec="seconds") if p.rtl_approved_at else None,
        "score": _num(r.score),
        "usg": {"u": p.usg_u, "s": p.usg_s, "g": p.usg_g, "total": _num(r.usg)},
        "hanlon": {
            "a": _num(p.hanlon_a),
            "b": _num(p.hanlon_b),
            "c": _num(p.hanlon_c),
            "npd": _num(r.npd),
            "pearl": int(pearl),
            "npt": _num(r.npt),
        },
        "causes": [
            {"category": c.category, "category_label": str(c.get_category_display()), "text": c.text}
            for c in p.causes.all()
        ],
    }


def _rtl(cycle: Cycle, ranked: list[RankedProblem], puskesmas: Facility, as_of: dt.date) -> list[dict]:
    position = {r.problem.pk: n for n, r in enumerate(ranked)}
    steps = list(
        PathwayStep.objects.filter(problem__cycle=cycle, problem__is_priority=True, problem__dismissed=False)
        .select_related("problem", "village", "facility")
        .order_by("problem_id", "order", "id")
    )
    steps.sort(key=lambda s: (position.get(s.problem_id, len(position)), s.order, s.pk))
    out = []
    for sp in step_progress(steps=steps, puskesmas=puskesmas, today=as_of):
        s = sp.step
        out.append(
            {
                "problem": s.problem.title,
                "order": s.order,
                "phase": s.phase,
                "phase_label": str(s.get_phase_display()),
                "step": s.title,
                "party": s.party,
                "party_label": str(s.get_party_display()),
                "facility": s.facility.name if s.facility_id else None,
                "desa": s.village.name if s.village_id else None,
                "person_in_charge": s.person_in_charge,
                "indicator": s.indicator,
                "indicator_name": _indicator_name(s.indicator),
                "area_code": sp.area_code,
                "area_name": sp.area_name,
                "baseline": _num(sp.baseline),
                "baseline_period": s.baseline_period.strftime("%Y-%m") if s.baseline_period else None,
                "current": _num(sp.current),
                "current_period": sp.period.strftime("%Y-%m") if sp.period else None,
                "target": _num(sp.target),
                "higher_is_better": sp.higher_is_better,
                "due_on": _day(s.due_on),
                "budget": int(s.budget) if s.budget is not None else None,
                "budget_source": s.budget_source,
                "status": s.status,
                "status_label": str(s.get_status_display()),
                "progress": str(sp.progress),
            }
        )
    return out


def _risks(cycle: Cycle) -> list[dict]:
    risks = sorted(cycle.risks.all(), key=lambda r: (-r.score, -r.pk))
    return [
        {
            "challenge": r.challenge,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "score": r.score,
            "mitigation": r.mitigation,
            "owner": r.owner,
            "owner_label": str(r.get_owner_display()),
            "status": r.status,
            "status_label": str(r.get_status_display()),
        }
        for r in risks
    ]


def _workshops(cycle: Cycle, first: dt.date, last: dt.date) -> list[dict]:
    rows = cycle.workshops.filter(held_on__range=(first, last)).prefetch_related("decisions").order_by("held_on", "id")
    return [
        {
            "held_on": _day(w.held_on),
            "kind": w.kind,
            "kind_label": str(w.get_kind_display()),
            "place": w.place,
            "attendees": sum(1 for line in w.attendees.splitlines() if line.strip()),
            "decisions": [
                {"text": d.text, "action": d.action, "action_label": str(d.get_action_display())}
                for d in w.decisions.all()
            ],
        }
        for w in rows
    ]


def _evaluations(cycle: Cycle, first: dt.date, last: dt.date) -> list[dict]:
    decisions = Prefetch("decisions", queryset=MemberDecision.objects.select_related("member__member"))
    rows = (
        cycle.evaluations.filter(evaluated_on__range=(first, last))
        .prefetch_related(decisions)
        .order_by("evaluated_on", "id")
    )
    return [
        {
            "evaluated_on": _day(e.evaluated_on),
            "months": e.months,
            "notes": e.notes,
            "findings": e.findings,
            "decisions": [
                {
                    "member": d.member.member.name,
                    "decision": d.decision,
                    "decision_label": str(d.get_decision_display()),
                    "note": d.note,
                }
                for d in e.decisions.all()
            ],
        }
        for e in rows
    ]


def puskesmas_section(
    puskesmas: Facility, cycle: Cycle | None, *, first: dt.date, last: dt.date, as_of: dt.date
) -> dict:
    """One puskesmas' part of the report; without a cycle only its network is filled."""
    section = {
        "code": puskesmas.code,
        "name": puskesmas.name,
        "ilp_status": puskesmas.ilp_status,
        "ilp_status_label": str(puskesmas.get_ilp_status_display()),
        "pilot": puskesmas.ilp_pilot,
        "cycle": None,
        "network": _network(puskesmas, as_of),
        "problems": [],
        "rtl": [],
        "risks": [],
        "workshops": [],
        "evaluations": [],
    }
    if cycle is None:
        return section
    cycle.puskesmas = puskesmas
    ranked = problems_ranked(cycle=cycle)
    section.update(
        cycle=_cycle(cycle),
        problems=[_problem(r) for r in ranked],
        rtl=_rtl(cycle, ranked, puskesmas, as_of),
        risks=_risks(cycle),
        workshops=_workshops(cycle, first, last),
        evaluations=_evaluations(cycle, first, last),
    )
    return section
