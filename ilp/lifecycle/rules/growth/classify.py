"""Nutritional-status categories from WHO z-scores, per the Indonesian child anthropometry standard.

Source: Peraturan Menteri Kesehatan No. 2 Tahun 2020 tentang Standar Antropometri Anak, Lampiran,
"Kategori dan Ambang Batas Status Gizi Anak" (WHO Child Growth Standards for 0-60 months, WHO Reference
2007 for 5-18 years), as applied by the ILP Juknis PKG balita: ``docs/PKG/01-pkg-ultah/01-pkg-balita-as/
01-pertumbuhan.mdx`` (GitHub mlengse/ilp-docs) and the school screening in ILP.md §2.2 and §2.3
(``.../05-skrining-obesitas.mdx``). The codes are English identifiers; the Django layer labels them.

Every function takes one z-score (a float, NaN or None gives None) or a numpy array (an object array of
codes, None where the z-score is NaN). Boundaries follow the table literally: "-3 SD sd <-2 SD" includes
-3, "-2 SD sd +1 SD" includes both ends, "> +1 SD" excludes +1.
"""

from enum import StrEnum

import numpy as np

DAYS_PER_MONTH = 30.4375
LAST_MONTH_UNDER_FIVE = 60  # Permenkes 2/2020: tables for "anak usia 0-60 bulan"
FIRST_MONTH_NINETEEN = 228  # "5-18 tahun": up to the 19th birthday


class WeightForAge(StrEnum):
    """BB/U, 0-60 months."""

    SEVERELY_UNDERWEIGHT = "severely_underweight"
    UNDERWEIGHT = "underweight"
    NORMAL = "normal"
    RISK_OF_OVERWEIGHT = "risk_of_overweight"


class HeightForAge(StrEnum):
    """PB/U or TB/U, 0-60 months."""

    SEVERELY_STUNTED = "severely_stunted"
    STUNTED = "stunted"
    NORMAL = "normal"
    TALL = "tall"


class WeightForHeight(StrEnum):
    """BB/PB or BB/TB, and IMT/U, 0-60 months."""

    SEVERELY_WASTED = "severely_wasted"
    WASTED = "wasted"
    NORMAL = "normal"
    POSSIBLE_RISK_OF_OVERWEIGHT = "possible_risk_of_overweight"
    OVERWEIGHT = "overweight"
    OBESE = "obese"


class BmiForAge5to18(StrEnum):
    """IMT/U, 5-18 years."""

    SEVERE_THINNESS = "severe_thinness"
    THINNESS = "thinness"
    NORMAL = "normal"
    OVERWEIGHT = "overweight"
    OBESE = "obese"


def _by_cutoffs(z, below_minus3, below_minus2, upper_cutoffs):
    """Category of ``z``: < -3, [-3, -2), then each (category, upper bound inclusive) in turn, else last."""
    if z is None or isinstance(z, float | int):
        # One number (the rules of one person): the same comparisons without building arrays.
        value = np.nan if z is None else float(z)
        if value != value:  # NaN
            return None
        if value < -3:
            return below_minus3
        if value < -2:
            return below_minus2
        for category, upper in upper_cutoffs[:-1]:
            if value <= upper:
                return category
        return upper_cutoffs[-1][0]
    scalar = np.ndim(z) == 0
    values = np.atleast_1d(np.asarray(np.nan if z is None else z, dtype=np.float64))
    out = np.full(values.shape, None, dtype=object)
    conditions = [values < -3, values < -2]
    choices = [below_minus3, below_minus2]
    for category, upper in upper_cutoffs[:-1]:
        conditions.append(values <= upper)
        choices.append(category)
    conditions.append(values > upper_cutoffs[-2][1])
    choices.append(upper_cutoffs[-1][0])
    done = np.isnan(values)
    for condition, category in zip(conditions, choices, strict=True):
        take = condition & ~done
        out[take] = category
        done |= take
    return out[0] if scalar else out


def classify_weight_for_age(z):
    """BB/U 0-60 months: severely underweight < -3; underweight -3 to < -2; normal -2 to +1; risk of
    overweight > +1 (Permenkes 2/2020, Lampiran, Kategori dan Ambang Batas Status Gizi Anak; Juknis PKG
    ``docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx``)."""
    return _by_cutoffs(
        z,
        WeightForAge.SEVERELY_UNDERWEIGHT,
        WeightForAge.UNDERWEIGHT,
        [(WeightForAge.NORMAL, 1.0), (WeightForAge.RISK_OF_OVERWEIGHT, None)],
    )


def classify_height_for_age(z):
    """PB/U or TB/U 0-60 months: severely stunted < -3; stunted -3 to < -2; normal -2 to +3; tall > +3
    (Permenkes 2/2020, Lampiran; Juknis PKG ``.../01-pkg-balita-as/01-pertumbuhan.mdx``: stunted -> FKTL)."""
    return _by_cutoffs(
        z,
        HeightForAge.SEVERELY_STUNTED,
        HeightForAge.STUNTED,
        [(HeightForAge.NORMAL, 3.0), (HeightForAge.TALL, None)],
    )


def classify_weight_for_height(z):
    """BB/PB or BB/TB 0-60 months: severely wasted < -3; wasted -3 to < -2; normal -2 to +1; possible risk
    of overweight > +1 to +2; overweight > +2 to +3; obese > +3 (Permenkes 2/2020, Lampiran; Juknis PKG
    ``docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx``; ILP.md §2.2)."""
    return _by_cutoffs(
        z,
        WeightForHeight.SEVERELY_WASTED,
        WeightForHeight.WASTED,
        [
            (WeightForHeight.NORMAL, 1.0),
            (WeightForHeight.POSSIBLE_RISK_OF_OVERWEIGHT, 2.0),
            (WeightForHeight.OVERWEIGHT, 3.0),
            (WeightForHeight.OBESE, None),
        ],
    )


def _bmi_5_to_18(z):
    return _by_cutoffs(
        z,
        BmiForAge5to18.SEVERE_THINNESS,
        BmiForAge5to18.THINNESS,
        [(BmiForAge5to18.NORMAL, 1.0), (BmiForAge5to18.OVERWEIGHT, 2.0), (BmiForAge5to18.OBESE, None)],
    )


def classify_bmi_for_age(z, *, age_days):
    """IMT/U by age: 0-60 completed months as weight-for-length/height (``WeightForHeight``); 61 months to
    the 19th birthday (Permenkes "5-18 tahun"): severe thinness < -3; thinness -3 to < -2; normal -2 to +1;
    overweight > +1 to +2; obese > +2 (``BmiForAge5to18``). Other ages give None.

    Sources: Permenkes 2/2020, Lampiran, Kategori dan Ambang Batas Status Gizi Anak; ILP.md §2.3 from
    Juknis ILP ``.../01-pkg-dalam-gedung/.../05-skrining-obesitas.mdx``; Juknis PKG
    ``docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx`` (IMT/U at 6 years).
    """
    months = np.floor(np.asarray(age_days, dtype=np.float64) / DAYS_PER_MONTH)
    under_five = (months >= 0) & (months <= LAST_MONTH_UNDER_FIVE)
    school = (months > LAST_MONTH_UNDER_FIVE) & (months < FIRST_MONTH_NINETEEN)
    if np.ndim(z) == 0 and np.ndim(age_days) == 0:
        if under_five:
            return classify_weight_for_height(z)
        return _bmi_5_to_18(z) if school else None
    z = np.asarray(z, dtype=np.float64)
    return np.where(under_five, classify_weight_for_height(z), np.where(school, _bmi_5_to_18(z), None))
