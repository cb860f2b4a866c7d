"""PWS "who is missing": the unweighed balita of a desa by name, scoped, and one click to a home visit.

The tiny world: in Bayua, a family of the kader's posyandu with Fathan (weighed this month) and Rafif (not),
and a family of the other posyandu with Zahra (not weighed); the facts are computed by the real engine.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from ilp.accounts.scope import scope_for
from ilp.facilities.models import Facility, FacilityKind
from ilp.indicators import registry
from ilp.indicators.refresh import refresh_all
from ilp.lifecycle.models import HomeVisitRequest
from ilp.lifecycle.services import encounter_record
from ilp.lifecycle.services.home_visits import ERR_REQUEST_DECEASED
from ilp.lifecycle.worklist import Reason, home_visit_worklist
from ilp.people.models import Person
from ilp.people.services import family_register, person_record_death
from ilp.people.services.common import ERR_READ_ONLY
from ilp.regions.models import Region
from ilp.web.forms_pws import ERR_PERIOD
from tests.people.conftest import BAYUA, MANINJAU, head_data, kk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONTH = f"{TODAY:%Y-%m}"
VISIT_DONE = "visit-done"


def child(name: str, days: int, sex: str = "M") -> dict:
    born = TODAY - dt.timedelta(days=days)
    return {"name": name, "sex": sex, "birth_date": born, "nik": "", "nik_missing_reason": "not_recorded",
            "relationship": "anak"}  # fmt: skip


def other_posyandu(kader) -> Facility:
    """The second posyandu of Bayua (not the kader's)."""
    qs = Facility.objects.filter(kind=FacilityKind.POSYANDU, region__village__code=BAYUA)
    return qs.exclude(pk=kader.facility_id).order_by("code").first()


def register_at(users, posyandu, *members, by="pustu.bayua", code=BAYUA) -> list[Person]:
    """A family of the desa attending `posyandu`, registered by `by`; returns its children."""
    user = users[by]
    family = family_register(
        scope=scope_for(user),
        region=Region.objects.get(code=code),
        kk_number=kk(),
        address_text="Jorong Subarang",
        head=head_data(),
        members=list(members),
        posyandu=posyandu,
        actor=user,
    )
    names = [m["name"] for m in members]
    return list(Person.objects.filter(memberships__family=family, name__in=names).order_by("name"))


@pytest.fixture
def world(users):
    """Fathan (weighed) and Rafif at the kader's posyandu, Zahra at the other one; facts refreshed."""
    kader = users["kader.bayua"]
    fathan, rafif = register_at(users, kader.facility, child("Fathan", 548), child("Rafif", 900))
    (zahra,) = register_at(users, other_posyandu(kader), child("Zahra", 400, "F"))
    encounter_record(
        scope=scope_for(kader), person=fathan, actor=kader, date=TODAY, place="posyandu",
        facility=kader.facility, observations={"weight_kg": "11,2"},
    )  # fmt: skip
    refresh_all(today=TODAY)
    return {"fathan": fathan, "rafif": rafif, "zahra": zahra, "kader": kader}


def missing_url(code=BAYUA, indicator="child_weighed", month=MONTH) -> str:
    return f"{reverse('web:pws_missing', args=[code, indicator])}?periode={month}"


def visit_url(code=BAYUA, indicator="child_weighed") -> str:
    return reverse("web:pws_missing_visit", args=[code, indicator])


def listed(response) -> list[str]:
    """The names of the rows of the list, in order."""
    body = response.content.decode()
    table = body.split('id="missing-list"', 1)[1] if 'id="missing-list"' in body else ""
    return re.findall(r'<tr id="p-[^"]+">\s*<td><a href="[^"]+">([^<]+)</a>', table)


def row_of(response, person) -> str:
    body = response.content.decode()
    return body.split(f'<tr id="p-{person.external_id}">', 1)[1].split("</tr>", 1)[0]


def expected_reason(period: dt.date) -> str:
    with translation.override("id"):
        return f"{registry.get('child_weighed').name} — {date_format(period, 'F Y')}"


def test_the_list_shows_exactly_the_unweighed_balita_of_the_desa(world, client_as):
    # when the kepala puskesmas opens who is missing for D/S in Bayua this month
    response = client_as("kapus.maninjau").get(missing_url())
    # then the two unweighed balita are listed by name, Fathan (weighed) is not
    assert response.status_code == 200
    assert listed(response) == ["Rafif", "Zahra"]
    body = response.content.decode()
    assert reverse("web:person_detail", args=[world["rafif"].external_id]) in body
    assert "Posyandu Lavender Bayua" in body and "Jorong Subarang" in body


def test_a_kader_sees_only_the_balita_of_their_posyandu(world, client_as):
    kader = world["kader"]
    client = client_as("kader.bayua")
    # the kader reads their posyandu: Rafif only, Zahra attends the other posyandu
    response = client.get(missing_url(code=kader.facility.code))
    assert listed(response) == ["Rafif"]
    # the whole desa and the other posyandu are refused
    assert client.get(missing_url()).status_code == 403
    assert client.get(missing_url(code=other_posyandu(kader).code)).status_code == 403


def test_lintas_sektor_reads_no_names(world, client_as):
    assert client_as("camat.tanjungraya").get(missing_url()).status_code == 403


def test_unknown_area_or_indicator_is_not_found(world, client_as):
    client = client_as("kapus.maninjau")
    assert client.get(missing_url(code="99.99")).status_code == 404
    assert client.get(missing_url(indicator="nope")).status_code == 404


def test_a_bad_period_is_a_message_not_a_crash(world, client_as):
    response = client_as("kapus.maninjau").get(missing_url(month="2026-13"))
    assert response.status_code == 400
    with translation.override("id"):
        assert str(ERR_PERIOD) in response.content.decode()


def test_a_prevalence_lists_the_cases_and_says_so(world, client_as):
    response = client_as("kapus.maninjau").get(missing_url(indicator="stunting"))
    assert response.status_code == 200
    assert 'id="cases-note"' in response.content.decode()
    assert listed(response) == []  # nobody measured short


def test_a_family_indicator_lists_families(world, client_as):
    response = client_as("kapus.maninjau").get(missing_url(indicator="home_visit_families"))
    body = response.content.decode()
    assert response.status_code == 200
    families = {m.family for m in world["rafif"].memberships.all()} | {
        m.family for m in world["zahra"].memberships.all()
    }
    for family in families:
        assert reverse("web:family_detail", args=[family.external_id]) in body


def test_one_click_puts_the_person_on_the_home_visit_worklist(world, client_as):
    kader, rafif = world["kader"], world["rafif"]
    client = client_as("kader.bayua")
    url = visit_url(code=kader.facility.code)
    # when the kader clicks "add to home visits" on Rafif's row (htmx)
    response = client.post(url, {"orang": rafif.external_id, "periode": MONTH}, HTTP_HX_REQUEST="true")
    # then the row says so, and Rafif's family is on the worklist with the indicator and month as the reason
    assert response.status_code == 200 and VISIT_DONE in response.content.decode()
    request = HomeVisitRequest.objects.get(person=rafif)
    assert (request.source, request.reason) == ("pws:child_weighed", expected_reason(TODAY.replace(day=1)))
    items = home_visit_worklist(scope=scope_for(kader), on=TODAY, posyandu=kader.facility)
    reasons = {m.membership.person_id: m.reasons for item in items for m in item.members}
    assert reasons[rafif.pk][Reason.REQUESTED] == [request.reason]
    # a second click (without htmx: back to the list) changes nothing
    again = client.post(url, {"orang": rafif.external_id, "periode": MONTH})
    assert again.status_code == 302 and again["Location"].startswith(missing_url(code=kader.facility.code))
    assert HomeVisitRequest.objects.filter(person=rafif).count() == 1
    # and the list shows the done state on Rafif's row
    page = client.get(missing_url(code=kader.facility.code))
    assert VISIT_DONE in row_of(page, rafif)


def test_the_done_state_is_per_indicator(world, client_as):
    rafif = world["rafif"]
    client = client_as("kapus.maninjau")
    client.post(visit_url(), {"orang": rafif.external_id, "periode": MONTH})
    # Rafif is done for D/S, Zahra is not; another indicator's list still offers the button
    page = client.get(missing_url())
    assert VISIT_DONE in row_of(page, rafif) and VISIT_DONE not in row_of(page, world["zahra"])
    other = client.get(missing_url(indicator="vitamin_a"))
    assert rafif.name in listed(other) and VISIT_DONE not in row_of(other, rafif)


def test_a_refusal_is_shown_on_the_row(world, client_as, users):
    zahra = world["zahra"]
    person_record_death(scope=scope_for(users["pustu.bayua"]), person=zahra, died_on=TODAY, actor=users["pustu.bayua"])
    response = client_as("kapus.maninjau").post(
        visit_url(), {"orang": zahra.external_id, "periode": MONTH}, HTTP_HX_REQUEST="true"
    )
    with translation.override("id"):
        assert str(ERR_REQUEST_DECEASED) in response.content.decode()
    assert not HomeVisitRequest.objects.filter(person=zahra).exists()


def test_a_pemdes_reads_only_their_desa(world, client_as):
    assert client_as("walinagari.maninjau").get(missing_url()).status_code == 403


def test_a_pemdes_reads_the_list_without_the_button(world, client_as, users):
    # given an unweighed balita in Maninjau, the wali nagari's desa
    (alif,) = register_at(users, None, child("Alif", 700), by="kapus.maninjau", code=MANINJAU)
    client = client_as("walinagari.maninjau")
    page = client.get(missing_url(code=MANINJAU))
    assert listed(page) == ["Alif"] and "visit-add" not in page.content.decode()
    # a POST anyway is refused on the row, naming why
    response = client.post(
        visit_url(code=MANINJAU), {"orang": alif.external_id, "periode": MONTH}, HTTP_HX_REQUEST="true"
    )
    with translation.override("id"):
        assert str(ERR_READ_ONLY) in response.content.decode()
    assert "visit-add" not in response.content.decode()
    assert not HomeVisitRequest.objects.filter(person=alif).exists()


def test_the_list_costs_the_same_queries_for_3_and_6_missing(world, client_as, users, django_assert_num_queries):
    client = client_as("kapus.maninjau")
    register_at(users, world["kader"].facility, child("Nabil", 300))
    client.get(missing_url())  # warm-up: the first request of a session fills some caches
    with CaptureQueriesContext(connection) as three:
        response = client.get(missing_url())
    assert len(listed(response)) == 3
    register_at(users, world["kader"].facility, child("Putri", 200, "F"), child("Raka", 100), child("Sari", 50))
    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get(missing_url())
    assert len(listed(response)) == 6
