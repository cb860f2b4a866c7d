"""Registering families and persons, moves, deaths and pregnancies through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.core.models import AuditAction, AuditEntry
from ilp.people.identity import ERR_NIK_DIGITS, SEX_FEMALE, SEX_MALE, WARN_KK_REGION, WARN_NIK_BIRTH_DATE
from ilp.people.models import Family, FamilyMembership, Person, Pregnancy, Relationship
from ilp.people.services import (
    ERR_DEATH_BEFORE_BIRTH,
    ERR_DEATH_FUTURE,
    ERR_FAMILY_OUT_OF_SCOPE,
    ERR_HEAD_EXISTS,
    ERR_KK_REASON,
    ERR_KK_TAKEN,
    ERR_LMP_AGE,
    ERR_LMP_FUTURE,
    ERR_LMP_TOO_OLD,
    ERR_MOVE_DATE,
    ERR_NIK_REASON,
    ERR_NIK_TAKEN,
    ERR_NIK_TAKEN_ELSEWHERE,
    ERR_NO_PERSON_DATA,
    ERR_PREGNANCY_OPEN,
    ERR_PREGNANCY_SEX,
    ERR_REGION_LEVEL,
    ERR_REGION_OUT_OF_SCOPE,
    LMP_MAX_DAYS_AGO,
    DuplicateNik,
    KkWarnings,
    NikWarnings,
    family_member_add,
    family_register,
    person_move,
    person_record_death,
    person_register,
    pregnancy_end,
    pregnancy_record,
)
from tests.people.conftest import BAYUA, MANINJAU, TANJUNG_RAYA, head_data, kk, nik, wife_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _audited(obj, action=AuditAction.CREATE):
    return AuditEntry.objects.filter(action=action, object_id=str(obj.external_id))


def test_a_family_is_registered_with_head_and_members_and_audited(users, scope, region):
    # given a pustu nurse in Bayua
    nurse = users["pustu.bayua"]
    # when she registers a family with a wife
    family = family_register(
        scope=scope("pustu.bayua"), region=region(BAYUA), kk_number=kk(), address_text="Jorong Pasa",
        head=head_data(), members=[wife_data()], actor=nurse,
    )  # fmt: skip
    # then the head heads it, both are current members, and their region is the family's
    head = family.head
    assert head.name == "Syafril Datuak"
    members = FamilyMembership.objects.filter(family=family, end_date__isnull=True)
    assert sorted(members.values_list("relationship", flat=True)) == ["istri", "kepala_keluarga"]
    assert set(Person.objects.filter(memberships__family=family).values_list("region__code", flat=True)) == {BAYUA}
    assert _audited(family).get().actor_username == "pustu.bayua"
    assert _audited(head).exists()
    assert _audited(family, AuditAction.UPDATE).get().changes["head"] == [None, head.pk]


def test_a_newborn_without_nik_is_added_with_a_reason(make_family, scope):
    family = make_family()
    baby = family_member_add(
        scope=scope("pustu.bayua"), family=family, relationship=Relationship.CHILD, name="Bayi Ny. Yusnimar",
        sex=SEX_FEMALE, birth_date=TODAY - dt.timedelta(days=3), nik_missing_reason="newborn",
    )  # fmt: skip
    assert (baby.nik, baby.nik_missing_reason, baby.region_id) == (None, "newborn", family.region_id)
    assert baby.memberships.get().family == family


def test_no_nik_and_no_reason_is_refused(make_family, scope):
    family = make_family()
    with pytest.raises(ValidationError) as err:
        family_member_add(
            scope=scope("pustu.bayua"), family=family, relationship=Relationship.CHILD, name="Anak",
            sex=SEX_MALE, birth_date=dt.date(2020, 1, 1),
        )  # fmt: skip
    assert err.value.message_dict == {"nik_missing_reason": [str(ERR_NIK_REASON)]}


def test_a_malformed_nik_is_an_error_and_nothing_is_saved(make_family, scope):
    family = make_family()
    persons = Person.objects.count()
    with pytest.raises(ValidationError) as err:
        family_member_add(scope=scope("pustu.bayua"), family=family, **wife_data(nik="13060312"))
    assert err.value.message_dict == {"nik": [str(ERR_NIK_DIGITS)]}
    assert Person.objects.count() == persons


def test_a_nik_whose_date_disagrees_needs_confirmation(make_family, scope):
    # given a NIK encoding 3 August 1990 and a recorded birth date a day later
    family = make_family()
    data = wife_data(nik=nik(dt.date(1990, 8, 3), SEX_FEMALE), birth_date=dt.date(1990, 8, 4))
    # when registered without confirmation, then the warning is raised and nothing saved
    with pytest.raises(NikWarnings) as err:
        family_member_add(scope=scope("pustu.bayua"), family=family, **data)
    assert err.value.warnings == [str(WARN_NIK_BIRTH_DATE) % {"nik_date": "03-08-1990"}]
    assert not Person.objects.filter(nik=data["nik"]).exists()
    # when confirmed, then it is saved
    person = family_member_add(scope=scope("pustu.bayua"), family=family, confirm_warnings=True, **data)
    assert person.nik == data["nik"]


def test_a_registered_nik_is_refused_naming_the_existing_person(make_family, scope):
    family = make_family()
    taken = family.head.nik
    with pytest.raises(DuplicateNik) as err:
        family_member_add(
            scope=scope("pustu.bayua"),
            family=family,
            **head_data(name="Orang Lain", nik=taken, relationship="famili_lain"),
        )
    assert err.value.existing == family.head
    assert err.value.message_dict == {"nik": [str(ERR_NIK_TAKEN) % {"name": "Syafril Datuak"}]}


def test_a_nik_registered_outside_the_scope_is_refused_without_naming_the_person(make_family, scope):
    # given a family in nagari Maninjau registered by the puskesmas
    family = make_family(username="kapus.maninjau", code=MANINJAU)
    # when the Bayua pustu registers someone with the same NIK
    with pytest.raises(DuplicateNik) as err:
        family_member_add(
            scope=scope("pustu.bayua"),
            family=make_family(),
            **head_data(name="Orang Lain", nik=family.head.nik, relationship="famili_lain"),
        )
    # then the NIK is refused, but the person in Maninjau is neither named nor linked
    assert err.value.existing is None
    assert err.value.message_dict == {"nik": [str(ERR_NIK_TAKEN_ELSEWHERE)]}


def test_a_second_head_is_refused(make_family, scope):
    family = make_family()
    with pytest.raises(ValidationError) as err:
        family_member_add(scope=scope("pustu.bayua"), family=family, **wife_data(relationship=Relationship.HEAD))
    assert err.value.message_dict == {"relationship": [str(ERR_HEAD_EXISTS)]}


def test_a_bad_member_rolls_back_the_family_and_its_head(users, scope, region):
    # given a family whose second member has a malformed NIK
    counts = (
        Family.objects.count(),
        Person.objects.count(),
        FamilyMembership.objects.count(),
        AuditEntry.objects.count(),
    )
    head = head_data()
    members = [wife_data(), wife_data(name="Anak", relationship="anak", nik="123")]
    # when it is registered, then the error names the row and the field
    with pytest.raises(ValidationError) as err:
        family_register(scope=scope("pustu.bayua"), region=region(BAYUA), kk_number=kk(), head=head, members=members)
    assert err.value.row == 2
    assert err.value.message_dict == {"nik": [str(ERR_NIK_DIGITS)]}
    # and nothing of the family, head or first member was written
    after = (
        Family.objects.count(),
        Person.objects.count(),
        FamilyMembership.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == counts
    assert not Person.objects.filter(nik=head["nik"]).exists()


def test_kk_number_rules(users, scope, region):
    bayua, pustu = region(BAYUA), scope("pustu.bayua")
    # a KK from an unknown kecamatan needs confirmation
    odd = kk("99.99.99")
    with pytest.raises(KkWarnings) as err:
        family_register(scope=pustu, region=bayua, kk_number=odd, head=head_data())
    assert err.value.message_dict == {"kk_number": [str(WARN_KK_REGION) % {"code": "999999"}]}
    family = family_register(scope=pustu, region=bayua, kk_number=odd, head=head_data(), confirm_warnings=True)
    # the same KK twice is refused
    with pytest.raises(ValidationError) as err:
        family_register(scope=pustu, region=bayua, kk_number=family.kk_number, head=head_data())
    assert err.value.message_dict == {"kk_number": [str(ERR_KK_TAKEN)]}
    # no KK needs a reason
    with pytest.raises(ValidationError) as err:
        family_register(scope=pustu, region=bayua, head=head_data())
    assert err.value.message_dict == {"kk_missing_reason": [str(ERR_KK_REASON)]}
    assert family_register(scope=pustu, region=bayua, kk_missing_reason="KK hilang", head=head_data()).kk_number == ""


def test_a_family_lives_in_a_desa_not_a_kecamatan(scope, region):
    with pytest.raises(ValidationError) as err:
        family_register(scope=scope("kapus.maninjau"), region=region(TANJUNG_RAYA), kk_number=kk(), head=head_data())
    assert err.value.message_dict == {"region": [str(ERR_REGION_OUT_OF_SCOPE)]}
    with pytest.raises(ValidationError) as err:
        family_register(scope=scope("dinkes.agam"), region=region(TANJUNG_RAYA), kk_number=kk(), head=head_data())
    assert err.value.message_dict == {"region": [str(ERR_REGION_LEVEL)]}


def test_a_pustu_nurse_cannot_register_a_family_in_another_nagari(scope, region):
    families = Family.objects.count()
    with pytest.raises(ValidationError) as err:
        family_register(scope=scope("pustu.bayua"), region=region(MANINJAU), kk_number=kk(), head=head_data())
    assert err.value.message_dict == {"region": [str(ERR_REGION_OUT_OF_SCOPE)]}
    assert Family.objects.count() == families


def test_lintas_sektor_cannot_register_persons(scope, region):
    with pytest.raises(PermissionDenied, match=str(ERR_NO_PERSON_DATA)):
        family_register(scope=scope("camat.tanjungraya"), region=region(BAYUA), kk_number=kk(), head=head_data())


def test_a_move_keeps_history_and_updates_the_region(users, make_family, scope):
    # given a wife in a Bayua family since 2020 and a family in Maninjau
    kapus = users["kapus.maninjau"]
    origin = make_family(members=[wife_data(joined_on=dt.date(2020, 1, 1))])
    wife = Person.objects.get(memberships__family=origin, memberships__relationship="istri")
    target = make_family(username="kapus.maninjau", code=MANINJAU, name="Zulkifli")
    # when she moves on 1 June 2025
    moved_on = dt.date(2025, 6, 1)
    person_move(
        scope=scope("kapus.maninjau"), person=wife, to_family=target, relationship="istri", on=moved_on, actor=kapus
    )
    # then the old membership is closed, a new one is open and her region is Maninjau's
    rows = list(wife.memberships.order_by("start_date").values_list("family_id", "start_date", "end_date"))
    assert rows == [(origin.pk, dt.date(2020, 1, 1), moved_on), (target.pk, moved_on, None)]
    wife.refresh_from_db()
    assert wife.region.code == MANINJAU
    update = _audited(wife, AuditAction.UPDATE).get()
    assert update.actor_username == "kapus.maninjau"
    assert update.changes["region"][1] == target.region_id


def test_a_head_who_moves_leaves_the_family_headless_and_dates_are_checked(make_family, scope):
    origin = make_family(joined_on=dt.date(2021, 5, 1))
    target = make_family()
    head = origin.head
    with pytest.raises(ValidationError) as err:
        person_move(
            scope=scope("pustu.bayua"), person=head, to_family=target, relationship="anak", on=dt.date(2021, 4, 30)
        )
    assert err.value.message_dict == {"on": [str(ERR_MOVE_DATE) % {"start": "01-05-2021"}]}
    person_move(scope=scope("pustu.bayua"), person=head, to_family=target, relationship="famili_lain", on=TODAY)
    origin.refresh_from_db()
    assert origin.head is None


def test_death_is_validated_and_audited(make_family, scope, users):
    head = make_family().head
    pustu = scope("pustu.bayua")
    with pytest.raises(ValidationError) as err:
        person_record_death(scope=pustu, person=head, died_on=head.birth_date - dt.timedelta(days=1))
    assert err.value.message_dict == {"died_on": [str(ERR_DEATH_BEFORE_BIRTH)]}
    with pytest.raises(ValidationError) as err:
        person_record_death(scope=pustu, person=head, died_on=TODAY + dt.timedelta(days=1))
    assert err.value.message_dict == {"died_on": [str(ERR_DEATH_FUTURE)]}
    person_record_death(scope=pustu, person=head, died_on=TODAY, cause="stroke", actor=users["pustu.bayua"])
    head.refresh_from_db()
    assert (head.death_date, head.death_cause, head.is_alive) == (TODAY, "stroke", False)
    assert _audited(head, AuditAction.UPDATE).get().changes["death_date"] == [None, TODAY.isoformat()]


def test_pregnancy_validation(make_family, scope):
    pustu = scope("pustu.bayua")
    family = make_family(members=[wife_data(birth_date=dt.date(1995, 1, 1))])
    wife = Person.objects.get(memberships__family=family, sex=SEX_FEMALE)
    girl = family_member_add(
        scope=pustu, family=family, relationship="anak", name="Anak", sex=SEX_FEMALE,
        birth_date=TODAY - dt.timedelta(days=9 * 365), nik_missing_reason="not_recorded",
    )  # fmt: skip
    lmp = TODAY - dt.timedelta(days=70)
    cases = [
        (family.head, lmp, "person", str(ERR_PREGNANCY_SEX)),
        (wife, TODAY + dt.timedelta(days=1), "lmp_date", str(ERR_LMP_FUTURE)),
        (wife, TODAY - dt.timedelta(days=LMP_MAX_DAYS_AGO + 1), "lmp_date", str(ERR_LMP_TOO_OLD) % {"days": 300}),
        (girl, lmp, "lmp_date", str(ERR_LMP_AGE) % {"age": 8, "min": 10, "max": 55}),
    ]
    for person, date, field, message in cases:
        with pytest.raises(ValidationError) as err:
            pregnancy_record(scope=pustu, person=person, lmp_date=date)
        assert err.value.message_dict == {field: [message]}, (person, date)
    assert not Pregnancy.objects.filter(person__in=[wife, girl]).exists()


def test_a_pregnancy_gets_its_hpl_and_only_one_is_open(make_family, scope):
    pustu = scope("pustu.bayua")
    family = make_family(members=[wife_data()])
    wife = Person.objects.get(memberships__family=family, sex=SEX_FEMALE)
    lmp = TODAY - dt.timedelta(days=70)
    pregnancy = pregnancy_record(scope=pustu, person=wife, lmp_date=lmp)
    assert pregnancy.edd == lmp + dt.timedelta(days=280)
    assert _audited(pregnancy).exists()
    with pytest.raises(ValidationError) as err:
        pregnancy_record(scope=pustu, person=wife, lmp_date=lmp)
    assert err.value.message_dict == {"person": [str(ERR_PREGNANCY_OPEN)]}
    pregnancy_end(scope=pustu, pregnancy=pregnancy, ended_on=TODAY, outcome="miscarriage")
    assert pregnancy_record(scope=pustu, person=wife, lmp_date=TODAY).ended_on is None


def test_a_person_cannot_be_added_to_a_family_outside_the_scope(make_family, scope):
    # given a family in Maninjau
    family = make_family(username="kapus.maninjau", code=MANINJAU)
    # when the Bayua pustu nurse adds a member, then it is refused naming the family
    with pytest.raises(ValidationError) as err:
        person_register(scope=scope("pustu.bayua"), family=family, **wife_data())
    assert err.value.message_dict == {"family": [str(ERR_FAMILY_OUT_OF_SCOPE)]}
    assert family.memberships.count() == 1
