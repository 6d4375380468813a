"""Turning whatever a person typed into a small, safe list of search terms.

The language is deliberately tiny: words (all must match), "quoted phrases" (words next to each other) and
prefix* words. Everything else — unbalanced quotes, FTS5 or tsquery operators, parentheses, punctuation,
kilobytes of junk — is reduced to plain words, so no input reaches the database as query syntax: the backends
build their MATCH string or tsquery from `Term.words` only, and every word is letters and digits.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from ..markup import page_url
from .spellings import spellings

MAX_QUERY_CHARS = 1000
MAX_TERMS = 12
MAX_WORD_CHARS = 64
# Letters and digits only: a word can never carry a quote, a star, a colon or any other operator.
WORD = re.compile(r"[^\W_]+")
# A "quoted phrase", a ratio such as 1:1 (a phrase of its numbers), or a run of characters between spaces
# and the brackets, commas and colons that FTS syntax uses as separators (so `NEAR(wifi)` and `title:wifi`
# still find "wifi").
TOKEN = re.compile(r'"([^"]*)"|(?<![\w:])(\d{1,4}:\d{1,4})(?![\w:])|([^\s"(){}\[\]<>,;:]+)')
OPERATORS = {"AND", "OR", "NOT", "NEAR"}


@dataclass(frozen=True)
class Term:
    """Words that must appear next to each other, in order; `prefix` makes the last one a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """Word sequences any one of which matches the term ("e-rate" also as "erate"; spellings.py)."""
        return spellings(self.words, self.prefix)


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms)


@dataclass
class SearchHit:
    page_id: int
    title: str
    snippet: str  # safe HTML: everything escaped except the <mark> around matches

    @property
    def url(self) -> str:
        return page_url(self.title)


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    notes: list[str] = field(default_factory=list)
    # True when `total` is the database's estimate (a huge result set, rounded), not a count.
    total_is_estimate: bool = False


def parse_query(text: str) -> ParsedQuery:
    """The terms in `text`, with a note for each thing that was ignored. Never raises."""
    parsed = ParsedQuery()
    text = unicodedata.normalize("NFKC", text or "")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notes.append(f"Only the first {MAX_QUERY_CHARS} characters of the search were used.")
    if text.count('"') % 2:
        # An unbalanced quote: the last one starts nothing, so it is simply dropped.
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1 :]
    for match in TOKEN.finditer(text):
        phrase, ratio, bare = match.groups()
        quoted = phrase if phrase is not None else ratio
        term = _phrase_term(quoted, parsed) if quoted is not None else _bare_term(bare, parsed)
        if term is not None and term not in parsed.terms:
            parsed.terms.append(term)
    if not parsed.terms and text.strip():
        parsed.notes.append("Search for words made of letters or digits; punctuation alone matches nothing.")
    if len(parsed.terms) > MAX_TERMS:
        parsed.terms = parsed.terms[:MAX_TERMS]
        parsed.notes.append(f"Only the first {MAX_TERMS} words or phrases were used.")
    return parsed


def _words(text: str, parsed: ParsedQuery) -> tuple[str, ...]:
    words = WORD.findall(text)
    kept = tuple(word for word in words if len(word) <= MAX_WORD_CHARS)
    if len(kept) < len(words):
        _note(parsed, f"Words longer than {MAX_WORD_CHARS} characters were left out.")
    return kept


def _phrase_term(phrase: str, parsed: ParsedQuery) -> Term | None:
    words = _words(phrase, parsed)
    return Term(words) if words else None


def _bare_term(token: str, parsed: ParsedQuery) -> Term | None:
    if token in OPERATORS:
        _note(parsed, "Search has no operators such as OR, NOT or NEAR: every word you type must match.")
        return None
    words = _words(token, parsed)
    if not words:
        return None
    # `wifi*` is a prefix; `e-rate` is two words that must be adjacent, as a person means it.
    prefix = token.endswith("*") and token.rstrip("*").endswith(words[-1])
    return Term(words, prefix)


def _note(parsed: ParsedQuery, note: str) -> None:
    if note not in parsed.notes:
        parsed.notes.append(note)
