"""Likely duplicates shown before a person is saved: similar name, near birth date, same desa or family."""

import datetime as dt

import pytest

from ilp.people.duplicates import (
    REASON_DECEASED,
    REASON_NEAR_BIRTH_DATE,
    REASON_SAME_BIRTH_DATE,
    REASON_SAME_DESA,
    REASON_SAME_FAMILY,
    REASON_SAME_NAME,
    REASON_SIMILAR_NAME,
    likely_duplicates,
    name_score,
)
from ilp.people.identity import SEX_FEMALE
from ilp.people.services import person_record_death
from tests.people.conftest import BAYUA, MANINJAU, wife_data

pytestmark = pytest.mark.django_db

BORN = dt.date(1991, 2, 17)


@pytest.fixture
def nurhayati(make_family):
    """Nurhayati, wife in a family of nagari Bayua."""
    family = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    return family.memberships.get(relationship="istri").person


def _found(candidates, person):
    return next((c for c in candidates if c.person == person), None)


def test_a_split_spelling_variant_is_a_candidate(nurhayati, scope, region):
    # given Nurhayati in Bayua; when "Nur Hayati" born a week later is about to be registered there
    found = likely_duplicates(
        scope=scope("pustu.bayua"), name="Nur Hayati", birth_date=BORN + dt.timedelta(days=7),
        sex=SEX_FEMALE, region=region(BAYUA),
    )  # fmt: skip
    # then Nurhayati is shown, with the reasons
    candidate = _found(found, nurhayati)
    assert candidate is not None
    assert candidate.score >= 85
    assert candidate.reasons == [REASON_SIMILAR_NAME, REASON_NEAR_BIRTH_DATE, REASON_SAME_DESA]
    assert not candidate.deceased


def test_accents_and_case_do_not_hide_a_duplicate(nurhayati, scope, region):
    found = likely_duplicates(scope=scope("pustu.bayua"), name="NURHAYÁTI", birth_date=BORN, region=region(BAYUA))
    candidate = _found(found, nurhayati)
    assert candidate is not None and candidate.score == 100
    assert candidate.reasons[:2] == [REASON_SAME_NAME, REASON_SAME_BIRTH_DATE]


def test_a_different_name_is_not_a_candidate(nurhayati, scope, region):
    found = likely_duplicates(scope=scope("pustu.bayua"), name="Yusnimar", birth_date=BORN, region=region(BAYUA))
    assert _found(found, nurhayati) is None
    assert name_score("Nurhayati", "Yusnimar") < 85


def test_another_desa_is_not_searched(nurhayati, scope, region):
    # given a scope that sees both nagari, when the new person lives in Maninjau, then Bayua is not searched
    found = likely_duplicates(scope=scope("kapus.maninjau"), name="Nurhayati", birth_date=BORN, region=region(MANINJAU))
    assert _found(found, nurhayati) is None
    found = likely_duplicates(scope=scope("kapus.maninjau"), name="Nurhayati", birth_date=BORN, region=region(BAYUA))
    assert _found(found, nurhayati) is not None


def test_a_birth_date_outside_the_window_is_not_a_candidate_unless_estimated(nurhayati, scope, region):
    later = BORN + dt.timedelta(days=60)
    exact = likely_duplicates(scope=scope("pustu.bayua"), name="Nurhayati", birth_date=later, region=region(BAYUA))
    assert _found(exact, nurhayati) is None
    estimated = likely_duplicates(
        scope=scope("pustu.bayua"), name="Nurhayati", birth_date=later, birth_date_estimated=True, region=region(BAYUA)
    )
    assert _found(estimated, nurhayati) is not None


def test_a_person_outside_the_scope_is_not_shown(make_family, scope):
    # given Nurhayati registered in Maninjau by the puskesmas
    family = make_family(
        username="kapus.maninjau", code=MANINJAU, members=[wife_data(name="Nurhayati", birth_date=BORN)]
    )
    person = family.memberships.get(relationship="istri").person
    # then the Bayua pustu does not see her, the puskesmas does
    assert _found(likely_duplicates(scope=scope("pustu.bayua"), name="Nurhayati", birth_date=BORN), person) is None
    assert _found(likely_duplicates(scope=scope("kapus.maninjau"), name="Nurhayati", birth_date=BORN), person)
    assert likely_duplicates(scope=scope("camat.tanjungraya"), name="Nurhayati", birth_date=BORN) == []


def test_same_family_and_deceased_are_flagged(nurhayati, scope, users):
    # given Nurhayati recorded as deceased
    family = nurhayati.memberships.get().family
    person_record_death(scope=scope("pustu.bayua"), person=nurhayati, died_on=dt.date(2024, 1, 5))
    # when a member of her family is checked, then she is shown, flagged
    candidate = _found(
        likely_duplicates(scope=scope("pustu.bayua"), name="Nurhayati", birth_date=BORN, family=family), nurhayati
    )
    assert candidate.deceased
    assert REASON_SAME_FAMILY in candidate.reasons and REASON_DECEASED in candidate.reasons


def test_the_record_itself_can_be_excluded(nurhayati, scope):
    found = likely_duplicates(scope=scope("pustu.bayua"), name="Nurhayati", birth_date=BORN, exclude=nurhayati)
    assert _found(found, nurhayati) is None


def test_duplicate_pairs_of_an_area_at_the_birth_date_tolerance_and_with_two_niks(users, scope, region):
    from ilp.people.duplicates import BIRTH_DATE_TOLERANCE_DAYS, duplicate_pairs
    from ilp.people.services import family_register
    from tests.people.conftest import BAYUA, kk, nik

    user = users["pustu.bayua"]
    born = dt.date(1960, 1, 15)

    def register(name, birth_date, with_nik=False):
        head = {"name": name, "sex": "M", "birth_date": birth_date}
        head |= {"nik": nik(birth_date, "M")} if with_nik else {"nik_missing_reason": "not_recorded"}
        return family_register(
            scope=scope("pustu.bayua"), region=region(BAYUA), kk_number=kk(), head=head, actor=user
        ).head

    a = register("Zulkifli Sutan Batuah", born)
    b = register("Zulkifli St. Batuah", born + dt.timedelta(days=BIRTH_DATE_TOLERANCE_DAYS))
    register("Zulkifli Sutan Batuah", born + dt.timedelta(days=2 * BIRTH_DATE_TOLERANCE_DAYS + 1))
    c = register("Afrizal Malin Kayo", dt.date(1970, 5, 5), with_nik=True)
    register("Afrizal Malin Kayo", dt.date(1970, 5, 5), with_nik=True)
    pairs = duplicate_pairs(scope=scope("pustu.bayua"))
    assert [{p.first, p.second} for p in pairs] == [{a, b}]
    assert all(c not in (p.first, p.second) for p in pairs)
    # and nothing for a role without person-level data
    assert duplicate_pairs(scope=scope("camat.tanjungraya")) == []
