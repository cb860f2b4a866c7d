"""Asking for a home visit from the PWS: a person missing from an indicator goes on the worklist in one click."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilp.core.models import AuditAction, AuditEntry
from ilp.lifecycle.models import HomeVisitRequest
from ilp.lifecycle.services import home_visit_record, home_visit_request_add
from ilp.lifecycle.services.home_visits import ERR_REQUEST_DECEASED, ERR_REQUEST_REASON
from ilp.lifecycle.worklist import REASON_LABELS, Reason, home_visit_worklist
from ilp.people.models import Person
from ilp.people.services import ERR_PERSON_OUT_OF_SCOPE, person_record_death
from tests.people.conftest import MANINJAU

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
WEIGHED = "Balita ditimbang (D/S) — Oktober 2026"
SOURCE = "pws:child_weighed"


@pytest.fixture
def kader_child(make_family):
    """Make a family of the kader's posyandu with a child; return (family, child)."""

    def _make(name="Fathan"):
        family = make_family(
            username="kader.bayua",
            members=[
                {"name": name, "sex": "M", "birth_date": TODAY - dt.timedelta(days=548), "nik": "",
                 "nik_missing_reason": "not_recorded", "relationship": "anak"},
            ],
        )  # fmt: skip
        return family, Person.objects.get(name=name, memberships__family=family)

    return _make


def _add(scope, user, person, reason=WEIGHED, source=SOURCE):
    return home_visit_request_add(actor=user, scope=scope, person=person, reason=reason, source=source, on=TODAY)


def _worklist(scope, kader):
    return {i.family.pk: i for i in home_visit_worklist(scope=scope, on=TODAY, posyandu=kader.facility)}


def _requested(items, family, person):
    """The request texts shown for `person` on the worklist (empty when the family or reason is absent)."""
    item = items.get(family.pk)
    if item is None or Reason.REQUESTED not in item.open_reasons:
        return []
    member = next((m for m in item.members if m.membership.person_id == person.pk), None)
    return member.reasons.get(Reason.REQUESTED, []) if member else []


def test_an_added_person_is_on_the_worklist_with_the_reason_text(kader_child, scope, users):
    family, child = kader_child()
    kader, s = users["kader.bayua"], scope("kader.bayua")
    # when the PWS asks for a visit to Fathan, not weighed this month
    request = _add(s, kader, child)
    # then the request holds his current family and the day, and his family is on the worklist for it
    assert (request.family, request.requested_on, request.source, request.closed_on) == (family, TODAY, SOURCE, None)
    items = _worklist(s, kader)
    assert _requested(items, family, child) == [WEIGHED]


def test_adding_the_same_person_from_the_same_source_twice_returns_the_open_request(kader_child, scope, users):
    _family, child = kader_child()
    kader, s = users["kader.bayua"], scope("kader.bayua")
    first = _add(s, kader, child)
    # when the same indicator asks again, then nothing new is written
    again = _add(s, kader, child, reason="Balita ditimbang (D/S) — November 2026")
    assert again.pk == first.pk and again.reason == WEIGHED
    assert HomeVisitRequest.objects.filter(person=child).count() == 1
    # but another indicator adds its own request
    other = _add(s, kader, child, reason="Imunisasi dasar lengkap", source="pws:immunisation_complete")
    assert other.pk != first.pk
    assert HomeVisitRequest.objects.filter(person=child, closed_on__isnull=True).count() == 2


def test_a_person_outside_the_scope_is_refused(make_family, scope, users):
    # given a family of Maninjau, registered by the puskesmas
    family = make_family(username="kapus.maninjau", code=MANINJAU)
    # when the Bayua kader asks for a visit to its head, then it is refused naming why
    with pytest.raises(ValidationError) as err:
        _add(scope("kader.bayua"), users["kader.bayua"], family.head)
    assert err.value.message_dict == {"person": [str(ERR_PERSON_OUT_OF_SCOPE)]}
    assert not HomeVisitRequest.objects.filter(person=family.head).exists()


def test_a_deceased_person_is_refused(kader_child, scope, users):
    _family, child = kader_child()
    kader, s = users["kader.bayua"], scope("kader.bayua")
    person_record_death(scope=s, person=child, died_on=TODAY, actor=kader)
    with pytest.raises(ValidationError) as err:
        _add(s, kader, child)
    assert err.value.message_dict == {"person": [str(ERR_REQUEST_DECEASED)]}


