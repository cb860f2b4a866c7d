"""PWS exports of an area: the classic PWS workbook (xlsx), the flat report (CSV) and the DHIS2
`dataValueSets` payload, each audited as an export. Aggregates only, so lintas sektor may export too.

- `xlsx`: every indicator x (the area and its sub-areas; the puskesmas for a kabupaten) x January..periode,
  cumulative or monthly (`?tampil=kumulatif|bulanan`), one sheet per indicator (`interop.pws.pws_workbook`);
- `csv`: the cells of the month for the same areas (`interop.pws.report_csv`), utf-8 with a BOM for Excel;
- `dhis2`: the monthly cells of January..periode through the mapping file named by `ILP_DHIS2_MAPPING`.
  The body is exactly the DHIS2 payload (`{"dataValues": [...]}`, ready to POST to `/api/dataValueSets`);
  what was left out is told in the headers `X-ILP-DHIS2-Skipped` (the number of notes) and
  `X-ILP-DHIS2-Notes` (the notes as a JSON list, ASCII-escaped, cut at `NOTES_HEADER_MAX` characters),
  and kept whole in the audit entry.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_record
from ilp.core.models import AuditAction
from ilp.core.periods import month_text as period_text
from ilp.indicators import areas, selectors
from ilp.indicators.areas import KIND_REGION, Area
from ilp.indicators.registry import all_indicators
from ilp.interop.pws import data_value_sets, load_dhis2_mapping, pws_workbook, report_csv
from ilp.regions.models import Level
from ilp.web.forms_pws import ERR_PERIOD, ERR_VIEW, area_and_indicator, parse_period, parse_view
from ilp.web.views.people_common import today
from ilp.web.views.pws_missing import period_label

ERR_DHIS2_UNSET = _(
    "The DHIS2 export is not set up: the administrator names the mapping file in the ILP_DHIS2_MAPPING setting."
)
ERR_DHIS2_INVALID = _("The DHIS2 mapping file cannot be used; the administrator must correct it.")
FORMATS = ("xlsx", "csv", "dhis2")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Proxies refuse responses whose headers exceed a few kilobytes (nginx: 4-8 KB in all).
NOTES_HEADER_MAX = 3000


def export_areas(area: Area) -> list[Area]:
    """The area first, then its puskesmas (a kabupaten) or its direct sub-areas."""
    if area.kind == KIND_REGION and area.level == Level.REGENCY:
        return [area, *(a for a, _facility in areas.puskesmas_areas(area))]
    return [area, *areas.sub_areas(area)]


def _months(period: dt.date) -> list[dt.date]:
    return [dt.date(period.year, m, 1) for m in range(1, period.month + 1)]


def _problem(request, area: Area, message, *, detail: str = "", status: int) -> HttpResponse:
    context = {"area": area, "message": message, "detail": detail}
    return render(request, "web/pws/export_problem.html", context, status=status)


def _audit(request, area: Area, fmt: str, period: dt.date, **changes) -> None:
    audit_record(
        action=AuditAction.EXPORT,
        object_type="indicators.pws",
        object_id=area.code,
        object_repr=f"PWS {area.name}"[:255],
        changes={"format": fmt, "period": period_text(period), **changes},
        actor=request.user,
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _notes_header(notes: list[str]) -> str:
    """The notes as ASCII JSON, whole notes only, within `NOTES_HEADER_MAX` characters."""
    kept: list[str] = []
    for note in notes:
        if len(json.dumps([*kept, note])) > NOTES_HEADER_MAX:
            break
        kept.append(note)
    return json.dumps(kept)


def _dhis2(request, area: Area, targets: list[Area], period: dt.date) -> HttpResponse:
    path = str(getattr(settings, "ILP_DHIS2_MAPPING", "") or "").strip()
    if not path:
        return _problem(request, area, ERR_DHIS2_UNSET, status=503)
    try:
        mapping = load_dhis2_mapping(path)
    except (OSError, ValueError) as exc:
        return _problem(request, area, ERR_DHIS2_INVALID, detail=str(exc), status=503)
    cells = selectors.series(indicators=all_indicators(), areas=targets, periods=_months(period), cumulative=False)
    payload, notes = data_value_sets(cells, mapping=mapping)
    _audit(request, area, "dhis2", period, values=len(payload["dataValues"]), notes=notes)
    body = json.dumps(payload, ensure_ascii=False).encode()
    response = _download(body, f"pws-{area.code}-{period_text(period)}-dhis2.json", "application/json")
    response["X-ILP-DHIS2-Skipped"] = str(len(notes))
    response["X-ILP-DHIS2-Notes"] = _notes_header(notes)
    return response


@login_required
def export_view(request, code, fmt):
    """Download the PWS of an area for `?periode=YYYY-MM` (default: the latest computed month)."""
    if fmt not in FORMATS:
        raise Http404
    area, _none = area_and_indicator(request.scope, code)
    period = parse_period(request.GET.get("periode"), default=selectors.latest_period() or today())
    if period is None:
        return _problem(request, area, ERR_PERIOD, status=400)
    cumulative = parse_view(request.GET.get("tampil"))
    if cumulative is None:
        return _problem(request, area, ERR_VIEW, status=400)
    targets = export_areas(area)
    if fmt == "dhis2":
        return _dhis2(request, area, targets, period)
    indicators = all_indicators()
    view = "kumulatif" if cumulative else "bulanan"
    name = f"pws-{area.code}-{period_text(period)}"
    if fmt == "csv":
        cells = selectors.cells(indicators=indicators, areas=targets, period=period, cumulative=cumulative)
        data = report_csv(cells.values()).encode("utf-8-sig")
        _audit(request, area, fmt, period, view=view, cells=len(cells))
        return _download(data, f"{name}.csv", "text/csv; charset=utf-8")
    cells = selectors.series(indicators=indicators, areas=targets, periods=_months(period), cumulative=cumulative)
    title = f"{area.name} — {period_label(period)}"
    data = pws_workbook(cells, indicator_names={i.code: str(i.name) for i in indicators}, title=title)
    _audit(request, area, fmt, period, view=view, cells=len(cells))
    return _download(data, f"{name}.xlsx", XLSX)
