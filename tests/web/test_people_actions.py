"""The action forms of the person and family pages: each goes through its service and is audited."""

import datetime as dt

import pytest
from django.utils import timezone

from ilp.accounts.scope import scope_for
from ilp.core.models import AuditAction, AuditEntry
from ilp.facilities.models import Facility
from ilp.people.identity import SEX_FEMALE
from ilp.people.models import Family, FamilyMembership, Migration, Person, PersonMerge, Pregnancy
from ilp.people.services import family_register
from ilp.regions.models import Region
from tests.people.conftest import head_data, kk, nik, wife_data
from tests.web.conftest import BAYUA

pytestmark = pytest.mark.django_db

USER = "pustu.bayua"


@pytest.fixture
def make_family(users):
    def _make(members=(), **head):
        user = users[USER]
        return family_register(
            scope=scope_for(user),
            region=Region.objects.get(code=BAYUA),
            kk_number=kk(),
            address_text="Jl. Raya Maninjau",
            posyandu=Facility.objects.get(name="Posyandu Lavender Bayua"),
            head=head_data(**head),
            members=list(members),
            actor=user,
        )

    return _make


def _audited(obj, action=AuditAction.UPDATE) -> bool:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.external_id), action=action
    ).exists()


def _today():
    return timezone.localdate()


@pytest.mark.parametrize("suffix", ["ubah/", "pindah/", "pindah-keluar/", "meninggal/", "hamil/"])
def test_every_action_page_opens_for_a_writer(client_as, make_family, suffix):
    # given a woman, so the pregnancy form applies
    make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    # when
    response = client_as(USER).get(f"/orang/{wife.external_id}/{suffix}")
    # then
    assert response.status_code == 200


def test_a_person_is_corrected_and_audited(client_as, make_family):
    # given
    family = make_family()
    head = family.head
    data = {
        "person-name": "Syafril Datuak Rajo",
        "person-sex": "M",
        "person-birth_date": head.birth_date.isoformat(),
        "person-nik": head.nik,
        "person-phone": "0812 3456 7890",
    }
    # when
    response = client_as(USER).post(f"/orang/{head.external_id}/ubah/", data)
    # then
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.name == "Syafril Datuak Rajo"
    assert head.phone == "0812 3456 7890"
    assert _audited(head)


def test_a_corrected_birth_date_that_disagrees_with_the_nik_needs_a_confirm(client_as, make_family):
    # given
    family = make_family()
    head = family.head
    data = {
        "person-name": head.name,
        "person-sex": "M",
        "person-birth_date": (head.birth_date - dt.timedelta(days=3)).isoformat(),
        "person-nik": head.nik,
    }
    client = client_as(USER)
    # when
    first = client.post(f"/orang/{head.external_id}/ubah/", data)
    second = client.post(f"/orang/{head.external_id}/ubah/", data | {"confirm-confirm_warnings": "on"})
    # then
    assert first.status_code == 200
    assert 'id="identity-warnings"' in first.content.decode()
    assert second.status_code == 302
    head.refresh_from_db()
    assert head.birth_date == dt.date(1985, 4, 9)


def test_a_person_moves_to_another_family_found_by_kk(client_as, make_family):
    # given
    family = make_family(members=[wife_data()])
    other = make_family(name="Zulkifli Sutan")
    wife = Person.objects.get(name="Yusnimar")
    url = f"/orang/{wife.external_id}/pindah/"
    client = client_as(USER)
    # when the destination is searched by KK number, then chosen
    found = client.get(url, {"q": other.kk_number})
    response = client.post(
        f"{url}?q={other.kk_number}",
        {"to_family": str(other.external_id), "relationship": "istri", "on": _today().isoformat()},
    )
    # then
    assert [f.pk for f in found.context["candidates"]] == [other.pk]
    assert response.status_code == 302
    current = FamilyMembership.objects.get(person=wife, end_date__isnull=True)
    assert current.family == other
    assert FamilyMembership.objects.get(person=wife, family=family).end_date == _today()
    assert _audited(current, AuditAction.CREATE)


