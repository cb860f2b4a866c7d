"""Growth faltering from monthly weighings: N / T / 2T / O / B as the Buku KIA and the SKDN report use them.

- N (naik, `gained`): weighed this and last calendar month, gain ≥ the minimum gain (KBM) for the age.
- T (tidak naik, `not_gained`): weighed both months, gain below the KBM, or weight lost.
- 2T (`not_gained_twice`): a T whose previous month was also T (two or more in a row).
- O (`not_weighed_last_month`): weighed this month, not last month — N/T cannot be judged.
- B (baru, `new`): the first weighing on record.

"Consecutive monthly" = weighings in consecutive *calendar* months, the posyandu's monthly rhythm (ILP.md
§1.4; the Buku KIA chart has one column per month of age); when a month holds several weighings the
last one counts (a re-weighing corrects the first). The KBM is looked up at the child's age in completed
months on the later weighing: the Buku KIA's "1 month: 800 g" is the gain from month 0 to month 1.

Sources: the Buku KIA 2023 growth page (fliphtml5 copy of "KIA SIAP CETAK (6 Mei 2023)", p. 54 ◐):
"NAIK (N): kenaikan BB sama dengan KBM atau lebih; TIDAK NAIK (T): ... kurang dari KBM", KBM row
800 900 800 600 500 400 300 200 g, citing Permenkes 2/2020. How the later values spread over the months
is not readable there ❓: `KBM_BUKU_KIA` (default) follows the classic KMS table, `KBM_7_TO_17_300`
a consumer-site reading (7-17 months 300 g, 18-24 months 200 g). Follow-up: PKG Juknis (KMK
HK.01.07/MENKES/33/2025) `docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx` — BB/U normal but
weight not rising: look for red flags, local PMT, re-evaluate after 2 weeks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ilp.lifecycle.rules.common import completed_months


class WeighingResult(StrEnum):
    GAINED = "gained"
    NOT_GAINED = "not_gained"
    NOT_GAINED_TWICE = "not_gained_twice"
    NOT_WEIGHED_LAST_MONTH = "not_weighed_last_month"
    NEW = "new"


KMS_LETTERS = {
    WeighingResult.GAINED: "N",
    WeighingResult.NOT_GAINED: "T",
    WeighingResult.NOT_GAINED_TWICE: "2T",
    WeighingResult.NOT_WEIGHED_LAST_MONTH: "O",
    WeighingResult.NEW: "B",
}
NOT_GAINED = frozenset({WeighingResult.NOT_GAINED, WeighingResult.NOT_GAINED_TWICE})


@dataclass(frozen=True, slots=True)
class KbmTable:
    """Minimum monthly gain in grams as steps (from age in completed months, grams); ages below the first
    step use it, ages past the last (up to 60 months) use the last."""

    name: str
    steps: tuple[tuple[int, int], ...]

    def minimum_gain(self, age_months: int) -> int:
        grams = self.steps[0][1]
        for from_month, step_grams in self.steps:
            if age_months >= from_month:
                grams = step_grams
        return grams


# 1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6-7: 400, 8-10: 300, 11-60: 200 g — classic KMS/Buku KIA ❓ past 6.
KBM_BUKU_KIA = KbmTable("buku_kia", ((1, 800), (2, 900), (3, 800), (4, 600), (5, 500), (6, 400), (8, 300), (11, 200)))
KBM_7_TO_17_300 = KbmTable(
    "seven_to_seventeen_300", ((1, 800), (2, 900), (3, 800), (4, 600), (5, 500), (6, 400), (7, 300), (18, 200))
)


@dataclass(frozen=True, slots=True)
class WeighingAssessment:
    on: date
    weight_kg: float
    age_months: int
    gain_g: int | None
    minimum_gain_g: int | None
    result: WeighingResult


def weighing_results(
    *, birth_date: date, weighings: Iterable[tuple[date, float]], kbm: KbmTable = KBM_BUKU_KIA
) -> tuple[WeighingAssessment, ...]:
    """N/T/2T/O/B for each month with a weighing, oldest first (see the module docstring for the rules).

    `weighings` are (date, weight in kg); a birth weight may be passed as a weighing on the birth date.
    Source: Buku KIA 2023 growth page (N/T by KBM), Permenkes 2/2020; KBM table configurable.
    """
    last_in_month: dict[tuple[int, int], tuple[date, float]] = {}
    for on, kg in sorted(weighings):
        last_in_month[(on.year, on.month)] = (on, kg)
    result: list[WeighingAssessment] = []
    previous: tuple[int, int] | None = None
    for key in sorted(last_in_month):
        on, kg = last_in_month[key]
        age = completed_months(birth_date=birth_date, on=on)
        gain = minimum = None
        if previous is None:
            code = WeighingResult.NEW
        elif previous[0] * 12 + previous[1] + 1 != key[0] * 12 + key[1]:
            code = WeighingResult.NOT_WEIGHED_LAST_MONTH
        else:
            gain = round((kg - last_in_month[previous][1]) * 1000)
            minimum = kbm.minimum_gain(age)
            if gain >= minimum:
                code = WeighingResult.GAINED
            elif result[-1].result in NOT_GAINED:
                code = WeighingResult.NOT_GAINED_TWICE
            else:
                code = WeighingResult.NOT_GAINED
        result.append(WeighingAssessment(on, kg, age, gain, minimum, code))
        previous = key
    return tuple(result)


class FalteringAction(StrEnum):
    REFER_TO_HEALTH_WORKER = "refer_to_health_worker"
    CHECK_RED_FLAGS = "check_red_flags"
    LOCAL_SUPPLEMENTARY_FEEDING = "local_supplementary_feeding"
    REEVALUATE = "reevaluate"
    REFER_TO_PUSKESMAS = "refer_to_puskesmas"


@dataclass(frozen=True, slots=True)
class FalteringFollowUp:
    actions: tuple[FalteringAction, ...]
    reevaluate_on: date | None


def faltering_follow_up(
    *, result: WeighingResult, weighed_on: date, reevaluate_after_days: int = 14
) -> FalteringFollowUp:
    """What to do after a weighing whose BB/U is normal (other BB/U categories follow the growth rules).

    T: the kader refers to a health worker (Buku KIA 2023: "Rujuk bila berat badan anak tidak naik (T)"
    ◐), who looks for red flags, starts local PMT and re-evaluates after 2 weeks ✅
    `docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx` ("Indeks BB/U Berat Badan Normal ... Jika
    BB tidak naik"). 2T: the same, and handled as weight faltering at the puskesmas ❓ — the Juknis
    `docs/ILP/02-klaster-2/02-balita-pra-sekolah/08-balita-masalah-gizi.mdx` refers weight faltering
    without adequate improvement after 1 week of treatment; "2T → puskesmas" is the classic KMS rule.
    """
    if result not in NOT_GAINED:
        return FalteringFollowUp(actions=(), reevaluate_on=None)
    actions = [
        FalteringAction.REFER_TO_HEALTH_WORKER,
        FalteringAction.CHECK_RED_FLAGS,
        FalteringAction.LOCAL_SUPPLEMENTARY_FEEDING,
        FalteringAction.REEVALUATE,
    ]
    if result is WeighingResult.NOT_GAINED_TWICE:
        actions.append(FalteringAction.REFER_TO_PUSKESMAS)
    return FalteringFollowUp(actions=tuple(actions), reevaluate_on=weighed_on + timedelta(days=reevaluate_after_days))
