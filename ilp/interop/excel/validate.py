"""Set-based validation of the people file: what each row would do, and why a row is refused.

The register is read once per file (region codes, posyandu, NIKs, KK numbers and ids named in it, in
chunks of `__in`), then every row is checked in memory. Rows are grouped into families by `no_kk`;
rows without `no_kk` form a family from a `kepala_keluarga` row (which gives `alasan_tanpa_kk`) through
the following rows without `no_kk`. An error on any row of a family refuses the whole family, so a
household is never registered half.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.interop.excel import columns as c
from ilp.interop.models import RowOutcome
from ilp.people.bulk import FamilyDraft, PersonDraft
from ilp.people.identity import check_kk, check_nik, normalise
from ilp.people.models import Disability, Family, FamilyMembership, NikMissingReason, Person, Relationship
from ilp.regions.models import Level, Region

LOOKUP_CHUNK = 5000
IDX = {name: i for i, name in enumerate(c.COLUMNS)}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIMITS = {"nama": 150, "no_hp": 20, "no_jkn": 13, "no_ihs": 20, "alamat": 255, "alasan_tanpa_kk": 200}
PERSON_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "nik",
    "nik_missing_reason",
    "jkn_number",
    "ihs_number",
    "phone",
    "disability",
)
FAMILY_FIELDS = ("kk_number", "kk_missing_reason", "region_id", "address_text", "posyandu_id")


@dataclass
class Row:
    """One file row: the parsed person, its family key, and what the commit will do with it."""

    number: int
    values: list[str]
    person: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    outcome: str = ""
    existing_id: int | None = None  # the registered person this row describes
    person_external_id: uuid.UUID | None = None
    family_external_id: uuid.UUID | None = None

    def get(self, column: str) -> str:
        return self.values[IDX[column]]

    def fail(self, template, column: str, **params) -> None:
        self.errors.append((column, str(template) % {"row": self.number, "field": column, **params}))

    @property
    def raw(self) -> dict:
        return {name: v for name, v in zip(c.COLUMNS, self.values, strict=True) if v}


@dataclass
class FamilyPlan:
    rows: list[Row]
    head: Row | None = None
    values: dict = field(default_factory=dict)  # FAMILY_FIELDS as the file says
    existing_id: int | None = None


@dataclass
class Plan:
    """The outcome of every row, and the writes the commit will make."""

    rows: list[Row]
    new_families: list[FamilyDraft] = field(default_factory=list)
    # (family pk, PersonDraft, row) of new members of registered families.
    joins: list[tuple[int, PersonDraft, Row]] = field(default_factory=list)
    # (person pk, changed PERSON_FIELDS) and (family pk, changed FAMILY_FIELDS).
    person_updates: list[tuple[int, dict]] = field(default_factory=list)
    family_updates: list[tuple[int, dict]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def errors(self) -> list[dict]:
        return [
            {"row": r.number, "field": col, "message": msg}
            for r in self.rows
            if r.outcome == RowOutcome.REJECTED
            for col, msg in r.errors
        ]


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _desa_code(value: str) -> str | None:
    digits = normalise(value)
    if not re.fullmatch(r"\d{10}", digits):
        return None
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:10]}"


def _choice(row: Row, column: str, allowed, *, required: bool = False) -> str:
    value = row.get(column).strip().lower()
    if not value:
        if required:
            row.fail(c.ERR_REQUIRED, column)
        return ""
    if value not in allowed:
        row.fail(c.ERR_CHOICE, column, value=value, choices=", ".join(sorted(allowed)))
        return ""
    return value


_RELATIONSHIPS = frozenset(Relationship.values)
_DISABILITIES = frozenset(Disability.values)
_NIK_REASONS = frozenset(NikMissingReason.values)


def _parse(row: Row, today: dt.date) -> None:
    """Checks of a row by itself (types, choices, lengths), filling `row.person`."""
    p = row.person
    for column, limit in _LIMITS.items():
        if len(row.get(column)) > limit:
            row.fail(c.ERR_TOO_LONG, column, max=limit)
    p["name"] = " ".join(row.get("nama").split())
    if not p["name"]:
        row.fail(c.ERR_REQUIRED, "nama")
    sex = row.get("jenis_kelamin").strip().upper()
    p["sex"] = c.SEX_CODES.get(sex, "")
    if not p["sex"]:
        row.fail(c.ERR_SEX, "jenis_kelamin")
    text = row.get("tanggal_lahir").strip()
    p["birth_date"] = None
    if not _DATE.match(text):
        row.fail(c.ERR_DATE, "tanggal_lahir")
    else:
        try:
            p["birth_date"] = dt.date.fromisoformat(text)
        except ValueError:
            row.fail(c.ERR_DATE, "tanggal_lahir")
        else:
            if p["birth_date"] > today:
                row.fail(c.ERR_DATE_FUTURE, "tanggal_lahir")
    p["relationship"] = _choice(row, "hubungan", _RELATIONSHIPS, required=True)
    p["disability"] = _choice(row, "disabilitas", _DISABILITIES)
    estimated = row.get("perkiraan_tanggal_lahir").strip().lower()
    if estimated not in c.YES and estimated not in c.NO:
        row.fail(c.ERR_YES_NO, "perkiraan_tanggal_lahir")
    p["birth_date_estimated"] = estimated in c.YES
    p["jkn_number"], p["ihs_number"], p["phone"] = row.get("no_jkn"), row.get("no_ihs"), row.get("no_hp")
    p["nik"] = normalise(row.get("nik")) or None
    p["nik_missing_reason"] = ""
    if p["nik"] is None:
        p["nik_missing_reason"] = _choice(row, "alasan_tanpa_nik", _NIK_REASONS)
        if not row.get("alasan_tanpa_nik"):
            row.fail(c.ERR_NIK_REASON, "alasan_tanpa_nik")
    eid = row.get("external_id").strip()
    row.person_external_id = None
    if eid:
        try:
            row.person_external_id = uuid.UUID(eid)
        except ValueError:
            row.fail(c.ERR_EXTERNAL_ID, "external_id")


def _strip_prefix(message: str) -> str:
    # Identity messages start with the field label ("NIK: ..."); the row message names the column already.
    return message.split(": ", 1)[-1]


class _Register:
    """What the file's rows refer to, read from the database in a few set-based queries."""

    def __init__(self, scope: AreaScope, rows: list[Row]):
        self.scope = scope
        codes = sorted({code for r in rows if (code := _desa_code(r.get("kode_desa")))})
        self.villages: dict[str, int] = {}
        self.in_scope: set[int] = set()
        for chunk in _chunks(codes):
            villages = Region.objects.filter(level=Level.VILLAGE, code__in=chunk)
            self.villages.update(dict(villages.values_list("code", "id")))
            if not scope.everything:
                self.in_scope.update(villages.filter(scope.region_q()).values_list("id", flat=True))
        village_ids = sorted(self.villages.values())
        self.subregions: dict[int, list[tuple]] = defaultdict(list)
        self.posyandu: dict[int, dict[str, int]] = defaultdict(dict)
        for chunk in _chunks(village_ids):
            subs = Region.objects.filter(village_id__in=chunk, level__gt=Level.VILLAGE)
            for row in subs.values_list("village_id", "id", "level", "parent_id", "code", "name"):
                self.subregions[row[0]].append(row[1:])
            posyandu = Facility.objects.filter(kind=FacilityKind.POSYANDU, region__village_id__in=chunk)
            for pk, village, code, name in posyandu.values_list("id", "region__village_id", "code", "name"):
                self.posyandu[village][code.casefold()] = pk
                self.posyandu[village][name.casefold()] = pk
        self.districts = frozenset(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        niks = sorted({r.person["nik"] for r in rows if r.person.get("nik")})
        eids = sorted({r.person_external_id for r in rows if r.person_external_id})
        kks = sorted({kk for r in rows if (kk := normalise(r.get("no_kk")))})
        person_cols = ("id", "external_id", *PERSON_FIELDS, "region_id")
        self.persons: dict[int, dict] = {}
        for column, values in (("nik", niks), ("external_id", eids)):
            for chunk in _chunks(values):
                for values_ in Person.objects.filter(**{f"{column}__in": chunk}).values_list(*person_cols):
                    self.persons[values_[0]] = dict(zip(person_cols, values_, strict=True))
        self.by_nik = {p["nik"]: pk for pk, p in self.persons.items() if p["nik"]}
        self.by_eid = {p["external_id"]: pk for pk, p in self.persons.items()}
        visible = set(self.persons)
        if not scope.everything and self.persons:
            visible = set()
            for chunk in _chunks(sorted(self.persons)):
                visible.update(Person.objects.filter(scope.household_q(), pk__in=chunk).values_list("id", flat=True))
        self.visible = visible
        self.family_of: dict[int, int] = {}
        for chunk in _chunks(sorted(self.persons)):
            current = FamilyMembership.objects.filter(person_id__in=chunk, end_date__isnull=True)
            self.family_of.update(dict(current.values_list("person_id", "family_id")))
        family_cols = ("id", "external_id", *FAMILY_FIELDS, "head_id")
        self.families: dict[int, dict] = {}
        family_ids = sorted(set(self.family_of.values()))
        for column, values in (("kk_number", kks), ("id", family_ids)):
            for chunk in _chunks(values):
                for values_ in Family.objects.filter(**{f"{column}__in": chunk}).values_list(*family_cols):
                    self.families[values_[0]] = dict(zip(family_cols, values_, strict=True))
        self.by_kk = {f["kk_number"]: pk for pk, f in self.families.items() if f["kk_number"]}
        self.visible_families = set(self.families)
        if not scope.everything and self.families:
            self.visible_families = set(
                Family.objects.filter(scope.household_q(), pk__in=sorted(self.families)).values_list("id", flat=True)
            )

    def district_exists(self, code: str) -> bool:
        return code in self.districts

    def subregion(self, village_id: int, dusun: str, rw: str, rt: str) -> tuple[int, list[str]]:
        """The deepest dusun/RW/RT matching the names or numbers given, and the parts left unmatched."""
        node = village_id
        parts = [(Level.DUSUN, "Dusun", dusun), (Level.RW, "RW", rw), (Level.RT, "RT", rt)]
        left: list[str] = []
        for level, label, value in parts:
            value = value.strip()
            if not value:
                continue
            if left:
                left.append(f"{label} {value}")
                continue
            match = next(
                (
                    pk
                    for pk, lvl, parent, code, name in self.subregions.get(village_id, ())
                    if lvl == level and parent == node and _same_unit(value, code, name)
                ),
                None,
            )
            if match is None:
                left.append(f"{label} {value}")
            else:
                node = match
        return node, left


def _same_unit(value: str, code: str, name: str) -> bool:
    """A dusun/RW/RT named by its name ("Jorong Pasa"), its local code ("D01", "RW003") or number ("3")."""
    value = value.casefold()
    local = code.rsplit(".", 1)[-1].casefold()
    if value in (name.casefold(), local):
        return True
    digits = re.sub(r"\D", "", value)
    local_digits = re.sub(r"\D", "", local)
    return bool(digits) and bool(local_digits) and int(digits) == int(local_digits) and value.isdigit()


def _group(rows: list[Row]) -> list[FamilyPlan]:
    families: dict[str, FamilyPlan] = {}
    current: FamilyPlan | None = None
    for row in rows:
        kk = normalise(row.get("no_kk"))
        if kk:
            plan = families.setdefault(f"kk:{kk}", FamilyPlan(rows=[]))
            current = None
        elif row.person.get("relationship") == Relationship.HEAD or current is None:
            plan = current = families.setdefault(f"row:{row.number}", FamilyPlan(rows=[]))
        else:
            plan = current
        plan.rows.append(row)
    return list(families.values())


def validate_rows(rows: list[Row], *, scope: AreaScope) -> Plan:
    """Decide every row's outcome (new, unchanged, updated, rejected) and the writes of the commit."""
    today = timezone.localdate()
    for row in rows:
        _parse(row, today)
    reg = _Register(scope, rows)
    seen_nik: dict[str, int] = {}
    seen_eid: dict[uuid.UUID, int] = {}
    for row in rows:
        _check_row(row, reg, seen_nik, seen_eid, today)
    plan = Plan(rows=rows)
    for family in _group(rows):
        _check_family(family, reg)
        bad = next((r for r in family.rows if r.errors), None)
        if bad is not None:
            for row in family.rows:
                if not row.errors:
                    row.fail(c.ERR_FAMILY_REJECTED, "no_kk", other=bad.number)
                row.outcome = RowOutcome.REJECTED
            continue
        _plan_family(family, reg, plan)
    return plan


def _check_row(row: Row, reg: _Register, seen_nik: dict, seen_eid: dict, today: dt.date) -> None:
    p = row.person
    code = _desa_code(row.get("kode_desa"))
    p["village_id"] = None
    if not row.get("kode_desa"):
        row.fail(c.ERR_REQUIRED, "kode_desa")
    elif code is None:
        row.fail(c.ERR_REGION_CODE, "kode_desa")
    elif code not in reg.villages:
        row.fail(c.ERR_REGION_UNKNOWN, "kode_desa", value=code)
    elif not reg.scope.everything and reg.villages[code] not in reg.in_scope:
        row.fail(c.ERR_REGION_SCOPE, "kode_desa")
    else:
        p["village_id"] = reg.villages[code]
    if p["nik"]:
        check = check_nik(
            p["nik"], district_exists=reg.district_exists, sex=p["sex"] or None, birth_date=p["birth_date"], today=today
        )
        for message in check.errors:
            row.fail(c.ERR_IDENTITY, "nik", message=_strip_prefix(message))
        if p["nik"] in seen_nik:
            row.fail(c.ERR_NIK_TWICE, "nik", other=seen_nik[p["nik"]])
        seen_nik.setdefault(p["nik"], row.number)
    kk = normalise(row.get("no_kk"))
    if kk:
        for message in check_kk(kk, district_exists=reg.district_exists).errors:
            row.fail(c.ERR_IDENTITY, "no_kk", message=_strip_prefix(message))
    eid = row.person_external_id
    if eid is not None:
        if eid in seen_eid:
            row.fail(c.ERR_EXTERNAL_ID_TWICE, "external_id", other=seen_eid[eid])
        seen_eid.setdefault(eid, row.number)
    by_eid = reg.by_eid.get(eid) if eid else None
    by_nik = reg.by_nik.get(p["nik"]) if p["nik"] else None
    if by_eid is not None and by_eid not in reg.visible:
        row.fail(c.ERR_EXTERNAL_ID_UNKNOWN, "external_id")
    elif by_nik is not None and by_nik not in reg.visible:
        row.fail(c.ERR_NIK_TAKEN, "nik")
    elif by_eid is not None and by_nik is not None and by_eid != by_nik:
        row.fail(c.ERR_EXTERNAL_ID_NIK, "nik")
    else:
        row.existing_id = by_eid or by_nik


def _check_family(family: FamilyPlan, reg: _Register) -> None:
    heads = [r for r in family.rows if r.person.get("relationship") == Relationship.HEAD]
    first = heads[0] if heads else family.rows[0]
    family.head = heads[0] if heads else None
    for extra in heads[1:]:
        extra.fail(c.ERR_TWO_HEADS, "hubungan", other=first.number)
    for row in family.rows:
        village, head_village = row.person.get("village_id"), first.person.get("village_id")
        if village and head_village and village != head_village:
            row.fail(c.ERR_FAMILY_DESA, "kode_desa", other=first.number)
    kk = normalise(first.get("no_kk"))
    existing = reg.by_kk.get(kk) if kk else None
    if existing is None:
        members = [reg.family_of.get(r.existing_id) for r in family.rows if r.existing_id]
        existing = next((f for f in members if f is not None), None)
        if existing is not None and kk and reg.families[existing]["kk_number"]:
            # The person is registered in a family with another KK: a move, not a correction of the KK.
            for row in family.rows:
                if row.existing_id:
                    row.fail(c.ERR_OTHER_FAMILY, "no_kk")
            return
    if existing is not None and existing not in reg.visible_families:
        first.fail(c.ERR_REGION_SCOPE, "no_kk")
        existing = None
    family.existing_id = existing
    for row in family.rows:
        if row.existing_id and reg.family_of.get(row.existing_id) not in (None, existing):
            row.fail(c.ERR_OTHER_FAMILY, "no_kk")
    if existing is None and family.head is None:
        first.fail(c.ERR_NO_HEAD, "hubungan")
    head_taken = existing is not None and reg.families[existing]["head_id"] is not None
    if head_taken and family.head is not None and not family.head.existing_id:
        family.head.fail(c.ERR_HEAD_EXISTS, "hubungan")
    reason = first.get("alasan_tanpa_kk").strip()
    if not kk and not reason:
        first.fail(c.ERR_KK_REASON, "alasan_tanpa_kk")
    village = first.person.get("village_id")
    if village is None or any(r.errors for r in family.rows):
        return
    region_id, left = reg.subregion(village, first.get("dusun"), first.get("rw"), first.get("rt"))
    address = ", ".join(part for part in [first.get("alamat").strip(), *left] if part)
    posyandu = None
    if first.get("posyandu"):
        posyandu = reg.posyandu.get(village, {}).get(first.get("posyandu").strip().casefold())
        if posyandu is None:
            first.fail(c.ERR_POSYANDU_UNKNOWN, "posyandu", value=first.get("posyandu"))
    elif reg.scope.posyandu_ids is not None and len(reg.scope.posyandu_ids) == 1:
        posyandu = next(iter(reg.scope.posyandu_ids))
    elif existing is not None:
        # A file without the column keeps the family's posyandu instead of clearing it.
        posyandu = reg.families[existing]["posyandu_id"]
    if posyandu is not None and reg.scope.posyandu_ids is not None and posyandu not in reg.scope.posyandu_ids:
        first.fail(c.ERR_POSYANDU_SCOPE, "posyandu")
    family.values = {
        "kk_number": kk,
        "kk_missing_reason": "" if kk else reason,
        "region_id": region_id,
        "address_text": address[:255],
        "posyandu_id": posyandu,
    }


def _draft(row: Row) -> PersonDraft:
    p = row.person
    row.person_external_id = row.person_external_id or uuid.uuid4()
    return PersonDraft(
        name=p["name"],
        sex=p["sex"],
        birth_date=p["birth_date"],
        relationship=p["relationship"],
        nik=p["nik"] or "",
        nik_missing_reason=p["nik_missing_reason"],
        birth_date_estimated=p["birth_date_estimated"],
        jkn_number=p["jkn_number"],
        ihs_number=p["ihs_number"],
        phone=p["phone"],
        disability=p["disability"],
        external_id=row.person_external_id,
    )


def _plan_family(family: FamilyPlan, reg: _Register, plan: Plan) -> None:
    if family.existing_id is None:
        family_eid = uuid.uuid4()
        for row in family.rows:
            row.outcome, row.family_external_id = RowOutcome.NEW, family_eid
        plan.new_families.append(
            FamilyDraft(
                region_id=family.values["region_id"],
                members=[_draft(r) for r in family.rows],
                kk_number=family.values["kk_number"],
                kk_missing_reason=family.values["kk_missing_reason"],
                address_text=family.values["address_text"],
                posyandu_id=family.values["posyandu_id"],
                external_id=family_eid,
            )
        )
        return
    stored = reg.families[family.existing_id]
    changes = {k: v for k, v in family.values.items() if stored[k] != v}
    if changes:
        plan.family_updates.append((family.existing_id, changes))
    for row in family.rows:
        row.family_external_id = stored["external_id"]
        if row.existing_id is None:
            row.outcome = RowOutcome.NEW
            draft = _draft(row)
            row.person_external_id = None  # `person_register` assigns it at commit
            plan.joins.append((family.existing_id, draft, row))
            continue
        person = reg.persons[row.existing_id]
        row.person_external_id = person["external_id"]
        wanted = {k: row.person[k] for k in PERSON_FIELDS}
        if wanted["nik"]:
            wanted["nik_missing_reason"] = ""
        person_changes = {k: v for k, v in wanted.items() if person[k] != v}
        if person_changes:
            plan.person_updates.append((row.existing_id, person_changes))
        row.outcome = RowOutcome.UPDATED if person_changes else RowOutcome.UNCHANGED
    if changes:
        target = family.head or family.rows[0]
        if target.outcome == RowOutcome.UNCHANGED:
            target.outcome = RowOutcome.UPDATED
