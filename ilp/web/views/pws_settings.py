"""PWS settings: targets and denominator sources per area (the Dinkes for its kabupaten and puskesmas, a
kepala puskesmas for the puskesmas and its desa), and the official populations and projection proportions
of a kabupaten (the Dinkes). Writes go through `ilp.indicators.services`, one transaction per save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from ilp.accounts.models import Role
from ilp.facilities.models import Facility
from ilp.indicators import areas, selectors, services
from ilp.indicators.areas import KIND_PUSKESMAS, Area
from ilp.indicators.models import AreaPopulation, AreaSetting, ProjectionRate
from ilp.indicators.registry import Indicator, all_indicators
from ilp.indicators.sasaran import GROUPS, Group, projected
from ilp.regions.models import Level, Region
from ilp.web.forms_pws import (
    ERR_YEAR,
    AreaSettingForm,
    PopulationForm,
    ProjectionRateForm,
    SourceNoteForm,
    parse_year,
)

ORIGIN_DEFAULT = gettext_lazy("national default")
ORIGIN_LABELS = {
    Level.REGENCY: gettext_lazy("kabupaten"),
    Level.DISTRICT: gettext_lazy("kecamatan"),
    Level.VILLAGE: gettext_lazy("desa"),
    KIND_PUSKESMAS: gettext_lazy("puskesmas"),
}
ERR_UNKNOWN_INDICATOR = gettext_lazy("Indicator: choose one from the list.")
ERR_NOT_ALLOWED = gettext_lazy("Your role cannot change this setting.")


class _Rollback(Exception):
    """Raised inside the save's transaction when a row failed: nothing of the form is kept."""


def require_planner(request) -> tuple[Area, list[Area]]:
    """The user's own area and the areas they set: the kabupaten and its puskesmas (Dinkes), or the
    puskesmas and its desa (kepala puskesmas); 403 for everyone else."""
    user = request.user
    if user.is_authenticated and (user.is_superuser or user.role == Role.DINKES_ADMIN):
        area = areas.default_area(scope=request.scope, user=user)
        if area is not None and area.kind == areas.KIND_REGION and area.level == Level.REGENCY:
            return area, [area, *(a for a, _facility in areas.puskesmas_areas(area))]
    if user.is_authenticated and user.role == Role.KEPALA_PUSKESMAS and user.facility_id:
        area = areas.area_for(user.facility.code)
        return area, [area, *areas.sub_areas(area)]
    raise PermissionDenied


@dataclass
class SettingRow:
    area: Area
    kind: str
    form: AreaSettingForm
    own: AreaSetting | None
    target: float | None = None  # the target in force
    target_origin: str = ""  # where it is set
    register: int | None = None
    projection: int | None = None

    def change(self) -> dict | None:
        """The service keywords when the row's own setting changed, else None."""
        data = self.form.cleaned_data
        before = (self.own.target_pct, self.own.source) if self.own else (None, "")
        after = (data["target"], data["source"] or "")
        if after == before:
            return None
        return {"target_pct": after[0], "source": after[1]}


def _key(area: Area) -> tuple[str, int]:
    return ("pkm", area.pk) if area.kind == KIND_PUSKESMAS else ("region", area.pk)


def _chain(area: Area, puskesmas_id: int | None) -> list[tuple[tuple[str, int | None], str]]:
    """Where a setting of the area may come from, most specific first (`selectors.setting_chain`, the order
    the PWS resolves them in), each with the label of its origin."""

    def label(key: tuple[str, int | None]) -> str:
        if key[0] == "pkm":
            return ORIGIN_LABELS[KIND_PUSKESMAS]
        if key[1] == area.regency_id:
            return ORIGIN_LABELS[Level.REGENCY]
        if key[1] == area.district_id:
            return ORIGIN_LABELS[Level.DISTRICT]
        return ORIGIN_LABELS.get(area.level, ORIGIN_LABELS[Level.VILLAGE])

    return [(key, label(key)) for key in selectors.setting_chain(area, puskesmas_id)]


def _target_origin(settings: dict, area: Area, puskesmas_id: int | None) -> str:
    """The label of where the area's target in force is set."""
    for key, label in _chain(area, puskesmas_id):
        row = settings.get(key)
        if row is not None and row.target_pct is not None:
            return str(label)
    return str(ORIGIN_DEFAULT)


def _rows(ind: Indicator, year: int, top: Area, targets: list[Area], data=None) -> list[SettingRow]:
    settings = selectors.area_settings(indicator=ind, year=year, areas=targets)
    puskesmas_id = top.pk if top.kind == KIND_PUSKESMAS else None
    # December's year to date holds the whole annual target (a coverage target grows by a twelfth a month).
    cells = selectors.cells(indicators=[ind], areas=targets, period=dt.date(year, 12, 1), cumulative=True)
    sasaran = selectors.sasaran_side_by_side(indicator=ind, areas=targets, year=year) if ind.sasaran else {}
    rows = []
    for area in targets:
        own = settings.get(_key(area))
        cell = cells[(ind.code, area.code)]
        initial = {"target": _number(own.target_pct) if own else "", "source": own.source if own else ""}
        form = AreaSettingForm(
            data,
            prefix=f"{_key(area)[0]}{area.pk}",
            initial=initial,
            inherited=_inherited_source(settings, area, puskesmas_id),
            area_name=area.name,
        )
        origin = _target_origin(settings, area, puskesmas_id)
        row = SettingRow(area, _kind_label(area), form, own, cell.target_pct, origin)
        if ind.sasaran:
            row.register, row.projection = sasaran[area.code]
        rows.append(row)
    return rows


