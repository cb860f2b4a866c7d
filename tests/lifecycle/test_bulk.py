"""Recording many encounters at once: the same rows as `encounter_record`, all or nothing, scoped."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilp.core.models import AuditEntry
from ilp.facilities.models import Facility
from ilp.lifecycle.bulk import ERR_DRAFT, EncounterDraft, encounters_bulk_record
from ilp.lifecycle.measurements import ERR_BP_ORDER
from ilp.lifecycle.models import Encounter, EncounterEvent, Observation, RecorderKind, ServiceGiven, ServiceKind
from ilp.lifecycle.services import ConfirmationNeeded, ServiceInput, encounter_record
from ilp.lifecycle.services.common import ERR_DATE_BEFORE_BIRTH, ERR_FACILITY_OUT_OF_SCOPE, ERR_KADER_PLACE
from ilp.lifecycle.services.encounters import ERR_ANC_NOT_PREGNANT, ERR_DOSE
from ilp.people.models import Person
from ilp.people.services import ERR_PERSON_OUT_OF_SCOPE, pregnancy_record
from tests.people.conftest import MANINJAU

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# Timestamps and identifiers differ between two recordings of the same input; everything else must not.
VOLATILE = {"id", "external_id", "created_at", "updated_at"}


@pytest.fixture
def bayua(make_family):
    """A family of the kader's posyandu in Bayua: a father, a pregnant mother, a one-year-old, an infant."""
    family = make_family(
        username="kader.bayua",
        members=[
            {"name": "Yusnimar", "sex": "F", "birth_date": dt.date(1994, 3, 2), "nik": "",
             "nik_missing_reason": "not_recorded", "relationship": "istri"},
            {"name": "Rafif", "sex": "M", "birth_date": TODAY - dt.timedelta(days=365), "nik": "",
             "nik_missing_reason": "not_recorded", "relationship": "anak"},
            {"name": "Aisyah", "sex": "F", "birth_date": TODAY - dt.timedelta(days=75), "nik": "",
             "nik_missing_reason": "newborn", "relationship": "anak"},
        ],
    )  # fmt: skip
    persons = {p.name: p for p in Person.objects.filter(memberships__family=family)}
    persons["head"] = family.head
    return persons


def _inputs(bayua, users):
    """Encounters as a form would send them: (person, place, facility, observations, services, confirm)."""
    posyandu, pustu = users["kader.bayua"].facility, users["pustu.bayua"].facility
    week = TODAY - dt.timedelta(days=7)
    return [
        (bayua["Rafif"], week, "posyandu", posyandu,
         {"weight_kg": "9,6", "length_height_cm": 75.7, "measure": "L", "muac_cm": 14.2, "head_circumference_cm": 46},
         [ServiceInput("vitamin_a", "child")], False),
        (bayua["Rafif"], TODAY, "posyandu", posyandu, {"weight_kg": 25}, [], True),
        (bayua["Aisyah"], TODAY, "pustu", pustu, {"weight_kg": 5.1, "length_height_cm": 57, "oedema": "n"},
         [ServiceInput("immunisation", "dpt_hb_hib1"), ServiceInput("immunisation", "pcv1")], False),
        (bayua["Yusnimar"], TODAY, "pustu", pustu,
         {"haemoglobin_g_dl": 10.4, "muac_cm": 22.8, "systolic_mmhg": 118, "diastolic_mmhg": 76, "hiv_test": "neg",
          "weight_kg": 52},
         [ServiceInput("anc", dose=1)], False),
        (bayua["head"], week, "pustu", pustu,
         {"systolic_mmhg": "152", "diastolic_mmhg": 96, "glucose_random_mg_dl": 212, "smoking": "y",
          "skilas_positive": "vision, cognition", "srq20_score": 4, "waist_cm": 94, "weight_kg": None},
         [], False),
    ]  # fmt: skip


def _rows(encounter):
    observations = sorted(encounter.observations.values_list("kind", "value", "code", "confirmed_implausible"))
    services = sorted(encounter.services.values_list("kind", "code", "dose"), key=str)
    changes = AuditEntry.objects.get(object_type="lifecycle.encounter", object_id=str(encounter.external_id)).changes
    fields = (encounter.person_id, encounter.date, encounter.place, encounter.facility_id, encounter.recorder_kind)
    events = list(encounter.events.values_list("status", "actor_id", "note"))
    return fields, observations, services, {k: v for k, v in changes.items() if k not in VOLATILE}, events


