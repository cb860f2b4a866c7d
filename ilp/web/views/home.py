"""The home page: who I am, my area, what is in it; my RTL tasks; the ILP rollout for the Dinkes; the posyandu
for a kader."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ilp.accounts.models import Role
from ilp.facilities.models import FacilityKind, IlpStatus
from ilp.facilities.selectors import facility_kind_counts, facility_list, kader_list, puskesmas_district_names
from ilp.planning.selectors import task_counts
from ilp.regions.selectors import level_labels, scope_root_regions
from ilp.web.labels import labelled, region_prefix
from ilp.web.permissions import is_read_only, sees_rollout


def _rollout(scope) -> dict:
    puskesmas = list(facility_list(scope=scope, kind=FacilityKind.PUSKESMAS))
    districts = puskesmas_district_names(scope=scope, facilities=puskesmas)
    rows = [{"facility": f, "district": districts.get(f.pk, "")} for f in puskesmas]
    by_status = dict.fromkeys(IlpStatus.values, 0)
    for f in puskesmas:
        by_status[f.ilp_status] = by_status.get(f.ilp_status, 0) + 1
    return {
        "rows": rows,
        "status_counts": [(IlpStatus(s).label, s, n) for s, n in by_status.items()],
        "pilots": sum(1 for f in puskesmas if f.ilp_pilot),
    }


@login_required
def home(request):
    scope = request.scope
    user = request.user
    labels = level_labels()
    roots = labelled(scope_root_regions(scope=scope), labels)
    counts = facility_kind_counts(scope=scope)
    kind_counts = [(kind, label, counts[kind]) for kind, label in FacilityKind.choices if counts.get(kind)]
    context = {
        "roots": roots,
        "kind_counts": kind_counts,
        "facility_total": sum(counts.values()),
        "read_only": is_read_only(user),
        "user_region_label": region_prefix(user.region.code, user.region.level, labels) if user.region_id else "",
    }
    tasks = task_counts(user=user)
    if tasks["total"]:
        context["rtl_tasks"] = tasks
    if sees_rollout(user):
        context["rollout"] = _rollout(scope)
    if user.role == Role.KADER and user.facility_id:
        posyandu = facility_list(scope=scope, kind=FacilityKind.POSYANDU).filter(pk=user.facility_id).first()
        if posyandu is not None:
            context["my_posyandu"] = posyandu
            context["my_kader"] = kader_list(scope=scope, posyandu=posyandu).prefetch_related(None)
    return render(request, "web/home.html", context)
