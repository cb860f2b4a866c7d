"""Pregnancy and postpartum rules: trimester edges, the K1-K6 pattern, risk thresholds, KF windows."""

from datetime import date, timedelta

import pytest

from ilp.lifecycle.rules.common import VisitStatus
from ilp.lifecycle.rules.maternal import (
    BUKU_KIA_2_1_3,
    JUKNIS_1_2_3,
    LAYAK_HAMIL_RISK_PARAMS,
    AncDistribution,
    PregnancyRiskParams,
    RiskCode,
    Trimester,
    TrimesterBounds,
    anc_contact_number,
    anc_progress,
    anc_requires_doctor,
    gestational_age,
    next_anc_due,
    postpartum_complete,
    postpartum_visit_code,
    postpartum_visits,
    pregnancy_risk,
    trimester,
)

HPHT = date(2025, 1, 1)
HPL = HPHT + timedelta(days=280)


def week(weeks: int, days: int = 0) -> date:
    return HPHT + timedelta(days=weeks * 7 + days)


def test_gestational_age_counts_completed_weeks_and_days_from_the_hpht():
    assert gestational_age(hpht=HPHT, on=HPHT).total_days == 0
    age = gestational_age(hpht=HPHT, on=week(12, 6))
    assert (age.weeks, age.days, age.total_days) == (12, 6, 90)


def test_gestational_age_before_the_hpht_is_an_error():
    with pytest.raises(ValueError):
        gestational_age(hpht=HPHT, on=HPHT - timedelta(days=1))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (week(0), Trimester.T1),
        (week(12, 6), Trimester.T1),
        (week(13, 0), Trimester.T2),
        (week(24, 6), Trimester.T2),
        (week(25, 0), Trimester.T3),
        (week(41, 0), Trimester.T3),
    ],
)
def test_trimester_edges_in_completed_weeks(on, expected):
    assert trimester(hpht=HPHT, on=on) is expected


def test_trimester_bounds_are_configurable():
    # given a Dinkes reading ">12 weeks" as from 12w0d
    bounds = TrimesterBounds(t1_last_week=11, t2_last_week=23)
    # then 12w0d is already the second trimester and 24w0d the third
    assert trimester(hpht=HPHT, on=week(12), bounds=bounds) is Trimester.T2
    assert trimester(hpht=HPHT, on=week(24), bounds=bounds) is Trimester.T3


def test_k_number_is_the_order_of_distinct_contact_days():
    visits = [week(8), week(16), week(16), week(20)]
    assert anc_contact_number(visit_on=week(8), visits=visits) == 1
    assert anc_contact_number(visit_on=week(16), visits=visits) == 2
    assert anc_contact_number(visit_on=week(30), visits=visits) == 4


def test_doctor_contacts_are_k1_and_k5():
    assert [n for n in range(1, 7) if anc_requires_doctor(contact_number=n)] == [1, 5]


def test_not_behind_on_the_last_day_of_t2_but_behind_the_day_after():
    # given one contact in T1 and one in T2 (the Juknis wants two in T2)
    visits = [week(10), week(20)]
    # when the second trimester is still running
    last_t2_day = anc_progress(hpht=HPHT, visits=visits, on=week(24, 6))
    # then she is not behind yet; from 25w0d she is, short in T2
    assert last_t2_day.behind is False
    after = anc_progress(hpht=HPHT, visits=visits, on=week(25, 0))
    assert after.behind is True
    assert after.short == (Trimester.T2,)
    assert after.counts == (1, 1, 0)


def test_the_distribution_changes_the_outcome():
    # given two contacts in T1 and one in T2
    visits = [week(6), week(11), week(20)]
    on = week(26)
    # then the Juknis 1-2-3 finds T2 short, the Buku KIA 2-1-3 does not
    assert anc_progress(hpht=HPHT, visits=visits, on=on, distribution=JUKNIS_1_2_3).behind is True
    assert anc_progress(hpht=HPHT, visits=visits, on=on, distribution=BUKU_KIA_2_1_3).behind is False
    # and a cumulative reading of 1-2-3 (3 contacts by the end of T2) does not either
    cumulative = AncDistribution(name="cumulative", per_trimester=(1, 2, 3), cumulative=True)
    assert anc_progress(hpht=HPHT, visits=visits, on=on, distribution=cumulative).behind is False


def test_t3_ends_only_at_delivery():
    visits = [week(10), week(15), week(20), week(30), week(36)]
    # given two T3 contacts, still pregnant past the HPL
    assert anc_progress(hpht=HPHT, visits=visits, on=week(41)).behind is False
    # when she delivers at 39 weeks
    delivered = anc_progress(hpht=HPHT, visits=visits, on=week(40), delivered_on=week(39))
    # then T3 is short and the pattern incomplete; a third T3 contact completes it
    assert delivered.short == (Trimester.T3,)
    assert delivered.current is None
    complete = anc_progress(hpht=HPHT, visits=[*visits, week(38)], on=week(40), delivered_on=week(39))
    assert complete.complete is True
    assert complete.behind is False


def test_next_anc_in_t1_is_k1_with_a_doctor_by_the_end_of_t1():
    due = next_anc_due(hpht=HPHT, hpl=HPL, visits=[], on=week(6))
    assert due.contact_number == 1
    assert due.doctor_required is True
    assert (due.due_from, due.due_by, due.overdue) == (week(6), week(12, 6), False)


def test_next_anc_after_k1_opens_with_t2():
    due = next_anc_due(hpht=HPHT, hpl=HPL, visits=[week(8)], on=week(9))
    assert due.contact_number == 2
    assert due.doctor_required is False
    assert (due.due_from, due.due_by) == (week(13), week(24, 6))


