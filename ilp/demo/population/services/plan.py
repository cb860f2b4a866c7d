"""What the service generator works from and what it produces, as pure data (no database).

The register is read once into `Resident` rows; the generator returns a `Plan`: encounter drafts for
`encounters_bulk_record` (merged so that one person has one encounter per day and place), the referrals
and home visits to record through their services, and the generator's own tallies for the summary.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from ilp.lifecycle.bulk import EncounterDraft
from ilp.lifecycle.services import ServiceInput

WINDOW_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Resident:
    """A person of the register as the generator sees them."""

    id: int
    sex: str
    birth_date: dt.date
    death_date: dt.date | None
    moved_out_on: dt.date | None
    posyandu_id: int | None
    village_id: int
    family_id: int | None  # the current family (None after a move out)
    arrived_on: dt.date | None = None  # moved in (pindah datang) on

    def age(self, on: dt.date) -> int:
        """Completed years on `on`."""
        years = on.year - self.birth_date.year
        return years - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))

    def present(self, on: dt.date) -> bool:
        """Born, alive and living here on `on`: the only days a service can be recorded here."""
        return (
            max(self.birth_date, self.arrived_on or self.birth_date) <= on
            and (self.death_date is None or on <= self.death_date)
            and (self.moved_out_on is None or on < self.moved_out_on)
        )


@dataclass(frozen=True)
class Facilities:
    """The working area's facilities: posyandu opening days, a pustu per desa, the puskesmas, a PMB and the
    district hospital of the network; with how well each desa and posyandu works (`area`) and the
    posyandu-months not held."""

    posyandu_day: dict[int, int]
    pustu_by_village: dict[int, int]
    puskesmas: int
    midwife_practice: int | None = None
    hospital: int | None = None
    posyandu_village: dict[int, int] = field(default_factory=dict)
    quality: dict[int, float] = field(default_factory=dict)  # desa -> -1..+1
    posyandu_quality: dict[int, float] = field(default_factory=dict)
    skipped: frozenset[tuple[int, int, int]] = frozenset()  # (posyandu, year, month) not held
    held_sessions: dict[int, tuple[dt.date, ...]] = field(default_factory=dict)  # filled by `with_sessions`

    def with_sessions(self, today: dt.date) -> Facilities:
        """A copy that knows each posyandu's sessions held in the window (read for every person)."""
        held = {
            pk: tuple(d for d in session_dates(day, today) if (pk, d.year, d.month) not in self.skipped)
            for pk, day in self.posyandu_day.items()
            if day
        }
        return replace(self, held_sessions=held)

    def sessions(self, posyandu_id: int | None, today: dt.date) -> list[dt.date]:
        """The posyandu's sessions in the window (up to today) that were held."""
        if self.held_sessions:
            return list(self.held_sessions.get(posyandu_id, ()))
        day = self.posyandu_day.get(posyandu_id)
        if not day:
            return []
        return [d for d in session_dates(day, today) if (posyandu_id, d.year, d.month) not in self.skipped]

    def held(self, posyandu_id: int | None, on: dt.date) -> bool:
        return (posyandu_id, on.year, on.month) not in self.skipped

    def desa(self, person: Resident) -> float:
        return self.quality.get(person.village_id, 0.0)

    def posyandu(self, person: Resident) -> float:
        return self.posyandu_quality.get(person.posyandu_id, self.desa(person))


@dataclass(frozen=True, slots=True)
class BirthLink:
    """A birth in the window as the register shows it: the baby (twins: babies), the mother when she is a
    member of the baby's family, and her recorded pregnancy when there is one."""

    babies: tuple[int, ...]
    village_id: int
    born: dt.date
    mother_id: int | None = None
    pregnancy_id: int | None = None  # the mother's ended pregnancy, when already recorded
    lmp: dt.date | None = None  # its HPHT
    open_pregnancy: bool = False  # the mother is pregnant again now


@dataclass(frozen=True)
class Pregnancies:
    ongoing: dict[int, dt.date]  # mother -> HPHT
    births: list[BirthLink] = field(default_factory=list)  # births of the window, in baby id order


@dataclass(frozen=True, slots=True)
class ReferralPlan:
    person_id: int
    date: dt.date
    place: str  # where the flag was raised: the encounter's place
    from_level: str
    to_level: str
    reasons: tuple[str, ...]  # flag codes (`rules.care`)
    received_on: dt.date | None = None  # when the plan already knows the day it was received


@dataclass(frozen=True, slots=True)
class HomeVisitPlan:
    person_id: int
    family_id: int
    posyandu_id: int | None
    date: dt.date
    reasons: tuple[str, ...]
    note: str = ""


@dataclass
class Tally:
    """The generator's own counts, for the summary and the tests (the register's numbers come from the rules)."""

    balita_months: int = 0  # S: child-months with a posyandu session
    weighed_months: int = 0  # D
    stunted: int = 0  # children whose latest length/height was drawn below -2 SD
    measured: int = 0
    hypertension: int = 0  # screened adults >= 18 drawn at >= 140/90
    screened_adults: int = 0
    diabetes: int = 0  # screened adults >= 40 with a random glucose >= 200 mg/dL
    screened_40: int = 0


@dataclass
class Plan:
    encounters: dict[tuple, EncounterDraft] = field(default_factory=dict)
    referrals: list[ReferralPlan] = field(default_factory=list)
    home_visits: list[HomeVisitPlan] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    def encounter(
        self, person: Resident, on: dt.date, place: str, facility: int | None, recorder: str
    ) -> EncounterDraft:
        """The person's encounter of that day and place, created on first use; a health worker's entry wins."""
        key = (person.id, on, place, facility)
        draft = self.encounters.get(key)
        if draft is None:
            # A generated value in the far tail (one in a million) is kept as a confirmed unusual value,
            # as the kader does after weighing again; without it a large --persons run stops there.
            draft = EncounterDraft(
                person.id, on, place, facility, {}, [], recorder_kind=recorder, confirm_implausible=True
            )
            self.encounters[key] = draft
        elif recorder == "nakes":
            draft.recorder_kind = recorder
        return draft

    def give(self, draft: EncounterDraft, kind: str, code: str = "", dose: int | None = None) -> None:
        draft.services.append(ServiceInput(kind, code, dose))

    def drafts(self) -> list[EncounterDraft]:
        """Drafts in a stable order (person, date): the same seed gives the same rows in the same order."""
        return [self.encounters[k] for k in sorted(self.encounters, key=lambda k: (k[0], k[1], k[2], k[3] or 0))]


def window_start(today: dt.date) -> dt.date:
    """The first day of the window's first month."""
    year, month = window_months(today)[0]
    return dt.date(year, month, 1)


def window_months(today: dt.date) -> list[tuple[int, int]]:
    """(year, month) of the last `WINDOW_MONTHS` calendar months, this month last."""
    index = today.year * 12 + today.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - WINDOW_MONTHS + 1, index + 1)]


def session_dates(schedule_day: int, today: dt.date) -> list[dt.date]:
    """The posyandu's opening days in the window, up to today (this month's may still be ahead)."""
    days = [dt.date(y, m, schedule_day) for y, m in window_months(today)]
    return [d for d in days if d <= today]


def weekday_in(rng: random.Random, start: dt.date, days: int, today: dt.date) -> dt.date:
    """A working day (puskesmas and pustu open Monday to Saturday) from `start`, within `days`, not after today."""
    on = start + dt.timedelta(days=rng.randint(0, max(0, days)))
    if on.weekday() == 6:
        on += dt.timedelta(days=1)
    return min(on, today)


def clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value
