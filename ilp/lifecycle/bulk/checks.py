"""Checking encounter drafts as `encounter_record` does, against rows loaded once per chunk.

Each check mirrors a step of the per-encounter service (`services.common.check_date`/`check_place`,
`services.encounters._clean_observations`/`_clean_services`, `measurements.check`/`zscores`) and reuses its
messages; what differs is where the facts come from (one query per chunk, not per row) and that every
message names the draft ("Encounter 12: ...").
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.lifecycle import measurements as m
from ilp.lifecycle.models import CODED_KINDS, DERIVED_KINDS, Place, RecorderKind, ServiceGiven, ServiceKind
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.rules import ranges
from ilp.lifecycle.rules.growth.zscore import MEASURE_HEIGHT, MEASURE_LENGTH, MEASURE_UNKNOWN, compute_zscores
from ilp.lifecycle.services.common import (
    ERR_DATE_AFTER_DEATH,
    ERR_DATE_BEFORE_BIRTH,
    ERR_DATE_FUTURE,
    ERR_FACILITY_KIND,
    ERR_FACILITY_OUT_OF_SCOPE,
    ERR_FACILITY_REQUIRED,
    ERR_KADER_PLACE,
    NETWORK_KINDS,
    PLACE_FACILITY_KIND,
)
from ilp.lifecycle.services.encounters import (
    ERR_ANC_NOT_PREGNANT,
    ERR_CODE,
    ERR_DERIVED,
    ERR_DOSE,
    ERR_NOTHING,
    ERR_NUMBER,
    ERR_SERVICE,
    ERR_UNKNOWN,
    ServiceInput,
)
from ilp.people.identity import SEX_FEMALE
from ilp.people.models import Person, Pregnancy
from ilp.people.services import ERR_PERSON_OUT_OF_SCOPE

ERR_DRAFT = _("Encounter %(index)s: %(message)s")
ERR_DATE_REQUIRED = _("Date: enter a date.")
ERR_PLACE = _('Place: "%(value)s" is not a place of service.')
ERR_RECORDER = _('Recorded by: "%(value)s" is neither kader nor nakes.')
ERR_SERVICE_TWICE = _("%(field)s: recorded twice in one encounter.")
ERR_SERVICE_CODE = _("%(field)s: the code is at most %(max)s characters.")

# The `__in` lists stay well under SQLite's bound-parameter limit.
LOOKUP_CHUNK = 5000
_KINDS = frozenset(K.values)
_PLACES = frozenset(Place.values)
_RECORDERS = frozenset(RecorderKind.values)
_SERVICE_KINDS = frozenset(ServiceKind.values)
_MEASURED = (K.WEIGHT, K.LENGTH_HEIGHT, K.HEAD_CIRCUMFERENCE, K.MUAC)
_MEASURES = {"L": MEASURE_LENGTH, "H": MEASURE_HEIGHT}
_CODE_MAX = ServiceGiven._meta.get_field("code").max_length


@dataclass
class EncounterDraft:
    """One encounter to record; the keywords mirror `encounter_record`'s, with ids for person and facility.

    `recorder_kind` ("kader"/"nakes") says who recorded it when the importing user did not (a posyandu
    register typed in at the puskesmas); empty means the actor's own kind. A kader actor records as kader.
    """

    person_id: int
    date: dt.date
    place: str
    facility_id: int | None = None
    observations: dict[str, object] = field(default_factory=dict)
    services: list[ServiceInput] = field(default_factory=list)
    note: str = ""
    confirm_implausible: bool = False
    recorder_kind: str = ""


@dataclass(slots=True)
class Checked:
    draft: EncounterDraft
    recorder: str
    age_days: int
    sex: str
    name: str
    values: dict[str, float | str]
    services: list[tuple[str, str, int | None]]
    warnings: list[tuple[str, str]] = field(default_factory=list)
    implausible: set[str] = field(default_factory=set)
    derived: dict[str, float] = field(default_factory=dict)


def prefixed(index: int, message) -> str:
    """The message naming the draft, counted from 1 as users count."""
    return str(ERR_DRAFT) % {"index": index + 1, "message": message}


def _fail(index: int, errors: dict[str, list]) -> ValidationError:
    """A ValidationError whose messages name the draft, with `draft_index` (0-based) and `field` for code."""
    err = ValidationError({f: [prefixed(index, msg) for msg in msgs] for f, msgs in errors.items()})
    err.draft_index, err.field = index, next(iter(errors))
    return err


def _label(kind: str) -> str:
    return str(K(kind).label) if kind in _KINDS else kind


def _in_chunks(values: Iterable) -> Iterator[list]:
    values = sorted({v for v in values if isinstance(v, int)})
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


class ChunkContext:
    """Persons, facilities and ongoing pregnancies of one chunk, with what the scope lets the caller write."""

    def __init__(self, scope: AreaScope, drafts: list[EncounterDraft]):
        self.scope = scope
        self.persons: dict[int, tuple] = {}
        self.person_in_scope: set[int] = set()
        self.facilities: dict[int, str] = {}
        self.facility_in_scope: set[int] = set()
        self.pregnant: set[int] = set()
        for ids in _in_chunks(d.person_id for d in drafts):
            rows = Person.objects.filter(pk__in=ids).values_list("id", "birth_date", "death_date", "sex", "name")
            self.persons.update({pk: rest for pk, *rest in rows})
            if not scope.everything:
                self.person_in_scope.update(
                    Person.objects.filter(scope.household_q(), pk__in=ids).values_list("id", flat=True)
                )
        for ids in _in_chunks(d.facility_id for d in drafts if d.facility_id is not None):
            self.facilities.update(Facility.objects.filter(pk__in=ids).values_list("id", "kind"))
            if not scope.everything:
                in_scope = Facility.objects.filter(scope.facility_q(), pk__in=ids).values_list("id", flat=True)
                self.facility_in_scope.update(in_scope)
        anc = {d.person_id for d in drafts if any(s.kind == ServiceKind.ANC for s in d.services)}
        for ids in _in_chunks(anc):
            ongoing = Pregnancy.objects.filter(person_id__in=ids, ended_on__isnull=True)
            self.pregnant.update(ongoing.values_list("person_id", flat=True))


def _check_place(ctx: ChunkContext, index: int, d: EncounterDraft, kader: bool) -> None:
    """`services.common.check_place` against the preloaded facilities."""
    place, facility = d.place, d.facility_id
    if place not in _PLACES:
        raise _fail(index, {"place": [str(ERR_PLACE) % {"value": place}]})
    if kader and place not in (Place.POSYANDU, Place.HOME):
        raise _fail(index, {"place": [ERR_KADER_PLACE]})
    kind = PLACE_FACILITY_KIND.get(place)
    if kind is not None and facility is None:
        raise _fail(index, {"facility": [str(ERR_FACILITY_REQUIRED) % {"kind": FacilityKind(kind).label}]})
    if facility is None:
        return
    facility_kind = ctx.facilities.get(facility)
    if facility_kind is None:
        raise _fail(index, {"facility": [ERR_FACILITY_OUT_OF_SCOPE]})
    fits = facility_kind == kind if kind is not None else place == Place.NETWORK and facility_kind in NETWORK_KINDS
    if not fits:
        raise _fail(index, {"facility": [str(ERR_FACILITY_KIND) % {"place": Place(place).label}]})
    scope = ctx.scope
    if not scope.everything and facility not in ctx.facility_in_scope:
        raise _fail(index, {"facility": [ERR_FACILITY_OUT_OF_SCOPE]})
    if kader and scope.posyandu_ids is not None and facility not in scope.posyandu_ids:
        raise _fail(index, {"facility": [ERR_FACILITY_OUT_OF_SCOPE]})


def _number(index: int, kind: str, value) -> float:
    kind_of = type(value)
    if kind_of is float or kind_of is int:
        return float(value)
    if kind_of is bool:
        raise _fail(index, {kind: [str(ERR_NUMBER) % {"field": _label(kind)}]})
    if isinstance(value, int | float | Decimal):
        return float(value)
    try:
        return float(Decimal(str(value).strip().replace(",", ".")))
    except (InvalidOperation, ValueError):
        raise _fail(index, {kind: [str(ERR_NUMBER) % {"field": _label(kind)}]}) from None


def _clean_observations(index: int, values: dict[str, object]) -> dict[str, float | str]:
    """`services.encounters._clean_observations`, with the draft named in the errors."""
    cleaned: dict[str, float | str] = {}
    for kind, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if kind not in _KINDS:
            raise _fail(index, {kind: [str(ERR_UNKNOWN) % {"field": kind}]})
        if kind in DERIVED_KINDS:
            raise _fail(index, {kind: [str(ERR_DERIVED) % {"field": _label(kind)}]})
        if kind == K.SKILAS:
            try:
                cleaned[kind] = m.skilas_code(str(value))
            except ValidationError as err:
                raise _fail(index, err.message_dict) from None
        elif kind in CODED_KINDS:
            code = str(value).strip()
            allowed = m.CODES[kind]
            if code not in allowed:
                args = {"field": _label(kind), "value": code, "allowed": ", ".join(sorted(allowed))}
                raise _fail(index, {kind: [str(ERR_CODE) % args]})
            cleaned[kind] = code
        else:
            cleaned[kind] = _number(index, kind, value)
    return cleaned


def _clean_services(ctx: ChunkContext, index: int, d: EncounterDraft) -> list[tuple[str, str, int | None]]:
    """`services.encounters._clean_services` against the preloaded pregnancies; a service once per encounter."""
    cleaned = []
    for s in d.services:
        if s.kind not in _SERVICE_KINDS:
            raise _fail(index, {"services": [str(ERR_SERVICE) % {"field": s.kind}]})
        label = ServiceKind(s.kind).label
        if s.dose is not None and not 1 <= int(s.dose) <= 20:
            raise _fail(index, {"services": [str(ERR_DOSE) % {"field": label}]})
        if s.kind == ServiceKind.ANC and d.person_id not in ctx.pregnant:
            raise _fail(index, {"services": [ERR_ANC_NOT_PREGNANT]})
        item = (s.kind, s.code.strip(), int(s.dose) if s.dose else None)
        if len(item[1]) > _CODE_MAX:
            raise _fail(index, {"services": [str(ERR_SERVICE_CODE) % {"field": label, "max": _CODE_MAX}]})
        if item in cleaned:
            raise _fail(index, {"services": [str(ERR_SERVICE_TWICE) % {"field": label}]})
        cleaned.append(item)
    return cleaned


_BAND_STARTS = sorted({r.age_min_days for rows in ranges.RANGE_TABLE.values() for r in rows if r.band})


@functools.cache
def _range_row(kind: str, band: int) -> ranges.RangeRow:
    return ranges.range_row(kind, age_days=_BAND_STARTS[band - 1] if band else None)


def _check_values(index: int, row: Checked) -> None:
    """`measurements.check` without the z-scores (derived per chunk): refuse impossible values, collect the
    unusual ones as warnings."""
    values, errors = row.values, {}
    band = bisect.bisect_right(_BAND_STARTS, row.age_days)
    for kind, value in values.items():
        if kind in m.SCORE_RANGES:
            low, high = m.SCORE_RANGES[kind]
            if not math.isfinite(value) or value != int(value) or not low <= value <= high:
                args = {"field": _label(kind), "value": m._fmt(value), "low": low, "high": high}
                errors.setdefault(kind, []).append(str(m.ERR_IMPOSSIBLE) % args)
            continue
        if kind not in m.RANGED:
            continue
        r = _range_row(kind, band)
        if not math.isfinite(value) or not r.hard_min <= value <= r.hard_max:
            args = {
                "field": _label(kind),
                "value": m._fmt(value),
                "low": m._fmt(r.hard_min),
                "high": m._fmt(r.hard_max),
            }
            errors.setdefault(kind, []).append(str(m.ERR_IMPOSSIBLE) % args)
        elif not r.plausible_min <= value <= r.plausible_max:
            low, high = m._fmt(r.plausible_min), m._fmt(r.plausible_max)
            args = {"field": _label(kind), "value": m._fmt(value), "low": low, "high": high}
            row.warnings.append((kind, str(m.WARN_IMPLAUSIBLE) % args))
            row.implausible.add(kind)
    if not errors and K.SYSTOLIC in values and K.DIASTOLIC in values:
        systolic, diastolic = values[K.SYSTOLIC], values[K.DIASTOLIC]
        if diastolic >= systolic:
            errors[K.DIASTOLIC] = [str(m.ERR_BP_ORDER)]
        elif systolic - diastolic < ranges.MIN_PLAUSIBLE_PULSE_PRESSURE_MMHG:
            row.warnings.append((K.DIASTOLIC, str(m.WARN_BP_NARROW)))
            row.implausible.update({K.SYSTOLIC, K.DIASTOLIC})
    if errors:
        raise _fail(index, errors)


def derive(rows: list[Checked]) -> None:
    """The WHO z-scores of every child in the chunk at once (`measurements.zscores`, vectorised), and the
    warnings `measurements.check` raises for z-scores beyond WHO's biologically implausible limits."""
    young = [r for r in rows if r.age_days <= m.ZSCORE_MAX_AGE_DAYS and any(k in r.values for k in _MEASURED)]
    if not young:
        return
    n = len(young)

    def column(kind):
        return np.fromiter((r.values.get(kind, math.nan) for r in young), np.float64, n)

    result = compute_zscores(
        sex=np.fromiter((2 if r.sex == SEX_FEMALE else 1 for r in young), np.float64, n),
        age_days=np.fromiter((r.age_days for r in young), np.float64, n),
        weight_kg=column(K.WEIGHT),
        lenhei_cm=column(K.LENGTH_HEIGHT),
        measure=np.fromiter((_MEASURES.get(r.values.get(K.MEASURE, ""), MEASURE_UNKNOWN) for r in young), np.int8, n),
        headc_cm=column(K.HEAD_CIRCUMFERENCE),
        muac_cm=column(K.MUAC),
        oedema=np.fromiter((r.values.get(K.OEDEMA) == "y" for r in young), np.bool_, n),
    )
    kinds = [m.ZSCORE_KINDS[key] for key in result if key in m.ZSCORE_KINDS]
    matrix = np.column_stack([result[key] for key in result if key in m.ZSCORE_KINDS]).tolist()
    for row, zs in zip(young, matrix, strict=True):
        row.derived = {kind: z for kind, z in zip(kinds, zs, strict=True) if z == z}  # NaN: not defined
        for kind, z in row.derived.items():
            low, high = m.ZSCORE_FLAG_LIMITS[kind]
            if not low <= z <= high:
                source = m.ZSCORE_SOURCES[kind]
                shown = row.values.get(source, "")
                args = {"field": _label(source), "value": m._fmt(shown) if shown != "" else "", "z": z}
                message = str(m.WARN_ZSCORE) % args
                if (source, message) not in row.warnings:
                    row.warnings.append((source, message))
                row.implausible.add(source)


