"""Duplicate review: the likely duplicates of a person, a side-by-side merge with a confirm step,
and the merges of the area for review (`ilp.people.merge.person_merge`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.people.duplicates import duplicate_pairs, likely_duplicates
from ilp.people.merge import person_merge
from ilp.people.selectors import current_memberships, person_get, person_list, person_merge_list
from ilp.web.forms_people import MergeForm, RegisterSearchForm
from ilp.web.views.common import get_or_404, paginate
from ilp.web.views.people_common import people_view, person_views, shown_nik

SEARCH_LIMIT = 20

# The rows of the side-by-side comparison: (label, how to read the value off a display row).
COMPARED = (
    (gettext_lazy("Name"), lambda r: r.person.name),
    (gettext_lazy("NIK"), lambda r: r.nik or r.person.get_nik_missing_reason_display()),
    (gettext_lazy("Sex"), lambda r: r.person.get_sex_display()),
    (gettext_lazy("Birth date"), lambda r: r.person.birth_date.strftime("%d-%m-%Y")),
    (gettext_lazy("Age"), lambda r: r.age),
    (gettext_lazy("Family (KK)"), lambda r: r.membership.family.kk_number if r.membership else "—"),
    (gettext_lazy("Phone"), lambda r: r.person.phone or "—"),
    (gettext_lazy("JKN/BPJS number"), lambda r: r.person.jkn_number or "—"),
    (gettext_lazy("Date of death"), lambda r: r.person.death_date.strftime("%d-%m-%Y") if r.person.death_date else "—"),
)

# The worklist shows the best pairs; the next ones come up as these are merged.
PAIRS_SHOWN = 30
# Past this many persons in scope (a kabupaten) the worklist would take seconds: the user searches instead.
PAIRS_MAX_PERSONS = 50_000


@people_view(write=True)
def duplicate_review(request):
    """Find a person, then see who else in the area is probably the same person."""
    scope = request.scope
    search = RegisterSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    context = {"search": search, "query": query, "people_section": True}
    if request.GET.get("orang"):
        person = get_or_404(person_get, scope=scope, external_id=request.GET["orang"])
        candidates = likely_duplicates(
            scope=scope,
            name=person.name,
            birth_date=person.birth_date,
            birth_date_estimated=person.birth_date_estimated,
            sex=person.sex,
            region=person.region,
            exclude=person,
        )
        context["person"] = person
        context["nik"] = shown_nik(request.user, person.nik)
        context["candidates"] = [(c, shown_nik(request.user, c.person.nik)) for c in candidates]
    elif query:
        found = list(person_list(scope=scope, search=query)[:SEARCH_LIMIT])
        context["found"] = person_views(request.user, found)
    elif person_list(scope=scope).count() <= PAIRS_MAX_PERSONS:
        context["pairs"] = [_pair_row(request.user, pair) for pair in duplicate_pairs(scope=scope, limit=PAIRS_SHOWN)]
    else:
        context["area_too_wide"] = True
    return render(request, "web/people/duplicates.html", context)


def _pair_row(user, pair) -> dict:
    # The record with a NIK is proposed as the one that stays; the other carries only history.
    keep, drop = (pair.second, pair.first) if pair.second.nik and not pair.first.nik else (pair.first, pair.second)
    return {
        "score": pair.score,
        "keep": keep,
        "drop": drop,
        "keep_nik": shown_nik(user, keep.nik),
        "drop_nik": shown_nik(user, drop.nik),
    }


@people_view(write=True)
def person_merge_view(request):
    """Compare two records side by side; merging needs a reason and an explicit confirm."""
    scope = request.scope
    source = request.POST if request.method == "POST" else request.GET
    survivor = get_or_404(person_get, scope=scope, external_id=source.get("tetap", ""))
    duplicate = get_or_404(person_get, scope=scope, external_id=source.get("duplikat", ""))
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_merge(
                scope=scope,
                survivor=survivor,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            messages.success(request, _("The two records were merged."))
            return redirect("web:person_detail", external_id=survivor.external_id)
    pair = [survivor, duplicate]
    rows = person_views(request.user, pair, memberships=current_memberships(persons=pair))
    comparison = [(label, read(rows[0]), read(rows[1])) for label, read in COMPARED]
    context = {
        "survivor": survivor,
        "duplicate": duplicate,
        "rows": rows,
        "comparison": comparison,
        "form": form,
        "people_section": True,
    }
    return render(request, "web/people/merge.html", context)


@people_view()
def merge_list_view(request):
    """The merges whose surviving record lives in the area, newest first: who, when, why, what."""
    page = paginate(request, person_merge_list(scope=request.scope))
    rows = []
    for merge in page.object_list:
        before = merge.snapshot.get("person", {})
        rows.append(
            {
                "merge": merge,
                "name": before.get("name", ""),
                "birth_date": before.get("birth_date", ""),
                "nik": shown_nik(request.user, before.get("nik")),
                "moved": merge.snapshot.get("moved", {}),
                "closed": merge.snapshot.get("closed_membership"),
            }
        )
    context = {"page": page, "rows": rows, "people_section": True}
    return render(request, "web/people/merge_list.html", context)
