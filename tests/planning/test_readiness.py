"""The ILP readiness checklist: what the data says about each item of a puskesmas, and the hand-kept ticks."""

import datetime as dt

import pytest
from django.utils import translation

from ilp.demo.seed import PILOT_CODE
from ilp.facilities.models import (
    CompetencyGroup,
    Facility,
    FacilityKind,
    HealthWorker,
    Kader,
    KaderCompetency,
    NetworkMember,
    Profession,
    WorkingAreaVillage,
)
from ilp.planning.models import Cycle, ReadinessCheck, ReadinessItem, TargetDecree, Workshop
from ilp.planning.readiness import KADER_COMPETENT_MIN_PCT, LOKMIN_WITHIN_DAYS, readiness, readiness_of

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def pilot():
    return Facility.objects.select_related("region").get(code=PILOT_CODE)


@pytest.fixture
def other_puskesmas(pilot):
    return (
        Facility.objects.select_related("region")
        .filter(kind=FacilityKind.PUSKESMAS)
        .exclude(pk=pilot.pk)
        .order_by("code")
        .first()
    )


def item(pkm, key, today=TODAY):
    return next(i for i in readiness_of(pkm, today=today).items if i.item == key)


def test_a_staff_member_without_a_cluster_keeps_staff_in_clusters_unmet(pilot):
    # given the demo pilot: everyone in a cluster but the kepala, who stands above them
    staff = HealthWorker.objects.filter(is_active=True, facility__in=[pilot, *pilot.children.all()])
    total = staff.filter(is_head=False).count()
    state = item(pilot, ReadinessItem.STAFF_IN_CLUSTERS)
    assert state.data.met and (state.data.count, state.data.of) == (total, total)
    # when a nurse has no cluster
    nurse = staff.filter(facility=pilot, cluster="k3", is_cluster_lead=False).first()
    nurse.cluster = ""
    nurse.save()
    # then the data says so, with the numbers
    state = item(pilot, ReadinessItem.STAFF_IN_CLUSTERS)
    assert not state.data.met and not state.done
    assert (state.data.count, state.data.of) == (total - 1, total)


def test_a_cluster_without_a_pj_keeps_staff_in_clusters_unmet(pilot):
    HealthWorker.objects.filter(facility=pilot, cluster="").update(cluster="k3")
    HealthWorker.objects.filter(facility=pilot, cluster="k4").update(is_cluster_lead=False)
    with translation.override("en"):
        state = item(pilot, ReadinessItem.STAFF_IN_CLUSTERS)
    assert not state.data.met
    assert "a PJ in 3 of 4 clusters" in state.data.text


def test_a_pustu_with_a_midwife_but_no_nurse_is_not_staffed(pilot):
    # given the demo, where one pustu still waits for its nurse
    villages = WorkingAreaVillage.objects.filter(puskesmas=pilot).count()
    state = item(pilot, ReadinessItem.PUSTU_STAFFED)
    assert (state.data.count, state.data.of, state.data.met) == (villages - 1, villages, False)
    lacking = Facility.objects.filter(parent=pilot, kind=FacilityKind.PUSTU).exclude(
        health_workers__profession=Profession.PERAWAT
    )
    assert lacking.count() == 1
    pustu = lacking.get()
    # when an inactive nurse is added, nothing changes
    nurse = HealthWorker.objects.create(name="Ns. Test", profession=Profession.PERAWAT, facility=pustu, is_active=False)
    assert not item(pilot, ReadinessItem.PUSTU_STAFFED).data.met
    # when the nurse is active, every desa has a staffed pustu
    nurse.is_active = True
    nurse.save()
    state = item(pilot, ReadinessItem.PUSTU_STAFFED)
    assert (state.data.count, state.data.met) == (villages, True)
    # and the desa are called by their local name
    with translation.override("en"):
        assert "of 10 nagari have a pustu" in item(pilot, ReadinessItem.PUSTU_STAFFED).data.text


def test_a_desa_without_a_posyandu_is_counted(pilot):
    assert item(pilot, ReadinessItem.POSYANDU_ALL_AGES).data.met
    village = WorkingAreaVillage.objects.filter(puskesmas=pilot).order_by("village__code").first().village
    Facility.objects.filter(kind=FacilityKind.POSYANDU, region__village=village).update(is_active=False)
    state = item(pilot, ReadinessItem.POSYANDU_ALL_AGES)
    assert not state.data.met and state.data.count == state.data.of - 1


def _kader(posyandu, name, groups_attained, *, on=dt.date(2025, 1, 10)):
    kader = Kader.objects.create(name=name, posyandu=posyandu)
    for group in CompetencyGroup:
        KaderCompetency.objects.create(
            kader=kader, group=group, attained=group in groups_attained, assessed_on=on, skills_total=5
        )
    return kader


