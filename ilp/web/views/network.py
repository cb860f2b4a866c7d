"""The jejaring fungsional: the members of each puskesmas' network and their agreements."""

import datetime as dt
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ilp.facilities.selectors import network_list, visible_facility_ids


@login_required
def network_list_view(request):
    scope = request.scope
    members = list(network_list(scope=scope))
    groups = [(puskesmas, list(rows)) for puskesmas, rows in groupby(members, key=lambda m: m.puskesmas)]
    linkable = visible_facility_ids(scope=scope, ids={m.member_id for m in members} | {m.puskesmas_id for m in members})
    today: dt.date = timezone.localdate()
    context = {"groups": groups, "linkable": linkable, "today": today, "member_count": len(members)}
    return render(request, "web/network/list.html", context)
