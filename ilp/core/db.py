"""Database helpers shared by the CLI commands and the set-based readers."""

import json

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def ensure_migrated(*, stdout=None) -> bool:
    """Create the database and apply migrations when any are pending; True when it migrated."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0, stdout=stdout)
    return True


def in_ids(column: str, ids: list[int]) -> tuple[str, list]:
    """A `column IN ids` condition with one parameter whatever the number of ids: `= ANY(array)` on
    PostgreSQL, `IN (SELECT value FROM json_each(...))` on SQLite. A 10,000-item `IN (%s, ...)` list costs
    more to build, quote and split than the query costs to run (measured in `bench/due_services.py`)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608
