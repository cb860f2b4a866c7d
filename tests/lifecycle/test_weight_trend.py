"""The weight trend (N/T/2T/O/B) derived when a child's weight is recorded, one by one and in bulk."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ilp.core.models import AuditEntry
from ilp.lifecycle.bulk import ERR_DRAFT, EncounterDraft, encounters_bulk_record
from ilp.lifecycle.labels import OBSERVATION_CODES
from ilp.lifecycle.measurements import ERR_DERIVED
from ilp.lifecycle.models import CODED_KINDS, DERIVED_KINDS, Encounter, Observation, ObservationKind
from ilp.lifecycle.rules.common import add_months
from ilp.lifecycle.rules.faltering import KMS_LETTERS, WeighingResult
from ilp.lifecycle.services import encounter_record, encounter_void
from ilp.people.models import Person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TREND = ObservationKind.WEIGHT_TREND
GAINED, NOT_GAINED, TWICE = "gained", "not_gained", "not_gained_twice"
NOT_WEIGHED, NEW = "not_weighed_last_month", "new"


def month(k: int) -> dt.date:
    """The 10th of the month `k` calendar months ago (k >= 1: always in the past); today for k = 0."""
    return TODAY if k == 0 else add_months(dt.date(TODAY.year, TODAY.month, 10), -k)


@pytest.fixture
def children(make_family):
    """Children of one family in Bayua: Budi about 30 months old (KBM 200 g), Sari exactly 60 months old,
    Dodi a day short of 60 months."""

    def child(name, sex, born):
        return {
            "name": name,
            "sex": sex,
            "birth_date": born,
            "nik": "",
            "nik_missing_reason": "not_recorded",
            "relationship": "anak",
        }

    family = make_family(
        members=[
            child("Budi", "M", month(30) - dt.timedelta(days=3)),
            child("Sari", "F", add_months(TODAY, -60)),
            child("Dodi", "M", add_months(TODAY, -60) + dt.timedelta(days=1)),
        ]
    )
    return {p.name: p for p in Person.objects.filter(memberships__family=family)}


@pytest.fixture
def record(scope, users):
    """Record a home visit of the pustu's nurse with these observations; the encounter."""

    def _record(person, on, **observations):
        return encounter_record(
            scope=scope("pustu.bayua"), person=person, date=on, place="home", observations=observations,
            actor=users["pustu.bayua"],
        ).encounter  # fmt: skip

    return _record


def _trend(encounter) -> str | None:
    return Observation.objects.filter(encounter=encounter, kind=TREND).values_list("code", flat=True).first()


def _bulk(scope, drafts, chunk_size=5000):
    return encounters_bulk_record(scope=scope("pustu.bayua"), encounters=drafts, chunk_size=chunk_size)


# A child's weighings (months ago, kg) and the trend each gets: B first; +200 g (the KBM from 11 months)
# is N; +100 g is T; no gain after a T is 2T; a gain of the KBM ends the Ts; a missed month gives O.
SERIES = [
    (7, 12.0, NEW),
    (6, 12.2, GAINED),
    (5, 12.3, NOT_GAINED),
    (4, 12.3, TWICE),
    (3, 12.2, TWICE),
    (2, 12.4, GAINED),
    (0, 12.8, NOT_WEIGHED),
]


def test_the_trend_is_derived_from_the_weighings_before(children, record):
    # given Budi weighed month after month, one encounter at a time
    budi = children["Budi"]
    # then each weight gets its trend against the earlier weighings: N, T, 2T, O and B
    for k, kg, expected in SERIES:
        encounter = record(budi, month(k), weight_kg=kg)
        assert _trend(encounter) == expected, (k, kg)
    stored = Observation.objects.get(encounter=encounter, kind=TREND)
    assert (stored.value, stored.confirmed_implausible) == (None, False)
    # and the audit entry lists it with the other derived values
    entry = AuditEntry.objects.get(object_type="lifecycle.encounter", object_id=str(encounter.external_id))
    assert entry.changes["observations"][1][TREND] == NOT_WEIGHED


def test_a_gain_one_gram_below_the_kbm_is_not_rising(children, record):
    budi = children["Budi"]
    record(budi, month(2), weight_kg=12.0)
    assert _trend(record(budi, month(1), weight_kg=12.199)) == NOT_GAINED


