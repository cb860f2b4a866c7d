"""The synthetic population as an import file (the CSV contract of the family register import), streamed.

One row per person, families kept together (same `no_kk`), head first. Columns: no_kk, nik, nama,
jenis_kelamin (L/P), tanggal_lahir (YYYY-MM-DD), hubungan (the `Relationship` codes), kode_desa (10 digits,
no dots), dusun, rw, rt, alamat, no_hp, no_jkn, posyandu (facility code). The rows are the persons the demo
registers (newborns of the last weeks, families who moved in and the duplicate registrations included);
events (pregnancies, deaths, moves out) are not part of the contract. Memory stays constant: the generator
works in blocks and each row is written as it comes.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections.abc import Sequence
from pathlib import Path

from django.utils import timezone

from ilp.demo.population.generate import TANJUNG_RAYA, PosyanduSpec, VillageSpec, generate_population
from ilp.people.identity import SEX_FEMALE

HEADER = (
    "no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan", "kode_desa", "dusun", "rw", "rt",
    "alamat", "no_hp", "no_jkn", "posyandu", "alasan_tanpa_nik",
)  # fmt: skip
# `ilp.demo.seed.PILOT_CODE` (a test keeps them equal): this module reads no database and needs no models.
PILOT_CODE = "P1306030101"
_VILLAGES_FILE = Path(__file__).resolve().parents[2] / "regions" / "data" / "villages.csv.gz"


def pilot_posyandu_codes(index: int) -> tuple[PosyanduSpec, ...]:
    """The posyandu codes `seed_demo` gives the `index`-th (1-based, code order) nagari of Tanjung Raya."""
    return tuple(PosyanduSpec(code=f"{PILOT_CODE}-PY{index:02d}{k}") for k in (1, 2))


def villages_from_codes(codes: Sequence[str] | None = None) -> list[VillageSpec]:
    """Villages from the packaged Kemendagri list (no database): the pilot's nagari by default.

    Codes may be written with or without dots. Tanjung Raya's nagari get the demo's posyandu codes.
    """
    wanted = {_dotted(c) for c in codes} if codes else None
    with gzip.open(_VILLAGES_FILE, "rt", encoding="utf-8", newline="") as fh:
        rows = [
            r for r in csv.DictReader(fh) if (r["code"] in wanted if wanted else r["district_code"] == TANJUNG_RAYA)
        ]
    rows.sort(key=lambda r: r["code"])
    pilot = [r["code"] for r in rows if r["district_code"] == TANJUNG_RAYA]
    return [
        VillageSpec(
            code=r["code"],
            name=r["name"],
            posyandu=pilot_posyandu_codes(pilot.index(r["code"]) + 1) if r["code"] in pilot else (),
        )
        for r in rows
    ]


def _dotted(code: str) -> str:
    code = code.replace(".", "")
    return f"{code[0:2]}.{code[2:4]}.{code[4:6]}.{code[6:10]}"


def write_population_csv(
    path: str | Path,
    *,
    persons: int,
    seed: int,
    villages: Sequence[VillageSpec | str] | None = None,
    today: dt.date | None = None,
) -> int:
    """Write the population `ilp demo --persons N --seed S` registers as an import CSV; returns the row count.

    `villages`: `VillageSpec`s, or village codes, default the 10 nagari of Kecamatan Tanjung Raya. `today`
    defaults to the local date, as in the demo.
    """
    if villages is None or all(isinstance(v, str) for v in villages):
        specs = villages_from_codes(villages)  # type: ignore[arg-type]
    else:
        specs = list(villages)  # type: ignore[arg-type]
    today = today or timezone.localdate()
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for fam in generate_population(persons=persons, seed=seed, villages=specs, today=today):
            dusun = next((name for pk, name in fam.village.dusun if pk == fam.region_id), "")
            for p in fam.members:
                out.writerow(
                    (
                        fam.kk_number, p.nik, p.name, "P" if p.sex == SEX_FEMALE else "L", p.birth_date.isoformat(),
                        p.relationship, fam.village.code.replace(".", ""), dusun, "", "", fam.address_text, p.phone,
                        p.jkn_number, fam.posyandu.code if fam.posyandu else "",
                        "" if p.nik else (p.nik_missing_reason or "not_recorded"),
                    )
                )  # fmt: skip
                rows += 1
    return rows
