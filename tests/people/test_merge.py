"""Merging duplicate person records: history moves to the survivor, household-aware, audited, reviewable."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.core.models import AuditAction, AuditEntry
from ilp.people.identity import SEX_FEMALE
from ilp.people.merge import ERR_MERGE_ALREADY, ERR_MERGE_SAME, ERR_MERGE_TWO_NIKS, person_merge
from ilp.people.models import Family, FamilyMembership, Person, PersonMerge, PersonNameKey, Pregnancy, Relationship
from ilp.people.selectors import family_members, person_get, person_list, person_merge_list
from ilp.people.services import (
    ERR_NO_PERSON_DATA,
    ERR_PERSON_OUT_OF_SCOPE,
    family_member_add,
    pregnancy_record,
)
from tests.people.conftest import MANINJAU, nik, wife_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BORN = dt.date(1990, 8, 3)


def _wife(family):
    return family.memberships.get(relationship=Relationship.WIFE).person


def _add_without_nik(scope, family, relationship="famili_lain", **extra):
    return family_member_add(
        scope=scope, family=family, relationship=relationship, name="Nur Hayati", sex=SEX_FEMALE,
        birth_date=BORN, nik_missing_reason="not_recorded", **extra,
    )  # fmt: skip


def test_same_family_merge_moves_history_and_keeps_one_current_membership(make_family, scope, users):
    # given Nurhayati (with NIK) and a second record "Nur Hayati" in the same family, pregnant
    s = scope("pustu.bayua")
    family = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    survivor = _wife(family)
    duplicate = _add_without_nik(s, family)
    pregnancy = pregnancy_record(scope=s, person=duplicate, lmp_date=TODAY - dt.timedelta(days=60))
    # when merged
    event = person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="dobel", actor=users["pustu.bayua"])
    # then the pregnancy and both memberships belong to the survivor, only her own one is current
    pregnancy.refresh_from_db()
    assert pregnancy.person == survivor
    rows = FamilyMembership.objects.filter(person=survivor)
    assert rows.count() == 2
    current = rows.get(end_date__isnull=True)
    assert current.relationship == Relationship.WIFE
    assert rows.get(end_date__isnull=False).end_date == TODAY
    assert not FamilyMembership.objects.filter(person=duplicate).exists()
    assert [m.person for m in family_members(family=family)].count(survivor) == 1
    assert event.snapshot["moved"] == {"people.familymembership": 1, "people.pregnancy": 1}
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.is_merged
    # and the name keys stay with each record: the survivor is not found by the duplicate's spelling
    assert list(PersonNameKey.objects.filter(person=survivor).values_list("key", flat=True)) == ["nurhayati"]
    assert list(person_list(scope=s, search="nur hay")) == []


def test_different_families_keep_the_survivors_membership_and_close_the_duplicates(make_family, scope, users):
    # given Nurhayati in one family and "Nur Hayati" heading another
    s = scope("pustu.bayua")
    home = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    survivor = _wife(home)
    other = make_family(name="Nur Hayati", sex=SEX_FEMALE, birth_date=BORN, nik="", nik_missing_reason="unknown")
    duplicate = other.head
    # when merged
    event = person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="dobel", actor=users["pustu.bayua"])
    # then she stays in her own family, the other membership is closed history, and both are recorded
    assert FamilyMembership.objects.get(person=survivor, end_date__isnull=True).family == home
    closed = FamilyMembership.objects.get(person=survivor, family=other)
    assert closed.end_date == TODAY
    assert event.snapshot["kept_membership"]["family"] == str(home.external_id)
    assert event.snapshot["closed_membership"]["family"] == str(other.external_id)
    # and the family she no longer lives in is left headless, as after a move
    other.refresh_from_db()
    assert other.head is None
    assert event.snapshot["heads"] == [{"family": str(other.external_id), "head": None}]


def test_a_family_headed_by_the_duplicate_gets_the_survivor_as_head(make_family, scope, users):
    # given "Nur Hayati" heading a family in which Nurhayati is also recorded as a relative
    s = scope("pustu.bayua")
    family = make_family(name="Nur Hayati", sex=SEX_FEMALE, birth_date=BORN, nik="", nik_missing_reason="unknown")
    duplicate = family.head
    survivor = family_member_add(
        scope=s, family=family, **wife_data(name="Nurhayati", birth_date=BORN, relationship="famili_lain")
    )
    # when merged
    person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="dobel", actor=users["pustu.bayua"])
    # then the survivor heads the family and her current membership says so
    family.refresh_from_db()
    assert family.head == survivor
    assert FamilyMembership.objects.get(person=survivor, end_date__isnull=True).relationship == Relationship.HEAD


def test_the_nik_and_empty_fields_move_to_the_survivor(make_family, scope, users):
    # given a survivor without NIK and phone, and a duplicate with both
    s = scope("pustu.bayua")
    family = make_family()
    survivor = _add_without_nik(s, family, jkn_number="0001234567890")
    duplicate = family_member_add(
        scope=s, family=family, **wife_data(name="Nurhayati", birth_date=BORN, relationship="famili_lain",
                                            phone="081234567890", jkn_number="0009999999999")
    )  # fmt: skip
    moved_nik = duplicate.nik
    # when merged
    person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="dobel", actor=users["pustu.bayua"])
    # then the NIK and phone moved, the survivor's own JKN number won, and the NIK is found on the survivor
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.nik, survivor.nik_missing_reason) == (moved_nik, "")
    assert survivor.phone == "081234567890"
    assert survivor.jkn_number == "0001234567890"
    assert duplicate.nik is None
    assert list(person_list(scope=s, search=moved_nik)) == [survivor]


def test_two_different_niks_are_refused_and_nothing_changes(make_family, scope, users):
    s = scope("pustu.bayua")
    family = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    survivor = _wife(family)
    duplicate = family_member_add(
        scope=s, family=family, **wife_data(name="Nur Hayati", nik=nik(BORN, SEX_FEMALE), relationship="famili_lain")
    )
    with pytest.raises(ValidationError) as err:
        person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="dobel", actor=users["pustu.bayua"])
    assert err.value.message_dict == {"duplicate": [str(ERR_MERGE_TWO_NIKS)]}
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.nik
    assert not PersonMerge.objects.filter(merged=duplicate).exists()


def test_a_person_cannot_be_merged_into_itself_or_twice(make_family, scope, users):
    s = scope("pustu.bayua")
    family = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    survivor = _wife(family)
    with pytest.raises(ValidationError) as err:
        person_merge(scope=s, survivor=survivor, duplicate=survivor, reason="dobel")
    assert err.value.message_dict == {"duplicate": [str(ERR_MERGE_SAME)]}
    duplicate = _add_without_nik(s, family)
    person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="dobel")
    with pytest.raises(ValidationError) as err:
        person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="lagi")
    assert err.value.message_dict == {"duplicate": [str(ERR_MERGE_ALREADY)]}


def test_a_duplicate_outside_the_scope_is_refused(make_family, scope):
    # given Nurhayati in Bayua and a "Nur Hayati" registered in Maninjau by the puskesmas
    survivor = _wife(make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)]))
    elsewhere = _add_without_nik(scope("kapus.maninjau"), make_family(username="kapus.maninjau", code=MANINJAU))
    # when the Bayua pustu merges them, then it is refused; the puskesmas may
    with pytest.raises(ValidationError) as err:
        person_merge(scope=scope("pustu.bayua"), survivor=survivor, duplicate=elsewhere, reason="dobel")
    assert err.value.message_dict == {"duplicate": [str(ERR_PERSON_OUT_OF_SCOPE)]}
    assert person_merge(scope=scope("kapus.maninjau"), survivor=survivor, duplicate=elsewhere, reason="dobel")


def test_lintas_sektor_cannot_merge(make_family, scope):
    s = scope("pustu.bayua")
    family = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    duplicate = _add_without_nik(s, family)
    with pytest.raises(PermissionDenied, match=str(ERR_NO_PERSON_DATA)):
        person_merge(scope=scope("camat.tanjungraya"), survivor=_wife(family), duplicate=duplicate, reason="dobel")
    assert not Person.objects.get(pk=duplicate.pk).is_merged


def test_merge_is_audited_recorded_and_hides_the_duplicate(make_family, scope, users):
    # given two records of the same woman
    s = scope("pustu.bayua")
    nurse = users["pustu.bayua"]
    family = make_family(members=[wife_data(name="Nurhayati", birth_date=BORN)])
    survivor = _wife(family)
    duplicate = family_member_add(
        scope=s, family=family, relationship="famili_lain", name="Nur Hayati", sex=SEX_FEMALE, birth_date=BORN,
        nik_missing_reason="not_recorded", phone="0812111222",
    )  # fmt: skip
    # when merged
    event = person_merge(scope=s, survivor=survivor, duplicate=duplicate, reason="KK ganda", actor=nurse)
    # then both records have an update audit entry by the nurse
    on_survivor = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(survivor.external_id))
    assert on_survivor.actor_username == "pustu.bayua"
    assert on_survivor.changes["phone"] == ["", "0812111222"]
    on_duplicate = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(duplicate.external_id))
    assert on_duplicate.changes["merged_into"] == [None, survivor.pk]
    # and the event is reviewable in scope, with the duplicate as it was
    assert (event.survivor, event.merged, event.merged_by, event.reason) == (survivor, duplicate, nurse, "KK ganda")
    assert event.snapshot["person"]["name"] == "Nur Hayati"
    assert person_merge_list(scope=s).first() == event
    assert not person_merge_list(scope=scope("camat.tanjungraya")).exists()
    # and the duplicate has left the selectors
    assert duplicate not in person_list(scope=s, search="Hayati")
    assert survivor in person_list(scope=s, search="Nurhayati")
    with pytest.raises(Person.DoesNotExist):
        person_get(scope=s, external_id=duplicate.external_id)
    assert Family.objects.get(pk=family.pk).head != duplicate
    assert Pregnancy.objects.filter(person=duplicate).count() == 0
