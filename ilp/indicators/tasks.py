"""Background task: the incremental indicator refresh, enqueued after a change (`ilp.core.changes`)."""

from django_tasks import task

from ilp.indicators.refresh import refresh_stale


@task()
def refresh_stale_task() -> int:
    """Recompute what the pending change marks touch; safe to run twice or concurrently (idempotent)."""
    return refresh_stale().rows
