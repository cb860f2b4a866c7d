"""Projected sasaran: the official estimate of a target group = the area's population x a proportion.

How Pusdatin derives its *data sasaran* is not confirmed (ILP.md §3.6 ❓: "e.g. bumil = 1.1 x estimated
live births"), so every proportion below is a **named default** a kabupaten overrides per year
(`ProjectionRate`); the dashboards say which one they use. The defaults are national figures:

- births: crude birth rate 16.3 per 1,000 (BPS, Proyeksi Penduduk 2020-2050 / SP2020 long form ◐);
  bumil = 1.1 x births and bersalin/nifas = 1.05 x births (the usual Pusdatin formulas ◐);
- age groups: shares of the 2020 census pyramid (SP2020 ◐): 0-11 months 1.6 %, 12-23 months 1.6 %,
  balita 0-59 months 8.0 %, 7-15 years 15.5 %, girls 12-18 years 5.4 %, 15-59 years 65.0 %,
  60+ 10.5 % (Sumatera Barat's share is near the national one ◐), 15+ 74.0 %, women 30-50 14.0 %;
- conditions: hypertension 30.8 % of adults 18+ measured (SKI 2023 ◐) x 15+ share; diabetes 11.7 %
  of 15+ by blood test (SKI 2023 ◐); ODGJ berat 3 per 1,000 (Riskesdas 2018: 7 per 1,000 households
  ◐, read per person ❓); terduga TB 10 x the TB incidence of 385 per 100,000 (WHO Global TB Report
  2023 ◐); people at risk of HIV 4 % ❓; families: population / 3.6 persons per household (SP2020 ◐).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_BIRTHS = 0.0163


@dataclass(frozen=True)
class Group:
    code: str
    label: Promise
    proportion: float  # of the total population
    basis: str  # where the default comes from


GROUPS: dict[str, Group] = {
    g.code: g
    for g in (
        Group("pregnant", _("pregnant women"), round(1.1 * _BIRTHS, 5), "1.1 x births (CBR 16.3 per 1,000) ◐"),
        Group("delivering", _("women giving birth"), round(1.05 * _BIRTHS, 5), "1.05 x births ◐"),
        Group("newborn", _("live births"), _BIRTHS, "CBR 16.3 per 1,000 (BPS projection) ◐"),
        Group("infant", _("infants 0-11 months"), 0.016, "SP2020 pyramid ◐"),
        Group("baduta", _("children 12-23 months"), 0.016, "SP2020 pyramid ◐"),
        Group("balita", _("children under five"), 0.080, "SP2020 pyramid ◐"),
        Group("school_age", _("children 7-15 years"), 0.155, "SP2020 pyramid ◐"),
        Group("adolescent_girls", _("girls 12-18 years"), 0.054, "SP2020 pyramid ◐"),
        Group("productive", _("people 15-59 years"), 0.650, "SP2020 pyramid ◐"),
        Group("adult", _("people 15 and over"), 0.740, "SP2020 pyramid ◐"),
        Group("elderly", _("people 60 and over"), 0.105, "SP2020 pyramid ◐"),
        Group("women_30_50", _("women 30-50 years"), 0.140, "SP2020 pyramid ◐"),
        Group("hypertensive", _("people with hypertension"), round(0.308 * 0.74, 4), "SKI 2023 30.8 % x 15+ ◐"),
        Group("diabetic", _("people with diabetes"), round(0.117 * 0.74, 4), "SKI 2023 11.7 % x 15+ ◐"),
        Group("odgj", _("people with severe mental illness"), 0.003, "Riskesdas 2018 ◐, per person ❓"),
        Group("tb_presumptive", _("presumptive TB"), 0.0385, "10 x incidence 385/100,000 (WHO 2023) ◐"),
        Group("hiv_risk", _("people at risk of HIV"), 0.04, "❓ no source; set it per kabupaten"),
        Group("families", _("families"), round(1 / 3.6, 4), "3.6 persons per household (SP2020) ◐"),
    )
}


def projected(population: int, proportion: float) -> int:
    """The projected size of a group: population x proportion, rounded to whole persons."""
    return round(population * proportion)
