"""WHO anthropometric z-scores, vectorised with numpy over any number of children.

The method follows WHO Child Growth Standards: Methods and development (2006), chapter 7
("Computation of centiles and z-scores"), as implemented in WHO's igrowup macros and the WHO ``anthro``
R package, and the WHO Growth Reference 5-19 years (2007) as implemented in WHO's ``who2007`` macro:

* z = ((y/M)^L - 1) / (L·S); for the weight-based indices (weight-for-age, weight-for-length/height,
  BMI-for-age, arm circumference-for-age) the "restricted application" replaces it beyond ±3 SD by
  ±3 + (y - SD3)/(SD3 - SD2), measured in the distance between the 2 and 3 SD curves. Length/height-for-age
  and head circumference-for-age use the plain formula everywhere.
* 0-1856 days: the day-based WHO 2006 tables, age rounded to whole days (half up, as anthro's round_up).
  Length/height: under 731 days a standing height gets +0.7 cm, from 731 days a recumbent length
  -0.7 cm; an empty measure is taken as the one expected for the age, so it is not adjusted.
  Weight-for-length (45-110 cm) below 731 days, weight-for-height (65-120 cm) from 731 days, with L, M
  and S interpolated between the 0.1 cm rows as anthro does; without an age, the measure decides,
  and without a measure a length under 87 cm counts as recumbent. BMI uses the adjusted length/height.
* Beyond 1856 days the WHO 2007 reference: height-for-age and BMI-for-age 61-228 months,
  weight-for-age 61-120 months, with age in months = days / 30.4375 and L, M, S interpolated between
  whole months exactly as the who2007 macro does (not AnthroPlus' nearest month). The 2007 macro takes
  every height as standing; a recumbent length at these ages still gets -0.7 cm, as at 731+ days.
* Oedema: weight-for-age, weight-for-length/height and BMI-for-age are left empty (not arm circumference).
"""

from collections.abc import Mapping
from functools import cache

import numpy as np

from .tables import FIRST_MONTH_2007, LAST_DAY_2006, GrowthTables, LmsTable, growth_tables

MEASURE_UNKNOWN = 0
MEASURE_LENGTH = 1
MEASURE_HEIGHT = 2

INDICATORS = ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac")
# WHO's biologically implausible values (anthro R package and who2007 macro): z < low or z > high.
FLAG_LIMITS = {
    "zlen": (-6.0, 6.0),
    "zwei": (-6.0, 5.0),
    "zwfl": (-5.0, 5.0),
    "zbmi": (-5.0, 5.0),
    "zhc": (-5.0, 5.0),
    "zac": (-5.0, 5.0),
}
DAYS_PER_MONTH = 30.4375
MEASURE_ADJUSTMENT_CM = 0.7
FIRST_HEIGHT_DAY = 731
LENGTH_CUTOFF_WITHOUT_AGE_CM = 87.0
WFL_RANGE_CM = (45.0, 110.0)
WFH_RANGE_CM = (65.0, 120.0)
LAST_MONTH_2007 = {"hfa": 228.0, "bfa": 228.0, "wfa": 120.0}
# Small chunks keep every temporary array inside the CPU cache; measured faster than whole arrays.
CHUNK_ROWS = 32768


def lms_zscore(y: np.ndarray, lam: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The LMS z-score ((y/M)^L - 1)/(L·S) (WHO Child Growth Standards 2006, ch. 7, eq. for Z_ind)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.power(y / m, lam) - 1.0) / (lam * s)


