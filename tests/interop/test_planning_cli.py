"""`ilp planning report` as a user runs it: JSON to standard output or a file, PDF and .xlsx into files, and
bad input refused with the user's message."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.planning import report_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    return w.build(users)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("planning", "report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_goes_to_standard_output(world):
    data = json.loads(_run("--area", w.PILOT, "--period", w.Q3, "--format", "json"))
    assert data["report"] == "Laporan Monitoring ILP" and data["period"]["quarter"] == "2026-Q3"
    (section,) = data["puskesmas"]
    assert [p["title"] for p in section["problems"]][:1] == [w.TOP_PROBLEM]
    assert section["rtl"][0]["step"] == w.STEP_PEMDES and section["rtl"][0]["current"] == 50.0
    assert section["risks"][0]["challenge"] == w.RISK
    assert {"network", "problems", "rtl", "risks", "workshops", "evaluations"} <= set(section)


def test_json_pdf_and_xlsx_files(world, tmp_path):
    out = tmp_path / "laporan.json"
    message = _run("--area", w.AGAM, "--period", w.Q3, "--format", "json", "--out", str(out))
    assert str(out) in message
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["area"]["code"] == w.AGAM and len(data["summary"]) > 1
    pdf = tmp_path / "laporan.pdf"
    _run("--area", w.PILOT, "--period", w.Q3, "--format", "pdf", "--out", str(pdf))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Laporan Monitoring ILP" in text and w.STEP_PEMDES in text
    xlsx = tmp_path / "laporan.xlsx"
    _run("--area", w.PILOT, "--period", w.Q3, "--format", "xlsx", "--out", str(xlsx))
    book = load_workbook(xlsx)
    assert len(book.sheetnames) == 8
    steps = [row[3] for row in book.worksheets[4].iter_rows(min_row=2, values_only=True)]
    assert steps == [w.STEP_PEMDES, w.STEP_NETWORK]


def test_pdf_without_out_needs_a_binary_output(world):
    # call_command's text buffer cannot take bytes: the user is told to name a file
    with pytest.raises(CommandError, match="--out"):
        _run("--area", w.PILOT, "--period", w.Q3, "--format", "pdf")


def test_bad_input_is_refused_with_the_users_message(db):
    # "Periode: tulis sebagai YYYY-Qn, mis. 2026-Q3" once translated; the example stays the same
    with pytest.raises(CommandError, match=r"YYYY-Qn.*2026-Q3"):
        _run("--area", w.PILOT, "--period", "2026-07")
    # "Wilayah: tidak ada wilayah atau puskesmas dengan kode 99.99."
    with pytest.raises(CommandError, match=r"Wilayah: .*99\.99"):
        _run("--area", "99.99", "--period", w.Q3)
    with pytest.raises(CommandError, match=w.MANINJAU):
        _run("--area", w.MANINJAU, "--period", w.Q3)
    with pytest.raises(CommandError, match="2099-Q1"):
        _run("--area", w.PILOT, "--period", "2099-Q1")
