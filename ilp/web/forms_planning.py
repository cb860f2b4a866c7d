"""Forms of the ILP cycle pages (stages 2 and 3: the cycle, its priority problems, the RTL pathway).

They only shape input: `ilp.planning.services` checks it, and its errors are put back on the field
they name (`ServiceErrorsMixin.add_service_errors`). Numbers are typed on a phone: a decimal comma and
the Indonesian thousands dot ("1.500.000") are accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.facilities.models import Cluster, Facility
from ilp.facilities.selectors import ServicePlaces
from ilp.indicators.registry import all_indicators
from ilp.planning.models import (
    BudgetSource,
    CauseCategory,
    CycleStage,
    Method,
    Party,
    PathwayPhase,
    ProblemSource,
    UsgAggregation,
)
from ilp.regions.models import Level, Region
from ilp.web.forms_people import BLANK, ServiceErrorsMixin, date_field

ERR_NUMBER = _("Write a number, for example 7,5.")
ERR_RUPIAH = _("Budget: write a whole number of rupiah, for example 1.500.000.")
MANUAL_SOURCES = [(s.value, s.label) for s in (ProblemSource.SMD, ProblemSource.MMD, ProblemSource.OTHER)]
USG_CHOICES = [("", "-"), *[(str(n), str(n)) for n in range(1, 6)]]
PEARL_FIELDS = ("pearl_p", "pearl_e", "pearl_a", "pearl_r", "pearl_l")
USG_FIELDS = ("usg_u", "usg_s", "usg_g")
HANLON_FIELDS = ("hanlon_a", "hanlon_b", "hanlon_c")
_CLUSTER_LABELS = {
    1: Cluster.MANAGEMENT.label,
    2: Cluster.MOTHER_CHILD.label,
    3: Cluster.ADULT_ELDERLY.label,
    4: Cluster.COMMUNICABLE.label,
}
_THOUSANDS_RE = re.compile(r"\d{1,3}(\.\d{3})+")


def indicator_choices() -> list:
    """The catalogue's indicators grouped by ILP cluster, for a select."""
    groups: dict[int, list[tuple[str, str]]] = {}
    for ind in all_indicators():
        groups.setdefault(ind.cluster, []).append((ind.code, str(ind.name)))
    return [(_CLUSTER_LABELS.get(n, str(n)), items) for n, items in groups.items()]


def step_place_choices(places: ServicePlaces) -> list:
    """The facilities an RTL step may be done at, grouped: the puskesmas, its pustu, its posyandu (with their
    desa) and its network members (with their kind)."""
    groups = [
        (_("Puskesmas"), [(places.puskesmas.pk, places.puskesmas.name)]),
        (_("Pustu"), [(f.pk, f.name) for f in places.pustu]),
        (_("Posyandu"), [(f.pk, f"{f.name} ({f.region.name})") for f in places.posyandu]),
        (_("Network (jejaring)"), [(f.pk, f"{f.name} ({f.get_kind_display()})") for f in places.network]),
    ]
    return [(label, items) for label, items in groups if items]


