"""The workforce: health workers by facility and cluster, and kader with their competencies.

An aggregate-only role (lintas sektor, `scope.person_level` False) sees headcounts, never names.
"""

from itertools import groupby

from django.contrib.auth.decorators import login_required

from ilp.facilities.models import Cluster, CompetencyGroup
from ilp.facilities.selectors import (
    KADER_TIERS,
    health_worker_counts,
    health_worker_list,
    kader_competency_summary,
    kader_counts,
    kader_list,
)
from ilp.web.forms import HealthWorkerFilterForm, KaderFilterForm
from ilp.web.views.common import paginate, render_page

WORKER_PAGE_SIZE = 50


@login_required
def health_worker_list_view(request):
    scope = request.scope
    form = HealthWorkerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    cluster = data.get("cluster", "")
    context = {"form": form, "person_level": scope.person_level, "clusters": Cluster.choices}
    if scope.person_level:
        workers = health_worker_list(scope=scope, cluster=cluster, search=data.get("q", ""))
        page = paginate(request, workers, WORKER_PAGE_SIZE)
        context["page"] = page
        context["groups"] = [(f, list(rows)) for f, rows in groupby(page.object_list, key=lambda w: w.facility)]
    else:
        context["counts"] = health_worker_counts(scope=scope, cluster=cluster)
    return render_page(request, "web/workforce/health_workers.html", "web/workforce/_health_workers.html", context)


@login_required
def kader_list_view(request):
    scope = request.scope
    form = KaderFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    context = {"form": form, "person_level": scope.person_level, "groups": CompetencyGroup.choices}
    if scope.person_level:
        page = paginate(request, kader_list(scope=scope, search=data.get("q", "")))
        context["page"] = page
        rows = []
        for kader in page.object_list:
            latest = kader_competency_summary(kader)
            rows.append((kader, [(label, latest.get(group)) for group, label in CompetencyGroup.choices]))
        context["rows"] = rows
    else:
        context["counts"] = kader_counts(scope=scope)
        context["tiers"] = [t.label for t in KADER_TIERS]
    return render_page(request, "web/workforce/kader.html", "web/workforce/_kader.html", context)
