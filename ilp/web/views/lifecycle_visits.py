"""The home-visit worklist (kunjungan rumah, issue #4): the families of a posyandu to visit and why, as a
page to work from and an A4 sheet to print for a posyandu without connectivity, and per family a form
that records the visit and closes the reasons it addressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ilp.lifecycle.services import home_visit_record
from ilp.lifecycle.worklist import REASON_LABELS, FamilyItem, Reason, home_visit_worklist
from ilp.people.selectors import family_get, family_members
from ilp.web.forms_lifecycle import HomeVisitForm
from ilp.web.views.common import get_or_404
from ilp.web.views.lifecycle_common import posyandu_get, posyandu_list
from ilp.web.views.people_common import age_label, may_write_people, people_view, today


@dataclass
class WorklistRow:
    item: FamilyItem
    members: list[tuple[object, str, list[tuple[str, list[str]]]]]  # membership, age, [(reason, details)]
    open_reasons: list[str]
    form: HomeVisitForm | None


def _reason_choices(codes) -> list[tuple[str, str]]:
    return [(code, str(REASON_LABELS.get(code, code))) for code in codes]


def _form(family, members, reasons, data=None) -> HomeVisitForm:
    return HomeVisitForm(
        data,
        reasons=_reason_choices(reasons),
        members=[(m.person_id, m.person.name) for m in members],
        initial={"date": today(), "reasons": list(reasons)},
        prefix=f"f{family.pk}",
    )


@people_view()
def home_visit_list(request):
    """The worklist of one posyandu (a kader's own; the others choose one of their scope)."""
    scope = request.scope
    choices = posyandu_list(scope)
    count = choices.count()
    chosen = request.GET.get("posyandu", "")
    if chosen:
        posyandu = posyandu_get(scope, chosen)
    elif count == 1:
        posyandu = choices.get()
    else:
        context = {"choices": choices[:200]}
        return render(request, "web/lifecycle/worklist_choose.html", context)
    on = today()
    may_write = may_write_people(request.user, scope)
    rows = []
    for item in home_visit_worklist(scope=scope, on=on, posyandu=posyandu):
        members = [
            (
                m.membership,
                age_label(m.membership.person.birth_date, on),
                [(str(REASON_LABELS.get(r, r)), details) for r, details in sorted(m.reasons.items())],
            )
            for m in item.members
        ]
        memberships = [m.membership for m in item.members]
        form = _form(item.family, memberships, item.open_reasons) if may_write else None
        rows.append(WorklistRow(item, members, [str(REASON_LABELS[r]) for r in item.open_reasons], form))
    context = {
        "posyandu": posyandu,
        "on": on,
        "rows": rows,
        "several": count > 1,
    }
    return render(request, "web/lifecycle/worklist.html", context)


@people_view(write=True)
def home_visit_new(request, external_id):
    """Record a home visit to a family (POST from the worklist); back to the worklist."""
    family = get_or_404(family_get, scope=request.scope, external_id=external_id)
    url = reverse("web:home_visit_list")
    if family.posyandu_id:
        url = f"{url}?posyandu={family.posyandu.external_id}"
    if request.method != "POST":
        return redirect(url)
    members = family_members(family=family)
    form = _form(family, members, [r.value for r in Reason], request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = next((m.person for m in members if m.person_id == data["person"]), None)
        try:
            home_visit_record(
                scope=request.scope,
                family=family,
                date=data["date"],
                person=person,
                reasons=data["reasons"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        else:
            head = family.head.name if family.head else ""
            messages.success(request, _("Home visit to the family of %(head)s recorded.") % {"head": head})
    else:
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for message in errors:
                messages.error(request, f"{form[name].label}: {message}" if field is not None else message)
    return redirect(url)
