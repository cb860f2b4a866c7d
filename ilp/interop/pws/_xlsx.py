"""What the PWS spreadsheets share: month labels, status fills and cells that stay text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from ilp.indicators.cells import Status

# The headers of the classic PWS sheets (Indonesian by definition of the format, not a translation).
MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
PCT_FORMAT = "0.0"
BOLD = Font(bold=True)
STATUS_FILL = {
    Status.REACHED: PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE"),
    Status.NEAR: PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"),
    Status.BELOW: PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"),
}
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("\\/?*[]:", "_"))
SHEET_TITLE_MAX = 31


def month_label(period: dt.date) -> str:
    """`Okt 2026`."""
    return f"{MONTHS_ID[period.month - 1]} {period.year}"


def cell(sheet, value, *, number_format: str | None = None, fill=None, font=None) -> WriteOnlyCell:
    """A write-only cell; text is kept text, because openpyxl would write a string starting with `=` as a formula."""
    out = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        out.data_type = "s"
    if number_format:
        out.number_format = number_format
    if fill is not None:
        out.fill = fill
    if font is not None:
        out.font = font
    return out


def sheet_title(code: str, taken: set[str]) -> str:
    """An Excel sheet title from an indicator code: no `\\ / ? * [ ] :`, at most 31 characters, unique."""
    base = code.translate(_SHEET_FORBIDDEN).strip().strip("'")[:SHEET_TITLE_MAX] or "PWS"
    title, n = base, 1
    while title.casefold() in taken:
        n += 1
        suffix = f"~{n}"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
