"""PostgreSQL backend: a table (page_id, title, body, title_joined, body_joined) with two generated,
GIN-indexed tsvectors (migrations 0002, 0005, 0007, 0008); the joined columns hold the joined spellings of
hyphenated words (spellings.py).

`document` holds the title as weight A and the body as weight B: it is what a query matches and what ts_rank
reads, kept inside the table row (storage MAIN, migration 0005) so that ranking every match of a common word
reads no TOAST chunks. `title_document` holds the title alone: its index finds the title matches, which
come first, without reading anything from each matching row. Both read every hyphen as a space, as FTS5
does (PostgreSQL's parser reads "K-12" as "k" and the number "-12").
Each spelling of a term becomes plainto_tsquery / phraseto_tsquery / to_tsquery(':*') of a bound parameter,
OR-ed together, so nothing a person types is parsed as tsquery syntax except the quoted prefix lexeme,
whose word is letters and digits.

Snippets are made by text.make_snippet, as on SQLite: ts_headline parsed the whole text it was given (about
0.6 ms per 4 KB page), could not mark "E-Rate" for a search for "erate" (found through the joined words),
and chose its fragments without regard to the page's closing lists of sources.
"""

from django.db import connection

from .query import ParsedQuery, SearchHit, SearchResults, Term
from .spellings import joined_words
from .text import make_snippet, marked_snippet, term_pattern

TABLE = "wiki_search_index"
CONFIG = "'english'::regconfig"
# A tsvector cannot exceed 1 MB; the start of a very large page is what people search for anyway.
MAX_BODY_CHARS = 200_000
# The tsquery is written into the WHERE clause itself (not joined from a CTE) so that the planner can use
# the GIN index on document: joined, it compared every row of the table.
LIVE_ARTICLE_JOIN = (
    f"FROM {TABLE} JOIN wiki_page ON wiki_page.id = {TABLE}.page_id "
    f"WHERE {TABLE}.document @@ ({{q}}) AND wiki_page.deleted_at IS NULL AND wiki_page.redirect_to = ''"
)


def store(page_id: int, title: str, body: str) -> None:
    body = body[:MAX_BODY_CHARS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (page_id, title, body, title_joined, body_joined) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (page_id) DO UPDATE SET title = EXCLUDED.title, "
            "body = EXCLUDED.body, title_joined = EXCLUDED.title_joined, body_joined = EXCLUDED.body_joined",
            [page_id, title, body, joined_words(title), joined_words(body)],
        )


def remove(page_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE page_id = %s", [page_id])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def spelling_sql(words: tuple[str, ...], prefix: bool) -> tuple[str, str]:
    if prefix:
        # Words are letters and digits only (query.WORD): quoting them is all the escaping tsquery needs.
        *leading, last = words
        lexemes = [f"'{word}'" for word in leading] + [f"'{last}':*"]
        return f"to_tsquery({CONFIG}, %s)", " <-> ".join(lexemes)
    if len(words) > 1:
        return f"phraseto_tsquery({CONFIG}, %s)", " ".join(words)
    return f"plainto_tsquery({CONFIG}, %s)", words[0]


def term_sql(term: Term) -> tuple[str, list[str]]:
    parts = [spelling_sql(words, term.prefix) for words in term.spellings]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [param for _, param in parts]


def tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    parts = [term_sql(term) for term in query.terms]
    return " && ".join(sql for sql, _ in parts), [param for _, params in parts for param in params]


def titles_with_words(query: ParsedQuery, limit: int) -> list[str]:
    """Up to `limit` titles of live articles holding every term of `query` in their title, found by the
    title_document index, unranked (the caller sorts these few)."""
    q, params = tsquery(query)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT wiki_page.title FROM {TABLE} JOIN wiki_page ON wiki_page.id = {TABLE}.page_id "
            f"WHERE {TABLE}.title_document @@ ({q}) AND wiki_page.deleted_at IS NULL "
            "AND wiki_page.redirect_to = '' LIMIT %s",
            [*params, limit],
        )
        return [title for (title,) in cursor.fetchall()]


def search(query: ParsedQuery, limit: int, offset: int) -> SearchResults:
    if not query:
        return SearchResults(notes=query.notes)
    q, params = tsquery(query)
    with connection.cursor() as cursor:
        rows = results_page(cursor, q, params, limit, offset)
        if rows:
            total = rows[0][3]
        else:  # past the last page: say how many there are
            cursor.execute(f"SELECT count(*) {LIVE_ARTICLE_JOIN.format(q=q)}", params)
            total = cursor.fetchone()[0]
    pattern = term_pattern(query.terms)
    hits = [SearchHit(page, title, snippet_html(body, pattern)) for page, title, body, _ in rows]
    return SearchResults(hits=hits, total=total, notes=query.notes)


def snippet_html(body: str, pattern) -> str:
    return marked_snippet(make_snippet(body, pattern))


def results_page(cursor, q: str, params: list[str], limit: int, offset: int) -> list[tuple]:
    """(page id, title, body, total matches) for one page of results, best first.

    One pass over the matches ranks them, counts them (the window) and keeps this page of results; the
    bodies are read for that page only. The ranking subquery is fenced (OFFSET 0) so that ts_rank runs as
    the rows are scanned and the window stores narrow rows, not every document."""
    # Title matches come from the title_document index as one hashed set: evaluating `title_document @@`
    # on every match of a common word cost more than ranking them all.
    titled = f"SELECT titled.page_id FROM {TABLE} AS titled WHERE titled.title_document @@ ({q})"
    matches = (
        f"SELECT wiki_page.id, wiki_page.title, {TABLE}.page_id IN ({titled}) AS in_title, "
        f"ts_rank({TABLE}.document, ({q})) AS rank {LIVE_ARTICLE_JOIN.format(q=q)} OFFSET 0"
    )
    cursor.execute(
        f"WITH ranked AS (SELECT matches.*, count(*) OVER () AS total FROM ({matches}) AS matches "
        "ORDER BY in_title DESC, rank DESC, title LIMIT %s OFFSET %s) "
        f"SELECT ranked.id, ranked.title, {TABLE}.body, ranked.total "
        f"FROM ranked JOIN {TABLE} ON {TABLE}.page_id = ranked.id "
        "ORDER BY ranked.in_title DESC, ranked.rank DESC, ranked.title",
        [*params, *params, *params, limit, offset],
    )
    return cursor.fetchall()
