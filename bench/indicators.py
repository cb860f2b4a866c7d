"""Benchmark: the PWS indicator engine on a synthetic kabupaten register (default 1,000,000 persons).

For each engine (PostgreSQL in a throwaway database when reachable, SQLite in a temp file) it builds the
register and a year of services exactly as bench/due_services.py does (the demo's generator through the
bulk paths), then prints:

1. the ceiling: one bare `GROUP BY` scan of the same observations (`SELECT kind, COUNT(*), SUM(value)
   FROM lifecycle_observation GROUP BY kind`), best of three;
2. the full refresh of every indicator for the 12 months before today (`refresh_all`), and its ratio to
   the ceiling (target: within 5x);
3. the incremental refresh (`refresh_stale`) after 1,000 new encounters recorded through the bulk path
   (target: under 2 s), with the full refresh's time as the baseline;
4. the PWS dashboard page of the pilot puskesmas through the Django test client: p50/p95 over 200
   requests (target: p95 under 300 ms), and one request of the indicator page.

Usage: .venv/bin/python bench/indicators.py [--persons N] [--requests 200] [--pg URL] [--engine sqlite|postgresql]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import run_per_engine, setup_world  # noqa: E402

FULL_RATIO_TARGET = 5.0
INCREMENTAL_TARGET_S = 2.0
PAGE_P95_TARGET_MS = 300.0


def _ceiling() -> float:
    from django.db import connection

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SELECT kind, COUNT(*), SUM(value) FROM lifecycle_observation GROUP BY kind")
            cur.fetchall()
        best = min(best, time.perf_counter() - t0)
    return best


def _new_encounters(n: int, today) -> int:
    """`n` weighings of balita of the register, recorded through the bulk path (as a posyandu day)."""
    import datetime as dt
    import random

    from ilp.core.scoping import AreaScope
    from ilp.lifecycle.bulk import EncounterDraft, encounters_bulk_record
    from ilp.lifecycle.models import ObservationKind, Place
    from ilp.people.models import Person

    rng = random.Random(11)
    since = today - dt.timedelta(days=4 * 365)
    kids = list(
        Person.objects.filter(birth_date__gt=since, posyandu__isnull=False, death_date__isnull=True)
        .order_by("id")
        .values_list("id", "posyandu_id", "birth_date")[: n * 3]
    )
    drafts = [
        EncounterDraft(
            person_id=pid,
            date=today,
            place=Place.POSYANDU,
            facility_id=posyandu,
            recorder_kind="kader",
            observations={ObservationKind.WEIGHT: round(rng.uniform(7, 16), 1)},
            confirm_implausible=True,
        )
        for pid, posyandu, _birth in rng.sample(kids, n)
    ]
    return encounters_bulk_record(scope=AreaScope.all(), encounters=drafts).encounters


def _page_latency(requests: int) -> tuple[float, float, float]:
    from django.test import Client, override_settings

    # The bench database has no collected static files: plain storage, as the tests use.
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        return _timed_pages(Client, requests)


def _timed_pages(Client, requests: int) -> tuple[float, float, float]:

    from ilp.accounts.models import User
    from ilp.demo.seed import PILOT_CODE

    client = Client(HTTP_HOST="127.0.0.1")  # an ALLOWED_HOSTS name; the default "testserver" is not
    client.force_login(User.objects.get(username="kapus.maninjau"))
    url = f"/pws/{PILOT_CODE}/"
    assert client.get(url).status_code == 200, "the PWS page did not render"
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        client.get(url)
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    t0 = time.perf_counter()
    client.get(f"/pws/{PILOT_CODE}/child_weighed/")
    return statistics.median(times), times[int(0.95 * len(times)) - 1], 1000 * (time.perf_counter() - t0)


def child(engine: str, persons: int, requests: int, data_dir: str) -> None:
    setup_world(data_dir)
    from django.db import connection
    from django.utils import timezone
    from due_services import _build

    from ilp.indicators.models import IndicatorValue
    from ilp.indicators.refresh import refresh_all, refresh_stale
    from ilp.lifecycle.models import Encounter, Observation

    _build(persons, engine)
    today = timezone.localdate()
    observations, encounters = Observation.objects.count(), Encounter.objects.count()
    ceiling = _ceiling()
    print(
        f"{engine:10s} ceiling: one GROUP BY scan of {observations:,} observations "
        f"({encounters:,} encounters) in {ceiling:.2f} s"
    )

    t0 = time.perf_counter()
    report = refresh_all(today=today)
    full = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(
        f"{engine:10s} full refresh: {report.indicators} indicators x {len(report.periods)} years "
        f"({IndicatorValue.objects.count():,} fact rows) in {full:.1f} s = {full / ceiling:.1f}x the scan "
        f"(target within {FULL_RATIO_TARGET:.0f}x)"
    )

    added = _new_encounters(1000, today)
    t0 = time.perf_counter()
    stale = refresh_stale(today=today)
    incremental = time.perf_counter() - t0
    print(
        f"{engine:10s} incremental refresh after {added:,} new encounters: {incremental:.2f} s "
        f"({stale.marks:,} change marks, {stale.rows:,} fact rows rewritten; "
        f"target under {INCREMENTAL_TARGET_S:.0f} s; "
        f"{full / max(incremental, 1e-9):.0f}x faster than the full refresh)"
    )

    p50, p95, indicator_ms = _page_latency(requests)
    print(
        f"{engine:10s} PWS puskesmas page ({requests} requests): p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"(target p95 under {PAGE_P95_TARGET_MS:.0f} ms); indicator page {indicator_ms:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.persons, args.requests, args.child[1])
        return
    run_per_engine(
        __file__,
        ["--persons", str(args.persons), "--requests", str(args.requests)],
        engines=args.engine or ["postgresql", "sqlite"],
        pg_url=args.pg,
        name="indicators",
    )


if __name__ == "__main__":
    main()
