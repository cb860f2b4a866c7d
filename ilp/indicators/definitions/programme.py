"""Programme indicators of the ILP network itself: posyandu held, home visits, referrals closed."""

from django.utils.translation import gettext_lazy as _

from ilp.indicators import sql
from ilp.indicators.definitions.common import JUKNIS, UNCONFIRMED_TARGET
from ilp.indicators.registry import Kind, Stage, indicator
from ilp.lifecycle.models import ReferralStatus

_PROGRAMME = {"cluster": 1, "stage": Stage.ALL, "sex_split": False}


@indicator(
    code="posyandu_held",
    name=_("Posyandu held this month"),
    short=_("Posyandu buka"),
    kind=Kind.RATE,
    numerator_text=_("posyandu that recorded services this month"),
    denominator_text=_("active posyandu"),
    target_pct=100,
    source=JUKNIS + "00-pendahuluan/05-ilp-posyandu.md (monthly posyandu for all life stages)",
    **_PROGRAMME,
)
def posyandu_held():
    """A posyandu opens monthly for all life stages (Juknis `05-ilp-posyandu.md`); it counts as held when
    it recorded at least one encounter in the month."""
    return sql.posyandu(), sql.posyandu_days()


@indicator(
    code="home_visit_families",
    name=_("Families with a home visit this year"),
    short=_("Kunjungan rumah"),
    kind=Kind.COVERAGE,
    numerator_text=_("families visited at home at least once this year"),
    denominator_text=_("families of the register"),
    target_pct=100,
    sasaran="families",
    source=JUKNIS + "00-pendahuluan/05-ilp-posyandu.md (kunjungan rumah by kader, ILP.md §1.5); " + UNCONFIRMED_TARGET,
    **_PROGRAMME,
)
def home_visit_families():
    """Kunjungan rumah: kader visit the families of their posyandu (ILP.md §1.5: sweeping, education,
    pendampingan); counted once a year per family."""
    return sql.families(), sql.home_visits()


@indicator(
    code="referrals_closed",
    name=_("Referrals closed (handled or referred back)"),
    short=_("Rujukan selesai"),
    kind=Kind.RATE,
    numerator_text=_("referrals of the month handled, referred back or followed up by the month's end"),
    denominator_text=_("referrals sent this month"),
    target_pct=80,
    source=JUKNIS + "00-pendahuluan/04-ilp-pustu.md (referral chain posyandu-pustu-puskesmas); " + UNCONFIRMED_TARGET,
    **_PROGRAMME,
)
def referrals_closed():
    """Referrals sent in the month that reached ditangani, rujuk balik or followed up by the end of the
    month (the referral status events, `lifecycle.ReferralEvent`)."""
    closed = (ReferralStatus.HANDLED, ReferralStatus.REFERRED_BACK, ReferralStatus.FOLLOWED_UP)
    return sql.referrals_sent(), sql.referral_events(tuple(str(s) for s in closed))
