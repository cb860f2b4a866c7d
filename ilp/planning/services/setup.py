"""Writes of stage 0 (preparing the ILP rollout) of a puskesmas: the readiness checklist, the SK Target Kinerja
with its success indicators, the roles-and-responsibilities (RACI) matrix, and the rollout status the Dinkes
sets. Each is keyword-only, one transaction, validated, permission-checked and audited (ARCHITECTURE.md).

Who writes (`planning.access.may_plan`): the Dinkes for the puskesmas of its kabupaten, the kepala puskesmas for
their own puskesmas, a superuser; only the Dinkes sets the rollout status (`access.may_evaluate`).
Sources: Juknis ILP `01-klaster-1/01-manajemen-inti.mdx` (SK Target Kinerja by the end of February),
`00-pendahuluan/03-ilp-puskesmas.md`; Bab VIII (roles of each party); ILP.md §1.7-1.8.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.accounts.scope import scope_for
from ilp.core.audit import audit_delete, audit_record, save_audited, snapshot
from ilp.core.models import AuditAction
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind, IlpStatus
from ilp.indicators.models import AreaSetting
from ilp.indicators.registry import get
from ilp.indicators.services import area_setting_set
from ilp.planning import access
from ilp.planning.models import (
    Party,
    RaciActivity,
    RaciLetter,
    ReadinessCheck,
    ReadinessItem,
    SuccessIndicator,
    TargetDecree,
)

ERR_NOT_PREPARER = _("Only the Dinkes or the head of this puskesmas prepares its ILP rollout.")
ERR_DINKES_ONLY = _("Only the Dinkes sets the ILP status of a puskesmas.")
ERR_NOT_PUSKESMAS = _("Puskesmas: choose a puskesmas.")
ERR_UNKNOWN_ITEM = _("Item: unknown checklist item %(item)s.")
ERR_DONE_NEEDS_DATE = _("Date: give the date the item was done.")
ERR_FUTURE_DATE = _("Date: it is in the future.")
ERR_YEAR = _("Year: a year from 2000 to next year.")
ERR_SIGNED_YEAR = _("Signed on: the decree for %(year)s is signed in %(year)s or in the year before.")
ERR_UNKNOWN_INDICATOR = _("Indicator: unknown code %(code)s.")
ERR_TARGET = _("Target: a percentage from 0 to 100 (%(code)s).")
ERR_ACTIVITY_NAME = _("Activity: give the activity a name.")
ERR_ACTIVITY_OTHER = _("Activity: it belongs to another puskesmas.")
ERR_UNKNOWN_PARTY = _("Roles: unknown party %(party)s.")
ERR_UNKNOWN_LETTER = _("Roles: %(party)s has the unknown role %(letter)s; use R, A, C or I.")
ERR_ONE_ACCOUNTABLE = _("Roles: exactly one party is accountable (A); now %(count)d.")
ERR_NO_RESPONSIBLE = _("Roles: at least one party is responsible (R).")
ERR_UNKNOWN_STATUS = _("ILP status: unknown status %(status)s.")
ERR_RUNNING_NEEDS_START = _("ILP start date: a puskesmas running ILP needs its start date.")

FIRST_YEAR = 2000


def _require_puskesmas(puskesmas: Facility) -> None:
    if puskesmas is None or puskesmas.kind != FacilityKind.PUSKESMAS:
        raise ValidationError({"puskesmas": ERR_NOT_PUSKESMAS})


def may_prepare(user, puskesmas: Facility) -> bool:
    """Whether the user writes stage 0 of this puskesmas (the pages use it to show the forms)."""
    return access.may_plan(user, puskesmas)


def may_set_status(user, puskesmas: Facility) -> bool:
    """Whether the user sets the ILP rollout status of this puskesmas (the Dinkes of its kabupaten)."""
    return access.may_evaluate(user, puskesmas)


def _require_preparer(actor, puskesmas: Facility) -> None:
    _require_puskesmas(puskesmas)
    if actor is not None and not may_prepare(actor, puskesmas):
        raise PermissionDenied(ERR_NOT_PREPARER)


@transaction.atomic
def readiness_check_set(
    *, actor, puskesmas: Facility, item: str, done: bool, done_on: dt.date | None = None, evidence: str = ""
) -> ReadinessCheck:
    """Tick (or untick) one checklist item of a puskesmas with its date and evidence."""
    _require_preparer(actor, puskesmas)
    if item not in ReadinessItem.values:
        raise ValidationError({"item": str(ERR_UNKNOWN_ITEM) % {"item": item}})
    if done and done_on is None:
        raise ValidationError({"done_on": ERR_DONE_NEEDS_DATE})
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": ERR_FUTURE_DATE})
    row = ReadinessCheck.objects.select_for_update().filter(puskesmas=puskesmas, item=item).first()
    before = snapshot(row) if row else None
    if row is None:
        row = ReadinessCheck(puskesmas=puskesmas, item=item, created_by=actor)
    row.done, row.done_on, row.evidence = done, done_on, (evidence or "").strip()
    row.updated_by = actor
    save_audited(row, actor=actor, before=before)
    return row


def _clean_targets(indicators: dict[str, float | None]) -> dict[str, float | None]:
    clean = {}
    for code, target in indicators.items():
        try:
            get(code)
        except KeyError:
            raise ValidationError({"indicators": str(ERR_UNKNOWN_INDICATOR) % {"code": code}}) from None
        if target is not None and not 0 <= float(target) <= 100:
            raise ValidationError({"indicators": str(ERR_TARGET) % {"code": code}})
        clean[code] = None if target is None else float(target)
    return clean


@transaction.atomic
def target_decree_set(
    *,
    actor,
    puskesmas: Facility,
    year: int,
    number: str = "",
    signed_on: dt.date | None = None,
    indicators: dict[str, float | None],
) -> TargetDecree:
    """Record the SK Target Kinerja of a puskesmas for a year and its success indicators.

    `indicators` maps each success indicator's code to its target %: the target is written to the PWS settings
    as the puskesmas' own (`indicators.services.area_setting_set`), so the dashboards hold the puskesmas to it;
    None leaves the target in force unchanged. Indicators left out stop being success indicators (their
    targets stay). Signing after the end of February is allowed; the readiness checklist shows it as late.
    """
    _require_preparer(actor, puskesmas)
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": ERR_YEAR})
    if signed_on is not None and signed_on.year not in (year - 1, year):
        raise ValidationError({"signed_on": str(ERR_SIGNED_YEAR) % {"year": year}})
    if signed_on is not None and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": ERR_FUTURE_DATE})
    targets = _clean_targets(indicators)
    decree = TargetDecree.objects.select_for_update().filter(puskesmas=puskesmas, year=year).first()
    before = snapshot(decree) if decree else None
    if decree is None:
        decree = TargetDecree(puskesmas=puskesmas, year=year, created_by=actor)
    decree.number, decree.signed_on, decree.updated_by = (number or "").strip(), signed_on, actor
    save_audited(decree, actor=actor, before=before)
    old = set(decree.indicators.values_list("indicator", flat=True))
    new = set(targets)
    if old != new:
        decree.indicators.filter(indicator__in=old - new).delete()
        SuccessIndicator.objects.bulk_create([SuccessIndicator(decree=decree, indicator=c) for c in sorted(new - old)])
        changes = {"indicators": [sorted(old), sorted(new)]}
        audit_record(action=AuditAction.UPDATE, obj=decree, changes=changes, actor=actor)
    _write_targets(actor=actor, puskesmas=puskesmas, year=year, targets=targets)
    return decree


def _write_targets(*, actor, puskesmas: Facility, year: int, targets: dict[str, float | None]) -> None:
    """The puskesmas' own target per indicator, through the PWS settings (its denominator source is kept)."""
    wanted = {code: t for code, t in targets.items() if t is not None}
    if not wanted:
        return
    own = {s.indicator: s for s in AreaSetting.objects.filter(puskesmas=puskesmas, year=year, indicator__in=wanted)}
    scope = scope_for(actor) if actor is not None else AreaScope.all()
    for code, target in sorted(wanted.items()):
        row = own.get(code)
        if row is not None and row.target_pct is not None and abs(row.target_pct - target) < 1e-9:
            continue
        area_setting_set(
            actor=actor,
            scope=scope,
            indicator=code,
            year=year,
            puskesmas=puskesmas,
            target_pct=target,
            source=row.source if row else "",
        )


