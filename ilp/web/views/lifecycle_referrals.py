"""Referrals (rujukan, issue #4): the open ones by default (all on request), each with its steps and, for
the roles that record, a form for the next step the referral chain allows (`rules.referral.TRANSITIONS`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ilp.lifecycle.labels import flag_label
from ilp.lifecycle.models import Referral, ReferralEvent, ReferralStatus
from ilp.lifecycle.rules.referral import TRANSITIONS, Status
from ilp.lifecycle.selectors import referral_list
from ilp.lifecycle.services import referral_advance
from ilp.web.forms_lifecycle import ReferralStepForm
from ilp.web.views.common import paginate
from ilp.web.views.people_common import may_write_people, people_view, today

ALL = "semua"


@dataclass
class ReferralRow:
    referral: Referral
    reasons: list[str]
    form: ReferralStepForm | None


def next_steps(referral: Referral) -> list[tuple[str, str]]:
    """The steps that may follow the referral's status, in the chain's order."""
    allowed = TRANSITIONS[Status(referral.status)]
    return [(value, label) for value, label in ReferralStatus.choices if value in allowed]


def _step_form(referral: Referral, data=None) -> ReferralStepForm | None:
    steps = next_steps(referral)
    if not steps:
        return None
    return ReferralStepForm(data, steps=steps, initial={"date": today()}, prefix=f"r{referral.pk}")


def _render(request, show_all: bool, bound: dict[int, ReferralStepForm] | None = None, status: int = 200):
    scope = request.scope
    referrals = referral_list(scope=scope, open_only=not show_all).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.order_by("date", "id"))
    )
    page = paginate(request, referrals)
    may_write = may_write_people(request.user, scope)
    bound = bound or {}
    rows = [
        ReferralRow(
            referral=r,
            reasons=[flag_label(code) for code in r.reasons],
            form=bound.get(r.pk) or (_step_form(r) if may_write else None),
        )
        for r in page.object_list
    ]
    context = {"page": page, "rows": rows, "show_all": show_all, "all_value": ALL}
    return render(request, "web/lifecycle/referral_list.html", context, status=status)


@people_view()
def referral_list_view(request):
    """Open referrals of the scope, newest first; `?status=semua` shows the closed ones too."""
    return _render(request, show_all=request.GET.get("status") == ALL)


@people_view(write=True)
def referral_step(request, external_id):
    """Record the next step of a referral (POST); back to the list."""
    if request.method != "POST":
        return redirect("web:referral_list")
    try:
        referral = referral_list(scope=request.scope).get(external_id=external_id)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    show_all = request.POST.get("status_filter") == ALL
    form = _step_form(referral, request.POST)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            referral_advance(
                scope=request.scope,
                referral=referral,
                status=data["status"],
                date=data["date"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            label = ReferralStatus(data["status"]).label
            messages.success(
                request, _("Referral of %(name)s: %(step)s recorded.") % {"name": referral.person.name, "step": label}
            )
            url = reverse("web:referral_list")
            return redirect(f"{url}?status={ALL}" if show_all else url)
    if form is None:
        messages.error(request, _("This referral is closed: no further step."))
        return redirect("web:referral_list")
    return _render(request, show_all, bound={referral.pk: form}, status=400)
