"""Database helpers shared by the CLI commands."""

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
