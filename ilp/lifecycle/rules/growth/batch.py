"""CSV batch z-scores in the style of WHO Anthro's survey calculator, streamed in vectorised chunks.

Input columns (header row, any order, extra columns kept): sex (1 = male, 2 = female; m/f as WHO Anthro
and l/p as Indonesian registers are accepted too), age_days, weight_kg, lenhei_cm, measure (L/H/empty),
headc_cm, muac_cm, oedema (y/n/empty; 1/2 as WHO Anthro). Any value may be empty. The output repeats the
input columns and adds zlen, zwei, zwfl, zbmi, zhc, zac (2 decimals, empty where not defined) and
flag_<index> (1 = biologically implausible per WHO, 0 = plausible, empty without a z-score). A row with
bad input (unknown sex, negative age or measurement, text in a number column, unknown code) gets empty
z-scores and is reported in ``BatchReport``; the batch never stops on it.
"""

import csv
import math
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TextIO

import numpy as np

from .zscore import INDICATORS, MEASURE_HEIGHT, MEASURE_LENGTH, MEASURE_UNKNOWN, compute_zscores, plausibility_flags

NUMERIC_COLUMNS = ("age_days", "weight_kg", "lenhei_cm", "headc_cm", "muac_cm")
INPUT_COLUMNS = ("sex", *NUMERIC_COLUMNS, "measure", "oedema")
FLAG_COLUMNS = tuple(f"flag_{key}" for key in INDICATORS)
OUTPUT_COLUMNS = (*INDICATORS, *FLAG_COLUMNS)
CHUNK_ROWS = 50_000
EXAMPLES_KEPT = 5

SEX_CODES = {"1": 1.0, "2": 2.0, "m": 1.0, "f": 2.0, "l": 1.0, "p": 2.0}
MEASURE_CODES = {"": MEASURE_UNKNOWN, "l": MEASURE_LENGTH, "h": MEASURE_HEIGHT}
OEDEMA_CODES = {"": False, "n": False, "2": False, "y": True, "1": True}


class Problem(StrEnum):
    """Why a row could not be computed; the command turns these codes into Bahasa Indonesia."""

    UNKNOWN_SEX = "unknown_sex"
    NEGATIVE_AGE = "negative_age"
    NEGATIVE_VALUE = "negative_value"
    NOT_A_NUMBER = "not_a_number"
    UNKNOWN_CODE = "unknown_code"


@dataclass
class BatchReport:
    """Counts of a batch: rows read, rows that could not be computed, and why (per problem and column).

    ``examples`` keeps the first spreadsheet row numbers (the header is row 1) of each problem.
    """

    rows: int = 0
    bad_rows: int = 0
    problems: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def add(self, problem: Problem, column: str, mask: np.ndarray, first_row: int) -> None:
        where = np.flatnonzero(mask)
        if where.size:
            self.problems[problem, column] += int(where.size)
            kept = self.examples.setdefault((problem, column), [])
            kept.extend(int(i) + first_row for i in where[: EXAMPLES_KEPT - len(kept)])


def _parse_numbers(values) -> tuple[np.ndarray, np.ndarray]:
    """Floats (NaN for empty) and a mask of values that are not finite numbers."""
    text = np.asarray(values, dtype=str)
    empty = np.char.str_len(np.char.strip(text)) == 0
    try:
        numbers = np.where(empty, "nan", text).astype(np.float64)
    except ValueError:
        numbers = np.full(text.shape, np.nan)
        for i in np.flatnonzero(~empty):
            try:
                numbers[i] = float(text[i])
            except ValueError:
                numbers[i] = math.inf  # marked bad below
    bad = ~empty & ~np.isfinite(numbers)
    numbers[bad] = np.nan
    return numbers, bad


def _parse_codes(values, codes: dict, *, fast: dict) -> tuple[np.ndarray, np.ndarray]:
    """Map code strings (case-insensitive, trimmed) to numbers; unknown codes are flagged bad."""
    text = np.asarray(values, dtype=str)
    out = np.full(text.shape, np.nan)
    for raw, value in fast.items():
        out[text == raw] = value
    bad = np.zeros(text.shape, dtype=bool)
    for i in np.flatnonzero(np.isnan(out)):
        value = codes.get(str(text[i]).strip().lower())
        if value is None:
            bad[i] = True
        else:
            out[i] = value
    return out, bad


