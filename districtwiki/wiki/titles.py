"""Page titles: one canonical form for every way a person may type a title.

Spaces and underscores are the same, runs of them collapse, the ends are trimmed and the first letter is
upper-cased. `/` is allowed (subpages). A namespace prefix (`File:`, `Category:`) is recognised in any case.
"""

import unicodedata
from urllib.parse import quote

MAX_TITLE_LENGTH = 255
FORBIDDEN_CHARACTERS = "#<>[]|{}"
NAMESPACES = ("File", "Category")


class InvalidTitle(ValueError):
    """A title that cannot name a page; the message says why, for a person."""


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _describe(char: str) -> str:
    if char in FORBIDDEN_CHARACTERS:
        return f'the character "{char}"'
    return f"a control character (U+{ord(char):04X})"


def normalize_title(raw: str) -> str:
    """The canonical title for `raw`, or InvalidTitle naming what is wrong."""
    text = " ".join(part for part in raw.replace("_", " ").split(" ") if part)
    for char in text:
        if char in FORBIDDEN_CHARACTERS or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise InvalidTitle(f"Titles cannot contain {_describe(char)}.")
    namespace, _, rest = text.partition(":")
    if rest and namespace.strip().capitalize() in NAMESPACES:
        rest = rest.strip()
        if not rest:
            raise InvalidTitle(f"A {namespace.strip().capitalize()} title needs a name after the colon.")
        text = f"{namespace.strip().capitalize()}:{_upper_first(rest)}"
    else:
        text = _upper_first(text)
    if not text:
        raise InvalidTitle("The title is empty.")
    if text.startswith("/") or text.endswith("/") or "//" in text:
        raise InvalidTitle("A title cannot start or end with / or contain an empty subpage name.")
    if len(text) > MAX_TITLE_LENGTH:
        raise InvalidTitle(f"Titles can be at most {MAX_TITLE_LENGTH} characters; this one has {len(text)}.")
    return text


def namespace_of(title: str) -> str:
    prefix, sep, _ = title.partition(":")
    return prefix if sep and prefix in NAMESPACES else ""


def url_form(title: str) -> str:
    """The title as it appears in a URL path: spaces as underscores."""
    return title.replace(" ", "_")


def title_path(title: str) -> str:
    """The title quoted for use in a URL path (`/` and `:` kept readable)."""
    return quote(url_form(title), safe="/:")
