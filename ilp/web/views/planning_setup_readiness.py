"""The readiness checklist of a puskesmas and its SK Target Kinerja (ILP stage 0)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ilp.facilities.models import Cluster
from ilp.indicators.registry import Indicator, all_indicators
from ilp.planning import readiness
from ilp.planning.models import ReadinessCheck
from ilp.planning.readiness import ItemState, Origin
from ilp.planning.services import setup
from ilp.web.forms_planning_setup import ReadinessCheckForm, SuccessIndicatorForm, TargetDecreeForm
from ilp.web.forms_pws import ERR_YEAR, parse_year
from ilp.web.views.planning_setup import MSG_NOTHING_SAVED, all_valid, error_messages, get_puskesmas, write_rows

MSG_DECREE_SAVED = _("SK Target Kinerja %(year)s saved.")
MSG_LATE = _("Signed after the end of February: the Juknis asks for the SK Target Kinerja by then.")
ORIGIN_LABELS = {
    Origin.PUSKESMAS: _("puskesmas"),
    Origin.DISTRICT: _("kecamatan"),
    Origin.REGENCY: _("kabupaten"),
    Origin.DEFAULT: _("national default"),
}


@dataclass
class CheckRow:
    state: ItemState
    form: ReadinessCheckForm


def _check_rows(state: readiness.Readiness, data=None) -> list[CheckRow]:
    rows = []
    for item in state.items:
        check: ReadinessCheck | None = item.check
        initial = {"done": check.done, "done_on": check.done_on, "evidence": check.evidence} if check else {}
        form = ReadinessCheckForm(data, prefix=item.item.value, initial=initial, item_label=str(item.item.label))
        rows.append(CheckRow(item, form))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def readiness_view(request, code: str):
    """Each checklist item: what the data says, and the tick with its date and evidence."""
    puskesmas = get_puskesmas(request, code)
    editable = setup.may_prepare(request.user, puskesmas)
    if request.method == "POST" and not editable:
        raise PermissionDenied(setup.ERR_NOT_PREPARER)
    state = readiness.readiness_of(puskesmas)
    data = request.POST if request.method == "POST" else None
    rows = _check_rows(state, data)
    failed = False
    if data is not None:
        if all_valid(r.form for r in rows):

            def write(row: CheckRow) -> bool:
                change = row.form.changed_values(row.state.check)
                if change is None:
                    return False
                setup.readiness_check_set(actor=request.user, puskesmas=puskesmas, item=row.state.item, **change)
                return True

            saved = write_rows(rows, write)
            if saved is not None:
                text = ngettext("%(count)d item saved.", "%(count)d items saved.", saved)
                messages.success(request, text % {"count": saved})
                return redirect("web:planning_readiness", puskesmas.code)
        failed = True
    context = {"puskesmas": puskesmas, "readiness": state, "rows": rows, "editable": editable, "tab": "readiness"}
    if failed:
        context["failed"] = MSG_NOTHING_SAVED
    return render(request, "web/planning/setup/readiness.html", context, status=400 if failed else 200)


@dataclass
class IndicatorRow:
    indicator: Indicator
    form: SuccessIndicatorForm
    target: float
    origin: str


def _indicator_rows(puskesmas, year: int, chosen: set[str], data=None) -> list[tuple[str, list[IndicatorRow]]]:
    """The catalogue grouped by cluster, each indicator with its form prefilled from the target in force."""
    indicators = all_indicators()
    in_force = readiness.targets_in_force(puskesmas, year=year, indicators=indicators)
    groups: dict[int, list[IndicatorRow]] = {}
    for ind in indicators:
        target, origin = in_force[ind.code]
        initial = {"chosen": ind.code in chosen, "target": f"{target:g}"}
        form = SuccessIndicatorForm(data, prefix=f"i-{ind.code}", initial=initial, indicator_name=str(ind.name))
        groups.setdefault(ind.cluster, []).append(IndicatorRow(ind, form, target, str(ORIGIN_LABELS[origin])))
    return [(str(Cluster(f"k{n}").label), rows) for n, rows in sorted(groups.items())]


@login_required
@require_http_methods(["GET", "POST"])
def targets_view(request, code: str):
    """The SK Target Kinerja of a year (`?tahun=YYYY`): number, date, success indicators and their targets."""
    puskesmas = get_puskesmas(request, code)
    editable = setup.may_prepare(request.user, puskesmas)
    if request.method == "POST" and not editable:
        raise PermissionDenied(setup.ERR_NOT_PREPARER)
    year = parse_year(request.GET.get("tahun"), default=timezone.localdate().year)
    context = {"puskesmas": puskesmas, "editable": editable, "tab": "targets"}
    if year is None:
        context |= {"errors": [ERR_YEAR], "year_value": request.GET.get("tahun", "")[:10]}
        return render(request, "web/planning/setup/targets.html", context, status=400)
    decree, chosen = readiness.decree_of(puskesmas, year=year)
    data = request.POST if request.method == "POST" else None
    initial = {"number": decree.number, "signed_on": decree.signed_on} if decree else {}
    decree_form = TargetDecreeForm(data, initial=initial, prefix="sk")
    groups = _indicator_rows(puskesmas, year, chosen, data)
    rows = [row for _label, group in groups for row in group]
    errors = []
    if data is not None:
        if all_valid([decree_form, *(r.form for r in rows)]):
            picked = {r.indicator.code: r.form.cleaned_data["target"] for r in rows if r.form.cleaned_data["chosen"]}
            try:
                saved = setup.target_decree_set(
                    actor=request.user,
                    puskesmas=puskesmas,
                    year=year,
                    number=decree_form.cleaned_data["number"],
                    signed_on=decree_form.cleaned_data["signed_on"],
                    indicators=picked,
                )
            except ValidationError as exc:
                errors = error_messages(exc)
            else:
                messages.success(request, MSG_DECREE_SAVED % {"year": year})
                if saved.signed_on and saved.signed_on > readiness.targets_due(year):
                    messages.warning(request, MSG_LATE)
                return redirect(f"{request.path}?tahun={year}")
        errors = errors or [MSG_NOTHING_SAVED]
    context |= {
        "year": year,
        "year_value": year,
        "decree": decree,
        "decree_form": decree_form,
        "groups": groups,
        "chosen_count": len(chosen),
        "due": readiness.targets_due(year),
        "late": bool(decree and decree.signed_on and decree.signed_on > readiness.targets_due(year)),
        "errors": errors,
    }
    return render(request, "web/planning/setup/targets.html", context, status=400 if errors else 200)
