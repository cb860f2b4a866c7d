"""The "Laporan Monitoring ILP" page of a puskesmas or a kabupaten/kota for a quarter (`?periode=YYYY-Qn`,
the current quarter by default): printable, with its PDF and Excel downloads (`&format=pdf|xlsx`), each
audited as an export. An area the user's scope does not read is not found."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ilp.core.audit import audit_record
from ilp.core.models import AuditAction
from ilp.interop.planning import report_pdf, report_xlsx
from ilp.interop.planning.tables import (
    Table,
    cycle_line,
    info_rows,
    numeric_columns,
    section_tables,
    summary_table,
    text,
)
from ilp.planning.access import reads_whole_plans
from ilp.planning.report import parse_quarter, recent_quarters, report_data
from ilp.web.views.people_common import today

MSG_CURRENT_SHOWN = _("The current quarter is shown.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Longer text wraps in its cell instead of widening the table.
WRAP_FROM_CHARS = 30
# Shorter text shares a line with its neighbour when the table turns into cards on a phone.
SHORT_UP_TO_CHARS = 16
DOWNLOADS = {"pdf": ("application/pdf", report_pdf), "xlsx": (XLSX, report_xlsx)}


def _data(request, code: str, quarter: str, now: dt.date) -> dict:
    if not reads_whole_plans(request.user):
        raise Http404
    try:
        return report_data(area_code=code, quarter=quarter, scope=request.scope, today=now)
    except (LookupError, PermissionDenied) as exc:
        raise Http404 from exc


def _download(request, data: dict, fmt: str) -> HttpResponse:
    content_type, render_file = DOWNLOADS[fmt]
    area, quarter = data["area"], data["period"]["quarter"]
    audit_record(
        action=AuditAction.EXPORT,
        object_type="planning.report",
        object_id=area["code"],
        object_repr=f"{data['report']} {area['name']} {quarter}"[:255],
        changes={"format": fmt, "period": quarter, "puskesmas": len(data["puskesmas"])},
        actor=request.user,
    )
    response = HttpResponse(render_file(data), content_type=content_type)
    name = f"laporan-monitoring-ilp-{area['code']}-{quarter}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _cell(header: str, value, numeric: bool) -> dict:
    shown = text(value)
    if numeric:
        css = "num"
    elif len(shown) > WRAP_FROM_CHARS:
        css = "wrap"
    else:
        css = "short" if len(shown) <= SHORT_UP_TO_CHARS else ""
    return {"label": header, "value": shown, "css": css}


def _shown(table: Table) -> dict:
    """A table with its cells as printed text: number columns aligned right, long text wrapped, short cells
    side by side on a phone."""
    numeric = numeric_columns(table)
    rows = [
        (css, [_cell(h, v, n) for h, v, n in zip(table.headers, values, numeric, strict=True)])
        for css, values in zip(table.classes, table.rows, strict=True)
    ]
    return {"table": table, "rows": rows}


@login_required
def report_view(request, code):
    """The report page, or its PDF / .xlsx download."""
    now = today()
    quarters = recent_quarters(now)
    quarter = (request.GET.get("periode") or quarters[0]).strip()
    fmt = request.GET.get("format") or ""
    if fmt and fmt not in DOWNLOADS:
        raise Http404
    errors = []
    try:
        data = _data(request, code, quarter, now)
    except ValueError as exc:
        if fmt:
            return HttpResponseBadRequest(str(exc))
        errors.append(f"{exc} {MSG_CURRENT_SHOWN}")
        quarter = quarters[0]
        data = _data(request, code, quarter, now)
    if fmt:
        return _download(request, data, fmt)
    if quarter not in quarters:
        quarters = sorted({*quarters, quarter}, key=parse_quarter, reverse=True)
    query = {"periode": data["period"]["quarter"]}
    context = {
        "data": data,
        "info": info_rows(data),
        "errors": errors,
        "quarters": quarters,
        "quarter": data["period"]["quarter"],
        "summary": _shown(summary_table(data)) if data["area"]["kind"] == "region" else None,
        "sections": [
            {"section": s, "cycle_line": cycle_line(s), "tables": [_shown(t) for t in section_tables(s)]}
            for s in data["puskesmas"]
        ],
        "pdf_url": f"{request.path}?{urlencode({**query, 'format': 'pdf'})}",
        "xlsx_url": f"{request.path}?{urlencode({**query, 'format': 'xlsx'})}",
    }
    return render(request, "web/planning/report/report.html", context)
