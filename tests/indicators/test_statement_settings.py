"""How the engine runs its statements on PostgreSQL (`engine._fetch`): sorted aggregates, no JIT, more work
memory, and none of it leaking into the connection's other queries."""

import pytest
from django.db import connection

from ilp.indicators import engine
from ilp.indicators.sql import Sql

pytestmark = pytest.mark.django_db


def _show(name: str) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SHOW {name}")
        return cur.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings exist on PostgreSQL only")
def test_a_statement_runs_without_hash_aggregation_and_the_setting_ends_with_it():
    """A hash aggregate over the partial aggregates of parallel workers crawled (162 s instead of 1 s for one
    DISTINCT at 200,000 persons): the engine's statements aggregate by sorting, the rest of the app does not."""
    names = [name for name, _value in engine._PG_SETTINGS]
    before = {name: _show(name) for name in names}
    rows = engine._fetch(Sql("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), tuple(names)))
    assert dict(zip(names, rows[0], strict=True)) == dict(engine._PG_SETTINGS)
    assert dict(engine._PG_SETTINGS)["enable_hashagg"] == "off" and before["enable_hashagg"] == "on"
    assert {name: _show(name) for name in names} == before


def test_a_statement_returns_its_rows_on_every_database():
    assert engine._fetch(Sql("SELECT %s + 1", (41,))) == [(42,)]
