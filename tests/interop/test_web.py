"""The import pages: upload, background validation (immediate backend), commit, error sheet; export; permissions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ilp.interop.models import BatchStatus, ImportBatch
from ilp.people.models import Person
from tests.interop.conftest import csv_bytes, family_rows, person_row

pytestmark = pytest.mark.django_db


def _upload(client, rows, name="orang.csv"):
    return client.post(reverse("web:import_list"), {"file": SimpleUploadedFile(name, csv_bytes(rows))})


def test_upload_validates_in_the_background_then_saves_on_commit(client_as, django_capture_on_commit_callbacks):
    # given a pustu nurse and a file with one good family and one bad row
    client = client_as("pustu.bayua")
    rows = [*family_rows(), person_row(jenis_kelamin="X")]
    # when she uploads it (the task runs on commit, immediately in tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, rows)
    batch = ImportBatch.objects.latest("id")
    assert response.status_code == 302 and response.url == reverse("web:import_detail", args=[batch.external_id])
    # then the batch page shows the counts and the error, and nothing is saved yet
    page = client.get(response.url)
    assert (batch.status, batch.accepted, batch.rejected) == (BatchStatus.VALIDATED, 2, 1)
    # stored in the language the register speaks by default (LANGUAGE_CODE "id"), whatever the worker's request
    assert "Baris 4, jenis_kelamin: isi L atau P." in page.content.decode()
    assert not Person.objects.filter(nik=rows[0]["nik"]).exists()
    # and the error sheet holds the rejected row with its error
    sheet = load_workbook(io.BytesIO(client.get(reverse("web:import_errors", args=[batch.external_id])).content))
    header, row = list(sheet.active.values)
    assert row[0] == 4 and "jenis_kelamin" in row[header.index("kesalahan")]
    # when she saves
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:import_commit", args=[batch.external_id]))
    # then the family is in the register and the batch is committed
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and not batch.running
    assert Person.objects.filter(nik__in=[rows[0]["nik"], rows[1]["nik"]]).count() == 2


def test_the_batch_page_polls_while_running_in_a_fixed_number_of_queries(client_as, users, django_assert_num_queries):
    client = client_as("pustu.bayua")
    batch = ImportBatch.objects.create(
        file_name="x.csv", sha256="0" * 64, created_by=users["pustu.bayua"], running=True
    )
    url = reverse("web:import_detail", args=[batch.external_id])
    # Session, user, scope (middleware), savepoints of the test client, the batch: never one per row.
    with django_assert_num_queries(6):
        page = client.get(url, headers={"HX-Request": "true"})
    assert b'hx-trigger="every 2s"' in page.content and b"<progress" in page.content


def test_the_template_has_the_columns_and_a_petunjuk_sheet(client_as):
    response = client_as("pustu.bayua").get(reverse("web:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Data", "Petunjuk"]
    header = next(book["Data"].values)
    assert header[:7] == ("no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan", "kode_desa")


@pytest.mark.parametrize("username", ["camat.tanjungraya", "walinagari.maninjau"])
def test_roles_that_do_not_register_cannot_import(client_as, username):
    assert client_as(username).get(reverse("web:import_list")).status_code == 403


def test_lintas_sektor_cannot_export_and_others_get_a_file(client_as):
    url = reverse("web:people_export")
    assert client_as("camat.tanjungraya").get(url).status_code == 403
    response = client_as("kader.bayua").get(url, {"wilayah": "13.06.03.2004", "format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.csv"')
    assert response.content.decode("utf-8-sig").startswith("no_kk,nik,nama")


def test_a_batch_of_another_user_is_not_found(client_as, users):
    batch = ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64, created_by=users["kapus.maninjau"])
    assert client_as("pustu.bayua").get(reverse("web:import_detail", args=[batch.external_id])).status_code == 404
