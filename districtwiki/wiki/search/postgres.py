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

import json

from django.db import connection

from .query import ParsedQuery, SearchHit, SearchResults, Term
from .spellings import joined_words
from .text import make_snippet, marked_snippet, term_pattern

TABLE = "wiki_search_index"
CONFIG = "'english'::regconfig"
# A tsvector cannot exceed 1 MB; the start of a very large page is what people search for anyway.
MAX_BODY_CHARS = 200_000
# ts_rank reads (decompresses) each match's document: about 5 µs a match, half a second for a word on all of
# 100,000 pages. So a query with more than WINDOW matches ranks a window of them (window_sql) and lists the
# rest newest first, and matches are counted up to COUNT_LIMIT, past which the total is an estimate.
WINDOW = 2_000
COUNT_LIMIT = 5_000
# The tsquery is written into each WHERE clause itself (not joined from a CTE) so that the planner can use
# the GIN index on document: joined, it compared every row of the table.


def store(page_id: int, title: str, body: str, body_joined: str | None = None) -> None:
    """`body_joined`: joined_words(body), when the caller has it already (of the whole body: of the part
    kept, it is made here)."""
    if body_joined is None or len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        body_joined = joined_words(body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (page_id, title, body, title_joined, body_joined) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (page_id) DO UPDATE SET title = EXCLUDED.title, "
            "body = EXCLUDED.body, title_joined = EXCLUDED.title_joined, body_joined = EXCLUDED.body_joined",
            [page_id, title, body, joined_words(title), body_joined],
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
        total, estimated = count(cursor, q, params)
        if offset >= total and not estimated:
            return SearchResults(total=total, notes=query.notes)
        if total <= WINDOW:
            rows = ranked_page(cursor, every_match_sql(q), [*params, *params, *params], limit, offset)
        else:
            rows = windowed_page(cursor, q, params, limit, offset)
    pattern = term_pattern(query.terms)
    hits = [SearchHit(page, title, snippet_html(body, pattern)) for page, title, body in rows]
    return SearchResults(hits=hits, total=total, notes=query.notes, total_is_estimate=estimated)


def snippet_html(body: str, pattern) -> str:
    return marked_snippet(make_snippet(body, pattern))


def count(cursor, q: str, params: list[str]) -> tuple[int, bool]:
    """(matches, False) up to COUNT_LIMIT; past it, (the planner's estimate, True): at least COUNT_LIMIT + 1,
    rounded to two significant digits, since it is no more precise than that."""
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE document @@ ({q}) LIMIT %s) AS capped",
        [*params, COUNT_LIMIT + 1],
    )
    counted = cursor.fetchone()[0]
    if counted <= COUNT_LIMIT:
        return counted, False
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} WHERE document @@ ({q})", params)
    plan = cursor.fetchone()[0]
    planned = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
    return rounded(max(int(planned), COUNT_LIMIT + 1)), True


def rounded(number: int) -> int:
    """`number` to two significant digits: 100,050 becomes 100,000."""
    step = 10 ** max(0, len(str(number)) - 2)
    return round(number / step) * step


def every_match_sql(q: str) -> str:
    """Every match as (page_id, title, in_title, rank); parameters: the tsquery's three times.

    Title matches come from the title_document index as one hashed set: evaluating `title_document @@` on
    every match of a common word cost more than ranking them all."""
    titled = f"SELECT titled.page_id FROM {TABLE} AS titled WHERE titled.title_document @@ ({q})"
    return (
        f"SELECT page_id, title, page_id IN ({titled}) AS in_title, ts_rank(document, ({q})) AS rank "
        f"FROM {TABLE} WHERE document @@ ({q})"
    )