def test_drafts_give_the_same_rows_as_encounter_record(bayua, scope, users):
    # given the pregnancy, and the same encounters recorded one by one through the service
    pustu_user = users["pustu.bayua"]
    s = scope("pustu.bayua")
    pregnancy_record(scope=s, person=bayua["Yusnimar"], lmp_date=TODAY - dt.timedelta(days=70))
    inputs = _inputs(bayua, users)
    one_by_one = [
        encounter_record(
            scope=s, person=p, date=on, place=place, facility=f, observations=obs, services=svc,
            confirm_implausible=confirm, actor=pustu_user,
        ).encounter
        for p, on, place, f, obs, svc, confirm in inputs
    ]  # fmt: skip
    # when the same input goes through the bulk path, in chunks smaller than the list
    drafts = [
        EncounterDraft(person_id=p.pk, date=on, place=place, facility_id=f.pk, observations=obs, services=svc,
                       confirm_implausible=confirm)
        for p, on, place, f, obs, svc, confirm in inputs
    ]  # fmt: skip
    before = Encounter.objects.count()
    result = encounters_bulk_record(scope=s, encounters=drafts, actor=pustu_user, chunk_size=2)
    # then every encounter has the same observations, derived z-scores, services, audit changes and event
    bulk = list(Encounter.objects.filter(pk__gt=max(e.pk for e in one_by_one)).order_by("id"))
    assert len(bulk) == Encounter.objects.count() - before == result.encounters == len(inputs)
    for service_made, bulk_made in zip(one_by_one, bulk, strict=True):
        assert _rows(bulk_made) == _rows(service_made)
    kinds = set(Observation.objects.filter(encounter__in=bulk).values_list("kind", flat=True))
    assert {"z_wfa", "z_lhfa", "z_wflh", "z_bmifa", "z_hcfa", "z_acfa"} <= kinds
    assert result.observations == Observation.objects.filter(encounter__in=bulk).count()
    assert result.services == ServiceGiven.objects.filter(encounter__in=bulk).count() == 4
    assert result.audit_entries == EncounterEvent.objects.filter(encounter__in=bulk).count() == len(inputs)
    assert result.implausible == 1  # the 25 kg one-year-old, confirmed and flagged
    entry = AuditEntry.objects.get(object_id=str(bulk[0].external_id))
    assert (entry.actor_id, entry.actor_username) == (pustu_user.pk, "pustu.bayua")


def test_an_impossible_value_refuses_the_whole_call_naming_the_draft(bayua, scope, users):
    posyandu = users["kader.bayua"].facility
    rafif = bayua["Rafif"]
    drafts = [
        EncounterDraft(rafif.pk, TODAY, "posyandu", posyandu.pk, {"weight_kg": 9.5}),
        EncounterDraft(bayua["head"].pk, TODAY, "posyandu", posyandu.pk, {"systolic_mmhg": 120, "diastolic_mmhg": 130}),
    ]
    before = Encounter.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        # chunks of one: the first draft is already written when the second is refused
        encounters_bulk_record(scope=scope("kader.bayua"), encounters=drafts, actor=users["kader.bayua"], chunk_size=1)
    expected = str(ERR_DRAFT) % {"index": 2, "message": ERR_BP_ORDER}
    assert refused.value.message_dict == {"diastolic_mmhg": [expected]}
    assert (refused.value.draft_index, refused.value.field) == (1, "diastolic_mmhg")
    assert (Encounter.objects.count(), AuditEntry.objects.count()) == before
    with pytest.raises(ValidationError) as zero:
        encounters_bulk_record(
            scope=scope("kader.bayua"), encounters=[EncounterDraft(rafif.pk, TODAY, "home", None, {"weight_kg": 0})]
        )
    assert list(zero.value.message_dict) == ["weight_kg"] and zero.value.draft_index == 0


def _one(scope, draft, actor=None):
    return encounters_bulk_record(scope=scope, encounters=[draft], actor=actor)


