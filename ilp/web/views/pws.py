"""PWS pages (Pemantauan Wilayah Setempat, ILP.md §3.2): an area's coverage per sub-area and indicator,
and one indicator's classic cumulative chart with ranking, trend and gap.

The pages read only the indicator facts, through `ilp.indicators.selectors`; each page makes a fixed
number of queries whatever the number of desa or posyandu (one `series` call).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import Role
from ilp.facilities.models import Facility
from ilp.indicators import areas, refresh, selectors
from ilp.indicators.areas import KIND_POSYANDU, KIND_PUSKESMAS, KIND_REGION, Area
from ilp.indicators.cells import Cell, DenominatorSource, Status, rank_of, trend_of
from ilp.indicators.registry import Indicator, Kind, Stage, all_indicators, get
from ilp.indicators.sasaran import GROUPS
from ilp.regions.models import Level
from ilp.regions.selectors import level_label, level_labels
from ilp.web.labels import region_prefix
from ilp.web.permissions import may_read_people
from ilp.web.views.common import render_page

ERR_PERIOD = _("Period: %(value)s is not one of the months you can choose; write it as YYYY-MM, e.g. %(example)s.")
ERR_DISPLAY = _("Display: choose cumulative or monthly; the cumulative figures are shown.")
ERR_STAGE = _("Life stage: %(value)s is not a life stage; every indicator is shown.")
MSG_NO_AREA = _("Your account has no PWS area yet. Ask the Dinkes administrator to bind it to a facility or region.")

CUMULATIVE, MONTHLY = "kumulatif", "bulanan"
STAGE_LABELS = {
    Stage.PREGNANCY: _("Pregnancy, delivery and postpartum"),
    Stage.NEWBORN: _("Newborn"),
    Stage.CHILD: _("Infant and under-five"),
    Stage.SCHOOL: _("School age and adolescent"),
    Stage.ADULT: _("Adult"),
    Stage.ELDERLY: _("Elderly"),
    Stage.ALL: _("All ages (programme)"),
}
STATUS_LABELS = {
    Status.REACHED: _("reached"),
    Status.NEAR: _("near the target"),
    Status.BELOW: _("below the target"),
    Status.NO_DATA: _("no data"),
}
EXPORTS = (("xlsx", _("Excel (PWS)")), ("csv", _("CSV")), ("dhis2", _("DHIS2 JSON")))
# Who changes targets, denominator sources and desa populations (the settings pages check it again).
CONFIGURING_ROLES = frozenset({Role.DINKES_ADMIN, Role.KEPALA_PUSKESMAS})
_STAGE_ORDER = {s: i for i, s in enumerate(Stage)}


# ----------------------------------------------------------------------------------------- filters
@dataclass
class Filters:
    period: dt.date
    cumulative: bool = True
    stage: str = ""  # a Stage value; "" = every indicator
    errors: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        return CUMULATIVE if self.cumulative else MONTHLY

    def query(self) -> str:
        """The page's query string (for links that keep the period, display and stage)."""
        parts = [f"periode={self.period:%Y-%m}", f"tampil={self.display}"]
        if self.stage:
            parts.append(f"tahap={self.stage}")
        return "&".join(parts)


