"""Rank, trend and gap of PWS cells, at their edges."""

import datetime as dt

from ilp.indicators.cells import Cell, DenominatorSource, Status, rank_of, trend_of

NOV = dt.date(2026, 11, 1)


def cell(code, coverage, *, num=0, den=100, target=80.0, up=True, period=NOV):
    return Cell(
        "ind", code, code, period, True, num, den, DenominatorSource.REGISTER, target, coverage, Status.NO_DATA, up
    )


def test_rank_puts_the_better_coverage_first_and_ties_share_a_rank():
    cells = [cell("a", 70.0), cell("b", 90.0), cell("c", 70.0), cell("d", None)]
    assert rank_of(cells, "b") == (1, 3, False)
    assert rank_of(cells, "a") == (2, 3, True)
    assert rank_of(cells, "c") == (2, 3, True)
    assert rank_of(cells, "d") is None  # no coverage, no rank


def test_a_prevalence_ranks_the_lower_coverage_first():
    cells = [cell("a", 12.0, up=False), cell("b", 25.0, up=False)]
    assert rank_of(cells, "a") == (1, 2, False)


def test_trend_compares_the_last_two_months_and_says_whether_it_is_good_news():
    oct_, nov = dt.date(2026, 10, 1), NOV
    assert trend_of([cell("a", 60.0, period=oct_), cell("a", 62.5, period=nov)]) == {
        "trend": "up",
        "good": True,
        "diff": 2.5,
    }
    assert trend_of([cell("a", 20.0, up=False, period=oct_), cell("a", 22.0, up=False)])["good"] is False
    assert trend_of([cell("a", 20.0, period=oct_), cell("a", 20.0)])["trend"] == "flat"
    assert trend_of([cell("a", None, period=oct_), cell("a", 20.0)]) == {"trend": "", "good": None}


def test_gap_in_persons_to_the_target_rounds_up_and_is_never_negative():
    assert cell("a", 60.0, num=60, den=100, target=80).gap_persons == 20
    assert cell("a", 79.5, num=159, den=200, target=80).gap_persons == 1
    assert cell("a", 90.0, num=90, den=100, target=80).gap_persons == 0
    # a prevalence above its ceiling: the cases above it
    assert cell("a", 20.0, num=20, den=100, target=14, up=False).gap_persons == 6
    assert (
        Cell("i", "a", "a", NOV, True, 5, None, DenominatorSource.PROJECTION, 80, None, Status.NO_DATA).gap_persons == 0
    )
