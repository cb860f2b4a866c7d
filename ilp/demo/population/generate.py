"""The synthetic population of the demo, as pure Python: no database, deterministic for a seed and a size.

The population is built in blocks of `BLOCK_SIZE` persons, each from its own `random.Random(f"{seed}:{block}")`,
so memory stays bounded for millions of persons while the same seed and size give the same rows. Only the
identity counters (NIK and KK serials, JKN numbers) are shared across blocks, and they are bounded by the
number of distinct birth/issue dates, not by the size.

A block is made in four steps:
1. persons by age and sex drawn to the pyramid (`PYRAMID`), with the merantau deficit of young men;
2. households assembled from them: couples, children placed with a mother of a plausible age, unmarried
   young adults with their parents, elderly couples or widows alone or with a daughter's family
   (matrilocal three-generation households), widows and wives of absent husbands heading their household;
3. identities: Minangkabau names, NIK (`build_nik`), KK number, JKN, phone, disability, address, posyandu;
4. events chosen for the follow-up services: pregnancies, recent births (nifas), deaths, moves in and
   out, and a few deliberate duplicate registrations.

"Today" is the caller's date (the demo passes `timezone.localdate()`, the date the services check against):
birth dates, HPHT and event dates are relative to it, so two runs on the same day give identical data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from ilp.demo import names
from ilp.demo.population.events import NIFAS_DAYS, events
from ilp.demo.population.households import assemble, draw_persons, members
from ilp.demo.population.identities import identify
from ilp.demo.population.model import (
    TANJUNG_RAYA,
    PosyanduSpec,
    Registry,
    SynthFamily,
    SynthPerson,
    VillageSpec,
)

__all__ = ["TANJUNG_RAYA", "PosyanduSpec", "SynthFamily", "SynthPerson", "VillageSpec", "generate_population"]

BLOCK_SIZE = 5000
MOVED_IN_FAMILY_SHARE = 0.012


# --- the generator -----------------------------------------------------------------------------------


def _block(
    rng: random.Random, n: int, villages: Sequence[VillageSpec], today: dt.date, reg: Registry
) -> list[SynthFamily]:
    persons = draw_persons(rng, n, today, reg)
    families = []
    for unit in assemble(rng, persons, today):
        fam = SynthFamily(uid=reg.next_uid(), village=rng.choice(villages), members=members(unit, rng))
        fam.external_id = reg.external_id("family", fam.uid)
        head = fam.head
        if 20 <= head.age(today) < 60 and rng.random() < MOVED_IN_FAMILY_SHARE:
            fam.moved_in_from = rng.choice(names.MOVED_IN_FROM)[0]
            fam.moved_in_on = today - dt.timedelta(days=rng.randint(20, 730))
        families.append(fam)
    # Recent-birth flags decide who joins by event; identities need them first (the KK predates the newborn).
    for fam in families:
        for m in fam.members:
            if (
                (today - m.birth_date).days <= NIFAS_DAYS
                and m.mother is not None
                and m.relationship in ("anak", "cucu")
            ):
                m.added_by_event = True
    for fam in families:
        if all(m.added_by_event for m in fam.members):  # cannot happen: the head is never a newborn
            continue
        identify(rng, fam, today, reg)
    events(rng, families, today, reg)
    return families


def generate_population(
    *, persons: int, seed: int, villages: Sequence[VillageSpec], today: dt.date
) -> Iterator[SynthFamily]:
    """Families with their members for `persons` persons (plus a few duplicate registrations), block by block."""
    if not villages:
        raise ValueError("generate_population needs at least one village")
    reg = Registry(seed, persons)
    done, block = 0, 0
    while done < persons:
        n = min(BLOCK_SIZE, persons - done)
        rng = random.Random(f"{seed}:{block}")
        yield from _block(rng, n, villages, today, reg)
        done += n
        block += 1
