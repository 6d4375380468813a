"""Search finds a hyphenated word however it is typed: "erate" finds E-Rate, "wifi" Wi-Fi, "k12" K-12.

The index gains two columns, `title_joined` and `body_joined`, holding the joined spellings of the title's and
the body's hyphenated words (search/spellings.py), beside the text so that phrases keep their positions.
On SQLite the FTS5 table is made again with the four columns (an FTS5 table cannot gain a column) and every
page is indexed anew from its stored text. On PostgreSQL the columns are added and filled, and both
tsvectors read them; the documents also read every hyphen as a space, as FTS5 does, because PostgreSQL's
parser reads "K-12" as "k" and the number "-12", so the phrase "k 12" did not find it.
"""

from django.db import migrations

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE {table} USING fts5({columns}, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
# As migration 0007: a space after every 64 characters without one, and `<` read as a space; and now `-`.
POSTGRES_TEXT = r"translate(regexp_replace({column}, '(\S{{64}})', '\1 ', 'g'), '<-', '  ')"
POSTGRES_OLD_BODY = r"translate(regexp_replace(body, '(\S{64})', '\1 ', 'g'), '<', ' ')"


def tsvector(text: str) -> str:
    return f"to_tsvector('english'::regconfig, {text})"


DOCUMENT = (
    f"setweight({tsvector(POSTGRES_TEXT.format(column='title'))}, 'A') || "
    f"setweight({tsvector(POSTGRES_TEXT.format(column='body'))}, 'B') || "
    f"setweight({tsvector('title_joined')}, 'A') || setweight({tsvector('body_joined')}, 'B')"
)
TITLE_DOCUMENT = f"{tsvector(POSTGRES_TEXT.format(column='title'))} || {tsvector('title_joined')}"
OLD_DOCUMENT = f"setweight({tsvector('title')}, 'A') || setweight({tsvector(POSTGRES_OLD_BODY)}, 'B')"


def postgres_documents(document: str, title_document: str) -> list[str]:
    return [
        "ALTER TABLE wiki_search_index DROP COLUMN document, DROP COLUMN title_document",
        f"ALTER TABLE wiki_search_index ADD COLUMN document tsvector GENERATED ALWAYS AS ({document}) STORED,"
        f" ADD COLUMN title_document tsvector GENERATED ALWAYS AS ({title_document}) STORED",
        "ALTER TABLE wiki_search_index ALTER COLUMN document SET STORAGE MAIN",
        "CREATE INDEX wiki_search_index_document ON wiki_search_index USING GIN (document)",
        "CREATE INDEX wiki_search_index_title ON wiki_search_index USING GIN (title_document)",
    ]


def indexed_rows(cursor, key: str, table: str = "wiki_search_index"):
    """(key, title, body) of every indexed page, read 500 at a time (each batch is read in full before the
    caller writes with the same cursor): a large wiki's text never sits in memory at once."""
    last = -1
    while True:
        cursor.execute(
            f"SELECT {key}, title, body FROM {table} WHERE {key} > %s ORDER BY {key} LIMIT 500", [last]
        )
        rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def remake_sqlite_table(cursor, columns: str) -> None:
    """The FTS5 table made again with `columns`, its rows copied (with the joined words when asked for)."""
    from districtwiki.wiki.search.spellings import joined_words

    cursor.execute(SQLITE_TABLE.format(table="wiki_search_index_new", columns=columns))
    joined = "title_joined" in columns
    names = ["rowid", "title", "body"] + (["title_joined", "body_joined"] if joined else [])
    values = ", ".join(["%s"] * len(names))
    insert = f"INSERT INTO wiki_search_index_new ({', '.join(names)}) VALUES ({values})"
    for rowid, title, body in indexed_rows(cursor, "rowid"):
        extra = [joined_words(title), joined_words(body)] if joined else []
        cursor.execute(insert, [rowid, title, body, *extra])
    cursor.execute("DROP TABLE wiki_search_index")
    cursor.execute("ALTER TABLE wiki_search_index_new RENAME TO wiki_search_index")


def fill_postgres_joined(cursor) -> None:
    from districtwiki.wiki.search.spellings import joined_words

    update = "UPDATE wiki_search_index SET title_joined = %s, body_joined = %s WHERE page_id = %s"
    for page_id, title, body in indexed_rows(cursor, "page_id"):
        cursor.execute(update, [joined_words(title), joined_words(body), page_id])


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor != "postgresql":
            remake_sqlite_table(cursor, "title, body, title_joined, body_joined")
            return
        cursor.execute(
            "ALTER TABLE wiki_search_index ADD COLUMN title_joined text NOT NULL DEFAULT '',"
            " ADD COLUMN body_joined text NOT NULL DEFAULT ''"
        )
        for statement in postgres_documents(DOCUMENT, TITLE_DOCUMENT):
            cursor.execute(statement)
        fill_postgres_joined(cursor)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor != "postgresql":
            remake_sqlite_table(cursor, "title, body")
            return
        for statement in postgres_documents(OLD_DOCUMENT, tsvector("title")):
            cursor.execute(statement)
        cursor.execute("ALTER TABLE wiki_search_index DROP COLUMN title_joined, DROP COLUMN body_joined")


class Migration(migrations.Migration):
    dependencies = [("wiki", "0007_postgres_search_angle_brackets")]

    operations = [migrations.RunPython(forward, backward)]
