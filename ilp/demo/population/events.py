"""Step 4 of the generator: what the follow-up services will record (births, pregnancies, deaths, moves, duplicates)."""

from __future__ import annotations

import datetime as dt
import heapq
import random

from rapidfuzz import fuzz

from ilp.demo import names
from ilp.demo.population.model import Registry, SynthFamily, SynthPerson, step
from ilp.people.identity import SEX_FEMALE, SEX_MALE

# Annual probability of death by age (rough Indonesian life-table shape; IMR ~17 per 1000 live births after
# the Long Form SP2020); only the shape matters: deaths are then drawn to `CRUDE_DEATH_RATE`.
MORTALITY = ((0, 0.017), (1, 0.0012), (5, 0.0005), (15, 0.0009), (30, 0.0018), (45, 0.005), (55, 0.009),
             (60, 0.014), (65, 0.022), (70, 0.037), (75, 0.06), (80, 0.11))  # fmt: skip
CRUDE_DEATH_RATE = 0.006  # per person per year
DEATH_YEARS = 2  # deaths recorded over the last two years
DEATH_CAUSES = {
    "infant": ("BBLR", "asfiksia", "pneumonia", "diare"),
    "adult": ("kecelakaan lalu lintas", "TB paru", "penyakit jantung", "stroke", "kanker"),
    "elderly": ("stroke", "penyakit jantung", "hipertensi", "diabetes melitus", "PPOK", "usia lanjut"),
}
# Age-specific fertility shape (births per 1000 women, West Sumatra-like), for who is pregnant now.
ASFR = ((15, 20), (20, 95), (25, 140), (30, 130), (35, 80), (40, 28), (45, 5))
PREGNANT_SHARE = 0.02  # of the population: ibu hamil
PREGNANCY_AGES = (17, 45)
# A pregnancy is known from a missed period: HPHT between 4 weeks and 270 days ago.
LMP_DAYS = (28, 270)
NIFAS_DAYS = 42
MOVED_OUT_SHARE = 0.006
DUPLICATE_SHARE = 0.002


# --- 4. events ---------------------------------------------------------------------------------------


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k items without replacement, each with probability proportional to its weight (Efraimidis-Spirakis)."""
    keyed = ((rng.random() ** (1 / w), i) for i, w in enumerate(weights) if w > 0)
    return [items[i] for _key, i in heapq.nlargest(k, keyed)]


def spelling_variant(rng: random.Random, name: str) -> str:
    """The name as a second registration might spell it ("Syafril" -> "Safril"), close enough to be found."""
    rules = list(names.SPELLING_VARIANTS)
    rng.shuffle(rules)
    for old, new in rules:
        if old in name:
            variant = " ".join(name.replace(old, new, 1).split())
            if variant != name and fuzz.ratio(variant.lower(), name.lower()) >= 88:
                return variant
    return name + "h" if not name.endswith("h") else name[:-1]


def events(rng: random.Random, families: list[SynthFamily], today: dt.date, reg: Registry) -> list[SynthFamily]:
    """Choose deaths, pregnancies, recent births, moves out and duplicates; returns the duplicates' hosts."""
    persons = [m for f in families for m in f.members]
    n = len(persons)
    # Recent births: an infant of the last 42 days whose mother is in the household is added by the services,
    # after the mother's pregnancy is recorded and ended (she is then in nifas).
    for p in persons:
        days = (today - p.birth_date).days
        if days <= NIFAS_DAYS and p.mother is not None and p.relationship in ("anak", "cucu"):
            p.added_by_event = True
            gestation = min(rng.randint(259, 287), 300 - days)
            p.mother.delivery = (p.birth_date - dt.timedelta(days=gestation), p.birth_date)
    candidates = [p for p in persons if not p.added_by_event and p.delivery is None]
    weights = [step(MORTALITY, p.age(today)) for p in candidates]
    for p in _weighted_sample(rng, candidates, weights, round(n * CRUDE_DEATH_RATE * DEATH_YEARS)):
        earliest = max(p.birth_date, today - dt.timedelta(days=365 * DEATH_YEARS))
        p.died_on = earliest + dt.timedelta(days=rng.randint(0, (today - earliest).days))
        age = p.age(p.died_on)
        p.death_cause = rng.choice(DEATH_CAUSES["infant" if age < 1 else "adult" if age < 60 else "elderly"])
    lo, hi = PREGNANCY_AGES
    eligible = [
        p
        for p in persons
        if p.sex == SEX_FEMALE and p.married and lo <= p.age(today) <= hi and p.died_on is None
        and p.delivery is None and (p.youngest_child is None or (today - p.youngest_child).days > 240)
    ]  # fmt: skip
    weights = [step(ASFR, p.age(today), 0) for p in eligible]
    for p in _weighted_sample(rng, eligible, weights, round(n * PREGNANT_SHARE)):
        p.pregnancy_lmp = today - dt.timedelta(days=rng.randint(*LMP_DAYS))
    eligible = [
        p
        for p in persons
        if 18 <= p.age(today) <= 35 and p.relationship not in ("kepala_keluarga", "istri") and p.died_on is None
        and p.pregnancy_lmp is None and p.delivery is None and p.youngest_child is None
    ]  # fmt: skip
    weights = [3.0 if p.sex == SEX_MALE else 1.0 for p in eligible]
    for p in _weighted_sample(rng, eligible, weights, round(n * MOVED_OUT_SHARE)):
        earliest = max(p.joined_on, today - dt.timedelta(days=730))
        p.moved_out_on = earliest + dt.timedelta(days=rng.randint(0, max(0, (today - earliest).days)))
        p.moved_out_to = rng.choice(names.MERANTAU_TO)
    # Duplicates: the same person registered a second time, without NIK, in another family of the same nagari.
    eligible = [p for p in persons if p.nik and p.died_on is None and p.moved_out_on is None and p.age(today) >= 1]
    by_village: dict[str, list[SynthFamily]] = {}
    for f in families:
        by_village.setdefault(f.village.code, []).append(f)
    home = {m.uid: f for f in families for m in f.members}
    hosts = []
    for original in rng.sample(eligible, min(len(eligible), round(n * DUPLICATE_SHARE))):
        others = [f for f in by_village[home[original.uid].village.code] if f is not home[original.uid]]
        if not others:
            continue
        host = rng.choice(others)
        shift = 0 if rng.random() < 0.6 else rng.randint(-20, 20)
        born = min(original.birth_date + dt.timedelta(days=shift), today)
        dup = SynthPerson(
            uid=reg.next_uid(), sex=original.sex, birth_date=born, name=spelling_variant(rng, original.name),
            relationship="famili_lain", nik_missing_reason="not_recorded", phone=original.phone,
            disability=original.disability, duplicate_of=original, added_by_event=True,
            joined_on=max(born, today - dt.timedelta(days=rng.randint(0, 365))),
        )  # fmt: skip
        dup.external_id = reg.external_id("person", dup.uid)
        host.members.append(dup)
        hosts.append(host)
    return hosts
