"""Change marks: what changed, in which desa, for which date, for the indicator engine to recompute.

A service that changes what indicators count calls `mark_changed` inside its transaction. The marks
are an outbox (`ChangeMark`); after the commit the consumer task named by the `ILP_CHANGE_CONSUMER`
setting (a django-tasks task, the indicator refresh) is enqueued. The setting keeps the lower layers
from importing the indicators app; if the enqueue fails the marks stay and the next refresh (task,
`ilp indicators refresh --stale`, or the next change) picks them up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus

from ilp.core.models import ChangeMark

logger = logging.getLogger(__name__)

# Topics; indicators declare which they read (`indicators.registry.Indicator.topics`).
REGISTER = "register"
PREGNANCY = "pregnancy"
ENCOUNTER = "encounter"
REFERRAL = "referral"
HOME_VISIT = "home_visit"
FACILITY = "facility"


def service_topic(kind: str) -> str:
    return f"service:{kind}"


def observation_topic(kind: str) -> str:
    return f"obs:{kind}"


def mark_changed(*, topics: Iterable[str], village_ids: Iterable[int | None], dates: Iterable[dt.date]) -> int:
    """Record that these topics changed in these desa on these dates (one mark per topic, desa and month)."""
    months = {d.replace(day=1) for d in dates}
    villages = set(village_ids)
    rows = [ChangeMark(topic=t, village_id=v, date=m) for t in set(topics) for v in villages for m in months]
    if not rows:
        return 0
    ChangeMark.objects.bulk_create(rows)
    transaction.on_commit(_enqueue_consumer)
    return len(rows)


def mark_changed_each(marks: Iterable[tuple[str, int | None, dt.date]]) -> int:
    """Record each (topic, desa, date) given (one mark per topic, desa and month), for bulk writers that know
    exactly which combinations they touched."""
    rows = [ChangeMark(topic=t, village_id=v, date=m) for t, v, m in {(t, v, d.replace(day=1)) for t, v, d in marks}]
    if not rows:
        return 0
    ChangeMark.objects.bulk_create(rows, batch_size=2000)
    transaction.on_commit(_enqueue_consumer)
    return len(rows)


# The consumer task this process enqueued last: while it still waits in the queue it will read every mark
# written since, so another enqueue would only add an idle run (a bulk seeding commits hundreds of times).
_pending: dict[str, str] = {}


def _still_waiting(task, result_id: str) -> bool:
    try:
        return task.get_result(result_id).status == TaskResultStatus.READY
    except Exception:  # a backend that keeps no results: enqueue
        return False


def _enqueue_consumer() -> None:
    path = getattr(settings, "ILP_CHANGE_CONSUMER", "")
    if not path:
        return
    try:
        task = import_string(path)
        if path in _pending and _still_waiting(task, _pending[path]):
            return
        _pending[path] = task.enqueue().id
    except Exception:  # the marks are kept: the next refresh reads them
        logger.exception("Could not enqueue %s; change marks are kept for the next refresh.", path)
