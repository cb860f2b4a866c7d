"""The flat PWS report: one row per cell, the same columns in CSV, JSON and xlsx."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from openpyxl import Workbook

from ilp.core.periods import month_text as period_text
from ilp.indicators.cells import Cell
from ilp.interop.pws._xlsx import BOLD, PCT_FORMAT, cell, to_bytes

# A public file format: keep the names and their order stable.
REPORT_COLUMNS = (
    "indicator_code",
    "area_code",
    "area_name",
    "period",
    "numerator",
    "denominator",
    "coverage_pct",
    "target_pct",
    "status",
)
_PCT_COLUMNS = frozenset({"coverage_pct", "target_pct"})


def _row(c: Cell) -> dict:
    return {
        "indicator_code": c.indicator,
        "area_code": c.area_code,
        "area_name": c.area_name,
        "period": period_text(c.period),
        "numerator": c.numerator,
        "denominator": "" if c.denominator is None else c.denominator,
        "coverage_pct": "" if c.coverage_pct is None else round(c.coverage_pct, 1),
        "target_pct": round(c.target_pct, 1),
        "status": str(c.status),
    }


def report_rows(cells: Iterable[Cell]) -> list[dict]:
    """One dict per cell with `REPORT_COLUMNS` as keys, in that order; a missing number is `""`."""
    return [_row(c) for c in cells]


def report_csv(cells: Iterable[Cell]) -> str:
    """The report as CSV text (header row first); encode it as `utf-8-sig` for Excel to read it as UTF-8."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(report_rows(cells))
    return out.getvalue()


def report_json(cells: Iterable[Cell]) -> str:
    """The report as a JSON list of row objects (area names kept as written, not `\\u` escaped)."""
    return json.dumps(report_rows(cells), ensure_ascii=False)


def report_xlsx(cells: Iterable[Cell]) -> bytes:
    """The report as one xlsx sheet with the CSV's columns; empty numbers are empty cells."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("PWS")
    sheet.freeze_panes = "A2"
    sheet.append([cell(sheet, name, font=BOLD) for name in REPORT_COLUMNS])
    for row in report_rows(cells):
        sheet.append(
            [
                cell(sheet, None if value == "" else value, number_format=PCT_FORMAT if key in _PCT_COLUMNS else None)
                for key, value in row.items()
            ]
        )
    return to_bytes(book)
