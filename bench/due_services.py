"""Benchmark: flags and due services of every person of a 1,000,000-person register (target >= 50,000 persons/s).

For each engine (PostgreSQL in a throwaway database when reachable, SQLite in a temp file) it builds the demo
world, registers N synthetic persons (default 1,000,000) of the Puskesmas Maninjau working area through the
bulk path (`families_bulk_register`, as bench/people_search.py does), gives the ongoing pregnancies of the
generated population their Pregnancy rows (inserted directly: the bench needs the rows, not 20,000 audited
service calls), and records a year of services with the demo's generator through `encounters_bulk_record`
(the referrals and home visits of the demo are left out: the rules do not read them).

Then it computes the flags and due services of every person with `ilp.lifecycle.selectors.care_for`, in
chunks of --chunk persons (10,000) read with one query per chunk, and prints persons/s. A second pass over
the first --sample persons splits the time into reading the persons, the four record queries of
`person_records`, building the PersonRecords (`selectors._record`) and the rules (`rules.care.assess`); a
cProfile of the same steps on three chunks lists where the time goes. The floor: every row of the four tables
the rules read, fetched as tuples and nothing else (what any implementation that brings the records into
Python pays before its first rule). The baseline, in the same run:
`care_for` called one person at a time (the N+1 way), on --baseline persons.

Usage: .venv/bin/python bench/due_services.py [--persons N] [--chunk 10000] [--pg URL] [--engine sqlite|postgresql]
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import run_per_engine, setup_world  # noqa: E402

TARGET = 50_000  # persons/s


def _build(persons: int, engine: str) -> None:
    from django.db import connection
    from django.utils import timezone

    from ilp.core.rows import RowWriter, without_gc
    from ilp.core.scoping import AreaScope
    from ilp.demo.population.generate import generate_population
    from ilp.demo.population.load import _Plan, working_area_villages
    from ilp.demo.population.services import iter_plans, load_register
    from ilp.demo.seed import PILOT_CODE
    from ilp.facilities.models import Facility
    from ilp.lifecycle.bulk import encounters_bulk_record
    from ilp.people.bulk import families_bulk_register
    from ilp.people.models import Person, Pregnancy

    today = timezone.localdate()
    villages = working_area_villages(PILOT_CODE)
    t0 = time.perf_counter()
    pregnant = {}
    plan = _Plan()

    def drafts():
        for fam in generate_population(persons=persons, seed=7, villages=villages, today=today):
            pregnant.update({p.external_id: p.pregnancy_lmp for p in fam.members if p.pregnancy_lmp})
            yield fam

    with without_gc():
        families_bulk_register(scope=AreaScope.all(), families=plan.drafts(drafts()), chunk_size=5000)
        writer, now = RowWriter(Pregnancy), timezone.now()
        ids = dict(Person.objects.filter(external_id__in=list(pregnant)).values_list("external_id", "id"))
        rows = [
            writer.values(now, person_id=ids[ext], lmp_date=lmp, edd=Pregnancy.edd_for(lmp))
            for ext, lmp in pregnant.items()
            if ext in ids
        ]
        for row, pk in zip(rows, writer.reserve_ids(len(rows)), strict=True):
            row["id"] = pk
        writer.insert(rows)
        people = time.perf_counter() - t0
        puskesmas = Facility.objects.get(code=PILOT_CODE)
        register = load_register([v.region_id for v in villages], puskesmas.pk, today)
        encounters = (d for p in iter_plans(*register, seed=7, today=today) for d in p.drafts())
        result = encounters_bulk_record(scope=AreaScope.all(), encounters=encounters, chunk_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - t0
    print(
        f"{engine:10s} register of {Person.objects.count():,} persons ({len(rows):,} pregnant), "
        f"{result.encounters:,} encounters, {result.observations:,} observations, {result.services:,} services "
        f"built in {built:.0f} s (people {people:.0f} s, services {built - people:.0f} s: "
        f"{result.encounters / max(built - people, 1e-9):,.0f} encounters/s)"
    )


def _chunks(size: int, limit: int | None = None):
    """Persons in id order, one query per chunk (the fields `care_for` reads)."""
    from ilp.people.models import Person

    last, seen = 0, 0
    while limit is None or seen < limit:
        take = size if limit is None else min(size, limit - seen)
        chunk = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("id", "sex", "birth_date", "death_date", "moved_out_on", "merged_into")[:take]
        )
        if not chunk:
            return
        last, seen = chunk[-1].pk, seen + len(chunk)
        yield chunk


def _split(today, chunk: int, sample: int, timed: dict) -> None:
    """`care_for`'s steps on the first `sample` persons, each timed into `timed`."""
    from ilp.lifecycle.rules.care import assess
    from ilp.lifecycle.selectors import person_records

    t = time.perf_counter()
    for group in _chunks(chunk, sample):
        now = time.perf_counter()
        timed["persons"] += now - t
        active = [p for p in group if p.death_date is None and p.moved_out_on is None and p.merged_into_id is None]
        built = person_records(persons=active, on=today)
        t = time.perf_counter()
        timed["records"] += t - now
        for record in built.values():
            assess(record)
        now, t = t, time.perf_counter()
        timed["rules"] += t - now


