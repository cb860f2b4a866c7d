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
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
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
    With `provinces`, only those provinces are loaded and nothing is deactivated.
    """
    rows = read_source(data_dir, provinces)
    report = LoadReport(source=source_info(data_dir))
    by_level: dict[int, list[SourceRow]] = {}
    for row in rows:
        by_level.setdefault(row.level, []).append(row)
    ancestor_cols = [f"{c}_id" for c in LEVEL_FIELD.values()]
    done = 0
    with transaction.atomic():
        # code -> (id, flattened ancestor ids by level) for every region loaded so far.
        known: dict[str, tuple[int, dict[int, int]]] = {}
        for level, _stem, _p, _pat in SOURCE_FILES:
            level_rows = by_level.get(level, [])
            count = report.counts.setdefault(level, LevelCount())
            count.total = len(level_rows)
            self_col = f"{LEVEL_FIELD[level]}_id"
            compared = ["name", "parent_id", "is_active", *[c for c in ancestor_cols if c != self_col]]
            existing = {
                rec[1]: rec
                for rec in Region.objects.filter(level=level).values_list("id", "code", *compared).iterator(5000)
            }
            to_create: list[dict] = []
            to_update: dict[int, dict] = {}
            for row in level_rows:
                parent_id, ancestors = known[row.parent_code] if row.parent_code else (None, {})
                values = {"name": row.name, "parent_id": parent_id, "is_active": True}
                for lvl, col in LEVEL_FIELD.items():
                    if f"{col}_id" != self_col:
                        values[f"{col}_id"] = ancestors.get(lvl)
                current = existing.pop(row.code, None)
                if current is None:
                    to_create.append({"code": row.code, "level": level, **values})
                elif tuple(current[2:]) != tuple(values[k] for k in compared):
                    to_update[current[0]] = values
            _insert(to_create)
            if to_update:
                objs = list(Region.objects.filter(id__in=to_update))
                for obj in objs:
                    for k, v in to_update[obj.id].items():
                        setattr(obj, k, v)
                Region.objects.bulk_update(objs, [c.removesuffix("_id") for c in compared], batch_size=1000)
            # The self column (e.g. village_id on a village) is set after ids exist, in one statement.
            Region.objects.filter(level=level).exclude(**{self_col: F("id")}).update(**{self_col: F("id")})
            stale = [rec[0] for rec in existing.values() if rec[4]]
            if stale and provinces is None:
                for start in range(0, len(stale), 900):
                    Region.objects.filter(id__in=stale[start : start + 900]).update(is_active=False)
                count.deactivated = len(stale)
            count.created, count.updated = len(to_create), len(to_update)
            for rec in Region.objects.filter(level=level).values_list("id", "code", *ancestor_cols).iterator(5000):
                rid, code, *anc = rec
                known[code] = (rid, {lvl: a for lvl, a in zip(LEVEL_FIELD, anc, strict=True) if a})
            done += len(level_rows)
            if progress:
                progress(done, len(rows))
    return report


def _insert(rows: list[dict], batch: int = 5000) -> None:
    """Insert new regions with one prepared statement per batch.

    The ORM's bulk_create spends most of a national load preparing 1.5 million field values one by
    one (measured: ~70 % of the load); the values here are plain strings and ints, so they are
    adapted once per column type instead. Only the loader inserts official regions this way.
    """
    if not rows:
        return
    now = timezone.now()
    ext_field = Region._meta.get_field("external_id")
    cols = ["external_id", "created_at", "updated_at", "code", "name", "level", "parent_id", "is_active",
            *[f"{c}_id" for c in LEVEL_FIELD.values()]]  # fmt: skip
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(Region._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "  # noqa: S608 (quoted model names)
        f"VALUES ({', '.join(['%s'] * len(cols))})"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            params = [
                (
                    ext_field.get_db_prep_value(uuid.uuid4(), connection),
                    stamp,
                    stamp,
                    r["code"],
                    r["name"],
                    r["level"],
                    r["parent_id"],
                    r["is_active"],
                    *[r.get(f"{c}_id") for c in LEVEL_FIELD.values()],
                )
                for r in rows[start : start + batch]
            ]
            cursor.executemany(sql, params)


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
