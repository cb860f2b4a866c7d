"""Bayi, balita and prasekolah indicators (Klaster 2): immunisation, growth (S, D, T), nutrition, vitamin A."""

from django.utils.translation import gettext_lazy as _

from ilp.indicators import sql
from ilp.indicators.definitions.common import DASHBOARD, JUKNIS, SPM, UNCONFIRMED_TARGET
from ilp.indicators.registry import Kind, Stage, indicator
from ilp.lifecycle.models import ObservationKind, ServiceKind
from ilp.lifecycle.rules.faltering import WeighingResult
from ilp.lifecycle.rules.immunisation import IDL_DEFAULT, LANJUTAN_DEFAULT

_CHILD = {"cluster": 2, "stage": Stage.CHILD}
_BALITA = (0, 60)
_BANDS = (12, 24)  # 0-11, 12-23, 24-59 months: bayi, baduta, balita
_IMMUNISATION = JUKNIS + "02-klaster-2/02-balita-pra-sekolah/06-imunisasi-rutin.mdx"
_GROWTH = JUKNIS + "02-klaster-2/02-balita-pra-sekolah/05-tumbuh-kembang.mdx"
# RPJMN 2020-2024 (Perpres 18/2020) national targets for 2024 ◐ (not in the Juknis): stunting 14 %, wasting 7 %.
_RPJMN = "RPJMN 2020-2024 target for 2024 ◐ (named default)"


def _doses(codes, *, upto: bool = False) -> sql.Events:
    keyed = sql.Sql(
        "SELECT e.person_id AS unit_id, s.code AS k, e.date AS d FROM lifecycle_encounter e "
        "JOIN lifecycle_servicegiven s ON s.encounter_id = e.id WHERE e.status <> 'voided' AND s.kind = %s",
        (ServiceKind.IMMUNISATION,),
    )
    required = tuple(str(c) for c in codes)
    topics = frozenset({f"service:{ServiceKind.IMMUNISATION}"})
    return sql.completed(keyed, required=required, topics=topics, upto=upto)


@indicator(
    code="idl",
    name=_("Children turning one with complete basic immunisation (IDL)"),
    short=_("IDL"),
    kind=Kind.COVERAGE,
    numerator_text=_("children turning 12 months this year who have completed every basic dose"),
    denominator_text=_("children turning 12 months this year (one birth cohort, sasaran bayi)"),
    target_pct=100,
    sasaran="infant",
    source=_IMMUNISATION + "; " + DASHBOARD + " (% imunisasi dasar lengkap)",
    **_CHILD,
)
def idl():
    """Imunisasi dasar lengkap: every dose of `lifecycle.rules.immunisation.IDL_DEFAULT` (the antigen list
    is ❓, a named definition in `data/immunisation_schedule.json`); "% imunisasi dasar lengkap" is on the
    Klaster 2 dashboard. The sasaran is one birth cohort, the children turning 12 months in the year (the
    WHO cohort reading of "bayi 0-11 bulan"; counting everyone aged 0-11 months on any day of the year
    would count two cohorts); a series completed before the year counts in January, the others in the
    month of their last dose."""
    return sql.persons(turning=(12,)), _doses(IDL_DEFAULT.doses, upto=True)


@indicator(
    code="baduta_lanjutan",
    name=_("Children 12-23 months with complete follow-up immunisation"),
    short=_("Imunisasi baduta"),
    kind=Kind.COVERAGE,
    numerator_text=_("children turning 24 months this year who have had PCV3, DPT-HB-Hib 4 and MR2"),
    denominator_text=_("children turning 24 months this year (one birth cohort, sasaran baduta)"),
    target_pct=100,
    sasaran="baduta",
    source=_IMMUNISATION + " (Imunisasi Lanjutan bagi Baduta); " + DASHBOARD,
    **_CHILD,
)
def baduta_lanjutan():
    """Imunisasi baduta lengkap: the doses of `LANJUTAN_DEFAULT` (PCV3, DPT-HB-Hib 4, MR2; Juknis heading
    "Imunisasi Lanjutan bagi Baduta", due by 18-23 months) among the children turning 24 months in the year
    (one birth cohort); a series completed before the year counts in January."""
    return sql.persons(turning=(24,)), _doses(LANJUTAN_DEFAULT.doses, upto=True)


