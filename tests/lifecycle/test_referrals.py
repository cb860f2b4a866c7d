"""Referrals go up the chain and through their steps in order, each step an event row, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.core.models import AuditEntry
from ilp.lifecycle.models import ReferralEvent, ReferralStatus
from ilp.lifecycle.rules import referral as chain
from ilp.lifecycle.services import referral_advance, referral_create
from ilp.lifecycle.services.referrals import ERR_LEVEL_ORDER, ERR_REASON

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _refer(scope, person, **extra):
    data = {"date": TODAY, "from_level": "pustu", "to_level": "puskesmas", "reasons": ["hypertension_grade_2"]}
    return referral_create(scope=scope, person=person, **{**data, **extra})


def test_a_referral_walks_the_chain_to_follow_up_with_an_event_per_step(make_family, scope, users):
    # given a referral from the pustu to the puskesmas
    person = make_family().head
    s = scope("pustu.bayua")
    referral = _refer(s, person, actor=users["pustu.bayua"])
    # when it is received, handled, referred back and followed up
    for status in ("received", "handled", "referred_back", "followed_up"):
        referral_advance(scope=s, referral=referral, status=status, date=TODAY, actor=users["pustu.bayua"])
    # then each step is an event row in order, and the referral is closed
    steps = list(ReferralEvent.objects.filter(referral=referral).values_list("status", flat=True))
    assert steps == ["sent", "received", "handled", "referred_back", "followed_up"]
    assert referral.status == ReferralStatus.FOLLOWED_UP and not chain.is_open(referral.status)
    assert AuditEntry.objects.filter(object_id=str(referral.external_id)).count() == 5


def test_steps_out_of_order_or_backwards_in_time_are_refused(make_family, scope):
    person = make_family().head
    s = scope("pustu.bayua")
    referral = _refer(s, person, date=TODAY - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as wrong:
        referral_advance(scope=s, referral=referral, status="handled", date=TODAY)
    assert "status" in wrong.value.message_dict
    with pytest.raises(ValidationError) as early:
        referral_advance(scope=s, referral=referral, status="received", date=TODAY - dt.timedelta(days=5))
    assert "date" in early.value.message_dict
    referral_advance(scope=s, referral=referral, status="cancelled", date=TODAY)
    with pytest.raises(ValidationError):
        referral_advance(scope=s, referral=referral, status="received", date=TODAY)


def test_a_referral_goes_up_and_needs_a_reason(make_family, scope):
    person = make_family().head
    s = scope("pustu.bayua")
    with pytest.raises(ValidationError) as down:
        _refer(s, person, from_level="puskesmas", to_level="pustu")
    assert down.value.message_dict["to_level"] == [str(ERR_LEVEL_ORDER)]
    with pytest.raises(ValidationError) as bare:
        _refer(s, person, reasons=[], note="  ")
    assert bare.value.message_dict["reasons"] == [str(ERR_REASON)]


def test_the_pemdes_reads_but_does_not_refer(make_family, scope):
    person = make_family(code="13.06.03.2003", username="kapus.maninjau").head
    with pytest.raises(PermissionDenied):
        _refer(scope("walinagari.maninjau"), person)


@pytest.mark.parametrize(
    ("from_level", "needed", "expected"),
    [
        ("posyandu", ["puskesmas"], "puskesmas"),
        ("posyandu", ["pustu", "hospital"], "hospital"),
        ("pustu", ["pustu"], None),
        ("puskesmas", ["pustu", "puskesmas"], None),
        ("posyandu", [], None),
    ],
)
def test_the_suggested_level_is_the_highest_needed_above_where_the_flag_was_raised(from_level, needed, expected):
    assert chain.suggested_level(from_level=from_level, needed=needed) == expected


@pytest.mark.parametrize(
    ("from_level", "expected"),
    [("posyandu", "pustu"), ("pustu", "puskesmas"), ("puskesmas", "hospital"), ("hospital", None)],
)
def test_the_next_level_is_one_step_up_the_chain(from_level, expected):
    assert chain.next_level(from_level) == expected
