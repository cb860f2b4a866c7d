"""Routine immunisation: dose status at every edge, catch-up from the given dose, IDL/baduta, BIAS."""

from datetime import date, timedelta

import pytest
from hypothesis import given as hyp_given
from hypothesis import settings
from hypothesis import strategies as st

from ilp.lifecycle.rules.common import AgeOffset, Sex, add_months
from ilp.lifecycle.rules.immunisation import (
    IDL_JUKNIS_HEADING,
    SCHEDULE,
    Antigen,
    DoseCode,
    DoseStatus,
    ScheduleParams,
    SchoolDoseCode,
    dose_statuses,
    idl_status,
    lanjutan_status,
    next_due_by_antigen,
    school_dose_statuses,
    school_doses,
)

BIRTH = date(2025, 1, 15)


def months(n: int, days: int = 0) -> date:
    return add_months(BIRTH, n) + timedelta(days=days)


def status_of(code: str, on: date, given: dict | None = None, params: ScheduleParams | None = None):
    kwargs = {"params": params} if params else {}
    assessed = {a.code: a for a in dose_statuses(birth_date=BIRTH, on=on, given=given or {}, **kwargs)}
    return assessed[DoseCode(code)]


def test_the_schedule_file_holds_every_dose_once():
    assert sorted(d.code for d in SCHEDULE) == sorted(DoseCode)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (BIRTH, DoseStatus.DUE),
        (BIRTH + timedelta(days=1), DoseStatus.DUE),
        (BIRTH + timedelta(days=2), DoseStatus.OVERDUE),
        (months(1, -1), DoseStatus.OVERDUE),
        (months(1), DoseStatus.TOO_LATE),
    ],
)
def test_hb0_is_due_within_the_first_day_and_too_late_from_one_month(on, expected):
    assert status_of("hb0", on).status is expected


def test_hb0_upper_limit_is_configurable():
    params = ScheduleParams(hb0_too_late_from=AgeOffset(days=8))
    assert status_of("hb0", BIRTH + timedelta(days=7), params=params).status is DoseStatus.OVERDUE
    assert status_of("hb0", BIRTH + timedelta(days=8), params=params).status is DoseStatus.TOO_LATE


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (months(2, -1), DoseStatus.NOT_YET),
        (months(2), DoseStatus.DUE),
        (months(3, -1), DoseStatus.DUE),
        (months(3), DoseStatus.OVERDUE),
        (months(60, -1), DoseStatus.OVERDUE),
        (months(60), DoseStatus.TOO_LATE),
    ],
)
def test_dpt_hb_hib_1_across_the_birthdays(on, expected):
    assert status_of("dpt_hb_hib1", on).status is expected


def test_month_birthdays_clamp_to_the_month_end():
    # given a child born on 31 December
    birth = date(2024, 12, 31)
    assessed = {a.code: a for a in dose_statuses(birth_date=birth, on=date(2025, 2, 28), given={})}
    # then the 2-month birthday is 28 February, when DPT-HB-Hib 1 becomes due
    assert assessed[DoseCode.DPT_HB_HIB1].due_from == date(2025, 2, 28)
    assert assessed[DoseCode.DPT_HB_HIB1].status is DoseStatus.DUE


def test_catch_up_dose_two_is_due_one_month_after_a_late_dose_one():
    # given DPT-HB-Hib 1 given late, on 1 June 2025 (4 months 17 days)
    given = {"dpt_hb_hib1": date(2025, 6, 1)}
    # when looking at dose 2 at 3 months and on the day before one month after dose 1
    assert status_of("dpt_hb_hib2", months(3), given).status is DoseStatus.NOT_YET
    assert status_of("dpt_hb_hib2", date(2025, 6, 30), given).status is DoseStatus.NOT_YET
    # then it is due one month after dose 1, for one month, then overdue
    on_time = status_of("dpt_hb_hib2", date(2025, 7, 1), given)
    assert on_time.status is DoseStatus.DUE
    assert (on_time.due_from, on_time.due_by) == (date(2025, 7, 1), date(2025, 7, 31))
    assert status_of("dpt_hb_hib2", date(2025, 8, 1), given).status is DoseStatus.OVERDUE


def test_a_dose_waits_for_its_previous_dose():
    assessed = status_of("dpt_hb_hib2", months(6))
    assert assessed.status is DoseStatus.NOT_YET
    assert assessed.due_from is None


def test_pcv3_needs_eight_weeks_after_pcv2():
    # given PCV2 at 11 months 5 days
    given = {"pcv1": months(10), "pcv2": months(11, 5)}
    # then PCV3 is due 56 days later, not at 12 months
    assessed = status_of("pcv3", months(12), given)
    assert assessed.status is DoseStatus.NOT_YET
    assert assessed.due_from == months(11, 5) + timedelta(days=56)