def _inherited_source(settings: dict, area: Area, puskesmas_id: int | None) -> tuple[str, str]:
    """The denominator source the area gets from above (its own setting left out), and from where."""
    for key, label in _chain(area, puskesmas_id)[1:]:
        row = settings.get(key)
        if row is not None and row.source:
            return row.source, str(label)
    return "", str(ORIGIN_DEFAULT)


def _percent(proportion: float) -> float | int:
    """A proportion as the percentage people write: 0.075 -> 7.5, 0.08 -> 8 (shown with the locale's comma)."""
    value = round(proportion * 100, 4)
    return int(value) if value == int(value) else value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _kind_label(area: Area) -> str:
    if area.kind == KIND_PUSKESMAS:
        return str(ORIGIN_LABELS[KIND_PUSKESMAS])
    return str(ORIGIN_LABELS.get(area.level, ""))


def _save_settings(request, ind: Indicator, year: int, rows: list[SettingRow]) -> int | None:
    """Write the changed rows in one transaction; None (nothing kept) when a row failed."""
    regions = Region.objects.in_bulk([r.area.pk for r in rows if r.area.kind != KIND_PUSKESMAS])
    facilities = Facility.objects.in_bulk([r.area.pk for r in rows if r.area.kind == KIND_PUSKESMAS])

    def write(row: SettingRow) -> bool:
        change = row.change()
        if change is None:
            return False
        pkm = row.area.kind == KIND_PUSKESMAS
        where = {"puskesmas": facilities[row.area.pk]} if pkm else {"region": regions[row.area.pk]}
        services.area_setting_set(
            actor=request.user, scope=request.scope, indicator=ind.code, year=year, **where, **change
        )
        return True

    return _write_rows(rows, write)


def _all_valid(forms) -> bool:
    """Validate every form (not only up to the first invalid one), so each row shows its errors."""
    results = [form.is_valid() for form in forms]
    return all(results)


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or str(ERR_NOT_ALLOWED)]


def _indicator(code: str, indicators: list[Indicator]) -> Indicator | None:
    if not code:
        return indicators[0]
    return next((i for i in indicators if i.code == code), None)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    """Targets and denominator sources of one indicator and year (`?indikator=&tahun=`) for the user's areas."""
    top, targets = require_planner(request)
    indicators = all_indicators()
    year = parse_year(request.GET.get("tahun"), default=timezone.localdate().year)
    ind = _indicator(request.GET.get("indikator", "").strip(), indicators)
    context = {"top": top, "indicators": indicators, "indicator": ind, "year": year}
    errors = [e for e, bad in ((ERR_YEAR, year is None), (ERR_UNKNOWN_INDICATOR, ind is None)) if bad]
    context["year_value"] = request.GET.get("tahun", "")[:10] if year is None else year
    if errors:
        return render(request, "web/pws/settings.html", {**context, "errors": errors}, status=400)
    data = request.POST if request.method == "POST" else None
    rows = _rows(ind, year, top, targets, data)
    if data is not None and _all_valid(r.form for r in rows):
        saved = _save_settings(request, ind, year, rows)
        if saved is not None:
            text = ngettext("%(count)d setting saved.", "%(count)d settings saved.", saved)
            messages.success(request, text % {"count": saved})
            return redirect(request.get_full_path())
    group, rate = GROUPS.get(ind.sasaran), _rate(top, ind, year)
    context |= {
        "rows": rows,
        "group": group,
        "rate": rate,
        "proportion_pct": _percent(rate.proportion if rate else group.proportion) if group else None,
        "failed": data is not None,
        "sets_population": top.kind != KIND_PUSKESMAS,
    }
    return render(request, "web/pws/settings.html", context)


def _rate(top: Area, ind: Indicator, year: int) -> ProjectionRate | None:
    if not ind.sasaran:
        return None
    regency = top.pk if top.kind != KIND_PUSKESMAS else top.regency_id
    return selectors.projection_rates(regency_id=regency, year=year).get(ind.sasaran)


# --- populations and projection proportions (the Dinkes)


@dataclass
class PopulationRow:
    village: Region
    form: PopulationForm
    recorded: AreaPopulation | None


@dataclass
class RateRow:
    group: Group
    form: ProjectionRateForm
    rate: ProjectionRate | None
    proportion: float  # the one in use: the kabupaten's own, else the named default
    projected: int | None  # the recorded population of the kabupaten x the proportion

    @property
    def percent(self) -> float:
        return _percent(self.proportion)


