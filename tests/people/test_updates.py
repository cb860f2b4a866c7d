"""Corrections, moves out and in, and the posyandu a family attends (issue #3)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.core.models import AuditAction, AuditEntry
from ilp.facilities.models import Facility, FacilityKind
from ilp.people.identity import SEX_FEMALE, WARN_NIK_SEX
from ilp.people.models import FamilyMembership, Migration, MigrationDirection, Person
from ilp.people.selectors import family_list, person_list
from ilp.people.services import (
    ERR_KK_TAKEN,
    ERR_MOVE_OUT_DATE,
    ERR_MOVED_OUT,
    ERR_NIK_REASON,
    ERR_POSYANDU_OUT_OF_SCOPE,
    ERR_POSYANDU_VILLAGE,
    ERR_READ_ONLY,
    DuplicateNik,
    NikWarnings,
    family_member_add,
    family_update,
    person_move,
    person_move_out,
    person_update,
)
from tests.people.conftest import BAYUA, MANINJAU, kk, nik, wife_data

pytestmark = pytest.mark.django_db


def _posyandu(village_code: str, index: int = 0) -> Facility:
    return Facility.objects.filter(kind=FacilityKind.POSYANDU, region__village__code=village_code).order_by("id")[index]


def test_a_correction_is_saved_with_a_new_search_key_and_audited(make_family, scope, users):
    family = make_family()
    head = family.head
    person_update(
        scope=scope("pustu.bayua"),
        person=head,
        name="  Syafril   Dt. Rajo ",
        phone="0812 1",
        actor=users["pustu.bayua"],
    )
    head.refresh_from_db()
    assert (head.name, head.name_search, head.phone) == ("Syafril Dt. Rajo", "syafril dt rajo", "0812 1")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(head.external_id)).latest("id")
    assert entry.changes["name"] == ["Syafril Datuak", "Syafril Dt. Rajo"]


def test_a_nik_correction_is_checked_like_a_new_one(make_family, scope):
    family = make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    pustu = scope("pustu.bayua")
    with pytest.raises(DuplicateNik) as taken:
        person_update(scope=pustu, person=wife, nik=family.head.nik)
    assert taken.value.existing == family.head
    # A man's NIK on a woman is a warning to confirm, not an error.
    male_nik = nik(wife.birth_date, "M")
    with pytest.raises(NikWarnings) as warned:
        person_update(scope=pustu, person=Person.objects.get(pk=wife.pk), nik=male_nik)
    assert warned.value.warnings[0].startswith(str(WARN_NIK_SEX).split("%")[0])
    person_update(scope=pustu, person=Person.objects.get(pk=wife.pk), nik=male_nik, confirm_warnings=True)
    assert Person.objects.get(pk=wife.pk).nik == male_nik
    with pytest.raises(ValidationError) as err:
        person_update(scope=pustu, person=Person.objects.get(pk=wife.pk), nik="")
    assert err.value.message_dict == {"nik_missing_reason": [str(ERR_NIK_REASON)]}


def test_an_unchanged_nik_is_not_rechecked_for_warnings(make_family, scope):
    family = make_family()
    head = family.head
    person_update(scope=scope("pustu.bayua"), person=head, phone="0813")
    assert Person.objects.get(pk=head.pk).phone == "0813"


def test_a_family_correction_moves_its_members_scope_along(make_family, scope, region, users):
    family = make_family(members=[wife_data()])
    kapus = scope("kapus.maninjau")
    target = _posyandu(MANINJAU)
    family_update(scope=kapus, family=family, region=region(MANINJAU), posyandu=target, actor=users["kapus.maninjau"])
    members = Person.objects.filter(memberships__family=family, memberships__end_date__isnull=True)
    assert {(p.region.code, p.posyandu_id) for p in members} == {(MANINJAU, target.pk)}
    # The Bayua pustu no longer sees them; the kepala puskesmas does.
    assert family not in family_list(scope=scope("pustu.bayua"))
    assert set(person_list(scope=kapus, family=family)) == set(members)


def test_a_posyandu_must_serve_the_family_desa(make_family, scope):
    family = make_family()
    with pytest.raises(ValidationError) as err:
        family_update(scope=scope("kapus.maninjau"), family=family, posyandu=_posyandu(MANINJAU))
    assert err.value.message_dict == {"posyandu": [str(ERR_POSYANDU_VILLAGE)]}


def test_a_kk_correction_cannot_take_another_family_number(make_family, scope):
    first, second = make_family(), make_family()
    with pytest.raises(ValidationError) as err:
        family_update(scope=scope("pustu.bayua"), family=second, kk_number=first.kk_number)
    assert err.value.message_dict == {"kk_number": [str(ERR_KK_TAKEN)]}
    family_update(scope=scope("pustu.bayua"), family=second, kk_number=kk())


def test_a_kader_registers_families_of_own_posyandu_only(make_family, scope, users):
    kader = users["kader.bayua"]
    own = make_family(username="kader.bayua")
    assert own.posyandu_id == kader.facility_id
    other = _posyandu(BAYUA, 1) if _posyandu(BAYUA).pk == kader.facility_id else _posyandu(BAYUA)
    with pytest.raises(ValidationError) as err:
        family_update(scope=scope("kader.bayua"), family=own, posyandu=other)
    assert err.value.message_dict == {"posyandu": [str(ERR_POSYANDU_OUT_OF_SCOPE)]}
    # A family of the other posyandu of the same nagari is not the kader's.
    neighbour = make_family()
    family_update(scope=scope("pustu.bayua"), family=neighbour, posyandu=other)
    assert list(family_list(scope=scope("kader.bayua"))) == [own]
    assert neighbour.head not in person_list(scope=scope("kader.bayua"))
    with pytest.raises(ValidationError):
        person_update(scope=scope("kader.bayua"), person=neighbour.head, phone="0812")


def test_moving_out_closes_the_membership_and_moving_back_reopens(make_family, scope, users):
    family = make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    pustu = scope("pustu.bayua")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        person_move_out(scope=pustu, person=wife, on=today + dt.timedelta(days=1))
    start = FamilyMembership.objects.get(person=wife, end_date__isnull=True).start_date.strftime("%d-%m-%Y")
    assert err.value.message_dict == {"on": [str(ERR_MOVE_OUT_DATE) % {"start": start}]}
    person_move_out(scope=pustu, person=wife, on=today, place="Pekanbaru", actor=users["pustu.bayua"])
    wife.refresh_from_db()
    assert wife.moved_out_on == today and not wife.is_active
    assert not FamilyMembership.objects.filter(person=wife, end_date__isnull=True).exists()
    assert Migration.objects.get(person=wife).direction == MigrationDirection.OUT
    with pytest.raises(ValidationError) as again:
        person_move_out(scope=pustu, person=wife, on=today)
    assert again.value.message_dict == {"person": [str(ERR_MOVED_OUT)]}
    person_move(scope=pustu, person=wife, to_family=family, relationship="istri", on=today)
    wife.refresh_from_db()
    assert wife.moved_out_on is None and wife.is_active


def test_a_person_moving_in_is_recorded(make_family, scope):
    family = make_family()
    born = dt.date(1995, 1, 5)
    person = family_member_add(
        scope=scope("pustu.bayua"),
        family=family,
        name="Rini",
        sex=SEX_FEMALE,
        birth_date=born,
        nik=nik(born, SEX_FEMALE),
        relationship="famili_lain",
        moved_in_from="Kota Padang",
    )
    migration = Migration.objects.get(person=person)
    assert (migration.direction, migration.place, migration.date) == ("in", "Kota Padang", timezone.localdate())


def test_the_pemdes_reads_the_register_but_cannot_change_it(make_family, scope, region):
    # given a family in nagari Maninjau, read by the wali nagari
    family = make_family(username="kapus.maninjau", code=MANINJAU)
    pemdes = scope("walinagari.maninjau")
    assert list(family_list(scope=pemdes)) == [family]
    # when / then every write is refused
    with pytest.raises(PermissionDenied) as err:
        person_update(scope=pemdes, person=family.head, phone="0812")
    assert str(err.value) == str(ERR_READ_ONLY)
    with pytest.raises(PermissionDenied):
        family_update(scope=pemdes, family=family, address_text="x")
