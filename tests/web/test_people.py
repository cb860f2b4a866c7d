"""The family register pages: search, register flow, family folder, person page, for every role."""

import datetime as dt

import pytest
from django.utils import timezone

from ilp.accounts.scope import scope_for
from ilp.core.models import AuditAction, AuditEntry
from ilp.facilities.models import Facility
from ilp.people.identity import SEX_FEMALE, SEX_MALE, mask_nik
from ilp.people.life_stage import BAYI
from ilp.people.models import Family, FamilyMembership, Person
from ilp.people.services import ERR_BIRTH_FUTURE, family_register
from ilp.regions.models import Region
from ilp.web.views.people_common import LABEL_PREGNANT, STAGE_LABELS
from tests.people.conftest import head_data, kk, wife_data
from tests.web.conftest import BAYUA, MANINJAU, ROLES

pytestmark = pytest.mark.django_db

READERS_OF_BAYUA = ("dinkes.agam", "kapus.maninjau", "klaster2.maninjau", "pustu.bayua", "kader.bayua")
WRITERS = READERS_OF_BAYUA


@pytest.fixture
def lavender():
    """The posyandu of kader.bayua."""
    return Facility.objects.get(name="Posyandu Lavender Bayua")


@pytest.fixture
def make_family(users, lavender):
    """A family registered through the service, by default in Bayua at the kader's posyandu."""

    def _make(username="pustu.bayua", code=BAYUA, posyandu="lavender", members=(), **head):
        return family_register(
            scope=scope_for(users[username]),
            region=Region.objects.get(code=code),
            kk_number=kk(),
            address_text="Jl. Raya Maninjau",
            posyandu=lavender if posyandu == "lavender" else posyandu,
            head=head_data(**head),
            members=list(members),
            actor=users[username],
        )

    return _make


def _folder(family):
    return f"/keluarga/{family.external_id}/"


def _person_url(person):
    return f"/orang/{person.external_id}/"


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ROLES)
def test_every_role_gets_the_register_search_or_403(client_as, username):
    # when
    response = client_as(username).get("/keluarga/")
    # then
    assert response.status_code == (403 if username == "camat.tanjungraya" else 200)


@pytest.mark.parametrize("username", ROLES)
def test_the_family_folder_and_person_page_open_inside_the_scope_only(client_as, make_family, username):
    # given a Bayua family at the kader's posyandu
    family = make_family()
    client = client_as(username)
    # when
    folder = client.get(_folder(family))
    person = client.get(_person_url(family.head))
    # then
    expected = 200 if username in READERS_OF_BAYUA else 403 if username == "camat.tanjungraya" else 404
    assert folder.status_code == expected
    assert person.status_code == expected


@pytest.mark.parametrize("username", ROLES)
def test_only_writers_open_the_register_form(client_as, username):
    # when
    response = client_as(username).get("/keluarga/baru/")
    # then
    assert response.status_code == (200 if username in WRITERS else 403)


@pytest.mark.parametrize("username", ("walinagari.maninjau", "camat.tanjungraya"))
def test_readers_cannot_post_any_action(client_as, make_family, username):
    # given a family in Maninjau, the pemdes' own nagari
    family = make_family(username="kapus.maninjau", code=MANINJAU, posyandu=None)
    client = client_as(username)
    # when
    responses = [
        client.post(f"/orang/{family.head.external_id}/meninggal/", {"died_on": "2024-01-01"}),
        client.post(f"/keluarga/{family.external_id}/ubah/", {}),
        client.post("/keluarga/baru/", {}),
    ]
    # then
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert Person.objects.get(pk=family.head.pk).death_date is None


def test_the_pemdes_reads_the_folder_of_their_nagari_without_actions(client_as, make_family):
    # given
    family = make_family(username="kapus.maninjau", code=MANINJAU, posyandu=None)
    # when
    response = client_as("walinagari.maninjau").get(_folder(family))
    # then
    assert response.status_code == 200
    assert 'id="add-member"' not in response.content.decode()


def test_the_nav_shows_families_to_person_level_roles_only(client_as):
    # when
    kader = client_as("kader.bayua").get("/").content.decode()
    camat = client_as("camat.tanjungraya").get("/").content.decode()
    # then
    assert 'href="/keluarga/"' in kader
    assert 'href="/keluarga/"' not in camat


# --- search -----------------------------------------------------------------------------------


