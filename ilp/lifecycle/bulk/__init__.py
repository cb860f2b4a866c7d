"""Recording many encounters at once (imports, the demo): the rules of `encounter_record`, set-based.

`encounters_bulk_record` checks every draft as `encounter_record` does (scope and writer, dates against
birth and death, place and facility, known observation codes, impossible and unusual values, services,
ANC only during a pregnancy) against persons, facilities and pregnancies loaded once per chunk
(`checks`), derives the WHO z-scores of the whole chunk in one vectorised `compute_zscores` call and the
weight trend (N/T/2T/O/B) of its children's weighings from one query of their earlier weighings (`trend`),
and writes each chunk with `RowWriter` (COPY on PostgreSQL, executemany on SQLite; `write`): the encounters,
one "recorded" event and one audit entry each (the entry `encounter_record` writes), the observations and
the services. The whole call is one transaction: one refused draft refuses all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ilp.core import changes, context
from ilp.core.scoping import AreaScope
from ilp.facilities.models import Facility
from ilp.lifecycle.bulk.checks import ERR_DRAFT, ChunkContext, EncounterDraft, check, derive, in_chunks, prefixed
from ilp.lifecycle.bulk.trend import derive_trends
from ilp.lifecycle.bulk.write import BulkEncounterResult, Who, Writers, write
from ilp.lifecycle.services.common import ConfirmationNeeded, recorder_kind
from ilp.people.models import Person
from ilp.people.services import ERR_NO_PERSON_DATA, ERR_READ_ONLY

__all__ = ["ERR_DRAFT", "BulkEncounterResult", "EncounterDraft", "encounters_bulk_record"]


def _batches(drafts: Iterable[EncounterDraft], size: int) -> Iterator[list[EncounterDraft]]:
    batch: list[EncounterDraft] = []
    for draft in drafts:
        batch.append(draft)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _changes(rows, marks: set) -> None:
    """Add the (topic, desa, date) the chunk touched to `marks`: the person's desa and, for a posyandu day,
    the posyandu's desa (it counts as held where it stands). Written once per call (`ilp.core.changes`)."""
    village_of: dict[int, int | None] = {}
    for ids in in_chunks({r.draft.person_id for r in rows}):
        village_of.update(Person.objects.filter(pk__in=ids).values_list("id", "region__village_id"))
    facility_village: dict[int, int | None] = {}
    for ids in in_chunks({r.draft.facility_id for r in rows if r.draft.facility_id is not None}):
        facility_village.update(Facility.objects.filter(pk__in=ids).values_list("id", "region__village_id"))
    for r in rows:
        topics = {changes.ENCOUNTER}
        topics.update(changes.observation_topic(k) for k in (*r.values, *r.derived))
        topics.update(changes.service_topic(kind) for kind, _code, _dose in r.services)
        villages = {village_of.get(r.draft.person_id), facility_village.get(r.draft.facility_id)} - {None}
        marks.update((t, v, r.draft.date.replace(day=1)) for t in topics for v in villages)


@transaction.atomic
def encounters_bulk_record(
    *,
    scope: AreaScope,
    encounters: Iterable[EncounterDraft],
    actor=None,
    chunk_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> BulkEncounterResult:
    """Record encounters with their observations and services in one transaction, set-based: all or none.

    The rules are `encounter_record`'s. A refused draft raises `ValidationError` naming it ("Encounter 12:
    ...") with `draft_index` (0-based position in `encounters`) and `field`; unusual values raise
    `ConfirmationNeeded` unless the draft has `confirm_implausible`, and are then stored flagged. Each
    encounter gets its "recorded" event and its audit entry. Drafts are checked and written in chunks of
    `chunk_size`; `progress(n)` is called with the number of encounters written so far.

    A child's weight gets its weight trend as in `encounter_record`, judged against the weighings already
    recorded and the call's drafts of that child dated earlier (in the same chunk in any order; in an earlier
    chunk, since it is written first). Trends already stored are never recomputed: pass a child's drafts in
    date order when they may span chunks.
    """
    if not scope.person_level:
        raise PermissionDenied(ERR_NO_PERSON_DATA)
    if not scope.may_write_people:
        raise PermissionDenied(ERR_READ_ONLY)
    request = context.current()
    if actor is not None and getattr(actor, "is_authenticated", False):
        who = Who(actor.pk, actor.pk, actor.pk, actor.get_username(), request.ip_address)
    else:
        who = Who(getattr(actor, "pk", None), None, request.user_id, request.username, request.ip_address)
    actor_kind = recorder_kind(actor)
    today = timezone.localdate()
    result, writers, offset = BulkEncounterResult(), Writers(), 0
    marks: set[tuple[str, int, object]] = set()
    for drafts in _batches(encounters, chunk_size):
        ctx = ChunkContext(scope, drafts)
        rows = [check(ctx, index, d, actor_kind, today) for index, d in enumerate(drafts, start=offset)]
        derive(rows)
        for index, row in enumerate(rows, start=offset):
            if row.warnings and not row.draft.confirm_implausible:
                err = ConfirmationNeeded((f, prefixed(index, w)) for f, w in row.warnings)
                err.draft_index, err.field = index, row.warnings[0][0]
                raise err
        derive_trends(ctx, rows)
        write(rows, writers, who, result)
        _changes(rows, marks)
        offset += len(drafts)
        if progress is not None:
            progress(result.encounters)
    changes.mark_changed_each(marks)
    return result
