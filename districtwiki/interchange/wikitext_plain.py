"""Plain wikitext to Markdown without pandoc: the fast path of wikitext.convert.

Most revisions of a real wiki are plain: paragraphs, headings, bullet and numbered lists, bold and italic,
wiki links and external links. pandoc's reader spends about 7 ms of CPU on 2 KB of such text (measured by
`make bench-import`); this converter spends a small fraction of that. It takes a text only when every line
and character is in the plain subset it knows (`convert` returns None otherwise, and pandoc converts the
text), and a test checks that what it writes renders to the same HTML as what pandoc writes.
"""

from __future__ import annotations

import re

# Characters with no meaning to Markdown where they stand, once lines and the constructs below are known.
PLAIN_CHARACTERS = re.compile(r"[\w \t\n.,;:?!()\-/%'\"=*#\[\]|+]*")
HEADING = re.compile(r"(={1,6})[ \t]*([^=]+?)[ \t]*\1[ \t]*")
LIST_ITEM = re.compile(r"([*#]+)[ \t]*(.*)")
WIKILINK = re.compile(r"\[\[([^\[\]|:#]+)(?:\|([^\[\]|]+))?\]\]")
CATEGORY = re.compile(r"\[\[[ \t]*[Cc]ategory[ \t]*:[ \t]*([^\[\]|]+?)[ \t]*\]\]")
EXTERNAL = re.compile(r"\[(https?://[^\s\[\]|'\"]+) ([^\[\]|]+)\]")
QUOTES = re.compile(r"'{2,}")
LINE_START = re.compile(r"[\w'\"(\[=*#]")
MARKDOWN_SPECIAL = re.compile(r"([*#\[\]|_])")
ORDERED_MARK = re.compile(r"^(\d+)([.)])")
WORD_START = re.compile(r"\w")
WORD_END = re.compile(r"\w$")


def convert(text: str) -> str | None:
    """Markdown for a plain wikitext, or None when it is not plain (pandoc converts it then)."""
    if not PLAIN_CHARACTERS.fullmatch(text):
        return None
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    for line in text.split("\n"):
        if (block := _line(line, paragraph, items)) is None:
            return None
        if block:
            blocks.extend(block)
    if not _close(blocks, paragraph, items):
        return None
    return "\n\n".join(blocks)


def _line(line: str, paragraph: list[str], items: list[str]) -> list[str] | None:
    """The blocks this line closes ([] when none); None when the line is not plain."""
    stripped = line.strip()
    closed: list[str] = []
    if not stripped:
        return closed if _close(closed, paragraph, items) else None
    if not LINE_START.match(line):
        return None  # a preformatted line, an indent, a definition, a rule, or Markdown's own list marks
    if stripped.startswith("="):
        heading = HEADING.fullmatch(stripped)
        if heading is None or not _close(closed, paragraph, items):
            return None
        inline = _inline(heading.group(2))
        return None if inline is None else [*closed, "#" * len(heading.group(1)) + " " + inline]
    if stripped[0] in "*#":
        item = LIST_ITEM.fullmatch(stripped)
        if item is None or (paragraph and not _close(closed, paragraph, items)):
            return None
        marker = item.group(1)
        if len(marker) > 1 or not item.group(2).strip():
            return None  # nested lists are left to pandoc
        inline = _inline(item.group(2))
        if inline is None or (items and items[0][0] != ("-" if marker == "*" else "1")):
            return None
        items.append(("- " if marker == "*" else "1.  ") + _not_a_list(inline))
        return closed
    if items and not _close(closed, paragraph, items):
        return None
    paragraph.append(stripped)
    return closed


def _close(blocks: list[str], paragraph: list[str], items: list[str]) -> bool:
    if paragraph:
        inline = _inline(" ".join(paragraph))
        if inline is None:
            return False
        blocks.append(_not_a_list(inline))
        paragraph.clear()
    if items:
        blocks.append("\n".join(items))
        items.clear()
    return True


def _inline(text: str) -> str | None:
    """Bold, italic and links in one line of plain text, or None when something in it is not plain."""
    pieces: list[str] = []
    links: list[str] = []

    def keep(markdown: str) -> str:
        links.append(markdown)
        return f"\x00{len(links) - 1}\x00"

    text = CATEGORY.sub(lambda match: keep(f"[[Category:{match.group(1)}]]"), text)
    text = WIKILINK.sub(lambda match: _wikilink(match, keep), text)
    text = EXTERNAL.sub(lambda match: keep(f"[{_escape(match.group(2))}]({match.group(1)})"), text)
    if "[" in text or "]" in text or "|" in text or "://" in text:
        return None  # a construct this path does not know, or a bare URL (which pandoc links)
    emphasis = _emphasis(text)
    if emphasis is None:
        return None
    for part in re.split(r"(\x00\d+\x00)", emphasis):
        pieces.append(links[int(part[1:-1])] if part.startswith("\x00") else part)
    return "".join(pieces).strip()


def _wikilink(match: re.Match, keep) -> str:
    target = " ".join(match.group(1).replace("_", " ").split())
    label = match.group(2)
    if not target or (label is not None and "'" in label):
        return match.group()  # left in place: the check for brackets then gives the text to pandoc
    if label is None or " ".join(label.split()) == target:
        return keep(f"[[{target}]]")
    return keep(f"[[{target}|{' '.join(label.split())}]]")


def _emphasis(text: str) -> str | None:
    """'''bold''' and ''italic'' paired in order on the line; anything else with quotes is not plain."""
    out: list[str] = []
    open_marks: list[str] = []
    last = 0
    for match in QUOTES.finditer(text):
        run = match.group()
        if len(run) not in (2, 3):
            return None
        out.append(_escape(text[last : match.start()]))
        last = match.end()
        mark = "**" if len(run) == 3 else "*"
        if open_marks and open_marks[-1] == mark:
            open_marks.pop()
            if not WORD_END.search(out[-1]):
                return None  # Markdown closes emphasis only after a letter or digit here
        elif run in (m.replace("**", "'''").replace("*", "''") for m in open_marks):
            return None  # crossed, such as '''a ''b''' c''
        else:
            if not WORD_START.match(text, match.end()):
                return None  # and opens it only before one
            open_marks.append(mark)
        out.append(mark)
    if open_marks:
        return None
    out.append(_escape(text[last:]))
    return "".join(out)


def _not_a_list(inline: str) -> str:
    """`1. text` or `2) text` at the start of a block would begin a Markdown list."""
    return ORDERED_MARK.sub(r"\1\\\2", inline)


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)
