"""The full-text search index: an FTS5 virtual table on SQLite, a table with a GIN-indexed tsvector on
PostgreSQL. Hand-written because neither is a Django model; search/sqlite.py and search/postgres.py read and
write them. Existing pages are indexed from their latest revision."""

from django.db import migrations

SQLITE_CREATE = [
    # porter: "devices" finds "device"; remove_diacritics: "resume" finds "résumé".
    "CREATE VIRTUAL TABLE wiki_search_index USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
]
POSTGRES_CREATE = [
    "CREATE TABLE wiki_search_index ("
    " page_id bigint PRIMARY KEY,"
    " title text NOT NULL,"
    " body text NOT NULL,"
    " document tsvector GENERATED ALWAYS AS ("
    "  setweight(to_tsvector('english'::regconfig, title), 'A') ||"
    "  setweight(to_tsvector('english'::regconfig, body), 'B')) STORED)",
    "CREATE INDEX wiki_search_index_document ON wiki_search_index USING GIN (document)",
]
DROP = ["DROP TABLE IF EXISTS wiki_search_index"]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"districtwiki search supports SQLite and PostgreSQL, not {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)
    index_existing_pages(apps, schema_editor)


def index_existing_pages(apps, schema_editor):
    from districtwiki.wiki.search.text import plain_text

    Page = apps.get_model("wiki", "Page")
    pages = Page.objects.using(schema_editor.connection.alias).filter(
        deleted_at__isnull=True, redirect_to="", latest__isnull=False
    )
    key = "rowid" if schema_editor.connection.vendor == "sqlite" else "page_id"
    with schema_editor.connection.cursor() as cursor:
        for page in pages.select_related("latest").iterator(chunk_size=200):
            cursor.execute(
                f"INSERT INTO wiki_search_index ({key}, title, body) VALUES (%s, %s, %s)",
                [page.pk, page.title, plain_text(page.latest.html)[:200_000]],
            )


def drop_index(apps, schema_editor):
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
