# Partial-name search served by an index on each database (see members/search.py):
# - PostgreSQL: pg_trgm GIN indexes on UPPER(name) and UPPER(name_en), the expressions ``icontains``
#   compares, so LIKE '%云端政务%' reads the index instead of every row;
# - SQLite: an FTS5 table with the trigram tokenizer over name and name_en, kept in sync by triggers.
# Each part runs only on its own database; the model state does not change.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS org_name_trgm_idx ON members_organisation USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS org_name_en_trgm_idx ON members_organisation USING gin (UPPER(name_en) gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS org_name_trgm_idx", "DROP INDEX IF EXISTS org_name_en_trgm_idx"]


def forwards(apps, schema_editor):
    from members import search

    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)
    search.ensure_sqlite_index(schema_editor.connection.alias)


def backwards(apps, schema_editor):
    from members import search

    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "sqlite":
        search.drop_sqlite_index(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0004_perf_name_sort"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(forwards, backwards),
    ]
