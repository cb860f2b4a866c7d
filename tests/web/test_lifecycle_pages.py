"""The life-cycle pages (issue #4): posyandu day and quick entry, the person's services, referrals, the
home-visit worklist, for every role."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape

from ilp.accounts.scope import scope_for
from ilp.facilities.models import Facility, FacilityKind
from ilp.lifecycle.labels import flag_label
from ilp.lifecycle.measurements import ERR_NUMBER
from ilp.lifecycle.models import Encounter, HomeVisit, ObservationKind, Referral, ReferralStatus
from ilp.lifecycle.services import encounter_record, referral_create
from ilp.lifecycle.services.common import ERR_FACILITY_REQUIRED
from ilp.lifecycle.worklist import REASON_LABELS, Reason
from ilp.people.models import Person
from ilp.people.services import family_member_add, family_register, pregnancy_record
from ilp.regions.models import Region
from tests.people.conftest import head_data, kk, wife_data
from tests.web.conftest import BAYUA, MANINJAU

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HX = {"HX-Request": "true"}
WRITERS = ("kader.bayua", "pustu.bayua", "kapus.maninjau")


@pytest.fixture
def client_as(client_as):
    """The pages in English, so the tests read the msgids whatever the Indonesian catalogue says."""

    def _login(username, language="en"):
        client = client_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _login


@pytest.fixture
def lavender():
    """The posyandu of kader.bayua."""
    return Facility.objects.get(name="Posyandu Lavender Bayua")


@pytest.fixture
def maninjau_posyandu():
    return Facility.objects.filter(kind=FacilityKind.POSYANDU, region__code__startswith=MANINJAU).order_by("id")[0]


def _child(name: str, days: int = 456, sex: str = "M") -> dict:
    born = TODAY - dt.timedelta(days=days)
    return {"name": name, "sex": sex, "birth_date": born, "nik": "", "nik_missing_reason": "not_recorded",
            "relationship": "anak"}  # fmt: skip


@pytest.fixture
def make_family(users, lavender):
    """A family registered through the service (by default at the kader's posyandu in Bayua)."""

    def _make(*children, username="kader.bayua", code=BAYUA, posyandu=None, **head):
        family = family_register(
            scope=scope_for(users[username]),
            region=Region.objects.get(code=code),
            kk_number=kk(),
            address_text="Jorong Pasa",
            posyandu=posyandu or lavender,
            head=head_data(**head),
            members=[_child(c) for c in children],
            actor=users[username],
        )
        return family

    return _make


def _member(family, name) -> Person:
    return Person.objects.get(name=name, memberships__family=family)


def _day_url(posyandu):
    return f"/posyandu/{posyandu.external_id}/"


def _entry_url(posyandu, person):
    return f"/posyandu/{posyandu.external_id}/orang/{person.external_id}/"


def _weigh(client, posyandu, person, **values):
    prefix = f"p{person.pk}-"
    data = {"tanggal": TODAY.isoformat(), **{prefix + k: v for k, v in values.items()}}
    return client.post(_entry_url(posyandu, person), data, headers=HX)


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", WRITERS)
def test_the_pages_open_for_kader_pustu_and_puskesmas(client_as, make_family, lavender, username):
    # given a family at the kader's posyandu
    family = make_family("Rafif")
    client = client_as(username)
    # when / then
    for url in (_day_url(lavender), "/rujukan/", "/rujukan/?status=semua", "/kunjungan-rumah/", "/posyandu/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    day = client.get(_day_url(lavender)).content.decode()
    assert "Rafif" in day and "hx-get" in day
    person = client.get(f"/orang/{_member(family, 'Rafif').external_id}/").content.decode()
    assert 'id="pelayanan"' in person and 'id="record-visit"' in person


def test_a_kader_goes_straight_to_their_posyandu(client_as, lavender):
    response = client_as("kader.bayua").get("/posyandu/")
    assert response.status_code == 302 and response.url == _day_url(lavender)


def test_the_puskesmas_chooses_a_posyandu(client_as, lavender):
    response = client_as("kapus.maninjau").get("/posyandu/")
    assert response.status_code == 200
    assert lavender.name in response.content.decode()
    worklist = client_as("kapus.maninjau").get("/kunjungan-rumah/")
    assert worklist.status_code == 200 and "posyandu-choices" in worklist.content.decode()


def test_cross_sector_viewers_get_403(client_as, lavender):
    client = client_as("camat.tanjungraya")
    for url in ("/posyandu/", _day_url(lavender), "/rujukan/", "/kunjungan-rumah/"):
        assert client.get(url).status_code == 403, url
    home = client.get("/").content.decode()
    assert "/posyandu/" not in home and "/rujukan/" not in home


def test_a_posyandu_outside_the_scope_is_not_found(client_as, maninjau_posyandu):
    assert client_as("kader.bayua").get(_day_url(maninjau_posyandu)).status_code == 404


def test_the_pemdes_reads_without_forms(client_as, make_family, maninjau_posyandu):
    # given a Maninjau family at a Maninjau posyandu with a weighing
    family = make_family("Zahra", username="kapus.maninjau", code=MANINJAU, posyandu=maninjau_posyandu)
    child = _member(family, "Zahra")
    _weigh(client_as("kapus.maninjau"), maninjau_posyandu, child, weight_kg="10.1", length_height_cm="78", measure="L")
    client = client_as("walinagari.maninjau")
    # when the pemdes opens the posyandu day and the person page
    day = client.get(_day_url(maninjau_posyandu))
    person = client.get(f"/orang/{child.external_id}/").content.decode()
    # then they read the list and the history, without any form
    assert day.status_code == 200
    assert "Zahra" in day.content.decode() and 'class="pick"' not in day.content.decode()
    assert 'id="encounters"' in person and 'id="record-visit"' not in person
    assert client.get(_entry_url(maninjau_posyandu, child)).status_code == 403
    assert client.get(f"/orang/{child.external_id}/pelayanan/").status_code == 403
    assert "<form" not in client.get("/rujukan/").content.decode().split("<main", 1)[1].split("</main>")[0]


# --- the posyandu day -------------------------------------------------------------------------


def test_the_session_lists_sasaran_by_group_with_what_is_due(client_as, make_family, lavender):
    family = make_family("Rafif")
    response = client_as("kader.bayua").get(_day_url(lavender))
    page = response.content.decode()
    balita = page.split('id="group-balita"')[1].split("</section>")[0]
    assert "Rafif" in balita
    adults = page.split('id="group-dewasa"')[1].split("</section>")[0]
    assert family.head.name in adults
    assert "monthly weighing" in balita


def test_the_quick_entry_form_offers_the_due_services(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    response = client_as("kader.bayua").get(_entry_url(lavender, child), headers=HX)
    form = response.content.decode()
    assert response.status_code == 200 and "<html" not in form
    assert 'inputmode="decimal"' in form
    assert f'name="p{child.pk}-length_height_cm"' in form and f'name="p{child.pk}-head_circumference_cm"' in form
    assert "immunisation|" in form and "counselling|" in form


def test_posting_a_weighing_records_it_and_shows_the_classification(client_as, make_family, lavender):
    # given a child far below the median length for the age
    child = _member(make_family("Rafif"), "Rafif")
    # when the kader saves weight and length
    response = _weigh(
        client_as("kader.bayua"), lavender, child, weight_kg="8,6", length_height_cm="72", measure="L",
        services=["counselling||"],
    )  # fmt: skip
    # then the encounter is stored at the posyandu and the answer shows stunting and the KMS result
    page = response.content.decode()
    assert response.status_code == 200
    encounter = Encounter.objects.get(person=child)
    assert (encounter.facility, encounter.place, encounter.date) == (lavender, "posyandu", TODAY)
    assert encounter.services.filter(kind="counselling").exists()
    assert flag_label("stunted") in page
    assert "B: first weighing" in page
    assert f'id="sum-{child.external_id}" hx-swap-oob="true"' in page and "served" in page


def test_an_impossible_value_shows_the_error_next_to_the_field(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    response = _weigh(client_as("kader.bayua"), lavender, child, weight_kg="0")
    page = response.content.decode()
    assert 'class="field has-error"' in page and "is not possible" in page
    assert not Encounter.objects.filter(person=child).exists()


def test_an_error_is_shown_in_indonesian_for_an_indonesian_user(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    response = _weigh(client_as("kader.bayua", language="id"), lavender, child, weight_kg="abc")
    with translation.override("id"):
        expected = str(ERR_NUMBER) % {"field": str(ObservationKind.WEIGHT.label)}
    assert f'<small class="field-error">{escape(expected)}</small>' in response.content.decode()


def test_an_unusual_value_asks_for_confirmation(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    client = client_as("kader.bayua")
    # when a 15-month-old is weighed at 25 kg
    first = _weigh(client, lavender, child, weight_kg="25")
    # then nothing is saved and the form asks to confirm
    assert "far outside the WHO growth curves" in first.content.decode()
    assert f'name="p{child.pk}-confirm"' in first.content.decode()
    assert not Encounter.objects.filter(person=child).exists()
    # and once confirmed the value is stored flagged
    _weigh(client, lavender, child, weight_kg="25", confirm="on")
    assert Encounter.objects.get(person=child).observations.get(kind="weight_kg").confirmed_implausible


def test_the_entry_works_as_a_plain_page_without_htmx(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    client = client_as("kader.bayua")
    assert "<html" in client.get(_entry_url(lavender, child)).content.decode()
    data = {"tanggal": TODAY.isoformat(), f"p{child.pk}-weight_kg": "10.2"}
    response = client.post(_entry_url(lavender, child), data)
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert Encounter.objects.filter(person=child).count() == 1


def test_the_session_list_costs_a_fixed_number_of_queries(client_as, make_family, lavender, count_queries):
    # given one family, then four more with children weighed
    make_family("Rafif")
    client = client_as("kader.bayua")
    few, _response = count_queries(client, _day_url(lavender))
    for i in range(4):
        family = make_family(f"Anak{i}", f"Adik{i}")
        kid = _member(family, f"Anak{i}")
        _weigh(client, lavender, kid, weight_kg="10", length_height_cm="79", measure="L")
    # when the list is read again
    many, response = count_queries(client, _day_url(lavender))
    # then the number of queries does not grow with the sasaran
    assert many == few
    assert many <= 16
    assert response.content.decode().count('class="sasaran"') >= 13


# --- person page, referrals, home visits -------------------------------------------------------


def test_the_person_page_shows_flags_due_and_the_history(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    client = client_as("pustu.bayua")
    _weigh(client, lavender, child, weight_kg="8.6", length_height_cm="72", measure="L")
    page = client.get(f"/orang/{child.external_id}/").content.decode()
    panel = page.split('id="pelayanan"')[1]
    assert 'class="flag danger"' in panel and flag_label("stunted") in panel
    assert "72" in panel.split('id="encounters"')[1]
    assert 'id="refer"' in panel


def test_the_family_folder_shows_each_members_flags(client_as, make_family, lavender):
    family = make_family("Rafif")
    client = client_as("kader.bayua")
    _weigh(client, lavender, _member(family, "Rafif"), weight_kg="8.6", length_height_cm="72", measure="L")
    folder = client.get(f"/keluarga/{family.external_id}/").content.decode()
    assert flag_label("stunted") in folder and "No service data yet" not in folder


def test_a_health_worker_records_a_full_visit(client_as, make_family, users):
    family = make_family()
    head = family.head
    client = client_as("pustu.bayua")
    pustu = users["pustu.bayua"].facility
    form = client.get(f"/orang/{head.external_id}/pelayanan/")
    assert form.status_code == 200 and 'name="srq20_score"' in form.content.decode()
    data = {
        "date": TODAY.isoformat(), "place": "pustu", "facility": str(pustu.pk), "systolic_mmhg": "165",
        "diastolic_mmhg": "100", "srq20_score": "3", "tb_symptoms": "not_presumptive",
        "simple_services": ["counselling"],
    }  # fmt: skip
    response = client.post(f"/orang/{head.external_id}/pelayanan/", data)
    assert response.status_code == 302
    encounter = Encounter.objects.get(person=head)
    assert encounter.facility == pustu and encounter.observations.filter(kind="srq20_score", value=3).exists()
    page = client.get(f"/orang/{head.external_id}/").content.decode()
    assert flag_label("hypertension") in page


def _field_errors(page: str, name: str) -> list[str]:
    """The error messages shown in the block of the field `name` (up to the next field)."""
    start = page.index(f'for="id_{name}"')
    end = re.compile(r'<(div|fieldset) class="field').search(page, start)
    return re.findall(r'<small class="field-error">(.*?)</small>', page[start : end.start() if end else None])


def _worklist_item(page: str, family) -> str:
    """The worklist block of a family, found by its element id (it must be there)."""
    marker = f'id="wl-{family.external_id}"'
    assert marker in page
    return page.split(marker, 1)[1].split('class="wl-family"', 1)[0]


def test_the_full_visit_form_shows_service_errors_on_the_field(client_as, make_family):
    head = make_family().head
    data = {"date": TODAY.isoformat(), "place": "pustu", "systolic_mmhg": "120", "diastolic_mmhg": "130"}
    response = client_as("pustu.bayua").post(f"/orang/{head.external_id}/pelayanan/", data)
    assert response.status_code == 200
    page = response.content.decode()
    expected = str(ERR_FACILITY_REQUIRED) % {"kind": FacilityKind.PUSTU.label}
    assert _field_errors(page, "facility") == [escape(expected)]
    assert not Encounter.objects.filter(person=head).exists()


def test_a_referral_is_prefilled_from_the_flags_and_advanced(client_as, make_family, lavender, users):
    # given a stunted child
    child = _member(make_family("Rafif"), "Rafif")
    client = client_as("pustu.bayua")
    _weigh(client, lavender, child, weight_kg="8.6", length_height_cm="72", measure="L")
    # when the pustu opens the referral form
    form = client.get(f"/orang/{child.external_id}/rujuk/").content.decode()
    # then it suggests the puskesmas with the stunting flag ticked
    assert 'value="puskesmas" selected' in form
    assert re.search(r'<input type="checkbox" name="reasons" value="stunted"[^>]*checked', form)
    data = {"date": TODAY.isoformat(), "from_level": "pustu", "to_level": "puskesmas", "reasons": ["stunted"]}
    assert client.post(f"/orang/{child.external_id}/rujuk/", data).status_code == 302
    referral = Referral.objects.get(person=child)
    # when the referral list is opened and the next step recorded
    listing = client.get("/rujukan/").content.decode()
    assert "Rafif" in listing and flag_label("stunted") in listing
    step = {f"r{referral.pk}-status": "received", f"r{referral.pk}-date": TODAY.isoformat()}
    assert client.post(f"/rujukan/{referral.external_id}/langkah/", step).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    # and a step the chain does not allow is refused on the form
    wrong = {f"r{referral.pk}-status": "followed_up", f"r{referral.pk}-date": TODAY.isoformat()}
    assert client.post(f"/rujukan/{referral.external_id}/langkah/", wrong).status_code == 400


def test_closed_referrals_show_only_under_all(client_as, make_family, users):
    child = _member(make_family("Rafif"), "Rafif")
    scope = scope_for(users["pustu.bayua"])
    referral = referral_create(
        scope=scope, person=child, date=TODAY, from_level="pustu", to_level="puskesmas", note="demam",
        actor=users["pustu.bayua"],
    )  # fmt: skip
    client = client_as("pustu.bayua")
    step = {f"r{referral.pk}-status": "cancelled", f"r{referral.pk}-date": TODAY.isoformat()}
    client.post(f"/rujukan/{referral.external_id}/langkah/", step)
    assert f"ref-{referral.external_id}" not in client.get("/rujukan/").content.decode()
    assert f"ref-{referral.external_id}" in client.get("/rujukan/?status=semua").content.decode()


def test_the_worklist_lists_the_family_and_records_a_visit(client_as, make_family, lavender, users):
    # given a stunted child nobody referred yet
    family = make_family("Rafif")
    child = _member(family, "Rafif")
    kader = users["kader.bayua"]
    encounter_record(
        scope=scope_for(kader), person=child, date=TODAY, place="posyandu", facility=lavender,
        observations={"weight_kg": 8.6, "length_height_cm": 72, "measure": "L"}, actor=kader,
    )  # fmt: skip
    client = client_as("kader.bayua")
    # when the kader opens the worklist
    page = client.get("/kunjungan-rumah/").content.decode()
    # then the family is there with the reason, printable
    item = _worklist_item(page, family)
    assert str(REASON_LABELS[Reason.FLAG]) in item and "Rafif" in item
    assert "print-worklist" in page
    # when the visit is recorded for that reason
    prefix = f"f{family.pk}-"
    assert f'name="{prefix}reasons" value="{Reason.FLAG.value}"' in item
    data = {
        prefix + "date": TODAY.isoformat(),
        prefix + "reasons": [Reason.FLAG.value],
        prefix + "person": str(child.pk),
    }
    response = client.post(f"/kunjungan-rumah/{family.external_id}/", data)
    # then it is stored and the reason closed
    assert response.status_code == 302
    visit = HomeVisit.objects.get(family=family)
    assert visit.reasons == [Reason.FLAG.value] and visit.person == child
    # and the worklist no longer lists the family for it
    page = client.get("/kunjungan-rumah/").content.decode()
    if f'id="wl-{family.external_id}"' in page:  # still listed for other reasons: the flag is no longer open
        assert f'name="{prefix}reasons" value="{Reason.FLAG.value}"' not in _worklist_item(page, family)


def test_a_pregnant_woman_gets_the_anc_entry_and_her_contact_is_counted(client_as, make_family, lavender, users):
    # given a pregnant wife in a family of the kader's posyandu
    family = make_family()
    kader = users["kader.bayua"]
    wife = family_member_add(
        scope=scope_for(kader), family=family, actor=kader,
        **wife_data(nik="", nik_missing_reason="not_recorded"),
    )  # fmt: skip
    pregnancy_record(scope=scope_for(kader), person=wife, lmp_date=TODAY - dt.timedelta(days=100), actor=kader)
    client = client_as("kader.bayua")
    # when the kader opens the posyandu day and her quick entry
    day = client.get(_day_url(lavender)).content.decode()
    form = client.get(_entry_url(lavender, wife), headers=HX).content.decode()
    # then she is in the ibu hamil group and the form asks for Hb, LiLA, blood pressure and ANC K1
    assert wife.name in day.split('id="group-ibu_hamil"')[1].split("</section>")[0]
    assert f'name="p{wife.pk}-haemoglobin_g_dl"' in form and f'name="p{wife.pk}-muac_cm"' in form
    assert 'value="anc||1"' in form
    # when the contact is saved, the next form offers K2
    _weigh(client, lavender, wife, weight_kg="55", muac_cm="24", systolic_mmhg="110", diastolic_mmhg="70",
           haemoglobin_g_dl="11.5", services=["anc||1"])  # fmt: skip
    assert Encounter.objects.get(person=wife).services.get(kind="anc").dose == 1
    assert 'value="anc||2"' in client.get(_entry_url(lavender, wife), headers=HX).content.decode()


def test_a_visit_recorded_in_error_is_voided_and_struck_through(client_as, make_family, lavender):
    child = _member(make_family("Rafif"), "Rafif")
    client = client_as("pustu.bayua")
    _weigh(client, lavender, child, weight_kg="10.2")
    encounter = Encounter.objects.get(person=child)
    # when the visit is voided without a reason, then with one
    client.post(f"/pelayanan/{encounter.external_id}/batal/", {"reason": " "})
    assert Encounter.objects.get(pk=encounter.pk).status == "recorded"
    response = client.post(f"/pelayanan/{encounter.external_id}/batal/", {"reason": "wrong child"})
    # then it stays in the history, struck through, without a void form of its own
    assert response.status_code == 302
    page = client.get(f"/orang/{child.external_id}/").content.decode()
    history = page.split('id="encounters"')[1]
    assert 'class="visit voided"' in history and "<del>" in history and "void-form" not in history
    assert client_as("walinagari.maninjau").post(f"/pelayanan/{encounter.external_id}/batal/").status_code == 403
