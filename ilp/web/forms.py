"""Web forms. They only shape input; the rules live in the services, whose errors land on the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilp.facilities.models import Cluster, FacilityKind
from ilp.regions.models import ALLOWED_PARENT_LEVELS, SUB_VILLAGE_LEVELS, Region
from ilp.web.labels import region_prefix

SEARCH_PLACEHOLDER = _("Name or code")


def _search_field(placeholder=SEARCH_PLACEHOLDER) -> forms.CharField:
    return forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": placeholder, "aria-label": placeholder, "autocomplete": "off"}
        ),
    )


class RegionSearchForm(forms.Form):
    q = _search_field()


class FacilityFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *FacilityKind.choices])
    q = _search_field()
    wilayah = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class HealthWorkerFilterForm(forms.Form):
    cluster = forms.ChoiceField(label=_("Cluster"), required=False, choices=[("", _("All clusters")), *Cluster.choices])
    q = _search_field(_("Name"))


class KaderFilterForm(forms.Form):
    q = _search_field(_("Name"))


def subvillage_levels(parent: Region) -> list[int]:
    """Levels that may be created under this parent (a desa takes dusun, RW, RT; a dusun RW, RT; ...)."""
    return [lvl for lvl in SUB_VILLAGE_LEVELS if parent.level in ALLOWED_PARENT_LEVELS[lvl]]


class SubvillageForm(forms.Form):
    """Input for `ilp.regions.services.subvillage_create`; the service validates the code and the area."""

    level = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=120)
    local_code = forms.CharField(
        label=_("Local code"),
        max_length=20,
        help_text=_("1-6 letters or digits, e.g. 01 or J03. The full code is built from the parent's code."),
    )

    def __init__(self, *args, parent: Region, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        # The unit names are the local ones (Jorong in Sumatera Barat), seen from a child's code.
        self.fields["level"].choices = [
            (lvl, region_prefix(f"{parent.code}.X", lvl, labels)) for lvl in subvillage_levels(parent)
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the field it names (the parent's errors on top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
