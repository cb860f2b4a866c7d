"""Registering a family with its members in one flow: saved whole, warnings confirmed, duplicates shown."""

import datetime as dt

import pytest
from django.utils import timezone

from ilp.accounts.scope import scope_for
from ilp.core.models import AuditAction, AuditEntry
from ilp.facilities.models import Facility
from ilp.people.identity import SEX_FEMALE, SEX_MALE
from ilp.people.models import Family, Person
from ilp.people.services import ERR_BIRTH_FUTURE, family_register
from ilp.regions.models import Region
from ilp.web.views.people_common import row_label
from tests.people.conftest import kk, nik
from tests.web.conftest import BAYUA

pytestmark = pytest.mark.django_db

URL = "/keluarga/baru/"


def _person(prefix, *, name, sex, born, nik_value="", reason="", relationship=None, estimated=False):
    data = {
        f"{prefix}-name": name,
        f"{prefix}-sex": sex,
        f"{prefix}-birth_date": born.isoformat(),
        f"{prefix}-nik": nik_value,
        f"{prefix}-nik_missing_reason": reason,
        f"{prefix}-phone": "",
        f"{prefix}-jkn_number": "",
    }
    if estimated:
        data[f"{prefix}-birth_date_estimated"] = "on"
    if relationship:
        data[f"{prefix}-relationship"] = relationship
    return data


def _payload(*, head, members=(), kk_number=None, posyandu="", **extra):
    data = {
        "family-region": Region.objects.get(code=BAYUA).pk,
        "family-address_text": "Jorong Pasa Maninjau",
        "family-posyandu": posyandu,
        "family-kk_number": kk() if kk_number is None else kk_number,
        "family-kk_missing_reason": "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        **_person("head", **head),
    }
    for i, member in enumerate(members):
        data.update(_person(f"members-{i}", **member))
    return data | extra


def _head(name="Syafril Datuak", born=dt.date(1985, 4, 12), **kw):
    return {"name": name, "sex": SEX_MALE, "born": born, "nik_value": nik(born, SEX_MALE), **kw}


def _wife(name="Yusnimar", born=dt.date(1990, 8, 3), **kw):
    return {
        "name": name,
        "sex": SEX_FEMALE,
        "born": born,
        "nik_value": nik(born, SEX_FEMALE),
        "relationship": "istri",
    } | kw


def _child(name="Rahmat", born=dt.date(2019, 2, 1), **kw):
    return {"name": name, "sex": SEX_MALE, "born": born, "reason": "not_recorded", "relationship": "anak"} | kw


def test_a_family_and_its_members_are_registered_in_one_post(client_as, users):
    # given
    client = client_as("pustu.bayua")
    # when
    response = client.post(URL, _payload(head=_head(), members=[_wife(), _child()]))
    # then
    family = Family.objects.get(address_text="Jorong Pasa Maninjau")
    assert response.status_code == 302
    assert response["Location"] == f"/keluarga/{family.external_id}/"
    assert family.head.name == "Syafril Datuak"
    names = set(Person.objects.filter(memberships__family=family).values_list("name", flat=True))
    assert names == {"Syafril Datuak", "Yusnimar", "Rahmat"}
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, actor=users["pustu.bayua"])
    assert created.filter(object_type="people.family", object_id=str(family.external_id)).exists()
    assert created.filter(object_type="people.person").count() >= 3


def test_empty_member_rows_are_not_saved(client_as):
    # given a form with one filled and one empty member row
    data = _payload(head=_head(), members=[_wife()])
    data["members-TOTAL_FORMS"] = "2"
    # when
    response = client_as("pustu.bayua").post(URL, data)
    # then
    assert response.status_code == 302
    family = Family.objects.get(address_text="Jorong Pasa Maninjau")
    assert family.memberships.count() == 2


def test_the_kader_registers_at_their_own_posyandu_by_default(client_as, users):
    # given the form as the kader sees it
    client = client_as("kader.bayua")
    form = client.get(URL).context["family_form"]
    assert form.initial["posyandu"] == users["kader.bayua"].facility_id
    # when the kader leaves the posyandu empty
    response = client.post(URL, _payload(head=_head()))
    # then
    assert response.status_code == 302
    family = Family.objects.get(address_text="Jorong Pasa Maninjau")
    assert family.posyandu_id == users["kader.bayua"].facility_id
    assert client.get(response["Location"]).status_code == 200


def test_add_member_redisplays_the_form_with_one_more_row_and_no_errors(client_as):
    # given a half-filled form
    data = _payload(head=_head(name=""), members=[_wife()])
    data["add_member"] = "1"
    # when
    response = client_as("pustu.bayua").post(URL, data)
    # then
    assert response.status_code == 200
    assert len(response.context["members"].forms) == 2
    body = response.content.decode()
    assert 'id="member-2"' in body
    assert 'class="field-error"' not in body
    assert 'value="Yusnimar"' in body
    assert not Family.objects.filter(address_text="Jorong Pasa Maninjau").exists()


def test_a_nik_warning_needs_a_confirm_then_saves(client_as):
    # given a head whose NIK encodes another birth date
    head = _head(nik_value=nik(dt.date(1985, 4, 13), SEX_MALE))
    client = client_as("pustu.bayua")
    data = _payload(head=head)
    # when first sent
    first = client.post(URL, data)
    # then nothing is saved and the warning asks for a confirm
    assert first.status_code == 200
    body = first.content.decode()
    assert 'id="identity-warnings"' in body
    assert 'name="confirm-confirm_warnings"' in body
    assert first.context["head_form"].errors["nik"]
    assert not Family.objects.filter(address_text="Jorong Pasa Maninjau").exists()
    # when confirmed
    second = client.post(URL, data | {"confirm-confirm_warnings": "on"})
    # then
    assert second.status_code == 302
    assert Family.objects.get(address_text="Jorong Pasa Maninjau").head.nik == head["nik_value"]


