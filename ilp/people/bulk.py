"""Registering many families at once (imports, the demo population): the rules of `family_register`, set-based.

`families_bulk_register` checks every draft with the same rules as `family_register`/`person_register`
(scope, region level, posyandu, NIK/KK structure and uniqueness, one head, reasons for missing numbers,
birth date) against sets preloaded once per chunk, then writes each chunk with a few bulk inserts and
one audit entry per created row. The whole call is one transaction: any invalid draft rolls back all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilp.core import context
from ilp.core.audit import REDACTED_FIELDS, _plain
from ilp.core.models import AuditAction, AuditEntry
from ilp.core.rows import RowWriter
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.people.identity import check_kk, check_nik, name_keys, normalise, search_key
from ilp.people.models import (
    Disability,
    Family,
    FamilyMembership,
    NikMissingReason,
    Person,
    PersonNameKey,
    Relationship,
    Sex,
)
from ilp.people.services import (
    ERR_BIRTH_FUTURE,
    ERR_KK_REASON,
    ERR_KK_TAKEN,
    ERR_NIK_REASON,
    ERR_NIK_TAKEN,
    ERR_NIK_TAKEN_ELSEWHERE,
    ERR_NO_PERSON_DATA,
    ERR_POSYANDU_OUT_OF_SCOPE,
    ERR_POSYANDU_VILLAGE,
    ERR_READ_ONLY,
    ERR_REGION_LEVEL,
    ERR_REGION_OUT_OF_SCOPE,
    KkWarnings,
    NikWarnings,
)
from ilp.people.services.common import mark_register_changed
from ilp.regions.models import Level, Region

ERR_DRAFT = _("Family %(family)s, person %(person)s: %(message)s")
ERR_DRAFT_FAMILY = _("Family %(family)s: %(message)s")
ERR_ONE_HEAD = _("Relationship: a family has exactly one head of family.")
ERR_NIK_TWICE = _("NIK: appears more than once in this batch.")
ERR_KK_TWICE = _("KK number: appears more than once in this batch.")
ERR_EXTERNAL_ID_TAKEN = _("External id: already used by another record.")
ERR_VALUE = _('%(field)s: invalid value "%(value)s".')
ERR_REQUIRED = _("%(field)s: required.")
ERR_TOO_LONG = _("%(field)s: at most %(max)s characters.")
ERR_NO_MEMBERS = _("Members: a family needs at least its head of family.")

# The `__in` lists stay well under SQLite's 32766 bound parameters and PostgreSQL's planning sweet spot.
LOOKUP_CHUNK = 5000

_SEXES = frozenset(Sex.values)
_RELATIONSHIPS = frozenset(Relationship.values)
_NIK_REASONS = frozenset(NikMissingReason.values)
_DISABILITIES = frozenset(Disability.values) | {""}


@dataclass
class PersonDraft:
    """One person to register; the keywords mirror `person_register`'s."""

    name: str
    sex: str  # "F"/"M"
    birth_date: dt.date
    relationship: str  # a Relationship value
    nik: str = ""
    nik_missing_reason: str = ""
    birth_date_estimated: bool = False
    jkn_number: str = ""
    ihs_number: str = ""
    phone: str = ""
    disability: str = ""
    external_id: uuid.UUID | None = None
    joined_on: dt.date | None = None


@dataclass
class FamilyDraft:
    """One family to register with all its members, the head (relationship "kepala_keluarga") among them."""

    region_id: int
    members: list[PersonDraft]
    kk_number: str = ""
    kk_missing_reason: str = ""
    address_text: str = ""
    posyandu_id: int | None = None
    external_id: uuid.UUID | None = None


@dataclass
class BulkResult:
    """What one call created; the external ids follow the order of the drafts (persons per family)."""

    families: int = 0
    persons: int = 0
    memberships: int = 0
    audit_entries: int = 0
    family_external_ids: list[uuid.UUID] = field(default_factory=list)
    person_external_ids: list[list[uuid.UUID]] = field(default_factory=list)


def _prefix(message, family: int, person: int | None) -> str:
    # Users count from 1; `family_index`/`person_index` on the error stay 0-based for code.
    if person is None:
        return str(ERR_DRAFT_FAMILY) % {"family": family + 1, "message": message}
    return str(ERR_DRAFT) % {"family": family + 1, "person": person + 1, "message": message}


def _tag(err: ValidationError, field_name: str, family: int, person: int | None) -> ValidationError:
    err.family_index, err.person_index, err.field = family, person, field_name
    return err


