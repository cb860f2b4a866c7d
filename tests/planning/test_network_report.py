"""The functional network from the data: whether each member reports on time, and the gaps of the working area."""

import datetime as dt

import pytest
from django.utils import timezone

from ilp.demo.seed import PILOT_CODE
from ilp.facilities.models import (
    CompetencyGroup,
    Facility,
    FacilityKind,
    Kader,
    KaderCompetency,
    NetworkMember,
    ReportingDuty,
)
from ilp.lifecycle.models import Encounter, EncounterStatus, Place, RecorderKind
from ilp.planning.network import (
    EXPIRING_WITHIN_DAYS,
    REPORT_DEADLINE_DAY,
    MonthStatus,
    network_report,
    report_months,
)
from tests.people.conftest import make_family, region, scope  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)  # April's deadline (10 May) has passed: the months shown are November to April


@pytest.fixture
def pilot():
    return Facility.objects.select_related("region").get(code=PILOT_CODE)


@pytest.fixture
def person(make_family):  # noqa: F811 (the fixture imported above)
    return make_family().head


def klinik():
    return Facility.objects.get(code="KP1306031")


def encounter(person, facility, on: dt.date, entered: dt.datetime, status=EncounterStatus.RECORDED):
    row = Encounter.objects.create(
        person=person,
        date=on,
        place=Place.NETWORK,
        facility=facility,
        recorder_kind=RecorderKind.HEALTH_WORKER,
        status=status,
    )
    Encounter.objects.filter(pk=row.pk).update(created_at=timezone.make_aware(entered))
    return row


def member_row(report, code):
    return next(m for m in report.members if m.member.member.code == code)


def test_the_months_shown_are_those_whose_deadline_has_passed():
    assert report_months(dt.date(2026, 5, REPORT_DEADLINE_DAY), months=2) == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert report_months(dt.date(2026, 5, REPORT_DEADLINE_DAY + 1), months=2) == [
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 1),
    ]
    assert report_months(dt.date(2026, 1, 20), months=3) == [
        dt.date(2025, 10, 1),
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
    ]


def test_entered_on_day_10_of_the_next_month_is_on_time_on_day_11_late(pilot, person):
    # given the klinik recorded March on 10 April late in the evening, and February on 11 March just after midnight
    encounter(person, klinik(), dt.date(2026, 3, 31), dt.datetime(2026, 4, 10, 23, 59))
    encounter(person, klinik(), dt.date(2026, 2, 14), dt.datetime(2026, 3, 11, 0, 5))
    encounter(person, klinik(), dt.date(2026, 2, 3), dt.datetime(2026, 2, 4, 9, 0))
    # when the network report is read
    report = network_report(pilot, today=TODAY)
    row = member_row(report, "KP1306031")
    by_month = {m.month: m for m in row.months}
    # then March is on time, February late (one of its encounters came late), the other months missing
    assert report.months == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), *[dt.date(2026, m, 1) for m in range(1, 5)]]
    assert by_month[dt.date(2026, 3, 1)].status == MonthStatus.ON_TIME
    assert by_month[dt.date(2026, 2, 1)].status == MonthStatus.LATE
    assert by_month[dt.date(2026, 2, 1)].encounters == 2
    assert by_month[dt.date(2026, 4, 1)].status == MonthStatus.MISSING
    assert (row.on_time, row.due) == (1, 6)
    assert row.last_entered == dt.date(2026, 4, 10)


def test_voided_encounters_do_not_count_as_a_report(pilot, person):
    encounter(person, klinik(), dt.date(2026, 4, 2), dt.datetime(2026, 4, 2, 10), status=EncounterStatus.VOIDED)
    row = member_row(network_report(pilot, today=TODAY), "KP1306031")
    assert row.months[-1].status == MonthStatus.MISSING
    assert row.last_entered is None


def test_a_member_without_a_monthly_duty_is_never_due(pilot):
    report = network_report(pilot, today=TODAY)
    hospital = member_row(report, "RS1306001")
    assert hospital.member.reporting_duty == ReportingDuty.PER_CASE
    assert hospital.due == 0 and not hospital.monthly
    assert {m.status for m in hospital.months} == {MonthStatus.NOT_DUE}


