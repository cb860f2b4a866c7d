"""The "Laporan Monitoring ILP" as an .xlsx workbook (openpyxl): a sheet with the report's heading facts, then
one sheet per section (summary, network, problems, RTL, risks, lokakarya mini, evaluations) holding the rows
of every puskesmas; header row bold and frozen, columns sized to their content."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ilp.interop.planning.tables import Table, info_rows, section_tables, summary_table

BOLD = Font(bold=True)
DATE_FORMAT = "DD-MM-YYYY"
COLUMN_MIN, COLUMN_MAX = 6, 60
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("\\/?*[]:", "_"))
SHEET_TITLE_MAX = 31


def _sheet_title(title: str, taken: set[str]) -> str:
    base = title.translate(_SHEET_FORBIDDEN).strip().strip("'")[:SHEET_TITLE_MAX] or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" {n}"
        name = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _value(value):
    """Text stays text: openpyxl writes a string starting with `=` as a formula."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value


def _width(value) -> int:
    return len(value.strftime("%d-%m-%Y")) if isinstance(value, dt.date) else len(str(value or ""))


def _write(sheet, headers: list[str], rows: list[list]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(str(h)) for h in headers]
    for values in rows:
        sheet.append([_value(v) for v in values])
        widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=True)]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    for k, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(k)].width = min(max(width + 2, COLUMN_MIN), COLUMN_MAX)


def _merged(sections: list[dict]) -> list[Table]:
    """One table per section kind holding the rows of every puskesmas, the puskesmas named first."""
    empty = {"network": [], "problems": [], "rtl": [], "risks": [], "workshops": [], "evaluations": []}
    out = [replace(t, headers=[str(_("Puskesmas")), *t.headers], rows=[]) for t in section_tables(empty)]
    for section in sections:
        for merged, table in zip(out, section_tables(section), strict=True):
            merged.rows.extend([section["name"], *row] for row in table.rows)
    return out


def report_xlsx(data: dict) -> bytes:
    """The report (`planning.report.report_data`) as .xlsx bytes."""
    book = Workbook()
    taken: set[str] = set()
    info = book.active
    info.title = _sheet_title(str(_("Report")), taken)
    _write(info, [str(_("Report")), data["report"]], [list(pair) for pair in info_rows(data)])
    for table in [summary_table(data), *_merged(data["puskesmas"])]:
        _write(book.create_sheet(_sheet_title(table.sheet, taken)), table.headers, table.rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
