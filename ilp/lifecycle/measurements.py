"""Observations between the forms and the pure rules: allowed codes, plausibility checks with messages
that name the field, and what is derived from a child's measurements: the WHO z-scores and the weight
trend (N/T/2T/O/B)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilp.lifecycle.models import CODED_KINDS, DERIVED_KINDS
from ilp.lifecycle.models import ObservationKind as K
from ilp.lifecycle.rules import faltering, ranges
from ilp.lifecycle.rules.common import completed_months
from ilp.lifecycle.rules.growth.zscore import MEASURE_HEIGHT, MEASURE_LENGTH, MEASURE_UNKNOWN, compute_zscores
from ilp.people.identity import SEX_FEMALE

ERR_IMPOSSIBLE = _("%(field)s: %(value)s is not possible (expected %(low)s to %(high)s).")
WARN_IMPLAUSIBLE = _("%(field)s: %(value)s is unusual (usually %(low)s to %(high)s); check it and confirm.")
ERR_BP_ORDER = _("Blood pressure: the diastolic value must be below the systolic value.")
WARN_BP_NARROW = _("Blood pressure: systolic and diastolic are very close; check them and confirm.")
WARN_ZSCORE = _(
    "%(field)s: %(value)s is far outside the WHO growth curves for this age (z = %(z).1f); check it and confirm."
)
ERR_UNKNOWN = _("%(field)s: unknown observation.")
ERR_NUMBER = _("%(field)s: enter a number, e.g. 12.5.")
ERR_CODE = _('%(field)s: "%(value)s" is not one of %(allowed)s.')
ERR_DERIVED = _("%(field)s: computed by the system, not entered.")
ERR_SKILAS = _("SKILAS: unknown domain %(value)s.")

SKILAS_DOMAINS = frozenset({"cognition", "mobility", "malnutrition", "vision", "hearing", "depression"})
CODES: dict[str, frozenset[str]] = {
    K.MEASURE: frozenset({"L", "H"}),
    K.OEDEMA: frozenset({"y", "n"}),
    K.HIV: frozenset({"pos", "neg"}),
    K.SYPHILIS: frozenset({"pos", "neg"}),
    K.HEPATITIS_B: frozenset({"pos", "neg"}),
    K.TB_SYMPTOMS: frozenset({"presumptive", "not_presumptive", "contact"}),
    K.SMOKING: frozenset({"y", "n"}),
    K.VISION: frozenset({"normal", "impaired"}),
    K.HEARING: frozenset({"normal", "impaired"}),
    K.DELIVERY_PLACE: frozenset({"health_facility", "home", "on_the_way"}),
    K.DELIVERY_ATTENDANT: frozenset({"doctor", "midwife", "nurse", "traditional", "none"}),
    # "none", or the positive domains joined by commas (checked by `skilas_code`).
    K.SKILAS: frozenset({"none", *SKILAS_DOMAINS}),
}
# Questionnaire scores: integers within the instrument's own range (Juknis forms, ILP.md §2.2-§2.5).
SCORE_RANGES = {K.KPSP: (0, 10), K.SRQ20: (0, 20), K.ADL: (0, 20), K.PUMA: (0, 9), K.SDQ: (0, 40), K.MINI_COG: (0, 5)}
# The kinds the plausibility table (`rules.ranges`, data/ranges.json) covers under the same name.
KINDS = frozenset(K.values)  # `K.values` builds a new list on every call
RANGED = frozenset(ranges.ObservationKind) & KINDS
# WHO output column -> the stored derived observation.
ZSCORE_KINDS = {
    "zwei": K.Z_WFA,
    "zlen": K.Z_LHFA,
    "zwfl": K.Z_WFLH,
    "zbmi": K.Z_BMIFA,
    "zhc": K.Z_HCFA,
    "zac": K.Z_ACFA,
}
# WHO's biologically implausible limits (WHO Anthro / igrowup flags), and the measurement each z-score judges.
ZSCORE_FLAG_LIMITS = {
    K.Z_LHFA: (-6, 6),
    K.Z_WFA: (-6, 5),
    K.Z_WFLH: (-5, 5),
    K.Z_BMIFA: (-5, 5),
    K.Z_HCFA: (-5, 5),
    K.Z_ACFA: (-5, 5),
}
ZSCORE_SOURCES = {
    K.Z_LHFA: K.LENGTH_HEIGHT,
    K.Z_WFA: K.WEIGHT,
    K.Z_WFLH: K.WEIGHT,
    K.Z_BMIFA: K.WEIGHT,
    K.Z_HCFA: K.HEAD_CIRCUMFERENCE,
    K.Z_ACFA: K.MUAC,
}
# WHO 2006 standards to 5 years, the WHO 2007 reference to 19 years.
ZSCORE_MAX_AGE_DAYS = round(19 * 365.25)
# The monthly weighing of the posyandu and its KBM table (`rules.faltering`) cover balita: under 60 months.
TREND_MAX_AGE_MONTHS = 60


@dataclass
class Checked:
    """Values possible but unusual: (field, message) warnings to confirm and the kinds they concern."""

    warnings: list[tuple[str, str]] = field(default_factory=list)
    implausible: set[str] = field(default_factory=set)
    # The WHO z-scores of a child's measurements (`zscores`), computed once for the check and for storing.
    derived: dict[str, float] = field(default_factory=dict)


def skilas_code(code: str) -> str:
    """A SKILAS answer as stored: "none", or the positive domains sorted and joined by commas."""
    parts = sorted({p.strip() for p in code.split(",") if p.strip()})
    if not parts or parts == ["none"]:
        return "none"
    unknown = [p for p in parts if p not in SKILAS_DOMAINS]
    if unknown:
        raise ValidationError({K.SKILAS: str(ERR_SKILAS) % {"value": unknown[0]}})
    return ",".join(parts)


def _fmt(number: float) -> str:
    return f"{number:g}"


def _label(kind: str) -> str:
    return str(K(kind).label)


def clean(values: dict[str, object]) -> dict[str, float | str]:
    """Known kinds only, numbers parsed (a comma is a decimal mark), codes from their list; blanks dropped.

    Raises ValidationError naming the observation (the encounter service and the bulk path both call this).
    """
    cleaned: dict[str, float | str] = {}
    for kind, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if kind not in KINDS:
            raise ValidationError({kind: str(ERR_UNKNOWN) % {"field": kind}})
        if kind in DERIVED_KINDS:
            raise ValidationError({kind: str(ERR_DERIVED) % {"field": _label(kind)}})
        if kind == K.SKILAS:
            cleaned[kind] = skilas_code(str(value))
        elif kind in CODED_KINDS:
            code = str(value).strip()
            allowed = CODES[kind]
            if code not in allowed:
                message = str(ERR_CODE) % {"field": _label(kind), "value": code, "allowed": ", ".join(sorted(allowed))}
                raise ValidationError({kind: message})
            cleaned[kind] = code
        else:
            cleaned[kind] = number(kind, value)
    return cleaned


def number(kind: str, value) -> float:
    """A typed value as a number ("12,5" and "12.5" alike); ValidationError naming the field otherwise."""
    if isinstance(value, bool):
        raise ValidationError({kind: str(ERR_NUMBER) % {"field": _label(kind)}})
    if isinstance(value, int | float | Decimal):
        number_ = float(value)
    else:
        try:
            number_ = float(Decimal(str(value).strip().replace(",", ".")))
        except (InvalidOperation, ValueError):
            raise ValidationError({kind: str(ERR_NUMBER) % {"field": _label(kind)}}) from None
    if not math.isfinite(number_):
        raise ValidationError({kind: str(ERR_NUMBER) % {"field": _label(kind)}})
    return number_


def check(values: dict[str, float | str], *, birth_date: dt.date, sex: str, on: dt.date) -> Checked:
    """Refuse impossible values (ValidationError naming the field); collect unusual ones to confirm,
    including WHO's biologically implausible z-scores of a child (kept in `Checked.derived`)."""
    checked = check_values(values, age_days=(on - birth_date).days)
    checked.derived = zscores(values, birth_date=birth_date, sex=sex, on=on)
    add_zscore_warnings(checked, values)
    return checked


