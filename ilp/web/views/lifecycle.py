"""The posyandu day (issue #4): the expected sasaran of a posyandu grouped by life stage, each with what
is due and flagged, and a quick entry per person that records the posyandu table's measurements and
services and answers at once with the growth classification, the KMS result (N/T/2T/O/B) and what is
still due.

The list costs a fixed number of queries whatever the number of sasaran (one `care_for` call); the quick
entry is an htmx fragment under the person's row, and a plain page without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from ilp.lifecycle.labels import anc_label
from ilp.lifecycle.models import ObservationKind, Place, ServiceKind
from ilp.lifecycle.rules.growth import MEASURE_LENGTH, default_measure
from ilp.lifecycle.selectors import care_for, next_anc_number, served_on
from ilp.lifecycle.services import ConfirmationNeeded, ServiceInput, encounter_record
from ilp.people import life_stage as ls
from ilp.people.models import FamilyMembership
from ilp.people.selectors import current_memberships, maternal_status, person_get, posyandu_members
from ilp.web.forms_lifecycle import DayForm, QuickEntryForm, service_value
from ilp.web.views.common import get_or_404, is_partial, paginate, render_page
from ilp.web.views.lifecycle_common import (
    GROUP_LABELS,
    CareView,
    care_view,
    care_views,
    group_of,
    posyandu_get,
    posyandu_list,
    profile_of,
)
from ilp.web.views.people_common import LABEL_NIFAS, LABEL_PREGNANT, age_label, may_write_people, people_view, today

K = ObservationKind
# The derived z-scores shown after a quick entry, in the KMS order of the indices.
Z_KINDS = (K.Z_WFA, K.Z_LHFA, K.Z_WFLH, K.Z_BMIFA, K.Z_HCFA, K.Z_ACFA)
# The five steps (langkah) of a posyandu day, ILP.md §1.5 / Juknis posyandu.
STEPS = (
    (_("Registration"), _("find the person in the list below")),
    (_("Weighing and measuring"), _("weight, length/height, LiLA, blood pressure")),
    (_("Recording"), _("type the values into the person's form")),
    (_("Counselling"), _("tick counselling once given")),
    (_("Health service"), _("tick the services given: vitamin A, immunisation, ANC")),
)
LABEL_OVERDUE = _("overdue")


@dataclass
class SessionRow:
    person: object
    membership: FamilyMembership
    age: str
    group: str
    overlay: str
    served: bool
    care: CareView


def _day(request) -> dt.date:
    """The day shown or recorded: `tanggal` (GET or POST), today by default, never in the future."""
    form = DayForm(request.POST if request.method == "POST" else request.GET)
    on = form.cleaned_data.get("tanggal") if form.is_valid() else None
    return min(on or today(), today())


@people_view()
def posyandu_list_view(request):
    """The posyandu the user may hold a day at; a kader (one posyandu) goes straight to theirs."""
    posyandu = posyandu_list(request.scope)
    if posyandu.count() == 1:
        return redirect("web:posyandu_day", external_id=posyandu.get().external_id)
    context = {"page": paginate(request, posyandu, per_page=50)}
    return render(request, "web/lifecycle/posyandu_list.html", context)


def session_rows(
    request, memberships: list[FamilyMembership], posyandu, on: dt.date, care: dict[int, CareView] | None = None
) -> list[SessionRow]:
    """Display rows for these memberships: group, served on `on` at the posyandu, care; a fixed number of queries.
    `care` is the persons' care when the caller already has it (by person id), else it is read here."""
    persons = [m.person for m in memberships]
    pregnancies, delivered = maternal_status(persons=persons, on=on)
    if care is None:
        care = care_views(care_for(persons=persons, on=on), persons)
    served = served_on(facility=posyandu, on=on, persons=persons)
    rows = []
    for membership in memberships:
        person = membership.person
        stage = ls.life_stage(
            birth_date=person.birth_date,
            on=on,
            sex=person.sex,
            pregnant=person.pk in pregnancies,
            delivered_on=delivered.get(person.pk),
        )
        overlay = LABEL_PREGNANT if stage.ibu_hamil else LABEL_NIFAS if stage.ibu_nifas else ""
        rows.append(
            SessionRow(
                person=person,
                membership=membership,
                age=age_label(person.birth_date, on),
                group=group_of(stage),
                overlay=str(overlay),
                served=person.pk in served,
                care=care.get(person.pk) or CareView(),
            )
        )
    return rows


def _sasaran(scope, posyandu, on: dt.date, query: str) -> list[FamilyMembership]:
    """The posyandu's sasaran on `on`, by name."""
    rows = posyandu_members(scope=scope, on=on, posyandu=posyandu, search=query)
    return list(rows.order_by("person__name", "id"))


