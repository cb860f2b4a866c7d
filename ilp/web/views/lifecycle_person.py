"""A person's services (issue #4): the "Pelayanan" panel of the person page (flags, due services, growth,
referrals, the encounter history), the full visit form and the referral form."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ilp.facilities.models import FacilityKind
from ilp.facilities.selectors import facility_ancestor
from ilp.lifecycle.labels import OBSERVATION_CODES, service_label
from ilp.lifecycle.models import (
    CODED_KINDS,
    DERIVED_KINDS,
    Encounter,
    EncounterStatus,
    ObservationKind,
    ReferralLevel,
    ServiceKind,
)
from ilp.lifecycle.rules.referral import next_level, suggested_level
from ilp.lifecycle.selectors import care_for, encounter_list, is_active, referral_list
from ilp.lifecycle.services import ConfirmationNeeded, encounter_record, encounter_void, referral_create
from ilp.people.life_stage import age_in_years
from ilp.people.selectors import person_get
from ilp.web.forms_lifecycle import SHORT_LABELS, EncounterForm, ReferralForm
from ilp.web.views.common import get_or_404
from ilp.web.views.lifecycle_common import (
    RECORDING_KINDS,
    REFERRAL_KINDS,
    care_view,
    default_level,
    default_place,
    facility_choices,
    place_choices,
    scoped_facility,
)
from ilp.web.views.people_common import may_write_people, people_view, today

HISTORY_LIMIT = 50
# Which form groups open first for a life stage (the rest stay folded on a phone).
OPEN_GROUPS = {"child": {"body"}, "adult": {"body", "vitals", "screening"}}
# The facility kind a referral level goes to, to prefill the destination from the user's own chain.
_LEVEL_KIND = {
    ReferralLevel.PUSTU: FacilityKind.PUSTU,
    ReferralLevel.PUSKESMAS: FacilityKind.PUSKESMAS,
    ReferralLevel.HOSPITAL: FacilityKind.RUMAH_SAKIT,
}


@dataclass
class EncounterRow:
    encounter: Encounter
    values: list[tuple[str, str]] = field(default_factory=list)
    zscores: list[tuple[str, float]] = field(default_factory=list)
    services: list[str] = field(default_factory=list)

    @property
    def voided(self) -> bool:
        return self.encounter.status == EncounterStatus.VOIDED


def _value(obs) -> str:
    if obs.kind in CODED_KINDS:
        return ", ".join(str(OBSERVATION_CODES.get(c, c)) for c in obs.code.split(","))
    return f"{obs.value:g}"


def encounter_rows(encounters) -> list[EncounterRow]:
    rows = []
    for encounter in encounters:
        row = EncounterRow(encounter)
        for obs in encounter.observations.all():
            if obs.kind in DERIVED_KINDS and obs.kind not in CODED_KINDS:
                if obs.value is not None:
                    row.zscores.append((str(ObservationKind(obs.kind).label), obs.value))
            elif obs.kind in ObservationKind.values:
                label = SHORT_LABELS.get(obs.kind) or ObservationKind(obs.kind).label
                row.values.append((str(label), _value(obs)))
        row.services = [service_label(s.kind, s.code, s.dose) for s in encounter.services.all()]
        rows.append(row)
    return rows


def person_care_context(request, person) -> dict:
    """What the person page's "Pelayanan" panel shows; a fixed number of queries."""
    scope = request.scope
    care = care_view(care_for(persons=[person], on=today()).get(person.pk))
    active = is_active(person)
    return {
        "care": care,
        "care_active": active,
        "encounters": encounter_rows(encounter_list(scope=scope, person=person)[:HISTORY_LIMIT]),
        "referrals": list(referral_list(scope=scope).filter(person=person)[:10]),
        "may_record": active and may_write_people(request.user, scope),
    }


def _person(request, external_id):
    return get_or_404(person_get, scope=request.scope, external_id=external_id)


@people_view(write=True)
def encounter_new(request, external_id):
    """Record a visit: place, facility, every observation (screening scores included), the services given."""
    scope, user = request.scope, request.user
    person = _person(request, external_id)
    on = today()
    care = care_view(care_for(persons=[person], on=on).get(person.pk))
    due_doses = [d.which for d in care.due if d.kind == ServiceKind.IMMUNISATION]
    initial = {"date": on, "place": default_place(user), "facility": user.facility_id}
    form = EncounterForm(
        request.POST or None,
        initial=initial,
        places=place_choices(user),
        facilities=facility_choices(scope, RECORDING_KINDS),
        due_doses=due_doses,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            encounter_record(
                scope=scope,
                person=person,
                date=data["date"],
                place=data["place"],
                facility=scoped_facility(scope, data["facility"]),
                observations=form.observations(),
                services=form.services(),
                note=data["note"],
                confirm_implausible=data["confirm"],
                actor=user,
            )
        except ConfirmationNeeded as unusual:
            form.set_warnings(unusual.warnings)
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("web:person_detail", external_id=person.external_id)
    child = age_in_years(person.birth_date, on) < 19
    context = {
        "person": person,
        "form": form,
        "care": care,
        "open_groups": OPEN_GROUPS["child" if child else "adult"],
        "title": _("Record a visit"),
        "people_section": True,
    }
    return render(request, "web/lifecycle/encounter_form.html", context)


def _facility_up(user, level: str) -> int | None:
    """The user's own facility or the one above it of the referral's level (posyandu → pustu → puskesmas)."""
    kind = _LEVEL_KIND.get(level)
    if kind is None:
        return None
    facility = facility_ancestor(facility=getattr(user, "facility", None), kind=kind)
    return facility.pk if facility is not None else None


@people_view(write=True)
def referral_new(request, external_id):
    """Refer the person up the chain, prefilled from the flags that name a level (`suggested_level`)."""
    scope, user = request.scope, request.user
    person = _person(request, external_id)
    care = care_view(care_for(persons=[person], on=today()).get(person.pk))
    from_level = default_level(user)
    needed = [f.refer_code for f in care.referable]
    to_level = suggested_level(from_level=from_level, needed=needed)
    if to_level is None:
        to_level = next_level(from_level) or from_level
    initial = {
        "date": today(),
        "from_level": from_level,
        "to_level": to_level,
        "to_facility": _facility_up(user, to_level),
        "reasons": [f.code for f in care.referable],
    }
    form = ReferralForm(
        request.POST or None,
        initial=initial,
        facilities=facility_choices(scope, REFERRAL_KINDS),
        flags=[(f.code, f.label) for f in care.flags],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_create(
                scope=scope,
                person=person,
                date=data["date"],
                from_level=data["from_level"],
                to_level=data["to_level"],
                reasons=data["reasons"],
                note=data["note"],
                to_facility=scoped_facility(scope, data["to_facility"]),
                actor=user,
            )
        except ValidationError as err:
            form.add_service_errors(err)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("web:person_detail", external_id=person.external_id)
    context = {"person": person, "form": form, "care": care, "title": _("Refer"), "people_section": True}
    return render(request, "web/lifecycle/referral_form.html", context)


@people_view(write=True)
def encounter_void_view(request, external_id):
    """Void an encounter recorded in error (POST with the reason): it stays in the history, struck through."""
    encounter = encounter_list(scope=request.scope).filter(external_id=external_id).first()
    if encounter is None:
        raise Http404
    if request.method == "POST":
        try:
            encounter_void(
                scope=request.scope, encounter=encounter, reason=request.POST.get("reason", ""), actor=request.user
            )
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The visit was voided."))
    return redirect("web:person_detail", external_id=encounter.person.external_id)
