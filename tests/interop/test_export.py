"""The people export: the import's columns, NIK masked for roles that may not see it, audited, re-importable."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ilp.accounts.scope import scope_for
from ilp.core.models import AuditAction, AuditEntry
from ilp.interop.excel.columns import COLUMNS
from ilp.interop.excel.export import people_export
from ilp.people.identity import mask_nik
from ilp.regions.models import Region
from tests.interop.conftest import family_rows

pytestmark = pytest.mark.django_db


def _export(user, fmt="csv", code="13.06.03.2004"):
    out = io.BytesIO()
    count = people_export(scope=scope_for(user), area=Region.objects.get(code=code), fmt=fmt, out=out, user=user)
    return count, out.getvalue()


def test_export_masks_the_nik_for_a_kader_and_is_audited(run_import, users):
    # given a family imported into the kader's posyandu
    rows = family_rows()
    run_import(rows, "kader.bayua")
    # when the kader exports Bayua
    count, data = _export(users["kader.bayua"])
    # then the NIKs are masked, and the export is in the log with its row count
    exported = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    mine = [r for r in exported if r["no_kk"] == rows[0]["no_kk"]]
    assert [r["nik"] for r in mine] == [mask_nik(rows[0]["nik"]), mask_nik(rows[1]["nik"])]
    assert count == len(exported)
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert entry.actor == users["kader.bayua"] and entry.changes["rows"] == count
    assert entry.object_repr.startswith("13.06.03.2004")


def test_export_then_import_is_unchanged(run_import, users):
    # given the pustu's register of Bayua, with an imported family without KK
    no_kk = family_rows(no_kk="", alasan_tanpa_kk="belum ada")
    no_kk[1]["no_kk"] = ""
    run_import([*family_rows(), *no_kk], "pustu.bayua")
    # when it is exported to .xlsx (full NIK for a pustu nurse) and imported back
    count, data = _export(users["pustu.bayua"], fmt="xlsx")
    book = load_workbook(io.BytesIO(data), read_only=True)
    header, *rows = list(book.active.values)
    assert list(header) == list(COLUMNS)
    from ilp.interop.excel.people_import import people_import

    summary = people_import("ekspor.xlsx", io.BytesIO(data), scope=scope_for(users["pustu.bayua"]))
    # then every exported row is unchanged
    assert summary.as_dict() == {"accepted": 0, "rejected": 0, "unchanged": count, "errors": []}
    assert len(rows) == count >= 4


def test_cli_export_writes_the_full_nik_without_a_user(run_import, tmp_path):
    rows = family_rows()
    run_import(rows)
    out = tmp_path / "bayua.csv"
    call_command("people", "export", "--area", "13.06.03.2004", "--out", str(out))
    exported = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["nik"] in {r["nik"] for r in exported}
