"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL full text, chosen by the database.

`index_page` and `unindex_page` run inside the saving transaction, so the index never disagrees with the
pages. `search_pages` accepts any string a person may type and never raises for its content.
"""

from django.db import connection

from . import postgres, sqlite
from .query import SearchHit, SearchResults, parse_query

__all__ = ["SearchHit", "SearchResults", "index_page", "parse_query", "search_pages", "unindex_page"]


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def index_page(page, revision) -> None:
    _backend().index_page(page, revision)


def unindex_page(page) -> None:
    _backend().unindex_page(page)


def search_pages(text: str, limit: int = 20, offset: int = 0) -> SearchResults:
    return _backend().search(parse_query(text), limit=limit, offset=offset)
