"""Reporting months as people type them: `YYYY-MM` (the CLI, the PWS pages and the exports share these)."""

from __future__ import annotations

import datetime as dt
import re

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_text(period: dt.date) -> str:
    """`2026-10` for any day of October 2026."""
    return f"{period.year:04d}-{period.month:02d}"


def parse_month(text: str | None) -> dt.date | None:
    """The first day of the month written `YYYY-MM`; None when empty or malformed (month outside 1-12)."""
    found = _MONTH.fullmatch((text or "").strip())
    if found is None or not 1 <= int(found[2]) <= 12:
        return None
    return dt.date(int(found[1]), int(found[2]), 1)
