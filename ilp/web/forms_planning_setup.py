"""Forms of the ILP preparation pages (stage 0 and 1): the rollout status, the readiness checklist, the SK Target
Kinerja and the RACI matrix. They only shape input; `ilp.planning.services.setup` checks it, and its errors are
put back on the row they concern. Dates are typed with the browser's date picker; numbers accept a comma.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.facilities.models import IlpStatus
from ilp.planning.models import Party, RaciLetter
from ilp.web.forms_pws import parse_number

ERR_TARGET = _("Target: a percentage from 0 to 100.")
ERR_CHOOSE_PUSKESMAS = _("Puskesmas: choose one from the list.")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IlpStatusForm(forms.Form):
    """The Dinkes moves a puskesmas along the rollout: not started, preparing, running."""

    puskesmas = forms.ChoiceField(label=_("Puskesmas"))
    status = forms.ChoiceField(label=_("ILP status"), choices=IlpStatus.choices)
    start_date = forms.DateField(label=_("ILP start date"), required=False, widget=DATE_INPUT)
    pilot = forms.BooleanField(label=_("ILP pilot"), required=False)

    def __init__(self, *args, puskesmas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.by_code = {p.code: p for p in puskesmas}
        self.fields["puskesmas"].choices = [("", "—"), *((p.code, p.name) for p in puskesmas)]

    def clean_puskesmas(self):
        code = self.cleaned_data["puskesmas"]
        if code not in self.by_code:
            raise forms.ValidationError(ERR_CHOOSE_PUSKESMAS)
        return self.by_code[code]


class ReadinessCheckForm(forms.Form):
    """One checklist item: ticked, when, and the evidence (an SK number, a file in the archive, a link)."""

    done = forms.BooleanField(label=_("Done"), required=False)
    done_on = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. SK no. 12/2024, archive of cluster 1")}),
    )

    def __init__(self, *args, item_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for box in self.fields.values():
            box.widget.attrs["aria-label"] = f"{box.label} — {item_label}"

    def changed_values(self, check) -> dict | None:
        """The service keywords when the row differs from the stored check, else None."""
        data = self.cleaned_data
        after = (data["done"], data["done_on"], (data["evidence"] or "").strip())
        before = (check.done, check.done_on, check.evidence) if check else (False, None, "")
        return None if after == before else {"done": after[0], "done_on": after[1], "evidence": after[2]}


class TargetDecreeForm(forms.Form):
    number = forms.CharField(label=_("Decree number"), required=False, max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE_INPUT)


class SuccessIndicatorForm(forms.Form):
    """One indicator of the catalogue: chosen as a success indicator, and its target for the year."""

    chosen = forms.BooleanField(label=_("Success indicator"), required=False)
    target = forms.CharField(
        label=_("Target %"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num", "size": 5}),
    )

    def __init__(self, *args, indicator_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for box in self.fields.values():
            box.widget.attrs["aria-label"] = f"{box.label} — {indicator_name}"

    def clean_target(self):
        try:
            value = parse_number(self.cleaned_data["target"])
        except ValueError:
            raise forms.ValidationError(ERR_TARGET) from None
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(ERR_TARGET)
        return value


RACI_CHOICES = [("", "·"), *((letter.value, letter.value) for letter in RaciLetter)]


class RaciRowForm(forms.Form):
    """One activity of the matrix: its name, a role letter per party, and (for a stored one) removal."""

    name = forms.CharField(label=_("Activity"), required=False, max_length=200)
    delete = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Party.choices:
            self.fields[f"p_{code}"] = forms.ChoiceField(label=label, choices=RACI_CHOICES, required=False)

    def cells(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"p_{code}") or "" for code in Party.values}

    def party_fields(self):
        return [self[f"p_{code}"] for code in Party.values]

    @property
    def is_blank(self) -> bool:
        """A new row left empty: nothing to save."""
        data = self.cleaned_data
        return not (data.get("name") or "").strip() and not any(self.cells().values())
