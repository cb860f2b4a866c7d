"""Ibu hamil, bersalin, nifas and newborn indicators (Klaster 2, continuum of care)."""

from django.utils.translation import gettext_lazy as _

from ilp.indicators import sql
from ilp.indicators.definitions.common import DASHBOARD, JUKNIS, SPM, UNCONFIRMED_TARGET
from ilp.indicators.registry import Kind, Stage, indicator
from ilp.lifecycle.models import ObservationKind, ServiceKind
from ilp.lifecycle.rules.maternal import DEFAULT_RISK_PARAMS
from ilp.people.models import PregnancyOutcome

_DELIVERED = (PregnancyOutcome.LIVE_BIRTH, PregnancyOutcome.STILLBIRTH)
_DELIVERED_CODES = tuple(str(o) for o in _DELIVERED)
_PREGNANCY = {"cluster": 2, "stage": Stage.PREGNANCY, "sasaran": "pregnant"}


@indicator(
    code="anc_k1",
    name=_("Pregnant women with a first ANC contact (K1)"),
    short=_("K1"),
    kind=Kind.COVERAGE,
    numerator_text=_("pregnant women with their first ANC contact this year"),
    denominator_text=_("pregnant women (sasaran ibu hamil)"),
    target_pct=100,
    source=JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx; " + DASHBOARD,
    **_PREGNANCY,
)
def anc_k1():
    """K1: a pregnant woman's first ANC contact of the year.

    ANC terpadu, minimum six contacts K1-K6 (Juknis `02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx`);
    "K1, K6" head the Klaster 2 continuum-of-care dashboard (`08-pencatatan/02-pelaporan.mdx`).
    Denominator: women with a pregnancy running on at least one day of the year, or the projected
    sasaran ibu hamil.
    """
    return sql.pregnant(), sql.services(ServiceKind.ANC)


@indicator(
    code="anc_k6",
    name=_("Pregnant women with six ANC contacts (K6)"),
    short=_("K6"),
    kind=Kind.COVERAGE,
    numerator_text=_("women giving birth this year whose pregnancy reached its sixth ANC contact this year"),
    denominator_text=_("women giving birth this year (or due this year)"),
    target_pct=100,
    spm=1,
    source=JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx; " + SPM + " service 1",
    **_PREGNANCY,
)
def anc_k6():
    """K6: the pregnancy's sixth ANC contact (the standard of SPM 1, pelayanan ibu hamil sesuai standar).

    The contact number is the `dose` of the ANC service (K1..K6), Juknis `01-anc-terpadu.mdx`. The
    denominator is the pregnancies that end in the year (delivered, or HPL in the year): a pregnancy that
    began in October cannot reach K6 by December, so counting every woman pregnant on any day of the year
    would hold the indicator near 50 %.
    """
    return sql.delivering(_DELIVERED_CODES), sql.services(ServiceKind.ANC, dose_min=6)


@indicator(
    code="anc_triple_elimination",
    name=_("Pregnant women tested for HIV, syphilis and hepatitis B"),
    short=_("Triple elim."),
    kind=Kind.COVERAGE,
    numerator_text=_("women giving birth this year with all three tests (HIV, syphilis, hepatitis B) this year"),
    denominator_text=_("women giving birth this year (or due this year)"),
    target_pct=100,
    source=JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx (ANC labs: triple elimination)",
    **_PREGNANCY,
)
def anc_triple_elimination():
    """Triple elimination: HIV, syphilis and hepatitis B tests, all three done (ANC labs, Juknis
    `01-anc-terpadu.mdx`). The day counted is the day the last of the three was done; the denominator is
    the pregnancies ending in the year, as for K6."""
    keyed = sql.Sql(
        "SELECT e.person_id AS unit_id, o.kind AS k, e.date AS d FROM lifecycle_encounter e "
        "JOIN lifecycle_observation o ON o.encounter_id = e.id WHERE e.status <> 'voided'"
    )
    tests = (ObservationKind.HIV, ObservationKind.SYPHILIS, ObservationKind.HEPATITIS_B)
    events = sql.completed(keyed, required=tuple(str(t) for t in tests), topics=frozenset(f"obs:{t}" for t in tests))
    return sql.delivering(_DELIVERED_CODES), events


@indicator(
    code="anc_hb_tested",
    name=_("Pregnant women screened for anaemia (Hb)"),
    short=_("Hb bumil"),
    kind=Kind.COVERAGE,
    numerator_text=_("women giving birth this year with a haemoglobin test this year"),
    denominator_text=_("women giving birth this year (or due this year)"),
    target_pct=100,
    source=JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/01-anc-terpadu.mdx (ANC labs: Hb)",
    **_PREGNANCY,
)
def anc_hb_tested():
    """Hb measured during the pregnancy year (ANC labs include Hb, Juknis `01-anc-terpadu.mdx`;
    anaemia is a recorded maternal morbidity, `08-pencatatan/01-pencatatan/01-dalam-gedung.mdx`); the
    denominator is the pregnancies ending in the year, as for K6."""
    return sql.delivering(_DELIVERED_CODES), sql.observations(ObservationKind.HB)