def test_months_before_the_agreement_are_not_due(pilot):
    NetworkMember.objects.filter(puskesmas=pilot, member__code="KP1306031").update(agreement_date=dt.date(2026, 3, 15))
    row = member_row(network_report(pilot, today=TODAY), "KP1306031")
    assert [m.status for m in row.months][-3:] == [MonthStatus.NOT_DUE, MonthStatus.MISSING, MonthStatus.MISSING]
    assert row.due == 2


def test_the_deadline_day_is_configurable(pilot, person, settings):
    encounter(person, klinik(), dt.date(2026, 3, 31), dt.datetime(2026, 4, 10, 12))
    settings.ILP_REPORT_DEADLINE_DAY = 5
    report = network_report(pilot, today=TODAY)
    assert report.deadline_day == 5
    assert member_row(report, "KP1306031").months[-2].status == MonthStatus.LATE


def test_the_gaps_of_the_working_area(pilot):
    # given the demo pilot: one pustu without a nurse, every desa with a pustu and posyandu
    report = network_report(pilot, today=TODAY)
    assert len(report.gaps.pustu_understaffed) == 1
    assert report.gaps.villages_without_pustu == [] and report.gaps.villages_without_posyandu == []
    # when a pustu closes, a posyandu's kader are all untrained, and agreements end
    pustu = Facility.objects.filter(parent=pilot, kind=FacilityKind.PUSTU).order_by("code").first()
    Facility.objects.filter(pk=pustu.pk).update(is_active=False)
    posyandu = Facility.objects.filter(kind=FacilityKind.POSYANDU, parent__parent=pilot).order_by("code").first()
    Kader.objects.filter(posyandu=posyandu).update(trained_on=None)
    KaderCompetency.objects.filter(kader__posyandu=posyandu).delete()
    members = NetworkMember.objects.filter(puskesmas=pilot).order_by("member__code")
    expired, expiring = members[0], members[1]
    NetworkMember.objects.filter(pk=expired.pk).update(agreement_end=TODAY - dt.timedelta(days=1))
    NetworkMember.objects.filter(pk=expiring.pk).update(agreement_end=TODAY + dt.timedelta(days=EXPIRING_WITHIN_DAYS))
    report = network_report(pilot, today=TODAY)
    # then each shows up
    assert [v.id for v in report.gaps.villages_without_pustu] == [pustu.region_id]
    assert [p.id for p in report.gaps.posyandu_untrained] == [posyandu.pk]
    assert [m.pk for m in report.gaps.agreements_expired] == [expired.pk]
    assert [m.pk for m in report.gaps.agreements_expiring] == [expiring.pk]


def test_a_posyandu_whose_kader_attained_a_competency_has_a_trained_kader(pilot):
    posyandu = Facility.objects.filter(kind=FacilityKind.POSYANDU, parent__parent=pilot).order_by("code").first()
    KaderCompetency.objects.filter(kader__posyandu=posyandu).delete()
    Kader.objects.filter(posyandu=posyandu).update(trained_on=None)
    assert posyandu.pk in {p.id for p in network_report(pilot, today=TODAY).gaps.posyandu_untrained}
    kader = Kader.objects.filter(posyandu=posyandu).first()
    KaderCompetency.objects.create(kader=kader, group=CompetencyGroup.INFANT, attained=True, assessed_on=TODAY)
    assert posyandu.pk not in {p.id for p in network_report(pilot, today=TODAY).gaps.posyandu_untrained}


def test_the_report_takes_a_fixed_number_of_queries(pilot, person, django_assert_max_num_queries):
    encounter(person, klinik(), dt.date(2026, 3, 31), dt.datetime(2026, 4, 1, 8))
    with django_assert_max_num_queries(7):
        report = network_report(pilot, today=TODAY)
        assert len(report.members) == 5
        assert report.gaps.count >= 1
