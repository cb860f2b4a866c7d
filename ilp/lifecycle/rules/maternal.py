"""Pregnancy and postpartum rules: gestational age, trimester, the ANC K1-K6 pattern, risk flags, KF1-KF4.

Sources (ILP Juknis, KMK HK.01.07/MENKES/2015/2023, transcription `mlengse/ilp-docs`, paths under
`docs/ILP/`):
- ANC terpadu: `02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx` — minimum 6 contacts, 1x trimester 1
  (0-12 weeks), 2x trimester 2 (>12-24 weeks), 3x trimester 3 (>24 weeks to birth), doctor at K1 and K5.
  That file is not in the stored transcription this code was written against; the facts are as ILP.md
  §2.1 records them. The Buku KIA page "Periksa Kehamilan" says 2x T1, 1x T2, 3x T3 (transcribed in
  GitHub `YogaCr/kia-qa-bert`, `md-informasi-buku-kia/ibu/periksa-kehamilan.md`), so the distribution
  is configurable (`JUKNIS_1_2_3` default, `BUKU_KIA_2_1_3` alternative).
- KEK (LiLA < 23.5 cm) and underweight (IMT trimester 1 < 18.5):
  `02-klaster-2/01-ibu-hamil-nifas/03-pmt-ibu-hamil-kek.mdx`.
- 4T: `03-klaster-3/02-usia-dewasa/02-skrining-layak-hamil.mdx` (ideal: age 20-35, fewer than 3 children,
  spacing over 2 years); the ANC file asks kader to detect "bumil berisiko (4T)".
- Postpartum KF1-KF4: `02-klaster-2/01-ibu-hamil-nifas/05-pelayanan-nifas.mdx` (per ILP.md §2.1; not in the
  stored transcription).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from ilp.lifecycle.rules.common import (
    VisitAssessment,
    VisitStatus,
    VisitWindow,
    assess_windows,
    completed_months,
    window_for_day,
)


class Trimester(StrEnum):
    T1 = "t1"
    T2 = "t2"
    T3 = "t3"


TRIMESTERS = (Trimester.T1, Trimester.T2, Trimester.T3)


@dataclass(frozen=True, slots=True)
class GestationalAge:
    weeks: int
    days: int

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days


@dataclass(frozen=True, slots=True)
class TrimesterBounds:
    """Last *completed* week of T1 and T2. The Juknis says T1 0-12 weeks, T2 >12-24, T3 >24 to birth;
    read in completed weeks (obstetric usage, and the "13-24 minggu" wording of puskesmas pages), 12w6d
    is still T1 and 13w0d is T2. Configurable for a Dinkes that reads ">12" as from 12w1d."""

    t1_last_week: int = 12
    t2_last_week: int = 24


JUKNIS_TRIMESTERS = TrimesterBounds()


def gestational_age(*, hpht: date, on: date) -> GestationalAge:
    """Gestational age in completed weeks + days from the HPHT (first day of the last menstrual period).

    Source: the ANC trimester definition of `01-anc-terpadu.mdx` counts weeks from the HPHT.
    """
    if on < hpht:
        raise ValueError("on is before the HPHT")
    weeks, days = divmod((on - hpht).days, 7)
    return GestationalAge(weeks=weeks, days=days)


def trimester(*, hpht: date, on: date, bounds: TrimesterBounds = JUKNIS_TRIMESTERS) -> Trimester:
    """Trimester on `on` (T1 0-12 wk, T2 >12-24 wk, T3 >24 wk), `02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx`."""
    weeks = gestational_age(hpht=hpht, on=on).weeks
    if weeks <= bounds.t1_last_week:
        return Trimester.T1
    if weeks <= bounds.t2_last_week:
        return Trimester.T2
    return Trimester.T3


def trimester_span(
    *, hpht: date, hpl: date, which: Trimester, bounds: TrimesterBounds = JUKNIS_TRIMESTERS
) -> tuple[date, date]:
    """First and last day of a trimester; T3 runs to the HPL (computed elsewhere by Naegele's rule)."""
    t1_end = hpht + timedelta(days=(bounds.t1_last_week + 1) * 7 - 1)
    t2_end = hpht + timedelta(days=(bounds.t2_last_week + 1) * 7 - 1)
    return {
        Trimester.T1: (hpht, t1_end),
        Trimester.T2: (t1_end + timedelta(days=1), t2_end),
        Trimester.T3: (t2_end + timedelta(days=1), max(hpl, t2_end + timedelta(days=1))),
    }[which]


@dataclass(frozen=True, slots=True)
class AncDistribution:
    """Minimum ANC contacts per trimester, and which contact numbers must be with a doctor.

    `cumulative=False`: each trimester needs its own minimum (the K6 definition "1x T1, 2x T2, 3x T3").
    `cumulative=True`: contacts before a trimester's end count towards it (3 contacts by the end of T2
    suffice whatever their split) — a softer reading some programmes use for reminders.
    """

    name: str
    per_trimester: tuple[int, int, int]
    doctor_contacts: tuple[int, ...] = (1, 5)
    cumulative: bool = False

    @property
    def total(self) -> int:
        return sum(self.per_trimester)

    def lacking(self, counts: tuple[int, int, int] | list[int]) -> tuple[bool, bool, bool]:
        """Per trimester, whether `counts` fall short of this distribution."""
        need = self.per_trimester
        if self.cumulative:
            return tuple(sum(counts[: i + 1]) < sum(need[: i + 1]) for i in range(3))
        return tuple(counts[i] < need[i] for i in range(3))


# ILP Juknis `01-anc-terpadu.mdx` (via ILP.md §2.1) — the default.
JUKNIS_1_2_3 = AncDistribution(name="juknis_1_2_3", per_trimester=(1, 2, 3))
# Buku KIA "Periksa Kehamilan" and a third-party SPM seed: 2x T1, 1x T2, 3x T3.
BUKU_KIA_2_1_3 = AncDistribution(name="buku_kia_2_1_3", per_trimester=(2, 1, 3))


def anc_contact_number(*, visit_on: date, visits: Iterable[date]) -> int:
    """Which K-number a visit on `visit_on` is: 1 + the distinct ANC contact days of this pregnancy before it.

    Source: K1..K6 numbering of `01-anc-terpadu.mdx`; two records on one day are one contact.
    """
    return 1 + sum(1 for d in set(visits) if d < visit_on)


def anc_requires_doctor(*, contact_number: int, distribution: AncDistribution = JUKNIS_1_2_3) -> bool:
    """Whether contact K`n` must be with a doctor (K1 in T1 and K5 in T3, incl. USG), `01-anc-terpadu.mdx`."""
    return contact_number in distribution.doctor_contacts


@dataclass(frozen=True, slots=True)
class AncProgress:
    counts: tuple[int, int, int]
    current: Trimester | None
    short: tuple[Trimester, ...]
    behind: bool
    complete: bool


def anc_progress(
    *,
    hpht: date,
    visits: Iterable[date],
    on: date,
    distribution: AncDistribution = JUKNIS_1_2_3,
    bounds: TrimesterBounds = JUKNIS_TRIMESTERS,
    delivered_on: date | None = None,
) -> AncProgress:
    """Contacts per trimester up to `on`, and whether the mother is behind the minimum pattern.

    Behind = a trimester that has ended holds fewer contacts than the distribution requires (T3 ends only
    at delivery). `complete` = the pattern is met (ANC "K6 sesuai standar"). Source: `01-anc-terpadu.mdx`.
    """
    end = min(on, delivered_on - timedelta(days=1)) if delivered_on else on
    counts = [0, 0, 0]
    for d in set(visits):
        if hpht <= d <= end:
            counts[TRIMESTERS.index(trimester(hpht=hpht, on=d, bounds=bounds))] += 1
    delivered = delivered_on is not None and delivered_on <= on
    current = None if delivered else trimester(hpht=hpht, on=on, bounds=bounds)
    ended = 3 if delivered else TRIMESTERS.index(current)
    lacking = distribution.lacking(counts)
    short = tuple(t for i, t in enumerate(TRIMESTERS) if i < ended and lacking[i])
    return AncProgress(
        counts=(counts[0], counts[1], counts[2]),
        current=current,
        short=short,
        behind=bool(short),
        complete=not any(lacking),
    )


@dataclass(frozen=True, slots=True)
class NextAnc:
    contact_number: int
    due_from: date
    due_by: date
    overdue: bool
    doctor_required: bool


def next_anc_due(
    *,
    hpht: date,
    hpl: date,
    visits: Iterable[date],
    on: date,
    distribution: AncDistribution = JUKNIS_1_2_3,
    bounds: TrimesterBounds = JUKNIS_TRIMESTERS,
) -> NextAnc | None:
    """The next ANC contact the pattern needs: due now and overdue if behind, else within the first
    trimester (from the current one) still short of its minimum; None when the pattern is met.

    Source: `01-anc-terpadu.mdx` (1-2-3 distribution, doctor at K1 and K5); T3 ends at the HPL.
    """
    visits = [d for d in set(visits) if d <= on]
    progress = anc_progress(hpht=hpht, visits=visits, on=on, distribution=distribution, bounds=bounds)
    number = len(visits) + 1
    doctor = anc_requires_doctor(contact_number=number, distribution=distribution)
    if progress.behind:
        return NextAnc(number, due_from=on, due_by=on, overdue=True, doctor_required=doctor)
    lacking = distribution.lacking(progress.counts)
    start = TRIMESTERS.index(progress.current) if progress.current else 3
    for i in range(start, 3):
        if lacking[i]:
            first, last = trimester_span(hpht=hpht, hpl=hpl, which=TRIMESTERS[i], bounds=bounds)
            return NextAnc(number, due_from=max(on, first), due_by=last, overdue=False, doctor_required=doctor)
    return None


class RiskCode(StrEnum):
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    TOO_CLOSE = "too_close"
    TOO_MANY = "too_many"
    KEK = "kek"
    UNDERWEIGHT = "underweight"
    ANAEMIA = "anaemia"
    HYPERTENSION = "hypertension"
    HIV_REACTIVE = "hiv_reactive"
    SYPHILIS_REACTIVE = "syphilis_reactive"
    HEPATITIS_B_REACTIVE = "hepatitis_b_reactive"


@dataclass(frozen=True, slots=True)
class PregnancyRiskParams:
    """Thresholds of the pregnancy risk flags, each with its source and confidence.

    - 4T: too young < 20, too old > 35, too close < 24 months from the last delivery to this HPHT —
      ✅ the ideal of `03-klaster-3/02-usia-dewasa/02-skrining-layak-hamil.mdx` (age 20-35, spacing over
      2 years). Too many: ≥ 4 children is the classic 4T ("more than 3 children") ❓; the same Juknis file
      calls fewer than 3 children ideal, so `LAYAK_HAMIL_RISK_PARAMS` flags from 3. Configurable.
    - KEK LiLA < 23.5 cm, underweight IMT (T1) < 18.5: ✅ `03-pmt-ibu-hamil-kek.mdx`.
    - Anaemia Hb < 11 g/dL: WHO cut-off for pregnancy, ❓ not read in the Juknis; configurable.
    - Hypertension ≥ 140 systolic or ≥ 90 diastolic: ◐ Buku KIA ("Tekanan Darah >= 140/90 mmHg").
    """

    too_young_below_age: int = 20
    too_old_above_age: int = 35
    too_close_below_months: int = 24
    too_many_from_children: int = 4
    kek_muac_below_cm: float = 23.5
    underweight_bmi_below: float = 18.5
    anaemia_hb_below_g_dl: float = 11.0
    hypertension_systolic_from: int = 140
    hypertension_diastolic_from: int = 90


DEFAULT_RISK_PARAMS = PregnancyRiskParams()
LAYAK_HAMIL_RISK_PARAMS = replace(DEFAULT_RISK_PARAMS, too_many_from_children=3)


@dataclass(frozen=True, slots=True)
class PregnancyRisk:
    codes: tuple[RiskCode, ...]
    high_risk: bool


def pregnancy_risk(
    *,
    age_years: int | None = None,
    hpht: date | None = None,
    last_delivery_on: date | None = None,
    children: int | None = None,
    muac_cm: float | None = None,
    bmi_first_trimester: float | None = None,
    hb_g_dl: float | None = None,
    systolic: int | None = None,
    diastolic: int | None = None,
    hiv_reactive: bool = False,
    syphilis_reactive: bool = False,
    hepatitis_b_reactive: bool = False,
    params: PregnancyRiskParams = DEFAULT_RISK_PARAMS,
) -> PregnancyRisk:
    """Risk codes of a pregnancy from what is known (None = not measured, no flag) and `high_risk` if any.

    Sources: see `PregnancyRiskParams`; triple elimination (HIV, syphilis, hepatitis B) tested at ANC per
    `01-anc-terpadu.mdx` — a reactive result is a risk flag. Too close compares the last delivery with
    this pregnancy's HPHT (birth-to-conception spacing).
    """
    p = params
    flags = {
        RiskCode.TOO_YOUNG: age_years is not None and age_years < p.too_young_below_age,
        RiskCode.TOO_OLD: age_years is not None and age_years > p.too_old_above_age,
        RiskCode.TOO_CLOSE: hpht is not None
        and last_delivery_on is not None
        and completed_months(birth_date=last_delivery_on, on=hpht) < p.too_close_below_months,
        RiskCode.TOO_MANY: children is not None and children >= p.too_many_from_children,
        RiskCode.KEK: muac_cm is not None and muac_cm < p.kek_muac_below_cm,
        RiskCode.UNDERWEIGHT: bmi_first_trimester is not None and bmi_first_trimester < p.underweight_bmi_below,
        RiskCode.ANAEMIA: hb_g_dl is not None and hb_g_dl < p.anaemia_hb_below_g_dl,
        RiskCode.HYPERTENSION: (systolic is not None and systolic >= p.hypertension_systolic_from)
        or (diastolic is not None and diastolic >= p.hypertension_diastolic_from),
        RiskCode.HIV_REACTIVE: hiv_reactive,
        RiskCode.SYPHILIS_REACTIVE: syphilis_reactive,
        RiskCode.HEPATITIS_B_REACTIVE: hepatitis_b_reactive,
    }
    codes = tuple(code for code, raised in flags.items() if raised)
    return PregnancyRisk(codes=codes, high_risk=bool(codes))


class PostpartumVisit(StrEnum):
    KF1 = "kf1"
    KF2 = "kf2"
    KF3 = "kf3"
    KF4 = "kf4"


# KF1 6 h-2 days, KF2 3-7 days, KF3 8-28 days, KF4 29-42 days after delivery: `05-pelayanan-nifas.mdx`.
KF_WINDOWS = (
    VisitWindow(PostpartumVisit.KF1, 0, 2),
    VisitWindow(PostpartumVisit.KF2, 3, 7),
    VisitWindow(PostpartumVisit.KF3, 8, 28),
    VisitWindow(PostpartumVisit.KF4, 29, 42),
)


def postpartum_visit_code(
    *, delivered_on: date, visit_on: date, windows: tuple[VisitWindow, ...] = KF_WINDOWS
) -> str | None:
    """Which KF a postpartum visit on `visit_on` counts as (None outside the windows), `05-pelayanan-nifas.mdx`."""
    return window_for_day(windows, (visit_on - delivered_on).days)


def postpartum_visits(
    *, delivered_on: date, visits: Iterable[date], on: date, windows: tuple[VisitWindow, ...] = KF_WINDOWS
) -> tuple[VisitAssessment, ...]:
    """KF1-KF4 on `on`: done / due / overdue (window closed without a visit) / not yet, `05-pelayanan-nifas.mdx`."""
    return assess_windows(windows=windows, day_zero=delivered_on, visits=visits, on=on)


def postpartum_complete(
    *, delivered_on: date, visits: Iterable[date], on: date, windows: tuple[VisitWindow, ...] = KF_WINDOWS
) -> bool:
    """Nifas lengkap: every KF window had a visit (dashboard "nifas lengkap", `08-pencatatan/02-pelaporan.mdx`)."""
    assessed = postpartum_visits(delivered_on=delivered_on, visits=visits, on=on, windows=windows)
    return all(a.status is VisitStatus.DONE for a in assessed)
