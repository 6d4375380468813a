"""PostgreSQL search indexes the whole of a page that mentions `<script>`, in time linear in the page.

PostgreSQL's text parser reads `<script>` or `<style>` in plain text as the start of an HTML script or
style block and skips everything after it, so a page explaining cross-site scripting lost the rest of its
words from the index. And it parses a long run of letters and underscores in time that grows faster than
the square of its length (200,000 characters of `_a` ran for minutes). `document` is now made from the body
with every `<` read as a space and a space after every 64 characters without one (search.query keeps no
longer word); the stored body, which snippets are cut from, is unchanged. Recreating the generated column
re-indexes every page. Nothing to do on SQLite, whose FTS5 tokenizer has neither problem."""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, {body}), 'B')"
)
INDEXED_BODY = r"translate(regexp_replace(body, '(\S{64})', '\1 ', 'g'), '<', ' ')"
POSTGRES_FORWARD = [
    "ALTER TABLE wiki_search_index DROP COLUMN document",
    "ALTER TABLE wiki_search_index ADD COLUMN document tsvector"
    f" GENERATED ALWAYS AS ({DOCUMENT.format(body=INDEXED_BODY)}) STORED",
    "ALTER TABLE wiki_search_index ALTER COLUMN document SET STORAGE MAIN",
    "CREATE INDEX wiki_search_index_document ON wiki_search_index USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE wiki_search_index DROP COLUMN document",
    f"ALTER TABLE wiki_search_index ADD COLUMN document tsvector GENERATED ALWAYS AS ({DOCUMENT.format(body='body')}) STORED",
    "ALTER TABLE wiki_search_index ALTER COLUMN document SET STORAGE MAIN",
    "CREATE INDEX wiki_search_index_document ON wiki_search_index USING GIN (document)",
]


def run_on_postgres(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def forward(apps, schema_editor):
    run_on_postgres(schema_editor, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    run_on_postgres(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0006_revision_author_timestamp")]

    operations = [migrations.RunPython(forward, backward)]
