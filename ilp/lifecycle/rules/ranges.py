"""Plausibility ranges for every observation the platform records.

Each observation kind has, per age band, a **hard** range (outside it the value cannot be a real
measurement: refuse it) and a narrower **plausible** range (outside it the value is possible but rare:
ask the user to confirm). The table lives in ``data/ranges.json`` with a one-line rationale per row;
children's bands are set beyond the WHO Child Growth Standards 2006 / WHO Reference 2007 extremes
(WHO treats |z| beyond 5-6 SD as biologically implausible; exact z-score flags belong to the growth
rules), adults' rows follow clinical limits and recorded human extremes.

This module also holds what the screening modules share: ``coerce_sex`` (accepts ``common.Sex`` or its
FHIR AdministrativeGender string "male"/"female") and ``InvalidRuleInput``, the ``ValueError`` whose
message is a field code.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from ilp.lifecycle.rules.common import Sex


class InvalidRuleInput(ValueError):
    """A rule refused an input; ``str(error)`` and ``error.field`` are the field code (e.g. ``adl.transfer``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


_SEXES = {sex.value: sex for sex in Sex}


def coerce_sex(sex: Sex | str, *, field: str = "sex") -> Sex:
    """Accept a ``Sex`` or its string value; refuse anything else with the field code."""
    # A dict lookup, not `Sex(sex)`: the due-services rules call this for every adult (bench/due_services.py).
    try:
        return _SEXES[sex]
    except (KeyError, TypeError):
        raise InvalidRuleInput(field) from None


def require_number(value: Any, *, field: str) -> float:
    """Refuse booleans, non-numbers and NaN/infinity, which would silently compare wrongly."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRuleInput(field)
    return float(value)


class ObservationKind(StrEnum):
    WEIGHT_KG = "weight_kg"
    LENGTH_HEIGHT_CM = "length_height_cm"
    HEAD_CIRCUMFERENCE_CM = "head_circumference_cm"
    MUAC_CM = "muac_cm"
    WAIST_CM = "waist_cm"
    SYSTOLIC_MMHG = "systolic_mmhg"
    DIASTOLIC_MMHG = "diastolic_mmhg"
    PULSE_BPM = "pulse_bpm"
    HAEMOGLOBIN_G_DL = "haemoglobin_g_dl"
    GLUCOSE_RANDOM_MG_DL = "glucose_random_mg_dl"
    GLUCOSE_FASTING_MG_DL = "glucose_fasting_mg_dl"
    HBA1C_PERCENT = "hba1c_percent"
    TEMPERATURE_C = "temperature_c"
    GESTATIONAL_AGE_WEEKS = "gestational_age_weeks"
    BMI_KG_M2 = "bmi_kg_m2"


class RangeStatus(StrEnum):
    OK = "ok"
    IMPLAUSIBLE = "implausible"
    IMPOSSIBLE = "impossible"


_SEVERITY = {RangeStatus.OK: 0, RangeStatus.IMPLAUSIBLE: 1, RangeStatus.IMPOSSIBLE: 2}


@dataclass(frozen=True)
class RangeRow:
    kind: ObservationKind
    band: str | None
    age_min_days: int | None
    age_max_days: int | None
    hard_min: float
    hard_max: float
    plausible_min: float
    plausible_max: float
    why: str


@dataclass(frozen=True)
class RangeResult:
    kind: ObservationKind
    value: float
    status: RangeStatus
    hard_min: float
    hard_max: float
    plausible_min: float
    plausible_max: float
    band: str | None


def _load_table() -> tuple[dict[ObservationKind, tuple[RangeRow, ...]], str]:
    raw = json.loads(resources.files(__package__).joinpath("data/ranges.json").read_text(encoding="utf-8"))
    bands = raw["age_bands_days"]
    table: dict[ObservationKind, list[RangeRow]] = {}
    for row in raw["rows"]:
        lo, hi = bands[row["band"]] if row["band"] else (None, None)
        kind = ObservationKind(row["kind"])
        table.setdefault(kind, []).append(
            RangeRow(kind, row["band"], lo, hi, *map(float, row["hard"]), *map(float, row["plausible"]), row["why"])
        )
    return {kind: tuple(rows) for kind, rows in table.items()}, raw["version"]


RANGE_TABLE, RANGE_TABLE_VERSION = _load_table()


def range_row(kind: ObservationKind | str, *, age_days: int | None = None) -> RangeRow:
    """The row used for ``kind`` at ``age_days``: the matching age band, else the any-age row."""
    rows = RANGE_TABLE[ObservationKind(kind)]
    if age_days is not None:
        for row in rows:
            if row.band and row.age_min_days <= age_days and (row.age_max_days is None or age_days < row.age_max_days):
                return row
    return next(row for row in rows if row.band is None)


def check_value(
    kind: ObservationKind | str, value: float, *, age_days: int | None = None, sex: Sex | str | None = None
) -> RangeResult:
    """Classify one measurement as ``ok``, ``implausible`` (confirm) or ``impossible`` (refuse).

    Source: the ILP platform's plausibility table ``data/ranges.json`` (rationale per row: WHO Child
    Growth Standards 2006 / WHO Reference 2007 extremes for children, clinical and recorded human
    limits for adults). Bounds are inclusive. NaN, infinity and booleans are impossible. ``sex`` is
    validated and reserved: no row differs by sex yet. A negative ``age_days`` is refused.
    """
    kind = ObservationKind(kind)
    if sex is not None:
        coerce_sex(sex)
    if age_days is not None and (isinstance(age_days, bool) or not isinstance(age_days, int) or age_days < 0):
        raise InvalidRuleInput("age_days")
    row = range_row(kind, age_days=age_days)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        status, number = RangeStatus.IMPOSSIBLE, float("nan")
    else:
        number = float(value)
        if not row.hard_min <= number <= row.hard_max:
            status = RangeStatus.IMPOSSIBLE
        elif not row.plausible_min <= number <= row.plausible_max:
            status = RangeStatus.IMPLAUSIBLE
        else:
            status = RangeStatus.OK
    return RangeResult(kind, number, status, row.hard_min, row.hard_max, row.plausible_min, row.plausible_max, row.band)


# The any-age hard range of each kind: what `check_value` tests without an age, looked up once per call of
# the rules instead of through a full `RangeResult` (the due-services rules check every stored value).
_HARD = {kind: (row.hard_min, row.hard_max) for kind, rows in RANGE_TABLE.items() for row in rows if row.band is None}


def _impossible(kind: ObservationKind | str, value: Any) -> bool:
    """Whether `check_value(kind, value)` (no age) would say ``impossible``."""
    hard = _HARD.get(kind)
    if hard is None:
        hard = _HARD[ObservationKind(kind)]  # an unknown kind raises ValueError, as in check_value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return True
    return not hard[0] <= value <= hard[1]


def require_possible(kind: ObservationKind | str, value: float, *, field: str) -> float:
    """Return ``value`` as a float, or raise ``InvalidRuleInput(field)`` if it is not a number or impossible."""
    number = require_number(value, field=field)
    if _impossible(kind, number):
        raise InvalidRuleInput(field)
    return number


# A pulse pressure this narrow is nearly always a transposed or mistyped reading.
MIN_PLAUSIBLE_PULSE_PRESSURE_MMHG = 10


class BloodPressureIssue(StrEnum):
    DIASTOLIC_NOT_BELOW_SYSTOLIC = "diastolic_not_below_systolic"
    NARROW_PULSE_PRESSURE = "narrow_pulse_pressure"


@dataclass(frozen=True)
class BloodPressureCheck:
    status: RangeStatus
    systolic: RangeResult
    diastolic: RangeResult
    issue: BloodPressureIssue | None


def check_blood_pressure(systolic: float, diastolic: float, *, age_days: int | None = None) -> BloodPressureCheck:
    """Check a blood-pressure pair: each value against its range, then the pair itself.

    Source: ``data/ranges.json`` rows ``systolic_mmhg``/``diastolic_mmhg``; a diastolic at or above the
    systolic is physically impossible for a cuff reading (refuse), a pulse pressure below
    ``MIN_PLAUSIBLE_PULSE_PRESSURE_MMHG`` is implausible (confirm). The worst status wins.
    """
    sys_result = check_value(ObservationKind.SYSTOLIC_MMHG, systolic, age_days=age_days)
    dia_result = check_value(ObservationKind.DIASTOLIC_MMHG, diastolic, age_days=age_days)
    status = max(sys_result.status, dia_result.status, key=_SEVERITY.__getitem__)
    issue = None
    if RangeStatus.IMPOSSIBLE not in (sys_result.status, dia_result.status):
        if dia_result.value >= sys_result.value:
            status, issue = RangeStatus.IMPOSSIBLE, BloodPressureIssue.DIASTOLIC_NOT_BELOW_SYSTOLIC
        elif sys_result.value - dia_result.value < MIN_PLAUSIBLE_PULSE_PRESSURE_MMHG:
            status = max(status, RangeStatus.IMPLAUSIBLE, key=_SEVERITY.__getitem__)
            issue = BloodPressureIssue.NARROW_PULSE_PRESSURE
    return BloodPressureCheck(status, sys_result, dia_result, issue)


def require_possible_blood_pressure(*, systolic: float, diastolic: float) -> None:
    """Raise ``InvalidRuleInput`` (``systolic``, ``diastolic`` or ``blood_pressure``) for an impossible pair:
    what `check_blood_pressure` refuses, without building its results."""
    if _impossible(ObservationKind.SYSTOLIC_MMHG, systolic):
        raise InvalidRuleInput("systolic")
    if _impossible(ObservationKind.DIASTOLIC_MMHG, diastolic):
        raise InvalidRuleInput("diastolic")
    if diastolic >= systolic:
        raise InvalidRuleInput("blood_pressure")