def restricted_zscore(y: np.ndarray, lam: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The LMS z-score with WHO's restricted application beyond ±3 SD (WHO 2006, ch. 7, z*_ind).

    Above +3: 3 + (y - SD3pos)/SD23pos, below -3: -3 + (y - SD3neg)/SD23neg, where SDk = M(1+L·S·k)^(1/L),
    SD23pos = SD3pos - SD2pos and SD23neg = SD2neg - SD3neg. Used for the weight-based indices only.
    """
    y, lam, m, s = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (y, lam, m, s)))
    z = np.array(lms_zscore(y, lam, m, s), dtype=np.float64, ndmin=1)
    _restrict(z, y.reshape(z.shape), lam.reshape(z.shape), m.reshape(z.shape), s.reshape(z.shape))
    return z.reshape(np.shape(y))


def _sd(lam, m, s, k):
    with np.errstate(invalid="ignore", divide="ignore"):
        return m * np.power(1.0 + lam * s * k, 1.0 / lam)


def _restrict(z, y, lam, m, s):
    """Apply the restricted application in place, computing the SD curves for the rows beyond ±3 only."""
    hi = np.flatnonzero(z > 3.0)
    if hi.size:
        lh, mh, sh = lam[hi], m[hi], s[hi]
        sd3 = _sd(lh, mh, sh, 3.0)
        z[hi] = 3.0 + (y[hi] - sd3) / (sd3 - _sd(lh, mh, sh, 2.0))
    lo = np.flatnonzero(z < -3.0)
    if lo.size:
        ll, ml, sl = lam[lo], m[lo], s[lo]
        sd3 = _sd(ll, ml, sl, -3.0)
        z[lo] = -3.0 + (y[lo] - sd3) / (_sd(ll, ml, sl, -2.0) - sd3)


def _day_zscore(table: LmsTable, y: np.ndarray, rows: np.ndarray, *, restricted: bool) -> np.ndarray:
    """Z-scores against a day-based table for precomputed flat rows (NaN rows give NaN)."""
    z = y * table.inv_m[rows]
    if table.l_is_one:
        z -= table.inv_ls[rows]
    else:
        np.power(z, table.lam[rows], out=z)
        z -= 1.0
        z *= table.inv_ls[rows]
    if restricted:
        beyond = np.flatnonzero(np.abs(z) > 3.0)
        if beyond.size:
            zb, yb, rb = z[beyond], y[beyond], rows[beyond]
            z[beyond] = np.where(
                zb > 0,
                3.0 + (yb - table.sd3pos[rb]) / table.sd23pos[rb],
                -3.0 + (yb - table.sd3neg[rb]) / table.sd23neg[rb],
            )
    return z


def _interpolated_lms(table: LmsTable, lower: np.ndarray, frac: np.ndarray):
    """L, M, S interpolated linearly between row ``lower`` and the next one (anthro / who2007 macro)."""
    lam = table.lam[lower] + frac * table.dlam[lower]
    m = table.m[lower] + frac * table.dm[lower]
    s = table.s[lower] + frac * table.ds[lower]
    return lam, m, s


@cache
def _weight_for_lenhei_table(tables: GrowthTables) -> LmsTable:
    """WFL and WFH in one table of four equal blocks (WFL boys, girls, WFH boys, girls), then two NaN rows.

    One gather then serves rows of either table; the WFH blocks are padded with NaN to the WFL block size.
    """
    wfl, wfh = tables.wfl, tables.wfh
    width = wfl.block

    def joined(name):
        a, b = getattr(wfl, name), getattr(wfh, name)
        pad = np.full(width - wfh.block, np.nan)
        return np.concatenate((a[: 2 * width], b[: wfh.block], pad, b[wfh.block : 2 * wfh.block], pad, [np.nan] * 2))

    arrays = {name: joined(name) for name in ("lam", "m", "s", "sd3pos", "sd23pos", "sd3neg", "sd23neg")}
    arrays.update({name: joined(name) for name in ("inv_m", "inv_ls", "dlam", "dm", "ds")})
    return LmsTable(name="wflh", start=wfl.start, step=wfl.step, size=width - 1, l_is_one=False, **arrays)


def _weight_for_lenhei(tables, weight, clen, is_girl, use_height, ok):
    table = _weight_for_lenhei_table(tables)
    width = table.block
    tenths = clen * 10.0
    ok = ok & (tenths >= np.where(use_height, WFH_RANGE_CM[0] * 10, WFL_RANGE_CM[0] * 10))
    ok &= tenths <= np.where(use_height, WFH_RANGE_CM[1] * 10, WFL_RANGE_CM[1] * 10)
    # anthro: low = trunc(lenhei*10)/10, diff = (lenhei - low)/0.1; the epsilon absorbs float noise.
    low = np.floor(tenths + 1e-7)
    frac = np.maximum(tenths - low, 0.0)
    offset = is_girl * float(width) + use_height * (2.0 * width - (WFH_RANGE_CM[0] - WFL_RANGE_CM[0]) * 10)
    offset += low - WFL_RANGE_CM[0] * 10
    lower = np.where(ok, offset, table.lam.size - 2).astype(np.intp)
    lam, m, s = _interpolated_lms(table, lower, frac)
    z = lms_zscore(weight, lam, m, s)
    _restrict(z, weight, lam, m, s)
    return z


def _reference_2007(table: LmsTable, y, is_girl, months, *, restricted: bool):
    """WHO 2007 z-scores with L, M, S interpolated between whole months (who2007 macro)."""
    low = np.floor(months)
    lower = is_girl * table.block + (low - table.start).astype(np.intp)
    lam, m, s = _interpolated_lms(table, lower, months - low)
    z = lms_zscore(y, lam, m, s)
    if restricted:
        _restrict(z, y, lam, m, s)
    return z


# Length/height shift by [age class, measure]: age class 0 = under 731 days, 1 = from 731 days, 2 = unknown.
_SHIFT_CM = np.array(
    [
        [0.0, 0.0, MEASURE_ADJUSTMENT_CM],
        [0.0, -MEASURE_ADJUSTMENT_CM, 0.0],
        [0.0, 0.0, 0.0],
    ]
).ravel()


def default_measure(age_days: int) -> int:
    """How a child is measured by default: lying (length) before 731 days, standing (height) from then
    (WHO Child Growth Standards 2006; the same switch as `adjusted_lenhei`)."""
    return MEASURE_LENGTH if age_days < FIRST_HEIGHT_DAY else MEASURE_HEIGHT


def adjusted_lenhei(lenhei_cm: np.ndarray, age_day: np.ndarray, measure: np.ndarray) -> np.ndarray:
    """Length/height converted to the measure the standard expects at that age (WHO 2006, ch. 7; anthro).

    Under 731 days a standing height (H) gets +0.7 cm; from 731 days a recumbent length (L) gets -0.7 cm.
    ``age_day`` is the age rounded to whole days; NaN (unknown age) or an unknown measure is not adjusted.
    """
    age_class = np.where(np.isnan(age_day), 2, age_day >= FIRST_HEIGHT_DAY)
    return lenhei_cm + _SHIFT_CM[age_class * 3 + measure]


def _chunk(tables, sex, age, weight, lenhei, measure, headc, muac, oedema):
    is_girl = sex == 2.0
    ok_sex = is_girl | (sex == 1.0)
    with np.errstate(invalid="ignore"):
        has_age = ok_sex & (age >= 0)
        age_day = np.floor(age + 0.5)  # anthro's round_up: half a day up
        in_2006 = has_age & (age_day <= LAST_DAY_2006)
        day_table = tables.wfa  # every day-based table shares this layout (tables.growth_tables)
        rows = np.where(in_2006, is_girl * float(day_table.block) + age_day, day_table.sentinel).astype(np.intp)
    clen = adjusted_lenhei(lenhei, np.where(has_age, age_day, np.nan), measure)
    weight = np.where(oedema, np.nan, weight)
    bmi = weight * 10000.0 / (clen * clen)
    out = {
        "zlen": _day_zscore(tables.lhfa, clen, rows, restricted=False),
        "zwei": _day_zscore(tables.wfa, weight, rows, restricted=True),
        "zbmi": _day_zscore(tables.bfa, bmi, rows, restricted=True),
        "zhc": _day_zscore(tables.hcfa, headc, rows, restricted=False),
        "zac": _day_zscore(tables.acfa, muac, rows, restricted=True),
    }
    use_height = age_day >= FIRST_HEIGHT_DAY
    wfl_ok = in_2006
    no_age = np.flatnonzero(np.isnan(age))
    if no_age.size:
        wfl_ok = in_2006 | (ok_sex & np.isnan(age))
        m, c = measure[no_age], clen[no_age]
        use_height[no_age] = (m == MEASURE_HEIGHT) | ((m == MEASURE_UNKNOWN) & (c >= LENGTH_CUTOFF_WITHOUT_AGE_CM))
    out["zwfl"] = _weight_for_lenhei(tables, weight, clen, is_girl, use_height, wfl_ok)
    later = np.flatnonzero(has_age & (age_day > LAST_DAY_2006))
    if later.size:
        months = age[later] / DAYS_PER_MONTH
        for key, table, y, last, restricted in (
            ("zlen", tables.hfa_2007, clen, LAST_MONTH_2007["hfa"], False),
            ("zbmi", tables.bfa_2007, bmi, LAST_MONTH_2007["bfa"], True),
            ("zwei", tables.wfa_2007, weight, LAST_MONTH_2007["wfa"], True),
        ):
            keep = (months >= FIRST_MONTH_2007) & (months <= last)
            sel = later[keep]
            if sel.size:
                out[key][sel] = _reference_2007(table, y[sel], is_girl[sel], months[keep], restricted=restricted)
    return out


def _column(values, n, dtype=np.float64, fill=np.nan):
    if values is None:
        return np.full(n, fill, dtype=dtype)
    arr = np.asarray(values, dtype=dtype)
    if arr.shape != (n,):
        raise ValueError(f"expected {n} values, got shape {arr.shape}")
    return arr


def compute_zscores(
    *,
    sex,
    age_days,
    weight_kg=None,
    lenhei_cm=None,
    measure=None,
    headc_cm=None,
    muac_cm=None,
    oedema=None,
    decimals: int | None = 2,
    chunk_rows: int = CHUNK_ROWS,
) -> dict[str, np.ndarray]:
    """WHO z-scores ``zlen, zwei, zwfl, zbmi, zhc, zac`` for arrays of children (NaN where not defined).

    Inputs are equal-length arrays: ``sex`` 1 = male, 2 = female (anything else gives NaN everywhere);
    ``age_days`` in days (NaN = unknown, may be fractional); measurements in kg and cm (NaN = missing);
    ``measure`` MEASURE_LENGTH/MEASURE_HEIGHT/MEASURE_UNKNOWN; ``oedema`` booleans. Z-scores are rounded to
    ``decimals`` as WHO's software does (flags are judged on the rounded values). Method and sources:
    module docstring (WHO Child Growth Standards 2006 ch. 7; WHO Growth Reference 2007; anthro, who2007).
    """
    sex_arr = np.asarray(sex, dtype=np.float64)
    n = sex_arr.shape[0]
    cols = (
        sex_arr,
        _column(age_days, n),
        _column(weight_kg, n),
        _column(lenhei_cm, n),
        _column(measure, n, np.int8, MEASURE_UNKNOWN),
        _column(headc_cm, n),
        _column(muac_cm, n),
        _column(oedema, n, np.bool_, False),
    )
    if np.any((cols[4] < MEASURE_UNKNOWN) | (cols[4] > MEASURE_HEIGHT)):
        raise ValueError("measure must be MEASURE_UNKNOWN, MEASURE_LENGTH or MEASURE_HEIGHT")
    tables = growth_tables()
    out = {key: np.empty(n) for key in INDICATORS}
    for start in range(0, n, chunk_rows):
        part = slice(start, start + chunk_rows)
        with np.errstate(invalid="ignore", divide="ignore"):
            # WHO: a measurement <= 0 gives no z-score.
            chunk = [c[part] for c in cols]
            for i in (2, 3, 5, 6):
                chunk[i] = np.where(chunk[i] > 0, chunk[i], np.nan)
            for key, z in _chunk(tables, *chunk).items():
                if decimals is None:
                    out[key][part] = z
                else:
                    np.round(z, decimals, out=out[key][part])
    return out


def plausibility_flags(zscores: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``flag_<index>``: True where the z-score is biologically implausible per WHO (FLAG_LIMITS).

    Cut-offs from the WHO anthro R package / igrowup and who2007 macros: zlen outside ±6, zwei < -6 or > 5,
    the others outside ±5. A missing z-score is never flagged; check the z-score for NaN first.
    """
    return {
        f"flag_{key}": (zscores[key] < low) | (zscores[key] > high)
        for key, (low, high) in FLAG_LIMITS.items()
        if key in zscores
    }
