"""Writes of the RTL as a care pathway (Juknis ILP `docs/ILP/06-integrasi-fasker/index.mdx`, steps 3-4): its
steps, their approval, the progress each party records with its evidence, and the risk register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_delete, audit_update, save_audited, snapshot
from ilp.facilities.models import Facility, FacilityKind, NetworkMember, WorkingAreaVillage
from ilp.planning import access
from ilp.planning.models import (
    Cycle,
    Party,
    PathwayStep,
    Problem,
    Risk,
    StepEvent,
    StepStatus,
)
from ilp.planning.selectors import indicator_value, monitoring_period, step_area
from ilp.planning.services.cycle import ERR_NOT_RTL_EDITOR, indicator_checked, require_allowed

ERR_NOT_APPROVER = _("Only the head of the puskesmas or the Dinkes approves the RTL.")
ERR_NOT_YOUR_TASK = _("This RTL step is not one of your tasks.")
ERR_PEMDES_NEEDS_DESA = _("Desa: a step done by the village government needs its desa.")
ERR_DESA_OUTSIDE = _("Desa: %(name)s is not in the working area of this puskesmas.")
ERR_FACILITY_NOT_NETWORK = _("Facility: %(name)s is not a member of this puskesmas' network.")
ERR_FACILITY_OUTSIDE = _("Facility: %(name)s does not belong to this puskesmas.")
ERR_NETWORK_NEEDS_FACILITY = _("Facility: a step done by a network facility needs that facility.")
ERR_DUE_BEFORE_START = _("Target date: it is before the cycle started.")
ERR_TARGET_RANGE = _("Target: a percentage between 0 and 100.")
ERR_APPROVE_EMPTY = _("RTL: add at least one step before approving.")
ERR_NOT_PRIORITY = _("Problem: only a priority problem gets an RTL.")
ERR_EVIDENCE_TYPE = _("Evidence: only PDF, JPG or PNG files.")
ERR_EVIDENCE_SIZE = _("Evidence: the file is larger than 5 MB.")
ERR_FUTURE_DATE = _("Date: it is in the future.")

EVIDENCE_TYPES = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def _check_step_place(step: PathwayStep, puskesmas: Facility) -> None:
    errors = {}
    if (
        step.village_id is not None
        and not WorkingAreaVillage.objects.filter(puskesmas=puskesmas, village_id=step.village_id).exists()
    ):
        errors["village"] = str(ERR_DESA_OUTSIDE) % {"name": step.village.name}
    if step.party == Party.PEMDES and step.village_id is None:
        errors["village"] = ERR_PEMDES_NEEDS_DESA
    if step.party == Party.NETWORK and step.facility_id is None:
        errors["facility"] = ERR_NETWORK_NEEDS_FACILITY
    f = step.facility
    if f is not None:
        if f.kind in (FacilityKind.PUSTU, FacilityKind.POSYANDU, FacilityKind.PUSKESMAS):
            village = f.region.village_id or f.region_id
            if (
                f.pk != puskesmas.pk
                and not WorkingAreaVillage.objects.filter(puskesmas=puskesmas, village_id=village).exists()
            ):
                errors["facility"] = str(ERR_FACILITY_OUTSIDE) % {"name": f.name}
        elif not NetworkMember.objects.filter(puskesmas=puskesmas, member=f, is_active=True).exists():
            errors["facility"] = str(ERR_FACILITY_NOT_NETWORK) % {"name": f.name}
    if errors:
        raise ValidationError(errors)


_STEP_FIELDS = (
    "order",
    "phase",
    "title",
    "activities",
    "party",
    "facility",
    "village",
    "person_in_charge",
    "indicator",
    "baseline_pct",
    "target_pct",
    "due_on",
    "budget",
    "budget_source",
)


@transaction.atomic
def step_save(*, actor, problem: Problem, step: PathwayStep | None = None, from_decision=None, **fields) -> PathwayStep:
    """Add or change a step of a priority problem's RTL pathway.

    Every step is measured by an indicator of the catalogue; without a baseline given, the baseline is read
    from the indicator facts of the step's area (its desa, else the puskesmas) for the latest computed month.
    """
    puskesmas = problem.cycle.puskesmas
    require_allowed(access.may_edit_rtl(actor, puskesmas), ERR_NOT_RTL_EDITOR)
    if not problem.is_priority:
        raise ValidationError({"problem": ERR_NOT_PRIORITY})
    before = snapshot(step) if step is not None else None
    if step is None:
        step = PathwayStep(problem=problem, created_by=actor, from_decision=from_decision)
    for key in _STEP_FIELDS:
        if key in fields:
            setattr(step, key, fields[key])
    indicator_checked(step.indicator)
    target = Decimal(str(step.target_pct)) if step.target_pct is not None else None
    if target is not None and not Decimal(0) <= target <= Decimal(100):
        raise ValidationError({"target_pct": ERR_TARGET_RANGE})
    if step.due_on and step.due_on < problem.cycle.started_on:
        raise ValidationError({"due_on": ERR_DUE_BEFORE_START})
    _check_step_place(step, puskesmas)
    if step.baseline_pct is None and (before is None or "indicator" in fields):
        period = monitoring_period()
        value = indicator_value(indicator=step.indicator, area_code=step_area(step, puskesmas), period=period)
        if value is not None:
            step.baseline_pct, step.baseline_period = Decimal(str(round(value, 1))), period
    elif step.baseline_period is None:
        step.baseline_period = problem.cycle.started_on.replace(day=1)
    step.updated_by = actor
    save_audited(step, actor=actor, before=before)
    return step


@transaction.atomic
def step_delete(*, actor, step: PathwayStep) -> None:
    require_allowed(access.may_edit_rtl(actor, step.problem.cycle.puskesmas), ERR_NOT_RTL_EDITOR)
    audit_delete(step, actor=actor)
    step.delete()


@transaction.atomic
def rtl_approve(*, actor, problem: Problem) -> Problem:
    """The kepala puskesmas (or the Dinkes) approves a problem's RTL pathway."""
    require_allowed(access.may_approve(actor, problem.cycle.puskesmas), ERR_NOT_APPROVER)
    if not problem.steps.exists():
        raise ValidationError({"steps": ERR_APPROVE_EMPTY})
    before = snapshot(problem)
    problem.rtl_approved_at, problem.rtl_approved_by, problem.updated_by = timezone.now(), actor, actor
    save_audited(problem, actor=actor, before=before)
    return problem


