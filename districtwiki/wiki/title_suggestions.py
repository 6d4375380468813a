"""Title suggestions for the editor's [[link]] picker.

First the pages whose title starts with what was typed, in any case: one range of the lower-cased title
index (migration 0009), read in order and cut at LIMIT. If that leaves room, then articles whose title
holds the typed words in a row, the last as a prefix ("rate" finds "E-Rate basics"), from the search
index's title column.
Each step reads at most about LIMIT rows, whatever is typed and however many pages there are.
"""

from django.db import connection

from . import search
from .actions import WikiError
from .search.query import MAX_WORD_CHARS, WORD, ParsedQuery, Term
from .titles import MAX_TITLE_LENGTH, normalize_title

LIMIT = 10
MAX_WORDS = 6
# Above every character, so `prefix + TOP` bounds the range of titles starting with the prefix.
TOP = "\U0010ffff"


class BadPrefix(WikiError):
    status = 400


def suggest_titles(raw_prefix: str) -> list[str]:
    """Up to LIMIT titles for a prefix a person typed, title-prefix matches first, each group by title."""
    prefix = checked_prefix(raw_prefix)
    titles = titles_starting_with(prefix)
    if len(titles) < LIMIT:
        found = set(titles)
        extra = search.titles_with_words(word_query(prefix), LIMIT * 2)
        more = sorted({title for title in extra if title not in found}, key=str.lower)
        titles += more[: LIMIT - len(titles)]
    return titles


def checked_prefix(raw: str) -> str:
    """The prefix in title form (underscores as spaces, single spaces), or BadPrefix / InvalidTitle."""
    if len(raw) > MAX_TITLE_LENGTH:
        raise BadPrefix(f"A title has at most {MAX_TITLE_LENGTH} characters; this prefix has {len(raw):,}.")
    text = " ".join(part for part in raw.replace("_", " ").split(" ") if part)
    if not text:
        raise BadPrefix("Type the start of a page title to get suggestions.")
    normalize_title(text.strip("/") or "x")  # only to refuse characters no title may contain
    return text + " " if raw.endswith((" ", "_")) else text


def titles_starting_with(prefix: str) -> list[str]:
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    key = f"lower(title){collate}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT title FROM wiki_page WHERE {key} >= lower(%s) AND {key} < lower(%s) || %s "
            f"AND deleted_at IS NULL ORDER BY {key} LIMIT %s",
            [prefix, prefix, TOP, LIMIT],
        )
        return [title for (title,) in cursor.fetchall()]


def word_query(prefix: str) -> ParsedQuery:
    """The typed words as one phrase whose last word is a prefix: "e-r" finds "The E-Rate calendar" but not
    "Ed-Fi and state reporting"."""
    words = tuple(word[:MAX_WORD_CHARS] for word in WORD.findall(prefix)[:MAX_WORDS])
    return ParsedQuery([Term(words, prefix=True)] if words else [])
