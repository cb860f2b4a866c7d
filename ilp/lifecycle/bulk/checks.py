"""Checking encounter drafts as `encounter_record` does, against rows loaded once per chunk.

Each check mirrors a step of the per-encounter service (`services.common.check_date`/`check_place`,
`services.encounters._clean_observations`/`_clean_services`, `measurements.check`/`zscores`) and reuses its
messages; what differs is where the facts come from (one query per chunk, not per row) and that every
message names the draft ("Encounter 12: ...").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility, FacilityKind
from ilp.lifecycle import measurements as m
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.models import Place, RecorderKind, ServiceGiven, ServiceKind
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
    ERR_DOSE,
    ERR_NOTHING,
    ERR_SERVICE,
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
    # The z-scores (`derive`), then the weight trend's code (`trend.derive_trends`).
    derived: dict[str, float | str] = field(default_factory=dict)


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


def in_chunks(values: Iterable) -> Iterator[list]:
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
        for ids in in_chunks(d.person_id for d in drafts):
            rows = Person.objects.filter(pk__in=ids).values_list("id", "birth_date", "death_date", "sex", "name")
            self.persons.update({pk: rest for pk, *rest in rows})
            if not scope.everything:
                self.person_in_scope.update(
                    Person.objects.filter(scope.household_q(), pk__in=ids).values_list("id", flat=True)
                )
        for ids in in_chunks(d.facility_id for d in drafts if d.facility_id is not None):
            self.facilities.update(Facility.objects.filter(pk__in=ids).values_list("id", "kind"))
            if not scope.everything:
                in_scope = Facility.objects.filter(scope.facility_q(), pk__in=ids).values_list("id", flat=True)
                self.facility_in_scope.update(in_scope)
        anc = {d.person_id for d in drafts if any(s.kind == ServiceKind.ANC for s in d.services)}
        for ids in in_chunks(anc):
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


def _clean_observations(index: int, values: dict[str, object]) -> dict[str, float | str]:
    """`measurements.clean`, with the draft named in the errors."""
    try:
        return m.clean(values)
    except ValidationError as err:
        raise _fail(index, err.message_dict) from None


def _dose(index: int, label: str, dose) -> int | None:
    """A dose or visit number 1-20, or None; anything else is refused naming the service and the draft."""
    if dose is None or dose == "":
        return None
    try:
        number = int(str(dose).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= 20:
        raise _fail(index, {"services": [str(ERR_DOSE) % {"field": label}]})
    return number


def _clean_services(ctx: ChunkContext, index: int, d: EncounterDraft) -> list[tuple[str, str, int | None]]:
    """`services.encounters._clean_services` against the preloaded pregnancies; a service once per encounter."""
    cleaned = []
    for s in d.services:
        if s.kind not in _SERVICE_KINDS:
            raise _fail(index, {"services": [str(ERR_SERVICE) % {"field": s.kind}]})
        label = ServiceKind(s.kind).label
        dose = _dose(index, label, s.dose)
        if s.kind == ServiceKind.ANC and d.person_id not in ctx.pregnant:
            raise _fail(index, {"services": [ERR_ANC_NOT_PREGNANT]})
        item = (s.kind, str(s.code or "").strip(), dose)
        if len(item[1]) > _CODE_MAX:
            raise _fail(index, {"services": [str(ERR_SERVICE_CODE) % {"field": label, "max": _CODE_MAX}]})
        if item in cleaned:
            raise _fail(index, {"services": [str(ERR_SERVICE_TWICE) % {"field": label}]})
        cleaned.append(item)
    return cleaned


def _check_values(index: int, row: Checked) -> None:
    """`measurements.check_values` (ranges, blood pressure, scores) with the draft named in the errors; the
    z-scores are derived per chunk in `derive`."""
    try:
        checked = m.check_values(row.values, age_days=row.age_days)
    except ValidationError as err:
        raise _fail(index, err.message_dict) from None
    row.warnings.extend(checked.warnings)
    row.implausible.update(checked.implausible)


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
        flagged = m.Checked(warnings=row.warnings, implausible=row.implausible, derived=row.derived)
        m.add_zscore_warnings(flagged, row.values)


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
