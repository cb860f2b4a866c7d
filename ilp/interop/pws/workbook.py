"""The classic PWS workbook: per indicator, areas down, months across, each coverage coloured by status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ilp.indicators.cells import Cell, DenominatorSource, Status
from ilp.interop.pws._xlsx import BOLD, PCT_FORMAT, STATUS_FILL, cell, month_label, sheet_title, to_bytes

_TITLE_FONT = Font(bold=True, size=13)
_HEADER_ROW = 3  # title, basis, then the column headers


def _source_label(source: DenominatorSource) -> str:
    if source == DenominatorSource.PROJECTION:
        return _("projection (area population x proportion)")
    return _("register (persons by name and address)")


def _basis(cells: list[Cell]) -> tuple[list[Cell], bool]:
    """PWS charts coverage from January to the month, so year-to-date cells win when both kinds are given."""
    cumulative = [c for c in cells if c.cumulative]
    return (cumulative, True) if cumulative else (cells, False)


def _subtitle(cells: list[Cell], cumulative: bool) -> str:
    kind = _("Cumulative coverage (%), January to the month") if cumulative else _("Monthly coverage (%)")
    sources = {c.source for c in cells}
    if len(sources) != 1:
        return kind
    return _("%(kind)s; denominator: %(source)s") % {"kind": kind, "source": _source_label(sources.pop())}


def _write_sheet(sheet, cells: list[Cell], *, name: str, title: str) -> None:
    cells, cumulative = _basis(cells)
    months = sorted({c.period for c in cells})
    latest = months[-1]
    areas: dict[str, dict[dt.date, Cell]] = {}
    for c in cells:
        areas.setdefault(c.area_code, {}).setdefault(c.period, c)

    latest_label = month_label(latest)
    headers = [
        _("Area"),
        *(month_label(m) for m in months),
        _("Target %"),
        _("Numerator %(month)s") % {"month": latest_label},
        _("Denominator %(month)s") % {"month": latest_label},
        _("Gap (persons) %(month)s") % {"month": latest_label},
        _("Area code"),
    ]
    widest_name = max(len(c.area_name) for c in cells)
    sheet.column_dimensions["A"].width = min(max(widest_name, len(headers[0])) + 2, 40)
    for i, header in enumerate(headers[1:], start=2):
        sheet.column_dimensions[get_column_letter(i)].width = max(len(header) + 2, 10)
    sheet.freeze_panes = f"B{_HEADER_ROW + 1}"

    sheet.append([cell(sheet, f"{name} — {title}", font=_TITLE_FONT)])
    sheet.append([cell(sheet, _subtitle(cells, cumulative))])
    sheet.append([cell(sheet, h, font=BOLD) for h in headers])

    for area_code, by_month in areas.items():
        last = by_month.get(latest) or by_month[max(by_month)]
        row = [cell(sheet, last.area_name)]
        for m in months:
            c = by_month.get(m)
            value = None if c is None or c.coverage_pct is None else round(c.coverage_pct, 1)
            fill = STATUS_FILL.get(Status(c.status)) if c is not None else None
            row.append(cell(sheet, value, number_format=PCT_FORMAT, fill=fill))
        row.append(cell(sheet, round(last.target_pct, 1), number_format=PCT_FORMAT))
        now = by_month.get(latest)
        has_denominator = now is not None and now.denominator is not None
        row += [
            cell(sheet, now.numerator if now is not None else None),
            cell(sheet, now.denominator if has_denominator else None),
            cell(sheet, now.gap_persons if has_denominator else None),
            cell(sheet, area_code),
        ]
        sheet.append(row)

    sheet.append([])
    sheet.append(
        [
            cell(sheet, _("Legend:"), font=BOLD),
            cell(sheet, _("Reached"), fill=STATUS_FILL[Status.REACHED]),
            cell(sheet, _("Near"), fill=STATUS_FILL[Status.NEAR]),
            cell(sheet, _("Below"), fill=STATUS_FILL[Status.BELOW]),
        ]
    )


def pws_workbook(cells: Iterable[Cell], *, indicator_names: Mapping[str, str], title: str) -> bytes:
    """The PWS workbook (.xlsx bytes): one sheet per indicator, in the order the indicators first appear.

    Each sheet: a title row (the indicator's name from `indicator_names`, else its code, and `title`),
    a row naming the basis, then areas (in the order first seen) by the months present, each holding
    the coverage % coloured by status, and the target, numerator, denominator and gap of the latest
    month. Given both year-to-date and monthly cells of an indicator, the sheet shows the year-to-date
    ones, as the classic PWS does.
    """
    by_indicator: dict[str, list[Cell]] = {}
    for c in cells:
        by_indicator.setdefault(c.indicator, []).append(c)
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for code, group in by_indicator.items():
        sheet = book.create_sheet(sheet_title(code, taken))
        _write_sheet(sheet, group, name=indicator_names.get(code, code), title=title)
    if not by_indicator:
        sheet = book.create_sheet("PWS")
        sheet.append([cell(sheet, title, font=_TITLE_FONT)])
        sheet.append([cell(sheet, _("No indicator values for this selection."))])
    return to_bytes(book)
