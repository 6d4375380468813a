"""SQLite FTS5 backend: a virtual table (title, body) whose rowid is the page id (migration 0002).

Ranking is bm25 with the title weighted ten times the body, after an explicit "all terms in the title" key
so that title matches always come first. The MATCH string is built only from quoted words (query.Term), so
nothing a person types is read as FTS5 syntax.
"""

from django.db import connection

from .query import ParsedQuery, SearchHit, SearchResults, Term
from .text import MARK_END, MARK_START, marked_snippet

TABLE = "wiki_search_index"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
SNIPPET_TOKENS = 24
LIVE_ARTICLE_JOIN = (
    f"FROM {TABLE} JOIN wiki_page ON wiki_page.id = {TABLE}.rowid "
    f"WHERE {TABLE} MATCH %s AND wiki_page.deleted_at IS NULL AND wiki_page.redirect_to = ''"
)


def store(page_id: int, title: str, body: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [page_id])
        insert = f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)"
        cursor.execute(insert, [page_id, title, body])


def remove(page_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [page_id])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def phrase(term: Term) -> str:
    # Words are letters and digits only (query.WORD), so wrapping them in double quotes is all the escaping
    # FTS5 needs; inside quotes it tokenises the words the same way it tokenised the page.
    return '"' + term.text + '"' + ("*" if term.prefix else "")


def match_expression(query: ParsedQuery, column: str = "") -> str:
    prefix = f"{column} : " if column else ""
    return " ".join(prefix + phrase(term) for term in query.terms)


def search(query: ParsedQuery, limit: int, offset: int) -> SearchResults:
    if not query:
        return SearchResults(notes=query.notes)
    match = match_expression(query)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {LIVE_ARTICLE_JOIN}", [match])
        total = cursor.fetchone()[0]
        if total <= offset:
            return SearchResults(hits=[], total=total, notes=query.notes)
        # Rank and page first, then make snippets (the costly part) for this page of results only: in one
        # statement SQLite would make a snippet for every match before sorting them.
        title_match = match_expression(query, "title")
        cursor.execute(
            f"SELECT wiki_page.id {LIVE_ARTICLE_JOIN} "
            f"ORDER BY {TABLE}.rowid NOT IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s), "
            f"bm25({TABLE}, %s, %s), wiki_page.title LIMIT %s OFFSET %s",
            [match, title_match, TITLE_WEIGHT, BODY_WEIGHT, limit, offset],
        )
        ranked = [page_id for (page_id,) in cursor.fetchall()]
        cursor.execute(
            f"SELECT wiki_page.id, wiki_page.title, snippet({TABLE}, 1, %s, %s, %s, %s) "
            f"{LIVE_ARTICLE_JOIN} AND {TABLE}.rowid IN ({', '.join(['%s'] * len(ranked))})",
            [MARK_START, MARK_END, "…", SNIPPET_TOKENS, match, *ranked],
        )
        found = {row[0]: row for row in cursor.fetchall()}
    rows = [found[page_id] for page_id in ranked if page_id in found]
    hits = [SearchHit(page_id, title, marked_snippet(snippet or "")) for page_id, title, snippet in rows]
    return SearchResults(hits=hits, total=total, notes=query.notes)