def _clean_cells(cells: dict[str, str]) -> dict[str, str]:
    clean = {}
    for party, letter in cells.items():
        letter = (letter or "").strip().upper()
        if not letter:
            continue
        if party not in Party.values:
            raise ValidationError({"cells": str(ERR_UNKNOWN_PARTY) % {"party": party}})
        if letter not in RaciLetter.values:
            label = Party(party).label
            raise ValidationError({"cells": str(ERR_UNKNOWN_LETTER) % {"party": label, "letter": letter}})
        clean[party] = letter
    accountable = sum(1 for v in clean.values() if v == RaciLetter.ACCOUNTABLE)
    if accountable != 1:
        raise ValidationError({"cells": str(ERR_ONE_ACCOUNTABLE) % {"count": accountable}})
    if RaciLetter.RESPONSIBLE not in clean.values():
        raise ValidationError({"cells": ERR_NO_RESPONSIBLE})
    # Stored in the parties' order, so the matrix reads the same whatever order the form sent.
    return {p: clean[p] for p in Party.values if p in clean}


@transaction.atomic
def raci_activity_save(
    *, actor, puskesmas: Facility, activity: RaciActivity | None = None, name: str, cells: dict[str, str]
) -> RaciActivity:
    """Add or change one activity of the RACI matrix: exactly one party accountable (A), at least one
    responsible (R); blank cells are dropped."""
    _require_preparer(actor, puskesmas)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ERR_ACTIVITY_NAME})
    if activity is not None and activity.puskesmas_id != puskesmas.pk:
        raise ValidationError({"name": ERR_ACTIVITY_OTHER})
    clean = _clean_cells(cells)
    if activity is None:
        last = RaciActivity.objects.filter(puskesmas=puskesmas).aggregate(m=Max("order"))["m"]
        activity = RaciActivity(puskesmas=puskesmas, order=0 if last is None else last + 1, created_by=actor)
        before = None
    else:
        activity = RaciActivity.objects.select_for_update().get(pk=activity.pk)
        before = snapshot(activity)
    activity.name, activity.cells, activity.updated_by = name, clean, actor
    save_audited(activity, actor=actor, before=before)
    return activity


