"""Writes of the ILP cycle itself and its priority problems: start and settings of a cycle, problems generated
from the PWS facts or entered by hand, their USG/Hanlon scores and priority, and the fishbone. Each is
keyword-only, one transaction, validated, permission-checked (`planning.access`) and audited (ARCHITECTURE.md,
habits). The RTL lives in `services.rtl`, the meetings and the evaluation in `services.meetings`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_delete, save_audited, snapshot
from ilp.facilities.models import Facility, FacilityKind
from ilp.indicators.areas import area_for
from ilp.indicators.registry import get
from ilp.planning import access
from ilp.planning.models import (
    GENERATED_SOURCES,
    CauseCategory,
    Cycle,
    Problem,
    ProblemSource,
    RootCause,
)
from ilp.planning.problems import candidates
from ilp.planning.selectors import monitoring_period, success_indicator_codes

ERR_NOT_PLANNER = _("Only the head of the puskesmas or the Dinkes plans the ILP cycle.")
ERR_NOT_RTL_EDITOR = _("Only the puskesmas team or the Dinkes changes the RTL.")
ERR_NOT_PUSKESMAS = _("Puskesmas: choose a puskesmas.")
ERR_UNKNOWN_INDICATOR = _("Indicator: unknown code %(code)s.")
ERR_NO_DECREE = _("Success indicators: no SK Target Kinerja %(year)s with success indicators yet.")
ERR_NO_PERIOD = _("Indicators: no PWS month has been computed yet; run the PWS refresh first.")


def require_allowed(allowed: bool, message) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def cycle_start(
    *, actor, puskesmas: Facility, name: str, year: int, started_on: dt.date, method: str, usg_aggregation: str = "sum"
) -> Cycle:
    """Start an improvement cycle of a puskesmas and its network."""
    if puskesmas.kind != FacilityKind.PUSKESMAS:
        raise ValidationError({"puskesmas": ERR_NOT_PUSKESMAS})
    require_allowed(access.may_plan(actor, puskesmas), ERR_NOT_PLANNER)
    cycle = Cycle(
        puskesmas=puskesmas,
        name=name,
        year=year,
        started_on=started_on,
        method=method,
        usg_aggregation=usg_aggregation,
        created_by=actor,
    )
    save_audited(cycle, actor=actor)
    return cycle


@transaction.atomic
def cycle_update(*, actor, cycle: Cycle, **fields) -> Cycle:
    """Change a cycle's name, stage, scoring method or USG aggregation."""
    require_allowed(access.may_plan(actor, cycle.puskesmas), ERR_NOT_PLANNER)
    before = snapshot(cycle)
    for key in ("name", "stage", "method", "usg_aggregation"):
        if key in fields:
            setattr(cycle, key, fields[key])
    cycle.updated_by = actor
    save_audited(cycle, actor=actor, before=before)
    return cycle


