"""Benchmark: loading the Kemendagri region master data (issue #2: `ilp regions load` under 60 s on SQLite).

Runs against a fresh database in a temporary directory (SQLite unless DATABASE_URL is set) and prints:
- the full national load (first run) and the idempotent re-run, in seconds and rows/s;
- a baseline in the same process: the same code path row by row (`Region.save()` per row) for one
  province, against the bulk loader on that province, as a ratio.

Usage: .venv/bin/python bench/bench_regions_load.py
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="ilp-bench-")
    os.environ["ILP_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ilp.regions.loader import LEVEL_FIELD, load_regions, read_source
    from ilp.regions.models import Region

    call_command("migrate", verbosity=0)
    engine = connection.vendor

    # Baseline first, on the empty table: province 13 (Sumatera Barat) row by row with save(), then the
    # bulk loader on the same rows; both rolled back.
    subset = read_source(provinces=["13"])
    with transaction.atomic():
        t0 = time.perf_counter()
        known = {}
        for r in subset:
            parent = known.get(r.parent_code)
            region = Region(code=r.code, name=r.name, level=r.level, parent=parent)
            for col in LEVEL_FIELD.values():
                setattr(region, f"{col}_id", getattr(parent, f"{col}_id", None) if parent else None)
            region.save()
            setattr(region, f"{LEVEL_FIELD[r.level]}_id", region.id)
            region.save(update_fields=[f"{LEVEL_FIELD[r.level]}_id"])
            known[r.code] = region
        per_row = time.perf_counter() - t0
        transaction.set_rollback(True)
    with transaction.atomic():
        t0 = time.perf_counter()
        load_regions(provinces=["13"])
        bulk = time.perf_counter() - t0
        transaction.set_rollback(True)

    t0 = time.perf_counter()
    report = load_regions()
    full = time.perf_counter() - t0
    rows = sum(c.total for c in report.counts.values())
    t0 = time.perf_counter()
    again = load_regions()
    rerun = time.perf_counter() - t0
    print(f"regions load [{engine}]: {rows} rows in {full:.2f} s ({rows / full:,.0f} rows/s); limit 60 s")
    print(f"regions re-load [{engine}]: {rerun:.2f} s, {again.changed} rows changed")
    print(
        f"province 13 ({len(subset)} rows) [{engine}]: row-by-row save {per_row:.2f} s, bulk loader {bulk:.2f} s, "
        f"ratio {per_row / bulk:.1f}x"
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
