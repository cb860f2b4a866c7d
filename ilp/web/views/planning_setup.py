"""ILP preparation (stage 0) and the functional network (stage 1): the kabupaten's rollout page and the page
of one puskesmas. The checklist and the targets are in `planning_setup_readiness`, the RACI matrix and the
network in `planning_setup_raci`. Logic lives in `ilp.planning.readiness`, `.network` and `.services.setup`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ilp.accounts.models import Role
from ilp.facilities.models import Facility, FacilityKind
from ilp.facilities.selectors import facility_list, puskesmas_district_names
from ilp.planning import readiness
from ilp.planning.models import Cycle
from ilp.planning.selectors import cycle_list
from ilp.planning.services import setup
from ilp.web.forms_planning_setup import IlpStatusForm
from ilp.web.permissions import sees_rollout

MSG_STATUS_SAVED = _("ILP status of %(name)s saved.")
MSG_NOTHING_SAVED = _("Nothing was saved: correct the rows marked below.")


def cycle_url(cycle: Cycle | None) -> str | None:
    return reverse("web:planning_cycle", args=[cycle.external_id]) if cycle is not None else None


def get_puskesmas(request, code: str) -> Facility:
    """The puskesmas of the URL; 404 when unknown or outside the user's scope."""
    found = facility_list(scope=request.scope, kind=FacilityKind.PUSKESMAS).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def all_valid(forms) -> bool:
    """Validate every form (not only up to the first invalid one), so each row shows its errors."""
    results = [form.is_valid() for form in forms]
    return all(results)


def error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


class Rollback(Exception):
    """Raised inside a save's transaction when a row failed: nothing of the form is kept."""


def write_rows(rows, write) -> int | None:
    """Call `write(row)` for every row (it returns whether it wrote) in one transaction, putting a service error
    on the row's form; None (nothing kept) when one failed."""
    saved = 0
    try:
        with transaction.atomic():
            failed = False
            for row in rows:
                try:
                    with transaction.atomic():
                        saved += bool(write(row))
                except ValidationError as exc:
                    failed = True
                    row.form.add_error(None, error_messages(exc))
            if failed:
                raise Rollback
    except Rollback:
        return None
    return saved


def _status_form(request, puskesmas, data=None) -> IlpStatusForm:
    allowed = [p for p in puskesmas if setup.may_set_status(request.user, p)]
    return IlpStatusForm(data, puskesmas=allowed, prefix="status")


@login_required
@require_http_methods(["GET", "POST"])
def planning_home(request):
    """The Dinkes' rollout page of every puskesmas in its kabupaten; the puskesmas team goes to its puskesmas,
    the other roles to their ILP tasks."""
    user = request.user
    if not sees_rollout(user):
        if user.role in (Role.KEPALA_PUSKESMAS, Role.CLUSTER_STAFF) and user.facility_id:
            return redirect("web:planning_puskesmas", user.facility.code)
        return redirect("web:planning_tasks")
    puskesmas = list(facility_list(scope=request.scope, kind=FacilityKind.PUSKESMAS))
    form = _status_form(request, puskesmas, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.fields["puskesmas"].choices[1:]:
            raise PermissionDenied(setup.ERR_DINKES_ONLY)
        if form.is_valid():
            data = form.cleaned_data
            try:
                setup.ilp_status_set(
                    actor=user,
                    puskesmas=data["puskesmas"],
                    status=data["status"],
                    start_date=data["start_date"],
                    pilot=data["pilot"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error({"ilp_start_date": "start_date", "ilp_status": "status"}.get(field), errors)
            else:
                messages.success(request, MSG_STATUS_SAVED % {"name": data["puskesmas"].name})
                return redirect("web:planning_home")
    rows = readiness.rollout(puskesmas)
    districts = puskesmas_district_names(scope=request.scope, facilities=puskesmas)
    context = {
        "rows": [(row, districts.get(row.puskesmas.pk, ""), cycle_url(row.open_cycle)) for row in rows],
        "status_counts": readiness.status_counts(puskesmas),
        "pilots": sum(1 for p in puskesmas if p.ilp_pilot),
        "status_form": form if form.fields["puskesmas"].choices[1:] else None,
        "report_url": reverse("web:planning_report", args=[user.region.code]) if user.region_id else "",
    }
    return render(request, "web/planning/setup/home.html", context, status=400 if form.errors else 200)


@login_required
def puskesmas_page(request, code: str):
    """One puskesmas' ILP: rollout status, readiness, the preparation pages, and its cycles."""
    puskesmas = get_puskesmas(request, code)
    state = readiness.readiness_of(puskesmas)
    cycles = cycle_list(scope=request.scope).filter(puskesmas=puskesmas)
    context = {
        "puskesmas": puskesmas,
        "readiness": state,
        "cycles": [(c, cycle_url(c)) for c in cycles],
        "new_cycle_url": reverse("web:planning_cycle_new", args=[puskesmas.code]),
        "may_prepare": setup.may_prepare(request.user, puskesmas),
        "home_url": reverse("web:planning_home") if sees_rollout(request.user) else None,
        "tab": "overview",
    }
    return render(request, "web/planning/setup/puskesmas.html", context)
