"""Indexes that let the list's text search use an index on PostgreSQL.

Django's `istartswith` / `icontains` become `UPPER(col::text) LIKE UPPER(...)`. Under a C.UTF-8
(or any non-C) collation a plain btree cannot serve LIKE, so the prefix columns get
`varchar_pattern_ops` indexes on that expression, and the item name (matched anywhere) a
trigram GIN index. SQLite and other databases are left as they are.
"""

from django.db import migrations

PREFIX_COLUMNS = (
    "ref_document_id",
    "supplier_part_number",
    "buyer_part_number",
    "buyer_batch_number",
    "external_inspection_id",
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in PREFIX_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "inspection_{column}_upper_like" '
            f'ON "inspections_inspection" (UPPER("{column}"::text) varchar_pattern_ops)'
        )
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "inspection_item_name_trgm" '
        'ON "inspections_inspection" USING gin (UPPER("item_name"::text) gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "inspection_{column}_upper_like"')
    schema_editor.execute('DROP INDEX IF EXISTS "inspection_item_name_trgm"')


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_last_seen_run_unindexed")]

    operations = [migrations.RunPython(create, drop)]
