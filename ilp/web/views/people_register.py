"""Registering a family with its members in one flow, adding a member, and correcting a family.

The second look before saving: plausibility warnings on a NIK or KK number (`NikWarnings`, `KkWarnings`)
and likely duplicates of a person without NIK are shown, and the form is saved once the user confirms.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ilp.people.duplicates import likely_duplicates
from ilp.people.selectors import family_get
from ilp.people.services import (
    DuplicateNik,
    IdentityWarnings,
    family_member_add,
    family_register,
    family_update,
)
from ilp.regions.selectors import region_list
from ilp.web.forms_people import ConfirmForm, FamilyForm, MemberFormSet, NewMemberForm
from ilp.web.forms_people import PersonForm as HeadForm
from ilp.web.views.common import get_or_404
from ilp.web.views.people_common import people_view, row_label


def _default_posyandu(scope, form: FamilyForm) -> int | None:
    """The form's initial choice: the posyandu the scope is bound to (a kader's own), as the service defaults."""
    own = scope.posyandu_ids or frozenset()
    if len(own) == 1 and next(iter(own)) in form.posyandu_by_id:
        return next(iter(own))
    if len(form.posyandu_by_id) == 1:
        return next(iter(form.posyandu_by_id))
    return None


def _region(scope, pk: int):
    return region_list(scope=scope, include_ancestors=False).get(pk=pk)


class SecondLook:
    """What the page asks the user to confirm: warnings, likely duplicates, an existing NIK holder."""

    def __init__(self):
        self.warnings: list[tuple[str, list[str]]] = []
        self.duplicates: list[tuple[str, list]] = []
        self.existing = None

    def __bool__(self) -> bool:
        return bool(self.warnings or self.duplicates)


def find_duplicates(scope, people: list[tuple[str, dict]], *, region, exclude=None) -> list[tuple[str, list]]:
    """Likely duplicates of each person about to be saved: (row label, candidates) pairs.

    A person with a new NIK may still be someone registered earlier without one (a newborn, a resident whose
    NIK was not yet recorded), so records without NIK are offered; records with another NIK are another
    identity, and a registered NIK is refused by the service itself.
    """
    found = []
    for label, data in people:
        candidates = likely_duplicates(
            scope=scope,
            name=data["name"],
            birth_date=data["birth_date"],
            birth_date_estimated=data.get("birth_date_estimated", False),
            sex=data.get("sex") or None,
            region=region,
            exclude=exclude,
        )
        if data.get("nik"):
            candidates = [c for c in candidates if not c.person.nik]
        if candidates:
            found.append((label, candidates))
    return found


def apply_identity_error(err: ValidationError, form, look: SecondLook, label: str = "") -> None:
    """A service error onto a form: warnings to confirm, a taken NIK with its holder, or field errors."""
    form.add_service_errors(err)
    if isinstance(err, IdentityWarnings):
        look.warnings.append((label, err.warnings))
    elif isinstance(err, DuplicateNik):
        look.existing = err.existing


def _filled_members(formset) -> list[tuple[int, object]]:
    """(1-based row number on the page, form) of the member rows that were filled in."""
    return [(i, f) for i, f in enumerate(formset.forms, start=1) if f.has_changed() and f.cleaned_data]


def _register(request, family_form, head_form, members, confirm, look: SecondLook):
    """Validate the three parts and call `family_register`; the new family, or None with errors set."""
    parts_valid = [family_form.is_valid(), head_form.is_valid(), members.is_valid(), confirm.is_valid()]
    if not all(parts_valid):
        return None
    scope = request.scope
    data = family_form.cleaned_data
    region = _region(scope, data["region"])
    filled = _filled_members(members)
    if not confirm.cleaned_data["confirm_duplicates"]:
        people = [(row_label("head"), head_form.service_data())]
        people += [(row_label(n), f.service_data()) for n, f in filled]
        look.duplicates = find_duplicates(scope, people, region=region)
        if look.duplicates:
            return None
    # The service numbers members 1.. over the rows it gets; the page numbers every row shown.
    page_row = {i: (n, f) for i, (n, f) in enumerate(filled, start=1)}
    try:
        return family_register(
            scope=scope,
            region=region,
            head=head_form.service_data(),
            members=[f.service_data() for _n, f in filled],
            kk_number=data["kk_number"],
            kk_missing_reason=data["kk_missing_reason"],
            address_text=data["address_text"],
            posyandu=family_form.posyandu_by_id.get(data["posyandu"]),
            confirm_warnings=confirm.cleaned_data["confirm_warnings"],
            actor=request.user,
        )
    except ValidationError as err:
        row = getattr(err, "row", None)
        if row == "head":
            form, label = head_form, row_label("head")
        elif row is not None:
            number, form = page_row[row]
            label = row_label(number)
        else:
            form, label = family_form, _("Family")
        apply_identity_error(err, form, look, label)
        if row is not None:
            messages.error(request, _("%(row)s: please check the marked fields.") % {"row": label})
        return None


def _add_member_row(post):
    data = post.copy()
    data["members-TOTAL_FORMS"] = str(int(data.get("members-TOTAL_FORMS") or 0) + 1)
    return data


@people_view(write=True)
def family_register_view(request):
    """One page registers the family, its head and any number of members, all or nothing."""
    scope = request.scope
    look = SecondLook()
    if request.method == "POST":
        data = _add_member_row(request.POST) if "add_member" in request.POST else request.POST
        family_form = FamilyForm(data, scope=scope, prefix="family")
        head_form = HeadForm(data, prefix="head")
        members = MemberFormSet(data, prefix="members")
        confirm = ConfirmForm(data, prefix="confirm")
        if "add_member" in request.POST:
            # Redisplay what was typed, plus an empty row, without judging the unfinished form.
            for form in (family_form, head_form, confirm, *members.forms):
                form.quiet()
            members._non_form_errors = members.error_class()
        else:
            family = _register(request, family_form, head_form, members, confirm, look)
            if family is not None:
                messages.success(request, _("The family was registered."))
                return redirect("web:family_detail", external_id=family.external_id)
    else:
        family_form = FamilyForm(scope=scope, prefix="family")
        family_form.initial["posyandu"] = _default_posyandu(request.scope, family_form)
        head_form = HeadForm(prefix="head")
        members = MemberFormSet(prefix="members")
        confirm = ConfirmForm(prefix="confirm")
    context = {
        "family_form": family_form,
        "head_form": head_form,
        "members": members,
        "confirm": confirm,
        "look": look,
        "people_section": True,
    }
    return render(request, "web/people/family_register.html", context)


@people_view(write=True)
def family_member_add_view(request, external_id):
    """Add a member (a newborn, someone moving in) to a family, with the same second look."""
    scope = request.scope
    family = get_or_404(family_get, scope=scope, external_id=external_id)
    look = SecondLook()
    form = NewMemberForm(request.POST or None, prefix="person")
    confirm = ConfirmForm(request.POST or None, prefix="confirm")
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        data = form.service_data()
        if not confirm.cleaned_data["confirm_duplicates"]:
            look.duplicates = find_duplicates(scope, [(data["name"], data)], region=family.region)
        if not look.duplicates:
            try:
                person = family_member_add(
                    scope=scope,
                    family=family,
                    confirm_warnings=confirm.cleaned_data["confirm_warnings"],
                    actor=request.user,
                    **data,
                )
            except ValidationError as err:
                apply_identity_error(err, form, look, data["name"])
            else:
                messages.success(request, _("%(name)s was added to the family.") % {"name": person.name})
                return redirect("web:family_detail", external_id=family.external_id)
    context = {"family": family, "form": form, "confirm": confirm, "look": look, "people_section": True}
    return render(request, "web/people/member_add.html", context)


@people_view(write=True)
def family_update_view(request, external_id):
    """Correct the KK number (or its missing reason), the address and the posyandu of a family."""
    scope = request.scope
    family = get_or_404(family_get, scope=scope, external_id=external_id)
    look = SecondLook()
    initial = {
        "region": family.region_id,
        "address_text": family.address_text,
        "posyandu": family.posyandu_id,
        "kk_number": family.kk_number,
        "kk_missing_reason": family.kk_missing_reason,
    }
    form = FamilyForm(request.POST or None, scope=scope, initial=initial, prefix="family")
    confirm = ConfirmForm(request.POST or None, prefix="confirm")
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        data = form.cleaned_data
        try:
            family_update(
                scope=scope,
                family=family,
                kk_number=data["kk_number"],
                kk_missing_reason=data["kk_missing_reason"],
                region=_region(scope, data["region"]),
                address_text=data["address_text"],
                posyandu=form.posyandu_by_id.get(data["posyandu"]),
                confirm_warnings=confirm.cleaned_data["confirm_warnings"],
                actor=request.user,
            )
        except ValidationError as err:
            apply_identity_error(err, form, look, _("Family"))
        else:
            messages.success(request, _("The family was updated."))
            return redirect("web:family_detail", external_id=family.external_id)
    context = {"family": family, "form": form, "confirm": confirm, "look": look, "people_section": True}
    return render(request, "web/people/family_update.html", context)