def test_the_search_finds_families_and_persons_by_name_nik_and_kk(client_as, make_family):
    # given
    family = make_family(name="Rasyidin Malin", members=[wife_data(name="Nurhayati Bainar")])
    other = make_family(name="Zulkifli Sutan")
    client = client_as("pustu.bayua")
    wife = Person.objects.get(name="Nurhayati Bainar")
    # when
    by_name = client.get("/keluarga/", {"q": "nurhayati"})
    by_nik = client.get("/keluarga/", {"q": wife.nik})
    by_kk = client.get("/keluarga/", {"q": family.kk_number})
    everything = client.get("/keluarga/")
    # then
    assert list(by_name.context["families"].object_list) == [family]
    assert [r.person for r in by_name.context["person_rows"]] == [wife]
    assert list(by_nik.context["families"].object_list) == [family]
    assert {r.person.name for r in by_kk.context["person_rows"]} == {"Rasyidin Malin", "Nurhayati Bainar"}
    assert {family, other} <= set(everything.context["families"].object_list)
    assert "persons" not in everything.context
    assert by_name.context["families"].object_list[0].member_count == 2


def test_htmx_search_answers_with_the_results_fragment(client_as, make_family):
    # given
    make_family(name="Rasyidin Malin")
    # when
    response = client_as("pustu.bayua").get("/keluarga/", {"q": "rasyidin"}, HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert "<html" not in body
    assert "Rasyidin Malin" in body


def test_the_register_button_shows_for_writers_only(client_as):
    # when
    kader = client_as("kader.bayua").get("/keluarga/").content.decode()
    pemdes = client_as("walinagari.maninjau").get("/keluarga/").content.decode()
    # then
    assert 'id="register-family"' in kader
    assert 'id="register-family"' not in pemdes


def test_the_kader_sees_only_the_families_of_their_posyandu(client_as, make_family):
    # given one family at the kader's posyandu and one at another posyandu of the same nagari
    own = make_family(name="Rasyidin Malin")
    seroja = Facility.objects.get(name="Posyandu Seroja Bayua")
    other = make_family(name="Rasyidin Sutan", posyandu=seroja)
    client = client_as("kader.bayua")
    # when
    listed = client.get("/keluarga/", {"q": "rasyidin"})
    # then
    assert list(listed.context["families"].object_list) == [own]
    assert client.get(_folder(other)).status_code == 404
    assert client.get(_person_url(other.head)).status_code == 404


@pytest.mark.parametrize("username", ("kader.bayua", "walinagari.maninjau"))
def test_the_nik_is_masked_for_kader_and_pemdes(client_as, make_family, username):
    # given a family where the user can see it
    code = MANINJAU if username == "walinagari.maninjau" else BAYUA
    family = make_family(username="kapus.maninjau", code=code, posyandu="lavender" if code == BAYUA else None)
    full = family.head.nik
    client = client_as(username)
    # when
    pages = [
        client.get(_folder(family)).content.decode(),
        client.get(_person_url(family.head)).content.decode(),
        client.get("/keluarga/", {"q": family.head.name}).content.decode(),
    ]
    # then
    for body in pages:
        assert full not in body
        assert mask_nik(full) in body


def test_the_nik_is_shown_in_full_to_the_pustu(client_as, make_family):
    # given
    family = make_family()
    # when
    body = client_as("pustu.bayua").get(_folder(family)).content.decode()
    # then
    assert family.head.nik in body


def test_the_search_page_makes_a_bounded_number_of_queries(client_as, make_family, django_assert_max_num_queries):
    # given many families sharing a name
    for i in range(12):
        make_family(name=f"Rasyidin {i}", members=[wife_data(name=f"Nurhayati {i}")])
    client = client_as("pustu.bayua")
    # then the page costs the same whatever the number of rows
    with django_assert_max_num_queries(14):
        response = client.get("/keluarga/", {"q": "rasyidin"})
    assert response.context["families"].paginator.count == 12
    with django_assert_max_num_queries(14):
        client.get("/keluarga/", {"q": "nurhayati"})


# --- family folder ----------------------------------------------------------------------------


def test_the_folder_shows_members_life_stage_and_pregnancy(client_as, make_family, users):
    # given a family with a pregnant wife and a baby
    today = timezone.localdate()
    baby_born = today - dt.timedelta(days=100)
    baby = {
        "name": "Bayi Rahmat",
        "sex": SEX_MALE,
        "birth_date": baby_born,
        "nik_missing_reason": "newborn",
        "relationship": "anak",
    }
    family = make_family(members=[wife_data(), baby])
    wife = Person.objects.get(name="Yusnimar")
    from ilp.people.services import pregnancy_record

    lmp = today - dt.timedelta(weeks=12)
    pregnancy_record(scope=scope_for(users["pustu.bayua"]), person=wife, lmp_date=lmp, actor=users["pustu.bayua"])
    # when
    response = client_as("pustu.bayua").get(_folder(family))
    # then
    rows = {r.person.name: r for r in response.context["rows"]}
    assert list(rows) == ["Syafril Datuak", "Yusnimar", "Bayi Rahmat"]
    assert rows["Yusnimar"].gestational_weeks == 12
    assert rows["Yusnimar"].pregnancy.edd == lmp + dt.timedelta(days=280)
    assert rows["Bayi Rahmat"].stage == str(STAGE_LABELS[BAYI])
    assert rows["Yusnimar"].stage_overlay == str(LABEL_PREGNANT)
    body = response.content.decode()
    assert 'class="services-slot"' in body
    assert "window.print()" in body
    assert lmp.strftime("%d-%m-%Y") in body


def test_the_folder_lists_former_members(client_as, make_family, users):
    # given a wife who moved to another family
    family = make_family(members=[wife_data()])
    other = make_family(name="Zulkifli Sutan")
    wife = Person.objects.get(name="Yusnimar")
    from ilp.people.services import person_move

    user = users["pustu.bayua"]
    person_move(
        scope=scope_for(user), person=wife, to_family=other, relationship="istri", on=timezone.localdate(), actor=user
    )
    # when
    response = client_as("pustu.bayua").get(_folder(family))
    # then
    assert [m.person for m in response.context["past"]] == [wife]
    assert [r.person.name for r in response.context["rows"]] == ["Syafril Datuak"]


def test_the_folder_makes_a_bounded_number_of_queries(client_as, make_family, django_assert_max_num_queries):
    # given a big family
    members = [wife_data()] + [
        {"name": f"Anak {i}", "sex": SEX_FEMALE, "birth_date": dt.date(2010 + i, 1, 5), "relationship": "anak",
         "nik_missing_reason": "not_recorded"}
        for i in range(8)
    ]  # fmt: skip
    family = make_family(members=members)
    client = client_as("pustu.bayua")
    # then
    with django_assert_max_num_queries(14):
        response = client.get(_folder(family))
    assert len(response.context["rows"]) == 10


# --- person page -------------------------------------------------------------------------------


def test_the_person_page_shows_identity_family_and_actions(client_as, make_family):
    # given
    family = make_family()
    # when
    response = client_as("pustu.bayua").get(_person_url(family.head))
    # then
    body = response.content.decode()
    assert response.context["membership"].family == family
    assert family.head.nik in body
    assert 'id="person-actions"' in body
    assert f"/orang/{family.head.external_id}/pindah/" in body
    # a man has no pregnancy action and no pregnancy section
    assert f"/orang/{family.head.external_id}/hamil/" not in body
    assert 'id="pregnancies"' not in body


def test_the_audit_trail_names_the_web_user(client_as, make_family, users):
    # given
    family = make_family()
    # when
    client_as("pustu.bayua").post(f"/orang/{family.head.external_id}/meninggal/", {"died_on": "2024-02-01"})
    # then
    entry = AuditEntry.objects.filter(object_type="people.person", action=AuditAction.UPDATE).latest("id")
    assert entry.actor == users["pustu.bayua"]
    assert "death_date" in entry.changes


def test_a_family_without_members_still_has_a_folder(client_as, make_family):
    # given a family whose only member moved out
    family = make_family()
    client = client_as("pustu.bayua")
    client.post(f"/orang/{family.head.external_id}/pindah-keluar/", {"on": timezone.localdate().isoformat()})
    # when
    response = client.get(_folder(Family.objects.get(pk=family.pk)))
    # then
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert not FamilyMembership.objects.filter(family=family, end_date__isnull=True).exists()


def test_errors_from_the_service_land_next_to_the_field(client_as, make_family):
    # given a person
    family = make_family()
    # when a death before birth is recorded
    response = client_as("pustu.bayua").post(f"/orang/{family.head.external_id}/meninggal/", {"died_on": "1950-01-01"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["died_on"]
    assert Person.objects.get(pk=family.head.pk).death_date is None


def test_future_birth_error_is_a_module_constant(client_as, make_family):
    # given
    family = make_family()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    # when
    response = client_as("pustu.bayua").post(
        f"/orang/{family.head.external_id}/ubah/",
        {
            "person-name": "Syafril Datuak",
            "person-sex": "M",
            "person-birth_date": future,
            "person-nik": family.head.nik,
        },
    )
    # then
    assert response.context["form"].errors["birth_date"] == [str(ERR_BIRTH_FUTURE)]
