"""Facility list (filter by kind, search, region) and the facility page with its network, staff and kader."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.facilities.models import Cluster, FacilityKind
from ilp.facilities.selectors import (
    KADER_TIERS,
    facility_children,
    facility_get,
    facility_list,
    health_worker_counts,
    health_worker_list,
    kader_counts,
    kader_list,
    network_list,
    puskesmas_working_area,
    visible_facility_ids,
)
from ilp.regions.selectors import level_labels, region_get, region_visible
from ilp.web.forms import FacilityFilterForm
from ilp.web.labels import labelled, region_prefix
from ilp.web.views.common import get_or_404, paginate, render_page


@login_required
def facility_list_view(request):
    scope = request.scope
    form = FacilityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    region = None
    if data.get("wilayah"):
        region = get_or_404(region_get, scope=scope, code=data["wilayah"])
    facilities = facility_list(scope=scope, kind=data.get("kind") or None, search=data.get("q", ""), region=region)
    page = paginate(request, facilities)
    # A parent outside the scope (the pustu of a kader's posyandu) is neither named nor linked.
    linkable = visible_facility_ids(scope=scope, ids=[f.parent_id for f in page.object_list])
    context = {"form": form, "page": page, "region": region, "linkable": linkable}
    return render_page(request, "web/facilities/list.html", "web/facilities/_results.html", context)


def _cluster_groups(workers) -> list[tuple[str, list]]:
    """Workers grouped by cluster in the Juknis order, staff without a cluster last."""
    order = {c.value: i for i, c in enumerate(Cluster)}
    workers = sorted(workers, key=lambda w: (order.get(w.cluster, len(order)), not w.is_cluster_lead, w.name))
    return [(cluster_label(key), list(group)) for key, group in groupby(workers, key=lambda w: w.cluster)]


def cluster_label(key: str) -> str:
    return Cluster(key).label if key else _("No cluster assigned")


@login_required
def facility_detail(request, external_id):
    scope = request.scope
    facility = get_or_404(facility_get, scope=scope, external_id=external_id)
    labels = level_labels()
    children = list(facility_children(scope=scope, facility=facility))
    context = {
        "facility": facility,
        "region_label": region_prefix(facility.region.code, facility.region.level, labels),
        "region_link": region_visible(scope=scope, region=facility.region),
        "parent_link": bool(visible_facility_ids(scope=scope, ids=[facility.parent_id])),
        "children": children,
        "linkable": {facility.pk},
        "is_puskesmas": facility.kind == FacilityKind.PUSKESMAS,
        "is_posyandu": facility.kind == FacilityKind.POSYANDU,
        "person_level": scope.person_level,
    }
    if facility.kind == FacilityKind.PUSKESMAS:
        members = list(network_list(scope=scope, puskesmas=facility))
        context["working_area"] = _working_area(scope, facility, labels)
        context["network"] = members
        context["network_linkable"] = visible_facility_ids(scope=scope, ids=[m.member_id for m in members])
    if scope.person_level:
        context["cluster_groups"] = _cluster_groups(health_worker_list(scope=scope, facility=facility))
        if facility.kind == FacilityKind.POSYANDU:
            context["kader"] = kader_list(scope=scope, posyandu=facility).prefetch_related(None)
    else:
        context["worker_counts"] = health_worker_counts(scope=scope, facility=facility)
        if facility.kind == FacilityKind.POSYANDU:
            context["kader_counts"] = kader_counts(scope=scope, posyandu=facility)
    context["clusters"] = Cluster.choices
    context["tiers"] = [t.label for t in KADER_TIERS]
    context["today"] = timezone.localdate()
    return render(request, "web/facilities/detail.html", context)


def _working_area(scope, facility, labels) -> list[tuple]:
    return labelled(puskesmas_working_area(scope=scope, puskesmas=facility), labels)
