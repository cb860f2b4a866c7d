"""Benchmark: the people import (issue #3) against the raw-insert ceiling of the same rows, same run.

Writes N persons (default 1,000,000 in about 300,000 families) as an import CSV with the demo's population
generator, then for each engine (PostgreSQL in a throwaway database when reachable, SQLite in a temp
file) imports it through `people_import` (the function `ilp people import` calls: staging, set-based
validation, bulk registration with one audit entry per created row, one transaction) on an empty register
of the demo world, and measures the ceiling: PostgreSQL `COPY` of the same rows into an unindexed table,
SQLite `executemany` of the same rows into an unindexed table. Prints rows/s and the ratio.

Usage: .venv/bin/python bench/people_import.py [--persons N] [--pg postgres://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(data_dir: str) -> None:
    os.environ["ILP_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    from ilp.demo.seed import seed_demo
    from ilp.regions.loader import load_regions

    call_command("migrate", verbosity=0)
    load_regions(provinces=["13"])
    seed_demo(seed=2026)


def _ceiling(rows: list[list[str]], header: list[str]) -> float:
    """Rows/s of the fastest plain insert of the same text rows into an unindexed table."""
    from django.db import connection, transaction

    cols = ", ".join(f'"{h}" text' for h in header)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_ceiling ({cols})")
        t0 = time.perf_counter()
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_ceiling FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(header))
            cursor.connection.executemany(f"INSERT INTO bench_ceiling VALUES ({marks})", rows)  # noqa: S608
        elapsed = time.perf_counter() - t0
        transaction.set_rollback(True)
    return len(rows) / elapsed


def _write_floor(tables: list[str]) -> tuple[int, float]:
    """PostgreSQL: (rows, seconds) to copy every row the import wrote, inside the database, into empty
    clones of its tables with the same indexes: the cost of the writes alone, without client, parsing,
    validation or Python. No import of these rows can be faster than this."""
    from django.db import connection, transaction

    rows = 0
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'CREATE TEMP TABLE "floor_{table}" (LIKE "{table}" INCLUDING INDEXES)')
            cursor.execute(f'INSERT INTO "floor_{table}" SELECT * FROM "{table}"')  # noqa: S608
            rows += cursor.rowcount
        elapsed = time.perf_counter() - t0
        transaction.set_rollback(True)
    return rows, elapsed


def child(engine: str, csv_path: str, data_dir: str) -> None:
    _setup(data_dir)
    from django.db import connection

    from ilp.core.scoping import AreaScope
    from ilp.interop.excel.people_import import batch_commit, batch_create, batch_validate

    with open(csv_path, newline="", encoding="utf-8-sig") as handle:
        header, *rows = list(csv.reader(handle))
    ceiling = _ceiling(rows, header)
    scope = AreaScope.all()
    # What `people_import` (the CLI) does, phase by phase.
    t0 = time.perf_counter()
    content = Path(csv_path).read_bytes()
    batch = batch_create(name=Path(csv_path).name, data=content)
    plan = batch_validate(batch, io.BytesIO(content), scope=scope)
    t1 = time.perf_counter()
    summary = batch_commit(batch, scope=scope, plan=plan)
    elapsed = time.perf_counter() - t0
    rate = len(rows) / elapsed
    print(
        f"{engine:10s} import {len(rows):>9,} rows in {elapsed:7.1f} s = {rate:>9,.0f} rows/s "
        f"(read+validate+stage {t1 - t0:.1f} s, commit {elapsed - (t1 - t0):.1f} s; "
        f"accepted {summary.accepted:,}, rejected {summary.rejected:,}); "
        f"ceiling {'COPY' if connection.vendor == 'postgresql' else 'executemany'} {ceiling:>10,.0f} rows/s; "
        f"ratio {rate / ceiling:.1%}",
        flush=True,
    )
    if connection.vendor == "postgresql":
        from ilp.core.models import AuditEntry
        from ilp.interop.models import ImportRow
        from ilp.people.models import Family, FamilyMembership, Person

        models = (ImportRow, Person, Family, FamilyMembership, AuditEntry)
        written, floor = _write_floor([m._meta.db_table for m in models])
        print(
            f"{engine:10s} write floor: the {written:,} rows the import wrote, copied in-database into indexed "
            f"clones, take {floor:.1f} s = {len(rows) / floor:,.0f} file rows/s = {len(rows) / floor / ceiling:.1%} "
            f"of the ceiling",
            flush=True,
        )
    if summary.errors:
        print(f"           first error: {summary.errors[0]['message']}", flush=True)


def _write_csv(path: Path, persons: int) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["ILP_DATA_DIR"] = str(path.parent)
    import django

    django.setup()  # the generator reads the time zone; it touches no database
    from ilp.demo.population import write_population_csv

    return write_population_csv(path, persons=persons, seed=2026)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "CSV", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    tmp = tempfile.mkdtemp(prefix="ilp-bench-import-")
    try:
        csv_path = Path(tmp) / "people.csv"
        t0 = time.perf_counter()
        rows = _write_csv(csv_path, args.persons)
        print(f"generated {rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        runs = [("sqlite", f"sqlite:///{tmp}/bench.sqlite3", None)]
        pg_db = f"ilp_bench_{os.getpid()}"
        try:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {pg_db}")
            runs.insert(0, ("postgresql", args.pg.rsplit("/", 1)[0] + f"/{pg_db}", pg_db))
        except Exception as exc:
            print(f"postgresql skipped: {exc}")
        for engine, url, _db in runs:
            env = {**os.environ, "DATABASE_URL": url}
            data_dir = Path(tmp) / engine
            data_dir.mkdir()
            cmd = [sys.executable, __file__, "--child", engine, str(csv_path), str(data_dir)]
            subprocess.run(cmd, env=env, check=False)
        if len(runs) == 2:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_db}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
