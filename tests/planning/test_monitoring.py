"""On track / at risk / achieved at their thresholds (planning.monitoring)."""

import datetime as dt

from ilp.planning.monitoring import ON_TRACK_TOLERANCE_PP, Progress, expected_now, progress_of

START = dt.date(2026, 1, 1)
DUE = dt.date(2026, 12, 31)
TODAY = dt.date(2026, 11, 20)


def _cov(current, period=dt.date(2026, 6, 1), **kw):
    args = {"baseline": 40.0, "target": 90.0, "start": START, "due": DUE, "today": TODAY, "cumulative": True}
    return progress_of(current=current, period=period, **{**args, **kw})


def test_coverage_expected_follows_the_pws_target_line():
    # June: 90 x 6 / 12 = 45.
    assert (
        expected_now(baseline=40.0, target=90.0, start=START, due=DUE, period=dt.date(2026, 6, 1), cumulative=True)
        == 45
    )


def test_coverage_on_track_within_the_tolerance_and_at_risk_below_it():
    assert _cov(45.0) == Progress.ON_TRACK
    assert _cov(45.0 - ON_TRACK_TOLERANCE_PP) == Progress.ON_TRACK
    assert _cov(45.0 - ON_TRACK_TOLERANCE_PP - 0.1) == Progress.AT_RISK


def test_reaching_the_target_is_achieved_even_early():
    assert _cov(90.0) == Progress.ACHIEVED


def test_past_the_target_date_and_not_reached_is_at_risk():
    assert _cov(89.9, today=dt.date(2027, 1, 2)) == Progress.AT_RISK


def test_no_value_is_no_data():
    assert _cov(None) == Progress.NO_DATA


def test_rate_follows_a_straight_line_from_the_baseline():
    # D/S from 60 to 80 over the year: at the end of June about half way (about 69.9).
    kw = {"baseline": 60.0, "target": 80.0, "start": START, "due": DUE, "today": TODAY, "cumulative": False}
    expected = expected_now(
        period=dt.date(2026, 6, 1), **{k: kw[k] for k in ("baseline", "target", "start", "due")}, cumulative=False
    )
    assert 69.5 < expected < 70.5
    assert progress_of(current=expected - 1.9, period=dt.date(2026, 6, 1), **kw) == Progress.ON_TRACK
    assert progress_of(current=expected - 2.1, period=dt.date(2026, 6, 1), **kw) == Progress.AT_RISK


def test_a_prevalence_is_achieved_when_it_falls_to_the_target():
    kw = {"baseline": 20.0, "target": 14.0, "start": START, "due": DUE, "today": TODAY, "cumulative": False}
    assert progress_of(current=14.0, period=dt.date(2026, 10, 1), higher_is_better=False, **kw) == Progress.ACHIEVED
    # End of October: expected 20 - 6 x 303/364 = 15.0; 17.1 is more than 2 points worse, 16.9 is not.
    assert progress_of(current=17.1, period=dt.date(2026, 10, 1), higher_is_better=False, **kw) == Progress.AT_RISK
    assert progress_of(current=16.9, period=dt.date(2026, 10, 1), higher_is_better=False, **kw) == Progress.ON_TRACK