def test_a_move_before_the_membership_started_is_refused_on_the_date_field(client_as, make_family):
    # given
    make_family(members=[wife_data()])
    other = make_family(name="Zulkifli Sutan")
    wife = Person.objects.get(name="Yusnimar")
    # when
    response = client_as(USER).post(
        f"/orang/{wife.external_id}/pindah/",
        {"to_family": str(other.external_id), "relationship": "istri", "on": "2000-01-01"},
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["on"]


def test_a_move_out_closes_the_membership_and_is_audited(client_as, make_family):
    # given
    family = make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    # when
    response = client_as(USER).post(
        f"/orang/{wife.external_id}/pindah-keluar/", {"on": _today().isoformat(), "place": "Pekanbaru"}
    )
    # then
    assert response.status_code == 302
    wife.refresh_from_db()
    assert wife.moved_out_on == _today()
    migration = Migration.objects.get(person=wife)
    assert migration.place == "Pekanbaru"
    assert _audited(migration, AuditAction.CREATE)
    assert not FamilyMembership.objects.filter(person=wife, family=family, end_date__isnull=True).exists()


def test_a_death_is_recorded_and_audited(client_as, make_family):
    # given
    family = make_family()
    # when
    response = client_as(USER).post(
        f"/orang/{family.head.external_id}/meninggal/", {"died_on": "2025-01-02", "cause": "stroke"}
    )
    # then
    assert response.status_code == 302
    head = Person.objects.get(pk=family.head.pk)
    assert head.death_date == dt.date(2025, 1, 2)
    assert head.death_cause == "stroke"
    assert _audited(head)


def test_a_pregnancy_is_recorded_then_ended(client_as, make_family):
    # given
    make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    client = client_as(USER)
    lmp = _today() - dt.timedelta(weeks=20)
    # when
    recorded = client.post(f"/orang/{wife.external_id}/hamil/", {"lmp_date": lmp.isoformat()})
    page = client.get(f"/orang/{wife.external_id}/")
    ended = client.post(
        f"/orang/{wife.external_id}/hamil/selesai/", {"ended_on": _today().isoformat(), "outcome": "live_birth"}
    )
    # then
    assert recorded.status_code == 302
    assert page.context["row"].gestational_weeks == 20
    assert ended.status_code == 302
    pregnancy = Pregnancy.objects.get(person=wife)
    assert pregnancy.ended_on == _today()
    assert pregnancy.outcome == "live_birth"
    assert _audited(pregnancy, AuditAction.CREATE)
    assert _audited(pregnancy, AuditAction.UPDATE)


def test_ending_a_pregnancy_that_does_not_exist_is_404(client_as, make_family):
    # given
    make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    # when
    response = client_as(USER).get(f"/orang/{wife.external_id}/hamil/selesai/")
    # then
    assert response.status_code == 404


def test_a_pregnancy_of_a_man_is_refused_on_the_form(client_as, make_family):
    # given
    family = make_family()
    # when
    response = client_as(USER).post(
        f"/orang/{family.head.external_id}/hamil/", {"lmp_date": (_today() - dt.timedelta(weeks=4)).isoformat()}
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Pregnancy.objects.filter(person=family.head).exists()


def test_a_member_is_added_to_a_family(client_as, make_family):
    # given
    family = make_family()
    born = _today() - dt.timedelta(days=3)
    data = {
        "person-name": "Bayi Ny. Yusnimar",
        "person-relationship": "anak",
        "person-sex": "F",
        "person-birth_date": born.isoformat(),
        "person-nik_missing_reason": "newborn",
    }
    # when
    response = client_as(USER).post(f"/keluarga/{family.external_id}/anggota-baru/", data)
    # then
    assert response.status_code == 302
    baby = Person.objects.get(name="Bayi Ny. Yusnimar")
    assert FamilyMembership.objects.get(person=baby, end_date__isnull=True).family == family
    assert _audited(baby, AuditAction.CREATE)


def test_a_family_is_corrected_and_audited(client_as, make_family):
    # given
    family = make_family()
    seroja = Facility.objects.get(name="Posyandu Seroja Bayua")
    data = {
        "family-region": family.region_id,
        "family-address_text": "Jorong Kubu",
        "family-posyandu": seroja.pk,
        "family-kk_number": family.kk_number,
    }
    # when
    response = client_as(USER).post(f"/keluarga/{family.external_id}/ubah/", data)
    # then
    assert response.status_code == 302
    family = Family.objects.get(pk=family.pk)
    assert family.address_text == "Jorong Kubu"
    assert family.posyandu == seroja
    assert Person.objects.get(pk=family.head_id).posyandu_id == seroja.pk
    assert _audited(family)


def test_the_kader_cannot_move_a_family_to_another_posyandu(client_as, make_family):
    # given
    family = make_family()
    seroja = Facility.objects.get(name="Posyandu Seroja Bayua")
    data = {
        "family-region": family.region_id,
        "family-address_text": "Jorong Kubu",
        "family-posyandu": seroja.pk,
        "family-kk_number": family.kk_number,
    }
    # when
    response = client_as("kader.bayua").post(f"/keluarga/{family.external_id}/ubah/", data)
    # then the other posyandu is not even a choice
    assert response.status_code == 200
    assert response.context["form"].errors["posyandu"]
    assert Family.objects.get(pk=family.pk).posyandu.name == "Posyandu Lavender Bayua"


# --- duplicates and merges -------------------------------------------------------------------


def _twins(make_family):
    """The same woman registered twice, once without NIK, in two families."""
    born = dt.date(1962, 7, 14)
    first = make_family(members=[wife_data(name="Rosnawati", birth_date=born, nik=nik(born, SEX_FEMALE))])
    second = make_family(
        name="Zulkifli Sutan",
        members=[{"name": "Rosnawaty", "sex": SEX_FEMALE, "birth_date": born, "relationship": "istri",
                  "nik_missing_reason": "not_recorded"}],
    )  # fmt: skip
    survivor = Person.objects.get(name="Rosnawati")
    duplicate = Person.objects.get(name="Rosnawaty")
    return first, second, survivor, duplicate


def test_the_duplicate_review_lists_likely_duplicates(client_as, make_family):
    # given
    _first, _second, survivor, duplicate = _twins(make_family)
    # when
    response = client_as(USER).get("/duplikat/", {"orang": str(survivor.external_id)})
    # then
    assert [c.person for c, _nik in response.context["candidates"]] == [duplicate]
    assert f"tetap={survivor.external_id}&amp;duplikat={duplicate.external_id}" in response.content.decode()


def test_the_merge_needs_a_confirm_then_moves_the_membership(client_as, make_family, users):
    # given
    _first, second, survivor, duplicate = _twins(make_family)
    client = client_as(USER)
    url = "/duplikat/gabung/"
    ids = {"tetap": str(survivor.external_id), "duplikat": str(duplicate.external_id)}
    # when shown, then sent without the confirm, then with it
    compare = client.get(url, ids)
    refused = client.post(url, ids | {"reason": "same woman, name typed twice"})
    merged = client.post(url, ids | {"reason": "same woman, name typed twice", "confirm": "on"})
    # then
    assert compare.status_code == 200
    assert compare.context["comparison"][0][1:] == ("Rosnawati", "Rosnawaty")
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm"]
    assert merged.status_code == 302
    merge = PersonMerge.objects.get(merged=duplicate)
    assert merge.survivor == survivor
    assert merge.merged_by == users[USER]
    closed = FamilyMembership.objects.get(person=survivor, family=second)
    assert closed.end_date == _today()
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    assert _audited(duplicate)
    # and the merge shows in the review list, the duplicate's page is gone
    history = client.get("/duplikat/riwayat/")
    assert [r["merge"] for r in history.context["rows"]] == [merge]
    assert client.get(f"/orang/{duplicate.external_id}/").status_code == 404


def test_a_refused_merge_shows_the_service_error(client_as, make_family):
    # given two records of different sex
    family = make_family(members=[wife_data()])
    wife = Person.objects.get(name="Yusnimar")
    ids = {"tetap": str(family.head.external_id), "duplikat": str(wife.external_id)}
    # when
    response = client_as(USER).post("/duplikat/gabung/", ids | {"reason": "typo", "confirm": "on"})
    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("username", ("walinagari.maninjau", "kader.bayua"))
def test_the_merge_history_opens_for_readers_and_the_merge_form_for_writers_only(client_as, username):
    # when
    history = client_as(username).get("/duplikat/riwayat/")
    review = client_as(username).get("/duplikat/")
    # then
    assert history.status_code == 200
    assert review.status_code == (403 if username == "walinagari.maninjau" else 200)


def test_the_duplicate_review_lists_likely_pairs_of_the_area(client_as, users):
    # given a woman registered twice without NIK with a spelling variant, and a namesake with a different birth date
    user = users["pustu.bayua"]
    born = dt.date(1948, 3, 9)

    def register(name, birth_date):
        return family_register(
            scope=scope_for(user),
            region=Region.objects.get(code=BAYUA),
            kk_number=kk(),
            head={"name": name, "sex": SEX_FEMALE, "birth_date": birth_date, "nik_missing_reason": "not_recorded"},
            actor=user,
        ).head

    first = register("Nurhayati Rahim", born)
    second = register("Nur Hayati Rahim", born + dt.timedelta(days=10))
    far = register("Nurhayati Rahim", born + dt.timedelta(days=400))
    # when
    response = client_as("pustu.bayua").get("/duplikat/")
    # then
    pairs = response.context["pairs"]
    assert [{p["keep"], p["drop"]} for p in pairs] == [{first, second}]
    assert far not in pairs[0].values()
    assert (
        f"tetap={pairs[0]['keep'].external_id}&amp;duplikat={pairs[0]['drop'].external_id}" in response.content.decode()
    )


def test_the_duplicate_worklist_is_not_computed_for_an_area_too_wide(client_as, make_family, monkeypatch):
    # given more persons in the area than the worklist scans
    make_family()
    monkeypatch.setattr("ilp.web.views.people_merge.PAIRS_MAX_PERSONS", 0)
    # when
    response = client_as("pustu.bayua").get("/duplikat/")
    # then
    assert response.context["area_too_wide"] and "pairs" not in response.context
    assert 'id="area-too-wide"' in response.content.decode()
