"""SQLite FTS5 backend: a virtual table (title, body, title_joined, body_joined) whose rowid is the page id
(migrations 0002, 0008); the joined columns hold the joined spellings of hyphenated words (spellings.py).

Results come in two groups, each ranked by bm25 with the title weighted ten times the body, ties by title:
pages with every term in their title first, then the other matches. The MATCH string is built only from
quoted words (query.Term), so nothing a person types is read as FTS5 syntax; a term with several
spellings is their OR in parentheses.

Scoring is the cost: bm25 takes about 1–2 µs a match, over 100 ms for a word on all of 100,000 pages. So
when a query matches at least half of the indexed pages (then bm25 gives every term its floor IDF of 1e-6:
the words say next to nothing about relevance), a group larger than WINDOW is ranked as its WINDOW newest
pages (highest page id) by bm25, followed by its older pages, newest first. Smaller result sets are ranked
exactly. The title group is counted and ranked on its own, so title matches always come first.
"""

from django.db import connection

from .query import ParsedQuery, SearchHit, SearchResults, Term
from .spellings import joined_words
from .text import make_snippet, marked_snippet, term_pattern

TABLE = "wiki_search_index"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
TITLE_COLUMNS = "{title title_joined}"
# bm25 over 5,000 matches costs about 10 ms at 100,000 pages (a page of results stays under 50 ms).
WINDOW = 5_000
LIVE_ARTICLE_JOIN = (
    f"FROM {TABLE} JOIN wiki_page ON wiki_page.id = {TABLE}.rowid "
    f"WHERE {TABLE} MATCH %s AND wiki_page.deleted_at IS NULL AND wiki_page.redirect_to = ''"
)
BM25 = f"bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, {TITLE_WEIGHT}, {BODY_WEIGHT})"


def store(page_id: int, title: str, body: str, body_joined: str | None = None) -> None:
    """`body_joined`: joined_words(body), when the caller has it already."""
    body_joined = joined_words(body) if body_joined is None else body_joined
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [page_id])
        columns = "rowid, title, body, title_joined, body_joined"
        insert = f"INSERT INTO {TABLE} ({columns}) VALUES (%s, %s, %s, %s, %s)"
        cursor.execute(insert, [page_id, title, body, joined_words(title), body_joined])


def remove(page_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [page_id])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def phrase(term: Term) -> str:
    # Words are letters and digits only (query.WORD), so wrapping them in double quotes is all the escaping
    # FTS5 needs; inside quotes it tokenises the words the same way it tokenised the page.
    star = "*" if term.prefix else ""
    quoted = ['"' + " ".join(words) + '"' + star for words in term.spellings]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def match_expression(query: ParsedQuery, columns: str = "") -> str:
    """The MATCH string for every term; `columns`, an FTS5 column filter, limits each term to them."""
    # An explicit AND: FTS5 reads no implicit AND after a parenthesised OR.
    prefix = f"{columns} : " if columns else ""
    return " AND ".join(prefix + phrase(term) for term in query.terms)


