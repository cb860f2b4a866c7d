"""Reading the people file: CSV (UTF-8, optional BOM, comma or semicolon) or the first sheet of an .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError

from ilp.interop.excel.columns import (
    COLUMNS,
    ERR_FILE_EMPTY,
    ERR_FILE_TYPE,
    ERR_FILE_UNREADABLE,
    ERR_MISSING_COLUMNS,
    REQUIRED_COLUMNS,
)


@dataclass
class Table:
    """The file's rows as text aligned to `COLUMNS` ("" where a column is absent), with their file row numbers."""

    rows: list[tuple[int, list[str]]]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store typed digits (NIK, RT) as numbers; 16-digit NIKs still fit a float exactly
        # below 2**53, so the digits are recovered as typed.
        return str(int(value))
    return str(value).strip()


def _sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _records(name: str, data: BinaryIO) -> list[list]:
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        text = io.TextIOWrapper(data, encoding="utf-8-sig", newline="")
        first = text.readline()
        text.seek(0)
        return list(csv.reader(text, delimiter=_sniff_delimiter(first)))
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(data)
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    raise ValidationError(ERR_FILE_TYPE)


def read_table(name: str, data: BinaryIO) -> Table:
    """Parse the file; headers are matched case-insensitively in any order, unknown columns ignored."""
    try:
        records = _records(name, data)
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(str(ERR_FILE_UNREADABLE) % {"error": exc}) from exc
    if not records or not any(_cell(v) for v in records[0]):
        raise ValidationError(ERR_FILE_EMPTY)
    headers = [_cell(h).lower() for h in records[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise ValidationError(str(ERR_MISSING_COLUMNS) % {"columns": ", ".join(missing)})
    positions = [headers.index(c) if c in headers else None for c in COLUMNS]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        values = [_cell(record[p]) if p is not None and p < len(record) else "" for p in positions]
        if any(values):
            rows.append((number, values))
    return Table(rows=rows)
