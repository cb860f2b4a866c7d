"""Reading the register: always inside the reader's scope, searchable by name, NIK and KK."""

import datetime as dt

import pytest

from ilp.accounts.models import User
from ilp.people.identity import mask_nik
from ilp.people.models import Family, Person, PersonNameKey
from ilp.people.selectors import family_get, family_list, family_members, person_get, person_list
from ilp.people.services import person_update
from tests.people.conftest import MANINJAU, wife_data

pytestmark = pytest.mark.django_db


def test_a_pustu_nurse_cannot_read_a_family_in_another_nagari(make_family, scope):
    # given a family in Maninjau registered by the kepala puskesmas
    family = make_family(username="kapus.maninjau", code=MANINJAU)
    pustu, kapus = scope("pustu.bayua"), scope("kapus.maninjau")
    # then the Bayua pustu nurse reaches neither the family nor its head
    with pytest.raises(Family.DoesNotExist):
        family_get(scope=pustu, external_id=family.external_id)
    with pytest.raises(Person.DoesNotExist):
        person_get(scope=pustu, external_id=family.head.external_id)
    assert not family_list(scope=pustu, search=family.kk_number).exists()
    assert not person_list(scope=pustu, search=family.head.nik).exists()
    # while the kepala puskesmas of the working area does
    assert family_get(scope=kapus, external_id=family.external_id) == family
    assert person_get(scope=kapus, external_id=family.head.external_id) == family.head


def test_lintas_sektor_reads_no_persons_even_in_its_own_kecamatan(make_family, scope):
    make_family()
    camat = scope("camat.tanjungraya")
    assert Person.objects.filter(region__district__code="13.06.03").exists()
    assert list(person_list(scope=camat)) == []
    assert list(family_list(scope=camat)) == []


def test_search_by_name_nik_and_kk(make_family, scope):
    family = make_family(members=[wife_data(name="Yusnimar Sutan")])
    other = make_family(name="Zainal Abidin")
    pustu = scope("pustu.bayua")
    wife = Person.objects.get(name="Yusnimar Sutan")
    assert list(person_list(scope=pustu, search="yusni sut")) == [wife]
    assert list(person_list(scope=pustu, search=wife.nik)) == [wife]
    spaced = f"{family.kk_number[:6]} {family.kk_number[6:]}"
    assert list(person_list(scope=pustu, search=spaced)) == [family.head, wife]
    assert list(family_list(scope=pustu, search=family.kk_number)) == [family]
    assert list(family_list(scope=pustu, search=wife.nik)) == [family]
    assert list(family_list(scope=pustu, search="zainal")) == [other]
    assert list(person_list(scope=pustu, family=other)) == [other.head]


def test_name_search_matches_word_starts_ignoring_case_accents_and_punctuation(make_family, scope):
    make_family(name="Syafril Datuak", members=[wife_data(name="NURHAYATİ St. Rajo")])
    pustu = scope("pustu.bayua")
    found = Person.objects.get(name="NURHAYATİ St. Rajo")
    for typed in ("nurhayati", "Nurha", "st rajo", "RAJO", "  nur   st. ", "Nûrhayati"):
        assert list(person_list(scope=pustu, search=typed)) == [found], typed
    for typed in ("hayati", "rajo nurha x", "datuak rajo"):
        assert found not in person_list(scope=pustu, search=typed), typed


def test_name_search_lists_a_person_once_in_the_order_of_the_matched_word(make_family, scope):
    # given three names where "nur" starts the first word, a later word, and both words
    make_family(
        name="Syafril Datuak",
        members=[
            wife_data(name="Siti Nurhaliza"),
            wife_data(name="Nur Nurjanah", relationship="anak", birth_date=dt.date(2012, 1, 5)),
            wife_data(name="Nuraini", relationship="anak", birth_date=dt.date(2014, 3, 9)),
        ],
    )
    pustu = scope("pustu.bayua")

    def names(typed):
        return [p.name for p in person_list(scope=pustu, search=typed)]

    # then each is listed once, sorted by the name read from the matched word
    assert names("nur") == ["Nur Nurjanah", "Nuraini", "Siti Nurhaliza"]
    assert names("nurj") == ["Nur Nurjanah"]
    # and each later word starts a later word of the name
    assert names("siti nurh") == ["Siti Nurhaliza"]
    assert names("nur siti") == []
    assert names("siti nurj") == []
    assert person_list(scope=pustu, search="nur").count() == 3


def test_a_renamed_person_is_found_by_the_new_name_only(make_family, scope):
    family = make_family(name="Syafril Datuak")
    pustu = scope("pustu.bayua")
    person_update(scope=pustu, person=family.head, name="Zulkifli Sutan Mudo")
    assert list(person_list(scope=pustu, search="mudo")) == [family.head]
    assert list(person_list(scope=pustu, search="syafril")) == []
    assert sorted(PersonNameKey.objects.filter(person=family.head).values_list("key", flat=True)) == [
        "mudo",
        "sutan mudo",
        "zulkifli sutan mudo",
    ]


def test_family_search_by_member_name_address_and_place(make_family, scope):
    family = make_family(name="Syafril Datuak", members=[wife_data(name="Yusnimar")])
    pustu = scope("pustu.bayua")
    assert list(family_list(scope=pustu, search="yusni")) == [family]
    assert family in family_list(scope=pustu, search=family.region.name[:5])
    assert list(family_list(scope=pustu, search="zz no such place")) == []


def test_family_members_are_current_ones_head_first_in_one_query(make_family, django_assert_num_queries):
    family = make_family(members=[wife_data(name="Anak", relationship="anak"), wife_data()])
    with django_assert_num_queries(1):
        rows = family_members(family=family)
        names = [(m.relationship, m.person.name, m.person.region.code) for m in rows]
    assert [n[:2] for n in names] == [("kepala_keluarga", "Syafril Datuak"), ("istri", "Yusnimar"), ("anak", "Anak")]


def test_mask_nik_keeps_the_kecamatan_and_the_last_two_digits():
    assert mask_nik("1306035204870001") == "130603********01"
    assert mask_nik(None) == ""


def test_the_admin_lists_persons_with_masked_niks(make_family, client):
    family = make_family()
    admin = User.objects.create_superuser(username="root.people", password="x-Very-long-1")
    client.force_login(admin)
    page = client.get("/admin/people/person/").content.decode()
    assert mask_nik(family.head.nik) in page
    assert family.head.nik not in page
    assert client.get(f"/admin/people/family/{family.pk}/change/").status_code == 200


def test_maternal_status_keeps_deliveries_inside_the_nifas_window(make_family, scope):
    from django.utils import timezone

    from ilp.people.life_stage import NIFAS_DAYS
    from ilp.people.selectors import maternal_status, open_pregnancy
    from ilp.people.services import pregnancy_end, pregnancy_record

    family = make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    pustu = scope("pustu.bayua")
    today = timezone.localdate()
    pregnancy = pregnancy_record(scope=pustu, person=wife, lmp_date=today - dt.timedelta(days=280))
    assert open_pregnancy(person=wife) == pregnancy
    assert maternal_status(persons=[wife, family.head], on=today) == ({wife.pk: pregnancy}, {})
    born = today - dt.timedelta(days=NIFAS_DAYS)
    pregnancy_end(scope=pustu, pregnancy=pregnancy, ended_on=born, outcome="live_birth")
    assert open_pregnancy(person=wife) is None
    assert maternal_status(persons=[wife], on=today) == ({}, {wife.pk: born})
    assert maternal_status(persons=[wife], on=today + dt.timedelta(days=1)) == ({}, {})
