"""The people import: stage a file as a batch, validate it set-based, commit it in one transaction.

The CLI (`ilp people import`) and the web upload's background tasks call the same functions:
`batch_create` -> `batch_validate` -> `batch_commit`. The commit writes through the register's services
(`families_bulk_register` for new families, `person_register`/`person_update`/`family_update` for the
rare rows that touch registered ones), so an imported row passes the same rules as a web form.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ilp.accounts.scope import scope_for
from ilp.core.rows import RowWriter, without_gc
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.interop.excel import columns as c
from ilp.interop.excel.reader import read_table
from ilp.interop.excel.validate import Plan, Row, validate_rows
from ilp.interop.models import BatchStatus, ImportBatch, ImportRow, RowOutcome
from ilp.people.bulk import families_bulk_register
from ilp.people.models import Family, Person
from ilp.people.services import family_update, person_register, person_update
from ilp.regions.models import Region

STAGE_CHUNK = 5000
Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    """The `--json` summary: accepted (new or updated), rejected and unchanged rows, and the errors."""

    accepted: int
    rejected: int
    unchanged: int
    errors: list[dict]

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


def batch_scope(batch: ImportBatch) -> AreaScope:
    """The scope a batch is validated and committed in: its creator's, or everything for the CLI."""
    return scope_for(batch.created_by) if batch.created_by_id else AreaScope.all()


def batch_create(*, name: str, data: bytes, actor=None, keep_file: bool = False) -> ImportBatch:
    """A new batch for an uploaded file (`keep_file` stores it for a background task)."""
    batch = ImportBatch(
        file_name=name[:255], sha256=hashlib.sha256(data).hexdigest(), created_by=actor, updated_by=actor
    )
    if keep_file:
        batch.file.save(name, ContentFile(data), save=False)
    batch.save()
    return batch


def _set_progress(batch: ImportBatch, done: int, total: int, progress: Progress | None) -> None:
    if progress is not None:
        progress(done, total)
    ImportBatch.objects.filter(pk=batch.pk).update(progress_done=done, progress_total=total)


def _stage(batch: ImportBatch, rows: list[Row]) -> None:
    """Replace the batch's staged rows with these, in bulk (PostgreSQL: COPY; SQLite: executemany)."""
    ImportRow.objects.filter(batch=batch).delete()
    writer = RowWriter(ImportRow)
    now = timezone.now()
    for start in range(0, len(rows), STAGE_CHUNK):
        chunk = rows[start : start + STAGE_CHUNK]
        staged = [
            writer.values(
                now,
                id=pk,
                batch_id=batch.pk,
                row_number=r.number,
                raw=r.raw,
                outcome=r.outcome,
                errors=[{"field": f, "message": m} for f, m in r.errors],
                person_external_id=r.person_external_id,
                family_external_id=r.family_external_id,
            )
            for r, pk in zip(chunk, writer.reserve_ids(len(chunk)), strict=True)
        ]
        writer.insert(staged)


def _summary(batch: ImportBatch, plan: Plan) -> ImportSummary:
    return ImportSummary(
        accepted=batch.accepted, rejected=batch.rejected, unchanged=batch.unchanged, errors=plan.errors
    )


@without_gc()
def batch_validate(
    batch: ImportBatch, data: BinaryIO | None = None, *, scope: AreaScope, progress: Progress | None = None
) -> Plan:
    """Read the file (or the batch's stored upload), validate every row and stage them with their outcome.

    A file that cannot be read at all marks the batch failed with the reason in `error`.
    """
    try:
        if data is None:
            with batch.file.open("rb") as stored:
                table = read_table(batch.file_name, stored)
        else:
            table = read_table(batch.file_name, data)
    except ValidationError as exc:
        batch.status, batch.error, batch.running = BatchStatus.FAILED, " ".join(exc.messages), False
        batch.save(update_fields=["status", "error", "running", "updated_at"])
        raise
    rows = [Row(number=n, values=v) for n, v in table.rows]
    total = len(rows)
    _set_progress(batch, 0, total, progress)
    plan = validate_rows(rows, scope=scope)
    with transaction.atomic():
        _stage(batch, rows)
        batch.status = BatchStatus.VALIDATED
        batch.accepted = plan.count(RowOutcome.NEW) + plan.count(RowOutcome.UPDATED)
        batch.rejected = plan.count(RowOutcome.REJECTED)
        batch.unchanged = plan.count(RowOutcome.UNCHANGED)
        batch.progress_done = batch.progress_total = total
        batch.error = ""
        batch.save()
    if progress is not None:
        progress(total, total)
    return plan