def test_the_last_weighing_of_the_previous_month_counts_and_voided_ones_do_not(children, record, scope):
    budi = children["Budi"]
    # given two weighings last-but-two month (the re-weighing counts), and one last month voided
    record(budi, month(3), weight_kg=11.0)
    record(budi, month(3) + dt.timedelta(days=5), weight_kg=12.0)
    wrong = record(budi, month(2), weight_kg=12.3)
    encounter_void(scope=scope("pustu.bayua"), encounter=wrong, reason="wrong child")
    # then a weighing this month follows a missed month: O
    assert _trend(record(budi, month(1), weight_kg=12.5)) == NOT_WEIGHED
    # and a weighing the month after is judged against the re-weighing (+100 g: T), not the first (+1.1 kg)
    assert _trend(record(budi, month(2) + dt.timedelta(days=1), weight_kg=12.1)) == NOT_GAINED


def test_the_bulk_path_derives_the_same_trends_in_any_order_within_a_chunk(children, scope):
    budi = children["Budi"]
    drafts = [EncounterDraft(budi.pk, month(k), "home", None, {"weight_kg": kg}) for k, kg, _ in SERIES]
    random.Random(4).shuffle(drafts)
    result = _bulk(scope, drafts)
    trends = dict(Observation.objects.filter(encounter__person=budi, kind=TREND).values_list("encounter__date", "code"))
    assert trends == {month(k): expected for k, _, expected in SERIES}
    assert result.derived == Observation.objects.filter(encounter__person=budi, kind__in=DERIVED_KINDS).count()


def test_the_bulk_path_reads_recorded_weighings_and_earlier_chunks(children, record, scope):
    # given Budi's first three weighings recorded one by one
    budi = children["Budi"]
    for k, kg, _ in SERIES[:3]:
        record(budi, month(k), weight_kg=kg)
    # when the rest arrive in one call, in chunks of one, in date order (two drafts of Budi and more)
    drafts = [EncounterDraft(budi.pk, month(k), "home", None, {"weight_kg": kg}) for k, kg, _ in SERIES[3:]]
    _bulk(scope, drafts, chunk_size=1)
    # then each is judged against everything recorded before it
    trends = dict(Observation.objects.filter(encounter__person=budi, kind=TREND).values_list("encounter__date", "code"))
    assert trends == {month(k): expected for k, _, expected in SERIES}


def test_two_drafts_of_one_child_and_another_child_in_one_call(children, scope):
    budi, dodi = children["Budi"], children["Dodi"]
    drafts = [
        EncounterDraft(budi.pk, month(1), "home", None, {"weight_kg": 12.1}),
        EncounterDraft(dodi.pk, month(1), "home", None, {"weight_kg": 17.0}),
        EncounterDraft(budi.pk, month(2), "home", None, {"weight_kg": 12.0}),
    ]
    _bulk(scope, drafts)
    trends = {
        (name, on): code
        for name, on, code in Observation.objects.filter(kind=TREND).values_list(
            "encounter__person__name", "encounter__date", "code"
        )
    }
    assert trends == {("Budi", month(2)): NEW, ("Budi", month(1)): NOT_GAINED, ("Dodi", month(1)): NEW}


def test_a_user_cannot_enter_a_weight_trend(children, record, scope):
    budi = children["Budi"]
    message = str(ERR_DERIVED) % {"field": TREND.label}
    with pytest.raises(ValidationError) as refused:
        record(budi, TODAY, weight_kg=12.0, weight_trend="gained")
    assert refused.value.message_dict == {TREND: [message]}
    with pytest.raises(ValidationError) as bulk:
        _bulk(scope, [EncounterDraft(budi.pk, TODAY, "home", None, {"weight_kg": 12.0, TREND: "gained"})])
    assert bulk.value.message_dict == {TREND: [str(ERR_DRAFT) % {"index": 1, "message": message}]}
    assert not Encounter.objects.filter(person=budi).exists()


def test_no_trend_from_60_months_or_without_a_weight(children, record, scope):
    # a child of exactly 60 months, and a measurement that is not a weight, get none
    assert _trend(record(children["Sari"], TODAY, weight_kg=18.0)) is None
    assert _trend(record(children["Budi"], TODAY, length_height_cm=90.0, measure="H")) is None
    # a day short of 60 months still does, also in bulk
    assert _trend(record(children["Dodi"], TODAY, weight_kg=18.0)) == NEW
    _bulk(scope, [EncounterDraft(children["Sari"].pk, TODAY, "home", None, {"weight_kg": 18.2})])
    assert not Observation.objects.filter(encounter__person=children["Sari"], kind=TREND).exists()


def test_the_trend_is_a_derived_code_labelled_with_its_kms_letter():
    assert TREND in CODED_KINDS and TREND in DERIVED_KINDS
    for result in WeighingResult:
        assert str(OBSERVATION_CODES[result.value]).startswith(f"{KMS_LETTERS[result]}:")
