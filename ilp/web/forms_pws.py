"""Query parameters and forms of the PWS pages (the "who is missing" list, exports, targets and populations).

They only shape input: `ilp.indicators.services` checks it and its errors are put back on the row they
concern. Numbers are typed on a phone, so a decimal comma is accepted.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.periods import parse_month
from ilp.indicators import areas, registry
from ilp.indicators.areas import Area
from ilp.indicators.cells import DenominatorSource
from ilp.indicators.registry import Indicator

ERR_PERIOD = _("Period: write the month as YYYY-MM, for example 2026-10.")
ERR_YEAR = _("Year: write the year as YYYY, for example 2026.")
ERR_VIEW = _("View: choose cumulative (kumulatif) or monthly (bulanan).")
ERR_TARGET = _("Target: a percentage from 0 to 100.")
ERR_POPULATION = _("Population: a whole number of persons, 0 or more.")
ERR_PROPORTION = _("Proportion: a percentage above 0 and at most 100.")
ERR_KEEP_POPULATION = _("Population: a recorded population cannot be emptied; type the corrected figure.")
ERR_KEEP_RATE = _("Proportion: an override cannot be removed; type the default figure to go back to it.")

# Short enough for a select on a phone (the model's labels explain more).
SOURCE_CHOICES = [
    (DenominatorSource.REGISTER.value, _("register (by name)")),
    (DenominatorSource.PROJECTION.value, _("projection (population x proportion)")),
]
# The earliest year a PWS is asked for; anything before is a typing error.
FIRST_YEAR = 2000
VIEW_CUMULATIVE = "kumulatif"
VIEW_MONTHLY = "bulanan"
_YEAR_RE = re.compile(r"\d{4}")
_THOUSANDS_RE = re.compile(r"\d{1,3}([.,]\d{3})+")  # "12.345": the Indonesian thousands mark


def _last_year() -> int:
    return timezone.localdate().year + 1


def parse_period(text: str | None, *, default: dt.date) -> dt.date | None:
    """`YYYY-MM` as the first day of that month; `default` when absent; None when malformed."""
    text = (text or "").strip()
    if not text:
        return default.replace(day=1)
    month = parse_month(text)
    if month is None or not FIRST_YEAR <= month.year <= _last_year():
        return None
    return month


def parse_year(text: str | None, *, default: int) -> int | None:
    """`YYYY`; `default` when absent; None when malformed."""
    text = (text or "").strip()
    if not text:
        return default
    if not _YEAR_RE.fullmatch(text) or not (FIRST_YEAR <= int(text) <= _last_year()):
        return None
    return int(text)


def parse_view(text: str | None) -> bool | None:
    """`kumulatif` (the default) -> True, `bulanan` -> False, anything else None."""
    text = (text or VIEW_CUMULATIVE).strip()
    return {VIEW_CUMULATIVE: True, VIEW_MONTHLY: False}.get(text)


def area_and_indicator(scope, code: str, indicator: str | None = None) -> tuple[Area, Indicator | None]:
    """The area of the URL (404 unknown, 403 outside the scope) and the indicator (404 unknown)."""
    try:
        area = areas.require_area(scope=scope, code=code)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    if indicator is None:
        return area, None
    try:
        return area, registry.get(indicator)
    except KeyError as exc:
        raise Http404 from exc


def parse_number(text: str, *, integer: bool = False) -> float | int | None:
    """A number typed on a phone ("85", "85,5", "85 %"; a whole number may carry thousands marks, "12.345");
    None when blank. Raises ValueError when it is not a number."""
    text = (text or "").strip().replace(" ", "").rstrip("%")
    if not text:
        return None
    if integer:
        if _THOUSANDS_RE.fullmatch(text):
            text = text.replace(".", "").replace(",", "")
        if not text.isdigit():
            raise ValueError(text)
        return int(text)
    return float(text.replace(",", "."))


def _num_widget(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num", **attrs})


class MissingVisitForm(forms.Form):
    """The one-click "add to home visits" of a row of the missing list."""

    orang = forms.UUIDField()
    periode = forms.CharField(max_length=7)
    page = forms.CharField(max_length=6, required=False)


class AreaSettingForm(forms.Form):
    """One area's own target and denominator source for an indicator and year (blank: inherited)."""

    target = forms.CharField(label=_("Target %"), required=False, max_length=8, widget=_num_widget(size=5))
    source = forms.ChoiceField(label=_("Denominator"), required=False)

    def __init__(self, *args, inherited: tuple[str, str] = ("", ""), area_name: str = "", **kwargs):
        """`inherited`: the source the area gets from above (blank: the register) and where it is set."""
        super().__init__(*args, **kwargs)
        source, origin = inherited
        label = dict(SOURCE_CHOICES)[source or DenominatorSource.REGISTER.value]
        blank = _("as above: %(source)s (%(origin)s)") % {"source": label, "origin": origin}
        self.fields["source"].choices = [("", blank), *SOURCE_CHOICES]
        for box in self.fields.values():
            box.widget.attrs["aria-label"] = f"{box.label} — {area_name}"

    def clean_target(self):
        try:
            value = parse_number(self.cleaned_data["target"])
        except ValueError:
            raise forms.ValidationError(ERR_TARGET) from None
        if value is not None and not (0 <= value <= 100):
            raise forms.ValidationError(ERR_TARGET)
        return value


class PopulationForm(forms.Form):
    """The official population of one desa for a year."""

    population = forms.CharField(
        label=_("Population"), required=False, max_length=9, widget=_num_widget(inputmode="numeric", size=7)
    )

    def __init__(self, *args, recorded: int | None = None, area_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded = recorded
        self.fields["population"].widget.attrs["aria-label"] = f"{self.fields['population'].label} — {area_name}"

    def clean_population(self):
        try:
            value = parse_number(self.cleaned_data["population"], integer=True)
        except ValueError:
            raise forms.ValidationError(ERR_POPULATION) from None
        if value is None and self.recorded is not None:
            raise forms.ValidationError(ERR_KEEP_POPULATION)
        return value


class ProjectionRateForm(forms.Form):
    """A kabupaten's own proportion of a sasaran group, typed as a percentage of the population."""

    percent = forms.CharField(
        label=_("Share of the population (%)"), required=False, max_length=9, widget=_num_widget(size=6)
    )

    def __init__(self, *args, overridden: bool = False, group_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.overridden = overridden
        self.fields["percent"].widget.attrs["aria-label"] = f"{self.fields['percent'].label} — {group_label}"

    def clean_percent(self):
        try:
            value = parse_number(self.cleaned_data["percent"])
        except ValueError:
            raise forms.ValidationError(ERR_PROPORTION) from None
        if value is None:
            if self.overridden:
                raise forms.ValidationError(ERR_KEEP_RATE)
            return None
        if not (0 < value <= 100):
            raise forms.ValidationError(ERR_PROPORTION)
        return value


class SourceNoteForm(forms.Form):
    """Where the figures of a save come from (kept on each row written)."""

    sumber = forms.CharField(
        label=_("Source of the figures"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Dukcapil, semester I 2026")}),
    )
