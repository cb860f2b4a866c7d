"""Flags and due services of a person: the life-stage rules applied together (lifecycle.rules.care)."""

from datetime import date, timedelta

from ilp.lifecycle.rules.care import PersonRecord, Severity, assess

ON = date(2026, 11, 20)


def _codes(items):
    return {i.code for i in items}


def test_a_hypertensive_adult_is_flagged_for_the_puskesmas_and_due_for_the_rest_of_the_yearly_screening():
    # given a man of 45 whose blood pressure last month was 165/100
    record = PersonRecord(
        sex="male",
        birth_date=date(1981, 3, 1),
        on=ON,
        latest={"systolic_mmhg": (ON - timedelta(days=30), 165.0), "diastolic_mmhg": (ON - timedelta(days=30), 100.0)},
    )
    care = assess(record)
    flag = next(f for f in care.flags if f.code == "hypertension")
    assert (flag.severity, flag.refer_to) == (Severity.DANGER, "puskesmas")
    assert {"screening_glucose", "screening_srq20", "screening_puma"} <= _codes(care.due)
    assert "screening_ptm" not in _codes(care.due)


def test_a_blood_pressure_older_than_a_year_no_longer_counts():
    old = ON - timedelta(days=366)
    record = PersonRecord(
        sex="female",
        birth_date=date(1990, 1, 1),
        on=ON,
        latest={"systolic_mmhg": (old, 170.0), "diastolic_mmhg": (old, 105.0)},
    )
    care = assess(record)
    assert "hypertension" not in _codes(care.flags)
    assert "screening_ptm" in _codes(care.due)


def test_an_unvaccinated_four_month_old_is_overdue_and_due_for_weighing():
    record = PersonRecord(sex="female", birth_date=ON - timedelta(days=125), on=ON)
    care = assess(record)
    due = {d.code: d for d in care.due}
    # HB0 is only given in the first month (ScheduleParams.hb0_too_late_from): too late, not due
    assert "immunisation:hb0" not in due
    assert due["immunisation:dpt_hb_hib1"].overdue
    assert "weighing" in due
    assert "immunisation_overdue" in _codes(care.flags)


def test_weight_not_rising_twice_is_a_danger_flag_for_the_puskesmas():
    born = date(2025, 11, 1)
    weighings = ((date(2026, 9, 10), 9.0), (date(2026, 10, 10), 9.0), (date(2026, 11, 10), 9.05))
    care = assess(PersonRecord(sex="male", birth_date=born, on=ON, weighings=weighings))
    assert care.weighing == "not_gained_twice"
    flag = next(f for f in care.flags if f.code == "growth_faltering_2t")
    assert (flag.severity, flag.refer_to) == (Severity.DANGER, "puskesmas")
    assert "weighing" not in _codes(care.due)


def test_a_pregnant_teenager_with_low_muac_is_a_high_risk_pregnancy():
    hpht = ON - timedelta(days=100)
    record = PersonRecord(
        sex="female",
        birth_date=date(2008, 6, 1),
        on=ON,
        hpht=hpht,
        latest={"muac_cm": (ON - timedelta(days=10), 22.0)},
    )
    care = assess(record)
    codes = _codes(care.flags)
    assert "high_risk_pregnancy" in codes
    assert {"pregnancy_risk:too_young", "pregnancy_risk:kek"} <= codes
    assert "anc" in _codes(care.due)


def test_an_elderly_woman_with_moderate_dependency_and_a_positive_skilas():
    record = PersonRecord(
        sex="female",
        birth_date=date(1950, 2, 2),
        on=ON,
        latest={"adl_score": (ON, 10.0), "skilas_positive": (ON, "mobility,vision")},
    )
    care = assess(record)
    codes = _codes(care.flags)
    assert {"adl:moderate_dependency", "skilas_positive"} <= codes
    assert "screening_elderly" not in _codes(care.due)


def test_a_school_child_with_an_abnormal_sdq_and_impaired_vision_is_flagged_for_the_puskesmas():
    record = PersonRecord(
        sex="male",
        birth_date=date(2015, 5, 5),
        on=ON,
        latest={"sdq_score": (ON, 20.0), "vision": (ON, "impaired")},
    )
    flags = {f.code: f for f in assess(record).flags}
    assert flags["sdq_abnormal"].refer_to == flags["vision_impaired"].refer_to == "puskesmas"


def test_a_due_item_names_its_kind_and_dose():
    from ilp.lifecycle.rules.care import Due

    assert (Due("immunisation:dpt_hb_hib2").kind, Due("immunisation:dpt_hb_hib2").which) == (
        "immunisation",
        "dpt_hb_hib2",
    )
    assert (Due("weighing").kind, Due("weighing").which) == ("weighing", "")