class CommaDecimalField(forms.DecimalField):
    """A decimal typed with a comma or a point."""

    default_error_messages = {"invalid": ERR_NUMBER}

    def __init__(self, *args, **kwargs):
        attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "num"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class RupiahField(forms.DecimalField):
    """Whole rupiah: "Rp 1.500.000", "1500000" and "1.500.000,00" all read 1500000."""

    default_error_messages = {"invalid": ERR_RUPIAH}

    def __init__(self, *args, **kwargs):
        attrs = {"inputmode": "numeric", "autocomplete": "off", "class": "num"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(*args, max_digits=14, decimal_places=0, min_value=0, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            text = re.sub(r"(?i)^rp\.?", "", value.strip()).replace(" ", "")
            text = re.sub(r",0+$", "", text)
            if _THOUSANDS_RE.fullmatch(text):
                text = text.replace(".", "")
            if text and not text.isdigit():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = text
        return super().to_python(value)


class CycleForm(forms.Form):
    """Start a cycle."""

    name = forms.CharField(label=_("Name"), max_length=150)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    started_on = date_field(_("Start date"))
    method = forms.ChoiceField(label=_("Scoring method"), choices=Method.choices, widget=forms.RadioSelect)
    usg_aggregation = forms.ChoiceField(label=_("USG total"), choices=UsgAggregation.choices)

    @classmethod
    def initial_for(cls, today: dt.date) -> dict:
        return {
            "name": _("ILP cycle %(year)d") % {"year": today.year},
            "year": today.year,
            "started_on": today,
            "method": Method.USG,
            "usg_aggregation": UsgAggregation.SUM,
        }


class CycleSettingsForm(ServiceErrorsMixin, forms.Form):
    """Change the stage and the scoring method of a cycle."""

    name = forms.CharField(label=_("Name"), max_length=150)
    stage = forms.ChoiceField(label=_("Stage"), choices=CycleStage.choices)
    method = forms.ChoiceField(label=_("Scoring method"), choices=Method.choices)
    usg_aggregation = forms.ChoiceField(label=_("USG total"), choices=UsgAggregation.choices)


class ProblemAddForm(ServiceErrorsMixin, forms.Form):
    """A problem entered by hand, e.g. from the SMD survey or the MMD village meeting."""

    source = forms.ChoiceField(label=_("Source"), choices=MANUAL_SOURCES, initial=ProblemSource.SMD)
    title = forms.CharField(label=_("Problem"), max_length=255)
    description = forms.CharField(
        label=_("Description and evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator = forms.ChoiceField(label=_("Indicator (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = BLANK + indicator_choices()


class ScoreForm(ServiceErrorsMixin, forms.Form):
    """USG and/or Hanlon scores of one problem; `methods` picks which fields it holds."""

    usg_u = forms.TypedChoiceField(
        label=_("U: urgency"), choices=USG_CHOICES, coerce=int, empty_value=None, required=False
    )
    usg_s = forms.TypedChoiceField(
        label=_("S: seriousness"), choices=USG_CHOICES, coerce=int, empty_value=None, required=False
    )
    usg_g = forms.TypedChoiceField(
        label=_("G: growth"), choices=USG_CHOICES, coerce=int, empty_value=None, required=False
    )
    hanlon_a = CommaDecimalField(label=_("A: size"), required=False, min_value=0, max_value=10, decimal_places=1)
    hanlon_b = CommaDecimalField(label=_("B: seriousness"), required=False, min_value=0, max_value=10, decimal_places=1)
    hanlon_c = CommaDecimalField(
        label=_("C: effectiveness"), required=False, min_value=0, max_value=10, decimal_places=1
    )
    pearl_p = forms.BooleanField(label=_("Propriety"), required=False)
    pearl_e = forms.BooleanField(label=_("Economic feasibility"), required=False)
    pearl_a = forms.BooleanField(label=_("Acceptability"), required=False)
    pearl_r = forms.BooleanField(label=_("Resources"), required=False)
    pearl_l = forms.BooleanField(label=_("Legality"), required=False)

    def __init__(self, *args, problem, methods=(Method.USG, Method.HANLON), **kwargs):
        keep = set()
        if Method.USG in methods:
            keep |= set(USG_FIELDS)
        if Method.HANLON in methods:
            keep |= {*HANLON_FIELDS, *PEARL_FIELDS}
        initial = {name: getattr(problem, name) for name in keep}
        super().__init__(*args, initial=initial, **kwargs)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs.setdefault("title", field.label)
            field.widget.attrs.setdefault("aria-label", field.label)
        self.problem = problem

    def changes(self) -> dict:
        """The service keywords of the fields whose value changed."""
        out = {}
        for name in self.fields:
            value = self.cleaned_data.get(name)
            current = getattr(self.problem, name)
            if isinstance(value, Decimal) and current is not None:
                current = Decimal(str(current))
            if value != current:
                out[name] = value
        return out


class CauseForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CauseCategory.choices)
    text = forms.CharField(label=_("Cause"), max_length=255)


class StepForm(ServiceErrorsMixin, forms.Form):
    """A step of the RTL pathway. The facility and desa lists show the puskesmas' own places; any facility or
    desa is accepted here so that the service says why one does not belong (its message names it)."""

    phase = forms.ChoiceField(label=_("Phase"), choices=PathwayPhase.choices)
    title = forms.CharField(label=_("Step"), max_length=200)
    activities = forms.CharField(label=_("Activities"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    party = forms.ChoiceField(label=_("Done by"), choices=BLANK + Party.choices)
    facility = forms.ModelChoiceField(
        label=_("Facility"), required=False, queryset=Facility.objects.select_related("region")
    )
    village = forms.ModelChoiceField(
        label=_("Desa"),
        required=False,
        queryset=Region.objects.filter(level=Level.VILLAGE),
        help_text=_("Where it happens; for the village government, the desa whose government does it."),
    )
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=150)
    indicator = forms.ChoiceField(label=_("Indicator"))
    baseline_pct = CommaDecimalField(
        label=_("Baseline (%)"),
        required=False,
        max_digits=6,
        decimal_places=1,
        help_text=_("Leave empty to read it from the PWS data."),
    )
    target_pct = CommaDecimalField(label=_("Target (%)"), max_digits=6, decimal_places=1)
    due_on = date_field(_("Target date"))
    budget = RupiahField(label=_("Budget (Rp)"), required=False)
    budget_source = forms.ChoiceField(label=_("Budget source"), choices=BudgetSource.choices, required=False)

    def __init__(self, *args, facilities: list, villages: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = BLANK + indicator_choices()
        self.fields["facility"].widget.choices = BLANK + facilities
        self.fields["village"].widget.choices = BLANK + villages

    @classmethod
    def initial_for(cls, problem, step=None) -> dict:
        if step is None:
            due = dt.date(problem.cycle.year, 12, 31)
            return {"indicator": problem.indicator, "due_on": max(due, timezone.localdate())}
        names = ("phase", "title", "activities", "party", "person_in_charge", "indicator")
        names += ("baseline_pct", "target_pct", "due_on", "budget", "budget_source")
        initial = {name: getattr(step, name) for name in names}
        initial["facility"], initial["village"] = step.facility_id, step.village_id
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["budget_source"] = data.get("budget_source") or ""
        return data
