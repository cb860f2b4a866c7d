"""The roles-and-responsibilities (RACI) matrix of a puskesmas' ILP rollout (stage 0) and its functional network
with on-time reporting and the gaps of the working area (stage 1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ilp.facilities.selectors import visible_facility_ids
from ilp.planning import network
from ilp.planning.models import Party, RaciActivity, RaciLetter
from ilp.planning.services import setup
from ilp.web.forms_planning_setup import RaciRowForm
from ilp.web.views.planning_setup import MSG_NOTHING_SAVED, all_valid, get_puskesmas, write_rows


@dataclass
class RaciRow:
    activity: RaciActivity | None
    form: RaciRowForm


def _raci_rows(puskesmas, data=None) -> list[RaciRow]:
    rows = []
    for activity in RaciActivity.objects.filter(puskesmas=puskesmas).order_by("order", "id"):
        initial = {"name": activity.name, **{f"p_{p}": letter for p, letter in activity.cells.items()}}
        rows.append(RaciRow(activity, RaciRowForm(data, prefix=f"a{activity.pk}", initial=initial)))
    rows.append(RaciRow(None, RaciRowForm(data, prefix="new")))
    return rows


def _write(request, puskesmas, row: RaciRow) -> bool:
    form = row.form
    if row.activity is None:
        if form.is_blank:
            return False
        setup.raci_activity_save(
            actor=request.user, puskesmas=puskesmas, name=form.cleaned_data["name"], cells=form.cells()
        )
        return True
    if form.cleaned_data["delete"]:
        setup.raci_activity_delete(actor=request.user, activity=row.activity)
        return True
    stored = {p: row.activity.cells.get(p, "") for p in Party.values}
    if form.cleaned_data["name"].strip() == row.activity.name and form.cells() == stored:
        return False
    setup.raci_activity_save(
        actor=request.user,
        puskesmas=puskesmas,
        activity=row.activity,
        name=form.cleaned_data["name"],
        cells=form.cells(),
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def raci_view(request, code: str):
    """Activities x parties, each cell R, A, C or I; the whole matrix is saved at once."""
    puskesmas = get_puskesmas(request, code)
    editable = setup.may_prepare(request.user, puskesmas)
    if request.method == "POST" and not editable:
        raise PermissionDenied(setup.ERR_NOT_PREPARER)
    data = request.POST if request.method == "POST" else None
    rows = _raci_rows(puskesmas, data)
    failed = False
    if data is not None:
        if all_valid(r.form for r in rows):
            saved = write_rows(rows, lambda row: _write(request, puskesmas, row))
            if saved is not None:
                text = ngettext("%(count)d activity saved.", "%(count)d activities saved.", saved)
                messages.success(request, text % {"count": saved})
                return redirect("web:planning_raci", puskesmas.code)
        failed = True
    context = {
        "puskesmas": puskesmas,
        "rows": rows if editable else [r for r in rows if r.activity is not None],
        "parties": Party.choices,
        "letters": RaciLetter.choices,
        "editable": editable,
        "failed": MSG_NOTHING_SAVED if failed else "",
        "tab": "raci",
    }
    return render(request, "web/planning/setup/raci.html", context, status=400 if failed else 200)


@login_required
def network_view(request, code: str):
    """The network's members with their agreements and on-time reporting, and the gaps of the working area."""
    puskesmas = get_puskesmas(request, code)
    today = timezone.localdate()
    report = network.network_report(puskesmas, today=today)
    ids = {m.member.member_id for m in report.members}
    context = {
        "puskesmas": puskesmas,
        "report": report,
        "today": today,
        "linkable": visible_facility_ids(scope=request.scope, ids=ids),
        "default_deadline": network.REPORT_DEADLINE_DAY,
        "expiring_days": network.EXPIRING_WITHIN_DAYS,
        "tab": "network",
    }
    return render(request, "web/planning/setup/network.html", context)