def _staged_rows(batch: ImportBatch) -> list[Row]:
    index = {name: i for i, name in enumerate(c.COLUMNS)}
    rows = []
    for number, raw in batch.rows.order_by("row_number").values_list("row_number", "raw").iterator(STAGE_CHUNK):
        values = [""] * len(c.COLUMNS)
        for key, value in raw.items():
            values[index[key]] = value
        rows.append(Row(number=number, values=values))
    return rows


@without_gc()
def batch_commit(
    batch: ImportBatch, *, scope: AreaScope, actor=None, plan: Plan | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Write the batch's accepted rows to the register in one transaction: all of them or none.

    Without `plan` (the web: time passed since validation) the staged rows are validated again first,
    so a NIK registered meanwhile is refused instead of failing the commit.
    """
    if batch.status == BatchStatus.COMMITTED:
        raise ValidationError({"batch": c.ERR_ALREADY_COMMITTED})
    restage = plan is None
    if plan is None:
        plan = validate_rows(_staged_rows(batch), scope=scope)
    total = sum(len(f.members) for f in plan.new_families) + len(plan.joins)
    done = 0

    def bulk_progress(n: int) -> None:
        if progress is not None:
            progress(n, total)

    with transaction.atomic():
        families_bulk_register(
            scope=scope, families=plan.new_families, actor=actor, confirm_warnings=True, progress=bulk_progress
        )
        done = sum(len(f.members) for f in plan.new_families)
        families = Family.objects.in_bulk([j[0] for j in plan.joins] + [pk for pk, _ in plan.family_updates])
        for family_pk, changes in plan.family_updates:
            if "region_id" in changes:
                changes["region"] = Region.objects.get(pk=changes.pop("region_id"))
            if "posyandu_id" in changes:
                posyandu = changes.pop("posyandu_id")
                changes["posyandu"] = Facility.objects.get(pk=posyandu) if posyandu else None
            family_update(scope=scope, family=families[family_pk], actor=actor, confirm_warnings=True, **changes)
        joined: dict[int, object] = {}
        for family_pk, draft, row in plan.joins:
            fields = {k: v for k, v in vars(draft).items() if k != "external_id"}
            person = person_register(
                scope=scope, family=families[family_pk], confirm_warnings=True, actor=actor, **fields
            )
            # A member joining a registered family gets its id from `person_register`, known only now.
            row.person_external_id = person.external_id
            joined[row.number] = person.external_id
            done += 1
            bulk_progress(done)
        if joined and not restage:
            staged = list(batch.rows.filter(row_number__in=sorted(joined)))
            for staged_row in staged:
                staged_row.person_external_id = joined[staged_row.row_number]
            ImportRow.objects.bulk_update(staged, ["person_external_id"], batch_size=2000)
        persons = Person.objects.in_bulk([pk for pk, _ in plan.person_updates])
        for person_pk, changes in plan.person_updates:
            person_update(scope=scope, person=persons[person_pk], actor=actor, confirm_warnings=True, **changes)
        if restage:
            _stage(batch, plan.rows)
        batch.status = BatchStatus.COMMITTED
        batch.accepted = plan.count(RowOutcome.NEW) + plan.count(RowOutcome.UPDATED)
        batch.rejected = plan.count(RowOutcome.REJECTED)
        batch.unchanged = plan.count(RowOutcome.UNCHANGED)
        batch.running = False
        batch.save()
    return _summary(batch, plan)


def people_import(
    name: str, data: BinaryIO, *, scope: AreaScope, actor=None, progress: Progress | None = None
) -> ImportSummary:
    """Import a people file end to end (the CLI's path): stage, validate, commit the accepted rows.

    The register changes only in the commit's single transaction; a killed process leaves it untouched
    (the batch stays `validated`, and the next run imports everything).
    """
    content = data.read()
    batch = batch_create(name=name, data=content, actor=actor)
    plan = batch_validate(batch, io.BytesIO(content), scope=scope, progress=progress)
    return batch_commit(batch, scope=scope, actor=actor, plan=plan, progress=progress)
