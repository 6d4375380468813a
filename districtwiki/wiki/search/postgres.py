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


def search(query: ParsedQuery, limit: int, offset: int) -> SearchResults:
    if not query:
        return SearchResults(notes=query.notes)
    q, params = tsquery(query)
    matching = LIVE_ARTICLE_JOIN.format(q=q)
    with connection.cursor() as cursor:
        # One pass over the matches ranks them, counts them (the window) and keeps this page of results;
        # headlines, the costly part, are built for that page only. A title match is read from the title's
        # lexemes in the document (weight A) rather than by parsing each title again.
        cursor.execute(
            f"WITH ranked AS (SELECT wiki_page.id, wiki_page.title, {TABLE}.body, "
            f"ts_filter({TABLE}.document, '{{a}}') @@ ({q}) AS in_title, "
            f"ts_rank({TABLE}.document, ({q})) AS rank, count(*) OVER () AS total {matching} "
            "ORDER BY in_title DESC, rank DESC, wiki_page.title LIMIT %s OFFSET %s) "
            f"SELECT ranked.id, ranked.title, ts_headline({CONFIG}, ranked.body, ({q}), %s), ranked.total "
            "FROM ranked ORDER BY ranked.in_title DESC, ranked.rank DESC, ranked.title",
            [*params, *params, *params, limit, offset, *params, HEADLINE_OPTIONS],
        )
        rows = cursor.fetchall()
        if rows:
            total = rows[0][3]
        else:  # past the last page: say how many there are
            cursor.execute(f"SELECT count(*) {matching}", params)
            total = cursor.fetchone()[0]
    rows = [row[:3] for row in rows]
    hits = [SearchHit(page_id, title, marked_snippet(snippet or "")) for page_id, title, snippet in rows]
    return SearchResults(hits=hits, total=total, notes=query.notes)
