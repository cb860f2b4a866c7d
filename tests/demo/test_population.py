"""The demo's synthetic population: realistic shape, valid identities, deterministic, idempotent, importable."""

import csv
import datetime as dt
import functools
import random
import statistics
from collections import Counter

import pytest
from django.utils import timezone

from ilp.core.scoping import AreaScope
from ilp.demo import names, seed
from ilp.demo.population import HEADER, generate_population, villages_from_codes, write_population_csv
from ilp.demo.population.csvfile import PILOT_CODE
from ilp.demo.population.events import spelling_variant
from ilp.demo.population.load import seed_population, working_area_villages
from ilp.facilities.models import Facility
from ilp.people.duplicates import likely_duplicates, name_score
from ilp.people.identity import check_kk, check_nik
from ilp.people.models import Family, FamilyMembership, Migration, Person, Pregnancy, Relationship
from ilp.regions.models import Level, Region

TODAY = dt.date(2026, 11, 23)


@functools.cache
def _population(persons=10_000, seed=2026):
    """Families of the pilot's 10 nagari, generated without a database (the module is pure)."""
    return list(generate_population(persons=persons, seed=seed, villages=villages_from_codes(), today=TODAY))


def _persons(families):
    return [m for f in families for m in f.members]


def _residents(families):
    """Alive, not moved out, and not a second registration of someone else."""
    return [p for p in _persons(families) if p.died_on is None and p.moved_out_on is None and not p.duplicate_of]


def _share(persons, test):
    return 100 * sum(1 for p in persons if test(p)) / len(persons)