def _fail(message, *, field_name: str, family: int, person: int | None = None) -> ValidationError:
    """A ValidationError naming the family (0-based index in the call) and the person (0-based in the family)."""
    return _tag(ValidationError({field_name: [_prefix(message, family, person)]}), field_name, family, person)


def _warn(cls, warnings: list[str], *, family: int, person: int | None = None) -> ValidationError:
    return _tag(cls([_prefix(w, family, person) for w in warnings]), cls.field, family, person)


def _chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(model: type[models.Model], column: str, values: Iterable) -> set:
    """Which of `values` are already stored in `model.column`: `= ANY(array)` on PostgreSQL (one parameter,
    where a 5,000-item `IN` list costs more to convert than to run), chunks of `__in` on SQLite."""
    values = {v for v in values if v}
    if not values:
        return set()
    # Sorted by text: comparing UUID objects in Python is ten times slower, and the order only makes chunks stable.
    values = sorted(values, key=str)
    if connection.vendor == "postgresql":
        field = model._meta.get_field(column)
        sql = f'SELECT "{field.column}" FROM "{model._meta.db_table}" WHERE "{field.column}" = ANY(%s)'  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [values])
            return {row[0] for row in cursor.fetchall()}
    found: set = set()
    for chunk in _chunks(values):
        found.update(model.objects.filter(**{f"{column}__in": chunk}).values_list(column, flat=True))
    return found


