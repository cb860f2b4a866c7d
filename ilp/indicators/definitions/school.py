"""Usia sekolah and remaja indicators (Klaster 2: UKS/M, PKPR)."""

from django.utils.translation import gettext_lazy as _

from ilp.indicators import sql
from ilp.indicators.definitions.common import DASHBOARD, JUKNIS, SPM, UNCONFIRMED_TARGET
from ilp.indicators.registry import Kind, Stage, indicator
from ilp.lifecycle.models import ObservationKind, ServiceKind
from ilp.people.models import Sex

_SCHOOL = {"cluster": 2, "stage": Stage.SCHOOL, "kind": Kind.COVERAGE}
_REMAJA = JUKNIS + "02-klaster-2/03-anak-sekolah-remaja/"
_RECORDING = JUKNIS + "08-pencatatan/01-pencatatan/01-dalam-gedung.mdx (remaja coverage)"


@indicator(
    code="spm_school",
    name=_("Children of basic-education age screened"),
    short=_("SPM usia dikdas"),
    numerator_text=_("children 7-15 years screened this year (vision, hearing or BMI-for-age)"),
    denominator_text=_("children 7-15 years (sasaran usia pendidikan dasar)"),
    target_pct=100,
    spm=5,
    sasaran="school_age",
    source=SPM + " service 5; " + _REMAJA,
    **_SCHOOL,
)
def spm_school():
    """SPM 5, pelayanan kesehatan usia pendidikan dasar (7-15 years): a screening once a year — vision,
    hearing or nutritional status (BMI-for-age), at school or elsewhere. A school visit for TTD or BIAS
    alone is not a screening."""
    screened = sql.observations("", kinds=(ObservationKind.VISION, ObservationKind.HEARING, ObservationKind.Z_BMIFA))
    return sql.persons(age_months=(84, 192)), screened


@indicator(
    code="adolescent_anaemia_screening",
    name=_("Adolescent girls screened for anaemia"),
    short=_("Skrining anemia rematri"),
    numerator_text=_("girls turning 12 or 15 this year with a haemoglobin test this year"),
    denominator_text=_("girls turning 12 or 15 this year (kelas 7 and 10)"),
    target_pct=100,
    sex_split=False,
    sasaran="adolescent_girls",
    source=_REMAJA + "01-pkpr-dalam-gedung/ (skrining anemia kelas 7 dan 10); " + _RECORDING,
    **_SCHOOL,
)
def adolescent_anaemia_screening():
    """Hb for girls at 12 and 15 years (kelas 7 and 10), not conditional on symptoms (Juknis skrining
    anemia): the two birth cohorts turning 12 and 15 in the year, with an Hb test in the year."""
    return sql.persons(turning=(144, 180), sex=Sex.FEMALE), sql.observations(ObservationKind.HB)


@indicator(
    code="adolescent_ttd",
    name=_("Adolescent girls given iron-folate tablets (TTD)"),
    short=_("TTD rematri"),
    numerator_text=_("girls 12-18 years given TTD this year"),
    denominator_text=_("girls 12-18 years"),
    target_pct=60,
    sex_split=False,
    sasaran="adolescent_girls",
    source=_REMAJA + " (pemberian TTD kelas 7-12); " + DASHBOARD + "; " + UNCONFIRMED_TARGET,
    **_SCHOOL,
)
def adolescent_ttd():
    """TTD for girls in SMP/SMA kelas 7-12, one tablet a week all year (Juknis pemberian TTD); "remaja
    putri consuming TTD" is on the Klaster 2 dashboard. Ages 12-18 stand for kelas 7-12."""
    return sql.persons(age_months=(144, 228), sex=Sex.FEMALE), sql.services(ServiceKind.IRON_FOLATE)


@indicator(
    code="adolescent_nutrition_screening",
    name=_("Children and adolescents 5-18 screened for nutrition (BMI-for-age)"),
    short=_("IMT/U 5-18"),
    numerator_text=_("children 5-18 years with a BMI-for-age this year"),
    denominator_text=_("children 5-18 years"),
    target_pct=100,
    source=_REMAJA + " (skrining obesitas 1x/tahun, IMT/U); " + UNCONFIRMED_TARGET,
    **_SCHOOL,
)
def adolescent_nutrition_screening():
    """Obesity screening once a year by BMI-for-age for 5-18 years (Juknis skrining obesitas); the z-score
    is stored at recording time."""
    return sql.persons(age_months=(60, 228)), sql.observations(ObservationKind.Z_BMIFA)