@indicator(
    code="child_weighed",
    name=_("Balita weighed (D/S)"),
    short=_("D/S"),
    kind=Kind.RATE,
    numerator_text=_("balita weighed this month (D)"),
    denominator_text=_("balita in the register (S)"),
    target_pct=85,
    sasaran="balita",
    age_bands=_BANDS,
    source=_GROWTH + "; " + DASHBOARD + " (S, D, T); " + UNCONFIRMED_TARGET,
    **_CHILD,
)
def child_weighed():
    """D/S: balita (0-59 months) weighed in the month, of all balita of the area (S). Growth monitoring at
    posyandu, pustu and puskesmas (Juknis `05-tumbuh-kembang.mdx`); S and D head the dashboard's growth
    block (`08-pencatatan/02-pelaporan.mdx`)."""
    return sql.persons(age_months=_BALITA), sql.observations(ObservationKind.WEIGHT)


def _trend(*results: WeighingResult) -> sql.Events:
    holes = ", ".join(["%s"] * len(results))
    return sql.observations(ObservationKind.WEIGHT_TREND, f"o.code IN ({holes})", tuple(str(r) for r in results))


_FALTERING = JUKNIS + "02-klaster-2/02-balita-pra-sekolah/05-tumbuh-kembang.mdx; Buku KIA 2023 (N/T by KBM) ◐"


@indicator(
    code="child_gained",
    name=_("Balita whose weight rose adequately (N/D)"),
    short=_("N/D"),
    kind=Kind.RATE,
    numerator_text=_("balita weighed this month whose weight rose by at least the KBM since last month (N)"),
    denominator_text=_("balita weighed this month (D)"),
    target_pct=80,
    age_bands=_BANDS,
    source=_FALTERING + "; " + DASHBOARD + "; " + UNCONFIRMED_TARGET,
    **_CHILD,
)
def child_gained():
    """N/D of the SKDN: balita weighed in the month (D) whose weight trend, derived when the weight was
    recorded (`lifecycle.rules.faltering`, KBM table ❓ named default), is N. O and B (no weighing last
    month, first weighing) stay in D, as in the classic SKDN report."""
    weighed = sql.observations(ObservationKind.WEIGHT_TREND)
    return sql.with_events(weighed, age_months=_BALITA), _trend(WeighingResult.GAINED)


@indicator(
    code="child_not_gained",
    name=_("Balita whose weight did not rise (T/D)"),
    short=_("T/D"),
    kind=Kind.RATE,
    numerator_text=_("balita weighed this month whose weight did not rise by the KBM (T or 2T)"),
    denominator_text=_("balita weighed this month (D)"),
    target_pct=15,
    higher_is_better=False,
    near_pp=5,
    age_bands=_BANDS,
    source=_FALTERING + "; " + DASHBOARD + " (T on the growth block); " + UNCONFIRMED_TARGET,
    **_CHILD,
)
def child_not_gained():
    """T: weighed this and last month with a gain below the KBM (2T included), the growth-faltering cases a
    kader refers to the health worker (Buku KIA 2023 ◐; PKG `01-pertumbuhan.mdx`). Lower is better."""
    weighed = sql.observations(ObservationKind.WEIGHT_TREND)
    return sql.with_events(weighed, age_months=_BALITA), _trend(
        WeighingResult.NOT_GAINED, WeighingResult.NOT_GAINED_TWICE
    )


def _prevalence(kind: ObservationKind, condition: str, threshold: float):
    measured = sql.observations(kind)
    return sql.with_events(measured, age_months=_BALITA), sql.observations(kind, condition, (threshold,))


_PREVALENCE = dict(kind=Kind.RATE, higher_is_better=False, near_pp=3, age_bands=_BANDS, **_CHILD)
_CLASSIFY = JUKNIS + "02-klaster-2/02-balita-pra-sekolah/08-balita-masalah-gizi.mdx; Permenkes 2/2020 (WHO 2006)"


@indicator(
    code="stunting",
    name=_("Stunting among balita measured"),
    short=_("Stunting"),
    numerator_text=_("balita measured this month with length/height-for-age below -2 SD"),
    denominator_text=_("balita with length/height measured this month"),
    target_pct=14,
    source=_CLASSIFY + "; " + _RPJMN,
    **_PREVALENCE,
)
def stunting():
    """Stunting (pendek and sangat pendek): PB/U or TB/U z-score below -2 SD (Permenkes 2/2020, as
    `lifecycle.rules.growth.classify.classify_height_for_age`), among balita whose length/height was
    measured in the month; the z-score is stored at recording time. A prevalence: lower is better."""
    return _prevalence(ObservationKind.Z_LHFA, "o.value < %s", -2)


