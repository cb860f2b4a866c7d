"""Monthly monitoring of an RTL step: baseline -> current -> target, and whether it is on track.

Juknis ILP `docs/ILP/06-integrasi-fasker/index.mdx` (step 5): the network is monitored monthly per step of
the care pathway against its targets. How "on track" is judged is ours:

- a COVERAGE indicator (SPM style) accumulates over the year, so a step is on track when the year-to-date
  coverage reaches the PWS-KIA target line for the month: target x month / 12
  (`Indicator.period_target`, ILP.md §3.2);
- a RATE indicator (D/S, a prevalence) is on track when it has moved from the baseline at least as far as
  a straight line from the baseline month to the target date says it should by now;
- in both, `ON_TRACK_TOLERANCE_PP` points of slack (a named default ❓, not from a guideline);
- reached: achieved; past the target date and not reached: at risk.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

ON_TRACK_TOLERANCE_PP = 2.0


class Progress(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NO_DATA = ""


def _reached(value: float, goal: float, higher_is_better: bool) -> bool:
    return value >= goal if higher_is_better else value <= goal


def expected_now(
    *,
    baseline: float | None,
    target: float,
    start: dt.date,
    due: dt.date,
    period: dt.date,
    cumulative: bool,
) -> float:
    """Where the indicator should be in `period` (a month) to reach `target` by `due`."""
    if cumulative:
        return target * period.month / 12 if period.year == due.year else target
    if baseline is None:
        return target
    month_end = (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    span = (due - start).days
    done = 1.0 if span <= 0 else min(1.0, max(0.0, (month_end - start).days / span))
    return baseline + (target - baseline) * done


def progress_of(
    *,
    baseline: float | None,
    current: float | None,
    target: float,
    start: dt.date,
    due: dt.date,
    period: dt.date | None,
    today: dt.date,
    cumulative: bool,
    higher_is_better: bool = True,
    tolerance: float = ON_TRACK_TOLERANCE_PP,
) -> Progress:
    """The monitoring status of a step whose indicator reads `current` in `period`."""
    if current is None or period is None:
        return Progress.NO_DATA
    if _reached(current, target, higher_is_better):
        return Progress.ACHIEVED
    if today > due:
        return Progress.AT_RISK
    expected = expected_now(
        baseline=baseline, target=target, start=start, due=due, period=period, cumulative=cumulative
    )
    slack = tolerance if higher_is_better else -tolerance
    return Progress.ON_TRACK if _reached(current + slack, expected, higher_is_better) else Progress.AT_RISK
