"""Benchmark: searching the family register (issue #3: p95 under 50 ms in a 1,000,000-person register).

For each engine (PostgreSQL in a throwaway database when reachable, SQLite in a temp file) it builds the
demo world, registers N synthetic persons (default 1,000,000) of the Puskesmas Maninjau working area
through the bulk path, then times 200 searches of each kind through the selectors the web and API use,
as the Dinkes of Agam (the widest person-level scope): a name prefix (the first 3-6 letters of a
registered name, sometimes two words), an exact NIK, and an exact KK number (persons of that family).
Each search fetches the first page (20 rows) the way the list pages do; the page count query is timed
separately. Prints p50/p95 in ms, with a baseline from the same run: the same name searches as a plain
case-insensitive substring scan (`name__icontains`, what the register did before it had a search index).

Usage: .venv/bin/python bench/people_search.py [--persons N] [--queries 200] [--pg URL] [--engine sqlite|postgresql]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import run_per_engine, setup_world  # noqa: E402

PAGE = 20


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms"


def child(engine: str, persons: int, queries: int, data_dir: str) -> None:
    setup_world(data_dir)
    from django.db import connection
    from django.utils import timezone

    from ilp.accounts.models import User
    from ilp.accounts.scope import scope_for
    from ilp.core.rows import without_gc
    from ilp.core.scoping import AreaScope
    from ilp.demo.population.generate import generate_population
    from ilp.demo.population.load import _Plan, working_area_villages
    from ilp.demo.seed import PILOT_CODE
    from ilp.people.bulk import families_bulk_register
    from ilp.people.models import Family, Person
    from ilp.people.selectors import person_list

    t0 = time.perf_counter()
    villages = working_area_villages(PILOT_CODE)
    with without_gc():
        generated = generate_population(persons=persons, seed=7, villages=villages, today=timezone.localdate())
        families_bulk_register(scope=AreaScope.all(), families=_Plan().drafts(generated), chunk_size=5000)
    # Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would have by the first search.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - t0
    total = Person.objects.count()
    print(f"{engine:10s} register of {total:,} persons built in {built:.0f} s")

    rng = random.Random(11)
    sample_names = list(Person.objects.order_by("?").values_list("name", flat=True)[: queries * 2])
    niks = list(Person.objects.exclude(nik=None).order_by("?").values_list("nik", flat=True)[:queries])
    kks = list(Family.objects.exclude(kk_number="").order_by("?").values_list("kk_number", flat=True)[:queries])
    prefixes = []
    for name in sample_names[:queries]:
        words = name.split()
        if len(words) > 1 and rng.random() < 0.3:
            prefixes.append(f"{words[0]} {words[1][: rng.randint(2, 4)]}")
        else:
            prefixes.append(words[0][: rng.randint(3, 6)])
    scope = scope_for(User.objects.get(username="dinkes.agam"))

    def timed(make_qs, terms, *, count=False):
        page_times, count_times = [], []
        for term in terms:
            qs = make_qs(term)
            t = time.perf_counter()
            rows = list(qs[:PAGE])
            page_times.append(time.perf_counter() - t)
            if count:
                t = time.perf_counter()
                qs.count()
                count_times.append(time.perf_counter() - t)
            assert rows or not count, term
        return page_times, count_times

    name_page, name_count = timed(lambda t: person_list(scope=scope, search=t), prefixes, count=True)
    nik_page, _ = timed(lambda t: person_list(scope=scope, search=t), niks)
    kk_page, _ = timed(lambda t: person_list(scope=scope, search=t), kks)
    base_page, _ = timed(
        lambda t: Person.objects.filter(scope.household_q(), name__icontains=t).order_by("name", "id"), prefixes
    )
    n = len(prefixes)
    print(f"{engine:10s} name prefix  ({n} queries, first page): {_percentiles(name_page)}")
    print(f"{engine:10s} name prefix  ({n} queries, page count):  {_percentiles(name_count)}")
    print(f"{engine:10s} exact NIK    ({len(niks)} queries):             {_percentiles(nik_page)}")
    print(f"{engine:10s} exact KK     ({len(kks)} queries):             {_percentiles(kk_page)}")
    ratio = statistics.median(base_page) / statistics.median(name_page)
    print(
        f"{engine:10s} baseline name__icontains scan (first page): {_percentiles(base_page)}; "
        f"name keys are {ratio:.1f}x faster at p50"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.persons, args.queries, args.child[1])
        return
    engines = args.engine or ["postgresql", "sqlite"]
    run_per_engine(
        __file__,
        ["--persons", str(args.persons), "--queries", str(args.queries)],
        engines=engines,
        pg_url=args.pg,
        name="search",
    )


if __name__ == "__main__":
    main()
