"""A killed import leaves the register untouched; the next run imports everything (a real process, kill -9)."""

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ilp.interop.excel.columns import COLUMNS
from ilp.people.identity import SEX_FEMALE, SEX_MALE, build_nik

ILP = str(Path(sys.executable).with_name("ilp"))
FAMILIES = 6000  # several seconds of commit on SQLite: long enough to be killed inside it


def write_file(path: Path, families: int) -> int:
    lines = [",".join(COLUMNS)]
    for n in range(families):
        kk = f"130603{n + 1:010d}"
        born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
        for i, (rel, sex) in enumerate([("kepala_keluarga", SEX_MALE), ("istri", SEX_FEMALE), ("anak", SEX_MALE)]):
            nik = build_nik(district_code="13.06.03", birth_date=born, sex=sex, serial=(n * 3 + i) % 9999 + 1)
            # Serials repeat every 3333 families; the birth date then differs, so NIKs stay unique.
            values = {
                "no_kk": kk, "nik": nik, "nama": f"Warga {n} {i}", "jenis_kelamin": "P" if sex == SEX_FEMALE else "L",
                "tanggal_lahir": born.isoformat(), "hubungan": rel, "kode_desa": "1306032004", "alamat": "Jl. Uji",
            }  # fmt: skip
            lines.append(",".join(values.get(col, "") for col in COLUMNS))
    path.write_text("\n".join(lines) + "\n")
    return len(lines) - 1


@pytest.fixture
def world(tmp_path):
    """A file-based SQLite database with the regions of Sumatera Barat, for processes of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ilp.sqlite3'}",
        "ILP_DATA_DIR": str(tmp_path),
    }
    subprocess.run([ILP, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [ILP, "regions", "load", "--province", "13", "--no-progress"], env=env, check=True, capture_output=True
    )
    return env, tmp_path / "ilp.sqlite3"


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def test_an_import_killed_mid_commit_leaves_the_register_unchanged(world, tmp_path):
    # given a big file
    env, db = world
    path = tmp_path / "orang.csv"
    rows = write_file(path, FAMILIES)
    # when the import is killed once its rows are validated and staged, i.e. inside the commit
    proc = subprocess.Popen([ILP, "people", "import", str(path), "--json"], env=env, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if _count(db, "SELECT count(*) FROM interop_importbatch WHERE status = 'validated'"):
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    time.sleep(0.2)
    assert proc.poll() is None, "the import finished before it could be killed; make the file bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # then the batch never reached `committed` and no person, family or audit entry of the file exists
    assert _count(db, "SELECT count(*) FROM interop_importbatch WHERE status = 'committed'") == 0
    assert _count(db, "SELECT count(*) FROM people_person") == 0
    assert _count(db, "SELECT count(*) FROM people_family") == 0
    assert _count(db, "SELECT count(*) FROM core_auditentry WHERE object_type LIKE 'people.%'") == 0
    # and the next run imports everything
    done = subprocess.run([ILP, "people", "import", str(path), "--json"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {"accepted": rows, "rejected": 0, "unchanged": 0, "errors": []}
    assert _count(db, "SELECT count(*) FROM people_person") == rows
