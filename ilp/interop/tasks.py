"""Background tasks of the web import: validate an upload, commit a validated batch (idempotent, retry-safe)."""

from django.core.exceptions import ValidationError
from django_tasks import task

from ilp.interop.excel.people_import import batch_commit, batch_scope, batch_validate
from ilp.interop.models import BatchStatus, ImportBatch


def _fail(batch: ImportBatch, exc: Exception) -> None:
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, running=False, error=" ".join(messages))


@task()
def import_validate(batch_id: int) -> None:
    """Validate and stage a stored upload; a batch already past validation is left alone."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != BatchStatus.STAGED:
        return
    try:
        batch_validate(batch, scope=batch_scope(batch))
    except Exception as exc:
        _fail(batch, exc)
    finally:
        ImportBatch.objects.filter(pk=batch.pk).update(running=False)


@task()
def import_commit(batch_id: int) -> None:
    """Commit a validated batch as its creator; a committed batch is never committed twice."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != BatchStatus.VALIDATED:
        return
    try:
        batch_commit(batch, scope=batch_scope(batch), actor=batch.created_by)
    except Exception as exc:
        _fail(batch, exc)
    finally:
        ImportBatch.objects.filter(pk=batch.pk).update(running=False)