@indicator(
    code="wasting",
    name=_("Wasting among balita measured"),
    short=_("Wasting"),
    numerator_text=_("balita measured this month with weight-for-length/height below -2 SD"),
    denominator_text=_("balita with weight-for-length/height this month"),
    target_pct=7,
    source=_CLASSIFY + "; " + _RPJMN,
    **_PREVALENCE,
)
def wasting():
    """Wasting (gizi kurang and gizi buruk): BB/PB or BB/TB z-score below -2 SD
    (`classify_weight_for_height`), among balita with the index this month. Lower is better."""
    return _prevalence(ObservationKind.Z_WFLH, "o.value < %s", -2)


@indicator(
    code="underweight",
    name=_("Underweight among balita weighed"),
    short=_("BB kurang"),
    numerator_text=_("balita weighed this month with weight-for-age below -2 SD"),
    denominator_text=_("balita with weight-for-age this month"),
    target_pct=10,
    source=_CLASSIFY + "; " + UNCONFIRMED_TARGET,
    **_PREVALENCE,
)
def underweight():
    """Underweight (berat badan kurang and sangat kurang): BB/U below -2 SD (`classify_weight_for_age`).
    Lower is better."""
    return _prevalence(ObservationKind.Z_WFA, "o.value < %s", -2)


@indicator(
    code="overweight",
    name=_("Overweight among balita measured"),
    short=_("Gizi lebih"),
    numerator_text=_("balita measured this month with weight-for-length/height above +2 SD"),
    denominator_text=_("balita with weight-for-length/height this month"),
    target_pct=3,
    source=_CLASSIFY + "; " + UNCONFIRMED_TARGET,
    **_PREVALENCE,
)
def overweight():
    """Gizi lebih and obesitas: BB/PB or BB/TB above +2 SD (`classify_weight_for_height`). Lower is better."""
    return _prevalence(ObservationKind.Z_WFLH, "o.value > %s", 2)


@indicator(
    code="vitamin_a",
    name=_("Children 6-59 months given vitamin A"),
    short=_("Vit. A"),
    kind=Kind.COVERAGE,
    numerator_text=_("children 6-59 months given vitamin A this year"),
    denominator_text=_("children 6-59 months"),
    target_pct=90,
    sasaran="balita",
    age_bands=_BANDS,
    source=JUKNIS + "02-klaster-2/02-balita-pra-sekolah/07-vitamin-a.mdx; " + UNCONFIRMED_TARGET,
    **_CHILD,
)
def vitamin_a():
    """Vitamin A for bayi 6-11 months and balita 12-59 months in February and August (Juknis
    `07-vitamin-a.mdx`); counted once a year, in the month of the first capsule."""
    return sql.persons(age_months=(6, 60)), sql.services(ServiceKind.VITAMIN_A)


@indicator(
    code="kpsp_screened",
    name=_("Children screened for development (KPSP)"),
    short=_("KPSP"),
    kind=Kind.COVERAGE,
    numerator_text=_("children 3-71 months with a KPSP this year"),
    denominator_text=_("children 3-71 months"),
    target_pct=90,
    sasaran="balita",
    source=_GROWTH + " (SDIDTK, KPSP); " + UNCONFIRMED_TARGET,
    **_CHILD,
)
def kpsp_screened():
    """Development screening with KPSP (Juknis `05-tumbuh-kembang.mdx`; PKG `02-perkembangan.mdx`) of
    children 3-71 months; the KPSP age schedule is ❓, so any KPSP in the year counts."""
    return sql.persons(age_months=(3, 72)), sql.observations(ObservationKind.KPSP)


@indicator(
    code="spm_balita",
    name=_("Balita served to standard (weighed at least 8 times a year)"),
    short=_("SPM balita"),
    kind=Kind.COVERAGE,
    numerator_text=_("balita with their eighth weighing of the year"),
    denominator_text=_("balita 0-59 months (sasaran balita)"),
    target_pct=100,
    spm=4,
    sasaran="balita",
    age_bands=_BANDS,
    source=SPM + " service 4 (penimbangan minimal 8 kali setahun ◐)",
    **_CHILD,
)
def spm_balita():
    """SPM 4, pelayanan kesehatan balita sesuai standar, read as at least eight weighings in the year
    (◐: the SPM text is not read, ILP.md §3.6); counted in the month of the eighth weighing."""
    return sql.persons(age_months=_BALITA), sql.nth_in_window(sql.observations(ObservationKind.WEIGHT), 8)