def test_a_kk_warning_needs_a_confirm(client_as):
    # given a KK number whose region prefix is no known kecamatan
    data = _payload(head=_head(), kk_number="9999990000000001")
    client = client_as("pustu.bayua")
    # when
    first = client.post(URL, data)
    second = client.post(URL, data | {"confirm-confirm_warnings": "on"})
    # then
    assert first.context["family_form"].errors["kk_number"]
    assert second.status_code == 302


def test_a_registered_nik_is_refused_with_a_link_to_its_holder(client_as, users):
    # given a person already registered with this NIK
    born = dt.date(1970, 1, 1)
    taken = nik(born, SEX_MALE)
    user = users["pustu.bayua"]
    existing = family_register(
        scope=scope_for(user),
        region=Region.objects.get(code=BAYUA),
        kk_number=kk(),
        head={"name": "Amiruddin", "sex": SEX_MALE, "birth_date": born, "nik": taken},
        actor=user,
    ).head
    # when
    response = client_as("pustu.bayua").post(URL, _payload(head=_head(born=born, nik_value=taken)))
    # then
    assert response.status_code == 200
    assert response.context["head_form"].errors["nik"]
    assert f'href="/orang/{existing.external_id}/"' in response.content.decode()
    assert not Family.objects.filter(address_text="Jorong Pasa Maninjau").exists()


def test_an_error_on_a_member_names_the_row_and_saves_nothing(client_as):
    # given the second member born in the future
    future = timezone.localdate() + dt.timedelta(days=5)
    data = _payload(head=_head(), members=[_wife(), _child(born=future)])
    # when
    response = client_as("pustu.bayua").post(URL, data)
    # then
    assert response.status_code == 200
    member = response.context["members"].forms[1]
    assert member.errors["birth_date"] == [str(ERR_BIRTH_FUTURE)]
    assert row_label(2) in response.content.decode()
    assert not Family.objects.filter(address_text="Jorong Pasa Maninjau").exists()
    assert not Person.objects.filter(name="Yusnimar").exists()


def test_likely_duplicates_of_a_person_without_nik_need_a_confirm(client_as, users):
    # given someone without NIK already registered in the nagari
    user = users["pustu.bayua"]
    born = dt.date(1950, 6, 1)
    existing = family_register(
        scope=scope_for(user),
        region=Region.objects.get(code=BAYUA),
        kk_number=kk(),
        head={"name": "Siti Aminah", "sex": SEX_FEMALE, "birth_date": born, "nik_missing_reason": "not_recorded"},
        actor=user,
    ).head
    head = {"name": "Siti Aminah", "sex": SEX_FEMALE, "born": born, "reason": "not_recorded"}
    client = client_as("pustu.bayua")
    # when
    first = client.post(URL, _payload(head=head))
    # then
    assert first.status_code == 200
    body = first.content.decode()
    assert 'id="likely-duplicates"' in body
    assert f'href="/orang/{existing.external_id}/"' in body
    assert Person.objects.filter(name="Siti Aminah").count() == 1
    # when the user says they are different persons
    second = client.post(URL, _payload(head=head) | {"confirm-confirm_duplicates": "on"})
    # then
    assert second.status_code == 302
    assert Person.objects.filter(name="Siti Aminah").count() == 2


def test_a_person_with_a_new_nik_is_checked_against_records_without_nik_only(client_as, users):
    # given the same woman registered once without NIK, and a namesake with her own NIK
    user = users["pustu.bayua"]
    born = dt.date(1950, 6, 1)
    without_nik = family_register(
        scope=scope_for(user),
        region=Region.objects.get(code=BAYUA),
        kk_number=kk(),
        head={"name": "Siti Aminah", "sex": SEX_FEMALE, "birth_date": born, "nik_missing_reason": "not_recorded"},
        actor=user,
    ).head
    with_nik = family_register(
        scope=scope_for(user),
        region=Region.objects.get(code=BAYUA),
        kk_number=kk(),
        head={"name": "Siti Aminah", "sex": SEX_FEMALE, "birth_date": born, "nik": nik(born, SEX_FEMALE)},
        actor=user,
    ).head
    # when she is registered again, now with her NIK
    head = {"name": "Siti Aminah", "sex": SEX_FEMALE, "born": born, "nik_value": nik(born, SEX_FEMALE)}
    response = client_as("pustu.bayua").post(URL, _payload(head=head))
    # then the record without NIK is offered, the one with another NIK is not
    body = response.content.decode()
    assert 'id="likely-duplicates"' in body
    assert f'href="/orang/{without_nik.external_id}/"' in body
    assert f'href="/orang/{with_nik.external_id}/"' not in body


def test_a_missing_kk_number_needs_a_reason(client_as):
    # when
    response = client_as("pustu.bayua").post(URL, _payload(head=_head(), kk_number=""))
    # then
    assert response.context["family_form"].errors["kk_missing_reason"]
    assert not Family.objects.filter(address_text="Jorong Pasa Maninjau").exists()


def test_the_region_choice_is_limited_to_the_scope(client_as):
    # given the pustu of Bayua
    form = client_as("pustu.bayua").get(URL).context["family_form"]
    # then
    codes = set(
        Region.objects.filter(pk__in=[c for c, _ in form.fields["region"].choices if c]).values_list("code", flat=True)
    )
    assert codes == {BAYUA} | {c for c in codes if c.startswith(BAYUA + ".")}
    posyandu = {f.parent.name for f in Facility.objects.filter(pk__in=form.posyandu_by_id)}
    assert posyandu == {"Pustu Bayua"}