def check(ctx: ChunkContext, index: int, d: EncounterDraft, actor_kind: str, today: dt.date) -> Checked:
    """One draft, in `encounter_record`'s order: scope, date, place, observations, services, values."""
    person = ctx.persons.get(d.person_id)
    if person is None or not (ctx.scope.everything or d.person_id in ctx.person_in_scope):
        raise _fail(index, {"person": [ERR_PERSON_OUT_OF_SCOPE]})
    birth, death, sex, name = person
    on = d.date
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise _fail(index, {"date": [ERR_DATE_REQUIRED]})
    if on > today:
        raise _fail(index, {"date": [ERR_DATE_FUTURE]})
    if on < birth:
        raise _fail(index, {"date": [str(ERR_DATE_BEFORE_BIRTH) % {"birth": birth.isoformat()}]})
    if death is not None and on > death:
        raise _fail(index, {"date": [str(ERR_DATE_AFTER_DEATH) % {"death": death.isoformat()}]})
    recorder = actor_kind if actor_kind == RecorderKind.KADER else (d.recorder_kind or actor_kind)
    if recorder not in _RECORDERS:
        raise _fail(index, {"recorder_kind": [str(ERR_RECORDER) % {"value": recorder}]})
    _check_place(ctx, index, d, kader=recorder == RecorderKind.KADER)
    values = _clean_observations(index, d.observations)
    services = _clean_services(ctx, index, d)
    if not values and not services:
        raise _fail(index, {"observations": [ERR_NOTHING]})
    row = Checked(d, recorder, (on - birth).days, sex, name, values, services)
    _check_values(index, row)
    return row
