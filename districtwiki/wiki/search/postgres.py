"""(Being written.)"""

from .query import SearchResults


def index_page(page, revision) -> None:
    return None


def unindex_page(page) -> None:
    return None


def search(query, limit: int, offset: int) -> SearchResults:
    return SearchResults()
