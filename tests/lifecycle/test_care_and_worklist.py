"""Flags and due services read from the record, and the home-visit worklist built from them."""

import datetime as dt

import pytest
from django.utils import timezone

from ilp.lifecycle.models import ServiceKind
from ilp.lifecycle.selectors import care_for, person_records
from ilp.lifecycle.services import (
    ServiceInput,
    encounter_record,
    encounter_void,
    home_visit_record,
    referral_create,
)
from ilp.lifecycle.worklist import Reason, home_visit_worklist
from ilp.people.models import Person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def kader_family(make_family):
    """A family of the kader's posyandu with a boy of 18 months."""
    born = TODAY - dt.timedelta(days=548)
    family = make_family(
        username="kader.bayua",
        members=[
            {"name": "Fathan", "sex": "M", "birth_date": born, "nik": "", "nik_missing_reason": "not_recorded",
             "relationship": "anak"},
        ],
    )  # fmt: skip
    return family, Person.objects.get(name="Fathan", memberships__family=family)


def _weigh(scope, user, child, length):
    return encounter_record(
        scope=scope,
        person=child,
        date=TODAY,
        place="posyandu",
        facility=user.facility,
        observations={"weight_kg": 9.2, "length_height_cm": length, "measure": "L"},
        actor=user,
    )


def test_a_stunted_child_is_flagged_and_his_family_goes_on_the_worklist_until_referred(kader_family, scope, users):
    family, child = kader_family
    kader, s = users["kader.bayua"], scope("kader.bayua")
    # when the kader measures him at 72 cm (median at 18 months is about 82 cm: below -3 SD)
    _weigh(s, kader, child, 72.0)
    # then he is severely stunted, a danger flag for the puskesmas
    care = care_for(persons=[child], on=TODAY)[child.pk]
    assert care.growth["length_height_for_age"] == "severely_stunted"
    flag = next(f for f in care.flags if f.code == "severely_stunted")
    assert flag.refer_to == "puskesmas"
    # and his family is on the posyandu's home-visit worklist for it
    items = {i.family.pk: i for i in home_visit_worklist(scope=s, on=TODAY, posyandu=kader.facility)}
    assert Reason.FLAG in items[family.pk].open_reasons
    # when he is referred, the flag is no longer a reason to visit
    referral_create(
        scope=s, person=child, date=TODAY, from_level="posyandu", to_level="puskesmas", reasons=["severely_stunted"]
    )
    items = {i.family.pk: i for i in home_visit_worklist(scope=s, on=TODAY, posyandu=kader.facility)}
    assert family.pk not in items or Reason.FLAG not in items[family.pk].open_reasons


def test_a_home_visit_closes_the_reasons_it_addressed(kader_family, scope, users):
    family, child = kader_family
    kader, s = users["kader.bayua"], scope("kader.bayua")
    _weigh(s, kader, child, 72.0)
    home_visit_record(scope=s, family=family, date=TODAY, person=child, reasons=[Reason.FLAG], actor=kader)
    items = {i.family.pk: i for i in home_visit_worklist(scope=s, on=TODAY, posyandu=kader.facility)}
    assert family.pk not in items or Reason.FLAG not in items[family.pk].open_reasons


def test_a_child_who_missed_the_posyandu_this_month_is_on_the_list(kader_family, scope, users, make_family):
    family, _child = kader_family
    kader, s = users["kader.bayua"], scope("kader.bayua")
    # given the posyandu held its day this month (another child was weighed)
    other = make_family(
        username="kader.bayua",
        members=[{"name": "Zahra", "sex": "F", "birth_date": TODAY - dt.timedelta(days=400), "nik": "",
                  "nik_missing_reason": "not_recorded", "relationship": "anak"}],
    )  # fmt: skip
    zahra = Person.objects.get(name="Zahra", memberships__family=other)
    _weigh(s, kader, zahra, 75.0)
    # then Fathan, not weighed this month, is on the worklist for the missed posyandu
    items = {i.family.pk: i for i in home_visit_worklist(scope=s, on=TODAY, posyandu=kader.facility)}
    assert Reason.MISSED_POSYANDU in items[family.pk].open_reasons


def test_care_for_many_persons_takes_a_fixed_number_of_queries(kader_family, scope, django_assert_max_num_queries):
    family, _child = kader_family
    persons = list(Person.objects.filter(memberships__family=family))
    with django_assert_max_num_queries(4):
        care_for(persons=persons, on=TODAY)


def test_the_rules_read_a_childs_whole_record_an_adults_last_two_years_and_no_voided_encounter(
    kader_family, scope, users
):
    family, child = kader_family
    kader, s = users["kader.bayua"], scope("kader.bayua")
    father = family.head
    born, old = child.birth_date, TODAY - dt.timedelta(days=731)

    def record(person, on, **observations):
        return encounter_record(
            scope=s, person=person, date=on, place="posyandu", facility=kader.facility, observations=observations
        ).encounter

    # given the boy's HB-0 at birth (18 months ago) and the father's waist measured 25 months ago and last month
    encounter_record(
        scope=s, person=child, date=born, place="posyandu", facility=kader.facility,
        services=[ServiceInput(kind=ServiceKind.IMMUNISATION, code="hb0")],
    )  # fmt: skip
    record(father, old, waist_cm=95.0, systolic_mmhg=150, diastolic_mmhg=95)
    record(father, TODAY - dt.timedelta(days=30), waist_cm=88.0)
    # and the boy weighed today in an encounter voided as an error
    encounter_void(scope=s, encounter=record(child, TODAY, weight_kg=9.1), reason="salah orang", actor=kader)
    records = person_records(persons=[child, father], on=TODAY)
    # then the boy's record reaches back to his birth, without the voided weighing
    assert records[child.pk].immunisations == {"hb0": born}
    assert "weight_kg" not in records[child.pk].latest and records[child.pk].weighings == ()
    # and the father's only the last two years: last month's waist, not the older blood pressure
    assert records[father.pk].latest == {"waist_cm": (TODAY - dt.timedelta(days=30), 88.0)}
