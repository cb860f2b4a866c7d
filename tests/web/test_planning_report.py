"""The "Laporan Monitoring ILP" page: printable report for the kepala puskesmas, not found outside the scope,
PDF and Excel downloads audited as exports."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from ilp.accounts.models import Role
from ilp.accounts.services import user_create
from ilp.core.models import AuditAction, AuditEntry
from ilp.facilities.models import Facility, FacilityKind
from ilp.planning.report import quarter_of
from tests.planning import report_world as w

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


@pytest.fixture
def world(users):
    return w.build(users)


def _url(code=w.PILOT, **query):
    url = reverse("web:planning_report", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_kapus_reads_the_report_of_their_puskesmas(world, client_as, django_assert_max_num_queries):
    client = client_as("kapus.maninjau")
    client.get(reverse("web:home"))
    with django_assert_max_num_queries(40):
        response = client.get(_url(periode=w.Q3))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Laporan Monitoring ILP" in page and "Puskesmas Maninjau" in page
    assert w.TOP_PROBLEM in page and w.STEP_PEMDES in page and w.RISK in page and w.DECISION in page
    assert "Klinik Pratama Danau Maninjau" in page
    assert 'class="row-at_risk"' in page  # the step behind its target line is marked
    assert f'href="{escape(_url(periode=w.Q3, format="pdf"))}"' in page
    assert f'href="{escape(_url(periode=w.Q3, format="xlsx"))}"' in page
    assert "@media print" in page


def test_the_current_quarter_is_the_default_and_a_bad_period_is_told(world, client_as):
    client = client_as("kapus.maninjau")
    current = quarter_of(timezone.localdate())
    assert f'<option value="{current}" selected>' in client.get(_url()).content.decode()
    response = client.get(_url(periode="2026-13"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Period: write it as YYYY-Qn, e.g. 2026-Q3. The current quarter is shown." in page
    assert f'<option value="{current}" selected>' in page
    assert "Period: 2099-Q1 is in the future." in client.get(_url(periode="2099-Q1")).content.decode()
    assert client.get(_url(periode="2026-13", format="pdf")).status_code == 400


def test_kapus_of_another_puskesmas_gets_not_found(world, client_as, users):
    other = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).exclude(code=w.PILOT).order_by("code").first()
    user_create(
        actor=None, username="kapus.lain", password="ilp-test-2026-x", role=Role.KEPALA_PUSKESMAS, facility=other
    )
    client = client_as("kapus.maninjau")
    client.force_login(type(users["kapus.maninjau"]).objects.get(username="kapus.lain"))
    assert client.get(_url(periode=w.Q3)).status_code == 404
    assert client.get(_url(periode=w.Q3, format="pdf")).status_code == 404
    assert client.get(_url(code=other.code, periode=w.Q3)).status_code == 200


def test_kapus_does_not_read_the_kabupaten_but_the_dinkes_does(world, client_as, django_assert_max_num_queries):
    assert client_as("kapus.maninjau").get(_url(code=w.AGAM, periode=w.Q3)).status_code == 404
    assert client_as("kapus.maninjau").get(_url(code="99.99", periode=w.Q3)).status_code == 404
    dinkes = client_as("dinkes.agam")
    dinkes.get(reverse("web:home"))
    # one query for the cycles of every puskesmas: those without a cycle add none
    with django_assert_max_num_queries(40):
        response = dinkes.get(_url(code=w.AGAM, periode=w.Q3))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Puskesmas summary" in page and w.STEP_PEMDES in page
    for name in Facility.objects.filter(kind=FacilityKind.PUSKESMAS, region__regency__code=w.AGAM).values_list(
        "name", flat=True
    ):
        assert name in page


def test_pdf_download_is_a_pdf_and_is_audited(world, client_as, users):
    client = client_as("kapus.maninjau")
    before = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    response = client.get(_url(periode=w.Q3, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="laporan-monitoring-ilp-{w.PILOT}-2026-Q3.pdf"' in response["Content-Disposition"]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Laporan Monitoring ILP" in text
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == before + 1
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "planning.report",
        w.PILOT,
        users["kapus.maninjau"].pk,
    )
    assert entry.changes["format"] == "pdf" and entry.changes["period"] == "2026-Q3"


def test_xlsx_download_and_an_unknown_format(world, client_as):
    client = client_as("kapus.maninjau")
    response = client.get(_url(periode=w.Q3, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert any(row[3].value == w.STEP_PEMDES for row in book["RTL"].iter_rows(min_row=2))
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="planning.report").exists()
    assert client.get(_url(periode=w.Q3, format="doc")).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(_url(periode=w.Q3))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


@pytest.mark.parametrize("username", ["walinagari.maninjau", "pustu.bayua", "kader.bayua"])
def test_roles_of_one_desa_do_not_read_the_puskesmas_report(client_as, username):
    response = client_as(username).get(reverse("web:planning_report", args=[w.PILOT]))
    assert response.status_code == 404
