"""The records the population generator produces, and the identity counters shared across its blocks."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ilp.people.identity import build_nik

YEAR = 365.2425
TANJUNG_RAYA = "13.06.03"
_NAMESPACE = uuid.UUID("6f1c1f0e-6b7a-4c47-9d7e-1f3c2b9a5d10")


def step(table, age: int, default=0.0):
    """The value of a step table ((from age, value), ...) at `age`: the last row whose start is reached."""
    value = default
    for start, v in table:
        if age >= start:
            value = v
    return value


@dataclass(frozen=True)
class PosyanduSpec:
    code: str
    id: int | None = None


@dataclass(frozen=True)
class VillageSpec:
    """A desa/nagari families live in: code "13.06.03.2004", its posyandu, and its dusun/jorong regions if any."""

    code: str
    name: str
    region_id: int | None = None
    posyandu: tuple[PosyanduSpec, ...] = ()
    dusun: tuple[tuple[int, str], ...] = ()

    @property
    def district_code(self) -> str:
        return self.code.rsplit(".", 1)[0]


@dataclass(eq=False, slots=True)
class SynthPerson:
    """One generated person, with what the follow-up events will do to them."""

    uid: int
    sex: str
    birth_date: dt.date
    name: str = ""
    relationship: str = ""
    nik: str = ""
    nik_missing_reason: str = ""
    birth_date_estimated: bool = False
    jkn_number: str = ""
    phone: str = ""
    disability: str = ""
    joined_on: dt.date | None = None
    external_id: uuid.UUID | None = None
    married: bool = False
    mother: SynthPerson | None = None
    youngest_child: dt.date | None = None
    # Events, written by the follow-up services after the bulk registration.
    added_by_event: bool = False  # a newborn of the last 42 days, added with `family_member_add`
    pregnancy_lmp: dt.date | None = None  # an ongoing pregnancy
    delivery: tuple[dt.date, dt.date] | None = None  # (HPHT, delivery date) of a birth in the nifas window
    died_on: dt.date | None = None
    death_cause: str = ""
    moved_out_on: dt.date | None = None
    moved_out_to: str = ""
    duplicate_of: SynthPerson | None = None

    def age(self, on: dt.date) -> int:
        years = on.year - self.birth_date.year
        return years - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))


@dataclass(eq=False, slots=True)
class SynthFamily:
    uid: int
    village: VillageSpec
    members: list[SynthPerson]
    region_id: int | None = None
    posyandu: PosyanduSpec | None = None
    kk_number: str = ""
    kk_issued: dt.date | None = None
    address_text: str = ""
    external_id: uuid.UUID | None = None
    moved_in_from: str = ""
    moved_in_on: dt.date | None = None

    @property
    def head(self) -> SynthPerson:
        return next(m for m in self.members if m.relationship == "kepala_keluarga")


class Registry:
    """Counters shared by all blocks: NIK serial per prefix, KK serial per issue date, JKN numbers, uids."""

    def __init__(self, seed: int, persons: int):
        self.nik: dict[str, int] = {}
        self.kk: dict[str, int] = {}
        self.jkn = 0
        self.uid = 0
        self.tag = f"{seed}/{persons}"

    def next_uid(self) -> int:
        self.uid += 1
        return self.uid

    def external_id(self, kind: str, uid: int) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, f"{self.tag}/{kind}/{uid}")

    def nik_for(self, district: str, birth_date: dt.date, sex: str) -> str:
        prefix = build_nik(district_code=district, birth_date=birth_date, sex=sex, serial=1)[:12]
        serial = self.nik.get(prefix, 0) + 1
        self.nik[prefix] = serial
        if serial > 9999:
            raise ValueError(f"NIK serials exhausted for {prefix}")
        return f"{prefix}{serial:04d}"

    def kk_for(self, district: str, issued: dt.date) -> str:
        # KK structure (region 6 + issue date 6 + serial 4) is unconfirmed (ILP.md §4); the region prefix is what
        # the checks read.
        # A day's 9,999 serials run out in a million-person kecamatan whose issue dates cluster: the KK is then
        # dated a day earlier, so every number keeps its 16 digits.
        while True:
            prefix = f"{district.replace('.', '')}{issued:%d%m%y}"
            serial = self.kk.get(prefix, 0) + 1
            if serial <= 9999:
                break
            issued -= dt.timedelta(days=1)
        self.kk[prefix] = serial
        return f"{prefix}{serial:04d}"

    def jkn_number(self) -> str:
        # 13 digits starting "000" like BPJS card numbers; an affine map coprime to 10**10 keeps them unique.
        self.jkn += 1
        return f"000{(self.jkn * 7_319_462_531 + 1_234_567_891) % 10**10:010d}"
