"""Set-based inserts of many rows without building model instances: COPY on PostgreSQL, executemany on SQLite.

Django's `bulk_create` spends most of its time building and compiling model instances (measured on the
people import: ~5,000 rows/s against ~100,000 rows/s for the same rows sent as tuples). Callers that
write hundreds of thousands of validated rows (imports, the demo population) describe each row as a
dict of attribute names and get the defaults, primary keys and database-ready values from here.

Primary keys are reserved before the insert, so rows that refer to each other (person -> family ->
membership) are written without reading anything back: from the sequence on PostgreSQL, after the
current maximum on SQLite, whose IMMEDIATE transactions (config/settings/base.py) hold the write lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import operator
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

_UTC = dt.UTC


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around work that builds millions of small objects.

    An import holds every staged row, draft and pending insert of the file at once; each full collection
    walks all of them, and CPython runs one every few hundred thousand allocations, so the pauses grow
    with the file (measured on 200,400 rows on SQLite: 63.5 s with the collector, 39.6 s without).
    These objects hold no reference cycles; reference counting frees them as before, and the collector
    resumes (and runs once) when the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


class RowWriter:
    """Writes rows of one model; `values(**attrs)` completes a row with the model's defaults."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self._defaults: dict[str, Any] = {}
        self._factories: dict[str, Callable[[], Any]] = {}
        now_fields = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                now_fields.append(f.attname)
            elif f.default is not NOT_PROVIDED:
                if callable(f.default):
                    self._factories[f.attname] = f.default
                else:
                    self._defaults[f.attname] = f.default
            elif f.null or f.primary_key:
                self._defaults[f.attname] = None
            else:
                self._defaults[f.attname] = ""
        self._now_fields = now_fields
        self._adapt = [self._adapter(f) for f in self.fields]

    def values(self, now: dt.datetime, **attrs) -> dict[str, Any]:
        """A full row: the given attributes, then defaults (callables called), timestamps set to `now`."""
        row = dict(self._defaults)
        for name, factory in self._factories.items():
            if name not in attrs:
                row[name] = factory()
        for name in self._now_fields:
            row[name] = now
        row.update(attrs)
        return row

    def reserve_ids(self, count: int) -> list[int]:
        """`count` primary keys no other row has or will get."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [r[0] for r in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.table}"')  # noqa: S608 - our table name
            start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))

    def insert(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert complete rows (from `values`, with their ids); returns how many."""
        get = operator.itemgetter(*self.attnames)
        convert = [(i, a) for i, a in enumerate(self._adapt) if a is not _same]
        tuples = []
        for row in rows:
            values = list(get(row))
            for i, adapt in convert:
                values[i] = adapt(values[i])
            tuples.append(values)
        if not tuples:
            return 0
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for row in tuples:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(self.columns))
                sql = f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})'  # noqa: S608 - our names
                cursor.connection.executemany(sql, tuples)
        return len(tuples)

    def _adapter(self, field: models.Field) -> Callable[[Any], Any]:
        postgres = connection.vendor == "postgresql"
        if isinstance(field, models.JSONField):
            return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
        if postgres:
            return _same
        if isinstance(field, models.UUIDField):
            return lambda v: v.hex if isinstance(v, uuid.UUID) else v
        if isinstance(field, models.DateTimeField):
            return _sqlite_datetime
        if isinstance(field, models.DateField):
            return lambda v: v.isoformat() if v is not None else None
        if isinstance(field, models.DecimalField):
            return lambda v: None if v is None else str(v)
        return _same


def _same(value):
    return value


@functools.lru_cache(maxsize=64)
def _sqlite_datetime(value):
    # Django's SQLite backend stores aware datetimes as naive UTC text. A batch shares one `now`: cached.
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(_UTC).replace(tzinfo=None)
    return str(value)
