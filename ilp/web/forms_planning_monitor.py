"""Forms of the ILP stages 4-5 pages: a step's progress, the risk register, the lokakarya mini (preparing it,
its minutes, its decisions) and the Dinkes' evaluation. They only shape input: `ilp.planning.services`
checks it and its errors go back on the field they name (`ServiceErrorsMixin.add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.facilities.selectors import ServicePlaces
from ilp.indicators.registry import all_indicators
from ilp.planning.models import (
    DecisionAction,
    EvaluationDecision,
    Level5,
    Party,
    PathwayPhase,
    PathwayStep,
    Problem,
    RiskStatus,
    StepStatus,
    WorkshopKind,
)
from ilp.planning.services import ERR_DECISION_STEP
from ilp.regions.models import Region
from ilp.web.forms_people import BLANK, ServiceErrorsMixin, date_field
from ilp.web.forms_planning import CommaDecimalField, step_place_choices

ERR_REQUIRED_FOR_NEW_STEP = _("%(field)s: required for a new RTL step.")
ERR_NO_CHANGE = _("Change: give a new target date or a new target percentage.")
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,image/jpeg,image/png,application/pdf"
# A step's own party reports how it goes; planning it away (cancelling) is the puskesmas team's decision.
OWNER_STATUSES = (StepStatus.IN_PROGRESS, StepStatus.DONE, StepStatus.BLOCKED)
TEXTAREA = {"rows": 3}


def _percent_field(label, required=False) -> forms.DecimalField:
    """A percentage typed with a comma or a point, like the RTL step's target (`forms_planning`)."""
    return CommaDecimalField(label=label, required=required, min_value=0, max_value=100, max_digits=6, decimal_places=1)


