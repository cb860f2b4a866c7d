"""Load the Kemendagri region master data (idn-area-data CSVs shipped in `regions/data/`).

The whole source is read and validated before anything is written; a malformed row stops the load
with its file and line number, and the database is left as it was. Writing is one transaction,
set-based (bulk create/update per level), and idempotent: a second run changes nothing.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.regions.models import LEVEL_FIELD, Level, Region

DATA_DIR = Path(__file__).resolve().parent / "data"

# (level, file stem, parent column in the file, code pattern)
SOURCE_FILES = (
    (Level.PROVINCE, "provinces", None, re.compile(r"^\d{2}$")),
    (Level.REGENCY, "regencies", "province_code", re.compile(r"^\d{2}\.\d{2}$")),
    (Level.DISTRICT, "districts", "regency_code", re.compile(r"^\d{2}\.\d{2}\.\d{2}$")),
    (Level.VILLAGE, "villages", "district_code", re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")),
)

ERR_BAD_CODE = gettext_lazy("{file} line {line}: code '{code}' does not match the region code format of this level.")
ERR_NO_PARENT = gettext_lazy("{file} line {line}: parent '{parent}' of code '{code}' was not found.")
ERR_PARENT_MISMATCH = gettext_lazy("{file} line {line}: code '{code}' does not start with its parent code '{parent}'.")
ERR_DUPLICATE = gettext_lazy("{file} line {line}: code '{code}' already appeared on line {first}.")
ERR_NO_NAME = gettext_lazy("{file} line {line}: the region name of code '{code}' is empty.")
ERR_COLUMNS = gettext_lazy("{file}: required columns are missing: {columns}.")


class RegionSourceError(ValueError):
    """A row of the source that cannot be loaded; the message names the file and line."""


@dataclass
class SourceRow:
    level: int
    code: str
    name: str
    parent_code: str | None


@dataclass
class LevelCount:
    total: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0


@dataclass
class LoadReport:
    source: dict
    counts: dict[int, LevelCount] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated + c.deactivated for c in self.counts.values())


def source_info(data_dir: Path = DATA_DIR) -> dict:
    return json.loads((data_dir / "SOURCE.json").read_text())


def _open(data_dir: Path, stem: str) -> io.TextIOBase:
    gz = data_dir / f"{stem}.csv.gz"
    if gz.exists():
        return io.TextIOWrapper(gzip.open(gz, "rb"), encoding="utf-8", newline="")
    return (data_dir / f"{stem}.csv").open(encoding="utf-8", newline="")


def read_source(data_dir: Path = DATA_DIR, provinces: Iterable[str] | None = None) -> list[SourceRow]:
    """Read and validate every level; raise RegionSourceError on the first bad row.

    `provinces` restricts the load to some province codes (a small deployment, or tests).
    """
    wanted = {p.strip() for p in provinces} if provinces else None
    seen: dict[str, tuple[str, int]] = {}
    rows: list[SourceRow] = []
    for level, stem, parent_col, pattern in SOURCE_FILES:
        fname = f"{stem}.csv"
        with _open(data_dir, stem) as fh:
            reader = csv.DictReader(fh)
            needed = {"code", "name"} | ({parent_col} if parent_col else set())
            missing = needed - set(reader.fieldnames or [])
            if missing:
                raise RegionSourceError(str(ERR_COLUMNS).format(file=fname, columns=", ".join(sorted(missing))))
            for line, rec in enumerate(reader, start=2):
                code = (rec["code"] or "").strip()
                name = (rec["name"] or "").strip()
                parent = (rec[parent_col] or "").strip() if parent_col else None
                fmt = {"file": fname, "line": line, "code": code, "parent": parent}
                if not pattern.match(code):
                    raise RegionSourceError(str(ERR_BAD_CODE).format(**fmt))
                if wanted is not None and code[:2] not in wanted:
                    continue
                if not name:
                    raise RegionSourceError(str(ERR_NO_NAME).format(**fmt))
                if code in seen:
                    raise RegionSourceError(str(ERR_DUPLICATE).format(first=seen[code][1], **fmt))
                if parent is not None:
                    if not code.startswith(parent + "."):
                        raise RegionSourceError(str(ERR_PARENT_MISMATCH).format(**fmt))
                    if parent not in seen:
                        raise RegionSourceError(str(ERR_NO_PARENT).format(**fmt))
                seen[code] = (fname, line)
                rows.append(SourceRow(level=level, code=code, name=name, parent_code=parent))
    return rows


def load_regions(
    *,
    data_dir: Path = DATA_DIR,
    provinces: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadReport:
    """Validate the whole source, then create/update/deactivate regions in one transaction.

    Regions the source no longer lists are deactivated, never deleted: facilities and people
    point at them. Sub-village units (dusun/RW/RT) are users' data and are left untouched.
    """
    rows = read_source(data_dir, provinces)
    report = LoadReport(source=source_info(data_dir))
    by_level: dict[int, list[SourceRow]] = {}
    for row in rows:
        by_level.setdefault(row.level, []).append(row)
    done = 0
    with transaction.atomic():
        # code -> (id, flattened ancestor ids by level) for every region loaded so far.
        known: dict[str, tuple[int, dict[int, int]]] = {}
        for level, _stem, _p, _pat in SOURCE_FILES:
            level_rows = by_level.get(level, [])
            count = report.counts.setdefault(level, LevelCount())
            count.total = len(level_rows)
            existing = {
                r.code: r
                for r in Region.objects.filter(level=level).only(
                    "id", "code", "name", "parent_id", "is_active", *[f"{f}_id" for f in LEVEL_FIELD.values()]
                )
            }
            to_create, to_update = [], []
            for row in level_rows:
                parent_id, ancestors = known[row.parent_code] if row.parent_code else (None, {})
                values = {"name": row.name, "parent_id": parent_id, "is_active": True}
                for lvl, col in LEVEL_FIELD.items():
                    values[f"{col}_id"] = ancestors.get(lvl)
                current = existing.pop(row.code, None)
                if current is None:
                    to_create.append(Region(code=row.code, level=level, **values))
                elif any(getattr(current, k) != v for k, v in values.items() if k != f"{LEVEL_FIELD[level]}_id"):
                    for k, v in values.items():
                        if k != f"{LEVEL_FIELD[level]}_id":
                            setattr(current, k, v)
                    to_update.append(current)
            Region.objects.bulk_create(to_create, batch_size=2000)
            update_fields = ["name", "parent_id", "is_active", *[f"{c}_id" for c in LEVEL_FIELD.values()]]
            update_fields = [f for f in update_fields if f != f"{LEVEL_FIELD[level]}_id"]
            Region.objects.bulk_update(to_update, [f.removesuffix("_id") for f in update_fields], batch_size=2000)
            # The self column (e.g. village_id on a village) is set after ids exist, in one statement.
            self_col = LEVEL_FIELD[level]
            Region.objects.filter(level=level).exclude(**{f"{self_col}_id": F("id")}).update(
                **{f"{self_col}_id": F("id")}
            )
            stale = [r.id for r in existing.values() if r.is_active]
            if stale and provinces is None:
                Region.objects.filter(id__in=stale).update(is_active=False)
                count.deactivated = len(stale)
            count.created, count.updated = len(to_create), len(to_update)
            cols = ["id", "code", *[f"{c}_id" for c in LEVEL_FIELD.values()]]
            for rec in Region.objects.filter(level=level).values_list(*cols):
                rid, code, *anc = rec
                known[code] = (rid, {lvl: a for lvl, a in zip(LEVEL_FIELD, anc, strict=True) if a})
            done += len(level_rows)
            if progress:
                progress(done, len(rows))
    return report


def level_name(level: int) -> str:
    return str(Level(level).label)


def format_report(report: LoadReport) -> list[str]:
    lines = []
    for level, c in sorted(report.counts.items()):
        lines.append(
            _("%(level)s: %(total)d in source, %(created)d new, %(updated)d changed, %(deactivated)d deactivated")
            % {
                "level": level_name(level),
                "total": c.total,
                "created": c.created,
                "updated": c.updated,
                "deactivated": c.deactivated,
            }
        )
    return lines
