"""What the SQLite and PostgreSQL ranking tests share: the titles of a result page, of every page of results
(their pages saying one common word: the common_word_pages fixture in conftest.py)."""

from districtwiki.wiki import search


def titles(text: str, limit: int = 20, offset: int = 0) -> list[str]:
    return [hit.title for hit in search.search_pages(text, limit, offset).hits]


def every_page(text: str, page_size: int) -> list[str]:
    found, offset = [], 0
    while batch := titles(text, page_size, offset):
        found += batch
        offset += page_size
    return found
