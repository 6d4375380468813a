"""The front matter of an exported Markdown file: ours merged into the page's own, and taken apart again.

A page may begin with its own block (wiki/frontmatter.py: audience, reviewed…). An export writes one block:
its opening line, then our five keys, one line each, then the page's own lines as they stand:

    ---
    title: "Policies/Acceptable use"
    categories: ["Policies"]
    revision: 42
    timestamp: 2026-11-28T09:15:00+00:00
    author: "ada"
    audience: [director]
    ---

Reading it back drops exactly those five lines, so the page's text comes back byte for byte. A file from
elsewhere (Obsidian, Wiki.js) may carry any keys: `title`, `tags` and `categories` are read, and every key
the wiki does not know is dropped with its lines; what is left of the block stays in the page only when it
still holds one of the page fields.
"""

import re
from dataclasses import dataclass, field

import yaml

from districtwiki.wiki import frontmatter

EXPORT_KEYS = ("title", "categories", "revision", "timestamp", "author")
# A foreign block may be larger than ours (Wiki.js descriptions, Obsidian aliases); still bounded.
MAX_FOREIGN_CHARS = 4 * frontmatter.MAX_FRONT_MATTER_CHARS


@dataclass
class Header:
    """What the top of a Markdown file says about the page."""

    title: str = ""
    categories: list[str] = field(default_factory=list)
    ours: bool = False  # written by `districtwiki export markdown`: the text is the page's, untouched


def merged(text: str, title: str, categories: list[str], revision: int, timestamp, author: str) -> str:
    """The page's text with our keys at the top of its front matter (one block, never two)."""
    q = frontmatter.quoted
    lines = [
        f"title: {q(title)}",
        f"categories: [{', '.join(q(name) for name in categories)}]",
        f"revision: {revision}",
        f"timestamp: {timestamp.isoformat()}",
        f"author: {q(author)}",
    ]
    match = frontmatter.BLOCK.match(text)
    if not match:
        return "\n".join(["---", *lines, "---", text])
    opening, rest = text.split("\n", 1)
    return "\n".join([opening, *lines, rest])


def taken_apart(text: str) -> tuple[Header, str]:
    """The header a file's front matter gives, and the page text without the keys that are not the page's.

    Raises InvalidFrontMatter (with a message for the person) when the block cannot be read."""
    match = frontmatter.BLOCK.match(text)
    if not match:
        return Header(), text
    source = match.group(1)
    if len(source) > MAX_FOREIGN_CHARS:
        raise frontmatter.InvalidFrontMatter(
            f"The front matter is {len(source):,} characters long; it may be at most {MAX_FOREIGN_CHARS:,}."
        )
    data = _load(source)
    lines, body = text[: match.end()].split("\n"), text[match.end() :]
    if _is_ours(lines):
        kept = [lines[0], *lines[1 + len(EXPORT_KEYS) :]]
        own = "\n".join(kept) if _has_page_field(kept) else ""
        return Header(_text(data.get("title")), _names(data.get("categories")), ours=True), own + body
    kept = [lines[0], *_without_foreign_keys(lines[1:])]
    own = "\n".join(kept) if _has_page_field(kept) else ""
    categories = _names(data.get("categories")) + _names(data.get("tags"))
    return Header(_text(data.get("title")), list(dict.fromkeys(categories))), own + body


def _load(source: str) -> dict:
    if not source.strip():
        return {}
    try:
        data = yaml.load(source, Loader=frontmatter.BoundedLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise frontmatter.InvalidFrontMatter(f"The front matter is not valid YAML{where}.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise frontmatter.InvalidFrontMatter("The front matter must be a list of fields such as `title: …`.")
    return data


def _is_ours(lines: list[str]) -> bool:
    inner = lines[1 : 1 + len(EXPORT_KEYS)]
    return len(inner) == len(EXPORT_KEYS) and all(
        line.startswith(f"{key}: ") for line, key in zip(inner, EXPORT_KEYS, strict=True)
    )


def _without_foreign_keys(lines: list[str]) -> list[str]:
    """The block's lines without the chunks of keys the wiki does not know (the key line and what is
    indented under it, or a list written flush under it)."""
    kept, dropping = [], False
    for line in lines:
        key = frontmatter.TOP_LEVEL_KEY.match(line)
        if key:
            dropping = key.group(1) not in frontmatter.FIELDS
        elif not (dropping and (line[:1] in (" ", "\t") or line == "-" or line.startswith("- "))):
            dropping = False
        if not dropping:
            kept.append(line)
    return kept


def _has_page_field(lines: list[str]) -> bool:
    return any(
        (key := frontmatter.TOP_LEVEL_KEY.match(line)) and key.group(1) in frontmatter.FIELDS
        for line in lines
    )


def _text(value) -> str:
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _names(value) -> list[str]:
    """Tags or categories: a list, or one string of names separated by commas or spaces (Obsidian)."""
    if isinstance(value, str):
        value = re.split(r",\s*" if "," in value else r"\s+", value.strip())
    if not isinstance(value, list):
        return []
    names = [str(item).strip().lstrip("#").strip() for item in value if isinstance(item, str | int)]
    return [name for name in names if name]
