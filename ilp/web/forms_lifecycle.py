"""Forms of the life-cycle pages (issue #4): the posyandu quick entry, the full encounter form, a referral,
a referral's next step and a home visit. They only shape input: `ilp.lifecycle.services` checks it, and its
errors are put back on the field they name (`ServiceErrorsMixin.add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.lifecycle.labels import DOSES, OBSERVATION_CODES, SKILAS
from ilp.lifecycle.measurements import CODES, SKILAS_DOMAINS
from ilp.lifecycle.models import CODED_KINDS, DERIVED_KINDS, ObservationKind, Place, ReferralLevel, ServiceKind
from ilp.lifecycle.services import ServiceInput
from ilp.web.forms_people import BLANK, DATE_WIDGET, ServiceErrorsMixin, date_field

K = ObservationKind

# Short labels for the quick entry on a phone; the full form uses the observation kinds' own labels.
SHORT_LABELS = {
    K.WEIGHT: _("Weight (kg)"),
    K.LENGTH_HEIGHT: _("Length/height (cm)"),
    K.MEASURE: _("Measured"),
    K.MUAC: _("LiLA (cm)"),
    K.HEAD_CIRCUMFERENCE: _("Head circumference (cm)"),
    K.WAIST: _("Waist (cm)"),
    K.SYSTOLIC: _("Systolic (mmHg)"),
    K.DIASTOLIC: _("Diastolic (mmHg)"),
    K.HB: _("Hb (g/dL)"),
    K.GLUCOSE_RANDOM: _("Blood glucose GDS (mg/dL)"),
}
MEASURE_CHOICES = [(code, OBSERVATION_CODES[code]) for code in ("L", "H")]
# What a posyandu records per group: the 5-step table's "penimbangan/pengukuran" of each sasaran.
PROFILES = {
    "child": (K.WEIGHT, K.LENGTH_HEIGHT, K.MEASURE, K.MUAC, K.HEAD_CIRCUMFERENCE),
    "school": (K.WEIGHT, K.LENGTH_HEIGHT, K.SYSTOLIC, K.DIASTOLIC, K.HB),
    "pregnant": (K.WEIGHT, K.MUAC, K.SYSTOLIC, K.DIASTOLIC, K.HB),
    "adult": (K.WEIGHT, K.LENGTH_HEIGHT, K.WAIST, K.SYSTOLIC, K.DIASTOLIC, K.GLUCOSE_RANDOM),
}


def number_field(label, **attrs) -> forms.CharField:
    """A decimal typed on a phone: the numeric keypad, and a comma accepted (the service parses it)."""
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num", **attrs})
    return forms.CharField(label=label, required=False, max_length=12, widget=widget)


def service_value(service: ServiceInput) -> str:
    """A service as one checkbox value: "kind|code|dose"."""
    return f"{service.kind}|{service.code}|{service.dose or ''}"


def parse_service(value: str) -> ServiceInput:
    kind, _sep, rest = value.partition("|")
    code, _sep, dose = rest.partition("|")
    return ServiceInput(kind=kind, code=code, dose=int(dose) if dose.isdigit() else None)


class WarningsMixin:
    """Unusual values (`ConfirmationNeeded.warnings`) shown beside their field, with a confirm checkbox."""

    warnings: dict[str, list[str]] = {}

    def set_warnings(self, warnings) -> None:
        self.warnings = {}
        for field, message in warnings:
            self.warnings.setdefault(field if field in self.fields else "", []).append(message)
        self.data = self.data.copy()
        self.data.pop("confirm", None)

    def field_warnings(self, name) -> list[str]:
        return getattr(self, "warnings", {}).get(name, [])


class QuickEntryForm(WarningsMixin, ServiceErrorsMixin, forms.Form):
    """The posyandu table: the measurements of the person's group and the services due today, on one screen."""

    def __init__(self, *args, profile: str, services: list[tuple[str, str]], measure: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        for kind in PROFILES[profile]:
            if kind == K.MEASURE:
                self.fields[kind] = forms.ChoiceField(
                    label=SHORT_LABELS[kind], choices=MEASURE_CHOICES, required=False, widget=forms.RadioSelect
                )
                self.initial.setdefault(kind, measure)
            else:
                self.fields[kind] = number_field(SHORT_LABELS[kind])
        self.fields["services"] = forms.MultipleChoiceField(
            label=_("Services given today"),
            choices=services,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["confirm"] = forms.BooleanField(label=_("The values are right: save them"), required=False)

    def measurement_fields(self):
        return [self[k] for k in PROFILES[self.profile] if k != K.MEASURE]

    def observations(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in PROFILES[self.profile]}

    def services(self) -> list[ServiceInput]:
        return [parse_service(v) for v in self.cleaned_data.get("services", [])]


OBSERVATION_GROUPS = (
    ("body", _("Body measurements"), (K.WEIGHT, K.LENGTH_HEIGHT, K.MEASURE, K.HEAD_CIRCUMFERENCE, K.MUAC, K.WAIST)),
    ("vitals", _("Vital signs"), (K.SYSTOLIC, K.DIASTOLIC, K.TEMPERATURE, K.OEDEMA)),
    (
        "lab",
        _("Laboratory and rapid tests"),
        (K.HB, K.GLUCOSE_RANDOM, K.GLUCOSE_FASTING, K.HBA1C, K.HIV, K.SYPHILIS, K.HEPATITIS_B),
    ),
    ("screening", _("Screening"), (K.KPSP, K.SRQ20, K.PUMA, K.ADL, K.SKILAS, K.TB_SYMPTOMS, K.SMOKING)),
)
SIMPLE_SERVICES = (
    ServiceKind.VITAMIN_A,
    ServiceKind.DEWORMING,
    ServiceKind.IRON_FOLATE,
    ServiceKind.SUPPLEMENTARY_FOOD,
    ServiceKind.COUNSELLING,
    ServiceKind.FAMILY_PLANNING,
    ServiceKind.BREAST_EXAM,
    ServiceKind.VIA,
)
KF_CHOICES = [(f"kf{n}", f"KF{n}") for n in range(1, 5)]
KN_CHOICES = [(f"kn{n}", f"KN{n}") for n in range(1, 4)]


class EncounterForm(WarningsMixin, ServiceErrorsMixin, forms.Form):
    """A whole visit recorded by a health worker (or a kader at home): place, every observation, the services."""

    date = date_field(_("Date"))
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices)
    facility = forms.TypedChoiceField(label=_("Facility"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, places, facilities, due_doses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        self.fields["facility"].choices = BLANK + list(facilities)
        for _key, _label, kinds in OBSERVATION_GROUPS:
            for kind in kinds:
                self.fields[kind] = _observation_field(kind)
        due = set(due_doses)
        doses = [(code, f"{name} · {_('due')}" if code in due else name) for code, name in DOSES.items()]
        self.fields["immunisations"] = forms.MultipleChoiceField(
            label=_("Immunisation doses given"), choices=doses, required=False, widget=forms.CheckboxSelectMultiple
        )
        self.fields["simple_services"] = forms.MultipleChoiceField(
            label=_("Other services given"),
            choices=[(k.value, k.label) for k in SIMPLE_SERVICES],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["anc"] = forms.IntegerField(
            label=_("ANC contact number (K1-K6)"), required=False, min_value=1, max_value=20
        )
        self.fields["kf"] = forms.ChoiceField(label=_("Postpartum visit"), choices=BLANK + KF_CHOICES, required=False)
        self.fields["kn"] = forms.ChoiceField(label=_("Neonatal visit"), choices=BLANK + KN_CHOICES, required=False)
        self.fields["note"] = forms.CharField(
            label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
        )
        self.fields["confirm"] = forms.BooleanField(label=_("The values are right: save them"), required=False)

    def groups(self):
        return [(key, label, [self[k] for k in kinds]) for key, label, kinds in OBSERVATION_GROUPS]

    def observations(self) -> dict[str, object]:
        values = {}
        for _key, _label, kinds in OBSERVATION_GROUPS:
            for kind in kinds:
                value = self.cleaned_data.get(kind)
                if kind == K.SKILAS:
                    value = ",".join(value) if value else ""
                values[kind] = value
        return values

    def services(self) -> list[ServiceInput]:
        data = self.cleaned_data
        given = [ServiceInput(ServiceKind.IMMUNISATION, code) for code in data.get("immunisations", [])]
        given += [ServiceInput(kind) for kind in data.get("simple_services", [])]
        if data.get("anc"):
            given.append(ServiceInput(ServiceKind.ANC, dose=data["anc"]))
        for kind, code in ((ServiceKind.POSTNATAL, data.get("kf")), (ServiceKind.NEONATAL, data.get("kn"))):
            if code:
                given.append(ServiceInput(kind, code=code, dose=int(code[2:])))
        return given


def _observation_field(kind: str) -> forms.Field:
    label = K(kind).label
    if kind == K.SKILAS:
        choices = [("none", _("screened: no positive domain"))] + [(d, SKILAS[d]) for d in sorted(SKILAS_DOMAINS)]
        return forms.MultipleChoiceField(
            label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
        )
    if kind in CODED_KINDS:
        choices = [(c, OBSERVATION_CODES.get(c, c)) for c in sorted(CODES[kind])]
        return forms.ChoiceField(label=label, choices=BLANK + choices, required=False)
    assert kind not in DERIVED_KINDS
    return number_field(label)


class ReferralForm(ServiceErrorsMixin, forms.Form):
    """A referral up the chain, prefilled from the person's flags that name a level."""

    date = date_field(_("Date"))
    from_level = forms.ChoiceField(label=_("From"), choices=ReferralLevel.choices)
    to_level = forms.ChoiceField(label=_("To"), choices=ReferralLevel.choices)
    to_facility = forms.TypedChoiceField(label=_("To facility"), coerce=int, required=False, empty_value=None)
    reasons = forms.MultipleChoiceField(label=_("Reasons (flags)"), required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, facilities, flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_facility"].choices = BLANK + list(facilities)
        self.fields["reasons"].choices = list(flags)


class ReferralStepForm(ServiceErrorsMixin, forms.Form):
    """The next step of a referral, among those `TRANSITIONS` allows."""

    status = forms.ChoiceField(label=_("Next step"))
    date = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(steps)


class HomeVisitForm(ServiceErrorsMixin, forms.Form):
    """A kunjungan rumah: the worklist reasons it addressed, about one member or the whole family."""

    date = date_field(_("Date of the visit"))
    reasons = forms.MultipleChoiceField(label=_("Addressed"), required=False, widget=forms.CheckboxSelectMultiple)
    person = forms.TypedChoiceField(label=_("About"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, reasons, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = list(reasons)
        self.fields["person"].choices = [("", _("the whole family")), *members]


class DayForm(forms.Form):
    """The posyandu day shown: a date (today by default) and a name filter."""

    tanggal = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    q = forms.CharField(
        label=_("Find a name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("Name")}),
    )
