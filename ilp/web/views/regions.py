"""The region browser: search, the roots of my area, a region with its children and facilities,
and the form that adds a dusun/jorong, RW or RT under a desa."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilp.facilities.selectors import facilities_in_region, facility_kinds_in_region, visible_facility_ids
from ilp.regions.models import Level
from ilp.regions.selectors import (
    level_labels,
    region_breadcrumb,
    region_get,
    region_in_scope,
    region_list,
    scope_root_regions,
)
from ilp.regions.services import subvillage_create
from ilp.web.forms import RegionSearchForm, SubvillageForm, subvillage_levels
from ilp.web.labels import labelled, region_prefix
from ilp.web.permissions import can_add_subvillage
from ilp.web.views.common import get_or_404, render_page

SEARCH_LIMIT = 50
REGION_FACILITY_LIMIT = 20


@login_required
def region_list_view(request):
    form = RegionSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    labels = level_labels()
    context = {"form": form, "query": query}
    if query:
        found = list(region_list(scope=request.scope, search=query)[: SEARCH_LIMIT + 1])
        context["results"] = labelled(found[:SEARCH_LIMIT], labels)
        context["truncated"] = len(found) > SEARCH_LIMIT
    context["roots"] = labelled(scope_root_regions(scope=request.scope), labels)
    return render_page(request, "web/regions/list.html", "web/regions/_results.html", context)


def _form_allowed(request, region) -> bool:
    return (
        can_add_subvillage(request.user)
        and region.level >= Level.VILLAGE
        and bool(subvillage_levels(region))
        and region_in_scope(scope=request.scope, region=region)
    )


def _detail_context(request, region, labels, form=None) -> dict:
    scope = request.scope
    children = region_list(scope=scope, parent=region)
    kind_counts = facility_kinds_in_region(scope=scope, region=region)
    total = sum(n for _kind, _label, n in kind_counts)
    # A kabupaten holds hundreds of posyandu: above the limit the page shows counts by kind, not rows.
    shown = list(facilities_in_region(scope=scope, region=region)) if total <= REGION_FACILITY_LIMIT else []
    context = {
        "region": region,
        "region_label": region_prefix(region.code, region.level, labels),
        "breadcrumb": labelled(region_breadcrumb(region), labels),
        "children": labelled(children, labels),
        "facilities": shown,
        "linkable": visible_facility_ids(scope=scope, ids=[f.parent_id for f in shown]),
        "facility_count": total,
        "kind_counts": kind_counts,
        "in_scope": region_in_scope(scope=scope, region=region),
    }
    if _form_allowed(request, region):
        context["form"] = form or SubvillageForm(parent=region, labels=labels)
    return context


@login_required
def region_detail(request, code):
    region = get_or_404(region_get, scope=request.scope, code=code)
    labels = level_labels()
    return render(request, "web/regions/detail.html", _detail_context(request, region, labels))


@login_required
@require_POST
def region_subvillage_create(request, code):
    if not can_add_subvillage(request.user):
        raise PermissionDenied
    region = get_or_404(region_get, scope=request.scope, code=code)
    labels = level_labels()
    if not _form_allowed(request, region):
        raise PermissionDenied
    form = SubvillageForm(request.POST, parent=region, labels=labels)
    if form.is_valid():
        try:
            unit = subvillage_create(
                scope=request.scope,
                parent=region,
                level=form.cleaned_data["level"],
                name=form.cleaned_data["name"],
                local_code=form.cleaned_data["local_code"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(label)s %(name)s (%(code)s) was added.")
                % {"label": region_prefix(unit.code, unit.level, labels), "name": unit.name, "code": unit.code},
            )
            return redirect("web:region_detail", code=region.code)
    return render(request, "web/regions/detail.html", _detail_context(request, region, labels, form))