@indicator(
    code="pregnant_kek",
    name=_("Pregnant women with chronic energy deficiency (KEK) among those measured"),
    short=_("Bumil KEK"),
    kind=Kind.RATE,
    numerator_text=_("pregnant women measured this month with LiLA below the KEK cut-off"),
    denominator_text=_("pregnant women whose LiLA was measured this month"),
    target_pct=10,
    higher_is_better=False,
    near_pp=3,
    sex_split=False,
    source=JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/ (PMT bumil KEK); " + UNCONFIRMED_TARGET,
    cluster=2,
    stage=Stage.PREGNANCY,
)
def pregnant_kek():
    """KEK: LiLA below `PregnancyRiskParams.kek_muac_below_cm` (23.5 cm, ❓ named default in
    `lifecycle.rules.maternal`), among pregnant women measured in the month; a prevalence, lower is better."""
    muac = sql.observations(ObservationKind.MUAC)
    population = sql.with_events(muac, where=sql.PREGNANT_WHERE, topics=frozenset({"pregnancy"}))
    kek = sql.observations(ObservationKind.MUAC, "o.value < %s", (DEFAULT_RISK_PARAMS.kek_muac_below_cm,))
    return population, kek


@indicator(
    code="delivery_facility",
    name=_("Deliveries in a health facility"),
    short=_("Salin faskes"),
    kind=Kind.COVERAGE,
    numerator_text=_("women who gave birth in a health facility this year"),
    denominator_text=_("women giving birth (sasaran ibu bersalin)"),
    target_pct=100,
    spm=2,
    source=DASHBOARD + "; " + SPM + " service 2",
    cluster=2,
    stage=Stage.PREGNANCY,
    sasaran="delivering",
)
def delivery_facility():
    """Persalinan di fasyankes (SPM 2: ibu bersalin in a facility by competent staff; Klaster 2 dashboard
    `08-pencatatan/02-pelaporan.mdx`). Denominator: women who gave birth in the year, or whose HPL
    falls in it while the pregnancy is still open."""
    place = sql.observations(ObservationKind.DELIVERY_PLACE, "o.code = %s", ("health_facility",))
    return sql.delivering(_DELIVERED_CODES), place


@indicator(
    code="kf_complete",
    name=_("Mothers with complete postpartum visits (KF1-KF4)"),
    short=_("KF lengkap"),
    kind=Kind.COVERAGE,
    numerator_text=_("mothers who completed KF1 to KF4 this year"),
    denominator_text=_("women giving birth (sasaran ibu bersalin)"),
    target_pct=100,
    source=JUKNIS + "02-klaster-2/01-ibu-hamil-nifas/05-pelayanan-nifas.mdx; " + DASHBOARD,
    cluster=2,
    stage=Stage.PREGNANCY,
    sasaran="delivering",
)
def kf_complete():
    """Nifas lengkap: all four postpartum visits KF1 (6 h-2 d), KF2 (3-7 d), KF3 (8-28 d), KF4 (29-42 d),
    Juknis `05-pelayanan-nifas.mdx`; "nifas lengkap" is on the Klaster 2 dashboard."""
    keyed = sql.Sql(
        "SELECT e.person_id AS unit_id, s.dose AS k, e.date AS d FROM lifecycle_encounter e "
        "JOIN lifecycle_servicegiven s ON s.encounter_id = e.id WHERE e.status <> 'voided' AND s.kind = %s",
        (ServiceKind.POSTNATAL,),
    )
    events = sql.completed(keyed, required=(1, 2, 3, 4), topics=frozenset({f"service:{ServiceKind.POSTNATAL}"}))
    return sql.delivering(_DELIVERED_CODES), events


_NEWBORN = {"cluster": 2, "stage": Stage.NEWBORN, "sasaran": "newborn", "kind": Kind.COVERAGE}


@indicator(
    code="kn1",
    name=_("Newborns with a first neonatal visit (KN1)"),
    short=_("KN1"),
    numerator_text=_("babies born this year with KN1"),
    denominator_text=_("babies born this year (sasaran bayi baru lahir)"),
    target_pct=100,
    source=JUKNIS
    + "02-klaster-2/02-balita-pra-sekolah/01-neonatal.mdx; 08-pencatatan/01-pencatatan/01-dalam-gedung.mdx",
    **_NEWBORN,
)
def kn1():
    """KN1 (6-48 hours after birth, ◐ window) of the babies born in the year (Juknis `01-neonatal.mdx`;
    KN1 coverage is a recorded newborn indicator, `01-dalam-gedung.mdx`)."""
    return sql.born_in_window(), sql.services(ServiceKind.NEONATAL, doses=(1,))


@indicator(
    code="kn_complete",
    name=_("Newborns with complete neonatal visits (KN lengkap)"),
    short=_("KN lengkap"),
    numerator_text=_("babies born this year who completed KN1 to KN3"),
    denominator_text=_("babies born this year (sasaran bayi baru lahir)"),
    target_pct=100,
    spm=3,
    source=JUKNIS + "02-klaster-2/02-balita-pra-sekolah/01-neonatal.mdx; " + SPM + " service 3",
    **_NEWBORN,
)
def kn_complete():
    """KN lengkap = three neonatal visits, integrated with KF (Juknis `01-neonatal.mdx`); SPM 3."""
    keyed = sql.Sql(
        "SELECT e.person_id AS unit_id, s.dose AS k, e.date AS d FROM lifecycle_encounter e "
        "JOIN lifecycle_servicegiven s ON s.encounter_id = e.id WHERE e.status <> 'voided' AND s.kind = %s",
        (ServiceKind.NEONATAL,),
    )
    events = sql.completed(keyed, required=(1, 2, 3), topics=frozenset({f"service:{ServiceKind.NEONATAL}"}))
    return sql.born_in_window(), events
