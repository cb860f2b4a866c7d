"""How well each desa and posyandu works, and the calendar the services follow.

A PWS is read by ranking desa, so the demo's desa must differ: every desa gets a quality score from -1 (the
weakest) to +1 (the strongest), evenly spaced in a seeded order so that there is always a clear best and
worst; each posyandu scatters around its desa. A programme's share in a desa is its base share moved by
`spread x quality` (`share`). The calendar: posyandu attendance rises in the vitamin A months (February,
August) and falls around Lebaran and in the December rains; one posyandu is not held in the Lebaran month
and one in the rainy season (two posyandu-months of the year; ILP.md §1.4: monthly posyandu).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from ilp.demo.population.services.plan import clamp, weekday_in, window_months

POSYANDU_SCATTER = 0.25  # SD of a posyandu's quality around its desa's
# Idul Fitri (1 Syawal) by year, as set by the Kementerian Agama (◐ announced dates; later years are the
# astronomical estimates). Attendance dips from the last ten days of Ramadan to a week after.
IDUL_FITRI = {
    2024: dt.date(2024, 4, 10),
    2025: dt.date(2025, 3, 31),
    2026: dt.date(2026, 3, 20),
    2027: dt.date(2027, 3, 10),
    2028: dt.date(2028, 2, 27),
    2029: dt.date(2029, 2, 15),
    2030: dt.date(2030, 2, 5),
}
LEBARAN_DIP = -0.12
RAINS_DIP = -0.05  # December: rains, landslide season around the lake, school holidays
ROUND_MONTH_BONUS = 0.08  # February and August: bulan penimbangan and vitamin A
SKIPPED_SESSIONS = 2


def lebaran(on: dt.date) -> bool:
    """From the last ten days of Ramadan to a week after Idul Fitri (mudik, pulang basamo to the kampung)."""
    feast = IDUL_FITRI.get(on.year)
    return feast is not None and -10 <= (on - feast).days <= 7


def lebaran_month(year: int) -> int | None:
    feast = IDUL_FITRI.get(year)
    return feast.month if feast else None


def attendance_shift(on: dt.date) -> float:
    """How much more (or less) likely a posyandu visit is on this day than in an ordinary month."""
    if on.month in (2, 8):
        return ROUND_MONTH_BONUS
    if on.month == lebaran_month(on.year):
        return LEBARAN_DIP
    if on.month == 12:
        return RAINS_DIP
    return 0.0


def busy_weight(on: dt.date) -> float:
    """A weight for drawing the day of an unscheduled visit (a screening, a check-up): fewer around Lebaran."""
    return 0.4 if lebaran(on) else 0.8 if on.month == 12 else 1.0


def day_in_window(rng: random.Random, today: dt.date, month_weight: dict[int, float] | None = None) -> dt.date:
    """A working day of the window for an unscheduled visit, months weighted (a campaign month counts more),
    fewer around Lebaran; never after today."""
    months = window_months(today)
    weights = [(month_weight or {}).get(m, 1.0) * (0.5 if m == lebaran_month(y) else 1.0) for y, m in months]
    year, month = rng.choices(months, weights)[0]
    return weekday_in(rng, dt.date(year, month, 1), 27, today)


def quality_scores(seed: int, village_ids: Iterable[int], posyandu_village: dict[int, int]):
    """(desa quality, posyandu quality): desa evenly from -1 to +1 in a seeded order, posyandu around them."""
    villages = sorted(set(village_ids))
    rng = random.Random(f"{seed}:quality")
    rng.shuffle(villages)
    n = len(villages)
    desa = {v: (-1.0 + 2.0 * i / (n - 1)) if n > 1 else 0.0 for i, v in enumerate(villages)}
    posyandu = {
        p: clamp(desa.get(v, 0.0) + rng.gauss(0, POSYANDU_SCATTER), -1.3, 1.3)
        for p, v in sorted(posyandu_village.items())
    }
    return desa, posyandu


def share(base: float, spread: float, quality: float, low: float = 0.0, high: float = 0.99) -> float:
    """A programme's share where the desa (or posyandu) has this quality."""
    return clamp(base + spread * quality, low, high)


def skipped_sessions(seed: int, posyandu_day: dict[int, int], today: dt.date) -> frozenset[tuple[int, int, int]]:
    """Posyandu-months not held: (posyandu, year, month), one in the Lebaran month, one in the rains.

    Never this month (its session may still be ahead) nor February or August (the vitamin A rounds)."""
    rng = random.Random(f"{seed}:skipped")
    months = [ym for ym in window_months(today)[:-1] if ym[1] not in (2, 8)]
    if not posyandu_day or not months:
        return frozenset()
    preferred = [
        [ym for ym in months if ym[1] == lebaran_month(ym[0])],
        [ym for ym in months if ym[1] in (12, 1)],
    ]
    ids = sorted(posyandu_day)
    chosen: set[tuple[int, int, int]] = set()
    for k in range(SKIPPED_SESSIONS):
        pool = preferred[k] if k < len(preferred) and preferred[k] else months
        posyandu = rng.choice(ids)
        year, month = rng.choice(pool)
        if dt.date(year, month, posyandu_day[posyandu]) <= today:
            chosen.add((posyandu, year, month))
    return frozenset(chosen)
