"""Newborn rules: KN window edges, KN lengkap, the SHK sampling window."""

from datetime import date, timedelta

import pytest

from ilp.lifecycle.rules.common import VisitStatus, VisitWindow
from ilp.lifecycle.rules.newborn import (
    KN_WINDOWS,
    NeonatalVisit,
    ShkStatus,
    ShkWindow,
    kn_complete,
    neonatal_visit_code,
    neonatal_visits,
    shk_status,
)

BIRTH = date(2025, 12, 28)


def day(n: int) -> date:
    return BIRTH + timedelta(days=n)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "kn1"), (2, "kn1"), (3, "kn2"), (7, "kn2"), (8, "kn3"), (28, "kn3"), (29, None)],
)
def test_kn_window_edges(n, expected):
    assert neonatal_visit_code(birth_date=BIRTH, visit_on=day(n)) == expected


def test_kn_statuses_across_the_new_year():
    # given a KN1 visit on day 1 (the windows cross 1 January)
    assessed = neonatal_visits(birth_date=BIRTH, visits=[day(1)], on=day(5))
    # then KN1 is done, KN2 is due, KN3 not yet open
    assert [a.status for a in assessed] == [VisitStatus.DONE, VisitStatus.DUE, VisitStatus.NOT_YET]
    assert assessed[1].closes_on == date(2026, 1, 4)


def test_kn2_is_overdue_the_day_after_its_window():
    assessed = neonatal_visits(birth_date=BIRTH, visits=[day(1)], on=day(8))
    assert assessed[1].status is VisitStatus.OVERDUE


def test_kn_lengkap_needs_all_three():
    assert kn_complete(birth_date=BIRTH, visits=[day(1), day(5)], on=day(30)) is False
    assert kn_complete(birth_date=BIRTH, visits=[day(1), day(5), day(20)], on=day(30)) is True


def test_kn_windows_are_configurable():
    # given a Dinkes that closes KN3 at day 14
    windows = (*KN_WINDOWS[:2], VisitWindow(NeonatalVisit.KN3, 8, 14))
    # then a visit on day 20 is KN3 by default but not with the narrower window
    assert neonatal_visit_code(birth_date=BIRTH, visit_on=day(20)) == NeonatalVisit.KN3
    assert neonatal_visit_code(birth_date=BIRTH, visit_on=day(20), windows=windows) is None


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, ShkStatus.NOT_YET),
        (2, ShkStatus.DUE_IDEAL),
        (3, ShkStatus.DUE_IDEAL),
        (4, ShkStatus.DUE_LATE),
        (14, ShkStatus.DUE_LATE),
        (15, ShkStatus.MISSED),
    ],
)
def test_shk_window_edges(n, expected):
    assert shk_status(birth_date=BIRTH, on=day(n)) is expected


def test_shk_done_only_once_sampled_by_the_date():
    assert shk_status(birth_date=BIRTH, on=day(20), sampled_on=day(3)) is ShkStatus.DONE
    assert shk_status(birth_date=BIRTH, on=day(2), sampled_on=day(3)) is ShkStatus.DUE_IDEAL


def test_shk_outer_limit_is_configurable():
    window = ShkWindow(last_day=7)
    assert shk_status(birth_date=BIRTH, on=day(7), window=window) is ShkStatus.DUE_LATE
    assert shk_status(birth_date=BIRTH, on=day(8), window=window) is ShkStatus.MISSED