def test_dpt_hb_hib_4_needs_twelve_months_after_dose_3():
    given = {"dpt_hb_hib1": months(6), "dpt_hb_hib2": months(7), "dpt_hb_hib3": months(8)}
    assert status_of("dpt_hb_hib4", months(18), given).status is DoseStatus.NOT_YET
    assert status_of("dpt_hb_hib4", months(20), given).status is DoseStatus.DUE


def test_mr2_needs_six_months_after_mr1():
    given = {"mr1": date(2026, 4, 15)}
    assert status_of("mr2", date(2026, 10, 14), given).status is DoseStatus.NOT_YET
    assert status_of("mr2", date(2026, 10, 15), given).status is DoseStatus.DUE
    # and a timely MR1 leaves MR2 due from 18 to 23 months
    timely = {"mr1": months(9)}
    assert status_of("mr2", months(24, -1), timely).status is DoseStatus.DUE
    assert status_of("mr2", months(24), timely).status is DoseStatus.OVERDUE


def test_je_only_in_endemic_areas():
    # given a child of 10 months in a non-endemic area
    codes = {a.code for a in dose_statuses(birth_date=BIRTH, on=months(10), given={})}
    assert DoseCode.JE not in codes
    # when the area is endemic, JE is due at 10 months
    endemic = ScheduleParams(je_endemic=True)
    assert status_of("je", months(10, -1), params=endemic).status is DoseStatus.NOT_YET
    assert status_of("je", months(10), params=endemic).status is DoseStatus.DUE


def test_rotavirus_has_a_maximum_age():
    assert status_of("rv1", months(7, -1)).status is DoseStatus.OVERDUE
    assert status_of("rv1", months(7)).status is DoseStatus.TOO_LATE
    # a late RV1 pushes RV2 past the limit
    late = status_of("rv2", months(6, 20), {"rv1": months(6, 10)})
    assert late.status is DoseStatus.TOO_LATE


def test_the_rotavirus_limit_is_configurable():
    params = ScheduleParams(rotavirus_too_late_from=AgeOffset(months=6))
    assert status_of("rv1", months(6, -1), params=params).status is DoseStatus.OVERDUE
    assert status_of("rv1", months(6), params=params).status is DoseStatus.TOO_LATE


def test_bcg_is_too_late_from_twelve_months():
    assert status_of("bcg", months(12, -1)).status is DoseStatus.OVERDUE
    assert status_of("bcg", months(12)).status is DoseStatus.TOO_LATE


def test_given_doses_are_checked_for_age_and_interval():
    given = {"dpt_hb_hib1": months(2), "dpt_hb_hib2": months(2, 20)}
    assert status_of("dpt_hb_hib1", months(4), given).valid is True
    too_soon = status_of("dpt_hb_hib2", months(4), given)
    assert too_soon.status is DoseStatus.GIVEN
    assert too_soon.valid is False


def test_a_dose_recorded_after_the_date_is_not_given_yet():
    assert status_of("bcg", BIRTH, {"bcg": BIRTH + timedelta(days=3)}).status is DoseStatus.DUE


def test_unknown_dose_codes_are_rejected():
    with pytest.raises(ValueError):
        dose_statuses(birth_date=BIRTH, on=BIRTH, given={"polio9": BIRTH})


def test_next_due_per_antigen():
    # given the basic doses done on time
    given = {
        "dpt_hb_hib1": months(2),
        "dpt_hb_hib2": months(3),
        "dpt_hb_hib3": months(4),
        "rv1": months(2),
        "rv2": months(3),
        "rv3": months(4),
    }
    nxt = next_due_by_antigen(birth_date=BIRTH, on=months(5), given=given)
    # then DPT-HB-Hib continues with dose 4 at 18 months and rotavirus needs nothing more
    assert nxt[Antigen.DPT_HB_HIB].code is DoseCode.DPT_HB_HIB4
    assert nxt[Antigen.DPT_HB_HIB].due_from == months(18)
    assert Antigen.RV not in nxt
    assert nxt[Antigen.MR].due_from == months(9)


BASIC = {
    "hb0": BIRTH,
    "bcg": months(0, 10),
    "opv1": months(0, 10),
    "opv2": months(2),
    "opv3": months(3),
    "opv4": months(4),
    "dpt_hb_hib1": months(2),
    "dpt_hb_hib2": months(3),
    "dpt_hb_hib3": months(4),
    "pcv1": months(2),
    "pcv2": months(3),
    "rv1": months(2),
    "rv2": months(3),
    "rv3": months(4),
    "ipv1": months(4),
    "mr1": months(9),
}


