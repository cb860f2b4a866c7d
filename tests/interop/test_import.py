"""The people import: per-row errors, unchanged re-imports, updates, scope, staging and the CLI summary."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from ilp.core.models import AuditEntry
from ilp.interop.excel import columns as c
from ilp.interop.models import BatchStatus, ImportBatch, ImportRow
from ilp.people.models import Family, FamilyMembership, Person
from tests.interop.conftest import MANINJAU_CODE, csv_bytes, family_rows, person_row, wife_row

pytestmark = pytest.mark.django_db


def _msg(template, row, field, **params) -> str:
    return str(template) % {"row": row, "field": field, **params}


def test_a_family_file_is_registered_staged_and_audited(run_import, users):
    # given a file of two families of two, in a semicolon CSV with a BOM
    rows = family_rows() + family_rows(no_kk="", alasan_tanpa_kk="belum punya KK")
    rows[3]["no_kk"] = ""
    audit_before = AuditEntry.objects.count()
    # when the pustu nurse imports it
    summary = run_import(rows, "pustu.bayua", delimiter=";", bom=True)
    # then both families are registered with their heads, every row staged as new
    assert summary.as_dict() == {"accepted": 4, "rejected": 0, "unchanged": 0, "errors": []}
    head = Person.objects.get(nik=rows[0]["nik"])
    family = Family.objects.get(kk_number=rows[0]["no_kk"])
    assert family.head == head and family.address_text == "Jl. Raya Maninjau"
    no_kk = Family.objects.get(head__nik=rows[2]["nik"])
    assert no_kk.kk_missing_reason == "belum punya KK"
    assert FamilyMembership.objects.get(person__nik=rows[3]["nik"]).family == no_kk
    batch = ImportBatch.objects.latest("id")
    assert (batch.status, batch.created_by, batch.accepted) == (BatchStatus.COMMITTED, users["pustu.bayua"], 4)
    staged = list(batch.rows.values_list("row_number", "outcome", "person_external_id"))
    assert staged == [
        (2, "new", head.external_id),
        (3, "new", Person.objects.get(nik=rows[1]["nik"]).external_id),
        (4, "new", no_kk.head.external_id),
        (5, "new", Person.objects.get(nik=rows[3]["nik"]).external_id),
    ]
    assert AuditEntry.objects.count() - audit_before == 2 + 4 + 4


def test_reimporting_the_same_file_changes_nothing(run_import):
    # given an imported file
    rows = family_rows() + family_rows()
    run_import(rows, "pustu.bayua")
    counts = (Person.objects.count(), Family.objects.count(), AuditEntry.objects.count())
    # when it is imported again
    summary = run_import(rows, "pustu.bayua")
    # then every row is unchanged and nothing was written to the register or the log
    assert summary.as_dict() == {"accepted": 0, "rejected": 0, "unchanged": 4, "errors": []}
    assert (Person.objects.count(), Family.objects.count(), AuditEntry.objects.count()) == counts


def test_a_changed_row_updates_the_person_and_a_new_row_joins_the_family(run_import):
    # given an imported family
    rows = family_rows()
    run_import(rows, "pustu.bayua")
    # when the wife's phone is corrected and a newborn without NIK is added
    rows[1]["no_hp"] = "0812000111"
    baby = wife_row(rows[0]["no_kk"], nik="", alasan_tanpa_nik="newborn", nama="Bayi", hubungan="anak")
    baby["tanggal_lahir"] = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    summary = run_import([*rows, baby], "pustu.bayua")
    # then the head is unchanged, the wife updated, the baby new in the same family
    assert summary.as_dict() == {"accepted": 2, "rejected": 0, "unchanged": 1, "errors": []}
    assert Person.objects.get(nik=rows[1]["nik"]).phone == "0812000111"
    family = Family.objects.get(kk_number=rows[0]["no_kk"])
    assert FamilyMembership.objects.get(person__name="Bayi").family == family
    assert list(ImportBatch.objects.latest("id").rows.values_list("outcome", flat=True)) == [
        "unchanged",
        "updated",
        "new",
    ]


@pytest.mark.parametrize(
    ("column", "value", "message", "params"),
    [
        ("tanggal_lahir", "12-04-1985", c.ERR_DATE, {}),
        ("tanggal_lahir", "1985-02-30", c.ERR_DATE, {}),
        ("tanggal_lahir", "2999-01-01", c.ERR_DATE_FUTURE, {}),
        ("jenis_kelamin", "X", c.ERR_SEX, {}),
        ("nama", "", c.ERR_REQUIRED, {}),
        ("kode_desa", "13060320", c.ERR_REGION_CODE, {}),
        ("kode_desa", "9999999999", c.ERR_REGION_UNKNOWN, {"value": "99.99.99.9999"}),
        ("kode_desa", MANINJAU_CODE, c.ERR_REGION_SCOPE, {}),
        ("nik", "123", c.ERR_IDENTITY, {"message": "must be exactly 16 digits."}),
        ("perkiraan_tanggal_lahir", "mungkin", c.ERR_YES_NO, {}),
        ("posyandu", "Posyandu Tidak Ada", c.ERR_POSYANDU_UNKNOWN, {"value": "Posyandu Tidak Ada"}),
        ("external_id", "not-a-uuid", c.ERR_EXTERNAL_ID, {}),
    ],
)
def test_each_bad_value_is_rejected_naming_row_and_column(run_import, settings, column, value, message, params):
    # given a valid family whose head row (row 2) has one bad value
    settings.LANGUAGE_CODE = "en"
    rows = family_rows(**{column: value})
    # when
    summary = run_import(rows, "pustu.bayua")
    # then the row is rejected with the exact message, and its family with it
    first = _msg(message, 2, column, **params)
    assert summary.errors[0] == {"row": 2, "field": column, "message": first}
    assert summary.errors[1] == {
        "row": 3,
        "field": "no_kk",
        "message": _msg(c.ERR_FAMILY_REJECTED, 3, "no_kk", other=2),
    }
    assert (summary.accepted, summary.rejected) == (0, 2)
    assert not Person.objects.filter(nik=rows[1]["nik"]).exists()


def test_family_level_errors(run_import, make_family):
    registered = make_family()
    missing_reason = person_row(nik="")
    no_head = wife_row(no_kk=person_row()["no_kk"])
    twice = person_row()
    dup_nik = person_row(nik=twice["nik"])
    taken = person_row(nik=registered.head.nik)
    two_heads = family_rows()
    two_heads[1]["hubungan"] = "kepala_keluarga"
    no_kk_reason = person_row(no_kk="")
    summary = run_import([missing_reason, no_head, twice, dup_nik, taken, *two_heads, no_kk_reason], "pustu.bayua")
    by_row = {e["row"]: e["message"] for e in summary.errors}
    assert by_row[2] == _msg(c.ERR_NIK_REASON, 2, "alasan_tanpa_nik")
    assert by_row[3] == _msg(c.ERR_NO_HEAD, 3, "hubungan")
    assert by_row[5] == _msg(c.ERR_NIK_TWICE, 5, "nik", other=4)
    assert by_row[6] == _msg(c.ERR_OTHER_FAMILY, 6, "no_kk")
    assert by_row[8] == _msg(c.ERR_TWO_HEADS, 8, "hubungan", other=7)
    assert by_row[9] == _msg(c.ERR_KK_REASON, 9, "alasan_tanpa_kk")
    assert 4 not in by_row and summary.accepted == 1 and summary.rejected == 7


def test_a_pustu_cannot_import_into_another_desa_but_the_cli_scope_can(run_import):
    rows = family_rows(kode_desa="13.06.03.2003")
    rows[1]["kode_desa"] = "13.06.03.2003"
    refused = run_import(rows, "pustu.bayua")
    assert refused.rejected == 2 and refused.errors[0]["field"] == "kode_desa"
    assert not Person.objects.filter(nik=rows[0]["nik"]).exists()
    assert run_import(rows).accepted == 2


def test_an_unregistered_dusun_goes_into_the_address(run_import):
    rows = family_rows(dusun="Jorong Entah", rw="3", rt="07")
    run_import(rows, "pustu.bayua")
    family = Family.objects.get(kk_number=rows[0]["no_kk"])
    assert family.region.code == "13.06.03.2004"
    assert family.address_text == "Jl. Raya Maninjau, Dusun Jorong Entah, RW 3, RT 07"
    assert run_import(rows, "pustu.bayua").unchanged == 2


def test_missing_columns_refuse_the_file(run_import):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        run_import(family_rows(), "pustu.bayua", columns=["nama", "nik"])
    assert "no_kk" in caught.value.messages[0]
    assert ImportBatch.objects.latest("id").status == BatchStatus.FAILED


def test_the_cli_prints_the_json_summary_and_exits_1_on_rejections(tmp_path, capsys):
    # given a file with one good family and one bad row
    rows = [*family_rows(), person_row(tanggal_lahir="kemarin")]
    path = tmp_path / "orang.csv"
    path.write_bytes(csv_bytes(rows))
    # when
    with pytest.raises(SystemExit) as exited:
        call_command("people", "import", str(path), "--json")
    # then
    out = json.loads(capsys.readouterr().out)
    assert exited.value.code == 1
    assert (out["accepted"], out["rejected"], out["unchanged"]) == (2, 1, 0)
    assert out["errors"] == [{"row": 4, "field": "tanggal_lahir", "message": _msg(c.ERR_DATE, 4, "tanggal_lahir")}]
    # and a clean file exits 0 (call_command returns normally)
    path.write_bytes(csv_bytes(family_rows()))
    call_command("people", "import", str(path), "--json", "--user", "pustu.bayua")
    assert json.loads(capsys.readouterr().out)["accepted"] == 2
    assert ImportBatch.objects.latest("id").created_by.username == "pustu.bayua"


def test_an_xlsx_file_is_read_from_its_first_sheet(users):
    from openpyxl import Workbook

    from ilp.core.scoping import AreaScope
    from ilp.interop.excel.columns import COLUMNS
    from ilp.interop.excel.people_import import people_import

    rows = family_rows()
    book = Workbook()
    sheet = book.active
    sheet.append([col.upper() for col in reversed(COLUMNS)])
    for row in rows:
        sheet.append([row.get(col, "") for col in reversed(COLUMNS)])
    # A real date cell where a user typed the date in Excel.
    sheet.cell(row=2, column=list(reversed(COLUMNS)).index("tanggal_lahir") + 1, value=dt.date(1985, 4, 12))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    summary = people_import("orang.xlsx", data, scope=AreaScope.all())
    assert summary.accepted == 2, summary.errors
    assert ImportRow.objects.filter(batch=ImportBatch.objects.latest("id")).count() == 2
