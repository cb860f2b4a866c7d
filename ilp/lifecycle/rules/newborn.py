"""Newborn rules: the KN1-KN3 neonatal visits (KN lengkap) and the SHK heel-prick window.

Sources (ILP Juknis KMK HK.01.07/MENKES/2015/2023, transcription `mlengse/ilp-docs`):
- KN lengkap = 3 visits, integrated with KF: `docs/ILP/02-klaster-2/02-balita-pra-sekolah/01-neonatal.mdx`
  (per ILP.md §2.2; not in the stored transcription). The KN windows themselves live in a figure the
  transcription drops, so they are configurable data (`KN_WINDOWS`): KN1 6-48 h and KN3 8-28 days ◐
  (a third-party SPM seed, consistent with the KF windows); KN2 3-7 days ✅ — the PKG Juknis (KMK
  HK.01.07/MENKES/33/2025) names "Kunjungan Neonatal ke-2 (3-7 hari setelah lahir)",
  `docs/PKG/01-pkg-ultah/00-pkg-bbl/index.mdx`.
- SHK: `docs/ILP/02-klaster-2/02-balita-pra-sekolah/04-shk.mdx` — sampling is ideal at 48-72 hours
  (on day 3); a puskesmas page says 2-14 days ◐ (`pkmtibanbaru.batam.go.id/?p=146`), kept as the
  outer limit of `DEFAULT_SHK_WINDOW`, configurable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ilp.lifecycle.rules.common import VisitAssessment, VisitStatus, VisitWindow, assess_windows, window_for_day


class NeonatalVisit(StrEnum):
    KN1 = "kn1"
    KN2 = "kn2"
    KN3 = "kn3"


# Day 0 = date of birth; see the module docstring for each window's source and confidence.
KN_WINDOWS = (
    VisitWindow(NeonatalVisit.KN1, 0, 2),
    VisitWindow(NeonatalVisit.KN2, 3, 7),
    VisitWindow(NeonatalVisit.KN3, 8, 28),
)


def neonatal_visit_code(
    *, birth_date: date, visit_on: date, windows: tuple[VisitWindow, ...] = KN_WINDOWS
) -> str | None:
    """Which KN a neonatal visit on `visit_on` counts as (None outside the windows).

    Source: `02-balita-pra-sekolah/01-neonatal.mdx` (KN lengkap = 3 visits); windows configurable (◐).
    """
    return window_for_day(windows, (visit_on - birth_date).days)


def neonatal_visits(
    *, birth_date: date, visits: Iterable[date], on: date, windows: tuple[VisitWindow, ...] = KN_WINDOWS
) -> tuple[VisitAssessment, ...]:
    """KN1-KN3 on `on`: done / due / overdue (window closed without a visit) / not yet.

    Source: `02-balita-pra-sekolah/01-neonatal.mdx`; kader sweep newborns who missed a KN (ILP.md §1.5).
    """
    return assess_windows(windows=windows, day_zero=birth_date, visits=visits, on=on)


def kn_complete(
    *, birth_date: date, visits: Iterable[date], on: date, windows: tuple[VisitWindow, ...] = KN_WINDOWS
) -> bool:
    """KN lengkap: each KN window had a visit (`01-neonatal.mdx`; dashboard "neonatal lengkap")."""
    assessed = neonatal_visits(birth_date=birth_date, visits=visits, on=on, windows=windows)
    return all(a.status is VisitStatus.DONE for a in assessed)


class ShkStatus(StrEnum):
    NOT_YET = "not_yet"
    DUE_IDEAL = "due_ideal"
    DUE_LATE = "due_late"
    MISSED = "missed"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class ShkWindow:
    """SHK sampling days after birth (day 0 = birth date). Ideal 48-72 h = days 2-3 (✅ `04-shk.mdx`);
    still acceptable until day 14 (◐ 2-14 days, puskesmas page). Configurable."""

    ideal_first_day: int = 2
    ideal_last_day: int = 3
    last_day: int = 14


DEFAULT_SHK_WINDOW = ShkWindow()


def shk_status(
    *, birth_date: date, on: date, sampled_on: date | None = None, window: ShkWindow = DEFAULT_SHK_WINDOW
) -> ShkStatus:
    """SHK (congenital hypothyroid screening) on `on`: done, not yet, due (ideal or late), or missed.

    Source: `docs/ILP/02-klaster-2/02-balita-pra-sekolah/04-shk.mdx` (ideal at 48-72 hours); outer limit
    14 days ◐, configurable through `window`.
    """
    if sampled_on is not None and sampled_on <= on:
        return ShkStatus.DONE
    day = (on - birth_date).days
    if day < window.ideal_first_day:
        return ShkStatus.NOT_YET
    if day <= window.ideal_last_day:
        return ShkStatus.DUE_IDEAL
    if day <= window.last_day:
        return ShkStatus.DUE_LATE
    return ShkStatus.MISSED
