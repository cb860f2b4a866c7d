"""The family register: search, the family folder and the person page (issue #3).

Reads go through `ilp.people.selectors` with `request.scope` (outside it: 404); the forms that change
anything live in `people_register`, `people_actions` and `people_merge`.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from ilp.facilities.selectors import puskesmas_name_of_village
from ilp.lifecycle.selectors import care_for
from ilp.people.selectors import (
    current_memberships,
    family_get,
    family_list,
    family_members,
    maternal_status,
    person_get,
    person_list,
)
from ilp.web.forms_people import RegisterSearchForm
from ilp.web.views.common import get_or_404, render_page
from ilp.web.views.lifecycle_common import care_views
from ilp.web.views.lifecycle_person import person_care_context
from ilp.web.views.people_common import (
    describe,
    may_write_people,
    people_view,
    person_views,
    today,
)

FAMILY_PAGE_SIZE = 20
PERSON_PAGE_SIZE = 20


def _page(request, queryset, param: str, size: int):
    return Paginator(queryset, size).get_page(request.GET.get(param))


@people_view()
def family_list_view(request):
    """One search box over the register: families (KK, head, address) and persons (name, NIK)."""
    scope = request.scope
    form = RegisterSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    families = family_list(scope=scope, search=query).annotate(
        member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True))
    )
    context = {
        "form": form,
        "query": query,
        "families": _page(request, families, "page", FAMILY_PAGE_SIZE),
        "may_write": may_write_people(request.user, scope),
        "people_section": True,
    }
    if query:
        persons = _page(request, person_list(scope=scope, search=query), "orang", PERSON_PAGE_SIZE)
        rows = list(persons.object_list)
        context["persons"] = persons
        context["person_rows"] = person_views(request.user, rows, memberships=current_memberships(persons=rows))
    return render_page(request, "web/people/family_list.html", "web/people/_results.html", context)


def puskesmas_name(family) -> str:
    """The puskesmas whose working area holds the family's desa, for the printed folder's heading."""
    return puskesmas_name_of_village(village_id=family.region.village_id)


@people_view()
def family_detail(request, external_id):
    """The family folder: current members with age, life stage, pregnancy; past members; actions."""
    scope = request.scope
    family = get_or_404(family_get, scope=scope, external_id=external_id)
    members = family_members(family=family)
    persons = [m.person for m in members]
    rows = person_views(request.user, persons, memberships={m.person_id: m for m in members})
    care = care_views(care_for(persons=persons, on=today()), persons)
    for row in rows:
        row.care = care[row.person.pk]
    past = family.memberships.filter(end_date__isnull=False).select_related("person").order_by("-end_date", "-id")
    context = {
        "family": family,
        "rows": rows,
        "past": list(past),
        "today": today(),
        "puskesmas": puskesmas_name(family),
        "may_write": may_write_people(request.user, scope),
        "people_section": True,
    }
    return render(request, "web/people/family_detail.html", context)


@people_view()
def person_detail(request, external_id):
    """A person: identity, family, life stage, pregnancies, moves, merges, and the action links."""
    scope = request.scope
    person = get_or_404(person_get, scope=scope, external_id=external_id)
    on = today()
    pregnancies, delivered = maternal_status(persons=[person], on=on)
    membership = current_memberships(persons=[person]).get(person.pk)
    row = describe(
        request.user,
        person,
        on=on,
        pregnancy=pregnancies.get(person.pk),
        delivered_on=delivered.get(person.pk),
        membership=membership,
    )
    history = person.memberships.select_related("family").order_by("-start_date", "-id")
    context = {
        "row": row,
        "person": person,
        "membership": membership,
        "history": list(history),
        "pregnancies": list(person.pregnancies.all()),
        "migrations": list(person.migrations.all()),
        "merges": list(person.merges_survived.select_related("merged", "merged_by")),
        "may_write": may_write_people(request.user, scope) and person.merged_into_id is None,
        "people_section": True,
        **person_care_context(request, person),
    }
    return render(request, "web/people/person_detail.html", context)
