"""PostgreSQL only: a trigram index so a name search for the start of a later word ("nur" in "Siti
Nurhaliza", `LIKE '% nur%'`) does not scan the register. SQLite has no such index and walks the
search-key index instead. Where the database role may not create the pg_trgm extension, the index is
left out and searches still work, only slower (bench/people_search.py shows the difference)."""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS person_name_search_trgm ON people_person "
                "USING gin (name_search gin_trgm_ops)"
            )
    except DatabaseError as err:
        log.warning("pg_trgm not available, name search without trigram index: %s", err)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_family_posyandu_person_moved_out_on_and_more")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