@people_view()
def posyandu_day(request, external_id):
    """The posyandu day: the five steps, and the sasaran by group with served / due / flags."""
    scope = request.scope
    posyandu = posyandu_get(scope, external_id)
    form = DayForm(request.GET or None)
    on = _day(request)
    query = form.cleaned_data.get("q", "").strip() if form.is_bound and form.is_valid() else ""
    rows = session_rows(request, _sasaran(scope, posyandu, on, query), posyandu, on)
    groups = []
    for key, label in GROUP_LABELS.items():
        members = [r for r in rows if r.group == key]
        groups.append({"key": key, "label": label, "rows": members, "served": sum(r.served for r in members)})
    context = {
        "posyandu": posyandu,
        "on": on,
        "is_today": on == today(),
        "form": form,
        "query": query,
        "groups": groups,
        "total": len(rows),
        "served": sum(r.served for r in rows),
        "steps": STEPS,
        "may_write": may_write_people(request.user, scope),
    }
    return render_page(request, "web/lifecycle/posyandu_day.html", "web/lifecycle/_day_list.html", context)


def _services(profile: str, care: CareView, next_anc: int | None) -> list[tuple[str, str]]:
    """The service tick boxes of the quick entry: what is due today for this person, and counselling."""
    choices = []
    for due in care.due:
        label = f"{due.label} ({LABEL_OVERDUE})" if due.overdue else due.label
        if due.kind == ServiceKind.IMMUNISATION:
            choices.append((service_value(ServiceInput(ServiceKind.IMMUNISATION, due.which)), label))
        elif due.kind in (ServiceKind.VITAMIN_A, ServiceKind.DEWORMING):
            choices.append((service_value(ServiceInput(due.kind)), label))
    if profile == "pregnant" and next_anc is not None:
        choices.append((service_value(ServiceInput(ServiceKind.ANC, dose=next_anc)), anc_label(next_anc)))
        choices.append((service_value(ServiceInput(ServiceKind.IRON_FOLATE)), str(ServiceKind.IRON_FOLATE.label)))
    choices.append((service_value(ServiceInput(ServiceKind.COUNSELLING)), str(ServiceKind.COUNSELLING.label)))
    return choices


def _next_anc(person, pregnancy, on) -> int | None:
    return None if pregnancy is None else next_anc_number(person=person, lmp_date=pregnancy.lmp_date, on=on)


def _row_for(request, person, posyandu, on, care: CareView) -> SessionRow | None:
    membership = current_memberships(persons=[person]).get(person.pk)
    if membership is None:
        return None
    return session_rows(request, [membership], posyandu, on, care={person.pk: care})[0]


@people_view(write=True)
def posyandu_entry(request, external_id, person_id):
    """The quick entry of one person at the posyandu day; on save, the classification and what is still due."""
    scope = request.scope
    posyandu = posyandu_get(scope, external_id)
    person = get_or_404(person_get, scope=scope, external_id=person_id)
    on = _day(request)
    pregnancies, delivered = maternal_status(persons=[person], on=on)
    pregnancy = pregnancies.get(person.pk)
    stage = ls.life_stage(
        birth_date=person.birth_date, on=on, sex=person.sex, pregnant=pregnancy is not None,
        delivered_on=delivered.get(person.pk),
    )  # fmt: skip
    profile = profile_of(group_of(stage))
    care = care_view(care_for(persons=[person], on=on).get(person.pk))
    measure = "L" if default_measure((on - person.birth_date).days) == MEASURE_LENGTH else "H"
    form = QuickEntryForm(
        request.POST if request.method == "POST" else None,
        profile=profile,
        services=_services(profile, care, _next_anc(person, pregnancy, on)),
        measure=measure,
        prefix=f"p{person.pk}",
    )
    context = {"posyandu": posyandu, "person": person, "on": on, "form": form, "care": care, "profile": profile}
    if request.method == "POST" and form.is_valid():
        try:
            recorded = encounter_record(
                scope=scope,
                person=person,
                date=on,
                place=Place.POSYANDU,
                facility=posyandu,
                observations=form.observations(),
                services=form.services(),
                confirm_implausible=form.cleaned_data["confirm"],
                actor=request.user,
            )
        except ConfirmationNeeded as unusual:
            form.set_warnings(unusual.warnings)
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            return _saved(request, recorded, person, posyandu, on)
    template = "web/lifecycle/_entry_form.html" if is_partial(request) else "web/lifecycle/entry_page.html"
    return render(request, template, context)


def _saved(request, recorded, person, posyandu, on):
    care = care_view(care_for(persons=[person], on=on).get(person.pk))
    observed = recorded.observations
    zscores = [(str(kind.label), observed[kind].value) for kind in Z_KINDS if kind in observed]
    context = {
        "posyandu": posyandu,
        "person": person,
        "on": on,
        "care": care,
        "recorded": recorded,
        "zscores": zscores,
        "row": _row_for(request, person, posyandu, on, care),
        "may_write": True,
        "oob": is_partial(request),
    }
    template = "web/lifecycle/_entry_result.html" if is_partial(request) else "web/lifecycle/entry_page.html"
    return render(request, template, context)
