"""PostgreSQL search reads less per match: ranking a common word reads every matching document.

`document` moves into the table row (storage MAIN: a tsvector barely compresses, so it was kept out of line
in TOAST chunks, fetched once per ts_filter and once per ts_rank), and `title_document`, the title's
lexemes alone, GIN-indexed, finds the title matches without reading each matching row again.
Adding a stored generated column rewrites the table, which brings existing documents inline too. Nothing to
do on SQLite, whose FTS5 table search/sqlite.py reads."""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE wiki_search_index"
    " ALTER COLUMN document SET STORAGE MAIN,"
    " ADD COLUMN title_document tsvector"
    " GENERATED ALWAYS AS (to_tsvector('english'::regconfig, title)) STORED",
    "CREATE INDEX wiki_search_index_title ON wiki_search_index USING GIN (title_document)",
]
POSTGRES_BACKWARD = [
    # Dropping the column drops its index; documents already inline stay there, which is harmless.
    "ALTER TABLE wiki_search_index DROP COLUMN title_document, ALTER COLUMN document SET STORAGE EXTENDED",
]


def run_on_postgres(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def inline_documents(apps, schema_editor):
    run_on_postgres(schema_editor, POSTGRES_FORWARD)


def toast_documents(apps, schema_editor):
    run_on_postgres(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0004_page_view_stamp")]

    operations = [migrations.RunPython(inline_documents, toast_documents)]
