"""The demo's PWS: the official desa populations the projected sasaran start from, and the indicator facts.

A register is never complete (newcomers not yet registered, families who never came to the posyandu), so the
BPS population of a desa is its register count divided by a completeness between 0.88 and 0.99, drawn per
desa; last year's register was a little less complete. The indicator facts of the 12 months before today are
then computed once, as a full refresh would (`indicators.refresh.refresh_all`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from ilp.core.scoping import AreaScope
from ilp.indicators.refresh import refresh_all
from ilp.indicators.services import area_population_set
from ilp.people.models import Migration, MigrationDirection, Person
from ilp.regions.models import Level, Region

COMPLETENESS = (0.88, 0.99)
LAST_YEAR_LESS = (0.0, 0.025)
SOURCE = "BPS Kabupaten Agam (demo)"


@dataclass
class PwsSummary:
    """What `seed_pws` wrote: desa populations (rows) and indicator facts, and how long the facts took."""

    populations: int
    facts: int
    seconds: float


def register_count(village: Region, on: dt.date) -> int:
    """Persons of the desa's register living there on `on` (born, not dead, not moved out, already moved in)."""
    arrived_later = Migration.objects.filter(person=OuterRef("pk"), direction=MigrationDirection.IN, date__gt=on)
    return (
        Person.objects.filter(region__village=village, merged_into__isnull=True, birth_date__lte=on)
        .filter(Q(death_date__isnull=True) | Q(death_date__gt=on))
        .filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=on))
        .exclude(Exists(arrived_later))
        .count()
    )


def seed_area_populations(*, seed: int, district_code: str, today: dt.date) -> int:
    """This year's and last year's population of every desa of the kecamatan; returns the rows written."""
    rng = random.Random(f"{seed}:area-population")
    written = 0
    for village in Region.objects.filter(level=Level.VILLAGE, district__code=district_code).order_by("code"):
        completeness = rng.uniform(*COMPLETENESS)
        earlier = max(COMPLETENESS[0], completeness - rng.uniform(*LAST_YEAR_LESS))
        for year, share, on in (
            (today.year, completeness, today),
            (today.year - 1, earlier, dt.date(today.year - 1, 12, 31)),
        ):
            count = register_count(village, on)
            if not count:
                continue
            area_population_set(
                actor=None,
                scope=AreaScope.all(),
                region=village,
                year=year,
                population=round(count / share),
                source=SOURCE,
            )
            written += 1
    return written


def refresh_indicators(today: dt.date) -> int:
    """Compute every indicator for the 12 months before today and this month; returns the fact rows.

    This is `engine.refresh(all_indicators(), periods=engine.years_to_refresh(today))` through
    `refresh.refresh_all`, which also records the change marks the facts include and clears them: the
    marks the seeding left would otherwise have the stale-refresh task compute everything again."""
    return refresh_all(today=today).rows


def seed_pws(*, seed: int, district_code: str, today: dt.date) -> PwsSummary:
    """The desa populations, then the indicator facts."""
    populations = seed_area_populations(seed=seed, district_code=district_code, today=today)
    started = time.perf_counter()
    facts = refresh_indicators(today)
    return PwsSummary(populations, facts, round(time.perf_counter() - started, 1))
