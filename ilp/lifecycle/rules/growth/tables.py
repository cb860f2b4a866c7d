"""The WHO LMS tables as flat numpy arrays, ready for vectorised look-ups.

Each table holds both sexes on a regular grid (days, months or 0.1 cm). Rows sit in one flat array:
the block of sex 1, then the block of sex 2, each followed by a copy of its last row (so that the
"upper" neighbour of an interpolation never crosses into the other sex), then one NaN row that every
out-of-range or invalid look-up points at. A NaN row gives a NaN z-score without any masking.

Sources, versions and licences of the files in ``data/`` are recorded in ``data/SOURCES.md``.
"""

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"

# WHO Child Growth Standards (2006): the day-based tables run from birth to 1856 days (61 months).
LAST_DAY_2006 = 1856
# WHO 2007 reference: 61-228 months (WFA only 61-120 months).
FIRST_MONTH_2007 = 61


@dataclass(frozen=True, eq=False)
class LmsTable:
    """L, M, S on a regular grid for both sexes, with precomputed SD curves for the restricted z-score."""

    name: str
    start: float
    step: float
    size: int
    lam: np.ndarray
    m: np.ndarray
    s: np.ndarray
    sd3pos: np.ndarray
    sd23pos: np.ndarray
    sd3neg: np.ndarray
    sd23neg: np.ndarray
    l_is_one: bool
    # Per-row coefficients so a z-score costs a multiply instead of divides: 1/M and 1/(L·S), or for L = 1
    # (length/height, head circumference) 1/(M·S) and 1/S, since z = (y/M - 1)/S = y/(M·S) - 1/S.
    inv_m: np.ndarray
    inv_ls: np.ndarray
    # Differences to the next row, for linear interpolation between grid points.
    dlam: np.ndarray
    dm: np.ndarray
    ds: np.ndarray

    @property
    def block(self) -> int:
        return self.size + 1

    @property
    def sentinel(self) -> int:
        return 2 * self.block

    @property
    def stop(self) -> float:
        return self.start + (self.size - 1) * self.step

    def sex_offset(self, sex: np.ndarray) -> np.ndarray:
        """Row offset of each sex block (sex 1 -> 0, sex 2 -> one block); callers pass valid sexes only."""
        return (sex.astype(np.intp) - 1) * self.block

    def row_index(self, offset: np.ndarray, grid: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Flat row of a grid position already converted to integers; the NaN row where not ``valid``."""
        return np.where(valid, offset + grid, self.sentinel)


def sd_curve(lam: np.ndarray, m: np.ndarray, s: np.ndarray, sd: float) -> np.ndarray:
    """The measurement at ``sd`` z-scores: M(1 + L·S·sd)^(1/L) (WHO Child Growth Standards 2006, ch. 7)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return m * np.power(1.0 + lam * s * sd, 1.0 / lam)


def _read_rows(filename: str) -> np.ndarray:
    with gzip.open(DATA_DIR / filename, "rt", encoding="ascii") as fh:
        header = fh.readline().strip().split(",")
        if header[0] != "sex" or header[2:] != ["l", "m", "s"]:
            raise ValueError(f"{filename}: unexpected header {header}")
        return np.loadtxt(fh, delimiter=",", dtype=np.float64, ndmin=2)


def load_table(name: str, filename: str, *, start: float, stop: float, step: float) -> LmsTable:
    """Read one LMS file onto the grid ``start..stop`` (inclusive); grid points missing in the file stay NaN."""
    rows = _read_rows(filename)
    size = round((stop - start) / step) + 1
    block = size + 1
    lms = np.full((3, 2 * block + 1), np.nan)
    positions = np.rint((rows[:, 1] - start) / step).astype(np.intp)
    on_grid = np.isclose(start + positions * step, rows[:, 1], atol=1e-6)
    sexes = rows[:, 0].astype(np.intp)
    if not (on_grid.all() and np.isin(sexes, (1, 2)).all() and (positions >= 0).all() and (positions < size).all()):
        raise ValueError(f"{filename}: rows off the grid {start}..{stop} step {step}")
    flat = (sexes - 1) * block + positions
    lms[:, flat] = rows[:, 2:5].T
    for sex_block in (0, block):
        lms[:, sex_block + size] = lms[:, sex_block + size - 1]
    lam, m, s = lms
    l_is_one = bool(np.all(lam[np.isfinite(lam)] == 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        inv_m = 1.0 / (m * s) if l_is_one else 1.0 / m
        inv_ls = 1.0 / s if l_is_one else 1.0 / (lam * s)
    dlam, dm, ds = (np.append(np.diff(a), np.nan) for a in (lam, m, s))
    return LmsTable(
        name=name,
        start=start,
        step=step,
        size=size,
        lam=lam,
        m=m,
        s=s,
        sd3pos=(sd3pos := sd_curve(lam, m, s, 3.0)),
        sd23pos=sd3pos - sd_curve(lam, m, s, 2.0),
        sd3neg=(sd3neg := sd_curve(lam, m, s, -3.0)),
        sd23neg=sd_curve(lam, m, s, -2.0) - sd3neg,
        l_is_one=l_is_one,
        inv_m=inv_m,
        inv_ls=inv_ls,
        dlam=dlam,
        dm=dm,
        ds=ds,
    )


@dataclass(frozen=True, eq=False)
class GrowthTables:
    """All tables the engine uses: WHO 2006 (0-1856 days; WFL 45-110 cm, WFH 65-120 cm) and WHO 2007."""

    wfa: LmsTable
    lhfa: LmsTable
    bfa: LmsTable
    hcfa: LmsTable
    acfa: LmsTable
    wfl: LmsTable
    wfh: LmsTable
    wfa_2007: LmsTable
    hfa_2007: LmsTable
    bfa_2007: LmsTable


@cache
def growth_tables() -> GrowthTables:
    """Load (once per process) the WHO 2006 day-based standards and the WHO 2007 month-based reference.

    Source: WHO Child Growth Standards (2006, 2007 second set) igrowup day tables and the WHO Growth
    Reference 5-19 years (2007); see data/SOURCES.md. Arm circumference starts at day 91 (3 months):
    earlier grid days are NaN rows, so every day-based table shares one index.
    """
    day = {"start": 0, "stop": LAST_DAY_2006, "step": 1}
    month = {"start": FIRST_MONTH_2007, "step": 1}
    return GrowthTables(
        wfa=load_table("wfa", "wfa_2006_days.csv.gz", **day),
        lhfa=load_table("lhfa", "lhfa_2006_days.csv.gz", **day),
        bfa=load_table("bfa", "bfa_2006_days.csv.gz", **day),
        hcfa=load_table("hcfa", "hcfa_2006_days.csv.gz", **day),
        acfa=load_table("acfa", "acfa_2006_days.csv.gz", **day),
        wfl=load_table("wfl", "wfl_2006_cm.csv.gz", start=45.0, stop=110.0, step=0.1),
        wfh=load_table("wfh", "wfh_2006_cm.csv.gz", start=65.0, stop=120.0, step=0.1),
        wfa_2007=load_table("wfa_2007", "wfa_2007_months.csv.gz", stop=120, **month),
        hfa_2007=load_table("hfa_2007", "hfa_2007_months.csv.gz", stop=228, **month),
        bfa_2007=load_table("bfa_2007", "bfa_2007_months.csv.gz", stop=228, **month),
    )
