"""The births of the window: who the mother is, and how the delivery went (pure data, no database).

The register has no mother column: a baby's mother is the woman of its family whose recorded pregnancy ended
on its birthday, else the woman its relationship points to (a child of the head: the head herself or the
head's wife; a grandchild: the head's daughter of childbearing age), unless she has another delivery within a
year or is pregnant again too soon. A birth is then drawn once, from its own `Random(f"{seed}:birth:{baby}")`,
so the mother's plan and the baby's (which may fall in different blocks) agree on the day, the place and the
joint KF/KN home visits.

Levels (named, West Sumatra-like ❓; the order of the national SKI 2023 figures ◐): ~90 % of deliveries in a
facility (the puskesmas PONED, a midwife's practice of the network, or the district hospital for complications
and caesareans), the rest at home, most with a dukun (traditional attendant), a few on the way; KF1 and KN1
almost always, the joint KF2/KN2 and KF3/KN3 home visits ~93 %, KF4 ~90 %: KN lengkap ~85 %, KF lengkap ~78 %.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ilp.demo.population.services.area import share
from ilp.demo.population.services.plan import BirthLink, Facilities, Resident
from ilp.lifecycle.models import Place
from ilp.people.identity import SEX_FEMALE

CHILDBEARING = (15, 49)
# A mother pregnant again now: her earlier delivery is linked only when the new HPHT is this long after it.
NEXT_PREGNANCY_DAYS = 56
# Gestation in days: ~8 % preterm (34-36 weeks), the rest at term (37-41 weeks); the last ANC contact is due by 36.
PRETERM = 0.08
FACILITY = (0.90, 0.07)  # (base share, spread by desa quality)
# Facility deliveries: puskesmas PONED, midwife's practice (PMB), hospital (RSUD: complications, SC).
WHERE = ((Place.PUSKESMAS, 0.45), (Place.NETWORK, 0.30), ("hospital", 0.25))
HOME_WITH_DUKUN = 0.6  # of home births; the others attended by the village midwife
ON_THE_WAY = 0.2  # of births outside a facility
JOINT_VISIT = (0.93, 0.04)  # KF2/KN2 and KF3/KN3, each
KF4 = 0.90
# KF/KN visits: (number, days after birth); the bidan comes home, or the mother brings the baby to the pustu.
VISIT_DAYS = ((2, (3, 7)), (3, (8, 28)))
KF4_DAYS = (29, 42)
AT_PUSTU = 0.35


@dataclass(frozen=True, slots=True)
class Delivery:
    """One birth as it went: where, who attended, the HPHT, and the nifas/neonatal visits that happen."""

    link: BirthLink
    lmp: dt.date
    place: str  # the encounter's place (a birth on the way is recorded where it ended: the puskesmas)
    facility: int | None
    delivery_place: str  # observation code: health_facility / home / on_the_way
    attendant: str  # doctor / midwife / nurse / traditional / none
    first_visit: bool  # KF1 for the mother and KN1 (with HB0) for the baby
    visits: tuple[tuple[int, dt.date, str], ...]  # joint KF/KN visits done: (number, day, place)
    kf4: dt.date | None


def link_births(
    residents: list[Resident],
    relationship: dict[int, str],
    ended: dict[int, list[tuple[int, dt.date, dt.date]]],
    ongoing: dict[int, dt.date],
    *,
    since: dt.date,
) -> list[BirthLink]:
    """The births from `since` of babies born here, grouped by mother and day (twins share a pregnancy).

    `ended` maps a woman to her ended deliveries (pregnancy id, HPHT, end day); `ongoing` to an open HPHT.
    """
    by_family: dict[int, list[Resident]] = {}
    for p in residents:
        if p.family_id is not None:
            by_family.setdefault(p.family_id, []).append(p)
    links: dict[tuple, BirthLink] = {}
    delivered: dict[int, list[dt.date]] = {w: [end for _pk, _lmp, end in rows] for w, rows in ended.items()}
    for baby in sorted(residents, key=lambda p: (p.birth_date, p.id)):
        born = baby.birth_date
        if born < since or baby.family_id is None or not baby.present(born):
            continue
        women = [
            w for w in by_family[baby.family_id]
            if w.sex == SEX_FEMALE and w.id != baby.id and CHILDBEARING[0] <= w.age(born) <= CHILDBEARING[1]
            and w.present(born)
        ]  # fmt: skip
        mother, pregnancy = None, None
        for w in women:
            for pk, lmp, end in ended.get(w.id, ()):
                if end == born:
                    mother, pregnancy = w, (pk, lmp)
        if mother is None:
            rel = relationship.get(baby.id)
            wanted = ("kepala_keluarga", "istri") if rel == "anak" else ("anak",) if rel == "cucu" else ()
            fits = sorted((w for w in women if relationship.get(w.id) in wanted), key=lambda w: w.birth_date)
            mother = fits[0] if fits else None
            # Another delivery within a year: not this baby's mother, or a record the demo cannot explain.
            if mother is not None and any(
                end != born and abs((end - born).days) < 365 for end in delivered.get(mother.id, ())
            ):
                mother = None
            if mother is not None and born not in delivered.get(mother.id, ()):
                delivered.setdefault(mother.id, []).append(born)
        again = mother is not None and mother.id in ongoing
        if again and (ongoing[mother.id] - born).days < NEXT_PREGNANCY_DAYS:
            mother = None
        key = (mother.id, born) if mother is not None else (None, baby.id)
        if key in links:
            links[key] = BirthLink((*links[key].babies, baby.id), *_rest(links[key]))
            continue
        links[key] = BirthLink(
            (baby.id,),
            baby.village_id,
            born,
            mother.id if mother else None,
            pregnancy[0] if pregnancy else None,
            pregnancy[1] if pregnancy else None,
            again,
        )
    return sorted(links.values(), key=lambda link: link.babies[0])


def _rest(link: BirthLink) -> tuple:
    return link.village_id, link.born, link.mother_id, link.pregnancy_id, link.lmp, link.open_pregnancy


def draw_delivery(seed: int, link: BirthLink, facilities: Facilities, today: dt.date) -> Delivery:
    """How this birth went; the same seed and link always give the same delivery."""
    rng = random.Random(f"{seed}:birth:{link.babies[0]}")
    quality = facilities.quality.get(link.village_id, 0.0)
    gestation = rng.randint(238, 258) if rng.random() < PRETERM else rng.randint(259, 291)
    lmp = link.lmp or link.born - dt.timedelta(days=gestation)
    in_facility = rng.random() < share(*FACILITY, quality)
    draw = rng.random()
    if in_facility:
        where = next((w for w, s in _cumulative(WHERE) if draw < s), WHERE[-1][0])
        if where == "hospital" and facilities.hospital is not None:
            place, facility = Place.NETWORK, facilities.hospital
            attendant = "doctor" if rng.random() < 0.9 else "midwife"
        elif where == Place.NETWORK and facilities.midwife_practice is not None:
            place, facility, attendant = Place.NETWORK, facilities.midwife_practice, "midwife"
        else:
            place, facility = Place.PUSKESMAS, facilities.puskesmas
            attendant = "doctor" if rng.random() < 0.15 else "midwife"
        code, first = "health_facility", rng.random() < 0.98
    elif draw < ON_THE_WAY:
        place, facility, code, attendant = Place.PUSKESMAS, facilities.puskesmas, "on_the_way", "none"
        first = rng.random() < 0.95
    else:
        place, facility, code = Place.HOME, None, "home"
        attendant = "traditional" if rng.random() < HOME_WITH_DUKUN else "midwife"
        first = rng.random() < 0.85
    joint = share(*JOINT_VISIT, quality)
    visits = []
    for number, (low, high) in VISIT_DAYS:
        on = link.born + dt.timedelta(days=rng.randint(low, high))
        where = Place.PUSTU if rng.random() < AT_PUSTU else Place.HOME
        if rng.random() < joint and on <= today:
            visits.append((number, on, where))
    kf4 = link.born + dt.timedelta(days=rng.randint(*KF4_DAYS))
    kf4 = kf4 if rng.random() < KF4 and kf4 <= today else None
    return Delivery(link, lmp, place, facility, code, attendant, first, tuple(visits), kf4)


def _cumulative(pairs):
    total = 0.0
    for value, weight in pairs:
        total += weight
        yield value, total