@transaction.atomic
def raci_activity_delete(*, actor, activity: RaciActivity) -> None:
    """Remove an activity from the RACI matrix."""
    _require_preparer(actor, activity.puskesmas)
    audit_delete(activity, actor=actor)
    activity.delete()


@transaction.atomic
def ilp_status_set(
    *,
    actor,
    puskesmas: Facility,
    status: str,
    start_date: dt.date | None = None,
    pilot: bool | None = None,
) -> Facility:
    """Set where a puskesmas stands in the ILP rollout (not started / preparing / running), its start date and,
    when given, its pilot flag. The Dinkes of the kabupaten only."""
    _require_puskesmas(puskesmas)
    if actor is not None and not may_set_status(actor, puskesmas):
        raise PermissionDenied(ERR_DINKES_ONLY)
    if status not in IlpStatus.values:
        raise ValidationError({"ilp_status": str(ERR_UNKNOWN_STATUS) % {"status": status}})
    if status == IlpStatus.RUNNING and start_date is None:
        raise ValidationError({"ilp_start_date": ERR_RUNNING_NEEDS_START})
    facility = Facility.objects.select_for_update().get(pk=puskesmas.pk)
    before = snapshot(facility)
    facility.ilp_status, facility.ilp_start_date, facility.updated_by = status, start_date, actor
    if pilot is not None:
        facility.ilp_pilot = pilot
    save_audited(facility, actor=actor, before=before)
    puskesmas.ilp_status, puskesmas.ilp_start_date, puskesmas.ilp_pilot = status, start_date, facility.ilp_pilot
    return facility