def _check_evidence(evidence) -> None:
    if evidence is None:
        return
    if Path(evidence.name).suffix.lower() not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": ERR_EVIDENCE_TYPE})
    if evidence.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": ERR_EVIDENCE_SIZE})


@transaction.atomic
def step_progress_record(
    *, actor, step: PathwayStep, status: str, on: dt.date, note: str = "", issue: str = "", evidence=None
) -> StepEvent:
    """Record progress of a step (status, date, note, issues met, evidence): by the puskesmas team or by the
    step's own party (the pemdes of its desa, the network facility, the pustu, the kader)."""
    puskesmas = step.problem.cycle.puskesmas
    require_allowed(access.may_update_step(actor, step, puskesmas), ERR_NOT_YOUR_TASK)
    if on > timezone.localdate():
        raise ValidationError({"on": ERR_FUTURE_DATE})
    _check_evidence(evidence)
    event = StepEvent(step=step, status=StepStatus(status), on=on, note=note, issue=issue, by=actor)
    if evidence is not None:
        event.evidence = evidence
    event.full_clean()
    event.save()
    before = snapshot(step)
    step.status = event.status
    # Only the status: progress is not a change of the plan (`updated_at` marks changes to the RTL itself).
    step.save(update_fields=["status"])
    audit_update(step, before, actor=actor)
    return event


@transaction.atomic
def risk_save(*, actor, cycle: Cycle, risk: Risk | None = None, **fields) -> Risk:
    """Add or change an entry of the cycle's risk register."""
    require_allowed(access.may_edit_rtl(actor, cycle.puskesmas), ERR_NOT_RTL_EDITOR)
    before = snapshot(risk) if risk is not None else None
    risk = risk or Risk(cycle=cycle, created_by=actor)
    for key in ("challenge", "likelihood", "impact", "mitigation", "owner", "status"):
        if key in fields:
            setattr(risk, key, fields[key])
    risk.updated_by = actor
    save_audited(risk, actor=actor, before=before)
    return risk
