"""The "Laporan Monitoring ILP" as files: the PDF opens and reads back its text, the .xlsx has a sheet per
section, and text outside latin-1 never breaks the PDF."""

import datetime as dt
import io
import json

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from ilp.interop.planning import report_json, report_pdf, report_xlsx
from ilp.interop.planning.pdf import latin1
from ilp.planning.report import report_data
from tests.planning import report_world as w

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
SHEETS = ["Report", "Summary", "Network", "Problems", "RTL", "Risks", "Lokakarya mini", "Evaluations"]


@pytest.fixture
def data(users):
    w.build(users)
    with translation.override("en"):
        yield report_data(area_code=w.PILOT, quarter=w.Q3, today=TODAY)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_pdf_opens_and_holds_the_report(data):
    # when the report is written as PDF
    with translation.override("en"):
        content = report_pdf(data)
    # then it is a PDF that reads back with the title, the puskesmas, a problem and a step
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = _pdf_text(content)
    assert "Laporan Monitoring ILP" in text
    assert "Puskesmas Maninjau" in text
    assert w.TOP_PROBLEM in text
    assert w.STEP_PEMDES in text
    assert w.RISK in text and "2026-Q3" in text
    # the symbols the core fonts lack are spelled out
    assert "usia >= 15 tahun -> rujuk" in text
    assert f"Page 1 of {len(reader.pages)}" in text


def test_kabupaten_pdf_has_the_summary_of_every_puskesmas(users):
    w.build(users)
    with translation.override("en"):
        data = report_data(area_code=w.AGAM, quarter=w.Q3, today=TODAY)
        text = _pdf_text(report_pdf(data))
    assert "Puskesmas summary" in text
    for row in data["summary"]:
        assert row["name"] in text
    assert w.STEP_PEMDES in text


def test_pdf_survives_text_outside_latin_1(data):
    # given names and notes in scripts and symbols Helvetica cannot write
    section = data["puskesmas"][0]
    section["name"] = "Puskesmas Maninjau 東京 ≥ ≤ ≠ → “Ä” — ✓ 😀"
    section["risks"][0]["mitigation"] = "Mitigasi: ①②③ \uff21\uff22\uff23 ŝ ő Ω … •"
    section["rtl"][0]["step"] = "x" * 5000
    # when written, then nothing crashes and the readable part survives
    with translation.override("en"):
        text = _pdf_text(report_pdf(data))
    assert "Puskesmas Maninjau" in text and '>= <= != -> "' in text
    assert latin1("ő ŝ Ω ① 東") == "o s ? 1 ?"


def test_xlsx_has_a_sheet_per_section_and_the_steps(data):
    with translation.override("en"):
        book = load_workbook(io.BytesIO(report_xlsx(data)))
    assert book.sheetnames == SHEETS
    rtl = book["RTL"]
    header = [c.value for c in rtl[1]]
    assert header[:4] == ["Puskesmas", "Problem", "Phase", "Step"]
    assert rtl[1][0].font.bold and rtl.freeze_panes == "A2"
    assert rtl.column_dimensions["D"].width > 10
    rows = [[c.value for c in row] for row in rtl.iter_rows(min_row=2)]
    step = next(r for r in rows if r[3] == w.STEP_PEMDES)
    assert step[0] == "Puskesmas Maninjau" and step[1] == w.TOP_PROBLEM
    assert step[header.index("Baseline (%)")] == 40.0
    assert step[header.index("Current (%)")] == 50.0
    assert step[header.index("Target (%)")] == 80.0
    assert step[header.index("Target date")] == dt.datetime(2026, 12, 31)
    assert any(r[3] == w.STEP_NETWORK for r in rows)  # kept as written in Excel
    problems = book["Problems"]
    assert [r[2].value for r in problems.iter_rows(min_row=2)] == [w.TOP_PROBLEM, w.SECOND_PROBLEM, w.THIRD_PROBLEM]


def test_json_keeps_names_as_written(data):
    text = report_json(data)
    assert "“segera”" in text and "\\u" not in text
    assert json.loads(text)["puskesmas"][0]["rtl"][1]["step"] == w.STEP_NETWORK


def test_a_kabupaten_without_cycles_still_gives_every_file(db):
    # given no cycle anywhere in Agam
    with translation.override("en"):
        data = report_data(area_code=w.AGAM, quarter="2025-Q4", today=TODAY)
        text = _pdf_text(report_pdf(data))
        book = load_workbook(io.BytesIO(report_xlsx(data)))
    # then the summary lists the puskesmas and the files say there is nothing more
    assert data["puskesmas"] == [] and len(data["summary"]) > 1
    assert "No puskesmas of this area has started an ILP cycle." in text
    assert book.sheetnames == SHEETS and book["RTL"].max_row == 1
    assert book["Summary"].max_row == len(data["summary"]) + 1
