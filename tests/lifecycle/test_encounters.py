"""Recording an encounter: plausible values only, z-scores derived for a child, scoped, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.core.models import AuditEntry
from ilp.lifecycle.measurements import ERR_BP_ORDER, ERR_IMPOSSIBLE
from ilp.lifecycle.models import EncounterStatus, Observation, ObservationKind, RecorderKind
from ilp.lifecycle.rules import ranges
from ilp.lifecycle.services import ConfirmationNeeded, ServiceInput, encounter_record, encounter_void
from ilp.lifecycle.services.common import ERR_DATE_FUTURE, ERR_KADER_PLACE
from ilp.lifecycle.services.encounters import ERR_ANC_NOT_PREGNANT, ERR_NOTHING
from ilp.people.models import Person
from ilp.people.services import ERR_PERSON_OUT_OF_SCOPE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def child(make_family):
    """A boy of one year in a family of the kader's posyandu in Bayua."""
    born = TODAY - dt.timedelta(days=365)
    family = make_family(
        username="kader.bayua",
        members=[
            {"name": "Rafif", "sex": "M", "birth_date": born, "nik": "", "nik_missing_reason": "not_recorded",
             "relationship": "anak"},
        ],
    )  # fmt: skip
    return Person.objects.get(name="Rafif", memberships__family=family)


def _record(scope, person, user, **extra):
    data = {"date": TODAY, "place": "posyandu", "facility": user.facility}
    return encounter_record(scope=scope, person=person, actor=user, **{**data, **extra})


def test_a_kader_weighs_a_child_and_the_who_zscores_are_stored(child, scope, users):
    kader = users["kader.bayua"]
    # when the kader records weight and length (a comma as the decimal mark, as typed on a phone)
    recorded = _record(
        scope("kader.bayua"), child, kader, observations={"weight_kg": "9,6", "length_height_cm": 75.7, "measure": "L"}
    )
    # then the measurements and the derived z-scores are stored, at the kader's posyandu
    values = dict(Observation.objects.filter(encounter=recorded.encounter).values_list("kind", "value"))
    assert values["weight_kg"] == 9.6
    assert abs(values["z_wfa"]) < 1 and abs(values["z_lhfa"]) < 1 and "z_wflh" in values
    encounter = recorded.encounter
    assert (encounter.facility, encounter.recorder_kind, encounter.status) == (
        kader.facility,
        RecorderKind.KADER,
        EncounterStatus.RECORDED,
    )
    entry = AuditEntry.objects.get(object_id=str(encounter.external_id))
    assert entry.changes["observations"][1]["weight_kg"] == 9.6


def test_an_impossible_value_is_refused_naming_the_field(child, scope, users):
    with pytest.raises(ValidationError) as refused:
        _record(scope("kader.bayua"), child, users["kader.bayua"], observations={"weight_kg": 0})
    bounds = ranges.check_value("weight_kg", 0, age_days=(TODAY - child.birth_date).days)
    label = ObservationKind.WEIGHT.label
    expected = str(ERR_IMPOSSIBLE) % {
        "field": label,
        "value": "0",
        "low": f"{bounds.hard_min:g}",
        "high": f"{bounds.hard_max:g}",
    }
    assert refused.value.message_dict["weight_kg"] == [expected]
    assert not Observation.objects.filter(encounter__person=child).exists()


def test_an_unusual_value_needs_confirmation_and_stays_flagged(child, scope, users):
    s, kader = scope("kader.bayua"), users["kader.bayua"]
    with pytest.raises(ConfirmationNeeded) as unusual:
        _record(s, child, kader, observations={"weight_kg": 25})
    assert "weight_kg" in unusual.value.message_dict
    recorded = _record(s, child, kader, observations={"weight_kg": 25}, confirm_implausible=True)
    assert recorded.observations["weight_kg"].confirmed_implausible
    assert recorded.implausible == ["weight_kg"]


def test_blood_pressure_diastolic_must_be_below_systolic(make_family, scope, users):
    head = make_family().head
    with pytest.raises(ValidationError) as refused:
        encounter_record(
            scope=scope("pustu.bayua"),
            person=head,
            date=TODAY,
            place="pustu",
            facility=users["pustu.bayua"].facility,
            observations={"systolic_mmhg": 120, "diastolic_mmhg": 130},
        )
    assert refused.value.message_dict["diastolic_mmhg"] == [str(ERR_BP_ORDER)]


def test_dates_places_and_empty_encounters_are_checked(child, scope, users):
    s, kader = scope("kader.bayua"), users["kader.bayua"]
    with pytest.raises(ValidationError) as future:
        _record(s, child, kader, date=TODAY + dt.timedelta(days=1), observations={"weight_kg": 9})
    assert future.value.message_dict["date"] == [str(ERR_DATE_FUTURE)]
    with pytest.raises(ValidationError) as before_birth:
        _record(s, child, kader, date=child.birth_date - dt.timedelta(days=1), observations={"weight_kg": 3})
    assert "date" in before_birth.value.message_dict
    with pytest.raises(ValidationError) as at_pustu:
        _record(s, child, kader, place="pustu", facility=users["pustu.bayua"].facility, observations={"weight_kg": 9})
    assert at_pustu.value.message_dict["place"] == [str(ERR_KADER_PLACE)]
    with pytest.raises(ValidationError) as empty:
        _record(s, child, kader, observations={"weight_kg": " "})
    assert empty.value.message_dict["observations"] == [str(ERR_NOTHING)]


def test_a_kader_records_only_for_their_posyandu(make_family, scope, users):
    # given a family in Bayua registered by the pustu without a posyandu (not the kader's)
    head = make_family().head
    with pytest.raises(ValidationError) as refused:
        _record(scope("kader.bayua"), head, users["kader.bayua"], observations={"weight_kg": 60})
    assert refused.value.message_dict["person"] == [str(ERR_PERSON_OUT_OF_SCOPE)]


def test_anc_needs_an_ongoing_pregnancy_and_the_pemdes_records_nothing(make_family, scope, users):
    head = make_family(code="13.06.03.2003", username="kapus.maninjau").head
    s = scope("kapus.maninjau")
    puskesmas = users["kapus.maninjau"].facility
    with pytest.raises(ValidationError) as no_pregnancy:
        encounter_record(
            scope=s,
            person=head,
            date=TODAY,
            place="puskesmas",
            facility=puskesmas,
            services=[ServiceInput("anc", dose=1)],
        )
    assert no_pregnancy.value.message_dict["services"] == [str(ERR_ANC_NOT_PREGNANT)]
    with pytest.raises(PermissionDenied):
        encounter_record(
            scope=scope("walinagari.maninjau"), person=head, date=TODAY, place="home", observations={"weight_kg": 60}
        )


def test_a_voided_encounter_keeps_its_rows_and_the_reason(child, scope, users):
    s, kader = scope("kader.bayua"), users["kader.bayua"]
    encounter = _record(s, child, kader, observations={"weight_kg": 9.5}).encounter
    encounter_void(scope=s, encounter=encounter, reason="salah anak", actor=kader)
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.VOIDED
    assert list(encounter.events.values_list("status", "note")) == [("recorded", ""), ("voided", "salah anak")]
    assert Observation.objects.filter(encounter=encounter).exists()
