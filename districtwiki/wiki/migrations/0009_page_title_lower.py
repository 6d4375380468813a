"""An index on the lower-cased title, for the editor's title suggestions (wiki/title_suggestions.py).

Titles starting with a prefix, in any case, are one range of this index, read in order and cut at the
suggestion limit. The range compares bytes: SQLite's default collation does; on PostgreSQL the index is in
the "C" collation, as a linguistic one does not keep every title starting with a prefix in one range."""

from django.db import migrations

CREATE = {
    "sqlite": "CREATE INDEX wiki_page_title_lower ON wiki_page (lower(title))",
    "postgresql": 'CREATE INDEX wiki_page_title_lower ON wiki_page ((lower(title) COLLATE "C"))',
}


def create_index(apps, schema_editor):
    statement = CREATE.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in CREATE:
        schema_editor.execute("DROP INDEX IF EXISTS wiki_page_title_lower")


class Migration(migrations.Migration):
    dependencies = [("wiki", "0008_search_joined_spellings")]

    operations = [migrations.RunPython(create_index, drop_index)]
