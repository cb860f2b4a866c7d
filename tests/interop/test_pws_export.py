"""PWS exports of indicator cells: the flat report, the PWS workbook and the DHIS2 dataValueSets payload."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook

from ilp.indicators.cells import Cell, DenominatorSource, Status
from ilp.interop.pws import (
    REPORT_COLUMNS,
    data_value_sets,
    load_dhis2_mapping,
    pws_workbook,
    report_csv,
    report_json,
    report_rows,
    report_xlsx,
)

BAYUA, MANINJAU, TANJUNG_SANI = "13.06.03.2004", "13.06.03.2003", "13.06.03.2001"
NAMES = {BAYUA: "Bayua", MANINJAU: "Maninjau", TANJUNG_SANI: "Tanjung Sani"}


def make_cell(indicator="K1", area=BAYUA, month=10, numerator=30, denominator=40, **kw) -> Cell:
    coverage = None if not denominator else 100 * numerator / denominator
    values = {
        "indicator": indicator,
        "area_code": area,
        "area_name": NAMES.get(area, area),
        "period": dt.date(2026, month, 1),
        "cumulative": False,
        "numerator": numerator,
        "denominator": denominator,
        "source": DenominatorSource.REGISTER,
        "target_pct": 83.333,
        "coverage_pct": coverage,
        "status": Status.NO_DATA if coverage is None else Status.REACHED if coverage >= 83.333 else Status.BELOW,
    }
    return Cell(**{**values, **kw})


MAPPING = {
    "categoryOptionCombo": "HllvX50cXC0",
    "dataElements": {"K1": {"numerator": "FAKEde00001", "denominator": "FAKEde00002"}},
    "orgUnits": {BAYUA: "FAKEou00001", MANINJAU: "FAKEou00002"},
}


# --- the flat report


def test_report_rows_round_and_blank_the_missing_numbers():
    # given one cell with a coverage and one without a denominator
    cells = [make_cell(numerator=28, denominator=33), make_cell(area=MANINJAU, numerator=5, denominator=None)]
    # when the rows are built
    rows = report_rows(cells)
    # then the keys are the report's columns, percentages have one decimal, and missing numbers are empty
    assert [list(r) for r in rows] == [list(REPORT_COLUMNS)] * 2
    assert rows[0] == {
        "indicator_code": "K1",
        "area_code": BAYUA,
        "area_name": "Bayua",
        "period": "2026-10",
        "numerator": 28,
        "denominator": 33,
        "coverage_pct": 84.8,
        "target_pct": 83.3,
        "status": "tercapai",
    }
    assert (rows[1]["denominator"], rows[1]["coverage_pct"], rows[1]["status"]) == ("", "", "")


def test_report_csv_has_the_header_and_one_line_per_cell():
    # when two cells are written as CSV
    text = report_csv([make_cell(numerator=10, denominator=40), make_cell(area=MANINJAU, denominator=None)])
    # then the header and the rows are exact
    lines = text.splitlines()
    assert lines[0] == "indicator_code,area_code,area_name,period,numerator,denominator,coverage_pct,target_pct,status"
    assert lines[1] == "K1,13.06.03.2004,Bayua,2026-10,10,40,25.0,83.3,belum"
    assert lines[2] == "K1,13.06.03.2003,Maninjau,2026-10,30,,,83.3,"
    assert len(list(csv.DictReader(io.StringIO(text)))) == 2


def test_report_json_round_trips_and_keeps_non_ascii_names():
    # given an area name outside ASCII
    cells = [make_cell(area="13.06.03.2099", area_name="Nagari Saniang Baka — Uji")]
    # when written as JSON
    text = report_json(cells)
    # then it parses back to the rows, the name unescaped
    assert json.loads(text) == report_rows(cells)
    assert "Saniang Baka — Uji" in text


def test_report_xlsx_has_the_same_columns_and_numbers():
    # when the report is written as xlsx
    book = load_workbook(io.BytesIO(report_xlsx([make_cell(numerator=28, denominator=33)])))
    # then one sheet holds the header and the row, numbers as numbers
    (sheet,) = book.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == REPORT_COLUMNS
    assert rows[1] == ("K1", BAYUA, "Bayua", "2026-10", 28, 33, 84.8, 83.3, "tercapai")


def test_report_xlsx_writes_a_formula_like_name_as_text():
    # given an area name starting with "=" (openpyxl would otherwise write a formula)
    book = load_workbook(io.BytesIO(report_xlsx([make_cell(area_name="=HYPERLINK(1)")])))
    # then it is a plain string cell
    assert book.active["C2"].data_type == "s" and book.active["C2"].value == "=HYPERLINK(1)"


# --- the PWS workbook


def _pws_cells() -> list[Cell]:
    return [
        make_cell("K1", BAYUA, 9, 20, 40),
        make_cell("K1", MANINJAU, 9, 35, 40),
        make_cell("K1", BAYUA, 10, 36, 40),
        make_cell("K1", MANINJAU, 10, 10, 40),
        make_cell("K1", TANJUNG_SANI, 10, 0, None),
        make_cell("IMUNISASI/DASAR:LENGKAP-BAYI-0-11-BULAN", BAYUA, 10, 9, 10),
    ]


def _pws_book(cells=None):
    with translation.override("en"):
        data = pws_workbook(
            _pws_cells() if cells is None else cells,
            indicator_names={"K1": "Kunjungan ibu hamil K1"},
            title="Kecamatan Tanjung Raya 2026",
        )
    return load_workbook(io.BytesIO(data))


def test_pws_workbook_has_a_sheet_per_indicator_with_safe_titles():
    book = _pws_book()
    # then the sheets follow the indicators, the long code cut to 31 characters without forbidden characters
    assert book.sheetnames == ["K1", "IMUNISASI_DASAR_LENGKAP-BAYI-0-"]
    assert len(book.sheetnames[1]) == 31


def test_pws_workbook_lays_out_areas_by_month_with_target_and_latest_counts():
    sheet = _pws_book()["K1"]
    rows = list(sheet.iter_rows(values_only=True))
    # then a title row, a basis row, the headers with Indonesian month names, and one row per area in order
    assert rows[0][0] == "Kunjungan ibu hamil K1 — Kecamatan Tanjung Raya 2026"
    assert rows[1][0] == "Monthly coverage (%); denominator: register (persons by name and address)"
    assert rows[2] == (
        "Area", "Sep 2026", "Okt 2026", "Target %",
        "Numerator Okt 2026", "Denominator Okt 2026", "Gap (persons) Okt 2026", "Area code",
    )  # fmt: skip
    assert rows[3] == ("Bayua", 50.0, 90.0, 83.3, 36, 40, 0, BAYUA)
    assert rows[4] == ("Maninjau", 87.5, 25.0, 83.3, 10, 40, 24, MANINJAU)
    assert rows[5] == ("Tanjung Sani", None, None, 83.3, 0, None, None, TANJUNG_SANI)
    assert sheet["B4"].number_format == "0.0"


def test_pws_workbook_colours_each_month_by_status():
    sheet = _pws_book()["K1"]
    # then below target is red, reached is green, and a month without data is not filled
    assert sheet["B4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["C4"].fill.fgColor.rgb.endswith("C6EFCE")
    assert sheet["C6"].fill.fill_type is None
    assert [c.value for c in sheet[8][:4]] == ["Legend:", "Reached", "Near", "Below"]
    assert sheet["D8"].fill.fgColor.rgb.endswith("FFC7CE")


def test_pws_workbook_prefers_year_to_date_cells():
    # given monthly and year-to-date cells of the same indicator
    cells = [make_cell(numerator=5), make_cell(numerator=30, cumulative=True)]
    rows = list(_pws_book(cells)["K1"].iter_rows(values_only=True))
    # then the sheet shows the year-to-date coverage
    assert rows[1][0].startswith("Cumulative coverage (%)")
    assert rows[3][:2] == ("Bayua", 75.0)


def test_pws_workbook_without_cells_is_still_a_workbook():
    assert _pws_book([]).sheetnames == ["PWS"]


# --- DHIS2


def test_data_value_sets_sends_numerator_and_denominator_of_mapped_monthly_cells():
    # given a mapped cell
    payload, notes = data_value_sets([make_cell(numerator=28, denominator=33)], mapping=load_dhis2_mapping(MAPPING))
    # then two values in the dataValueSets shape, and nothing to report
    assert payload == {
        "dataValues": [
            {"dataElement": "FAKEde00001", "period": "202610", "orgUnit": "FAKEou00001",
             "categoryOptionCombo": "HllvX50cXC0", "value": "28"},
            {"dataElement": "FAKEde00002", "period": "202610", "orgUnit": "FAKEou00001",
             "categoryOptionCombo": "HllvX50cXC0", "value": "33"},
        ]
    }  # fmt: skip
    assert notes == []


def test_data_value_sets_adds_the_attribute_option_combo_when_mapped():
    mapping = load_dhis2_mapping({**MAPPING, "attributeOptionCombo": "FAKEaoc0001"})
    payload, _ = data_value_sets([make_cell()], mapping=mapping)
    assert {v["attributeOptionCombo"] for v in payload["dataValues"]} == {"FAKEaoc0001"}


def test_data_value_sets_says_what_it_did_not_send():
    # given a year-to-date cell, an unmapped indicator, an unmapped area, a missing denominator and a repeat
    cells = [
        make_cell(cumulative=True),
        make_cell("IDL"),
        make_cell("IDL", month=9),
        make_cell(area=TANJUNG_SANI),
        make_cell(area=MANINJAU, denominator=None, numerator=7),
        make_cell(month=9),
        make_cell(month=9, numerator=99),
    ]
    with translation.override("en"):
        payload, notes = data_value_sets(cells, mapping=load_dhis2_mapping(MAPPING))
    # then only the mapped monthly values are sent, and each cause is one note
    sent = [(v["orgUnit"], v["period"], v["dataElement"], v["value"]) for v in payload["dataValues"]]
    assert sent == [
        ("FAKEou00002", "202610", "FAKEde00001", "7"),
        ("FAKEou00001", "202609", "FAKEde00001", "30"),
        ("FAKEou00001", "202609", "FAKEde00002", "40"),
    ]
    assert notes == [
        "1 year-to-date cell(s) not sent: DHIS2 adds up the monthly values itself.",
        "Indicator IDL has no DHIS2 data elements in the mapping: 2 cell(s) not sent.",
        "Area Tanjung Sani (13.06.03.2001) has no DHIS2 organisation unit in the mapping: 1 cell(s) not sent.",
        "K1, Maninjau (13.06.03.2003): no denominator for 2026-10; only the numerator was sent.",
        "K1, 13.06.03.2004, 2026-09 given 1 more time(s); only the first was sent.",
    ]


def test_load_dhis2_mapping_reads_the_example_file():
    path = Path(__file__).resolve().parents[2] / "docs" / "dhis2-mapping.example.json"
    mapping = load_dhis2_mapping(path)
    assert mapping.org_units["13.06"] and "K1" in mapping.data_elements
    assert load_dhis2_mapping(path.read_text(encoding="utf-8")) == mapping


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"categoryOptionCombo": "HllvX50cXC"}, "categoryOptionCombo is 'HllvX50cXC', not a DHIS2 uid"),
        ({"attributeOptionCombo": "1234567890a"}, "attributeOptionCombo is '1234567890a', not a DHIS2 uid"),
        ({"dataElements": {"K1": {"numerator": "FAKEde00001", "denominator": "FAKE-e00002"}}},
         """dataElements["K1"].denominator is 'FAKE-e00002', not a DHIS2 uid"""),
        ({"dataElements": {"K1": {"numerator": "FAKEde00001"}}}, """dataElements["K1"].denominator is None"""),
        ({"dataElements": {"K1": ["FAKEde00001"]}}, """dataElements["K1"] must be a JSON object, got list"""),
        ({"dataElements": {"K1": {"numerator": "FAKEde00001", "denominator": "FAKEde00001"}}},
         """dataElements["K1"].denominator reuses data element FAKEde00001 of dataElements["K1"].numerator"""),
        ({"orgUnits": {BAYUA: "FAKEou0000é"}}, """orgUnits["13.06.03.2004"] is 'FAKEou0000é', not a DHIS2 uid"""),
        ({"orgUnits": {BAYUA: "FAKEou00001", MANINJAU: "FAKEou00001"}},
         """orgUnits["13.06.03.2003"] reuses organisation unit FAKEou00001 of orgUnits["13.06.03.2004"]"""),
        ({"orgunits": {}}, "unknown key(s) orgunits"),
    ],
)  # fmt: skip
def test_load_dhis2_mapping_names_the_bad_key(change, message):
    with pytest.raises(ValueError, match="DHIS2 mapping: ") as error:
        load_dhis2_mapping({**MAPPING, **change})
    assert message in str(error.value)


def test_load_dhis2_mapping_rejects_text_that_is_not_json():
    with pytest.raises(ValueError, match="is not valid JSON"):
        load_dhis2_mapping("{not json")