def check_values(values: dict[str, float | str], *, age_days: int) -> Checked:
    """The range checks of `check` without the z-scores: `lifecycle.rules.ranges` (data/ranges.json, by
    age band), blood pressure as a pair, scores within their instrument's range."""
    checked = Checked()
    errors: dict[str, list[str]] = {}
    for kind, value in values.items():
        if kind in SCORE_RANGES:
            low, high = SCORE_RANGES[kind]
            if value != int(value) or not low <= value <= high:
                args = {"field": _label(kind), "value": _fmt(value), "low": low, "high": high}
                errors.setdefault(kind, []).append(str(ERR_IMPOSSIBLE) % args)
            continue
        if kind not in RANGED:
            continue
        result = ranges.check_value(kind, value, age_days=age_days)
        if result.status == ranges.RangeStatus.OK:
            continue
        if result.status == ranges.RangeStatus.IMPOSSIBLE:
            args = {
                "field": _label(kind),
                "value": _fmt(value),
                "low": _fmt(result.hard_min),
                "high": _fmt(result.hard_max),
            }
            errors.setdefault(kind, []).append(str(ERR_IMPOSSIBLE) % args)
        else:
            low, high = _fmt(result.plausible_min), _fmt(result.plausible_max)
            message = str(WARN_IMPLAUSIBLE) % {"field": _label(kind), "value": _fmt(value), "low": low, "high": high}
            checked.warnings.append((kind, message))
            checked.implausible.add(kind)
    if not errors and K.SYSTOLIC in values and K.DIASTOLIC in values:
        pair = ranges.check_blood_pressure(values[K.SYSTOLIC], values[K.DIASTOLIC], age_days=age_days)
        if pair.issue == ranges.BloodPressureIssue.DIASTOLIC_NOT_BELOW_SYSTOLIC:
            errors[K.DIASTOLIC] = [str(ERR_BP_ORDER)]
        elif pair.issue == ranges.BloodPressureIssue.NARROW_PULSE_PRESSURE:
            checked.warnings.append((K.DIASTOLIC, str(WARN_BP_NARROW)))
            checked.implausible.update({K.SYSTOLIC, K.DIASTOLIC})
    if errors:
        raise ValidationError(errors)
    return checked


