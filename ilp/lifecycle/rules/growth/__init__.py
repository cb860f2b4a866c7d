"""Child growth: WHO z-scores (vectorised), plausibility flags and the Indonesian nutritional-status classes.

Public API:

* ``compute_zscores(sex=..., age_days=..., weight_kg=..., lenhei_cm=..., measure=..., headc_cm=...,
  muac_cm=..., oedema=...)`` -> ``{"zlen", "zwei", "zwfl", "zbmi", "zhc", "zac"}`` numpy arrays, following
  WHO Child Growth Standards (2006) and the WHO Growth Reference 5-19 years (2007); see zscore.py.
* ``plausibility_flags(zscores)`` -> ``{"flag_zlen", ...}`` WHO's biologically implausible values.
* ``zscore_csv(src, dst)`` -> ``BatchReport``: the CSV batch behind ``ilp zscore``.
* ``classify.*``: Permenkes 2/2020 categories as ``StrEnum`` codes.

Pure: no Django, no other ``ilp`` package (import-linter contract).
"""

from .batch import BatchReport, Problem, zscore_csv
from .classify import (
    BmiForAge5to18,
    HeightForAge,
    WeightForAge,
    WeightForHeight,
    classify_bmi_for_age,
    classify_height_for_age,
    classify_weight_for_age,
    classify_weight_for_height,
)
from .zscore import (
    FLAG_LIMITS,
    INDICATORS,
    MEASURE_HEIGHT,
    MEASURE_LENGTH,
    MEASURE_UNKNOWN,
    compute_zscores,
    default_measure,
    lms_zscore,
    plausibility_flags,
    restricted_zscore,
)

__all__ = [
    "FLAG_LIMITS",
    "INDICATORS",
    "MEASURE_HEIGHT",
    "MEASURE_LENGTH",
    "MEASURE_UNKNOWN",
    "BatchReport",
    "BmiForAge5to18",
    "HeightForAge",
    "Problem",
    "WeightForAge",
    "WeightForHeight",
    "classify_bmi_for_age",
    "classify_height_for_age",
    "classify_weight_for_age",
    "classify_weight_for_height",
    "compute_zscores",
    "default_measure",
    "lms_zscore",
    "plausibility_flags",
    "restricted_zscore",
    "zscore_csv",
]