def test_next_anc_is_overdue_now_when_behind():
    due = next_anc_due(hpht=HPHT, hpl=HPL, visits=[week(8)], on=week(26))
    assert (due.due_from, due.due_by, due.overdue) == (week(26), week(26), True)


def test_next_anc_in_t3_runs_to_the_hpl_and_k5_needs_a_doctor():
    visits = [week(8), week(14), week(20), week(26)]
    due = next_anc_due(hpht=HPHT, hpl=HPL, visits=visits, on=week(28))
    assert due.contact_number == 5
    assert due.doctor_required is True
    assert due.due_by == HPL


def test_no_next_anc_when_the_pattern_is_met():
    visits = [week(8), week(14), week(20), week(26), week(32), week(36)]
    assert next_anc_due(hpht=HPHT, hpl=HPL, visits=visits, on=week(37)) is None


@pytest.mark.parametrize(
    ("age", "expected"),
    [(19, (RiskCode.TOO_YOUNG,)), (20, ()), (35, ()), (36, (RiskCode.TOO_OLD,))],
)
def test_age_thresholds_of_4t(age, expected):
    assert pregnancy_risk(age_years=age).codes == expected


def test_too_close_is_under_24_months_from_last_delivery_to_hpht():
    last = date(2023, 1, 10)
    assert pregnancy_risk(last_delivery_on=last, hpht=date(2025, 1, 9)).codes == (RiskCode.TOO_CLOSE,)
    assert pregnancy_risk(last_delivery_on=last, hpht=date(2025, 1, 10)).codes == ()


def test_too_many_children_default_and_layak_hamil_reading():
    assert pregnancy_risk(children=3).codes == ()
    assert pregnancy_risk(children=4).codes == (RiskCode.TOO_MANY,)
    assert pregnancy_risk(children=3, params=LAYAK_HAMIL_RISK_PARAMS).codes == (RiskCode.TOO_MANY,)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"muac_cm": 23.4}, (RiskCode.KEK,)),
        ({"muac_cm": 23.5}, ()),
        ({"muac_cm": 23.6}, ()),
        ({"bmi_first_trimester": 18.4}, (RiskCode.UNDERWEIGHT,)),
        ({"bmi_first_trimester": 18.5}, ()),
        ({"hb_g_dl": 10.9}, (RiskCode.ANAEMIA,)),
        ({"hb_g_dl": 11.0}, ()),
        ({"systolic": 139, "diastolic": 89}, ()),
        ({"systolic": 140, "diastolic": 80}, (RiskCode.HYPERTENSION,)),
        ({"systolic": 120, "diastolic": 90}, (RiskCode.HYPERTENSION,)),
    ],
)
def test_measurement_thresholds(kwargs, expected):
    assert pregnancy_risk(**kwargs).codes == expected


def test_anaemia_cut_off_is_configurable():
    params = PregnancyRiskParams(anaemia_hb_below_g_dl=10.5)
    assert pregnancy_risk(hb_g_dl=10.9, params=params).codes == ()
    assert pregnancy_risk(hb_g_dl=10.4, params=params).codes == (RiskCode.ANAEMIA,)


def test_triple_elimination_results_and_high_risk():
    # given a mother with nothing measured
    assert pregnancy_risk().high_risk is False
    # when all three triple-elimination tests are reactive and she is 17
    risk = pregnancy_risk(age_years=17, hiv_reactive=True, syphilis_reactive=True, hepatitis_b_reactive=True)
    # then every flag is listed and the pregnancy is high risk
    assert risk.codes == (
        RiskCode.TOO_YOUNG,
        RiskCode.HIV_REACTIVE,
        RiskCode.SYPHILIS_REACTIVE,
        RiskCode.HEPATITIS_B_REACTIVE,
    )
    assert risk.high_risk is True


DELIVERY = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(0, "kf1"), (2, "kf1"), (3, "kf2"), (7, "kf2"), (8, "kf3"), (28, "kf3"), (29, "kf4"), (42, "kf4"), (43, None)],
)
def test_kf_window_edges(day, expected):
    assert postpartum_visit_code(delivered_on=DELIVERY, visit_on=DELIVERY + timedelta(days=day)) == expected


def test_kf_statuses_on_a_date():
    # given a KF1 visit on day 1, and a visit on day 60 that is not a KF contact
    visits = [DELIVERY + timedelta(days=1), DELIVERY + timedelta(days=60)]
    # when assessed on day 8
    assessed = postpartum_visits(delivered_on=DELIVERY, visits=visits, on=DELIVERY + timedelta(days=8))
    # then KF1 is done, KF2 closed without a visit, KF3 due and KF4 not yet open
    assert [a.status for a in assessed] == [
        VisitStatus.DONE,
        VisitStatus.OVERDUE,
        VisitStatus.DUE,
        VisitStatus.NOT_YET,
    ]
    assert assessed[0].visited_on == DELIVERY + timedelta(days=1)
    assert (assessed[2].opens_on, assessed[2].closes_on) == (
        DELIVERY + timedelta(days=8),
        DELIVERY + timedelta(days=28),
    )


def test_a_visit_after_the_assessment_date_is_not_done_yet():
    assessed = postpartum_visits(delivered_on=DELIVERY, visits=[DELIVERY + timedelta(days=2)], on=DELIVERY)
    assert assessed[0].status is VisitStatus.DUE


def test_nifas_lengkap_needs_all_four():
    visits = [DELIVERY + timedelta(days=d) for d in (1, 5, 14)]
    on = DELIVERY + timedelta(days=45)
    assert postpartum_complete(delivered_on=DELIVERY, visits=visits, on=on) is False
    assert postpartum_complete(delivered_on=DELIVERY, visits=[*visits, DELIVERY + timedelta(days=35)], on=on) is True
