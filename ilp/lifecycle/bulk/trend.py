"""The weight trend (N/T/2T/O/B) of a chunk's child weighings, as `encounter_record` derives it.

The earlier weighings of every child weighed in the chunk are read in one query (not voided, dated
before the chunk's latest weighing); the chunk's own drafts of the same child count too, whatever their
order in the chunk: each weight is judged against the child's weighings dated before it
(`measurements.weight_trend`). A chunk is written before the next is read, so drafts of one child spread
over chunks see each other when they come in date order per child (as the demo's do); an earlier-dated
draft in a later chunk does not recompute a trend already stored, as with `encounter_record`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ilp.lifecycle import measurements as m
from ilp.lifecycle.bulk.checks import Checked, ChunkContext, in_chunks
from ilp.lifecycle.models import EncounterStatus, Observation
from ilp.lifecycle.models import ObservationKind as K


def derive_trends(ctx: ChunkContext, rows: list[Checked]) -> None:
    """Add `WEIGHT_TREND` to `row.derived` for each weight of a child under 60 months in the chunk."""
    weighed = [
        r for r in rows if m.trend_applies(r.values, birth_date=ctx.persons[r.draft.person_id][0], on=r.draft.date)
    ]
    if not weighed:
        return
    history: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    latest = max(r.draft.date for r in weighed)
    for ids in in_chunks(r.draft.person_id for r in weighed):
        recorded = (
            Observation.objects.filter(
                kind=K.WEIGHT, encounter__person_id__in=ids, encounter__date__lt=latest, value__isnull=False
            )
            .exclude(encounter__status=EncounterStatus.VOIDED)
            .values_list("encounter__person_id", "encounter__date", "value")
        )
        for person_id, on, kg in recorded:
            history[person_id].append((on, kg))
    for r in weighed:
        history[r.draft.person_id].append((r.draft.date, r.values[K.WEIGHT]))
    for r in weighed:
        person_id = r.draft.person_id
        r.derived[K.WEIGHT_TREND] = m.weight_trend(
            birth_date=ctx.persons[person_id][0],
            on=r.draft.date,
            weight_kg=r.values[K.WEIGHT],
            history=history[person_id],
        )
