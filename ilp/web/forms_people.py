"""Forms of the family register pages. They only shape input: the rules live in `ilp.people.services`,
whose errors are put back on the fields here (`add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from ilp.facilities.models import FacilityKind
from ilp.facilities.selectors import facility_list
from ilp.people.models import NikMissingReason, PregnancyOutcome, Relationship, Sex
from ilp.regions.models import Level
from ilp.regions.selectors import level_label, level_labels, region_list

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


def date_field(label, required=True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, input_formats=["%Y-%m-%d", "%d-%m-%Y"])


class ServiceErrorsMixin:
    """Puts a service's `ValidationError` next to the field it names; unknown keys go on top."""

    aliases: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            field = self.aliases.get(key, key)
            self.add_error(field if field in self.fields else None, messages)

    def quiet(self):
        """Bound but not validated: redisplays what was typed without errors (after "add member")."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the register"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, NIK, KK number or address"),
                "aria-label": _("Name, NIK, KK number or address"),
                "autocomplete": "off",
            }
        ),
    )


def region_choices(scope) -> list[tuple[int, str]]:
    """The desa/kelurahan of the scope and the dusun, RW and RT under them, labelled the local way."""
    labels = level_labels()
    rows = region_list(scope=scope, include_ancestors=False).filter(level__gte=Level.VILLAGE).select_related("village")
    choices = []
    for region in rows:
        label = f"{level_label(region.code, region.level, labels)} {region.name}"
        if region.level > Level.VILLAGE and region.village_id:
            label = f"{label} ({region.village.name})"
        choices.append((region.pk, label))
    return choices


class FamilyForm(ServiceErrorsMixin, forms.Form):
    """The family part of `family_register` / `family_update`."""

    region = forms.TypedChoiceField(label=_("Desa/kelurahan or dusun, RW, RT"), coerce=int)
    address_text = forms.CharField(label=_("Address"), max_length=255, required=False)
    posyandu = forms.TypedChoiceField(
        label=_("Posyandu the family attends"), coerce=int, required=False, empty_value=None
    )
    kk_number = forms.CharField(
        label=_("KK number"),
        max_length=25,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kk_missing_reason = forms.CharField(
        label=_("Reason for no KK number"),
        max_length=200,
        required=False,
        help_text=_("Only when the family has no KK number yet."),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + region_choices(scope)
        posyandu = facility_list(scope=scope, kind=FacilityKind.POSYANDU)
        self.posyandu_by_id = {f.pk: f for f in posyandu}
        self.fields["posyandu"].choices = BLANK + [
            (f.pk, f"{f.name} ({f.region.name})") for f in self.posyandu_by_id.values()
        ]


class PersonForm(ServiceErrorsMixin, forms.Form):
    """One person of `person_register` / `person_update` (the head has no relationship field)."""

    name = forms.CharField(label=_("Name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + list(Sex.choices))
    birth_date = date_field(_("Birth date"))
    birth_date_estimated = forms.BooleanField(label=_("Birth date is estimated"), required=False)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=25,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nik_missing_reason = forms.ChoiceField(
        label=_("Reason for no NIK"), choices=BLANK + list(NikMissingReason.choices), required=False
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    jkn_number = forms.CharField(
        label=_("JKN/BPJS number"),
        max_length=13,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def service_data(self) -> dict:
        """The cleaned values as `person_register` keywords."""
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class MemberForm(PersonForm):
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=BLANK + [c for c in Relationship.choices if c[0] != Relationship.HEAD],
    )

    field_order = ["name", "relationship", "sex", "birth_date", "birth_date_estimated", "nik", "nik_missing_reason"]


class NewMemberForm(PersonForm):
    """A member added to an existing family (a newborn, a spouse moving in)."""

    relationship = forms.ChoiceField(label=_("Relationship to the head"), choices=BLANK + list(Relationship.choices))
    moved_in_from = forms.CharField(
        label=_("Moved in from (place)"),
        max_length=255,
        required=False,
        help_text=_("Only for someone moving into the area (pindah datang)."),
    )

    field_order = ["name", "relationship", "sex", "birth_date", "birth_date_estimated", "nik", "nik_missing_reason"]


MemberFormSet = forms.formset_factory(MemberForm, extra=1, can_delete=False)


class ConfirmForm(ServiceErrorsMixin, forms.Form):
    """The second look: plausibility warnings and likely duplicates are saved only when confirmed."""

    confirm_warnings = forms.BooleanField(label=_("I have checked it, save"), required=False)
    confirm_duplicates = forms.BooleanField(
        label=_("These are other persons: save anyway"),
        required=False,
    )


class MoveForm(ServiceErrorsMixin, forms.Form):
    to_family = forms.UUIDField(label=_("Destination family"), widget=forms.HiddenInput)
    relationship = forms.ChoiceField(label=_("Relationship to the head"), choices=BLANK + list(Relationship.choices))
    on = date_field(_("Move date"))


class MoveOutForm(ServiceErrorsMixin, forms.Form):
    on = date_field(_("Move-out date"))
    place = forms.CharField(label=_("Moved to (place)"), max_length=255, required=False)


class DeathForm(ServiceErrorsMixin, forms.Form):
    died_on = date_field(_("Date of death"))
    cause = forms.CharField(label=_("Cause of death"), max_length=255, required=False)


class PregnancyForm(ServiceErrorsMixin, forms.Form):
    lmp_date = date_field(_("HPHT (first day of last menstrual period)"))


class PregnancyEndForm(ServiceErrorsMixin, forms.Form):
    ended_on = date_field(_("End date"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=BLANK + list(PregnancyOutcome.choices))


class MergeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are the two records the same person?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    confirm = forms.BooleanField(
        label=_("I have compared both records: merge the duplicate into the record that stays"),
        required=True,
    )
