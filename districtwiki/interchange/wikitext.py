"""MediaWiki wikitext to districtwiki Markdown, many texts per pandoc process.

pandoc's MediaWiki reader does the parsing and its GitHub-Markdown writer the writing; the Lua filter beside
this module (wikitext.lua) writes links, categories and files in our own syntax (`[[Page|label]]`,
`[[Category:X]]`, `![caption](File:X.png)`), flattens tables to pipe tables and keeps raw HTML visible as
code. What pandoc cannot convert is taken out before it runs and put back afterwards as code, visible on the
page and counted as a warning: templates and parser functions (`{{…}}`).

Plain texts (paragraphs, headings, flat lists, bold, italic, links) skip pandoc: wikitext_plain.py writes
them, at a small fraction of pandoc's cost, and a test holds it to rendering as pandoc's output renders.

Cost. Starting pandoc costs ~17 ms, so texts go to it in batches (BATCH_TEXTS texts or BATCH_BYTES bytes,
separated by a line no text contains); a batch that pandoc refuses (an unclosed table makes the reader fail)
is split in two until the text at fault is alone, and that text is kept as it was, in a code block. pandoc's
reader takes time quadratic in the number of unclosed `[`, `[[` and `{{` (40 KB of `[[` did not finish in a
minute): before it runs, every bracket without its partner on the same line is written as a character
reference, which the reader turns back into the character as text. Each call has a timeout in proportion
to its input (a text that still times out is kept as it was, in a code block).
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypandoc

from . import wikitext_plain

LUA_FILTER = Path(__file__).with_name("wikitext.lua")
PANDOC_ARGS = ("-f", "mediawiki", "-t", "gfm-raw_html", "--wrap=none", "--reference-location=block")
BATCH_TEXTS = 400
BATCH_BYTES = 2 * 1024 * 1024
# Seconds a pandoc call may take: a floor for start-up plus time per byte far above the measured rate
# (about 1 MB/s for ordinary wikitext on this machine).
TIMEOUT_FLOOR = 20.0
TIMEOUT_PER_MB = 20.0
MAX_BRACKET_DEPTH = 3

REDIRECT = re.compile(r"\A\s*#REDIRECT\s*:?\s*\[\[([^\[\]\n|]+)(?:\|[^\]\n]*)?\]\]", re.IGNORECASE)
WARNING = re.compile(r"DWWARN([a-zA-Z ]+)DWWARN")
MAGIC_WORD = re.compile(r"__[A-Z]+__")
BRACE_TOKEN = re.compile(r"\{\{\{|\}\}\}|\{\{|\}\}")  # {{{parameter}}} pairs as a whole
BRACKET_TOKEN = re.compile(r"\[\[|\]\]|\[|\]|\n")
KEPT = re.compile(r"DWKEEP(\d+)K")
# pandoc moves category links to the end of its whole input, which in a batch is another text: they are
# taken out like templates and written back where they were.
CATEGORY = re.compile(r"\[\[[ \t]*category[ \t]*:([^\[\]\n|]+)(?:\|[^\[\]\n]*)?\]\]", re.IGNORECASE)


class Stopped(Exception):
    """The import stopped (Ctrl+C, an error) while texts were being converted for it."""


@dataclass
class Converted:
    markdown: str
    warnings: Counter = field(default_factory=Counter)


class Pandoc:
    """Runs pandoc on batches of texts; `calls` counts the processes started (tests pin it)."""

    def __init__(self) -> None:
        self.path = pypandoc.get_pandoc_path()
        self.calls = 0
        self.stopped = False  # set when the import stops: a conversion under way ends at its next call

    def run(self, source: str) -> str | None:
        """pandoc's Markdown for `source`; None if pandoc refused it, TimeoutError if it ran out of time."""
        if self.stopped:
            raise Stopped
        self.calls += 1
        timeout = TIMEOUT_FLOOR + TIMEOUT_PER_MB * len(source) / 1_000_000
        try:
            done = subprocess.run(
                [self.path, *PANDOC_ARGS, "--lua-filter", str(LUA_FILTER)],
                input=source.encode(),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TimeoutError from None
        return done.stdout.decode() if done.returncode == 0 else None


def convert(texts: list[str], pandoc: Pandoc | None = None) -> list[Converted]:
    """Each wikitext as Markdown with the warnings of its conversion, in order."""
    pandoc = pandoc or Pandoc()
    prepared = [_prepare(text) for text in texts]
    results: list[Converted | None] = []
    for item in prepared:
        plain = wikitext_plain.convert(item.source)
        results.append(None if plain is None else _finish(item, plain))
    rest = [item for item, result in zip(prepared, results, strict=True) if result is None]
    converted: list[Converted] = []
    for start, end in _batches([len(item.source) for item in rest]):
        converted.extend(_convert_batch(rest[start:end], pandoc))
    by_pandoc = iter(converted)
    return [result if result is not None else next(by_pandoc) for result in results]


def _batches(sizes: list[int]):
    start, total = 0, 0
    for index, size in enumerate(sizes):
        if index > start and (index - start >= BATCH_TEXTS or total + size > BATCH_BYTES):
            yield start, index
            start, total = index, 0
        total += size
    if start < len(sizes):
        yield start, len(sizes)


# --- Before pandoc ------------------------------------------------------------------------------------


@dataclass
class Prepared:
    source: str  # what pandoc reads
    original: str
    kept: list[str]  # the templates taken out, in order (DWKEEP<n>K in the source)
    redirect: str = ""
    warnings: Counter = field(default_factory=Counter)


def _prepare(text: str) -> Prepared:
    original = text.replace("\r\n", "\n")
    redirect = REDIRECT.match(original)
    text = original[redirect.end() :] if redirect else original
    text, magic = MAGIC_WORD.subn("", text)
    item = Prepared("", original, [], f"#REDIRECT [[{redirect.group(1).strip()}]]" if redirect else "")
    if magic:
        item.warnings["magic word dropped"] += magic
    text = CATEGORY.sub(lambda match: _keep(item, f"[[Category:{match.group(1).strip()}]]"), text)
    text = _take_out_templates(text, item)
    item.source = _escape_unpaired_brackets(text)
    return item


def _take_out_templates(text: str, item: Prepared) -> str:
    """Replace each outermost `{{…}}` by a token; a `{{` or `}}` without its partner becomes text."""
    parts, depth, start, last = [], 0, 0, 0
    for match in BRACE_TOKEN.finditer(text):
        if match.group().startswith("{"):
            if depth == 0:
                start = match.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                parts.append(text[last:start].replace("}}", "&#125;&#125;"))
                parts.append(_keep(item, text[start : match.end()]))
                last = match.end()
    parts.append(text[last:].replace("{{", "&#123;&#123;").replace("}}", "&#125;&#125;"))
    return "".join(parts)


def _keep(item: Prepared, source: str) -> str:
    item.kept.append(source)
    return f"DWKEEP{len(item.kept) - 1}K"


def _escape_unpaired_brackets(text: str) -> str:
    """Brackets that close on their line (at most MAX_BRACKET_DEPTH deep) stay; the others become `&#91;`
    and `&#93;`, which pandoc reads as plain characters. One pass over the brackets: linear."""
    unpaired: list[int] = []
    stack: list[tuple[str, int]] = []
    for match in BRACKET_TOKEN.finditer(text):
        token, position = match.group(), match.start()
        if token == "\n":
            unpaired.extend(position for _, position in stack)
            stack.clear()
        elif token in ("[[", "["):
            if len(stack) >= MAX_BRACKET_DEPTH:
                unpaired.append(position)
            else:
                stack.append((token, position))
        elif stack and stack[-1][0] == token.replace("]", "["):
            stack.pop()
        else:
            unpaired.append(position)
    unpaired.extend(position for _, position in stack)
    if not unpaired:
        return text
    pieces, last = [], 0
    for position in sorted(unpaired):
        width = 2 if text.startswith(("[[", "]]"), position) else 1
        pieces.append(text[last:position])
        pieces.append(("&#91;" if text[position] == "[" else "&#93;") * width)
        last = position + width
    pieces.append(text[last:])
    return "".join(pieces)


# --- pandoc and after -----------------------------------------------------------------------------------


def _convert_batch(batch: list[Prepared], pandoc: Pandoc) -> list[Converted]:
    separator = f"DWSPLIT{secrets.token_hex(8)}"
    try:
        output = pandoc.run(f"\n\n{separator}\n\n".join(item.source for item in batch))
    except TimeoutError:
        # Some text is slow for pandoc: each alone, so that only that one waits for its own timeout.
        if len(batch) == 1:
            return [_kept_whole(batch[0])]
        return [converted for item in batch for converted in _convert_batch([item], pandoc)]
    if output is not None:
        pieces = re.split(rf"^\s*{separator}\s*$", output, flags=re.MULTILINE)
        if len(pieces) == len(batch):
            return [_finish(item, piece) for item, piece in zip(batch, pieces, strict=True)]
    if len(batch) > 1:
        middle = len(batch) // 2
        return _convert_batch(batch[:middle], pandoc) + _convert_batch(batch[middle:], pandoc)
    return [_kept_whole(batch[0])]


def _finish(item: Prepared, markdown: str) -> Converted:
    converted = Converted("", item.warnings.copy())
    markdown = WARNING.sub(lambda match: _count(converted, match.group(1)), markdown)
    markdown = KEPT.sub(lambda match: _kept_template(item, markdown, match, converted), markdown)
    body = markdown.strip()
    converted.markdown = f"{item.redirect}\n\n{body}".strip() if item.redirect else body
    return converted


def _count(converted: Converted, kind: str) -> str:
    converted.warnings[kind] += 1
    return ""


def _kept_template(item: Prepared, markdown: str, match: re.Match, converted: Converted) -> str:
    index = int(match.group(1))
    if index >= len(item.kept):
        return match.group()
    source = item.kept[index]
    if CATEGORY.fullmatch(source):
        return source
    converted.warnings["parser function" if source[2:].lstrip().startswith("#") else "template"] += 1
    line_start = markdown.rfind("\n", 0, match.start()) + 1
    line_end = markdown.find("\n", match.end())
    line = markdown[line_start : len(markdown) if line_end == -1 else line_end]
    if line.strip() == match.group():
        return _fenced(source, "wikitext")
    return _inline_code(" ".join(source.split()))


def _fenced(source: str, language: str) -> str:
    fence = "`" * max(3, _longest_run(source, "`") + 1)
    return f"{fence}{language}\n{source}\n{fence}"


def _inline_code(source: str) -> str:
    fence = "`" * (_longest_run(source, "`") + 1)
    pad = " " if source.startswith("`") or source.endswith("`") else ""
    return f"{fence}{pad}{source}{pad}{fence}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(rf"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def _kept_whole(item: Prepared) -> Converted:
    warnings = item.warnings.copy()
    warnings["not converted"] += 1
    return Converted(_fenced(item.original, "wikitext"), warnings)
