"""Steps 1 and 2 of the generator: persons drawn to the age-sex pyramid, then grouped into households."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from ilp.demo.population.model import YEAR, Registry, SynthPerson, step
from ilp.people.identity import SEX_FEMALE, SEX_MALE

# Age-sex shape: (age from, age to (exclusive), % of the population, males per 100 females).
# Shape after BPS, Sensus Penduduk 2020 and its Long Form (sensus.bps.go.id, "Penduduk menurut kelompok umur
# dan jenis kelamin"; BRS Hasil SP2020, January 2021): the 5-year groups hold about 8% each up to age 35 and
# fall to about 2% at 70-74; the sex ratio is about 105-107 for children and falls to 79 at 75+ (the 0-4 and
# 55+ groups are rounded from the same tables, not copied). Shifted a little older than the national shape
# (60+ ~11% here against about 10% nationally), as West Sumatra with its out-migration is (exact share ❓).
PYRAMID = (
    (0, 5, 8.5, 105),
    (5, 10, 8.2, 105),
    (10, 15, 8.1, 105),
    (15, 20, 7.9, 104),
    (20, 25, 7.6, 103),
    (25, 30, 7.4, 102),
    (30, 35, 7.2, 101),
    (35, 40, 7.0, 100),
    (40, 45, 6.8, 99),
    (45, 50, 6.4, 99),
    (50, 55, 5.8, 98),
    (55, 60, 5.0, 97),
    (60, 65, 4.3, 95),
    (65, 70, 3.2, 92),
    (70, 75, 2.1, 85),
    (75, 95, 1.9, 79),
)
# Merantau: young men leave West Sumatra to work elsewhere; share of men of these ages still at home.
MERANTAU_MALES_AT_HOME = {20: 0.86, 25: 0.84, 30: 0.88, 35: 0.93}


# --- 1. persons by age and sex -----------------------------------------------------------------------


def pyramid_weights() -> list[tuple[int, int, str, float]]:
    """(age from, age to, sex, share) over both sexes, merantau applied, shares summing to 1."""
    rows = []
    for lo, hi, share, ratio in PYRAMID:
        male = share * ratio / (100 + ratio) * MERANTAU_MALES_AT_HOME.get(lo, 1.0)
        rows += [(lo, hi, SEX_MALE, male), (lo, hi, SEX_FEMALE, share * 100 / (100 + ratio))]
    total = sum(r[3] for r in rows)
    return [(lo, hi, sex, w / total) for lo, hi, sex, w in rows]


def _quotas(n: int, weights: Sequence[float]) -> list[int]:
    """Largest-remainder allocation of `n` to `weights` (exact counts, so small blocks keep the shape)."""
    raw = [n * w for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def draw_persons(rng: random.Random, n: int, today: dt.date, reg: Registry) -> list[SynthPerson]:
    rows = pyramid_weights()
    persons = []
    for (lo, hi, sex, _w), count in zip(rows, _quotas(n, [r[3] for r in rows]), strict=True):
        for _ in range(count):
            if hi - lo > 5:  # the open top group: fewer people at each older age
                age_days = int((lo + min(rng.expovariate(1 / 6), hi - lo - 0.01)) * YEAR)
            else:
                age_days = rng.randrange(int(lo * YEAR), int(hi * YEAR))
            persons.append(SynthPerson(uid=reg.next_uid(), sex=sex, birth_date=today - dt.timedelta(days=age_days)))
    rng.shuffle(persons)
    return persons


# --- 2. households -----------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Unit:
    man: SynthPerson | None = None
    woman: SynthPerson | None = None
    children: list[SynthPerson] = field(default_factory=list)
    extras: list[SynthPerson] = field(default_factory=list)
    guest: _Unit | None = None
    guest_is_younger: bool = True
    absorbed: bool = False
    elderly: bool = False


P_MARRIED = ((19, 0.3), (25, 0.68), (30, 0.84), (40, 0.86), (50, 0.8), (60, 0.58), (70, 0.35))


def _pick_by_age(rng: random.Random, buckets: dict[int, list], lo: int, hi: int, mode: int):
    """Pop-free pick of an item from buckets[lo..hi], preferring ages near `mode`; None if all are empty."""
    for _ in range(10):
        age = round(rng.triangular(lo, hi, mode))
        bucket = buckets.get(age)
        if bucket:
            return age, rng.randrange(len(bucket))
    ages = [a for a in range(lo, hi + 1) if buckets.get(a)]
    if not ages:
        return None
    age = rng.choice(ages)
    return age, rng.randrange(len(buckets[age]))


def _take(buckets: dict[int, list], hit) -> object:
    age, i = hit
    bucket = buckets[age]
    bucket[i], bucket[-1] = bucket[-1], bucket[i]
    return bucket.pop()


def assemble(rng: random.Random, persons: list[SynthPerson], today: dt.date) -> list[_Unit]:
    """Group persons into household units; see the module docstring for the rules."""
    men: dict[int, list[SynthPerson]] = {}
    for p in persons:
        if p.sex == SEX_MALE and p.age(today) >= 19:
            men.setdefault(p.age(today), []).append(p)
    units: list[_Unit] = []
    young_adults: list[SynthPerson] = []
    children = [p for p in persons if p.age(today) < 19]
    women = sorted((p for p in persons if p.sex == SEX_FEMALE and p.age(today) >= 19), key=lambda p: -p.age(today))
    for w in women:  # oldest first, so elderly couples get the elderly men
        age = w.age(today)
        if rng.random() < step(P_MARRIED, age):
            hit = _pick_by_age(rng, men, age, age + 12, age + 4) or _pick_by_age(rng, men, age - 3, age + 20, age + 4)
            if hit:
                man = _take(men, hit)
                man.married = w.married = True
                units.append(_Unit(man=man, woman=w, elderly=age >= 60))
                continue
            w.married = True  # husband away (merantau) or not in the register: she heads the household
            units.append(_Unit(woman=w, elderly=age >= 60))
        elif age < 35:
            young_adults.append(w)
        elif age >= 60 or rng.random() < 0.6:
            units.append(_Unit(woman=w, elderly=age >= 60))  # widowed or divorced
        else:
            young_adults.append(w)  # unmarried: lives with her parents or relatives
    for age in sorted(men):
        for man in men[age]:
            if age < 35:
                young_adults.append(man)
            elif age >= 60 or rng.random() < 0.5:
                units.append(_Unit(man=man, elderly=age >= 60))
            else:
                young_adults.append(man)
    # Children and unmarried young adults join a woman of a plausible age (their mother).
    mothers: dict[int, list[_Unit]] = {}
    for u in units:
        if u.woman is not None:
            mothers.setdefault(u.woman.age(today), []).append(u)
    homeless: list[SynthPerson] = []
    for child in sorted(children, key=lambda p: p.uid) + young_adults:
        c = child.age(today)
        placed = False
        for _ in range(6):
            hit = _pick_by_age(rng, mothers, c + 18, c + 42, c + 27)
            if hit is None:
                break
            unit = mothers[hit[0]][hit[1]]
            if len(unit.children) >= 6 or any(abs((s.birth_date - child.birth_date).days) < 330 for s in unit.children):
                continue
            unit.children.append(child)
            child.mother = unit.woman
            if unit.woman.youngest_child is None or child.birth_date > unit.woman.youngest_child:
                unit.woman.youngest_child = child.birth_date
            placed = True
            break
        if not placed:
            homeless.append(child)
    # Three generations: elderly with a daughter's family; young couples in the wife's parents' house.
    hosts: dict[int, list[_Unit]] = {}
    for u in units:
        if u.woman is not None and not u.elderly:
            hosts.setdefault(u.woman.age(today), []).append(u)
    for u in units:
        if u.absorbed or u.guest is not None:
            continue
        elder = u.woman or u.man
        age = elder.age(today)
        if u.elderly and rng.random() < 0.5:
            hit = _pick_by_age(rng, hosts, age - 42, age - 20, age - 28)
            if hit:
                host = _take(hosts, hit)
                if host.guest is None and not host.absorbed and host is not u:
                    older_hosts = rng.random() < 0.5
                    if older_hosts:
                        u.guest, u.guest_is_younger, host.absorbed = host, True, True
                    else:
                        host.guest, host.guest_is_younger, u.absorbed = u, False, True
        elif not u.elderly and u.man and u.woman and age < 28 and rng.random() < 0.3:
            hit = _pick_by_age(rng, mothers, age + 18, age + 42, age + 26)
            if hit:
                parents = mothers[hit[0]][hit[1]]
                if parents is not u and parents.guest is None and not parents.absorbed:
                    parents.guest, parents.guest_is_younger, u.absorbed = u, True, True
    live = [u for u in units if not u.absorbed]
    for p in homeless:
        if p.age(today) >= 19 and rng.random() < 0.5:
            live.append(_Unit(man=p) if p.sex == SEX_MALE else _Unit(woman=p))  # lives alone
        elif live:
            rng.choice(live).extras.append(p)
        else:
            live.append(_Unit(man=p) if p.sex == SEX_MALE else _Unit(woman=p))
    rng.shuffle(live)  # households in no particular order, as on a register
    return live


def members(unit: _Unit, rng: random.Random) -> list[SynthPerson]:
    """The unit's persons with their relationship to the head, the head first."""
    head = unit.man or unit.woman
    head.relationship = "kepala_keluarga"
    out = [head]
    if unit.man and unit.woman:
        unit.woman.relationship = "istri"
        out.append(unit.woman)
    for c in sorted(unit.children, key=lambda p: p.birth_date):
        c.relationship = "anak"
        out.append(c)
    guest = unit.guest
    if guest is not None:
        if guest.guest_is_younger:  # the younger family lives in the older one's house
            for p, rel in ((guest.woman, "anak"), (guest.man, "menantu")):
                if p is not None:
                    p.relationship = rel if guest.woman is not None else "anak"
                    out.append(p)
            for c in sorted(guest.children, key=lambda p: p.birth_date):
                c.relationship = "cucu"
                out.append(c)
        else:  # the elderly live with their daughter's (or son's) family
            in_law = unit.man is not None and rng.random() < 0.8
            for p in (guest.man, guest.woman):
                if p is not None:
                    p.relationship = "mertua" if in_law else "orang_tua"
                    out.append(p)
            for c in guest.children:
                c.relationship = "famili_lain"
                out.append(c)
        unit.extras += guest.extras
    for p in unit.extras:
        p.relationship = "famili_lain"
        out.append(p)
    return out