def require_dinkes(request) -> Area:
    """The Dinkes' kabupaten; 403 for everyone else."""
    user = request.user
    if user.is_superuser or user.role == Role.DINKES_ADMIN:
        area = areas.default_area(scope=request.scope, user=user)
        if area is not None and area.kind == areas.KIND_REGION and area.level == Level.REGENCY:
            return area
    raise PermissionDenied


def _population_rows(kab: Area, year: int, data) -> list[PopulationRow]:
    villages = (
        Region.objects.filter(regency_id=kab.pk, level=Level.VILLAGE, is_active=True)
        .select_related("district")
        .order_by("district__code", "code")
    )
    recorded = selectors.area_populations(regency_id=kab.pk, year=year)
    rows = []
    for village in villages:
        row = recorded.get(village.pk)
        initial = {"population": row.population if row else ""}
        population = row.population if row else None
        form = PopulationForm(
            data, prefix=f"d{village.pk}", initial=initial, recorded=population, area_name=village.name
        )
        rows.append(PopulationRow(village, form, row))
    return rows


def _rate_rows(kab: Area, year: int, total: int, data) -> list[RateRow]:
    rates = selectors.projection_rates(regency_id=kab.pk, year=year)
    rows = []
    for group in GROUPS.values():
        rate = rates.get(group.code)
        proportion = rate.proportion if rate else group.proportion
        initial = {"percent": _number(_percent(rate.proportion)) if rate else ""}
        form = ProjectionRateForm(
            data, prefix=f"g-{group.code}", initial=initial, overridden=rate is not None, group_label=group.label
        )
        rows.append(RateRow(group, form, rate, proportion, projected(total, proportion) if total else None))
    return rows


def _write_rows(rows, write) -> int | None:
    """Call `write(row)` for every row (it returns whether it wrote) in one transaction; None when one failed."""
    saved = 0
    try:
        with transaction.atomic():
            failed = False
            for row in rows:
                try:
                    with transaction.atomic():
                        saved += bool(write(row))
                except (ValidationError, PermissionDenied) as exc:
                    failed = True
                    row.form.add_error(None, _messages(exc))
            if failed:
                raise _Rollback
    except _Rollback:
        return None
    return saved


def _save_populations(request, rows: list[PopulationRow], year: int, source: str) -> int | None:
    def write(row: PopulationRow) -> bool:
        value = row.form.cleaned_data["population"]
        if value is None or (row.recorded is not None and row.recorded.population == value):
            return False
        services.area_population_set(
            actor=request.user, scope=request.scope, region=row.village, year=year, population=value, source=source
        )
        return True

    return _write_rows(rows, write)


def _save_rates(request, rows: list[RateRow], regency: Region, year: int, source: str) -> int | None:
    def write(row: RateRow) -> bool:
        percent = row.form.cleaned_data["percent"]
        if percent is None or (row.rate is not None and abs(row.rate.proportion * 100 - percent) < 1e-9):
            return False
        services.projection_rate_set(
            actor=request.user,
            scope=request.scope,
            regency=regency,
            group=row.group.code,
            year=year,
            proportion=percent / 100,
            source=source,
        )
        return True

    return _write_rows(rows, write)


PART_POPULATION = "penduduk"
PART_RATES = "proporsi"


@login_required
@require_http_methods(["GET", "POST"])
def population_view(request):
    """Official populations per desa and the projection proportions of the kabupaten for `?tahun=YYYY`."""
    kab = require_dinkes(request)
    year = parse_year(request.GET.get("tahun"), default=timezone.localdate().year)
    if year is None:
        context = {"kab": kab, "errors": [ERR_YEAR], "year_value": request.GET.get("tahun", "")[:10]}
        return render(request, "web/pws/population.html", context, status=400)
    part = request.POST.get("bagian") if request.method == "POST" else None
    population_rows = _population_rows(kab, year, request.POST if part == PART_POPULATION else None)
    total = sum(r.recorded.population for r in population_rows if r.recorded)
    rate_rows = _rate_rows(kab, year, total, request.POST if part == PART_RATES else None)
    notes = {p: SourceNoteForm(request.POST if part == p else None, prefix=p) for p in (PART_POPULATION, PART_RATES)}
    if part in notes:
        rows = population_rows if part == PART_POPULATION else rate_rows
        note = notes[part]
        if _all_valid([note, *(r.form for r in rows)]):
            source = note.cleaned_data["sumber"].strip()
            if part == PART_POPULATION:
                saved = _save_populations(request, population_rows, year, source)
            else:
                saved = _save_rates(request, rate_rows, Region.objects.get(pk=kab.pk), year, source)
            if saved is not None:
                text = ngettext("%(count)d figure saved.", "%(count)d figures saved.", saved)
                messages.success(request, text % {"count": saved})
                return redirect(request.get_full_path())
    context = {
        "kab": kab,
        "year": year,
        "year_value": year,
        "population_rows": population_rows,
        "rate_rows": rate_rows,
        "population_note": notes[PART_POPULATION],
        "rate_note": notes[PART_RATES],
        "part": part,
        "total": total,
        "recorded_count": sum(1 for r in population_rows if r.recorded),
        "PART_POPULATION": PART_POPULATION,
        "PART_RATES": PART_RATES,
    }
    return render(request, "web/pws/population.html", context)