def test_unusual_values_need_confirmation_and_dates_follow_birth(bayua, scope, users):
    s, kader = scope("kader.bayua"), users["kader.bayua"]
    rafif = bayua["Rafif"]
    with pytest.raises(ConfirmationNeeded) as unusual:
        _one(s, EncounterDraft(rafif.pk, TODAY, "home", None, {"weight_kg": 25}), kader)
    assert unusual.value.draft_index == 0 and "weight_kg" in unusual.value.message_dict
    with pytest.raises(ValidationError) as early:
        _one(
            s, EncounterDraft(rafif.pk, rafif.birth_date - dt.timedelta(days=1), "home", None, {"weight_kg": 3}), kader
        )
    message = str(ERR_DATE_BEFORE_BIRTH) % {"birth": rafif.birth_date.isoformat()}
    assert early.value.message_dict == {"date": [str(ERR_DRAFT) % {"index": 1, "message": message}]}
    with pytest.raises(ValidationError) as anc:
        _one(s, EncounterDraft(bayua["Yusnimar"].pk, TODAY, "home", services=[ServiceInput("anc", dose=1)]), kader)
    assert anc.value.message_dict["services"] == [str(ERR_DRAFT) % {"index": 1, "message": ERR_ANC_NOT_PREGNANT}]


def test_the_scope_is_checked_per_draft(bayua, make_family, scope, users):
    kader, s = users["kader.bayua"], scope("kader.bayua")
    outsider = make_family(code=MANINJAU, username="kapus.maninjau").head
    rafif = bayua["Rafif"]
    siblings = Facility.objects.filter(kind="posyandu", parent=kader.facility.parent).exclude(pk=kader.facility_id)
    cases = [
        (EncounterDraft(outsider.pk, TODAY, "home", None, {"weight_kg": 60}), "person", ERR_PERSON_OUT_OF_SCOPE),
        (EncounterDraft(rafif.pk, TODAY, "pustu", users["pustu.bayua"].facility.pk, {"weight_kg": 9}), "place",
         ERR_KADER_PLACE),
        (EncounterDraft(rafif.pk, TODAY, "posyandu", siblings.get().pk, {"weight_kg": 9}), "facility",
         ERR_FACILITY_OUT_OF_SCOPE),
    ]  # fmt: skip
    for draft, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            _one(s, draft, kader)
        assert refused.value.message_dict == {field: [str(ERR_DRAFT) % {"index": 1, "message": message}]}
    with pytest.raises(PermissionDenied):
        _one(scope("walinagari.maninjau"), EncounterDraft(outsider.pk, TODAY, "home", None, {"weight_kg": 60}))
    # a kader's drafts are recorded as the kader's, whatever they say
    result = _one(s, EncounterDraft(rafif.pk, TODAY, "home", None, {"weight_kg": 9.4}, recorder_kind="nakes"), kader)
    assert result.encounters == 1
    assert Encounter.objects.get(person=rafif).recorder_kind == RecorderKind.KADER


def test_a_dose_that_is_not_a_number_is_refused_naming_the_service_and_the_draft(bayua, scope, users):
    # given an imported row whose dose column says "I" (a roman numeral typed in a sheet)
    draft = EncounterDraft(
        bayua["Rafif"].pk, TODAY, "home", None, services=[ServiceInput("immunisation", "dpt_hb_hib1", dose="I")]
    )
    with pytest.raises(ValidationError) as refused:
        _one(scope("kader.bayua"), draft)
    label = ServiceKind.IMMUNISATION.label
    message = str(ERR_DRAFT) % {"index": 1, "message": str(ERR_DOSE) % {"field": label}}
    assert refused.value.message_dict == {"services": [message]}


def test_the_number_of_queries_does_not_grow_with_the_drafts(bayua, scope):
    # given two and eight weighings of the family's children in one chunk
    s = scope("pustu.bayua")

    def drafts(n):
        children = [bayua["Rafif"], bayua["Aisyah"]]
        return [
            EncounterDraft(children[i % 2].pk, TODAY - dt.timedelta(days=i), "home", None, {"weight_kg": 6 + i % 3})
            for i in range(n)
        ]

    counts = []
    for n in (2, 8):
        with CaptureQueriesContext(connection) as captured:
            encounters_bulk_record(scope=s, encounters=drafts(n), chunk_size=100)
        counts.append(len(captured))
    # then the chunk costs the same number of queries whatever its size
    assert counts[0] == counts[1], counts
