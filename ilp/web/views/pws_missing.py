"""PWS "who is missing" (siapa yang belum): the persons or families of an area in an indicator's denominator
but not (yet) in its numerator, by name and address, with one click to put a person on the home-visit
worklist (ILP.md §1.5 sweeping; §3.2 the PWS notifies the pustu of cases to follow up).

The list comes from `indicators.selectors.missing_units`; the click calls
`lifecycle.services.home_visit_request_add`, which is idempotent per indicator (`source`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ilp.core.periods import month_text as period_text
from ilp.indicators import selectors
from ilp.lifecycle.selectors import open_request_person_ids
from ilp.lifecycle.services import home_visit_request_add
from ilp.people.models import Person
from ilp.people.selectors import current_memberships, person_get
from ilp.web.forms_pws import ERR_PERIOD, MissingVisitForm, area_and_indicator, parse_period
from ilp.web.permissions import may_read_people, may_write_people
from ilp.web.views.common import get_or_404, is_partial, paginate
from ilp.web.views.people_common import age_label, today

ERR_NOT_ALLOWED = gettext_lazy("Your role cannot ask for home visits.")
ERR_BAD_REQUEST = gettext_lazy("The request was incomplete; reload the list and try again.")
MSG_ADDED = gettext_lazy("%(name)s is on the home-visit worklist.")
MISSING_PAGE_SIZE = 25


@dataclass
class MissingRow:
    person: Person
    age: str
    address: str
    done: bool = False
    error: str = ""


def visit_source(indicator) -> str:
    """The worklist source code of an indicator's requests (one open request per person and indicator)."""
    return f"pws:{indicator.code}"


def period_label(period) -> str:
    """`November 2026` in the user's language."""
    return date_format(period, "F Y")


def _require_people(request) -> None:
    if not may_read_people(request.user, request.scope):
        raise PermissionDenied


def _default_period():
    return selectors.latest_period() or today()


def _address(street: str, person: Person) -> str:
    """The family's typed address and the person's region, the region left out when the address names it."""
    region = person.region.name
    if not street or region.casefold() in street.casefold():
        return street or region
    return f"{street}, {region}"


def _person_rows(persons: list[Person], indicator) -> list[MissingRow]:
    """Display rows for a page of persons: family address and the open requests, one query each."""
    on = today()
    memberships = current_memberships(persons=persons)
    requested = open_request_person_ids(persons=persons, source=visit_source(indicator))
    rows = []
    for person in persons:
        membership = memberships.get(person.pk)
        address = _address(membership.family.address_text if membership is not None else "", person)
        rows.append(MissingRow(person, age_label(person.birth_date, on), address, done=person.pk in requested))
    return rows


@login_required
def missing_list(request, code, indicator):
    """The missing units of an indicator in an area and month (`?periode=YYYY-MM`, default: the latest month)."""
    area, ind = area_and_indicator(request.scope, code, indicator)
    _require_people(request)
    period = parse_period(request.GET.get("periode"), default=_default_period())
    context = {"area": area, "indicator": ind, "cases": not ind.higher_is_better}
    if period is None:
        context |= {"error": ERR_PERIOD, "period_value": request.GET.get("periode", "")[:20]}
        return render(request, "web/pws/missing.html", context, status=400)
    unit, queryset = selectors.missing_units(scope=request.scope, indicator=ind, area=area, period=period)
    page = paginate(request, queryset, MISSING_PAGE_SIZE)
    objects = list(page.object_list)
    context |= {
        "period": period,
        "period_value": period_text(period),
        "period_label": period_label(period),
        "unit": unit,
        "listable": unit in selectors.LISTABLE_UNITS,
        "page": page,
        "rows": _person_rows(objects, ind) if unit == "person" else [],
        "families": objects if unit == "family" else [],
        "may_add": may_write_people(request.user, request.scope),
    }
    return render(request, "web/pws/missing.html", context)


def _back(code: str, indicator: str, period: str, page: str) -> str:
    query = {"periode": period, **({"page": page} if page.isdigit() else {})}
    return f"{reverse('web:pws_missing', args=[code, indicator])}?{urlencode(query)}"


@login_required
@require_POST
def missing_add_visit(request, code, indicator):
    """Put one person of the list on the home-visit worklist; the row (htmx) or the list (plain POST) says so."""
    area, ind = area_and_indicator(request.scope, code, indicator)
    _require_people(request)
    form = MissingVisitForm(request.POST)
    period = parse_period(form.data.get("periode"), default=_default_period()) if form.is_valid() else None
    if period is None:
        if is_partial(request):
            # htmx swaps only a 2xx answer: the message must reach the row.
            return render(request, "web/pws/_missing_visit.html", {"message": ERR_BAD_REQUEST})
        messages.error(request, ERR_BAD_REQUEST)
        return redirect(reverse("web:pws_missing", args=[area.code, ind.code]))
    person = get_or_404(person_get, scope=request.scope, external_id=form.cleaned_data["orang"])
    error = ""
    try:
        home_visit_request_add(
            actor=request.user,
            scope=request.scope,
            person=person,
            reason=f"{ind.name} — {period_label(period)}",
            source=visit_source(ind),
            on=today(),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except PermissionDenied as exc:
        error = str(exc) or str(ERR_NOT_ALLOWED)
    if is_partial(request):
        row = MissingRow(person, "", "", done=not error, error=error)
        may_add = may_write_people(request.user, request.scope)
        context = {"row": row, "area": area, "indicator": ind, "period_value": period_text(period), "may_add": may_add}
        return render(request, "web/pws/_missing_visit.html", context)
    if error:
        messages.error(request, f"{person.name}: {error}")
    else:
        messages.success(request, str(MSG_ADDED) % {"name": person.name})
    return redirect(_back(area.code, ind.code, period_text(period), form.cleaned_data.get("page") or ""))
