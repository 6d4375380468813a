"""Parsing what a person typed into search terms. (Being written.)"""

from dataclasses import dataclass, field


@dataclass
class SearchHit:
    page_id: int
    title: str
    snippet: str


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0


def parse_query(text: str):
    return text