def _columns(rows: list[list[str]], width: int) -> list[tuple[str, ...]]:
    if any(len(r) != width for r in rows):
        rows = [(r + [""] * width)[:width] for r in rows]
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


def _compute_chunk(rows, width, positions, report: BatchReport, first_row: int):
    n = len(rows)
    columns = _columns(rows, width)
    raw = {name: (columns[positions[name]] if name in positions else ("",) * n) for name in INPUT_COLUMNS}
    bad = np.zeros(n, dtype=bool)
    sex, problem = _parse_codes(raw["sex"], SEX_CODES, fast={"1": 1.0, "2": 2.0})
    report.add(Problem.UNKNOWN_SEX, "sex", problem, first_row)
    bad |= problem
    numbers = {}
    for name in NUMERIC_COLUMNS:
        numbers[name], problem = _parse_numbers(raw[name])
        report.add(Problem.NOT_A_NUMBER, name, problem, first_row)
        negative = numbers[name] < 0
        kind = Problem.NEGATIVE_AGE if name == "age_days" else Problem.NEGATIVE_VALUE
        report.add(kind, name, negative, first_row)
        bad |= problem | negative
    measure, problem = _parse_codes(raw["measure"], MEASURE_CODES, fast={"": 0, "L": 1, "H": 2})
    report.add(Problem.UNKNOWN_CODE, "measure", problem, first_row)
    bad |= problem
    oedema, problem = _parse_codes(raw["oedema"], OEDEMA_CODES, fast={"": 0, "n": 0, "y": 1})
    report.add(Problem.UNKNOWN_CODE, "oedema", problem, first_row)
    bad |= problem
    report.rows += n
    report.bad_rows += int(bad.sum())
    sex[bad] = np.nan
    z = compute_zscores(
        sex=sex,
        age_days=numbers["age_days"],
        weight_kg=numbers["weight_kg"],
        lenhei_cm=numbers["lenhei_cm"],
        measure=np.nan_to_num(measure).astype(np.int8),
        headc_cm=numbers["headc_cm"],
        muac_cm=numbers["muac_cm"],
        oedema=np.nan_to_num(oedema).astype(bool),
    )
    return z, plausibility_flags(z)


def _format_zscores(z: np.ndarray) -> list[str]:
    # + 0.0 turns a rounded -0.0 into 0.0, so no "-0.00" reaches the file.
    return ["" if v != v else f"{v + 0.0:.2f}" for v in z.tolist()]


def _format_flags(z: np.ndarray, flag: np.ndarray) -> list[str]:
    return ["" if v != v else ("1" if f else "0") for v, f in zip(z.tolist(), flag.tolist(), strict=True)]


def zscore_csv(src: TextIO, dst: TextIO, *, chunk_rows: int = CHUNK_ROWS) -> BatchReport:
    """Read children from CSV ``src``, write them with WHO z-scores and flags to ``dst`` (see module doc).

    The file is processed ``chunk_rows`` rows at a time through ``compute_zscores``, so memory stays flat
    for files of millions of rows. Method: WHO Child Growth Standards 2006 and WHO Reference 2007 (zscore.py).
    """
    reader = csv.reader(src)
    writer = csv.writer(dst, lineterminator="\n")
    report = BatchReport()
    header = next(reader, None)
    if header is None:
        return report
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    positions = {name: i for i, name in reversed(list(enumerate(names))) if name in INPUT_COLUMNS}
    kept = [i for i, name in enumerate(names) if name not in OUTPUT_COLUMNS]
    writer.writerow([header[i] for i in kept] + list(OUTPUT_COLUMNS))
    first_row = 2
    while True:
        rows = [row for _, row in zip(range(chunk_rows), reader, strict=False)]
        if not rows:
            return report
        z, flags = _compute_chunk(rows, len(header), positions, report, first_row)
        extra = [_format_zscores(z[key]) for key in INDICATORS]
        extra += [_format_flags(z[key], flags[f"flag_{key}"]) for key in INDICATORS]
        width = len(header)
        for row, values in zip(rows, zip(*extra, strict=True), strict=True):
            cells = [row[i] if i < len(row) else "" for i in kept] if len(row) != width or len(kept) != width else row
            writer.writerow([*cells, *values])
        first_row += len(rows)
