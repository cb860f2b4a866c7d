"""`YYYY-MM` months, as the CLI and the PWS pages read and write them."""

import datetime as dt

import pytest

from ilp.core.periods import month_text, parse_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", dt.date(2026, 10, 1)),
        (" 2026-01 ", dt.date(2026, 1, 1)),
        ("2026-12", dt.date(2026, 12, 1)),
        ("2026-13", None),
        ("2026-00", None),
        ("10-2026", None),
        ("2026-1", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


def test_month_text_round_trips():
    assert month_text(dt.date(2026, 3, 31)) == "2026-03"
    assert parse_month(month_text(dt.date(2025, 11, 15))) == dt.date(2025, 11, 1)