def test_idl_complete_and_on_time():
    status = idl_status(birth_date=BIRTH, given=BASIC)
    assert (status.complete, status.missing, status.completed_on, status.on_time) == (True, (), months(9), True)


def test_idl_missing_and_late():
    late = {**BASIC, "mr1": months(12)}
    assert idl_status(birth_date=BIRTH, given=late).on_time is False
    partial = {k: v for k, v in BASIC.items() if k != "pcv2"}
    status = idl_status(birth_date=BIRTH, given=partial)
    assert (status.complete, status.missing, status.completed_on) == (False, (DoseCode.PCV2,), None)


def test_the_juknis_heading_definition_also_needs_ipv2_and_je_where_endemic():
    assert idl_status(birth_date=BIRTH, given=BASIC, definition=IDL_JUKNIS_HEADING).missing == (DoseCode.IPV2,)
    endemic = ScheduleParams(je_endemic=True)
    status = idl_status(birth_date=BIRTH, given=BASIC, definition=IDL_JUKNIS_HEADING, params=endemic)
    assert status.missing == (DoseCode.IPV2, DoseCode.JE)


def test_baduta_lengkap():
    given = {"pcv3": months(12), "dpt_hb_hib4": months(18), "mr2": months(18)}
    assert lanjutan_status(birth_date=BIRTH, given=given).on_time is True
    assert lanjutan_status(birth_date=BIRTH, given={**given, "mr2": months(24)}).on_time is False
    assert lanjutan_status(birth_date=BIRTH, given={"pcv3": months(12)}).missing == (
        DoseCode.DPT_HB_HIB4,
        DoseCode.MR2,
    )


def test_bias_doses_by_grade_and_sex():
    assert [d.code for d in school_doses(grade=5, sex=Sex.FEMALE)] == [SchoolDoseCode.TD_GRADE5, SchoolDoseCode.HPV1]
    assert [d.code for d in school_doses(grade=5, sex="male")] == [SchoolDoseCode.TD_GRADE5]
    assert school_doses(grade=6, sex=Sex.MALE) == ()
    assert [d.code for d in school_doses(grade=6, sex=Sex.FEMALE)] == [SchoolDoseCode.HPV2]


@pytest.mark.parametrize(
    ("on", "mr", "dt"),
    [
        (date(2025, 7, 31), DoseStatus.NOT_YET, DoseStatus.NOT_YET),
        (date(2025, 8, 1), DoseStatus.DUE, DoseStatus.NOT_YET),
        (date(2025, 9, 1), DoseStatus.OVERDUE, DoseStatus.NOT_YET),
        (date(2025, 11, 30), DoseStatus.OVERDUE, DoseStatus.DUE),
        (date(2026, 3, 1), DoseStatus.OVERDUE, DoseStatus.OVERDUE),
    ],
)
def test_bias_kelas_1_over_the_school_year(on, mr, dt):
    assessed = school_dose_statuses(grade=1, sex=Sex.MALE, on=on, given={})
    assert [a.status for a in assessed] == [mr, dt]


def test_bias_given_dose():
    assessed = school_dose_statuses(grade=1, sex=Sex.FEMALE, on=date(2025, 9, 1), given={"bias_mr": date(2025, 8, 12)})
    assert assessed[0].status is DoseStatus.GIVEN
    assert assessed[0].given_on == date(2025, 8, 12)


@settings(max_examples=300, deadline=None)
@hyp_given(
    birth=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    ages=st.dictionaries(st.sampled_from(sorted(DoseCode)), st.integers(min_value=0, max_value=1900)),
    on_age=st.integers(min_value=0, max_value=1900),
    endemic=st.booleans(),
)
def test_a_dose_is_never_due_before_its_earliest_age_or_within_the_interval(birth, ages, on_age, endemic):
    # given any history of given doses and any day
    given = {code: birth + timedelta(days=age) for code, age in ages.items()}
    on = birth + timedelta(days=on_age)
    params = ScheduleParams(je_endemic=endemic)
    by_code = {d.code: d for d in SCHEDULE}
    for assessed in dose_statuses(birth_date=birth, on=on, given=given, params=params):
        if assessed.status not in (DoseStatus.DUE, DoseStatus.OVERDUE):
            continue
        dose = by_code[assessed.code]
        # then a due dose is old enough, after its previous dose's interval, and not past the limit
        assert on >= dose.earliest.after(birth)
        if dose.previous is not None:
            assert given[dose.previous] <= on
            assert on >= (dose.min_interval or AgeOffset()).after(given[dose.previous])
        assert on < assessed.too_late_from
        assert assessed.due_from <= on
