"""PostgreSQL backend: a table (page_id, title, body) with a generated, weighted tsvector and a GIN index.

The title is weight A and the body weight B; ts_rank orders within the title-match and body-only groups.
Each term becomes plainto_tsquery / phraseto_tsquery / to_tsquery(':*') of a bound parameter, so nothing a
person types is parsed as tsquery syntax except the quoted prefix lexeme, whose word is letters and digits.
"""

from django.db import connection

from .query import ParsedQuery, SearchHit, SearchResults, Term
from .text import MARK_END, MARK_START, marked_snippet

TABLE = "wiki_search_index"
CONFIG = "'english'::regconfig"
# A tsvector cannot exceed 1 MB; the start of a very large page is what people search for anyway.
MAX_BODY_CHARS = 200_000
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, ShortWord=3, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
LIVE_ARTICLE_JOIN = (
    f"FROM {TABLE} JOIN wiki_page ON wiki_page.id = {TABLE}.page_id, query "
    f"WHERE {TABLE}.document @@ query.q AND wiki_page.deleted_at IS NULL AND wiki_page.redirect_to = ''"
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


def search(query: ParsedQuery, limit: int, offset: int) -> SearchResults:
    if not query:
        return SearchResults(notes=query.notes)
    query_sql, params = tsquery(query)
    with_query = f"WITH query AS (SELECT {query_sql} AS q) "
    with connection.cursor() as cursor:
        cursor.execute(f"{with_query}SELECT count(*) {LIVE_ARTICLE_JOIN}", params)
        total = cursor.fetchone()[0]
        if total <= offset:
            return SearchResults(hits=[], total=total, notes=query.notes)
        # Rank and page first, then build headlines (the costly part) for this page of results only.
        cursor.execute(
            f"{with_query}, ranked AS (SELECT wiki_page.id, wiki_page.title, {TABLE}.body, "
            f"to_tsvector({CONFIG}, {TABLE}.title) @@ query.q AS in_title, "
            f"ts_rank({TABLE}.document, query.q) AS rank {LIVE_ARTICLE_JOIN} "
            "ORDER BY in_title DESC, rank DESC, wiki_page.title LIMIT %s OFFSET %s) "
            f"SELECT ranked.id, ranked.title, ts_headline({CONFIG}, ranked.body, query.q, %s) "
            "FROM ranked, query ORDER BY ranked.in_title DESC, ranked.rank DESC, ranked.title",
            [*params, limit, offset, HEADLINE_OPTIONS],
        )
        rows = cursor.fetchall()
    hits = [SearchHit(page_id, title, marked_snippet(snippet or "")) for page_id, title, snippet in rows]
    return SearchResults(hits=hits, total=total, notes=query.notes)