def test_a_blank_reason_is_refused(kader_child, scope, users):
    _family, child = kader_child()
    with pytest.raises(ValidationError) as err:
        _add(scope("kader.bayua"), users["kader.bayua"], child, reason="  ")
    assert err.value.message_dict == {"reason": [str(ERR_REQUEST_REASON)]}


def test_a_home_visit_that_addressed_the_request_closes_it(kader_child, scope, users):
    family, child = kader_child()
    kader, s = users["kader.bayua"], scope("kader.bayua")
    request = _add(s, kader, child)
    # when the kader records the visit to the family for the request
    visit = home_visit_record(scope=s, family=family, date=TODAY, reasons=[Reason.REQUESTED], actor=kader)
    # then the request is closed by it and gone from the worklist
    request.refresh_from_db()
    assert (request.closed_by, request.closed_on) == (visit, TODAY)
    assert _requested(_worklist(s, kader), family, child) == []
    # and a new request from the same indicator opens a fresh one that shows again, visit or not
    again = _add(s, kader, child)
    assert again.pk != request.pk
    assert _requested(_worklist(s, kader), family, child) == [WEIGHED]


def test_a_home_visit_about_the_person_closes_the_request(kader_child, scope, users):
    family, child = kader_child()
    kader, s = users["kader.bayua"], scope("kader.bayua")
    request = _add(s, kader, child)
    visit = home_visit_record(scope=s, family=family, date=TODAY, person=child, note="Ditimbang di rumah", actor=kader)
    request.refresh_from_db()
    assert request.closed_by == visit


def test_the_worklist_page_shows_the_request_and_its_visit_form_closes_it(kader_child, scope, users, client_as):
    family, child = kader_child()
    kader = users["kader.bayua"]
    request = _add(scope("kader.bayua"), kader, child)
    client = client_as("kader.bayua")
    # when the kader opens the worklist, then the family shows the request with its text, ready to tick
    page = client.get("/kunjungan-rumah/").content.decode()
    item = page.split(f'id="wl-{family.external_id}"', 1)[1].split('class="wl-family"', 1)[0]
    assert str(REASON_LABELS[Reason.REQUESTED]) in item and WEIGHED in item
    prefix = f"f{family.pk}-"
    assert f'name="{prefix}reasons" value="{Reason.REQUESTED.value}"' in item
    # when the visit is recorded for it, then the request is closed
    data = {prefix + "date": TODAY.isoformat(), prefix + "reasons": [Reason.REQUESTED.value]}
    assert client.post(f"/kunjungan-rumah/{family.external_id}/", data).status_code == 302
    request.refresh_from_db()
    assert request.closed_on == TODAY and request.closed_by.family == family


def test_adding_and_closing_write_audit_entries(kader_child, scope, users):
    family, child = kader_child()
    kader, s = users["kader.bayua"], scope("kader.bayua")
    request = _add(s, kader, child)
    entries = AuditEntry.objects.filter(object_type="lifecycle.homevisitrequest", object_id=str(request.external_id))
    created = entries.get(action=AuditAction.CREATE)
    assert created.actor_id == kader.pk
    assert created.changes["reason"] == [None, WEIGHED] and created.changes["source"] == [None, SOURCE]
    # adding again writes nothing; closing writes an update
    _add(s, kader, child)
    assert entries.count() == 1
    home_visit_record(scope=s, family=family, date=TODAY, reasons=[Reason.REQUESTED], actor=kader)
    assert entries.get(action=AuditAction.UPDATE).changes["closed_on"] == [None, TODAY.isoformat()]


def test_the_worklist_takes_the_same_queries_for_one_or_three_requests(
    kader_child, scope, users, django_assert_num_queries
):
    kader, s = users["kader.bayua"], scope("kader.bayua")
    children = [kader_child(name)[1] for name in ("Fathan", "Rafif", "Alif")]
    _add(s, kader, children[0])
    with CaptureQueriesContext(connection) as one:
        _worklist(s, kader)
    for child in children[1:]:
        _add(s, kader, child)
    with django_assert_num_queries(len(one)):
        items = _worklist(s, kader)
    shown = [m for i in items.values() for m in i.members if Reason.REQUESTED in m.reasons]
    assert {m.membership.person_id for m in shown} == {c.pk for c in children}
