"""Writes of the lokakarya mini (Juknis ILP `docs/ILP/01-klaster-1/01-manajemen-inti.mdx`, P2) with the decisions
that flow back into the RTL, and the Dinkes' 6/12-monthly evaluation of the network (`06-integrasi-fasker`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_create, audit_update, save_audited, snapshot
from ilp.facilities.models import NetworkMember
from ilp.planning import access
from ilp.planning.models import (
    Cycle,
    DecisionAction,
    Evaluation,
    EvaluationDecision,
    MemberDecision,
    PathwayStep,
    Problem,
    StepEvent,
    Workshop,
    WorkshopDecision,
)
from ilp.planning.services.cycle import ERR_NOT_PLANNER, require_allowed
from ilp.planning.services.rtl import step_save

ERR_NOT_EVALUATOR = _("Only the Dinkes evaluates the functional network.")
ERR_DECISION_STEP = _("Step: choose the RTL step the decision changes.")
ERR_DECISION_PROBLEM = _("Problem: choose the priority problem the new step belongs to.")


@transaction.atomic
def workshop_create(*, actor, cycle: Cycle, kind: str, held_on: dt.date, place: str = "") -> Workshop:
    """Prepare a lokakarya mini: its agenda is generated from the data as of the meeting date."""
    from ilp.planning.agenda import agenda_for

    require_allowed(access.may_plan(actor, cycle.puskesmas), ERR_NOT_PLANNER)
    row = Workshop(cycle=cycle, kind=kind, held_on=held_on, place=place, created_by=actor)
    row.agenda = agenda_for(cycle=cycle, on=held_on, kind=kind)
    save_audited(row, actor=actor)
    return row


@transaction.atomic
def workshop_record(*, actor, workshop: Workshop, attendees: str, notes: str) -> Workshop:
    """Record who attended and the minutes."""
    require_allowed(access.may_plan(actor, workshop.cycle.puskesmas), ERR_NOT_PLANNER)
    before = snapshot(workshop)
    workshop.attendees, workshop.notes, workshop.updated_by = attendees, notes, actor
    save_audited(workshop, actor=actor, before=before)
    return workshop


@transaction.atomic
def decision_add(
    *,
    actor,
    workshop: Workshop,
    text: str,
    action: str = DecisionAction.NOTE,
    step: PathwayStep | None = None,
    problem: Problem | None = None,
    step_fields: dict | None = None,
) -> WorkshopDecision:
    """Record a lokakarya mini decision and write it back into the RTL: a new step of a priority problem, or
    a change to an existing step (its fields, noted in the step's log)."""
    cycle = workshop.cycle
    require_allowed(access.may_plan(actor, cycle.puskesmas), ERR_NOT_PLANNER)
    decision = WorkshopDecision(workshop=workshop, text=text, action=action, created_by=actor)
    if action == DecisionAction.STEP_UPDATE and (step is None or step.problem.cycle_id != cycle.pk):
        raise ValidationError({"step": ERR_DECISION_STEP})
    if action == DecisionAction.NEW_STEP and (problem is None or problem.cycle_id != cycle.pk):
        raise ValidationError({"problem": ERR_DECISION_PROBLEM})
    save_audited(decision, actor=actor)
    if action == DecisionAction.NEW_STEP:
        step = step_save(actor=actor, problem=problem, from_decision=decision, **(step_fields or {}))
    elif action == DecisionAction.STEP_UPDATE:
        step = step_save(actor=actor, problem=step.problem, step=step, **(step_fields or {}))
        StepEvent.objects.create(
            step=step,
            status=step.status,
            on=workshop.held_on,
            note=str(_("Lokakarya mini decision: %(text)s") % {"text": text}),
            by=actor,
        )
    if step is not None:
        decision.step = step
        decision.save(update_fields=["step"])
    return decision


@transaction.atomic
def evaluation_record(
    *, actor, cycle: Cycle, months: int, evaluated_on: dt.date, notes: str = "", decisions: dict | None = None
) -> Evaluation:
    """The Dinkes' 6- or 12-monthly evaluation: the findings per network member are kept as they were, and a
    member whose arrangement ends leaves the network (`NetworkMember.is_active = False`)."""
    from ilp.planning.evaluation import findings_for

    require_allowed(access.may_evaluate(actor, cycle.puskesmas), ERR_NOT_EVALUATOR)
    row = Evaluation(
        cycle=cycle,
        months=months,
        evaluated_on=evaluated_on,
        notes=notes,
        findings=findings_for(cycle=cycle, on=evaluated_on),
        created_by=actor,
    )
    save_audited(row, actor=actor)
    members = {m.pk: m for m in NetworkMember.objects.filter(puskesmas=cycle.puskesmas)}
    for member_id, (decision, note) in (decisions or {}).items():
        member = members[int(member_id)]
        md = MemberDecision(evaluation=row, member=member, decision=EvaluationDecision(decision), note=note)
        md.full_clean()
        md.save()
        audit_create(md, actor=actor)
        if decision == EvaluationDecision.END and member.is_active:
            before = snapshot(member)
            member.is_active, member.updated_by = False, actor
            member.save(update_fields=["is_active", "updated_by", "updated_at"])
            audit_update(member, before, actor=actor)
    return row