@transaction.atomic
def problems_generate(
    *, actor, cycle: Cycle, period: dt.date | None = None, success_only: bool = False
) -> dict[str, int]:
    """Create or refresh the candidate problems generated from the indicator facts (`planning.problems`), from
    every indicator of the catalogue or, with `success_only`, from the success indicators of the puskesmas' SK
    Target Kinerja of the cycle's year (the puskesmas' own priorities; Juknis ILP `06-integrasi-fasker`, step 2).

    Idempotent: a candidate is keyed by (source, indicator, area); its scores and priority are kept and only
    its title and evidence follow the facts. A generated problem the facts no longer show is marked
    `evidence["current"] = False`, never deleted (its scores and RTL may matter).
    """
    require_allowed(access.may_plan(actor, cycle.puskesmas), ERR_NOT_PLANNER)
    period = period or monitoring_period()
    if period is None:
        raise ValidationError({"period": ERR_NO_PERIOD})
    indicators = None
    generated = cycle.problems.filter(source__in=GENERATED_SOURCES)
    if success_only:
        codes = success_indicator_codes(puskesmas=cycle.puskesmas, year=cycle.year)
        if not codes:
            raise ValidationError({"success_only": str(ERR_NO_DECREE) % {"year": cycle.year}})
        indicators = [get(code) for code in codes]
        generated = generated.filter(indicator__in=codes)
    found = candidates(puskesmas=area_for(cycle.puskesmas.code), period=period, indicators=indicators)
    existing = {(p.source, p.indicator, p.area_code): p for p in generated}
    counts = {"created": 0, "updated": 0, "stale": 0}
    now = timezone.now().isoformat(timespec="seconds")
    seen = set()
    for c in found:
        key = (str(c.source), c.indicator, c.area_code)
        seen.add(key)
        evidence = {**c.evidence, "period": period.strftime("%Y-%m"), "generated_at": now, "current": True}
        row = existing.get(key)
        if row is None:
            row = Problem(cycle=cycle, source=c.source, indicator=c.indicator, area_code=c.area_code, created_by=actor)
            row.title, row.evidence = c.title[:255], evidence
            save_audited(row, actor=actor)
            counts["created"] += 1
        else:
            before = snapshot(row)
            row.title, row.evidence, row.updated_by = c.title[:255], evidence, actor
            save_audited(row, actor=actor, before=before)
            counts["updated"] += 1
    for key, row in existing.items():
        if key not in seen and row.evidence.get("current", True):
            before = snapshot(row)
            row.evidence = {**row.evidence, "current": False}
            save_audited(row, actor=actor, before=before)
            counts["stale"] += 1
    return counts


@transaction.atomic
def problem_add(
    *, actor, cycle: Cycle, title: str, source: str = ProblemSource.OTHER, description: str = "", indicator: str = ""
) -> Problem:
    """A problem entered by hand (e.g. from the SMD survey or the MMD village meeting)."""
    require_allowed(access.may_plan(actor, cycle.puskesmas), ERR_NOT_PLANNER)
    if indicator:
        indicator_checked(indicator)
    row = Problem(
        cycle=cycle,
        title=title,
        source=source,
        description=description,
        indicator=indicator,
        area_code=cycle.puskesmas.code,
        created_by=actor,
    )
    save_audited(row, actor=actor)
    return row


_SCORE_FIELDS = (
    "usg_u",
    "usg_s",
    "usg_g",
    "hanlon_a",
    "hanlon_b",
    "hanlon_c",
    "pearl_p",
    "pearl_e",
    "pearl_a",
    "pearl_r",
    "pearl_l",
)


@transaction.atomic
def problem_update(*, actor, problem: Problem, **fields) -> Problem:
    """Score a problem (USG, Hanlon, PEARL), mark it a priority or dismiss it, or edit its text."""
    require_allowed(access.may_plan(actor, problem.cycle.puskesmas), ERR_NOT_PLANNER)
    before = snapshot(problem)
    for key in (*_SCORE_FIELDS, "is_priority", "dismissed", "title", "description"):
        if key in fields:
            setattr(problem, key, fields[key])
    if problem.dismissed:
        problem.is_priority = False
    problem.updated_by = actor
    save_audited(problem, actor=actor, before=before)
    return problem


@transaction.atomic
def root_cause_add(*, actor, problem: Problem, category: str, text: str) -> RootCause:
    """A cause on the problem's fishbone (man, money, method, machine/material, environment)."""
    require_allowed(access.may_edit_rtl(actor, problem.cycle.puskesmas), ERR_NOT_RTL_EDITOR)
    row = RootCause(problem=problem, category=CauseCategory(category), text=text, created_by=actor)
    save_audited(row, actor=actor)
    return row


@transaction.atomic
def root_cause_delete(*, actor, cause: RootCause) -> None:
    require_allowed(access.may_edit_rtl(actor, cause.problem.cycle.puskesmas), ERR_NOT_RTL_EDITOR)
    audit_delete(cause, actor=actor)
    cause.delete()


def indicator_checked(code: str):
    try:
        return get(code)
    except KeyError:
        raise ValidationError({"indicator": str(ERR_UNKNOWN_INDICATOR) % {"code": code}}) from None
