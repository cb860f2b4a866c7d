"""PWS exports of an area: the workbook, the flat CSV report and the DHIS2 payload, each audited."""

import csv
import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ilp.core.models import AuditAction, AuditEntry
from ilp.indicators.registry import all_indicators
from ilp.interop.pws import REPORT_COLUMNS
from ilp.web.forms_pws import ERR_PERIOD, ERR_VIEW
from ilp.web.views.pws_export import ERR_DHIS2_INVALID, ERR_DHIS2_UNSET
from tests.people.conftest import BAYUA, TANJUNG_RAYA
from tests.web.test_pws_missing import MONTH, world  # noqa: F401 (the tiny world fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
PUSKESMAS = "P1306030101"  # Puskesmas Maninjau: Bayua is in its working area
MAPPING = {
    "categoryOptionCombo": "HllvX50cXC0",
    "dataElements": {"child_weighed": {"numerator": "DEnum000001", "denominator": "DEden000001"}},
    "orgUnits": {BAYUA: "OUbayua0001"},
}


def export_url(code: str, fmt: str, **query) -> str:
    query = {"periode": MONTH, **query}
    return f"{reverse('web:pws_export', args=[code, fmt])}?{'&'.join(f'{k}={v}' for k, v in query.items())}"


def exports() -> int:
    return AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="indicators.pws").count()


def test_the_workbook_has_a_sheet_per_indicator_with_the_desa(client_as):
    before = exports()
    response = client_as("kapus.maninjau").get(export_url(PUSKESMAS, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pws-{PUSKESMAS}-{MONTH}.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [i.code for i in all_indicators()]
    areas = [row[0] for row in book["child_weighed"].iter_rows(min_row=4, values_only=True) if row and row[0]]
    assert areas[0] == "Puskesmas Maninjau" and "Bayua" in areas and len(areas) >= 11
    assert exports() == before + 1


def test_the_csv_has_the_report_header_and_the_month_of_each_area(client_as):
    before = exports()
    response = client_as("kapus.maninjau").get(export_url(PUSKESMAS, "csv", tampil="bulanan"))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # utf-8-sig: Excel reads it as UTF-8
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(REPORT_COLUMNS)
    rows = {(r["indicator_code"], r["area_code"]): r for r in csv.DictReader(io.StringIO("\n".join(lines)))}
    bayua = rows[("child_weighed", BAYUA)]
    # one of Bayua's three balita was weighed this month
    assert (bayua["period"], bayua["numerator"], bayua["denominator"], bayua["coverage_pct"]) == (
        MONTH,
        "1",
        "3",
        "33.3",
    )
    assert ("child_weighed", PUSKESMAS) in rows
    assert exports() == before + 1


def test_dhis2_sends_the_monthly_values_through_the_mapping(client_as, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    before = exports()
    with override_settings(ILP_DHIS2_MAPPING=str(mapping)):
        response = client_as("kapus.maninjau").get(export_url(PUSKESMAS, "dhis2"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    payload = json.loads(response.content)
    assert list(payload) == ["dataValues"]
    month = MONTH.replace("-", "")
    now = {v["dataElement"]: v for v in payload["dataValues"] if v["period"] == month}
    assert now["DEnum000001"]["value"] == "1" and now["DEden000001"]["value"] == "3"
    assert {v["orgUnit"] for v in payload["dataValues"]} == {"OUbayua0001"}
    # what was left out (unmapped indicators and areas) is told in the headers
    notes = json.loads(response["X-ILP-DHIS2-Notes"])
    assert int(response["X-ILP-DHIS2-Skipped"]) >= len(notes) > 0
    assert exports() == before + 1


def test_dhis2_without_a_mapping_is_an_error_page(client_as, tmp_path):
    client = client_as("kapus.maninjau")
    with override_settings(ILP_DHIS2_MAPPING=""):
        response = client.get(export_url(PUSKESMAS, "dhis2"))
    assert response.status_code == 503
    with translation.override("id"):
        assert str(ERR_DHIS2_UNSET) in response.content.decode()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with override_settings(ILP_DHIS2_MAPPING=str(broken)):
        response = client.get(export_url(PUSKESMAS, "dhis2"))
    assert response.status_code == 503
    with translation.override("id"):
        assert str(ERR_DHIS2_INVALID) in response.content.decode()


def test_lintas_sektor_exports_aggregates(client_as):
    before = exports()
    response = client_as("camat.tanjungraya").get(export_url(TANJUNG_RAYA, "csv"))
    assert response.status_code == 200
    assert exports() == before + 1


def test_the_dinkes_exports_the_kabupaten_by_puskesmas(client_as):
    response = client_as("dinkes.agam").get(export_url("13.06", "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    areas = [row[0] for row in book["child_weighed"].iter_rows(min_row=4, values_only=True) if row and row[0]]
    assert areas[0] == "Kabupaten Agam"
    assert "Puskesmas Maninjau" in areas


def test_refusals_and_bad_parameters(client_as):
    client = client_as("kapus.maninjau")
    before = exports()
    assert client.get(export_url("13.06", "csv")).status_code == 403  # the kabupaten is not the puskesmas's
    assert client.get(export_url("99.99", "csv")).status_code == 404
    assert client.get(export_url(PUSKESMAS, "pdf")).status_code == 404
    bad_period = client.get(export_url(PUSKESMAS, "csv", periode="2026-1"))
    assert bad_period.status_code == 400
    bad_view = client.get(export_url(PUSKESMAS, "csv", tampil="harian"))
    assert bad_view.status_code == 400
    with translation.override("id"):
        assert str(ERR_PERIOD) in bad_period.content.decode() and str(ERR_VIEW) in bad_view.content.decode()
    assert exports() == before