class _Context:
    """What the checks look up, loaded once per call (regions, posyandu, kecamatan codes)."""

    def __init__(self, scope: AreaScope, *, confirm_warnings: bool):
        self.scope = scope
        self.confirm_warnings = confirm_warnings
        self.today = timezone.localdate()
        self.districts = frozenset(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        self.regions: dict[int, tuple[int, int | None]] = {}
        self.in_scope: set[int] = set()
        self.posyandu: dict[int, tuple[str, int | None]] = {}
        self.default_posyandu = None
        if scope.posyandu_ids is not None and len(scope.posyandu_ids) == 1:
            # A kader's families attend the kader's posyandu unless another is named (as `_posyandu_for`).
            self.default_posyandu = next(iter(scope.posyandu_ids))
        self.nik_seen: set[str] = set()
        self.kk_seen: set[str] = set()
        self.ids_seen: set[uuid.UUID] = set()

    def district_exists(self, code: str) -> bool:
        return code in self.districts

    def load(self, drafts: list[FamilyDraft]) -> None:
        region_ids = {d.region_id for d in drafts} - set(self.regions)
        for chunk in _chunks(sorted(region_ids)):
            rows = Region.objects.filter(pk__in=chunk).values_list("id", "level", "village_id")
            self.regions.update({pk: (level, village) for pk, level, village in rows})
            in_scope = Region.objects.filter(self.scope.region_q(), pk__in=chunk).values_list("id", flat=True)
            self.in_scope.update(in_scope)
        posyandu_ids = {d.posyandu_id for d in drafts if d.posyandu_id} | {self.default_posyandu} - {None}
        posyandu_ids -= set(self.posyandu)
        if posyandu_ids:
            rows = Facility.objects.filter(pk__in=posyandu_ids).values_list("id", "kind", "region__village_id")
            self.posyandu.update({pk: (kind, village) for pk, kind, village in rows})


def _check_text(value: str, model: type[models.Model], name: str, *, family: int, person: int | None) -> str:
    value = (value or "").strip()
    max_length = model._meta.get_field(name).max_length
    if max_length and len(value) > max_length:
        message = str(ERR_TOO_LONG) % {"field": name, "max": max_length}
        raise _fail(message, field_name=name, family=family, person=person)
    return value


def _check_family(ctx: _Context, index: int, draft: FamilyDraft) -> tuple[str, str, int | None]:
    """Scope, region, posyandu and KK of one family draft; returns (kk, kk reason, posyandu id)."""
    if draft.region_id not in ctx.in_scope and not ctx.scope.everything:
        raise _fail(ERR_REGION_OUT_OF_SCOPE, field_name="region", family=index)
    level, village = ctx.regions.get(draft.region_id, (0, None))
    if level < Level.VILLAGE:
        raise _fail(ERR_REGION_LEVEL, field_name="region", family=index)
    posyandu = draft.posyandu_id or ctx.default_posyandu
    if posyandu is not None:
        kind, posyandu_village = ctx.posyandu.get(posyandu, ("", None))
        if kind != FacilityKind.POSYANDU or posyandu_village != village:
            raise _fail(ERR_POSYANDU_VILLAGE, field_name="posyandu", family=index)
        if ctx.scope.posyandu_ids is not None and posyandu not in ctx.scope.posyandu_ids:
            raise _fail(ERR_POSYANDU_OUT_OF_SCOPE, field_name="posyandu", family=index)
    kk = normalise(draft.kk_number)
    reason = _check_text(draft.kk_missing_reason, Family, "kk_missing_reason", family=index, person=None)
    if kk:
        check = check_kk(kk, district_exists=ctx.district_exists)
        if check.errors:
            raise _fail(check.errors[0], field_name="kk_number", family=index)
        if kk in ctx.kk_seen:
            raise _fail(ERR_KK_TWICE, field_name="kk_number", family=index)
        ctx.kk_seen.add(kk)
        reason = ""
        if check.warnings and not ctx.confirm_warnings:
            raise _warn(KkWarnings, check.warnings, family=index)
    elif not reason:
        raise _fail(ERR_KK_REASON, field_name="kk_missing_reason", family=index)
    if not draft.members:
        raise _fail(ERR_NO_MEMBERS, field_name="members", family=index)
    heads = sum(1 for m in draft.members if m.relationship == Relationship.HEAD)
    if heads != 1:
        raise _fail(ERR_ONE_HEAD, field_name="relationship", family=index)
    return kk, reason, posyandu


def _check_person(ctx: _Context, index: int, position: int, draft: PersonDraft) -> tuple[str | None, str, str]:
    """One person draft; returns (nik or None, nik reason, normalised name)."""

    def fail(message, name):
        return _fail(message, field_name=name, family=index, person=position)

    name = " ".join((draft.name or "").split())
    if not name:
        raise fail(str(ERR_REQUIRED) % {"field": "name"}, "name")
    if len(name) > Person._meta.get_field("name").max_length:
        raise fail(str(ERR_TOO_LONG) % {"field": "name", "max": 150}, "name")
    for value, allowed, name_ in (
        (draft.sex, _SEXES, "sex"),
        (draft.relationship, _RELATIONSHIPS, "relationship"),
        (draft.disability, _DISABILITIES, "disability"),
    ):
        if value not in allowed:
            raise fail(str(ERR_VALUE) % {"field": name_, "value": value}, name_)
    for name_ in ("jkn_number", "ihs_number", "phone"):
        _check_text(getattr(draft, name_), Person, name_, family=index, person=position)
    if not isinstance(draft.birth_date, dt.date) or draft.birth_date > ctx.today:
        raise fail(ERR_BIRTH_FUTURE, "birth_date")
    nik = normalise(draft.nik)
    reason = draft.nik_missing_reason
    if nik:
        check = check_nik(
            nik, district_exists=ctx.district_exists, sex=draft.sex, birth_date=draft.birth_date, today=ctx.today
        )
        if check.errors:
            raise fail(check.errors[0], "nik")
        if nik in ctx.nik_seen:
            raise fail(ERR_NIK_TWICE, "nik")
        ctx.nik_seen.add(nik)
        reason = ""
        if check.warnings and not ctx.confirm_warnings:
            raise _warn(NikWarnings, check.warnings, family=index, person=position)
    elif not reason:
        raise fail(ERR_NIK_REASON, "nik_missing_reason")
    elif reason not in _NIK_REASONS:
        raise fail(str(ERR_VALUE) % {"field": "nik_missing_reason", "value": reason}, "nik_missing_reason")
    return nik or None, reason, name


def _check_stored(ctx: _Context, offset: int, drafts: list[FamilyDraft]) -> None:
    """Duplicates against the register: NIK, KK number and given external ids, one query per chunk each."""
    niks = _existing(Person, "nik", (normalise(m.nik) for d in drafts for m in d.members))
    if niks:
        for index, draft in enumerate(drafts, start=offset):
            for position, member in enumerate(draft.members):
                nik = normalise(member.nik)
                if nik in niks:
                    existing = Person.objects.get(nik=nik)
                    visible = ctx.scope.everything or (
                        Person.objects.filter(ctx.scope.household_q(), pk=existing.pk).exists()
                    )
                    message = str(ERR_NIK_TAKEN) % {"name": existing.name} if visible else ERR_NIK_TAKEN_ELSEWHERE
                    raise _fail(message, field_name="nik", family=index, person=position)
    kks = _existing(Family, "kk_number", (normalise(d.kk_number) for d in drafts))
    for index, draft in enumerate(drafts, start=offset):
        if kks and normalise(draft.kk_number) in kks:
            raise _fail(ERR_KK_TAKEN, field_name="kk_number", family=index)
    given = [d.external_id for d in drafts if d.external_id] + [
        m.external_id for d in drafts for m in d.members if m.external_id
    ]
    if given:
        if len(set(given)) != len(given) or ctx.ids_seen.intersection(given):
            raise _fail(ERR_EXTERNAL_ID_TAKEN, field_name="external_id", family=offset)
        ctx.ids_seen.update(given)
        taken = _existing(Family, "external_id", given) | _existing(Person, "external_id", given)
        if taken:
            raise _fail(ERR_EXTERNAL_ID_TAKEN, field_name="external_id", family=offset)


_SKIPPED = frozenset({"created_at", "updated_at", "created_by", "updated_by"})
_RELATIONSHIP_LABELS = dict(Relationship.choices)
# Values `_plain` would return unchanged (most of a row), checked by exact type to skip its isinstance chain.
_JSON_READY = frozenset({str, int, bool, float})


class _Writers:
    """The row writers and, per model, the (field name, attname) pairs an `audit_create` entry lists."""

    def __init__(self):
        self.person = RowWriter(Person)
        self.family = RowWriter(Family)
        self.membership = RowWriter(FamilyMembership)
        self.name_key = RowWriter(PersonNameKey)
        self.audit = RowWriter(AuditEntry)
        self.logged = {
            model: sorted(
                (f.name, f.attname)
                for f in model._meta.concrete_fields
                if f.name not in _SKIPPED and f.name not in REDACTED_FIELDS
            )
            for model in (Person, Family, FamilyMembership)
        }


def _audit_rows(writers: _Writers, model, rows: list[dict], reprs: list[str], who: tuple, now) -> list[dict]:
    """The entries (ids not yet set) `audit_create` writes: `diff(None, snapshot(obj))`, the non-empty values."""
    actor_id, username, ip = who
    fields = writers.logged[model]
    label = model._meta.label_lower
    entries = []
    for row, text in zip(rows, reprs, strict=True):
        changes = {}
        for name, attname in fields:
            value = row[attname]
            if value is not None:
                changes[name] = [None, value if type(value) in _JSON_READY else _plain(value)]
        entries.append(
            writers.audit.values(
                now,
                actor_id=actor_id,
                actor_username=username,
                action=AuditAction.CREATE,
                object_type=label,
                object_id=str(row["external_id"]),
                object_repr=text[:255],
                changes=changes,
                ip_address=ip,
            )
        )
    return entries


def _batches(families: Iterable[FamilyDraft], chunk_size: int) -> Iterator[list[FamilyDraft]]:
    """Families grouped so that a batch holds about `chunk_size` persons."""
    batch: list[FamilyDraft] = []
    persons = 0
    for draft in families:
        batch.append(draft)
        persons += len(draft.members)
        if persons >= chunk_size:
            yield batch
            batch, persons = [], 0
    if batch:
        yield batch


@transaction.atomic
def families_bulk_register(
    *,
    scope: AreaScope,
    families: Iterable[FamilyDraft],
    actor=None,
    confirm_warnings: bool = True,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Register families with their members in one transaction, set-based: all of them or none.

    The rules are `family_register`'s and `person_register`'s; duplicates count against the register
    and within the call. An invalid draft raises `ValidationError` (`NikWarnings`/`KkWarnings` for
    plausibility warnings when `confirm_warnings` is False) carrying `family_index` (0-based position in
    `families`), `person_index` (0-based in its members, None for the family) and `field`.
    Persons and families are written in chunks of about `chunk_size` persons; `progress(n)` is called
    with the number of persons written so far. Each created row gets its `audit_create` entry.
    """
    if not scope.person_level:
        raise PermissionDenied(ERR_NO_PERSON_DATA)
    if not scope.may_write_people:
        raise PermissionDenied(ERR_READ_ONLY)
    ctx = _Context(scope, confirm_warnings=confirm_warnings)
    request = context.current()
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, username = actor.pk, actor.get_username()
    else:
        actor, actor_id, username = None, request.user_id, request.username
    result = BulkResult()
    writers = _Writers()
    offset = 0
    regions: set[int] = set()
    for drafts in _batches(families, chunk_size):
        regions.update(d.region_id for d in drafts)
        ctx.load(drafts)
        _write(ctx, offset, drafts, actor, (actor_id, username, request.ip_address), result, writers)
        offset += len(drafts)
        if progress is not None:
            progress(result.persons)
    mark_register_changed(*regions)
    return result


def _write(
    ctx: _Context, offset: int, drafts: list[FamilyDraft], actor, who: tuple, result: BulkResult, writers: _Writers
) -> None:
    checked = []
    for index, draft in enumerate(drafts, start=offset):
        family = _check_family(ctx, index, draft)
        persons = [_check_person(ctx, index, position, m) for position, m in enumerate(draft.members)]
        checked.append((family, persons))
    _check_stored(ctx, offset, drafts)
    now = timezone.now()
    actor_id = who[0]
    persons_total = sum(len(d.members) for d in drafts)
    person_ids = iter(writers.person.reserve_ids(persons_total))
    family_ids = iter(writers.family.reserve_ids(len(drafts)))
    membership_ids = iter(writers.membership.reserve_ids(persons_total))
    person_rows, family_rows, membership_rows = [], [], []
    person_reprs, family_reprs, membership_reprs = [], [], []
    today = ctx.today
    for draft, ((kk, kk_reason, posyandu_id), persons) in zip(drafts, checked, strict=True):
        family_id = next(family_ids)
        head_id = None
        external_ids = []
        for m, (nik, reason, name) in zip(draft.members, persons, strict=True):
            person = writers.person.values(
                now,
                id=next(person_ids),
                nik=nik,
                nik_missing_reason=reason,
                name=name,
                name_search=search_key(name),
                sex=m.sex,
                birth_date=m.birth_date,
                birth_date_estimated=bool(m.birth_date_estimated),
                jkn_number=m.jkn_number.strip(),
                ihs_number=m.ihs_number.strip(),
                phone=m.phone.strip(),
                disability=m.disability,
                region_id=draft.region_id,
                posyandu_id=posyandu_id,
                created_by_id=actor_id,
                updated_by_id=actor_id,
                **({"external_id": m.external_id} if m.external_id else {}),
            )
            if m.relationship == Relationship.HEAD:
                head_id = person["id"]
            person_rows.append(person)
            person_reprs.append(name)
            external_ids.append(person["external_id"])
            membership_rows.append(
                writers.membership.values(
                    now,
                    id=next(membership_ids),
                    family_id=family_id,
                    person_id=person["id"],
                    relationship=m.relationship,
                    start_date=m.joined_on or today,
                    created_by_id=actor_id,
                    updated_by_id=actor_id,
                )
            )
            membership_reprs.append(f"{name} ({_RELATIONSHIP_LABELS[m.relationship]})")
        # The head is known before the family row exists, so the family is written with its head at once
        # (the end state of `family_register`'s insert-then-update, without an UPDATE per family).
        family = writers.family.values(
            now,
            id=family_id,
            kk_number=kk,
            kk_missing_reason=kk_reason,
            region_id=draft.region_id,
            address_text=draft.address_text.strip()[:255],
            posyandu_id=posyandu_id,
            head_id=head_id,
            created_by_id=actor_id,
            updated_by_id=actor_id,
            **({"external_id": draft.external_id} if draft.external_id else {}),
        )
        family_rows.append(family)
        family_reprs.append(kk or f"{_('family')} {family['external_id']}")
        result.person_external_ids.append(external_ids)
        result.family_external_ids.append(family["external_id"])
    writers.person.insert(person_rows)
    keys = [(p["id"], key) for p in person_rows for key in name_keys(p["name_search"])]
    writers.name_key.insert(
        {"id": pk, "person_id": person_id, "key": key}
        for (person_id, key), pk in zip(keys, writers.name_key.reserve_ids(len(keys)), strict=True)
    )
    writers.family.insert(family_rows)
    writers.membership.insert(membership_rows)
    entries = _audit_rows(writers, Family, family_rows, family_reprs, who, now)
    entries += _audit_rows(writers, Person, person_rows, person_reprs, who, now)
    entries += _audit_rows(writers, FamilyMembership, membership_rows, membership_reprs, who, now)
    for entry, pk in zip(entries, writers.audit.reserve_ids(len(entries)), strict=True):
        entry["id"] = pk
    writers.audit.insert(entries)
    result.families += len(family_rows)
    result.persons += len(person_rows)
    result.memberships += len(membership_rows)
    result.audit_entries += len(entries)