def _fetch_floor() -> tuple[int, float]:
    """Rows fetched and seconds taken to read the four tables whole, in batches of 100,000 rows."""
    from django.db import connection, transaction

    queries = [
        "SELECT id, sex, birth_date, death_date, moved_out_on, merged_into_id FROM people_person",
        "SELECT person_id, id, date FROM lifecycle_encounter WHERE status <> 'voided'",
        "SELECT encounter_id, kind, value, code FROM lifecycle_observation",
        "SELECT encounter_id, kind, code FROM lifecycle_servicegiven",
    ]
    fetched, t0 = 0, time.perf_counter()
    with transaction.atomic():  # a server-side cursor on PostgreSQL lives in a transaction
        for sql in queries:
            with connection.chunked_cursor() as cur:
                cur.execute(sql)
                while rows := cur.fetchmany(100_000):
                    fetched += len(rows)
    return fetched, time.perf_counter() - t0


def child(engine: str, persons: int, chunk: int, sample: int, baseline: int, data_dir: str) -> None:
    setup_world(data_dir)
    from django.utils import timezone

    from ilp.lifecycle.selectors import care_for

    _build(persons, engine)
    today = timezone.localdate()

    # 1. The headline: every person, through care_for, persons read one query per chunk.
    t0 = time.perf_counter()
    total = flags = due = 0
    for group in _chunks(chunk):
        care = care_for(persons=group, on=today)
        total += len(group)
        flags += sum(len(c.flags) for c in care.values())
        due += sum(len(c.due) for c in care.values())
    elapsed = time.perf_counter() - t0
    rate = total / elapsed
    print(
        f"{engine:10s} care_for, {chunk:,} persons per call: {total:,} persons in {elapsed:.1f} s = "
        f"{rate:,.0f} persons/s ({rate / TARGET:.2f}x the {TARGET:,}/s target); {flags:,} flags, {due:,} due items"
    )

    # 2. Where the time goes, on the first `sample` persons: the same steps as care_for, timed apart (building
    # each PersonRecord, `selectors._record`, is timed inside `person_records` through a wrapper).
    from ilp.lifecycle import selectors

    timed = {"persons": 0.0, "records": 0.0, "building": 0.0, "rules": 0.0}
    build = selectors._record

    def building(*args):
        start = time.perf_counter()
        try:
            return build(*args)
        finally:
            timed["building"] += time.perf_counter() - start

    selectors._record = building
    try:
        _split(today, chunk, sample, timed)
    finally:
        selectors._record = build
    split = timed["persons"] + timed["records"] + timed["rules"]
    queries = timed["records"] - timed["building"]
    sampled = min(sample, total)
    print(
        f"{engine:10s} split over the first {sampled:,} persons ({split:.1f} s, "
        f"{sampled / split:,.0f} persons/s): reading persons {100 * timed['persons'] / split:.0f} %, "
        f"record queries (4 per chunk, rows to tuples) {100 * queries / split:.0f} %, "
        f"building PersonRecords {100 * timed['building'] / split:.0f} %, rules (assess) "
        f"{100 * timed['rules'] / split:.0f} % ({sampled / timed['rules']:,.0f} persons/s for the rules alone)"
    )
    profile = cProfile.Profile()
    profile.enable()
    _split(today, chunk, min(sample, 3 * chunk), dict.fromkeys(timed, 0.0))
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    print(f"{engine:10s} cProfile of the same steps on {min(sample, 3 * chunk):,} persons, by own time:")
    for line in lines[start : start + 16]:
        print(f"{engine:10s}   {line.strip()[:160]}")

    # 3. The floor of any implementation that brings the records into Python: every row of the tables the rules
    # read, fetched as tuples (no grouping, no record, no rules), in one pass per table.
    fetched, seconds = _fetch_floor()
    print(
        f"{engine:10s} floor: fetching every row the rules read ({fetched:,} rows of persons, encounters, "
        f"observations, services) as tuples, nothing else: {seconds:.1f} s = {total / seconds:,.0f} persons/s "
        f"({fetched / seconds:,.0f} rows/s)"
    )

    # 4. Baseline: one person per call.
    group = next(_chunks(baseline))
    t0 = time.perf_counter()
    for person in group:
        care_for(persons=[person], on=today)
    single = len(group) / (time.perf_counter() - t0)
    print(
        f"{engine:10s} baseline care_for one person per call ({len(group):,} persons): {single:,.0f} persons/s; "
        f"chunks of {chunk:,} are {rate / single:.1f}x faster"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=2_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.persons, args.chunk, args.sample, args.baseline, args.child[1])
        return
    engines = args.engine or ["postgresql", "sqlite"]
    run_per_engine(
        __file__,
        [
            "--persons",
            str(args.persons),
            "--chunk",
            str(args.chunk),
            "--sample",
            str(args.sample),
            "--baseline",
            str(args.baseline),
        ],
        engines=engines,
        pg_url=args.pg,
        name="due",
    )


if __name__ == "__main__":
    main()
