"""Step 3 of the generator: names, NIK, KK, JKN, phone, disability, address and posyandu of a family."""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo import names
from ilp.demo.population.model import Registry, SynthFamily, SynthPerson, VillageSpec, step
from ilp.people.identity import SEX_FEMALE

KK_MAX_AGE_DAYS = 15 * 365
NOT_RECORDED_ADULT_SHARE = 0.008
JKN_FAMILY_COVERED = 0.8  # families enrolled in JKN (PBI or mandiri); ~75% of persons overall
DISABILITY_RATE = ((0, 0.005), (18, 0.012), (60, 0.06))
DISABILITY_KINDS = (("fisik", 40), ("sensorik", 30), ("intelektual", 10), ("mental", 12), ("ganda", 8))
PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0814", "0815", "0816",
                  "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0895",
                  "0896", "0897", "0898", "0881", "0882")  # fmt: skip
OTHER_AGAM = tuple(f"13.06.{n:02d}" for n in range(1, 17) if n != 3)
PADANG = tuple(f"13.71.{n:02d}" for n in range(1, 12))


# --- 3. identities -----------------------------------------------------------------------------------


def _cohort_names(table, year: int) -> tuple[str, ...]:
    return next(names_ for before, names_ in table if year < before)


def person_name(rng: random.Random, person: SynthPerson, today: dt.date) -> str:
    """A Minangkabau name for the person's sex and birth cohort, an adat title for some married men."""
    female = person.sex == SEX_FEMALE
    given = rng.choice(_cohort_names(names.FEMALE_GIVEN_BY_COHORT if female else names.MALE_GIVEN_BY_COHORT,
                                     person.birth_date.year))  # fmt: skip
    if " " not in given and rng.random() < 0.35:
        given = f"{given} {rng.choice(names.FEMALE_SECOND if female else names.MALE_SECOND)}"
    age = person.age(today)
    if not female and person.married and age >= 25 and rng.random() < 0.2:
        titles = [t for t in names.MALE_TITLES if age >= 40 or t[0] != "Dt."]
        abbrev, words, _w = rng.choices(titles, weights=[t[2] for t in titles])[0]
        given = f"{given} {abbrev} {rng.choice(words)}"
    return given


def _phone(rng: random.Random) -> str:
    digits = rng.choice((7, 8))
    return f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**digits):0{digits}d}"


def _address(rng: random.Random, village: VillageSpec) -> tuple[str, int | None]:
    if village.dusun:
        region_id, jorong = rng.choice(village.dusun)
    else:
        region_id, jorong = village.region_id, rng.choice(names.JORONG.get(village.name, names.JORONG_ILLUSTRATIVE))
    text = f"Jorong {jorong}, Nagari {village.name}"
    if rng.random() < 0.25:
        text = f"{rng.choice(names.ROADS)}, {text}"
    return text, region_id


def identify(rng: random.Random, family: SynthFamily, today: dt.date, reg: Registry) -> None:
    """Names, NIK, KK, JKN, phone, disability and membership dates of one family."""
    members = family.members
    district = family.village.district_code
    youngest = max(m.birth_date for m in members if not m.added_by_event)
    if family.moved_in_on is not None:
        issued = min(family.moved_in_on + dt.timedelta(days=rng.randint(0, 30)), today - dt.timedelta(days=1))
    else:
        # Issued (or last re-issued) after the youngest member's birth, within the last 15 years.
        issued = youngest + dt.timedelta(days=rng.randint(20, 1500))
        if issued < today - dt.timedelta(days=KK_MAX_AGE_DAYS):
            issued = today - dt.timedelta(days=rng.randint(60, KK_MAX_AGE_DAYS))
        issued = max(min(issued, today - dt.timedelta(days=30)), youngest)
    family.kk_issued = issued
    family.kk_number = reg.kk_for(district, issued)
    family.address_text, family.region_id = _address(rng, family.village)
    family.posyandu = rng.choice(family.village.posyandu) if family.village.posyandu else None
    covered = rng.random() < JKN_FAMILY_COVERED
    came_from = next((d for place, d in names.MOVED_IN_FROM if place == family.moved_in_from), ())
    for m in members:
        age = m.age(today)
        if age >= 70 and rng.random() < 0.25:  # older people often only know the year of birth
            m.birth_date, m.birth_date_estimated = dt.date(m.birth_date.year, 7, 1), True
            age = m.age(today)
        m.name = person_name(rng, m, today)
        m.external_id = reg.external_id("person", m.uid)
        start = family.moved_in_on or issued
        m.joined_on = max(m.birth_date, start) if not m.added_by_event else m.birth_date
        days = (today - m.birth_date).days
        if days < 60 or (days < 365 and rng.random() < 0.35):
            m.nik_missing_reason = "newborn"
        elif age >= 17 and rng.random() < NOT_RECORDED_ADULT_SHARE:
            m.nik_missing_reason = "not_recorded"
        else:
            if came_from and (family.moved_in_on is None or m.birth_date < family.moved_in_on):
                first = rng.choice(came_from)
            elif age >= 17 and m.relationship in ("istri", "kepala_keluarga", "menantu", "mertua"):
                roll = rng.random()
                first = rng.choice(OTHER_AGAM) if roll < 0.1 else rng.choice(PADANG) if roll < 0.14 else district
            else:
                first = district
            m.nik = reg.nik_for(first, m.birth_date, m.sex)
        if (covered and rng.random() < 0.95 and days >= 60) or (not covered and rng.random() < 0.12):
            m.jkn_number = reg.jkn_number()
        if age >= 17 and rng.random() < (0.88 if age < 60 else 0.55 if age < 70 else 0.3):
            m.phone = _phone(rng)
        if rng.random() < step(DISABILITY_RATE, age):
            m.disability = rng.choices([k for k, _w in DISABILITY_KINDS], weights=[w for _k, w in DISABILITY_KINDS])[0]