def add_zscore_warnings(checked: Checked, values: dict[str, float | str]) -> None:
    """Warn on `checked.derived` z-scores beyond WHO's biologically implausible limits, naming the
    measurement they judge (a 25 kg one-year-old fits the wide age-band range of `check_values`)."""
    for kind, z in checked.derived.items():
        low, high = ZSCORE_FLAG_LIMITS[kind]
        if not low <= z <= high:
            source = ZSCORE_SOURCES[kind]
            shown = values.get(source, "")
            message = str(WARN_ZSCORE) % {"field": _label(source), "value": _fmt(shown) if shown != "" else "", "z": z}
            if (source, message) not in checked.warnings:
                checked.warnings.append((source, message))
            checked.implausible.add(source)


def zscores(values: dict[str, float | str], *, birth_date: dt.date, sex: str, on: dt.date) -> dict[str, float]:
    """The WHO z-scores of a child's measurements on `on` (`lifecycle.rules.growth`), by derived kind.

    Empty for adults (over 19 years) and when nothing anthropometric was measured; an index that is not
    defined at that age or size is left out.
    """
    age_days = (on - birth_date).days
    measured = (K.WEIGHT, K.LENGTH_HEIGHT, K.HEAD_CIRCUMFERENCE, K.MUAC)
    if age_days > ZSCORE_MAX_AGE_DAYS or not any(k in values for k in measured):
        return {}

    def column(kind):
        return np.array([values.get(kind, math.nan)], dtype=np.float64)

    measure = {"L": MEASURE_LENGTH, "H": MEASURE_HEIGHT}.get(values.get(K.MEASURE, ""), MEASURE_UNKNOWN)
    result = compute_zscores(
        sex=np.array([2 if sex == SEX_FEMALE else 1]),
        age_days=np.array([age_days], dtype=np.float64),
        weight_kg=column(K.WEIGHT),
        lenhei_cm=column(K.LENGTH_HEIGHT),
        measure=np.array([measure], dtype=np.int8),
        headc_cm=column(K.HEAD_CIRCUMFERENCE),
        muac_cm=column(K.MUAC),
        oedema=np.array([values.get(K.OEDEMA) == "y"]),
    )
    return {ZSCORE_KINDS[key]: float(z[0]) for key, z in result.items() if key in ZSCORE_KINDS and not np.isnan(z[0])}


def trend_applies(values: dict[str, float | str], *, birth_date: dt.date, on: dt.date) -> bool:
    """Whether a weight trend is derived: a weight was recorded, of a child under 60 months on `on`."""
    return K.WEIGHT in values and completed_months(birth_date=birth_date, on=on) < TREND_MAX_AGE_MONTHS


def weight_trend(
    *, birth_date: dt.date, on: dt.date, weight_kg: float, history: Iterable[tuple[dt.date, float]]
) -> str:
    """The weighing result of the weight `weight_kg` taken on `on` (a `rules.faltering.WeighingResult`
    value: gained, not_gained, not_gained_twice, not_weighed_last_month, new), stored as the code of the
    derived `ObservationKind.WEIGHT_TREND`.

    `history` is the child's other weighings (date, kg); only those dated before `on` count, so this
    weighing is the last of its month, the one the Buku KIA reads. Callers check `trend_applies` first.
    """
    earlier = [(day, kg) for day, kg in history if day < on]
    results = faltering.weighing_results(birth_date=birth_date, weighings=[*earlier, (on, float(weight_kg))])
    return results[-1].result.value