def period_choices(on: dt.date) -> list[dt.date]:
    """The current month and the 12 before it, newest first."""
    months = on.year * 12 + on.month - 1
    return [dt.date((months - n) // 12, (months - n) % 12 + 1, 1) for n in range(13)]


def parse_filters(params, on: dt.date) -> Filters:
    """?periode=YYYY-MM&tampil=kumulatif|bulanan&tahap=<Stage>; a bad value gives the default and a message."""
    choices = {f"{p:%Y-%m}": p for p in period_choices(on)}
    filters = Filters(period=on.replace(day=1))
    value = params.get("periode", "").strip()
    if value in choices:
        filters.period = choices[value]
    elif value:
        filters.errors.append(str(ERR_PERIOD) % {"value": value[:20], "example": f"{on:%Y-%m}"})
    display = params.get("tampil", "").strip()
    if display == MONTHLY:
        filters.cumulative = False
    elif display not in ("", CUMULATIVE):
        filters.errors.append(str(ERR_DISPLAY))
    stage = params.get("tahap", "").strip()
    if stage in {s.value for s in Stage}:
        filters.stage = stage
    elif stage:
        filters.errors.append(str(ERR_STAGE) % {"value": stage[:20]})
    return filters


def filter_context(filters: Filters, on: dt.date) -> dict:
    return {
        "filters": filters,
        "period_choices": period_choices(on),
        "stage_choices": [(s.value, STAGE_LABELS[s]) for s in Stage],
        "display_choices": ((CUMULATIVE, _("Cumulative (year to date)")), (MONTHLY, _("Monthly"))),
    }


# ----------------------------------------------------------------------------------------- reading
@dataclass
class CellView:
    cell: Cell
    link: str = ""  # the drill-down "siapa yang belum", when the user reads persons
    ind: Indicator | None = None

    @property
    def stage_label(self):
        return STAGE_LABELS[self.ind.stage] if self.ind else ""

    @property
    def css(self) -> str:
        return f"st-{self.cell.status.value or 'none'}"

    @property
    def status_label(self):
        return STATUS_LABELS[self.cell.status]

    @property
    def projected(self) -> bool:
        return self.cell.source == DenominatorSource.PROJECTION


@dataclass
class Row:
    area: Area
    cells: list[CellView]
    total: bool = False
    facility: Facility | None = None  # kabupaten view: the puskesmas, for its ILP rollout status
    extra: dict = field(default_factory=dict)


def indicators_for(stage: str) -> list[Indicator]:
    items = all_indicators()
    if stage:
        return [i for i in items if i.stage == stage]
    return sorted(items, key=lambda i: _STAGE_ORDER[i.stage])  # stable: catalogue order inside a stage


def require_area(request, code: str) -> Area:
    """The area by code within the user's scope: PermissionDenied (403) outside it, 404 when unknown."""
    try:
        return areas.require_area(scope=request.scope, code=code)
    except LookupError as exc:
        raise Http404(str(exc)) from exc


def sub_rows(area: Area) -> tuple[list[Area], dict[str, Facility]]:
    """The rows under an area: puskesmas of a kabupaten (with the facility), posyandu of a desa, else sub-areas."""
    if area.kind == KIND_REGION and area.level == Level.REGENCY:
        pairs = areas.puskesmas_areas(area)
        return [a for a, _f in pairs], {a.code: f for a, f in pairs}
    if area.kind == KIND_REGION and area.level == Level.VILLAGE:
        return areas.posyandu_of(area), {}
    return areas.sub_areas(area), {}


def area_title(area: Area, labels: dict) -> str:
    """The area as a heading: "Nagari Maninjau", "Kecamatan Tanjung Raya", "Puskesmas Maninjau"."""
    if area.kind != KIND_REGION:
        return area.name
    prefix = region_prefix(area.code, area.level, labels)
    return f"{prefix} {area.name}".strip()


def rows_label(area: Area, subs: list[Area], labels: dict) -> str:
    """The heading of the first column: the sub-areas' kind ("Nagari", "Puskesmas", "Posyandu")."""
    first = subs[0] if subs else area
    if first.kind == KIND_PUSKESMAS:
        return str(_("Puskesmas"))
    if first.kind == KIND_POSYANDU:
        return str(_("Posyandu"))
    return region_prefix(first.code, first.level, labels) or level_label(first.code, first.level, labels)


def may_configure(user) -> bool:
    return user.is_superuser or user.role in CONFIGURING_ROLES


def missing_link(request, ind: Indicator, area: Area, filters: Filters, cell: Cell | None = None) -> str:
    """The drill-down of who is not yet covered, for indicators counted by person or family (not for an
    empty cell: nobody to list)."""
    if cell is not None and not cell.denominator:
        return ""
    if ind.population.unit not in selectors.LISTABLE_UNITS or not may_read_people(request.user, request.scope):
        return ""
    return reverse("web:pws_missing", args=[area.code, ind.code]) + f"?periode={filters.period:%Y-%m}"


def common_context(request, area: Area, filters: Filters, codes: list[str], labels: dict) -> dict:
    query = filters.query()
    return {
        "area": area,
        "area_title": area_title(area, labels),
        "query": query,
        "last_computed": selectors.last_computed(codes=codes, period=filters.period) if codes else None,
        "pending": refresh.pending_marks(),
        "exports": [(reverse("web:pws_export", args=[area.code, f]) + f"?{query}", label) for f, label in EXPORTS],
        "may_configure": may_configure(request.user),
        **filter_context(filters, timezone.localdate()),
    }


# ------------------------------------------------------------------------------------------- views
@login_required
def pws_home(request):
    """The user's own area: posyandu, desa, puskesmas, kecamatan or kabupaten."""
    area = areas.default_area(scope=request.scope, user=request.user)
    if area is not None:
        return redirect("web:pws_area", code=area.code)
    return render(request, "web/pws/home.html", {"message": MSG_NO_AREA})


@login_required
def pws_area(request, code):
    """Sub-areas x indicators of one period, coloured against the target; a desa's rank in its puskesmas."""
    area = require_area(request, code)
    filters = parse_filters(request.GET, timezone.localdate())
    indicators = indicators_for(filters.stage)
    subs, facilities = sub_rows(area)
    peers_of, peers = areas.puskesmas_peers(area)
    every = {a.code: a for a in (area, *subs, *peers)}
    found = selectors.cells(
        indicators=indicators, areas=list(every.values()), period=filters.period, cumulative=filters.cumulative
    )
    rows = []
    for row_area in (area, *subs):
        views = []
        for ind in indicators:
            cell = found[(ind.code, row_area.code)]
            views.append(CellView(cell, missing_link(request, ind, row_area, filters, cell), ind))
        rows.append(Row(row_area, views, total=row_area is area, facility=facilities.get(row_area.code)))
    ranks = []
    if peers:
        for ind in indicators:
            ranks.append((ind, rank_of([found[(ind.code, p.code)] for p in peers], area.code)))
    labels = level_labels()
    context = {
        **common_context(request, area, filters, [i.code for i in indicators], labels),
        "indicators": indicators,
        "stage_groups": [] if filters.stage else _stage_groups(indicators),
        "rows": rows,
        "rows_label": rows_label(area, subs, labels),
        "rollout": bool(facilities),
        "rollout_counts": _rollout_counts(facilities.values()),
        "ranks": ranks,
        "peers_of": peers_of,
        "projected": any(c.projected for r in rows for c in r.cells),
    }
    return render_page(request, "web/pws/area.html", "web/pws/_area_body.html", context)


def _stage_groups(indicators: list[Indicator]) -> list[tuple]:
    """(label, number of columns) of each life stage, for the header row above the indicators."""
    groups: list[list] = []
    for ind in indicators:
        if groups and groups[-1][0] == ind.stage:
            groups[-1][2] += 1
        else:
            groups.append([ind.stage, STAGE_LABELS[ind.stage], 1])
    return [(stage, label, n) for stage, label, n in groups]


def _rollout_counts(facilities) -> list[tuple]:
    counts: dict[str, list] = {}
    for f in facilities:
        counts.setdefault(f.ilp_status, [f.get_ilp_status_display(), 0])[1] += 1
    return [(status, label, n) for status, (label, n) in sorted(counts.items())]


@login_required
def pws_indicator(request, code, indicator):
    """One indicator of an area: the cumulative chart against the target line, the months table, ranking,
    trend, gap in persons, register vs projected sasaran and the definition."""
    try:
        ind = get(indicator)
    except KeyError as exc:
        raise Http404(indicator) from exc
    area = require_area(request, code)
    filters = parse_filters(request.GET, timezone.localdate())
    subs, _facilities = sub_rows(area)
    months = [filters.period.replace(month=m) for m in range(1, filters.period.month + 1)]
    found = selectors.series(indicators=[ind], areas=[area, *subs], periods=months, cumulative=filters.cumulative)
    by_area: dict[str, list[Cell]] = {}
    for cell in found:
        by_area.setdefault(cell.area_code, []).append(cell)
    rows = []
    for a in (area, *subs):
        extra = {**trend_of(by_area[a.code]), "link": missing_link(request, ind, a, filters, by_area[a.code][-1])}
        rows.append(Row(a, [CellView(c) for c in by_area[a.code]], total=a is area, extra=extra))
    now = [row.cells[-1].cell for row in rows[1:]]
    for row in rows[1:]:
        row.extra["rank"] = rank_of(now, row.area.code)
    ranking = sorted(rows[1:], key=_rank_key)
    labels = level_labels()
    month_labels = [formats.date_format(m, "M") for m in months]
    context = {
        **common_context(request, area, filters, [ind.code], labels),
        "ind": ind,
        "stage_label": STAGE_LABELS[ind.stage],
        "months": month_labels,
        "rows": rows,
        "rows_label": rows_label(area, subs, labels),
        "ranking": ranking,
        "total": rows[0],
        "chart": _chart(ind, area, subs, by_area, month_labels, filters),
        "sasaran": _sasaran(ind, area, filters.period.year),
        "kind_text": _("annual coverage") if ind.kind == Kind.COVERAGE else _("monthly rate"),
        "people_links": any(row.extra["link"] for row in rows),
    }
    return render_page(request, "web/pws/indicator.html", "web/pws/_indicator_body.html", context)


def _rank_key(row: Row) -> tuple:
    place = row.extra["rank"]
    return (place is None, place[0] if place else 0)


def _chart(ind, area, subs, by_area, month_labels, filters) -> dict:
    """The data of `static/web/pws_chart.js`: one line per area, the target line."""
    values = [{"name": a.name, "values": [c.coverage_pct for c in by_area[a.code]]} for a in (area, *subs)]
    return {
        "title": f"{ind.short} · {area.name} · {filters.period.year}",
        "months": month_labels,
        "series": values,
        "target": [c.target_pct for c in by_area[area.code]],
        "target_label": str(_("Target")),
        "y_label": str(_("Cumulative coverage %") if filters.cumulative else _("Monthly coverage %")),
    }


def _sasaran(ind: Indicator, area: Area, year: int) -> dict | None:
    """Register and projected sasaran side by side, with the proportion used and whether it is a default."""
    if ind.kind != Kind.COVERAGE:
        return None
    register, projection = selectors.register_and_projection(indicator=ind, area=area, year=year)
    group = GROUPS.get(ind.sasaran)
    own = selectors.projection_rates(regency_id=area.regency_id, year=year).get(group.code) if group else None
    return {
        "register": register,
        "projection": projection,
        "group": group,
        "proportion_pct": (own.proportion if own else group.proportion) * 100 if group else None,
        "default": own is None,
        "own_source": own.source if own else "",
    }
