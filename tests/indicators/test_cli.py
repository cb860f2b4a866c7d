"""`ilp indicators refresh | report | docs` as a user runs them."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from ilp.demo.population.load import seed_population
from ilp.demo.seed import PILOT_CODE
from ilp.indicators.models import IndicatorValue
from ilp.indicators.registry import all_indicators
from ilp.regions.models import Region

TANJUNG_RAYA = "13.06.03"
HEADER = [
    "indicator_code",
    "area_code",
    "area_name",
    "period",
    "numerator",
    "denominator",
    "coverage_pct",
    "target_pct",
    "status",
]


def _run(*args) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


@pytest.fixture
def refreshed(db):
    """A small demo population of Puskesmas Maninjau with a year of services, and its facts."""
    seed_population(persons=800, seed=5, puskesmas_code=PILOT_CODE)
    _run("refresh")


def test_refresh_writes_facts_for_every_indicator(refreshed):
    computed = set(IndicatorValue.objects.values_list("indicator", flat=True).distinct())
    assert "child_weighed" in computed and "anc_k1" in computed
    assert IndicatorValue.objects.filter(period=timezone.localdate().replace(day=1)).exists()


def test_refresh_of_one_area_leaves_the_others_alone(refreshed):
    other = IndicatorValue.objects.exclude(village__code__startswith="13.06.03.2003")
    before = sorted(other.values_list("id", flat=True))
    _run("refresh", "--area", "13.06.03.2003")
    assert sorted(other.values_list("id", flat=True)) == before


def test_report_csv_has_a_row_per_indicator_for_the_area_and_each_desa(refreshed):
    text = _run("report", "--area", TANJUNG_RAYA, "--period", _last_month())
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    desa = Region.objects.filter(parent__code=TANJUNG_RAYA, is_active=True).count()
    assert len(rows) - 1 == len(all_indicators()) * (1 + desa)
    weighed = [r for r in rows[1:] if r[0] == "child_weighed"]
    total, parts = weighed[0], weighed[1:]
    assert total[1] == TANJUNG_RAYA
    # Roll-ups are sums of the desa's numerators and denominators.
    assert int(total[4]) == sum(int(r[4]) for r in parts) > 0
    assert int(total[5]) == sum(int(r[5]) for r in parts) > 0
    assert total[8] in {"tercapai", "hampir", "belum"}


def test_report_json_and_xlsx(refreshed, tmp_path):
    rows = json.loads(_run("report", "--area", TANJUNG_RAYA, "--period", _last_month(), "--format", "json"))
    assert list(rows[0]) == HEADER
    out = tmp_path / "pws.xlsx"
    _run("report", "--area", TANJUNG_RAYA, "--period", _last_month(), "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == len(rows) + 1


def test_report_refuses_bad_input_in_indonesian(db):
    with pytest.raises(CommandError, match="tulis sebagai YYYY-MM"):
        _run("report", "--area", TANJUNG_RAYA, "--period", "10-2026")
    with pytest.raises(CommandError, match=r"99\.99"):
        _run("report", "--area", "99.99", "--period", _last_month())
    future = (timezone.localdate() + dt.timedelta(days=40)).strftime("%Y-%m")
    with pytest.raises(CommandError, match="masa depan"):
        _run("report", "--area", TANJUNG_RAYA, "--period", future)


def test_docs_command_writes_the_catalogue(tmp_path):
    out = tmp_path / "indicators.md"
    _run("docs", "--out", str(out))
    assert "`child_weighed`" in out.read_text(encoding="utf-8")
