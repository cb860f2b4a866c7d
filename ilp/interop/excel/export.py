"""Export of an area's register in the import's own columns, so an export can be corrected and re-imported."""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from django.db.models import Case, IntegerField, Value, When

from ilp.core.audit import audit_record
from ilp.core.models import AuditAction
from ilp.core.scoping import AreaScope
from ilp.interop.excel.columns import COLUMNS
from ilp.people.identity import SEX_FEMALE, mask_nik
from ilp.people.models import FamilyMembership, Relationship
from ilp.regions.models import LEVEL_FIELD, Level, Region

EXPORT_FORMATS = ("xlsx", "csv")
_VALUES = (
    "person__external_id",
    "person__nik",
    "person__nik_missing_reason",
    "person__name",
    "person__sex",
    "person__birth_date",
    "person__birth_date_estimated",
    "person__jkn_number",
    "person__ihs_number",
    "person__phone",
    "person__disability",
    "relationship",
    "family__kk_number",
    "family__kk_missing_reason",
    "family__address_text",
    "family__region__level",
    "family__region__code",
    "family__region__village__code",
    "family__region__dusun__name",
    "family__region__rw__code",
    "family__posyandu__code",
)


def _local(code: str | None) -> str:
    return code.rsplit(".", 1)[-1] if code else ""


def export_rows(*, scope: AreaScope, area: Region, full_nik: bool):
    """The current members of the families inside `area` and the scope, head first, as import rows."""
    if not scope.person_level:
        return
    qs = FamilyMembership.objects.filter(scope.household_q("family__"), end_date__isnull=True)
    if area.level == Level.RT:
        qs = qs.filter(family__region_id=area.pk)
    else:
        qs = qs.filter(**{f"family__region__{LEVEL_FIELD[Level(area.level)]}_id": area.pk})
    head_first = Case(
        When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    qs = qs.annotate(head_first=head_first).order_by("family_id", "head_first", "person_id")
    for values in qs.values_list(*_VALUES).iterator(chunk_size=5000):
        v = dict(zip(_VALUES, values, strict=True))
        nik = v["person__nik"] or ""
        yield {
            "no_kk": v["family__kk_number"],
            "nik": nik if full_nik else mask_nik(nik),
            "nama": v["person__name"],
            "jenis_kelamin": "P" if v["person__sex"] == SEX_FEMALE else "L",
            "tanggal_lahir": v["person__birth_date"].isoformat(),
            "hubungan": v["relationship"],
            "kode_desa": v["family__region__village__code"],
            "dusun": v["family__region__dusun__name"] or "",
            "rw": _local(v["family__region__rw__code"]),
            "rt": _local(v["family__region__code"]) if v["family__region__level"] == Level.RT else "",
            "alamat": v["family__address_text"],
            "no_hp": v["person__phone"],
            "no_jkn": v["person__jkn_number"],
            "no_ihs": v["person__ihs_number"],
            "disabilitas": v["person__disability"],
            "alasan_tanpa_nik": v["person__nik_missing_reason"],
            "alasan_tanpa_kk": v["family__kk_missing_reason"],
            "perkiraan_tanggal_lahir": "ya" if v["person__birth_date_estimated"] else "tidak",
            "posyandu": v["family__posyandu__code"] or "",
            "external_id": str(v["person__external_id"]),
        }


def people_export(*, scope: AreaScope, area: Region, fmt: str, out: BinaryIO, user=None) -> int:
    """Write the area's register as .xlsx or CSV to `out`; returns the number of persons, audited as an export.

    NIKs are masked (`mask_nik`) unless `user` may see them; without a user (the CLI) they are written whole.
    """
    full_nik = user is None or bool(getattr(user, "may_see_nik", False))
    rows = export_rows(scope=scope, area=area, full_nik=full_nik)
    count = _write_xlsx(rows, out) if fmt == "xlsx" else _write_csv(rows, out)
    audit_record(
        action=AuditAction.EXPORT,
        obj=area,
        changes={"rows": count, "format": fmt, "nik": "full" if full_nik else "masked"},
        actor=user,
    )
    return count


def _write_csv(rows, out: BinaryIO) -> int:
    # The BOM makes Excel open the file as UTF-8; the import accepts it.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()
    return count


def _write_xlsx(rows, out: BinaryIO) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
        count += 1
    book.save(out)
    return count