def window_sql(q: str) -> str:
    """The window of a large result set as (page_id, title, in_title, rank); parameters: the tsquery's,
    then WINDOW, the tsquery's, WINDOW, the tsquery's (window_params). It holds the WINDOW newest matches
    (highest page id: read backwards along the primary key until that many match, no more) and the WINDOW
    newest title matches (from the title index), so an old page with the words in its title is in it."""
    return (
        f"WITH newest AS MATERIALIZED (SELECT page_id, title, ts_rank(document, ({q})) AS rank FROM {TABLE} "
        f"WHERE document @@ ({q}) ORDER BY page_id DESC LIMIT %s), "
        f"titled AS MATERIALIZED (SELECT page_id FROM {TABLE} WHERE title_document @@ ({q}) "
        "ORDER BY page_id DESC LIMIT %s) "
        "SELECT newest.page_id, newest.title, newest.page_id IN (SELECT page_id FROM titled) AS in_title, "
        f"newest.rank FROM newest UNION ALL SELECT {TABLE}.page_id, {TABLE}.title, true, "
        f"ts_rank({TABLE}.document, ({q})) FROM titled JOIN {TABLE} ON {TABLE}.page_id = titled.page_id "
        "WHERE titled.page_id NOT IN (SELECT page_id FROM newest)"
    )


def window_params(params: list[str]) -> list:
    return [*params, *params, WINDOW, *params, WINDOW, *params]


def ranked_page(cursor, matches: str, params: list, limit: int, offset: int) -> list[tuple]:
    """(page id, title, body) of the results at [offset, offset + limit) of `matches` (SQL giving page_id,
    title, in_title, rank), best first: title matches, then by rank, then by title.

    Ranked within the index table alone (it holds live articles only: index_page and unindex_page run in
    the saving transaction), so no page row is read for a match that is not shown; the rows shown are
    joined to their pages, and their bodies read, after the sort."""
    cursor.execute(
        f"WITH ranked AS (SELECT * FROM ({matches}) AS matches "
        "ORDER BY in_title DESC, rank DESC, title LIMIT %s OFFSET %s) "
        f"SELECT wiki_page.id, wiki_page.title, {TABLE}.body FROM ranked "
        f"JOIN {TABLE} ON {TABLE}.page_id = ranked.page_id JOIN wiki_page ON wiki_page.id = ranked.page_id "
        "WHERE wiki_page.deleted_at IS NULL AND wiki_page.redirect_to = '' "
        "ORDER BY ranked.in_title DESC, ranked.rank DESC, ranked.title",
        [*params, limit, offset],
    )
    return cursor.fetchall()


def windowed_page(cursor, q: str, params: list[str], limit: int, offset: int) -> list[tuple]:
    """(page id, title, body) of one page of a large result set (more than WINDOW matches): the window
    (window_sql) ranked as a small result set is; then every other match, newest first."""
    rows = ranked_page(cursor, window_sql(q), window_params(params), limit, offset)
    if offset + limit <= WINDOW or len(rows) == limit:
        return rows
    # Past the window: it holds the WINDOW newest matches, down to page id `floor`, and the title matches of
    # the window below that; the rest is every match below `floor` that is not one of those.
    titled = f"SELECT page_id FROM {TABLE} WHERE title_document @@ ({q}) ORDER BY page_id DESC LIMIT %s"
    cursor.execute(
        f"WITH floor AS (SELECT page_id FROM {TABLE} WHERE document @@ ({q}) "
        "ORDER BY page_id DESC LIMIT 1 OFFSET %s) "
        f"SELECT %s + (SELECT count(*) FROM ({titled}) AS titled "
        "WHERE page_id < (SELECT page_id FROM floor)), (SELECT page_id FROM floor)",
        [*params, WINDOW - 1, WINDOW, *params, WINDOW],
    )
    size, floor = cursor.fetchone()
    rest = (
        f"SELECT page_id, title, false AS in_title, page_id AS rank FROM {TABLE} "
        f"WHERE document @@ ({q}) AND page_id < %s AND page_id NOT IN ({titled})"
    )
    start = max(0, offset - size)
    return rows + ranked_page(cursor, rest, [*params, floor, *params, WINDOW], limit - len(rows), start)
