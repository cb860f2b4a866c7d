"""What happens to a person: corrections, a move to another family or out of the area, a death,
a pregnancy and its end. Each is a small page with one POST form that calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.people.selectors import current_memberships, family_get, family_list, open_pregnancy, person_get
from ilp.people.services import (
    PERSON_EDITABLE,
    person_move,
    person_move_out,
    person_record_death,
    person_update,
    pregnancy_end,
    pregnancy_record,
)
from ilp.web.forms_people import (
    ConfirmForm,
    DeathForm,
    MoveForm,
    MoveOutForm,
    PersonForm,
    PregnancyEndForm,
    PregnancyForm,
    RegisterSearchForm,
)
from ilp.web.views.common import get_or_404
from ilp.web.views.people_common import people_view, today
from ilp.web.views.people_register import SecondLook, apply_identity_error, find_duplicates

MOVE_SEARCH_LIMIT = 10


def _person(request, external_id):
    return get_or_404(person_get, scope=request.scope, external_id=external_id)


def _done(request, person, message):
    messages.success(request, message)
    return redirect("web:person_detail", external_id=person.external_id)


@people_view(write=True)
def person_update_view(request, external_id):
    """Correct a person's identity and contacts; NIK warnings and likely duplicates need a confirm."""
    person = _person(request, external_id)
    initial = {name: getattr(person, name) for name in PERSON_EDITABLE}
    initial["nik"] = person.nik or ""
    form = PersonForm(request.POST or None, initial=initial, prefix="person")
    confirm = ConfirmForm(request.POST or None, prefix="confirm")
    look = SecondLook()
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        changes = {k: v for k, v in form.service_data().items() if k in PERSON_EDITABLE}
        identity_changed = any(form.cleaned_data[k] != initial[k] for k in ("name", "birth_date", "sex"))
        if identity_changed and not confirm.cleaned_data["confirm_duplicates"]:
            look.duplicates = find_duplicates(
                request.scope, [(changes["name"], changes)], region=person.region, exclude=person
            )
        if not look.duplicates:
            try:
                person_update(
                    scope=request.scope,
                    person=person,
                    confirm_warnings=confirm.cleaned_data["confirm_warnings"],
                    actor=request.user,
                    **changes,
                )
            except ValidationError as err:
                apply_identity_error(err, form, look, changes["name"])
                person = _person(request, external_id)
            else:
                return _done(request, person, _("The person's data was updated."))
    context = {"person": person, "form": form, "confirm": confirm, "look": look, "people_section": True}
    return render(request, "web/people/person_update.html", context)


@people_view(write=True)
def person_move_view(request, external_id):
    """Move a person to another family of the area, found by KK number, name or address."""
    person = _person(request, external_id)
    search = RegisterSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    form = MoveForm(request.POST or None, initial={"on": today()})
    chosen = None
    if request.method == "POST" and form.is_valid():
        chosen = get_or_404(family_get, scope=request.scope, external_id=form.cleaned_data["to_family"])
        try:
            person_move(
                scope=request.scope,
                person=person,
                to_family=chosen,
                relationship=form.cleaned_data["relationship"],
                on=form.cleaned_data["on"],
                actor=request.user,
            )
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            return _done(request, person, _("The person was moved to the other family."))
    current = current_memberships(persons=[person]).get(person.pk)
    candidates = []
    if query:
        candidates = list(family_list(scope=request.scope, search=query)[:MOVE_SEARCH_LIMIT])
        if current is not None:
            candidates = [f for f in candidates if f.pk != current.family_id]
    context = {
        "person": person,
        "current": current,
        "search": search,
        "query": query,
        "candidates": candidates,
        "chosen": chosen,
        "form": form,
        "people_section": True,
    }
    return render(request, "web/people/person_move.html", context)


def _simple_action(request, external_id, *, form_class, service, template, success, title, initial=None):
    """A page with one form whose cleaned data are the service's keywords."""
    person = _person(request, external_id)
    form = form_class(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            service(scope=request.scope, person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_service_errors(err)
            person = _person(request, external_id)
        else:
            return _done(request, person, success)
    context = {"person": person, "form": form, "title": title, "people_section": True}
    return render(request, template, context)


@people_view(write=True)
def person_move_out_view(request, external_id):
    """Record a move out of the area (pindah keluar)."""
    return _simple_action(
        request,
        external_id,
        form_class=MoveOutForm,
        service=person_move_out,
        template="web/people/person_action.html",
        success=_("The move out of the area was recorded."),
        title=gettext_lazy("Moved out of the area"),
        initial={"on": today()},
    )


@people_view(write=True)
def person_death_view(request, external_id):
    """Record (or correct) a death."""
    return _simple_action(
        request,
        external_id,
        form_class=DeathForm,
        service=person_record_death,
        template="web/people/person_action.html",
        success=_("The death was recorded."),
        title=gettext_lazy("Record a death"),
    )


@people_view(write=True)
def pregnancy_record_view(request, external_id):
    """Mark a woman pregnant from her HPHT; the HPL follows."""
    return _simple_action(
        request,
        external_id,
        form_class=PregnancyForm,
        service=pregnancy_record,
        template="web/people/person_action.html",
        success=_("The pregnancy was recorded."),
        title=gettext_lazy("Record a pregnancy"),
    )


@people_view(write=True)
def pregnancy_end_view(request, external_id):
    """End the ongoing pregnancy with its outcome."""
    person = _person(request, external_id)
    pregnancy = open_pregnancy(person=person)
    if pregnancy is None:
        raise Http404
    form = PregnancyEndForm(request.POST or None, initial={"ended_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            pregnancy_end(scope=request.scope, pregnancy=pregnancy, actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            return _done(request, person, _("The end of the pregnancy was recorded."))
    context = {
        "person": person,
        "form": form,
        "pregnancy": pregnancy,
        "title": _("End of the pregnancy"),
        "people_section": True,
    }
    return render(request, "web/people/person_action.html", context)
