"""Helpers for the import/export tests: people files written as CSV from row dicts."""

import csv
import datetime as dt
import io

import pytest

from ilp.interop.excel.columns import COLUMNS
from ilp.people.identity import SEX_FEMALE, SEX_MALE
from tests.people.conftest import kk, make_family, nik, region  # noqa: F401 (fixtures shared with people)

BAYUA_CODE = "1306032004"
MANINJAU_CODE = "1306032003"


def person_row(**overrides) -> dict:
    """A valid head-of-family row in Bayua; override any column."""
    born = dt.date(1985, 4, 12)
    row = {
        "no_kk": kk(),
        "nik": nik(born, SEX_MALE),
        "nama": "Syafril Datuak",
        "jenis_kelamin": "L",
        "tanggal_lahir": born.isoformat(),
        "hubungan": "kepala_keluarga",
        "kode_desa": BAYUA_CODE,
        "alamat": "Jl. Raya Maninjau",
    }
    return {**row, **overrides}


def wife_row(no_kk: str, **overrides) -> dict:
    born = dt.date(1990, 8, 3)
    row = person_row(
        no_kk=no_kk, nik=nik(born, SEX_FEMALE), nama="Yusnimar", jenis_kelamin="P",
        tanggal_lahir=born.isoformat(), hubungan="istri",
    )  # fmt: skip
    return {**row, **overrides}


def family_rows(**head) -> list[dict]:
    first = person_row(**head)
    return [first, wife_row(first["no_kk"])]


def csv_bytes(rows: list[dict], *, delimiter: str = ",", bom: bool = False, columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


@pytest.fixture
def run_import(users):
    """Import rows as the given user (None: the CLI's superuser-equivalent scope)."""
    from ilp.accounts.scope import scope_for
    from ilp.core.scoping import AreaScope
    from ilp.interop.excel.people_import import people_import

    def _run(rows, username=None, **csv_options):
        user = users[username] if username else None
        scope = scope_for(user) if user else AreaScope.all()
        return people_import("people.csv", io.BytesIO(csv_bytes(rows, **csv_options)), scope=scope, actor=user)

    return _run
