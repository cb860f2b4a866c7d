"""Cervical (IVA) and breast (SADANIS) cancer screening of women 30-50 by the bidan at the pustu or the
puskesmas (Juknis `06-skrining-kanker/`: every three years).

~11 % of the women a year have an IVA, nearly all of them a SADANIS at the same visit, a few a SADANIS alone
(a named level ❓: well below the third a year a three-yearly round would need, as in most kabupaten). The
puskesmas runs a campaign around Hari Kartini (21 April) and another around Hari Ibu (22 December); World
Cancer Day (4 February) brings a few more.
"""

from __future__ import annotations

import datetime as dt
import random

from ilp.demo.population.services.area import day_in_window, share
from ilp.demo.population.services.plan import Facilities, Plan, Resident
from ilp.lifecycle.models import Place, ServiceKind
from ilp.people.identity import SEX_FEMALE

AGES = (30, 50)
IVA = (0.11, 0.05)  # (base share a year, spread by desa quality)
SADANIS_WITH_IVA = 0.92
SADANIS_ALONE = 0.015
CAMPAIGN_MONTHS = {4: 3.0, 12: 2.0, 2: 1.5}
AT_PUSKESMAS = 0.4


def plan_cancer_screening(rng: random.Random, plan: Plan, person: Resident, facilities: Facilities,
                          today: dt.date) -> None:  # fmt: skip
    """At most one IVA/SADANIS visit in the year."""
    if person.sex != SEX_FEMALE or not AGES[0] <= person.age(today) <= AGES[1]:
        return
    iva = rng.random() < share(*IVA, facilities.desa(person))
    sadanis = rng.random() < (SADANIS_WITH_IVA if iva else SADANIS_ALONE)
    if not (iva or sadanis):
        return
    on = day_in_window(rng, today, CAMPAIGN_MONTHS)
    if not person.present(on):
        return
    if rng.random() < AT_PUSKESMAS:
        draft = plan.encounter(person, on, Place.PUSKESMAS, facilities.puskesmas, "nakes")
    else:
        draft = plan.encounter(person, on, Place.PUSTU, facilities.pustu_by_village[person.village_id], "nakes")
    if iva:
        plan.give(draft, ServiceKind.VIA)
    if sadanis:
        plan.give(draft, ServiceKind.BREAST_EXAM)
