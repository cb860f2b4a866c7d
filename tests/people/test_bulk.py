"""Bulk family registration: the rules of the services, set-based, all-or-nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.core.models import AuditAction, AuditEntry
from ilp.people.bulk import ERR_DRAFT, ERR_NIK_TWICE, ERR_ONE_HEAD, FamilyDraft, PersonDraft, families_bulk_register
from ilp.people.identity import SEX_FEMALE, SEX_MALE
from ilp.people.models import Family, FamilyMembership, Person, PersonNameKey, Relationship
from ilp.people.services import (
    ERR_BIRTH_FUTURE,
    ERR_KK_TAKEN,
    ERR_NIK_REASON,
    ERR_NIK_TAKEN,
    ERR_REGION_OUT_OF_SCOPE,
    NikWarnings,
    family_register,
)
from tests.people.conftest import BAYUA, MANINJAU, head_data, kk, nik, wife_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _draft(region_id, *, kk_number=None, head_nik=None, wife_nik=None, **family):
    head_born, wife_born = dt.date(1985, 4, 12), dt.date(1990, 8, 3)
    members = [
        PersonDraft(
            name="  Syafril   Datuak ",
            sex=SEX_MALE,
            birth_date=head_born,
            relationship=Relationship.HEAD,
            nik=head_nik or nik(head_born, SEX_MALE),
        ),
        PersonDraft(
            name="Yusnimar",
            sex=SEX_FEMALE,
            birth_date=wife_born,
            relationship=Relationship.WIFE,
            nik=wife_nik or nik(wife_born, SEX_FEMALE),
            joined_on=dt.date(2010, 1, 1),
        ),
    ]
    return FamilyDraft(
        region_id=region_id, members=members, kk_number=kk_number or kk(), address_text="Jorong Pasa", **family
    )


def _field(err: ValidationError, name: str) -> list[str]:
    return [str(m) for m in err.message_dict[name]]


def test_bulk_writes_the_same_rows_as_the_services(users, scope, region):
    # given the same family registered once through the service and once in bulk
    nurse = users["pustu.bayua"]
    bayua = region(BAYUA)
    by_service = family_register(
        scope=scope("pustu.bayua"), region=bayua, kk_number=kk(), address_text="Jorong Pasa",
        head=head_data(name="  Syafril   Datuak "), members=[wife_data()], actor=nurse,
    )  # fmt: skip
    # when
    result = families_bulk_register(scope=scope("pustu.bayua"), families=[_draft(bayua.pk)], actor=nurse)
    # then the family, its head and members look alike, field by field
    family = Family.objects.get(external_id=result.family_external_ids[0])
    assert (result.families, result.persons, result.memberships) == (1, 2, 2)
    for attr in ("region_id", "posyandu_id", "address_text", "kk_missing_reason", "created_by_id"):
        assert getattr(family, attr) == getattr(by_service, attr), attr
    assert family.head.name == by_service.head.name == "Syafril Datuak"
    assert family.head.name_search == "syafril datuak"
    persons = {p.name: p for p in Person.objects.filter(external_id__in=result.person_external_ids[0])}
    assert set(persons) == {"Syafril Datuak", "Yusnimar"}
    for person in persons.values():
        assert (person.region_id, person.posyandu_id) == (family.region_id, family.posyandu_id)
    wife = FamilyMembership.objects.get(person=persons["Yusnimar"])
    assert (wife.family_id, wife.relationship, wife.start_date) == (family.pk, "istri", dt.date(2010, 1, 1))
    head = FamilyMembership.objects.get(person=family.head)
    assert (head.relationship, head.start_date, head.end_date) == ("kepala_keluarga", TODAY, None)

    # and both heads have the same name keys, so a search finds them alike
    def keys(person):
        return sorted(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))

    assert keys(family.head) == keys(by_service.head) == ["datuak", "syafril datuak"]


def test_bulk_writes_one_audit_entry_per_created_row(users, scope, region):
    # given
    nurse = users["pustu.bayua"]
    before = AuditEntry.objects.count()
    # when two families of two are registered
    drafts = [_draft(region(BAYUA).pk), _draft(region(BAYUA).pk)]
    result = families_bulk_register(scope=scope("pustu.bayua"), families=drafts, actor=nurse)
    # then 2 families + 4 persons + 4 memberships are logged as creates by the nurse
    assert AuditEntry.objects.count() - before == 10
    family_id = str(result.family_external_ids[0])
    entry = AuditEntry.objects.get(object_id=family_id)
    assert (entry.action, entry.object_type, entry.actor_id) == (AuditAction.CREATE, "people.family", nurse.pk)
    assert entry.changes["address_text"] == [None, "Jorong Pasa"]
    assert "head" in entry.changes
    person_entry = AuditEntry.objects.get(object_id=str(result.person_external_ids[1][1]))
    assert person_entry.changes["name"] == [None, "Yusnimar"] and person_entry.object_repr == "Yusnimar"


def test_bulk_refuses_a_desa_outside_the_scope_and_writes_nothing(users, scope, region):
    # given a pustu nurse of Bayua and a family of Maninjau after a valid Bayua family
    drafts = [_draft(region(BAYUA).pk), _draft(region(MANINJAU).pk)]
    families_before = Family.objects.count()
    # when / then
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(scope=scope("pustu.bayua"), families=drafts, actor=users["pustu.bayua"])
    assert caught.value.family_index == 1 and caught.value.person_index is None
    assert str(ERR_REGION_OUT_OF_SCOPE) in _field(caught.value, "region")[0]
    assert Family.objects.count() == families_before


def test_bulk_refuses_aggregate_only_roles(scope, region):
    with pytest.raises(PermissionDenied):
        families_bulk_register(scope=scope("camat.tanjungraya"), families=[_draft(region(BAYUA).pk)])


def test_a_nik_twice_in_the_batch_is_refused_naming_the_second(scope, region):
    # given two families sharing a wife's NIK
    shared = nik(dt.date(1990, 8, 3), SEX_FEMALE)
    drafts = [_draft(region(BAYUA).pk, wife_nik=shared), _draft(region(BAYUA).pk, wife_nik=shared)]
    persons_before = Person.objects.count()
    # when / then
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(scope=scope("pustu.bayua"), families=drafts)
    assert (caught.value.family_index, caught.value.person_index, caught.value.field) == (1, 1, "nik")
    assert _field(caught.value, "nik") == [str(ERR_DRAFT) % {"family": 2, "person": 2, "message": ERR_NIK_TWICE}]
    assert Person.objects.count() == persons_before


def test_a_nik_already_registered_is_refused(make_family, scope, region):
    # given a registered family
    existing = make_family()
    # when a bulk draft reuses its head's NIK
    draft = _draft(region(BAYUA).pk, head_nik=existing.head.nik)
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(scope=scope("pustu.bayua"), families=[draft])
    # then the service's message names the person (visible to the nurse)
    assert _field(caught.value, "nik") == [
        str(ERR_DRAFT) % {"family": 1, "person": 1, "message": str(ERR_NIK_TAKEN) % {"name": existing.head.name}}
    ]


def test_a_kk_already_registered_or_a_second_head_is_refused(make_family, scope, region):
    existing = make_family()
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(
            scope=scope("pustu.bayua"), families=[_draft(region(BAYUA).pk, kk_number=existing.kk_number)]
        )
    assert str(ERR_KK_TAKEN) in _field(caught.value, "kk_number")[0]
    two_heads = _draft(region(BAYUA).pk)
    two_heads.members[1].relationship = Relationship.HEAD
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(scope=scope("pustu.bayua"), families=[two_heads])
    assert str(ERR_ONE_HEAD) in _field(caught.value, "relationship")[0]


def test_missing_nik_needs_a_reason_and_birth_dates_are_not_in_the_future(scope, region):
    no_reason = _draft(region(BAYUA).pk)
    no_reason.members[1].nik = ""
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(scope=scope("pustu.bayua"), families=[no_reason])
    assert _field(caught.value, "nik_missing_reason") == [
        str(ERR_DRAFT) % {"family": 1, "person": 2, "message": ERR_NIK_REASON}
    ]
    future = _draft(region(BAYUA).pk)
    future.members[1].birth_date = TODAY + dt.timedelta(days=1)
    future.members[1].nik, future.members[1].nik_missing_reason = "", "newborn"
    with pytest.raises(ValidationError) as caught:
        families_bulk_register(scope=scope("pustu.bayua"), families=[future])
    assert str(ERR_BIRTH_FUTURE) in _field(caught.value, "birth_date")[0]


def test_nik_warnings_need_confirmation(scope, region):
    # given a wife whose NIK encodes another birth date
    draft = _draft(region(BAYUA).pk, wife_nik=nik(dt.date(1991, 1, 1), SEX_FEMALE))
    # when not confirmed, then refused; when confirmed, registered
    with pytest.raises(NikWarnings):
        families_bulk_register(scope=scope("pustu.bayua"), families=[draft], confirm_warnings=False)
    assert families_bulk_register(scope=scope("pustu.bayua"), families=[draft]).persons == 2


def test_an_error_in_a_later_chunk_rolls_back_the_earlier_chunks(scope, region):
    # given 5 valid families and a 6th whose head is born tomorrow, written 2 persons per chunk
    drafts = [_draft(region(BAYUA).pk) for _ in range(6)]
    drafts[5].members[0].birth_date = TODAY + dt.timedelta(days=1)
    before = (Family.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    seen = []
    # when
    with pytest.raises(ValidationError):
        families_bulk_register(scope=scope("pustu.bayua"), families=drafts, chunk_size=2, progress=seen.append)
    # then the earlier chunks were written, and rolled back
    assert seen == [2, 4, 6, 8, 10]
    assert (Family.objects.count(), Person.objects.count(), AuditEntry.objects.count()) == before


def test_bulk_audit_changes_equal_what_audit_create_writes(scope, region):
    # given
    from ilp.core.audit import diff, snapshot

    result = families_bulk_register(scope=scope("pustu.bayua"), families=[_draft(region(BAYUA).pk)])
    # then each entry's changes are audit_create's for the stored row
    family = Family.objects.get(external_id=result.family_external_ids[0])
    membership = FamilyMembership.objects.get(person=family.head)
    for obj in (family, family.head, membership):
        entry = AuditEntry.objects.get(object_id=str(obj.external_id))
        assert entry.changes == diff(None, snapshot(obj)), obj
        assert entry.object_repr == str(obj)
