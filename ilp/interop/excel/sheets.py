"""The downloadable template (headers, one example row, a "Petunjuk" sheet) and the error sheet of a batch."""

from __future__ import annotations

from typing import BinaryIO

from django.utils.translation import gettext as _

from ilp.interop.excel.columns import COLUMNS, ERRORS_COLUMN, REQUIRED_COLUMNS
from ilp.interop.models import ImportBatch, RowOutcome
from ilp.people.models import Disability, NikMissingReason, Relationship

EXAMPLE = {
    "no_kk": "1306030101200001",
    "nik": "1306031204850001",
    "nama": "Syafril Datuak",
    "jenis_kelamin": "L",
    "tanggal_lahir": "1985-04-12",
    "hubungan": "kepala_keluarga",
    "kode_desa": "1306032004",
    "dusun": "",
    "rw": "",
    "rt": "",
    "alamat": "Jl. Raya Maninjau No. 5",
    "no_hp": "081234567890",
    "perkiraan_tanggal_lahir": "tidak",
}


def _help() -> dict[str, str]:
    return {
        "no_kk": _("KK number, 16 digits; rows with the same no_kk are one family."),
        "nik": _("NIK, 16 digits; empty when unknown (then alasan_tanpa_nik)."),
        "nama": _("Full name."),
        "jenis_kelamin": _("L (male) or P (female)."),
        "tanggal_lahir": _("Birth date YYYY-MM-DD."),
        "hubungan": _("Relationship to the head: %(values)s.") % {"values": ", ".join(Relationship.values)},
        "kode_desa": _("10-digit Kemendagri desa/kelurahan code, dots optional (1306032004 or 13.06.03.2004)."),
        "dusun": _("Dusun/jorong name or code; when not registered it is added to the address."),
        "rw": _("RW number; when not registered it is added to the address."),
        "rt": _("RT number; when not registered it is added to the address."),
        "alamat": _("Street address."),
        "no_hp": _("Phone number (optional)."),
        "no_jkn": _("JKN/BPJS number (optional)."),
        "no_ihs": _("SATUSEHAT IHS number (optional)."),
        "disabilitas": _("Disability (optional): %(values)s.") % {"values": ", ".join(Disability.values)},
        "alasan_tanpa_nik": _("Required when nik is empty: %(values)s.")
        % {"values": ", ".join(NikMissingReason.values)},
        "alasan_tanpa_kk": _(
            "Required when no_kk is empty, on the kepala_keluarga row; the following rows without no_kk are"
            " that family's members."
        ),
        "perkiraan_tanggal_lahir": _("ya when the birth date is estimated, else tidak."),
        "posyandu": _("Posyandu code or exact name (optional; a kader's own by default)."),
        "external_id": _("Id written by the export; keep it to update the same person on re-import."),
    }


def write_template(out: BinaryIO) -> None:
    """The import template: the columns with one example row, and a "Petunjuk" sheet explaining them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = "Data"
    data.append(list(COLUMNS))
    data.append([EXAMPLE.get(col, "") for col in COLUMNS])
    for cell in data[1]:
        cell.font = Font(bold=True)
    # Text cells keep NIK/KK digits exact and their leading zeros.
    for column in ("A", "B"):
        for cell in data[column]:
            cell.number_format = "@"
    guide = book.create_sheet("Petunjuk")
    guide.append([_("column"), _("required"), _("explanation")])
    help_texts = _help()
    for col in COLUMNS:
        guide.append([col, _("yes") if col in REQUIRED_COLUMNS else _("no"), help_texts.get(col, "")])
    guide.column_dimensions["C"].width = 100
    book.save(out)


def write_error_sheet(batch: ImportBatch, out: BinaryIO) -> int:
    """The rejected rows of a batch with their original columns and a `kesalahan` column; returns the count."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kesalahan")
    sheet.append(["baris", *COLUMNS, ERRORS_COLUMN])
    count = 0
    rejected = batch.rows.filter(outcome=RowOutcome.REJECTED).order_by("row_number")
    for number, raw, errors in rejected.values_list("row_number", "raw", "errors").iterator(chunk_size=2000):
        messages = " ".join(e["message"] for e in errors)
        sheet.append([number, *(raw.get(col, "") for col in COLUMNS), messages])
        count += 1
    book.save(out)
    return count
