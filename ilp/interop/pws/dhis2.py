"""DHIS2 aggregate export: the monthly cells as a `dataValueSets` payload, through a mapping file.

The mapping file (JSON; see docs/dhis2-mapping.example.json) names, per indicator, the DHIS2 data
elements of its numerator and its denominator, and per area code the organisation unit:

    {"categoryOptionCombo": "<uid>", "attributeOptionCombo": "<uid>" (optional),
     "dataElements": {"<indicator code>": {"numerator": "<uid>", "denominator": "<uid>"}},
     "orgUnits": {"<area code>": "<uid>"}}

Top-level keys starting with `_` are comments. Only monthly cells are sent: DHIS2 sums the months
itself, and a year-to-date value stored under a month would be counted twice.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from django.utils.translation import gettext as _

from ilp.indicators.cells import Cell

# DHIS2's CodeGenerator: 11 characters, a letter first, then letters or digits.
UID_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{10}")
_KEYS = frozenset({"categoryOptionCombo", "attributeOptionCombo", "dataElements", "orgUnits"})


@dataclass(frozen=True)
class DataElementPair:
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Dhis2Mapping:
    category_option_combo: str
    data_elements: Mapping[str, DataElementPair]  # indicator code -> its two data elements
    org_units: Mapping[str, str]  # area code -> organisation unit uid
    attribute_option_combo: str | None = None


def _uid(value, where: str) -> str:
    if not isinstance(value, str) or not UID_RE.fullmatch(value):
        raise ValueError(
            f"DHIS2 mapping: {where} is {value!r}, not a DHIS2 uid (11 characters: a letter, then letters or digits)"
        )
    return value


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"DHIS2 mapping: {where} must be a JSON object, got {type(value).__name__}")
    return value


def _read(data: dict | str | Path) -> dict:
    if isinstance(data, dict):
        return data
    if isinstance(data, str) and data.lstrip().startswith("{"):
        text, origin = data, "the given text"
    else:
        path = Path(data)
        text, origin = path.read_text(encoding="utf-8"), str(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"DHIS2 mapping: {origin} is not valid JSON: {e}") from e


def load_dhis2_mapping(data: dict | str | Path) -> Dhis2Mapping:
    """Read and validate a mapping: a parsed dict, JSON text (starting with `{`), or a path to a JSON file.

    Raises ValueError naming the offending key: unknown top-level keys, a missing or malformed uid,
    or a data element or organisation unit used twice (their values would overwrite each other).
    """
    raw = _object(_read(data), "the mapping")
    unknown = sorted(k for k in raw if k not in _KEYS and not str(k).startswith("_"))
    if unknown:
        raise ValueError(f"DHIS2 mapping: unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(_KEYS))}")
    coc = _uid(raw.get("categoryOptionCombo"), "categoryOptionCombo")
    aoc = raw.get("attributeOptionCombo")
    if aoc is not None:
        _uid(aoc, "attributeOptionCombo")

    elements: dict[str, DataElementPair] = {}
    used: dict[str, str] = {}
    for code, pair in _object(raw.get("dataElements"), "dataElements").items():
        where = f'dataElements["{code}"]'
        pair = _object(pair, where)
        extra = sorted(set(pair) - {"numerator", "denominator"})
        if extra:
            raise ValueError(f"DHIS2 mapping: {where} has unknown key(s) {', '.join(extra)}")
        for part in ("numerator", "denominator"):
            uid = _uid(pair.get(part), f"{where}.{part}")
            if uid in used:
                raise ValueError(f"DHIS2 mapping: {where}.{part} reuses data element {uid} of {used[uid]}")
            used[uid] = f"{where}.{part}"
        elements[code] = DataElementPair(numerator=pair["numerator"], denominator=pair["denominator"])

    org_units: dict[str, str] = {}
    seen_units: dict[str, str] = {}
    for code, uid in _object(raw.get("orgUnits"), "orgUnits").items():
        where = f'orgUnits["{code}"]'
        _uid(uid, where)
        if uid in seen_units:
            raise ValueError(f"DHIS2 mapping: {where} reuses organisation unit {uid} of {seen_units[uid]}")
        seen_units[uid] = where
        org_units[code] = uid
    return Dhis2Mapping(
        category_option_combo=coc,
        data_elements=MappingProxyType(elements),
        org_units=MappingProxyType(org_units),
        attribute_option_combo=aoc,
    )


@dataclass
class _Skipped:
    """What `data_value_sets` left out, grouped so that each cause is one note."""

    cumulative: int = 0
    no_elements: Counter[str] = field(default_factory=Counter)
    no_unit: Counter[tuple[str, str]] = field(default_factory=Counter)
    no_denominator: dict[tuple[str, str, str], list[dt.date]] = field(default_factory=dict)
    repeated: Counter[tuple[str, str, dt.date]] = field(default_factory=Counter)

    def notes(self) -> list[str]:
        notes: list[str] = []
        if self.cumulative:
            notes.append(
                _("%(count)d year-to-date cell(s) not sent: DHIS2 adds up the monthly values itself.")
                % {"count": self.cumulative}
            )
        for code, count in self.no_elements.items():
            notes.append(
                _("Indicator %(code)s has no DHIS2 data elements in the mapping: %(count)d cell(s) not sent.")
                % {"code": code, "count": count}
            )
        for (code, name), count in self.no_unit.items():
            notes.append(
                _("Area %(name)s (%(code)s) has no DHIS2 organisation unit in the mapping: %(count)d cell(s) not sent.")
                % {"name": name, "code": code, "count": count}
            )
        for (indicator, code, name), periods in self.no_denominator.items():
            notes.append(
                _("%(indicator)s, %(name)s (%(code)s): no denominator for %(periods)s; only the numerator was sent.")
                % {"indicator": indicator, "name": name, "code": code, "periods": ", ".join(map(_month, periods))}
            )
        for (indicator, code, period), count in self.repeated.items():
            notes.append(
                _("%(indicator)s, %(code)s, %(period)s given %(count)d more time(s); only the first was sent.")
                % {"indicator": indicator, "code": code, "period": _month(period), "count": count}
            )
        return notes


def _month(period: dt.date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def _period(cell: Cell) -> str:
    return f"{cell.period.year:04d}{cell.period.month:02d}"


def data_value_sets(cells: Iterable[Cell], *, mapping: Dhis2Mapping) -> tuple[dict, list[str]]:
    """The `dataValueSets` payload of the monthly cells, and notes on every cell or value not sent.

    Each mapped monthly cell gives two data values (numerator, denominator) with period `YYYYMM` and
    the value as a string. Notes, one per cause (and per indicator or area), say what was left out:
    year-to-date cells, unmapped indicators or areas, missing denominators, repeated cells.
    """
    values: list[dict] = []
    skipped = _Skipped()
    sent: set[tuple[str, str, dt.date]] = set()

    def value(element: str, cell: Cell, unit: str, number: int) -> dict:
        out = {
            "dataElement": element,
            "period": _period(cell),
            "orgUnit": unit,
            "categoryOptionCombo": mapping.category_option_combo,
            "value": str(int(number)),
        }
        if mapping.attribute_option_combo:
            out["attributeOptionCombo"] = mapping.attribute_option_combo
        return out

    for c in cells:
        if c.cumulative:
            skipped.cumulative += 1
            continue
        pair = mapping.data_elements.get(c.indicator)
        unit = mapping.org_units.get(c.area_code)
        if pair is None:
            skipped.no_elements[c.indicator] += 1
        if unit is None:
            skipped.no_unit[(c.area_code, c.area_name)] += 1
        if pair is None or unit is None:
            continue
        key = (c.indicator, c.area_code, c.period)
        if key in sent:
            skipped.repeated[key] += 1
            continue
        sent.add(key)
        values.append(value(pair.numerator, c, unit, c.numerator))
        if c.denominator is None:
            skipped.no_denominator.setdefault((c.indicator, c.area_code, c.area_name), []).append(c.period)
        else:
            values.append(value(pair.denominator, c, unit, c.denominator))
    return {"dataValues": values}, skipped.notes()
