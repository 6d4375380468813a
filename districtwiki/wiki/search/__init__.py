"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL full text, chosen by the database.

`index_page` and `unindex_page` run inside the saving transaction, so the index never disagrees with the
pages. `search_pages` accepts any string a person may type and never raises for its content: query.py
reduces it to quoted words before a backend sees it. Redirects and deleted pages are never indexed.
"""

from collections.abc import Callable

from django.db import connection, transaction

from ..models import Page
from . import postgres, sqlite
from .query import ParsedQuery, SearchHit, SearchResults, parse_query
from .suggest import Suggestions, suggest
from .text import indexed_body

__all__ = [
    "ParsedQuery",
    "SearchHit",
    "SearchResults",
    "Suggestions",
    "articles_to_index",
    "index_page",
    "parse_query",
    "rebuild_index",
    "search_pages",
    "suggestions_for",
    "titles_with_words",
    "unindex_page",
]


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def index_page(page, revision, search_text: str | None = None, joined: str | None = None) -> None:
    """`search_text`: plain_text(revision.html), and `joined` its spellings.joined_words, when the caller
    has them already."""
    body = indexed_body(page, revision, search_text)
    if body is None:
        _backend().remove(page.pk)
    else:
        _backend().store(page.pk, page.title, body, joined if search_text is not None else None)


def unindex_page(page) -> None:
    _backend().remove(page.pk)


def search_pages(text: str, limit: int = 20, offset: int = 0) -> SearchResults:
    return _backend().search(parse_query(text), limit=max(0, limit), offset=max(0, offset))


def suggestions_for(text: str) -> Suggestions:
    """ "Did you mean": titles near what was typed, and a corrected query when one finds pages."""
    return suggest(parse_query(text), lambda corrected: search_pages(corrected, limit=1).total > 0)


def titles_with_words(query: ParsedQuery, limit: int) -> list[str]:
    """Titles of live articles holding the words of `query`'s phrase in a row, the last as a prefix."""
    return _backend().titles_with_words(query, max(0, limit)) if query else []


def articles_to_index():
    return Page.objects.articles()


def rebuild_index(advance: Callable[[], None] = lambda: None) -> int:
    """Index every live page again from its latest revision (after a restore or an import); the count.

    One transaction: the index is replaced whole, or (an error, Ctrl+C) stays as it was. `advance` is called
    once per page, for progress.
    """
    count = 0
    with transaction.atomic():
        _backend().clear()
        for page in articles_to_index().select_related("latest").iterator(chunk_size=200):
            index_page(page, page.latest)
            count += page.latest is not None
            advance()
    return count
