"""The indicator tests' worlds: a tiny fixed world built through the real services, and its facts.

Two desa of Kecamatan Matur (Agam), outside the demo's pilot so nothing else lives there, each with one
posyandu; the people are registered and served by the Dinkes Agam demo user through the same services a
web form or an import uses. Every record is made on the day it happened: the services read "today"
(`timezone.localdate`) to refuse future dates and an HPHT more than 300 days old, so a `Clock` stands in
for it while a world is built.

The golden world (`build_golden`, 29 people) is described person by person there; the expected numbers
in `test_golden.py` are worked out by hand from that description. `test_incremental.py` edits the same
world at random.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.utils import timezone

from ilp.accounts.models import User
from ilp.accounts.scope import scope_for
from ilp.facilities.models import Facility, FacilityKind
from ilp.indicators.models import IndicatorValue
from ilp.lifecycle.models import Encounter, ObservationKind, Place, Referral, ServiceKind
from ilp.lifecycle.services import (
    ServiceInput,
    encounter_record,
    encounter_void,
    home_visit_record,
    referral_advance,
    referral_create,
)
from ilp.people.identity import SEX_FEMALE, SEX_MALE, build_nik
from ilp.people.models import Family, Person, Pregnancy, PregnancyOutcome, Relationship
from ilp.people.services import (
    family_member_add,
    family_register,
    person_move,
    person_move_out,
    person_record_death,
    pregnancy_end,
    pregnancy_record,
)
from ilp.regions.models import Region

YEAR = 2025
TODAY = dt.date(2025, 12, 31)
MATUR = "13.06.04"
DESA_A = "13.06.04.2002"  # Matua Mudiak
DESA_B = "13.06.04.2003"  # Tigo Balai
DESAS = {"A": DESA_A, "B": DESA_B}

F, M = SEX_FEMALE, SEX_MALE
K = ObservationKind
S = ServiceKind
_REAL_LOCALDATE = timezone.localdate
# The day the families of a world are registered (everyone alive then is a member from that day).
REGISTERED_ON = dt.date(2024, 1, 10)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Clock:
    """Stands in for `django.utils.timezone.localdate`: `today` when asked for the current date."""

    def __init__(self, today: dt.date):
        self.today = today

    def __call__(self, value=None, timezone=None):
        if value is None:
            return self.today
        return _REAL_LOCALDATE(value, timezone)


@contextmanager
def frozen_clock(today: dt.date = TODAY) -> Iterator[Clock]:
    clock = Clock(today)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", clock)
        yield clock


def svc(kind: str, code: str = "", dose: int | None = None) -> ServiceInput:
    return ServiceInput(kind=kind, code=code, dose=dose)


def doses(*codes: str) -> list[ServiceInput]:
    """Immunisation doses by their schedule code (`rules.immunisation.DoseCode`)."""
    return [svc(S.IMMUNISATION, code) for code in codes]


@dataclass
class World:
    """A small world and the services that write it, each call made on its own day (`clock`)."""

    clock: Clock
    actor: User
    desa: dict[str, Region]
    posyandu: dict[str, Facility]
    puskesmas: Facility
    people: dict[str, Person] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    pregnancies: dict[str, Pregnancy] = field(default_factory=dict)
    encounters: dict[str, Encounter] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    serials: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def scope(self):
        return scope_for(self.actor)

    def on(self, day: dt.date) -> dt.date:
        self.clock.today = day
        return day

    def _person_data(self, name: str, sex: str, born: dt.date, joined: dt.date | None) -> dict:
        nik = build_nik(district_code=MATUR, birth_date=born, sex=sex, serial=next(self.serials))
        return {"name": name, "sex": sex, "birth_date": born, "nik": nik, "joined_on": joined or born}

    def family(self, key: str, desa: str, head: tuple, members: tuple = (), *, on: dt.date = REGISTERED_ON):
        """Register family `key` in desa "A"/"B" (its posyandu) on `on`; head and members are
        (key, name, sex, birth date[, relationship]); everyone joined on `on` (or at birth, if later)."""
        self.on(on)
        rows = [head, *members]
        data = [self._person_data(r[1], r[2], r[3], max(on, r[3])) for r in rows]
        for row, item in zip(members, data[1:], strict=True):
            item["relationship"] = row[4]
        family = family_register(
            scope=self.scope,
            region=self.desa[desa],
            kk_number=f"130604{next(self.serials):010d}",
            address_text=f"Jorong {key}",
            head=data[0],
            members=data[1:],
            posyandu=self.posyandu[desa],
            actor=self.actor,
        )
        self.families[key] = family
        by_nik = {p.nik: p for p in Person.objects.filter(memberships__family=family)}
        for row, item in zip(rows, data, strict=True):
            self.people[row[0]] = by_nik[item["nik"]]
        return family

    def join(
        self,
        key: str,
        family: str,
        name: str,
        sex: str,
        born: dt.date,
        *,
        on: dt.date,
        relationship: str = Relationship.CHILD,
        moved_in_from: str = "",
    ) -> Person:
        """A person joining a family on `on` (recorded that day), e.g. moving into the area from `moved_in_from`."""
        self.on(on)
        person = family_member_add(
            scope=self.scope,
            family=self.families[family],
            relationship=relationship,
            moved_in_from=moved_in_from,
            actor=self.actor,
            **self._person_data(name, sex, born, on),
        )
        self.people[key] = person
        return person

    def born(self, key: str, family: str, name: str, sex: str, born: dt.date, *, recorded_on: dt.date) -> Person:
        """A newborn added to its family the day it is reported, a member from birth."""
        self.on(recorded_on)
        person = family_member_add(
            scope=self.scope,
            family=self.families[family],
            relationship=Relationship.CHILD,
            actor=self.actor,
            **self._person_data(name, sex, born, born),
        )
        self.people[key] = person
        return person

    def _where(self, where: str) -> tuple[str, Facility | None]:
        if where in self.posyandu:
            return Place.POSYANDU, self.posyandu[where]
        return {
            "PKM": (Place.PUSKESMAS, self.puskesmas),
            "home": (Place.HOME, None),
            "school": (Place.SCHOOL, None),
        }[where]

    def visit(
        self, who: str, day: dt.date, where: str, obs=None, services=(), *, key: str = "", confirm: bool = False
    ) -> Encounter:
        """An encounter of `who` on `day` at "A"/"B" (their posyandu), "PKM", "home" or "school"."""
        self.on(day)
        place, facility = self._where(where)
        recorded = encounter_record(
            scope=self.scope,
            person=self.people[who],
            date=day,
            place=place,
            facility=facility,
            observations=dict(obs or {}),
            services=list(services),
            confirm_implausible=confirm,
            actor=self.actor,
        )
        if key:
            self.encounters[key] = recorded.encounter
        return recorded.encounter

    def void(self, key: str, *, on: dt.date, reason: str = "Dicatat pada anak yang salah") -> None:
        self.on(on)
        encounter_void(scope=self.scope, encounter=self.encounters[key], reason=reason, actor=self.actor)

    def pregnant(self, who: str, lmp: dt.date, *, recorded_on: dt.date) -> Pregnancy:
        self.on(recorded_on)
        pregnancy = pregnancy_record(scope=self.scope, person=self.people[who], lmp_date=lmp, actor=self.actor)
        self.pregnancies[who] = pregnancy
        return pregnancy

    def pregnancy_end(self, who: str, on: dt.date, outcome: str) -> None:
        self.on(on)
        pregnancy_end(scope=self.scope, pregnancy=self.pregnancies[who], ended_on=on, outcome=outcome, actor=self.actor)

    def refer(self, key: str, who: str, day: dt.date, frm: str, to: str, note: str) -> Referral:
        self.on(day)
        referral = referral_create(
            scope=self.scope,
            person=self.people[who],
            date=day,
            from_level=frm,
            to_level=to,
            note=note,
            actor=self.actor,
        )
        self.referrals[key] = referral
        return referral

    def refer_step(self, key: str, status: str, day: dt.date) -> None:
        self.on(day)
        self.referrals[key] = referral_advance(
            scope=self.scope, referral=self.referrals[key], status=status, date=day, actor=self.actor
        )

    def home_visit(self, family: str, day: dt.date, note: str = "Kunjungan rumah kader") -> None:
        self.on(day)
        home_visit_record(scope=self.scope, family=self.families[family], date=day, note=note, actor=self.actor)

    def die(self, who: str, on: dt.date) -> None:
        self.on(on)
        self.people[who] = person_record_death(scope=self.scope, person=self.people[who], died_on=on, actor=self.actor)

    def move_out(self, who: str, on: dt.date, place: str = "Pekanbaru") -> None:
        self.on(on)
        person_move_out(scope=self.scope, person=self.people[who], on=on, place=place, actor=self.actor)
        self.people[who].refresh_from_db()

    def move(self, who: str, family: str, on: dt.date, relationship: str = Relationship.OTHER_RELATIVE) -> None:
        self.on(on)
        person_move(
            scope=self.scope,
            person=self.people[who],
            to_family=self.families[family],
            relationship=relationship,
            on=on,
            actor=self.actor,
        )
        self.people[who].refresh_from_db()

    def reloaded(self) -> World:
        """The same world read again from the database (after a rollback the objects held here are stale)."""
        return World(
            clock=self.clock,
            actor=self.actor,
            desa=self.desa,
            posyandu=self.posyandu,
            puskesmas=self.puskesmas,
            people={k: Person.objects.get(pk=p.pk) for k, p in self.people.items()},
            families={k: Family.objects.get(pk=f.pk) for k, f in self.families.items()},
            pregnancies={k: Pregnancy.objects.get(pk=p.pk) for k, p in self.pregnancies.items()},
            encounters={k: Encounter.objects.get(pk=e.pk) for k, e in self.encounters.items()},
            referrals={k: Referral.objects.get(pk=r.pk) for k, r in self.referrals.items()},
            serials=self.serials,
        )


def new_world(clock: Clock) -> World:
    """The two desa with one posyandu each (children of Puskesmas Matur), and the Dinkes Agam user."""
    actor = User.objects.get(username="dinkes.agam")
    desa = {key: Region.objects.get(code=code) for key, code in DESAS.items()}
    puskesmas = Facility.objects.get(kind=FacilityKind.PUSKESMAS, region__district__code=MATUR)
    posyandu = {}
    for key, region in desa.items():
        posyandu[key] = Facility(
            kind=FacilityKind.POSYANDU,
            code=f"GOLDEN-PY-{key}",
            name=f"Posyandu Melati {region.name}",
            region=region,
            parent=puskesmas,
            schedule_day=10,
        )
        posyandu[key].full_clean()
        posyandu[key].save()
    return World(clock=clock, actor=actor, desa=desa, posyandu=posyandu, puskesmas=puskesmas)


def build_golden(w: World) -> None:
    """The golden world. Posyandu "A" (desa A) and "B" (desa B); "PKM" is Puskesmas Matur.

    Posyandu days: A is held every month but May (its only May encounter is voided); B every month but
    October (no encounter at all).
    """
    # ------------------------------------------------------------------ desa A, family A1 (home visited)
    w.family(
        "A1",
        "A",
        ("a1_head", "Bujang", M, d("1980-05-10")),
        (("a1_wife", "Rina", F, d("1992-07-20"), Relationship.WIFE),),
    )
    # Bujang, 44-45: hypertensive in March (150/95), checked again in September; TB screen negative.
    w.visit(
        "a1_head",
        d("2025-03-12"),
        "A",
        {K.SYSTOLIC: 150, K.DIASTOLIC: 95, K.GLUCOSE_RANDOM: 120, K.TB_SYMPTOMS: "not_presumptive"},
    )
    w.visit("a1_head", d("2025-09-10"), "A", {K.SYSTOLIC: 132, K.DIASTOLIC: 84})
    # Rina, 32: HPHT 2024-10-01 (HPL 2025-07-08); K1 in 2024, K2-K6 in 2025; HIV and syphilis in January,
    # hepatitis B in February (triple elimination complete in February); Hb in January; LiLA 22.0 (KEK) in
    # January and 22.5 (KEK) in February, 24.0 in April. Referred to hospital 28 June, handled 1 July.
    # Delivered in the puskesmas on 2 July (live birth); KF1-KF4 complete on 10 August. IVA in September.
    w.pregnant("a1_wife", d("2024-10-01"), recorded_on=d("2024-11-20"))
    w.visit("a1_wife", d("2024-11-20"), "PKM", services=[svc(S.ANC, dose=1)])
    w.visit(
        "a1_wife",
        d("2025-01-15"),
        "PKM",
        {K.HB: 11.5, K.HIV: "neg", K.SYPHILIS: "neg", K.MUAC: 22.0},
        [svc(S.ANC, dose=2)],
    )
    w.visit("a1_wife", d("2025-02-20"), "A", {K.HEPATITIS_B: "neg", K.MUAC: 22.5}, [svc(S.ANC, dose=3)])
    w.visit("a1_wife", d("2025-04-10"), "PKM", {K.MUAC: 24.0}, [svc(S.ANC, dose=4)])
    w.visit("a1_wife", d("2025-05-15"), "PKM", services=[svc(S.ANC, dose=5)])
    w.visit("a1_wife", d("2025-06-20"), "PKM", services=[svc(S.ANC, dose=6)])
    w.refer("rina", "a1_wife", d("2025-06-28"), "puskesmas", "hospital", "Hipertensi dalam kehamilan")
    w.refer_step("rina", "received", d("2025-06-30"))
    w.refer_step("rina", "handled", d("2025-07-01"))
    w.pregnancy_end("a1_wife", d("2025-07-02"), PregnancyOutcome.LIVE_BIRTH)
    w.visit(
        "a1_wife",
        d("2025-07-02"),
        "PKM",
        {K.DELIVERY_PLACE: "health_facility", K.DELIVERY_ATTENDANT: "midwife"},
        [svc(S.DELIVERY)],
    )
    w.visit("a1_wife", d("2025-07-03"), "PKM", services=[svc(S.POSTNATAL, dose=1)])
    w.visit("a1_wife", d("2025-07-08"), "home", services=[svc(S.POSTNATAL, dose=2)])
    w.visit("a1_wife", d("2025-07-20"), "home", services=[svc(S.POSTNATAL, dose=3)])
    w.visit("a1_wife", d("2025-08-10"), "A", services=[svc(S.POSTNATAL, dose=4)])
    w.visit("a1_wife", d("2025-09-10"), "PKM", services=[svc(S.VIA)])
    # Putri, born 2 July 2025: KN1-KN3 complete (20 July); HB0, BCG, OPV1-3, DPT-HB-Hib 1-2, PCV1-2, RV1-2
    # only: basic immunisation incomplete. Weighed in July (at KN1), August, September and November.
    w.born("a1_baby", "A1", "Putri", F, d("2025-07-02"), recorded_on=d("2025-07-03"))
    w.visit("a1_baby", d("2025-07-03"), "PKM", {K.WEIGHT: 3.1}, [svc(S.NEONATAL, dose=1), *doses("hb0")])
    w.visit("a1_baby", d("2025-07-06"), "home", services=[svc(S.NEONATAL, dose=2)])
    w.visit("a1_baby", d("2025-07-20"), "home", services=[svc(S.NEONATAL, dose=3)])
    w.visit("a1_baby", d("2025-08-05"), "A", {K.WEIGHT: 4.5}, doses("bcg", "opv1"))
    w.visit("a1_baby", d("2025-09-05"), "A", {K.WEIGHT: 5.3}, doses("dpt_hb_hib1", "opv2", "pcv1", "rv1"))
    w.visit("a1_baby", d("2025-11-05"), "A", {K.WEIGHT: 6.2}, doses("dpt_hb_hib2", "opv3", "pcv2", "rv2"))
    w.home_visit("A1", d("2025-08-15"))
    w.home_visit("A1", d("2025-10-01"))

    # ------------------------------------------------------------------------------ desa A, family A2
    w.family(
        "A2",
        "A",
        ("a2_head", "Datuak", M, d("1958-03-01")),
        (
            ("a2_wife", "Upiak", F, d("1962-08-15"), Relationship.WIFE),
            ("a2_son", "Andi", M, d("1995-02-02"), Relationship.CHILD),
        ),
    )
    # Datuak, 67: SKILAS and a normal blood pressure in April; presumptive TB in May, referred to hospital
    # the same day and handled within May; PUMA in May.
    w.visit("a2_head", d("2025-04-09"), "A", {K.SKILAS: "none", K.SYSTOLIC: 128, K.DIASTOLIC: 78})
    w.visit("a2_head", d("2025-05-12"), "PKM", {K.TB_SYMPTOMS: "presumptive", K.PUMA: 3})
    w.refer("datuak", "a2_head", d("2025-05-12"), "puskesmas", "hospital", "Terduga TB: TCM")
    w.refer_step("datuak", "received", d("2025-05-13"))
    w.refer_step("datuak", "handled", d("2025-05-20"))
    # Upiak, 62: diabetic random glucose (250) in November 2024; ADL and glucose (180) in June 2025.
    w.visit("a2_wife", d("2024-11-10"), "PKM", {K.GLUCOSE_RANDOM: 250})
    w.visit("a2_wife", d("2025-06-11"), "A", {K.ADL: 20, K.GLUCOSE_RANDOM: 180})
    # Andi, 30: blood pressure at posyandu A in February; moves to family B4 (desa B) on 1 June; SRQ-20 at
    # posyandu B in August. The register keeps one address per person: all his 2025 facts are desa B's.
    w.visit("a2_son", d("2025-02-12"), "A", {K.SYSTOLIC: 118, K.DIASTOLIC: 76})

    # ------------------------------------------------------------------------------ desa A, family A3
    w.family(
        "A3",
        "A",
        ("a3_head", "Rahmat", M, d("1990-01-15")),
        (
            ("a3_wife", "Sari", F, d("1994-11-30"), Relationship.WIFE),
            ("a3_child1", "Fajar", M, d("2021-06-10"), Relationship.CHILD),
        ),
    )
    # Rahmat, 35: ODGJ care in December 2024 only (a known ODGJ berat patient not served in 2025);
    # SRQ-20 and a negative TB screen in February.
    w.visit("a3_head", d("2024-12-01"), "PKM", services=[svc(S.MENTAL_HEALTH)])
    w.visit("a3_head", d("2025-02-12"), "A", {K.SRQ20: 8, K.TB_SYMPTOMS: "not_presumptive"})
    # Sari, 30: SADANIS in October.
    w.visit("a3_wife", d("2025-10-08"), "PKM", services=[svc(S.BREAST_EXAM)])
    # Fajar, 43-54 months: weighed at posyandu A in Jan, Feb, Mar, Apr, (May: voided), Jun, Jul, Aug, Sep,
    # Oct and Dec; not in November. Height in February (normal) and August (weight-for-height +2.34 SD:
    # overweight). Vitamin A in February and August, KPSP in March. The eighth valid weighing is September's.
    w.visit("a3_child1", d("2025-01-08"), "A", {K.WEIGHT: 14.5})
    w.visit(
        "a3_child1", d("2025-02-12"), "A", {K.WEIGHT: 14.8, K.LENGTH_HEIGHT: 99.0, K.MEASURE: "H"}, [svc(S.VITAMIN_A)]
    )
    w.visit("a3_child1", d("2025-03-12"), "A", {K.WEIGHT: 15.0, K.KPSP: 9})
    w.visit("a3_child1", d("2025-04-09"), "A", {K.WEIGHT: 15.1})
    w.visit("a3_child1", d("2025-05-14"), "A", {K.WEIGHT: 15.3}, key="voided")
    w.void("voided", on=d("2025-05-16"))
    w.visit("a3_child1", d("2025-06-11"), "A", {K.WEIGHT: 15.4})
    w.visit("a3_child1", d("2025-07-09"), "A", {K.WEIGHT: 15.6})
    w.visit(
        "a3_child1", d("2025-08-13"), "A", {K.WEIGHT: 19.5, K.LENGTH_HEIGHT: 102.0, K.MEASURE: "H"}, [svc(S.VITAMIN_A)]
    )
    w.visit("a3_child1", d("2025-09-10"), "A", {K.WEIGHT: 16.0})
    w.visit("a3_child1", d("2025-10-08"), "A", {K.WEIGHT: 16.1})
    w.visit("a3_child1", d("2025-12-10"), "A", {K.WEIGHT: 16.5})
    # Aisyah, born 29 February 2024: every basic dose but MR1 in 2024, MR1 on 8 January 2025 (IDL complete
    # in January); PCV3 in March, DPT-HB-Hib 4 and MR2 in September (baduta lanjutan complete in September).
    # Weighed in Jan, Feb, Mar, Jun and Sep; vitamin A in February; KPSP in June.
    w.born("a3_child2", "A3", "Aisyah", F, d("2024-02-29"), recorded_on=d("2024-02-29"))
    w.visit("a3_child2", d("2024-02-29"), "PKM", services=doses("hb0"))
    w.visit("a3_child2", d("2024-03-29"), "A", services=doses("bcg", "opv1"))
    w.visit("a3_child2", d("2024-04-29"), "A", services=doses("dpt_hb_hib1", "opv2", "pcv1", "rv1"))
    w.visit("a3_child2", d("2024-05-29"), "A", services=doses("dpt_hb_hib2", "opv3", "pcv2", "rv2"))
    w.visit("a3_child2", d("2024-06-28"), "A", services=doses("dpt_hb_hib3", "opv4", "ipv1", "rv3"))
    w.visit("a3_child2", d("2025-01-08"), "A", {K.WEIGHT: 8.6}, doses("mr1"))
    w.visit("a3_child2", d("2025-02-12"), "A", {K.WEIGHT: 8.8}, [svc(S.VITAMIN_A)])
    w.visit("a3_child2", d("2025-03-12"), "A", {K.WEIGHT: 9.0}, doses("pcv3"))
    w.visit("a3_child2", d("2025-06-11"), "A", {K.WEIGHT: 9.5, K.KPSP: 10})
    w.visit("a3_child2", d("2025-09-10"), "A", {K.WEIGHT: 10.1}, doses("dpt_hb_hib4", "mr2"))

    # ------------------------------------------------------------------------------ desa A, family A4
    w.family(
        "A4",
        "A",
        ("a4_head", "Yusni", F, d("1975-04-04")),
        (
            ("a4_daughter", "Nisa", F, d("2011-03-20"), Relationship.CHILD),
            ("a4_son", "Rizki", M, d("2008-09-09"), Relationship.CHILD),
        ),
    )
    # Yusni, 49-50: hypertensive (160/100) in December 2024, no blood pressure in 2025; PUMA in February;
    # dies on 15 June 2025.
    w.visit("a4_head", d("2024-12-10"), "PKM", {K.SYSTOLIC: 160, K.DIASTOLIC: 100})
    w.visit("a4_head", d("2025-02-12"), "A", {K.PUMA: 2})
    w.die("a4_head", d("2025-06-15"))
    # Nisa, 14: screened at school in August: Hb, TTD, weight and height (BMI-for-age).
    w.visit(
        "a4_daughter",
        d("2025-08-20"),
        "school",
        {K.HB: 12.1, K.WEIGHT: 42.0, K.LENGTH_HEIGHT: 150.0},
        [svc(S.IRON_FOLATE)],
    )
    # Rizki, 16: weight, height and a TB screen at the puskesmas in March; moves out on 30 April.
    w.visit(
        "a4_son",
        d("2025-03-03"),
        "PKM",
        {K.WEIGHT: 55.0, K.LENGTH_HEIGHT: 165.0, K.TB_SYMPTOMS: "not_presumptive"},
    )
    w.move_out("a4_son", d("2025-04-30"))

    # ------------------------------------------------------------------------------ desa A, family A5
    w.family(
        "A5",
        "A",
        ("a5_head", "Hendra", M, d("2000-01-01")),
        (
            ("a5_wife", "Lani", F, d("2002-02-02"), Relationship.WIFE),
            ("a5_child", "Bima", M, d("2019-07-07"), Relationship.CHILD),
        ),
    )
    # Hendra, 25: nothing. Lani, 23: HPHT 1 February 2025, K1 with an HIV test in March, miscarriage on
    # 15 April (not a delivery). Bima, 5: KPSP, weight and height (BMI-for-age) in March.
    w.pregnant("a5_wife", d("2025-02-01"), recorded_on=d("2025-03-12"))
    w.visit("a5_wife", d("2025-03-12"), "A", {K.HIV: "neg"}, [svc(S.ANC, dose=1)])
    w.pregnancy_end("a5_wife", d("2025-04-15"), PregnancyOutcome.MISCARRIAGE)
    w.visit("a5_child", d("2025-03-12"), "A", {K.KPSP: 8, K.WEIGHT: 19.0, K.LENGTH_HEIGHT: 110.0, K.MEASURE: "H"})

    # ------------------------------------------------------------------------------ desa B, family B1
    w.family(
        "B1",
        "B",
        ("b1_head", "Syamsul", M, d("1970-01-20")),
        (("b1_wife", "Dewi", F, d("1998-02-14"), Relationship.WIFE),),
    )
    # Syamsul, 55: diabetic random glucose (220), blood pressure, PUMA and presumptive TB at the puskesmas
    # in March; referred the same day but the referral was cancelled the next day (not referred). Fasting
    # glucose again in September.
    w.visit(
        "b1_head",
        d("2025-03-05"),
        "PKM",
        {K.GLUCOSE_RANDOM: 220, K.SYSTOLIC: 125, K.DIASTOLIC: 80, K.PUMA: 4, K.TB_SYMPTOMS: "presumptive"},
    )
    w.refer("syamsul", "b1_head", d("2025-03-05"), "puskesmas", "hospital", "DM, terduga TB")
    w.refer_step("syamsul", "cancelled", d("2025-03-06"))
    w.visit("b1_head", d("2025-09-03"), "PKM", {K.GLUCOSE_FASTING: 140})
    # Dewi, 27: HPHT 1 March 2025 (HPL 6 December); K1 with Hb, HIV and LiLA 24.5 in April, K2 in June and
    # K3 in August at posyandu B; delivered at home on 1 December (live birth); KF1 and KF2 only.
    w.pregnant("b1_wife", d("2025-03-01"), recorded_on=d("2025-04-16"))
    w.visit("b1_wife", d("2025-04-16"), "B", {K.HB: 10.5, K.HIV: "neg", K.MUAC: 24.5}, [svc(S.ANC, dose=1)])
    w.visit("b1_wife", d("2025-06-18"), "B", services=[svc(S.ANC, dose=2)])
    w.visit("b1_wife", d("2025-08-20"), "B", services=[svc(S.ANC, dose=3)])
    w.pregnancy_end("b1_wife", d("2025-12-01"), PregnancyOutcome.LIVE_BIRTH)
    w.visit("b1_wife", d("2025-12-01"), "home", {K.DELIVERY_PLACE: "home", K.DELIVERY_ATTENDANT: "midwife"})
    w.visit("b1_wife", d("2025-12-02"), "home", services=[svc(S.POSTNATAL, dose=1)])
    w.visit("b1_wife", d("2025-12-06"), "home", services=[svc(S.POSTNATAL, dose=2)])
    # Raka, born 1 December 2025 at home: KN1 and HB0 the next day, nothing else.
    w.born("b1_baby", "B1", "Raka", M, d("2025-12-01"), recorded_on=d("2025-12-02"))
    w.visit("b1_baby", d("2025-12-02"), "home", services=[svc(S.NEONATAL, dose=1), *doses("hb0")])

    # ------------------------------------------------------------------------------ desa B, family B2
    w.family(
        "B2",
        "B",
        ("b2_head", "Mega", F, d("1996-05-05")),
        (("b2_child", "Dimas", M, d("2023-05-15"), Relationship.CHILD),),
    )
    # Mega, 29: HPHT 10 March 2025 (HPL 15 December), still pregnant on 31 December (no end recorded).
    # K1 in May with LiLA 23.0 (KEK) and all three triple-elimination tests; K2-K5 at posyandu B in Jul,
    # Aug, Sep, Nov; K6 at the puskesmas on 10 December.
    w.pregnant("b2_head", d("2025-03-10"), recorded_on=d("2025-05-14"))
    w.visit(
        "b2_head",
        d("2025-05-14"),
        "B",
        {K.MUAC: 23.0, K.HIV: "neg", K.SYPHILIS: "neg", K.HEPATITIS_B: "neg"},
        [svc(S.ANC, dose=1)],
    )
    w.visit("b2_head", d("2025-07-16"), "B", services=[svc(S.ANC, dose=2)])
    w.visit("b2_head", d("2025-08-20"), "B", services=[svc(S.ANC, dose=3)])
    w.visit("b2_head", d("2025-09-17"), "B", services=[svc(S.ANC, dose=4)])
    w.visit("b2_head", d("2025-11-19"), "B", services=[svc(S.ANC, dose=5)])
    w.visit("b2_head", d("2025-12-10"), "PKM", services=[svc(S.ANC, dose=6)])
    # Dimas, 19-31 months: weighed in Jan, Feb, Apr, Jul, Aug and Nov at posyandu B; length 78 cm in April
    # (length-for-age -2.95 SD: stunted) and height 81 cm in July (-2.47 SD: stunted); vitamin A in
    # February and August.
    w.visit("b2_child", d("2025-01-15"), "B", {K.WEIGHT: 9.6})
    w.visit("b2_child", d("2025-02-19"), "B", {K.WEIGHT: 9.7}, [svc(S.VITAMIN_A)])
    w.visit("b2_child", d("2025-04-16"), "B", {K.WEIGHT: 10.0, K.LENGTH_HEIGHT: 78.0, K.MEASURE: "L"})
    w.visit("b2_child", d("2025-07-16"), "B", {K.WEIGHT: 10.4, K.LENGTH_HEIGHT: 81.0, K.MEASURE: "H"})
    w.visit("b2_child", d("2025-08-20"), "B", {K.WEIGHT: 10.5}, [svc(S.VITAMIN_A)])
    w.visit("b2_child", d("2025-11-19"), "B", {K.WEIGHT: 10.9})
    # Salsa, born 1 September 2024: HB0 to DPT-HB-Hib 3, OPV4, IPV1, RV3 but no MR1 (IDL incomplete);
    # weighed in Jan, Mar, Jun (72 cm, 6.5 kg: wasted and underweight), Aug and Dec; vitamin A and KPSP in
    # August.
    w.born("b2_baby", "B2", "Salsa", F, d("2024-09-01"), recorded_on=d("2024-09-01"))
    w.visit("b2_baby", d("2024-09-01"), "PKM", services=doses("hb0"))
    w.visit("b2_baby", d("2024-10-01"), "B", services=doses("bcg", "opv1"))
    w.visit("b2_baby", d("2024-11-05"), "B", services=doses("dpt_hb_hib1", "opv2", "pcv1", "rv1"))
    w.visit("b2_baby", d("2025-01-15"), "B", {K.WEIGHT: 7.0}, doses("dpt_hb_hib2", "opv3", "pcv2", "rv2"))
    w.visit("b2_baby", d("2025-03-19"), "B", {K.WEIGHT: 7.6}, doses("dpt_hb_hib3", "opv4", "ipv1", "rv3"))
    w.visit("b2_baby", d("2025-06-18"), "B", {K.WEIGHT: 6.5, K.LENGTH_HEIGHT: 72.0, K.MEASURE: "L"})
    w.visit("b2_baby", d("2025-08-20"), "B", {K.WEIGHT: 8.4, K.KPSP: 9}, [svc(S.VITAMIN_A)])
    w.visit("b2_baby", d("2025-12-17"), "B", {K.WEIGHT: 8.9})

    # ------------------------------------------------------------------------------ desa B, family B3
    w.family(
        "B3",
        "B",
        ("b3_head", "Ilyas", M, d("1950-12-01")),
        (
            ("b3_wife", "Nurma", F, d("1955-06-06"), Relationship.WIFE),
            ("b3_grand", "Zahra", F, d("2013-01-10"), Relationship.GRANDCHILD),
        ),
    )
    # Ilyas, 74: SKILAS and a blood pressure of 145/85 (hypertensive) at posyandu B in May; referred to the
    # puskesmas, received, never handled (an open referral). The family's only home visit was in 2024.
    w.visit("b3_head", d("2025-05-21"), "B", {K.SKILAS: "mobility", K.SYSTOLIC: 145, K.DIASTOLIC: 85})
    w.refer("ilyas", "b3_head", d("2025-05-21"), "posyandu", "puskesmas", "Hipertensi")
    w.refer_step("ilyas", "received", d("2025-05-26"))
    w.home_visit("B3", d("2024-11-20"))
    # Nurma, 69: nothing. Zahra, 12: a vision screening at the puskesmas in September, no Hb, no TTD.
    w.visit("b3_grand", d("2025-09-17"), "PKM", {K.VISION: "normal"})

    # ------------------------------------------------------------------------------ desa B, family B4
    w.family(
        "B4",
        "B",
        ("b4_head", "Taufik", M, d("1985-08-08")),
        (
            ("b4_wife", "Wati", F, d("2000-12-12"), Relationship.WIFE),
            ("b4_daughter", "Intan", F, d("2009-04-04"), Relationship.CHILD),
        ),
    )
    # Taufik, 39: ODGJ care in October 2024 and July 2025. Wati, 24: HPHT 1 August 2025 (HPL May 2026), no
    # ANC yet. Intan, 15: screened at school in February: Hb, TTD, weight and height.
    w.visit("b4_head", d("2024-10-05"), "PKM", services=[svc(S.MENTAL_HEALTH)])
    w.visit("b4_head", d("2025-07-07"), "PKM", services=[svc(S.MENTAL_HEALTH)])
    w.pregnant("b4_wife", d("2025-08-01"), recorded_on=d("2025-09-20"))
    w.visit(
        "b4_daughter",
        d("2025-02-05"),
        "school",
        {K.HB: 11.0, K.WEIGHT: 48.0, K.LENGTH_HEIGHT: 155.0},
        [svc(S.IRON_FOLATE)],
    )
    # Andi (A2) joins the family on 1 June and has an SRQ-20 at posyandu B in August.
    w.move("a2_son", "B4", d("2025-06-01"))
    w.visit("a2_son", d("2025-08-13"), "B", {K.SRQ20: 2})

    # ------------------------------------------------------------------------------ desa B, family B5
    w.family("B5", "B", ("b5_head", "Kari", M, d("1940-10-10")))
    # Kari, 84, lives alone: first hypertensive reading (170/100) at posyandu B in November.
    w.visit("b5_head", d("2025-11-19"), "B", {K.SYSTOLIC: 170, K.DIASTOLIC: 100})


@dataclass(frozen=True)
class Fact:
    indicator: str
    month: int
    desa: str  # "A" or "B"
    posyandu: str
    sex: str
    band: int
    values: tuple[int, int, int, int]  # numerator, denominator, numerator_ytd, denominator_ytd


def read_facts(world: World, year: int) -> list[Fact]:
    """The fact rows of the world's two desa for `year`, as plain values (read before the rollback)."""
    desa_key = {region.pk: key for key, region in world.desa.items()}
    posyandu_key = {f.pk: key for key, f in world.posyandu.items()}
    rows = IndicatorValue.objects.filter(period__year=year, village_id__in=desa_key).values_list(
        "indicator",
        "period",
        "village_id",
        "posyandu_id",
        "sex",
        "age_band",
        "numerator",
        "denominator",
        "numerator_ytd",
        "denominator_ytd",
    )
    return [
        Fact(code, period.month, desa_key[village], posyandu_key.get(posyandu, "-"), sex, band, (n, dn, ny, dy))
        for code, period, village, posyandu, sex, band, n, dn, ny, dy in rows
    ]


@pytest.fixture(scope="module")
def golden(django_db_setup, django_db_blocker) -> list[Fact]:
    """The golden world's 2025 facts after `refresh_all(today=2025-12-31, year=2025)`.

    Built once per module inside a transaction that is rolled back, so the tests only read plain values.
    """
    from ilp.indicators.refresh import refresh_all

    with django_db_blocker.unblock(), transaction.atomic(), frozen_clock() as clock:
        world = new_world(clock)
        build_golden(world)
        refresh_all(today=TODAY, year=YEAR)
        facts = read_facts(world, YEAR)
        transaction.set_rollback(True)
    return facts
