"""PostgreSQL backend: a table (page_id, title, body) with two generated, GIN-indexed tsvectors.

`document` holds the title as weight A and the body as weight B: it is what a query matches and what ts_rank
reads, kept inside the table row (storage MAIN, migration 0005) so that ranking every match of a common word
reads no TOAST chunks. `title_document` holds the title alone: its index finds the title matches, which
come first, without reading anything from each matching row.
Each term becomes plainto_tsquery / phraseto_tsquery / to_tsquery(':*') of a bound parameter, so nothing a
person types is parsed as tsquery syntax except the quoted prefix lexeme, whose word is letters and digits.
"""

from django.db import connection

from .query import ParsedQuery, SearchHit, SearchResults, Term
from .text import MARK_END, MARK_START, make_snippet, marked_snippet, term_pattern

TABLE = "wiki_search_index"
CONFIG = "'english'::regconfig"
# A tsvector cannot exceed 1 MB; the start of a very large page is what people search for anyway.
MAX_BODY_CHARS = 200_000
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, ShortWord=3, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# ts_headline parses the whole text it is given, about 0.6 ms per 4 KB page: on a full page of results that
# was most of a search. Snippets are therefore cut from the start of the body, which on the benchmark corpus
# gives the very snippets of the whole body for 200 of 200 pages matching its common word; a page whose
# start holds no match gets its snippet from the whole body (full_snippets).
HEADLINE_CHARS = 2000
HEADLINE_TEXT = (
    f"CASE WHEN char_length({TABLE}.body) > {HEADLINE_CHARS} "
    # Cut at the last space, so that the snippet does not end in half a word.
    f"THEN regexp_replace(left({TABLE}.body, {HEADLINE_CHARS}), '\\S+$', '') ELSE {TABLE}.body END"
)
# ts_headline's parser takes time worse than quadratic over a long run of letters and underscores: a space
# after every 64 characters without one bounds it (query.MAX_WORD_CHARS: no longer word is searched for).
HEADLINE_TEXT = f"regexp_replace({HEADLINE_TEXT}, '(\\S{{64}})', '\\1 ', 'g')"
# The tsquery is written into the WHERE clause itself (not joined from a CTE) so that the planner can use
# the GIN index on document: joined, it compared every row of the table.
LIVE_ARTICLE_JOIN = (
    f"FROM {TABLE} JOIN wiki_page ON wiki_page.id = {TABLE}.page_id "
    f"WHERE {TABLE}.document @@ ({{q}}) AND wiki_page.deleted_at IS NULL AND wiki_page.redirect_to = ''"
)


def store(page_id: int, title: str, body: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (page_id, title, body) VALUES (%s, %s, %s) "
            "ON CONFLICT (page_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body",
            [page_id, title, body[:MAX_BODY_CHARS]],
        )


def remove(page_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE page_id = %s", [page_id])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def term_sql(term: Term) -> tuple[str, str]:
    if term.prefix:
        # Words are letters and digits only (query.WORD): quoting them is all the escaping tsquery needs.
        *leading, last = term.words
        lexemes = [f"'{word}'" for word in leading] + [f"'{last}':*"]
        return f"to_tsquery({CONFIG}, %s)", " <-> ".join(lexemes)
    if len(term.words) > 1:
        return f"phraseto_tsquery({CONFIG}, %s)", term.text
    return f"plainto_tsquery({CONFIG}, %s)", term.text


def tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    parts = [term_sql(term) for term in query.terms]
    return " && ".join(sql for sql, _ in parts), [param for _, param in parts]


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
        snippets = {page_id: snippet or "" for page_id, _, snippet, _ in rows}
        unmarked = [page_id for page_id, snippet in snippets.items() if MARK_START not in snippet]
        if unmarked:
            snippets.update(full_snippets(cursor, query, unmarked))
    hits = [SearchHit(page_id, title, marked_snippet(snippets[page_id])) for page_id, title, _, _ in rows]
    return SearchResults(hits=hits, total=total, notes=query.notes)


def results_page(cursor, q: str, params: list[str], limit: int, offset: int) -> list[tuple]:
    """(page id, title, snippet, total matches) for one page of results, best first.

    One pass over the matches ranks them, counts them (the window) and keeps this page of results; the
    snippets, the costly part, are made for that page only. The ranking subquery is fenced (OFFSET 0) so
    that ts_rank runs as the rows are scanned and the window stores narrow rows, not every document."""
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
        f"SELECT ranked.id, ranked.title, ts_headline({CONFIG}, {HEADLINE_TEXT}, ({q}), %s), ranked.total "
        f"FROM ranked JOIN {TABLE} ON {TABLE}.page_id = ranked.id "
        "ORDER BY ranked.in_title DESC, ranked.rank DESC, ranked.title",
        [*params, *params, *params, limit, offset, *params, HEADLINE_OPTIONS],
    )
    return cursor.fetchall()


def full_snippets(cursor, query: ParsedQuery, page_ids: list[int]) -> list[tuple[int, str]]:
    """Snippets for the pages whose headline marked nothing (a match further down the page, only in its
    title, or after a `<` that ts_headline's parser reads as markup), made by text.make_snippet at a cost
    bounded by the page's length (ts_headline over a whole page weighs every word of it)."""
    cursor.execute(f"SELECT page_id, body FROM {TABLE} WHERE page_id = ANY(%s)", [page_ids])
    pattern = term_pattern(query.terms)
    return [(page_id, make_snippet(body, pattern)) for page_id, body in cursor.fetchall()]
