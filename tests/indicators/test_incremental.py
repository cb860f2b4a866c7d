"""Incremental refresh equals full refresh: whatever the services change, `refresh_stale` (which recomputes
only the (indicator, year, desa) its change marks touch) must leave exactly the facts a fresh `refresh_all`
computes on the same data.

The base is the golden world of `conftest.py` with its facts computed by `refresh_all` (which also clears
the change marks). Each hypothesis example applies a random sequence of edits through the services inside
a savepoint that is rolled back afterwards, so every example starts from the same base. The refresh runs
as of 31 December 2025, so 2024 and 2025 are both computed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ilp.core import changes
from ilp.core.models import ChangeMark
from ilp.indicators import engine, registry
from ilp.indicators.models import IndicatorValue
from ilp.indicators.refresh import Report, refresh_all, refresh_stale
from ilp.indicators.registry import Kind
from ilp.lifecycle.models import Encounter, EncounterStatus, ObservationKind, Referral, ServiceKind
from ilp.lifecycle.rules import referral as chain
from ilp.lifecycle.services import encounter_void, home_visit_record, referral_advance, referral_create
from ilp.people.models import FamilyMembership, PregnancyOutcome, Relationship
from ilp.people.services import (
    person_move,
    person_record_death,
    pregnancy_end,
    pregnancy_record,
)
from tests.indicators.conftest import TODAY, F, M, World, build_golden, d, doses, frozen_clock, new_world, svc

K = ObservationKind
S = ServiceKind
FIRST_DAY = dt.date(2024, 1, 15)


def facts() -> Counter:
    """Every fact row, as a multiset of its values."""
    return Counter(
        IndicatorValue.objects.values_list(
            "indicator",
            "period",
            "region_id",
            "village_id",
            "posyandu_id",
            "sex",
            "age_band",
            "numerator",
            "denominator",
            "numerator_ytd",
            "denominator_ytd",
        )
    )


def assert_same_facts(incremental: Counter, full: Counter, edits=()) -> None:
    """Equal multisets; otherwise name the first rows refresh_stale missed or left stale (and the edits)."""
    missing, stale = full - incremental, incremental - full
    if missing or stale:
        pytest.fail(f"after edits {list(edits)}: missing {sorted(missing)[:6]}; stale {sorted(stale)[:6]}")


@pytest.fixture
def base(db) -> World:
    """The golden world with its facts computed (2024 and 2025) and no pending change marks."""
    with frozen_clock() as clock:
        world = new_world(clock)
        build_golden(world)
        refresh_all(today=TODAY)
        assert ChangeMark.objects.count() == 0
        yield world


# ------------------------------------------------------------------------------------------------ edits
def _weight_for(world: World, who: str, day: dt.date) -> float:
    years = (day - world.people[who].birth_date).days / 365.25
    return next(
        kg for limit, kg in ((1, 7.5), (2, 10.0), (5, 14.0), (10, 25.0), (15, 40.0), (200, 60.0)) if years < limit
    )


# What an encounter may record: (observations, services); a weight is filled in by age.
RECORDABLE = (
    ({K.WEIGHT: None}, ()),
    ({K.SYSTOLIC: 150, K.DIASTOLIC: 95}, ()),
    ({K.SYSTOLIC: 120, K.DIASTOLIC: 80}, ()),
    ({K.GLUCOSE_RANDOM: 230}, ()),
    ({K.SKILAS: "none", K.ADL: 20}, ()),
    ({K.TB_SYMPTOMS: "presumptive"}, ()),
    ({K.HIV: "neg", K.SYPHILIS: "neg", K.HEPATITIS_B: "neg"}, ()),
    ({K.HB: 11.0, K.MUAC: 22.0}, ()),
    ({K.KPSP: 9}, (svc(S.VITAMIN_A),)),
    ({}, tuple(doses("mr1", "pcv3", "dpt_hb_hib4", "mr2"))),
    ({}, (svc(S.IRON_FOLATE),)),
    ({}, (svc(S.MENTAL_HEALTH),)),
    ({}, (svc(S.NEONATAL, dose=1), svc(S.NEONATAL, dose=2), svc(S.NEONATAL, dose=3))),
    ({}, (svc(S.POSTNATAL, dose=4),)),
    ({}, (svc(S.ANC, dose=6),)),
    ({K.DELIVERY_PLACE: "health_facility"}, (svc(S.VIA), svc(S.BREAST_EXAM))),
    ({K.SRQ20: 4, K.PUMA: 3}, ()),
    ({K.VISION: "normal"}, ()),
)
PLACES = ("A", "B", "PKM", "home", "school")
BASE_PEOPLE = [
    *("a1_head", "a1_wife", "a1_baby", "a2_head", "a2_wife", "a2_son", "a3_head", "a3_wife", "a3_child1"),
    *("a3_child2", "a4_head", "a4_daughter", "a4_son", "a5_head", "a5_wife", "a5_child"),
    *("b1_head", "b1_wife", "b1_baby", "b2_head", "b2_child", "b2_baby", "b3_head", "b3_wife", "b3_grand"),
    *("b4_head", "b4_wife", "b4_daughter", "b5_head"),
]
BASE_FAMILIES = ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5"]
# Women aged 10-55 (pregnancies), among them the two still pregnant on 31 December (b2_head, b4_wife).
WOMEN = ["a1_wife", "a3_wife", "a4_daughter", "a5_wife", "b1_wife", "b2_head", "b3_grand", "b4_wife", "b4_daughter"]

days = st.dates(FIRST_DAY, TODAY)
people = st.sampled_from(BASE_PEOPLE)
families = st.sampled_from(BASE_FAMILIES)
edits = st.one_of(
    st.tuples(st.just("encounter"), people, days, st.sampled_from(PLACES), st.integers(0, len(RECORDABLE) - 1)),
    st.tuples(st.just("void"), st.integers(0, 10_000), days),
    st.tuples(st.just("register"), families, days, st.sampled_from([F, M]), st.booleans()),
    st.tuples(st.just("death"), people, days),
    st.tuples(st.just("move"), people, days),
    st.tuples(st.just("pregnancy"), st.sampled_from(WOMEN), days),
    st.tuples(st.just("pregnancy_end"), st.sampled_from(WOMEN), days, st.sampled_from(list(PregnancyOutcome))),
    st.tuples(st.just("home_visit"), families, days),
    st.tuples(st.just("referral"), people, days),
    st.tuples(st.just("referral_step"), st.integers(0, 10_000), days, st.integers(0, 3)),
)


def apply(w: World, edit: tuple) -> bool:
    """Apply one edit through the services, on its own day; False when the service refuses it."""
    kind, *args = edit
    try:
        _apply(w, kind, *args)
    except (ValidationError, PermissionDenied):
        return False
    return True


def _apply(w: World, kind: str, *args) -> None:
    scope, actor = w.scope, w.actor
    if kind == "encounter":
        who, day, where, n = args
        obs, given = RECORDABLE[n]
        obs = {k: (_weight_for(w, who, day) if v is None else v) for k, v in obs.items()}
        w.visit(who, day, where, obs, given, confirm=True)
    elif kind == "void":
        n, day = args
        alive = list(
            Encounter.objects.filter(person__in=w.people.values()).exclude(status=EncounterStatus.VOIDED).order_by("id")
        )
        w.on(max(day, alive[n % len(alive)].date))
        encounter_void(scope=scope, encounter=alive[n % len(alive)], reason="Salah input", actor=actor)
    elif kind == "register":
        family, day, sex, newborn = args
        born = day if newborn else d("2023-03-03")
        key = f"new{len(w.people)}"
        w.join(key, family, "Anak Baru", sex, born, on=day, moved_in_from="" if newborn else "Kota Padang")
    elif kind == "death":
        who, day = args
        w.on(day)
        person_record_death(scope=scope, person=w.people[who], died_on=day, actor=actor)
    elif kind == "move":
        who, day = args
        person = w.people[who]
        current = FamilyMembership.objects.filter(person=person, end_date__isnull=True).first()
        other_desa = "B" if person.region.village_id == w.desa["A"].pk else "A"
        target = next(f for k, f in sorted(w.families.items()) if k.startswith(other_desa))
        w.on(max(day, current.start_date if current else day))
        person_move(
            scope=scope,
            person=person,
            to_family=target,
            relationship=Relationship.OTHER_RELATIVE,
            on=w.clock.today,
            actor=actor,
        )
    elif kind == "pregnancy":
        who, lmp = args
        w.on(min(lmp + dt.timedelta(days=30), TODAY))
        pregnancy_record(scope=scope, person=w.people[who], lmp_date=lmp, actor=actor)
    elif kind == "pregnancy_end":
        who, day, outcome = args
        pregnancy = w.people[who].pregnancies.filter(ended_on__isnull=True).first()
        if pregnancy is None:
            raise ValidationError("no open pregnancy")
        w.on(max(day, pregnancy.lmp_date))
        pregnancy_end(scope=scope, pregnancy=pregnancy, ended_on=w.clock.today, outcome=outcome, actor=actor)
    elif kind == "home_visit":
        family, day = args
        w.on(day)
        home_visit_record(scope=scope, family=w.families[family], date=day, note="Kunjungan", actor=actor)
    elif kind == "referral":
        who, day = args
        w.on(day)
        referral_create(
            scope=scope,
            person=w.people[who],
            date=day,
            from_level="posyandu",
            to_level="puskesmas",
            note="Rujuk",
            actor=actor,
        )
    elif kind == "referral_step":
        n, day, choice = args
        referrals = list(Referral.objects.filter(person__in=w.people.values()).order_by("id"))
        referral = referrals[n % len(referrals)]
        allowed = sorted(chain.TRANSITIONS[chain.Status(referral.status)])
        if not allowed:
            raise ValidationError("referral finished")
        last = referral.events.order_by("-date", "-id").first()
        w.on(max(day, last.date))
        status = allowed[choice % len(allowed)]
        referral_advance(scope=scope, referral=referral, status=status, date=w.clock.today, actor=actor)


# ------------------------------------------------------------------------------------------------- tests
# Derandomized: SQLite and PostgreSQL run the same sequences. No shrinking: an example costs two refreshes
# (seconds), shrinking a failure takes many minutes, and the failure message lists the edits applied anyway.
def _examples(n: int):
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _assert_incremental_is_full(base: World, sequence) -> None:
    """Apply the edits (in a rolled-back savepoint), then `refresh_stale` must leave what `refresh_all` computes."""
    with transaction.atomic():
        w = base.reloaded()
        applied = [edit for edit in sequence if apply(w, edit)]
        refresh_stale(today=TODAY)
        incremental = facts()
        refresh_all(today=TODAY)
        full = facts()
        transaction.set_rollback(True)
    assert_same_facts(incremental, full, applied)


@_examples(15)
@given(st.lists(edits, min_size=1, max_size=6))
def test_incremental_refresh_equals_full_refresh(base, sequence):
    _assert_incremental_is_full(base, sequence)


# Dated records only (no register change), in the last months of 2025: the rates are recomputed from the
# earliest month touched, going on from the stored year-to-date sums (`engine.first_month`).
late_days = st.dates(dt.date(2025, 9, 1), TODAY)
dated_edits = st.one_of(
    st.tuples(st.just("encounter"), people, late_days, st.sampled_from(PLACES), st.integers(0, len(RECORDABLE) - 1)),
    st.tuples(st.just("void"), st.integers(0, 10_000), late_days),
    st.tuples(st.just("home_visit"), families, late_days),
    st.tuples(st.just("referral"), people, late_days),
)


@_examples(10)
@given(st.lists(dated_edits, min_size=1, max_size=4))
def test_late_dated_records_recompute_the_rates_from_their_month_and_equal_a_full_refresh(base, sequence):
    _assert_incremental_is_full(base, sequence)


def _record_since(monkeypatch) -> list[tuple[str, int, int]]:
    """(indicator, year, first month computed) of every `engine.compute` call from now on."""
    seen, compute = [], engine.compute

    def recording(ind, **kwargs):
        result = compute(ind, **kwargs)
        seen.append((ind.code, result.year, result.since))
        return result

    monkeypatch.setattr(engine, "compute", recording)
    return seen


def test_a_december_weighing_recomputes_the_rates_of_december_only(base, monkeypatch):
    seen = _record_since(monkeypatch)
    base.visit("b2_child", d("2025-12-05"), "B", {K.WEIGHT: 11.2})
    refresh_stale(today=TODAY)
    by_code = {code: since for code, year, since in seen if year == 2025}
    assert by_code["child_weighed"] == 12  # D/S, a rate
    assert {since for code, since in by_code.items() if registry.get(code).kind == Kind.COVERAGE} == {1}
    assert not [row for row in seen if row[1] == 2024]  # a 2025 record never moves 2024
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


def test_a_register_change_recomputes_every_month(base, monkeypatch):
    seen = _record_since(monkeypatch)
    base.join("new", "B5", "Rahmi", F, d("2025-12-01"), on=d("2025-12-02"))
    refresh_stale(today=TODAY)
    assert seen and {since for _code, _year, since in seen} == {1}


@pytest.mark.parametrize("deleted_from", [d("2025-11-01"), d("2025-01-01")])
def test_a_desa_whose_facts_stop_early_is_recomputed_from_january(base, monkeypatch, deleted_from):
    """Desa B's D/S facts end in October (a later refresh of desa A only moved on), or were never computed: a
    December weighing in desa B cannot go on from November's running sums, so B's whole year is recomputed,
    while desa A, weighed the same month, goes on from its November."""
    later = IndicatorValue.objects.filter(indicator="child_weighed", period__gte=deleted_from)
    later.filter(village=base.desa["B"]).delete()
    seen = _record_since(monkeypatch)
    base.visit("b2_child", d("2025-12-05"), "B", {K.WEIGHT: 11.2})
    base.visit("a3_child1", d("2025-12-06"), "A", {K.WEIGHT: 16.4})
    refresh_stale(today=TODAY)
    assert [since for code, year, since in seen if (code, year) == ("child_weighed", 2025)] == [12, 1]
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


def test_refresh_stale_without_marks_does_nothing(base, monkeypatch):
    before = facts()

    def no_compute(*args, **kwargs):
        raise AssertionError("refresh_stale computed without a change mark")

    monkeypatch.setattr(engine, "compute", no_compute)
    assert refresh_stale(today=TODAY) == Report(0, [], 0)
    assert facts() == before


def test_marks_are_deleted_after_a_refresh(base):
    base.join("new", "B5", "Rahmi", F, d("2025-10-01"), on=d("2025-10-02"))
    base.home_visit("A2", d("2025-10-03"))
    pending = ChangeMark.objects.count()
    assert pending > 0
    report = refresh_stale(today=TODAY)
    assert report.marks == pending
    assert ChangeMark.objects.count() == 0
    assert refresh_stale(today=TODAY) == Report(0, [], 0)


def test_a_crash_keeps_the_marks_and_the_next_refresh_completes(base, monkeypatch):
    base.join("new", "B5", "Rahmi", F, d("2025-10-01"), on=d("2025-10-02"))
    base.home_visit("A2", d("2025-10-03"))
    base.move("a3_wife", "B1", d("2025-11-01"))
    pending = ChangeMark.objects.count()
    store, calls = engine.store, []

    def store_crashing_on_the_second_job(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return store(*args, **kwargs)

    monkeypatch.setattr(engine, "store", store_crashing_on_the_second_job)
    with pytest.raises(RuntimeError, match="worker killed"):
        refresh_stale(today=TODAY)
    assert ChangeMark.objects.count() == pending
    monkeypatch.setattr(engine, "store", store)
    refresh_stale(today=TODAY)
    assert ChangeMark.objects.count() == 0
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


def test_refresh_all_twice_gives_the_same_facts(base):
    first = facts()
    refresh_all(today=TODAY)
    assert facts() == first
    refresh_all(today=TODAY, year=2025)
    assert facts() == first


def test_encounters_recorded_and_voided_are_picked_up_by_refresh_stale(base):
    """A weighing and a voided ANC contact (b2_head's K6): their change marks make `refresh_stale` recompute
    the desa's facts (D/S of September, K6 of December)."""
    base.visit("b2_child", d("2025-09-10"), "B", {K.WEIGHT: 10.8})
    anc = Encounter.objects.get(person=base.people["b2_head"], date=d("2025-12-10"))
    base.on(d("2025-12-11"))
    encounter_void(scope=base.scope, encounter=anc, reason="Salah pasien", actor=base.actor)
    assert ChangeMark.objects.filter(topic=changes.ENCOUNTER).exists()
    refresh_stale(today=TODAY)
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


# --------------------------------------------------------------------------------------------------------
# Where refresh_stale misses facts its marks should have touched. xfail (strict) with the reason.
# --------------------------------------------------------------------------------------------------------


def test_moving_a_referred_person_moves_the_referral(base):
    """a2_head (desa A) was referred in May 2025. He moves to family B1 in desa B; the full refresh counts
    his referral in desa B, so must the incremental one."""
    base.move("a2_head", "B1", d("2025-09-01"))
    refresh_stale(today=TODAY)
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


def test_an_encounter_at_the_other_desas_posyandu_refreshes_that_posyandu(base):
    """Posyandu B held no session in October 2025. a3_child1 (desa A) is weighed there on 15 October: B's
    posyandu counts as held in October after a full refresh, so it must after the incremental one."""
    base.visit("a3_child1", d("2025-10-15"), "B", {K.WEIGHT: 16.2})
    refresh_stale(today=TODAY)
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


def test_a_late_recorded_2024_blood_pressure_reaches_the_2025_sasaran(base):
    """b1_head has only normal blood pressures. A 160/100 from November 2024 is recorded late (its change
    mark is dated November 2024); he is then hypertensive "on record" for 2025 too, so 2025's
    hypertension_served of desa B changes."""
    base.visit("b1_head", d("2024-11-20"), "PKM", {K.SYSTOLIC: 160, K.DIASTOLIC: 100})
    assert set(ChangeMark.objects.values_list("date", flat=True)) == {d("2024-11-01")}
    refresh_stale(today=TODAY)
    incremental = facts()
    refresh_all(today=TODAY)
    assert_same_facts(incremental, facts())


def test_two_weighings_on_one_day_count_as_one_day_towards_the_eighth(base):
    # Source: definitions/child.py spm_balita (Permenkes 4/2019 SPM: a balita weighed at least 8 times a year):
    # Fajar's eighth weighing day of 2025 is 10 September (`conftest.build_golden`).
    def month_reached():
        return sorted(
            period.month
            for period, num in IndicatorValue.objects.filter(
                indicator="spm_balita", period__year=2025, village_id=base.desa["A"].pk, numerator__gt=0
            ).values_list("period", "numerator")
        )

    assert month_reached() == [9]
    # when he is weighed again at the puskesmas on his January posyandu day, then 10 September is still the
    # eighth day (counting the two January weighings apart would make it 13 August)
    base.visit("a3_child1", d("2025-01-08"), "PKM", {K.WEIGHT: 14.6})
    refresh_stale(today=TODAY)
    assert month_reached() == [9]
    # and a weighing on a new day, 20 January, makes 13 August the eighth
    base.visit("a3_child1", d("2025-01-20"), "PKM", {K.WEIGHT: 14.6})
    refresh_stale(today=TODAY)
    assert month_reached() == [8]