class ProgressForm(ServiceErrorsMixin, forms.Form):
    """Progress of one RTL step: status, date, note, issues met and a photo or PDF as evidence."""

    status = forms.ChoiceField(label=_("Status"), widget=forms.RadioSelect)
    on = date_field(_("Date"))
    note = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    issue = forms.CharField(label=_("Issues met"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
    )

    def __init__(self, *args, planner: bool, current: str, **kwargs):
        kwargs.setdefault("initial", {})
        statuses = StepStatus.values if planner else [s.value for s in OWNER_STATUSES]
        default = current if current in statuses and current != StepStatus.PLANNED else StepStatus.IN_PROGRESS
        kwargs["initial"] = {"status": default, "on": timezone.localdate(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in StepStatus.choices if v in statuses]


class RiskForm(ServiceErrorsMixin, forms.Form):
    """An entry of the risk register."""

    challenge = forms.CharField(label=_("Challenge or risk"), max_length=255)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=Level5.choices, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Level5.choices, coerce=int)
    mitigation = forms.CharField(label=_("Mitigation"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    owner = forms.ChoiceField(label=_("Owner"), choices=Party.choices)
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices, initial=RiskStatus.OPEN)


class WorkshopCreateForm(ServiceErrorsMixin, forms.Form):
    """Prepare a lokakarya mini: its agenda is generated from the data when it is created."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=WorkshopKind.choices, widget=forms.RadioSelect, initial=WorkshopKind.MONTHLY
    )
    held_on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class WorkshopRecordForm(ServiceErrorsMixin, forms.Form):
    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One name and role per line."),
    )
    notes = forms.CharField(label=_("Notes (minutes)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(ServiceErrorsMixin, forms.Form):
    """A decision of a lokakarya mini: recorded only, a new RTL step, or a change to a step."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs=TEXTAREA))
    action = forms.ChoiceField(
        label=_("What it does to the RTL"),
        choices=DecisionAction.choices,
        widget=forms.RadioSelect,
        initial=DecisionAction.NOTE,
    )
    # A new step.
    problem = forms.ChoiceField(label=_("Priority problem"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=BLANK + PathwayPhase.choices, required=False)
    title = forms.CharField(label=_("Step"), max_length=200, required=False)
    party = forms.ChoiceField(label=_("Done by"), choices=BLANK + Party.choices, required=False)
    village = forms.ChoiceField(label=_("Desa"), required=False)
    facility = forms.ChoiceField(label=_("Facility"), required=False)
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=150, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    target_pct = _percent_field(_("Target (%)"))
    due_on = date_field(_("Target date"), required=False)
    # A change to a step.
    step = forms.ChoiceField(label=_("RTL step"), required=False)
    new_due_on = date_field(_("New target date"), required=False)
    new_target_pct = _percent_field(_("New target (%)"))

    NEW_STEP_FIELDS = ("problem", "phase", "title", "party", "person_in_charge", "indicator", "target_pct", "due_on")

    def __init__(
        self,
        *args,
        problems: list[Problem],
        steps: list[PathwayStep],
        villages: list[Region],
        places: ServicePlaces,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._problems = {str(p.external_id): p for p in problems}
        self._steps = {str(s.external_id): s for s in steps}
        self._villages = {str(v.pk): v for v in villages}
        self._facilities = {str(pk): f for pk, f in places.by_pk().items()}
        self.fields["problem"].choices = BLANK + [(k, p.title) for k, p in self._problems.items()]
        self.fields["step"].choices = BLANK + [(k, f"{s.title} — {s.problem.title}") for k, s in self._steps.items()]
        self.fields["village"].choices = BLANK + [(k, v.name) for k, v in self._villages.items()]
        self.fields["facility"].choices = BLANK + step_place_choices(places)
        self.fields["indicator"].choices = BLANK + [(i.code, f"{i.short} — {i.name}") for i in all_indicators()]

    @property
    def aliases(self) -> dict[str, str]:
        if self.data.get(self.add_prefix("action")) == DecisionAction.STEP_UPDATE:
            return {"due_on": "new_due_on", "target_pct": "new_target_pct"}
        return {}

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == DecisionAction.NEW_STEP:
            for name in self.NEW_STEP_FIELDS:
                if data.get(name) in (None, ""):
                    self.add_error(name, str(ERR_REQUIRED_FOR_NEW_STEP) % {"field": self.fields[name].label})
        elif action == DecisionAction.STEP_UPDATE:
            if not data.get("step"):
                self.add_error("step", ERR_DECISION_STEP)
            if data.get("new_due_on") is None and data.get("new_target_pct") is None:
                self.add_error(None, ERR_NO_CHANGE)
        return data

    def service_kwargs(self) -> dict:
        """The keywords of `services.decision_add` (without actor and workshop)."""
        data = self.cleaned_data
        action = data["action"]
        out = {"text": data["text"], "action": action}
        if action == DecisionAction.NEW_STEP:
            out["problem"] = self._problems[data["problem"]]
            out["step_fields"] = {
                "phase": data["phase"],
                "title": data["title"],
                "party": data["party"],
                "village": self._villages.get(data["village"]),
                "facility": self._facilities.get(data["facility"]),
                "person_in_charge": data["person_in_charge"],
                "indicator": data["indicator"],
                "target_pct": data["target_pct"],
                "due_on": data["due_on"],
            }
        elif action == DecisionAction.STEP_UPDATE:
            out["step"] = self._steps[data["step"]]
            changes = {}
            if data.get("new_due_on") is not None:
                changes["due_on"] = data["new_due_on"]
            if data.get("new_target_pct") is not None:
                changes["target_pct"] = data["new_target_pct"]
            out["step_fields"] = changes
        return out


class EvaluationForm(ServiceErrorsMixin, forms.Form):
    """The Dinkes' 6- or 12-monthly evaluation, with a decision per network member."""

    months = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(6, _("6 months")), (12, _("12 months"))],
        coerce=int,
        widget=forms.RadioSelect,
        initial=6,
    )
    evaluated_on = date_field(_("Date"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, members: list[dict], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("evaluated_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            key = m["member_id"]
            self.fields[f"m{key}_decision"] = forms.ChoiceField(
                label=m["name"], choices=BLANK + EvaluationDecision.choices, required=False
            )
            self.fields[f"m{key}_note"] = forms.CharField(label=_("Note"), max_length=255, required=False)

    def member_rows(self) -> list[tuple[dict, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"m{m['member_id']}_decision"], self[f"m{m['member_id']}_note"]) for m in self.members]

    def decisions(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            m["member_id"]: (data[f"m{m['member_id']}_decision"], data[f"m{m['member_id']}_note"])
            for m in self.members
            if data.get(f"m{m['member_id']}_decision")
        }