def titles_with_words(query: ParsedQuery, limit: int) -> list[str]:
    """Up to `limit` titles of live articles holding every term of `query` in their title (in any of its
    spellings), in index order (no ranking: the caller sorts these few)."""
    match = match_expression(query, TITLE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT wiki_page.title {LIVE_ARTICLE_JOIN} LIMIT %s", [match, limit])
        return [title for (title,) in cursor.fetchall()]


class Group:
    """The matches of `match` that do (`titled`) or do not have every term in their title: their size and
    the SQL condition that selects them. An empty title group needs no condition on the other one."""

    def __init__(self, cursor, match: str, title_match: str, titled: bool, size: int, no_titles: bool):
        self.cursor, self.match, self.title_match, self.size = cursor, match, title_match, size
        self.titled, self.no_titles = titled, no_titles

    def condition(self, floor: int) -> tuple[str, list]:
        """SQL (and its parameters) keeping this group's pages from id `floor` up. The unary + keeps SQLite
        from handing the IN list to FTS5 as rowids to look up one MATCH at a time (slow for a long list)."""
        if self.no_titles:
            return f" AND {TABLE}.rowid >= %s", [floor]
        membership = "IN" if self.titled else "NOT IN"
        titles = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid >= %s"
        return f" AND {TABLE}.rowid >= %s AND +{TABLE}.rowid {membership} ({titles})", [
            floor,
            self.title_match,
            floor,
        ]

    def ids(self, sql: str, params: list) -> list[int]:
        self.cursor.execute(sql, params)
        return [page_id for (page_id,) in self.cursor.fetchall()]

    def ranked(self, start: int, count: int, floor: int = 0) -> list[int]:
        """Page ids at [start, start + count) by bm25 then title, among the group's pages from id `floor`."""
        condition, params = self.condition(floor)
        return self.ids(
            f"SELECT wiki_page.id {LIVE_ARTICLE_JOIN}{condition} "
            f"ORDER BY {BM25}, wiki_page.title LIMIT %s OFFSET %s",
            [self.match, *params, count, start],
        )

    def newest_first(self, start: int, count: int, below: int) -> list[int]:
        condition, params = self.condition(0)
        return self.ids(
            f"SELECT wiki_page.id {LIVE_ARTICLE_JOIN}{condition} AND {TABLE}.rowid < %s "
            f"ORDER BY {TABLE}.rowid DESC LIMIT %s OFFSET %s",
            [self.match, *params, below, count, start],
        )

    def window_floor(self) -> int:
        """The lowest page id among the group's WINDOW newest pages."""
        # Every term in the title implies a match, so the title group is simply the title match's pages.
        match, (condition, params) = self.match, self.condition(0)
        if self.titled:
            match, condition, params = self.title_match, "", []
        rows = self.ids(
            f"SELECT {TABLE}.rowid FROM {TABLE} WHERE {TABLE} MATCH %s{condition} "
            f"ORDER BY {TABLE}.rowid DESC LIMIT 1 OFFSET %s",
            [match, *params, WINDOW - 1],
        )
        return rows[0]

    def page(self, start: int, count: int, windowed: bool) -> list[int]:
        """The group's page ids at [start, start + count) in its result order."""
        if not windowed or self.size <= WINDOW:
            return self.ranked(start, count)
        floor = self.window_floor()
        ids = self.ranked(start, min(count, WINDOW - start), floor) if start < WINDOW else []
        if start + count > WINDOW:
            ids += self.newest_first(max(0, start - WINDOW), count - len(ids), floor)
        return ids


def count(cursor, match: str) -> int:
    # No join with wiki_page: the index holds live articles only (index_page and unindex_page run in the
    # saving transaction), and counting through the join costs about 10 ms more at 100,000 matches.
    cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
    return cursor.fetchone()[0]


def indexed_pages(cursor) -> int:
    # The row count bm25 itself uses; the docsize shadow table has one row per indexed page and counts
    # from its b-tree in microseconds, where count(*) on the FTS table reads every document.
    cursor.execute(f"SELECT count(*) FROM {TABLE}_docsize")
    return cursor.fetchone()[0]


def ranked_ids(cursor, query: ParsedQuery, total: int, limit: int, offset: int) -> list[int]:
    match, title_match = match_expression(query), match_expression(query, TITLE_COLUMNS)
    titled = count(cursor, title_match)
    windowed = total > WINDOW and 2 * total >= indexed_pages(cursor)
    groups = [(True, titled), (False, total - titled)]
    ids: list[int] = []
    start = offset
    for in_title, size in groups:
        if start < size and len(ids) < limit:
            group = Group(cursor, match, title_match, in_title, size, no_titles=titled == 0)
            ids += group.page(start, limit - len(ids), windowed)
        start = max(0, start - size)
    return ids


def search(query: ParsedQuery, limit: int, offset: int) -> SearchResults:
    if not query:
        return SearchResults(notes=query.notes)
    match = match_expression(query)
    with connection.cursor() as cursor:
        total = count(cursor, match)
        if total <= offset:
            return SearchResults(hits=[], total=total, notes=query.notes)
        ranked = ranked_ids(cursor, query, total, limit, offset)
        # Snippets for this page of results only, made by text.make_snippet from a bounded part of each
        # body: FTS5's snippet() weighs every pair of a page's matches, the square of a word's count.
        # The ranked ids are live matches already: read them by rowid, without matching again.
        cursor.execute(
            f"SELECT wiki_page.id, wiki_page.title, {TABLE}.body FROM {TABLE} "
            f"JOIN wiki_page ON wiki_page.id = {TABLE}.rowid "
            f"WHERE {TABLE}.rowid IN ({', '.join(['%s'] * len(ranked))})",
            ranked,
        )
        found = {row[0]: row for row in cursor.fetchall()}
    pattern = term_pattern(query.terms)
    rows = [found[page_id] for page_id in ranked if page_id in found]
    hits = [
        SearchHit(page_id, title, marked_snippet(make_snippet(body or "", pattern)))
        for page_id, title, body in rows
    ]
    return SearchResults(hits=hits, total=total, notes=query.notes)