def test_kader_competence_counts_the_latest_assessment_of_each_group(other_puskesmas):
    # given a puskesmas without kader
    assert item(other_puskesmas, ReadinessItem.KADER_COMPETENT).data.of == 0
    village = WorkingAreaVillage.objects.filter(puskesmas=other_puskesmas).first().village
    posyandu = Facility.objects.create(
        kind=FacilityKind.POSYANDU, code="TEST-PY1", name="Posyandu Uji", region=village, parent=other_puskesmas
    )
    # when one kader attained all five, another all five but later failed one, and a third only four
    _kader(posyandu, "Ani", set(CompetencyGroup))
    later = _kader(posyandu, "Butet", set(CompetencyGroup))
    KaderCompetency.objects.create(
        kader=later, group=CompetencyGroup.INFANT, attained=False, assessed_on=dt.date(2025, 6, 1)
    )
    _kader(posyandu, "Cici", set(CompetencyGroup) - {CompetencyGroup.ADULT})
    # then one of three is competent: 33.3 %, below the threshold
    state = item(other_puskesmas, ReadinessItem.KADER_COMPETENT)
    assert (state.data.count, state.data.of, state.data.pct) == (1, 3, 33.3)
    assert not state.data.met
    # when the second passes the failed group again
    KaderCompetency.objects.create(
        kader=later, group=CompetencyGroup.INFANT, attained=True, assessed_on=dt.date(2025, 9, 1)
    )
    assert item(other_puskesmas, ReadinessItem.KADER_COMPETENT).data.count == 2
    # and an inactive kader does not count
    Kader.objects.filter(name="Cici", posyandu=posyandu).update(is_active=False)
    state = item(other_puskesmas, ReadinessItem.KADER_COMPETENT)
    assert (state.data.count, state.data.of, state.data.met) == (2, 2, True)
    assert state.data.pct >= KADER_COMPETENT_MIN_PCT


def test_network_agreements_need_one_in_force(pilot):
    assert item(pilot, ReadinessItem.NETWORK_AGREEMENTS).data.met
    NetworkMember.objects.filter(puskesmas=pilot).update(agreement_end=TODAY - dt.timedelta(days=1))
    assert not item(pilot, ReadinessItem.NETWORK_AGREEMENTS).data.met
    NetworkMember.objects.filter(puskesmas=pilot).update(agreement_end=TODAY)
    assert item(pilot, ReadinessItem.NETWORK_AGREEMENTS).data.count == 5


def test_the_sk_target_kinerja_is_due_by_the_end_of_february(pilot):
    # given no decree: not late before March, late after
    assert not item(pilot, ReadinessItem.TARGETS_SK, dt.date(2026, 2, 28)).data.late
    assert item(pilot, ReadinessItem.TARGETS_SK, dt.date(2026, 3, 1)).data.late
    # when signed on the last day of February: met and on time
    decree = TargetDecree.objects.create(puskesmas=pilot, year=2026, number="1/SK", signed_on=dt.date(2026, 2, 28))
    state = item(pilot, ReadinessItem.TARGETS_SK)
    assert (state.data.met, state.data.late) == (True, False)
    # when signed on the first of March: met, shown as late
    decree.signed_on = dt.date(2026, 3, 1)
    decree.save()
    with translation.override("en"):
        state = item(pilot, ReadinessItem.TARGETS_SK)
    assert (state.data.met, state.data.late) == (True, True)
    assert "after the end of February" in state.data.text
    # and last year's decree does not count for this year
    assert not item(pilot, ReadinessItem.TARGETS_SK, dt.date(2027, 1, 5)).data.met


def test_a_lokakarya_mini_counts_for_45_days(pilot):
    assert not item(pilot, ReadinessItem.LOKMIN).data.met
    cycle = Cycle.objects.create(puskesmas=pilot, name="Siklus 2026", year=2026, started_on=dt.date(2026, 1, 5))
    Workshop.objects.create(cycle=cycle, held_on=TODAY - dt.timedelta(days=LOKMIN_WITHIN_DAYS + 1))
    assert not item(pilot, ReadinessItem.LOKMIN).data.met
    Workshop.objects.create(cycle=cycle, held_on=TODAY - dt.timedelta(days=LOKMIN_WITHIN_DAYS))
    assert item(pilot, ReadinessItem.LOKMIN).data.met


def test_hand_items_follow_the_tick_and_data_items_the_data(pilot):
    ReadinessCheck.objects.create(puskesmas=pilot, item=ReadinessItem.SATUSEHAT, done=True, done_on=TODAY)
    ReadinessCheck.objects.create(puskesmas=pilot, item=ReadinessItem.PUSTU_STAFFED, done=True, done_on=TODAY)
    result = readiness_of(pilot, today=TODAY)
    states = {i.item: i for i in result.items}
    assert states[ReadinessItem.SATUSEHAT].done and states[ReadinessItem.SATUSEHAT].data is None
    assert not states[ReadinessItem.CLUSTER_SK].done
    # a tick the data contradicts is not counted, and is flagged
    pustu = states[ReadinessItem.PUSTU_STAFFED]
    assert pustu.ticked and not pustu.done and pustu.disagrees
    # the demo pilot: satusehat ticked; staff in clusters, posyandu and network met by the data
    assert result.total == len(ReadinessItem)
    assert result.done == 4


def test_the_whole_kabupaten_is_read_in_a_fixed_number_of_queries(pilot, django_assert_max_num_queries):
    puskesmas = list(Facility.objects.filter(kind=FacilityKind.PUSKESMAS).select_related("region"))
    assert len(puskesmas) > 10
    with django_assert_max_num_queries(10):
        result = readiness(puskesmas, today=TODAY)
        summary = [(r.done, r.total) for r in result.values()]
    assert len(summary) == len(puskesmas)