def _rows(families):
    return [
        (f.kk_number, f.address_text, f.posyandu.code, p.name, p.sex, p.birth_date, p.relationship, p.nik, p.phone,
         p.jkn_number, p.pregnancy_lmp, p.died_on, p.moved_out_on)
        for f in families
        for p in f.members
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    again = list(generate_population(persons=10_000, seed=2026, villages=villages_from_codes(), today=TODAY))
    other = list(generate_population(persons=10_000, seed=2027, villages=villages_from_codes(), today=TODAY))
    assert _rows(again) == _rows(_population())
    assert _rows(other) != _rows(_population())
    assert [f.external_id for f in again] == [f.external_id for f in _population()]


def test_the_csv_is_byte_identical_for_the_same_seed(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    write_population_csv(a, persons=1500, seed=5, today=TODAY)
    write_population_csv(b, persons=1500, seed=5, today=TODAY)
    write_population_csv(c, persons=1500, seed=6, today=TODAY)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_the_age_sex_pyramid_looks_like_west_sumatra():
    people = _residents(_population())
    assert 8 <= _share(people, lambda p: p.age(TODAY) < 5) <= 10
    assert 1.3 <= _share(people, lambda p: (TODAY - p.birth_date).days < 365) <= 2.0
    assert 10 <= _share(people, lambda p: p.age(TODAY) >= 60) <= 13
    men = sum(1 for p in people if p.sex == "M")
    assert 95 <= 100 * men / (len(people) - men) <= 102
    # merantau: fewer men than women at 20-39, more boys than girls under 15
    young_adults = Counter(p.sex for p in people if 20 <= p.age(TODAY) < 40)
    children = Counter(p.sex for p in people if p.age(TODAY) < 15)
    assert young_adults["M"] < 0.92 * young_adults["F"]
    assert children["M"] > children["F"]


def test_families_have_one_head_and_a_realistic_size_and_make_up():
    families = _population()
    for f in families:
        assert sum(1 for m in f.members if m.relationship == Relationship.HEAD) == 1, f.members
        assert {m.relationship for m in f.members} <= set(Relationship.values)
    sizes = [len([m for m in f.members if not m.duplicate_of]) for f in families]
    assert 3.5 <= statistics.mean(sizes) <= 4.0
    heads = [f.head for f in families]
    assert 10 <= _share(heads, lambda h: h.sex == "F") <= 30  # widows, wives of absent husbands
    three_generations = [f for f in families if {m.relationship for m in f.members} & {"cucu", "mertua", "orang_tua"}]
    assert len(three_generations) > 0.05 * len(families)
    assert sum(1 for f in families if len(f.members) == 1 and f.members[0].age(TODAY) >= 60) > 0.02 * len(families)
    for f in families:  # a child is at least 15 years younger than the mother it was placed with
        for m in f.members:
            if m.mother is not None:
                assert (m.birth_date - m.mother.birth_date).days > 15 * 365


def test_niks_and_kk_numbers_are_valid_unique_and_consistent():
    districts = {"13.06.03"} | {f"13.06.{n:02d}" for n in range(1, 17)} | {f"13.71.{n:02d}" for n in range(1, 12)}
    districts |= {"13.75.01", "13.75.02", "13.75.03"}
    persons = _persons(_population())
    niks = [p.nik for p in persons if p.nik]
    assert len(niks) == len(set(niks))
    for p in persons:
        if p.nik:
            check = check_nik(
                p.nik, district_exists=districts.__contains__, sex=p.sex, birth_date=p.birth_date, today=TODAY
            )
            assert (check.errors, check.warnings) == ([], []), (p.name, p.nik, p.birth_date)
        else:
            assert p.nik_missing_reason in {"newborn", "not_recorded"}
    assert Counter(p.nik[:6] for p in persons if p.nik).most_common(1)[0][0] == "130603"
    assert 0.03 < _share([p for p in persons if p.nik], lambda p: not p.nik.startswith("130603")) < 15
    babies = [p for p in persons if (TODAY - p.birth_date).days < 60]
    assert babies and all(p.nik_missing_reason == "newborn" for p in babies)
    assert 0.2 < _share(persons, lambda p: p.nik_missing_reason == "not_recorded") < 1.5
    families = _population()
    kks = [f.kk_number for f in families]
    assert len(kks) == len(set(kks))
    for f in families:
        assert check_kk(f.kk_number, district_exists=districts.__contains__).warnings == []
        assert f.kk_number.startswith("130603")


def test_jkn_phone_and_disability_look_real():
    persons = _persons(_population())
    assert 70 <= _share(persons, lambda p: bool(p.jkn_number)) <= 80
    assert all(len(p.jkn_number) == 13 and p.jkn_number.isdigit() for p in persons if p.jkn_number)
    adults = [p for p in persons if p.age(TODAY) >= 17]
    assert 70 <= _share(adults, lambda p: bool(p.phone)) <= 95
    assert all(p.phone.startswith("08") and 11 <= len(p.phone) <= 12 for p in persons if p.phone)
    assert not any(p.phone for p in persons if p.age(TODAY) < 17)
    assert 0.5 <= _share(persons, lambda p: bool(p.disability)) <= 3
    titled = [p for p in persons if any(f" {t[0]} " in p.name for t in names.MALE_TITLES)]
    assert titled and all(p.sex == "M" and p.age(TODAY) >= 25 for p in titled)


def test_events_have_plausible_rates_and_dates():
    families = _population()
    persons = _persons(families)
    n = len(persons)
    pregnant = [p for p in persons if p.pregnancy_lmp]
    assert abs(len(pregnant) - 0.02 * n) < 0.003 * n
    assert all(
        p.sex == "F" and 17 <= p.age(TODAY) <= 45 and 28 <= (TODAY - p.pregnancy_lmp).days <= 270 for p in pregnant
    )
    dead = [p for p in persons if p.died_on]
    assert abs(len(dead) - 0.012 * n) < 0.003 * n  # crude death rate ~6 per 1000 per year, two years
    assert all(TODAY - dt.timedelta(days=730) <= p.died_on <= TODAY and p.died_on >= p.birth_date for p in dead)
    assert _share(dead, lambda p: p.age(TODAY) >= 60) > 50
    newborns = [p for p in persons if p.added_by_event and not p.duplicate_of]
    for baby in newborns:
        lmp, delivered = baby.mother.delivery
        assert delivered == baby.birth_date and (TODAY - delivered).days <= 42 and (TODAY - lmp).days <= 300
    assert newborns
    moved_out = [p for p in persons if p.moved_out_on]
    assert moved_out and _share(moved_out, lambda p: p.sex == "M") > 50
    assert all(p.relationship != Relationship.HEAD and p.moved_out_on >= p.joined_on for p in moved_out)
    assert any(f.moved_in_from in ("Kota Padang", "Kota Bukittinggi") for f in families)


def test_duplicates_are_spelling_variants_in_the_same_nagari():
    families = _population()
    home = {m.uid: f for f in families for m in f.members}
    duplicates = [p for p in _persons(families) if p.duplicate_of]
    assert 0.1 <= _share(_persons(families), lambda p: p.duplicate_of is not None) <= 0.3
    for dup in duplicates:
        original = dup.duplicate_of
        assert dup.name != original.name and name_score(dup.name, original.name) >= 85, (dup.name, original.name)
        assert (dup.sex, dup.nik, dup.nik_missing_reason) == (original.sex, "", "not_recorded")
        assert abs((dup.birth_date - original.birth_date).days) <= 20
        assert home[dup.uid].village.code == home[original.uid].village.code
        assert home[dup.uid] is not home[original.uid]


@pytest.mark.parametrize("name", ["Syafril", "Nurhayati", "Yusnimar", "Zulkifli Sutan Mangkuto", "Desi", "Afrizal"])
def test_a_spelling_variant_is_found_by_the_duplicate_search(name):
    variant = spelling_variant(random.Random(1), name)
    assert variant != name and name_score(variant, name) >= 85


def test_the_csv_follows_the_import_contract(tmp_path):
    path = tmp_path / "population.csv"
    count = write_population_csv(path, persons=2000, seed=9, today=TODAY)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert tuple(next(reader)) == HEADER == (
            "no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan", "kode_desa", "dusun", "rw", "rt",
            "alamat", "no_hp", "no_jkn", "posyandu", "alasan_tanpa_nik",
        )  # fmt: skip
        rows = [dict(zip(HEADER, r, strict=True)) for r in reader]
    assert len(rows) == count and 2000 <= count <= 2010
    villages = {v.code.replace(".", ""): {p.code for p in v.posyandu} for v in villages_from_codes()}
    heads = Counter(r["no_kk"] for r in rows if r["hubungan"] == "kepala_keluarga")
    for r in rows:
        assert r["jenis_kelamin"] in {"L", "P"} and r["hubungan"] in Relationship.values
        assert dt.date.fromisoformat(r["tanggal_lahir"]) <= TODAY
        assert len(r["kode_desa"]) == 10 and r["kode_desa"] in villages
        assert r["posyandu"] in villages[r["kode_desa"]]
        assert len(r["no_kk"]) == 16 and heads[r["no_kk"]] == 1
        assert r["alamat"].startswith(("Jorong", "Jl."))
        # A person without NIK says why, as the import contract requires.
        assert bool(r["nik"]) != bool(r["alasan_tanpa_nik"])


def test_write_population_csv_takes_village_codes_without_dots(tmp_path):
    path = tmp_path / "bayua.csv"
    write_population_csv(path, persons=300, seed=1, villages=["1306032004"], today=TODAY)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["kode_desa"] for r in rows} == {"1306032004"}
    assert any("Kapalo Koto" in r["alamat"] or "Jorong" in r["alamat"] for r in rows)


@pytest.mark.django_db
def test_the_file_villages_match_the_seeded_working_area():
    assert PILOT_CODE == seed.PILOT_CODE
    from_db = working_area_villages(seed.PILOT_CODE)
    from_file = villages_from_codes()
    assert [(v.code, v.name, [p.code for p in v.posyandu]) for v in from_db] == [
        (v.code, v.name, [p.code for p in v.posyandu]) for v in from_file
    ]
    assert len(from_db) == 10 and all(len(v.posyandu) == 2 for v in from_db)


@pytest.mark.django_db
def test_seeding_2000_persons_goes_through_bulk_and_the_services():
    # given the demo world without persons (the test session seeds it with persons=0)
    assert not Person.objects.filter(region__district__code="13.06.03").exists()
    # when
    summary = seed_population(persons=2000, seed=11, puskesmas_code=seed.PILOT_CODE)
    # then the register holds the generated population and its events
    generated = list(
        generate_population(
            persons=2000, seed=11, villages=working_area_villages(seed.PILOT_CODE), today=timezone.localdate()
        )
    )
    persons = _persons(generated)
    assert summary.created and summary.duplicates == sum(1 for p in persons if p.duplicate_of)
    assert Person.objects.count() == len(persons)
    assert Family.objects.count() == summary.families == len(generated)
    assert 3.4 <= summary.mean_family_size <= 4.0
    assert summary.ibu_hamil == Pregnancy.objects.filter(ended_on__isnull=True).count() == 40
    assert summary.ibu_nifas == sum(1 for p in persons if p.delivery)
    assert summary.deaths == Person.objects.exclude(death_date=None).count() == 24
    assert summary.moved_out == Person.objects.exclude(moved_out_on=None).count() == 12
    assert summary.moved_in == Migration.objects.filter(direction="in").count() > 0
    assert 20 <= summary.bayi <= 50 and summary.lansia > 150
    # every family: one head among its current members, a posyandu of its own nagari
    for family in Family.objects.select_related("head", "posyandu__region", "region"):
        assert family.head is not None
        heads = FamilyMembership.objects.filter(family=family, relationship="kepala_keluarga")
        assert list(heads.values_list("person_id", flat=True)) == [family.head_id]
        assert family.posyandu.region.village_id == family.region.village_id
        assert family.region.level in (Level.VILLAGE, Level.DUSUN)
    assert set(Person.objects.values_list("posyandu_id", flat=True)) <= set(
        Facility.objects.filter(kind="posyandu").values_list("id", flat=True)
    )
    # the deliberate duplicates show up in the duplicate search of their nagari
    duplicate = Person.objects.filter(
        nik__isnull=True, nik_missing_reason="not_recorded", memberships__relationship="famili_lain"
    ).first()
    assert duplicate is not None
    found = likely_duplicates(
        scope=AreaScope.all(), name=duplicate.name, birth_date=duplicate.birth_date, sex=duplicate.sex,
        region=Region.objects.get(pk=duplicate.region_id), exclude=duplicate,
    )  # fmt: skip
    assert found


@pytest.mark.django_db
def test_a_second_run_adds_nothing():
    first = seed_population(persons=400, seed=3, puskesmas_code=seed.PILOT_CODE)
    counts = Person.objects.count(), Family.objects.count(), Pregnancy.objects.count(), Migration.objects.count()
    second = seed_population(persons=400, seed=3, puskesmas_code=seed.PILOT_CODE)
    assert first.created and not second.created
    assert (
        Person.objects.count(),
        Family.objects.count(),
        Pregnancy.objects.count(),
        Migration.objects.count(),
    ) == counts
    assert second.persons == first.persons and second.duplicates is None
    assert seed.seed_demo(seed=2026, persons=400).population.created is False


@pytest.mark.django_db
def test_seed_demo_without_persons_stays_cheap():
    result = seed.seed_demo(seed=2026)
    assert result.population is None
    assert not Person.objects.exists()


def test_kk_numbers_keep_16_digits_when_a_day_runs_out_of_serials():
    from ilp.demo.population.model import Registry

    reg = Registry(1, 1)
    day = dt.date(2025, 5, 1)
    numbers = [reg.kk_for("13.06.03", day) for _ in range(10_001)]
    assert len(set(numbers)) == 10_001 and all(len(n) == 16 for n in numbers)
    assert numbers[-1].startswith("130603300425")
