"""Reading a MediaWiki XML dump as a stream: the file opened by its compression, the export format checked,
and every failure of the file turned into one line that says where it happened."""

from __future__ import annotations

import bz2
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import mwxml
from django.core.management.base import CommandError
from mwxml.element_iterator import ElementIterator

SUPPORTED_VERSIONS = ("0.10", "0.11")
OUR_GENERATOR = "districtwiki "
MARKDOWN_MODEL = "markdown"
# A page's revisions are read whole into memory up to this many bytes of text; a longer history is written
# in chunks of this size inside the page's one transaction (pages.write_long_page).
PAGE_BUDGET_BYTES = 4 * 1024 * 1024
POSITION = re.compile(r"line (\d+), column (\d+)")
BROKEN_FILE = (ParseError, mwxml.errors.MalformedXML, EOFError, OSError, zlib.error, ValueError)


@dataclass
class SourcePage:
    """One <page> of the dump; `revisions` holds the first of them (all of them unless `rest` is set)."""

    title: str
    namespace: int
    revisions: list = field(default_factory=list)
    rest: Iterator | None = None  # the revisions not read yet, for a page longer than the budget

    @property
    def size(self) -> int:
        return sum(len(revision.text or "") for revision in self.revisions)


def is_markdown(revision, ours: bool) -> bool:
    """Whether the revision's text is Markdown already (our own export): kept as it is, not converted."""
    if ours:
        return True
    try:
        return revision.slots["main"].model == MARKDOWN_MODEL
    except (KeyError, TypeError):
        return False


def open_file(path: Path):
    """The dump's XML as a binary stream, decompressed by its name's ending."""
    if not path.is_file():
        raise CommandError(f"There is no file {path}.")
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")
    return path.open("rb")


class Dump:
    """The pages of a dump, read one at a time, with the position reached for error messages."""

    def __init__(self, path: Path):
        self.path = path
        self.stream = open_file(path)
        self.last_title = ""
        with self.failures():
            root = ElementIterator.from_file(self.stream)
            if root.tag != "mediawiki":
                raise CommandError(
                    f"{path} is XML but not a MediaWiki export: its root element is <{root.tag}>."
                )
            version = root.attr("version")
            if version not in SUPPORTED_VERSIONS:
                raise CommandError(
                    f"{path} is a MediaWiki export in format {version or 'unknown'}; this importer reads "
                    f"formats {' and '.join(SUPPORTED_VERSIONS)} (re-export it from a current MediaWiki)."
                )
            self.dump = mwxml.Dump.from_element(root)
        info = self.dump.site_info
        self.source = (info.dbname or info.name or "").strip() or path.stem
        self.namespaces = {namespace.id: namespace.name or "" for namespace in info.namespaces or []}
        # `districtwiki export mediawiki` says in the generator that its text is Markdown, also when
        # --as-wikitext labels it wikitext for a stock MediaWiki.
        self.ours = (info.generator or "").startswith(OUR_GENERATOR)

    def close(self) -> None:
        self.stream.close()

    def failures(self):
        return _Failures(self)

    def where(self) -> str:
        after = f", after the page “{self.last_title}”" if self.last_title else ""
        try:
            offset = f" (byte {self.stream.tell():,} of its XML)"
        except (OSError, ValueError):
            offset = ""
        return f"{after}{offset}"

    def pages(self) -> Iterator[SourcePage]:
        """Each page with its revisions read up to the budget; the reader stays on the page until the
        caller has taken `rest`."""
        with self.failures():
            for page in self.dump:
                yield self._read(page)
                self.last_title = page.title

    def _read(self, page) -> SourcePage:
        source = SourcePage(page.title, page.namespace)
        size = 0
        revisions = iter(page)
        for revision in revisions:
            source.revisions.append(revision)
            size += len(revision.text or "")
            if size > PAGE_BUDGET_BYTES:
                source.rest = self._guarded(revisions)
                break
        return source

    def _guarded(self, revisions):
        with self.failures():
            yield from revisions


class _Failures:
    """Turns what a broken file raises into one CommandError naming the file and where it broke."""

    def __init__(self, dump: Dump):
        self.dump = dump

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None or not isinstance(error, BROKEN_FILE):
            return False
        where = "" if isinstance(error, ParseError) else self.dump.where()  # a parse error has its line
        raise CommandError(
            f"{self.dump.path} is not a readable MediaWiki export: {_reason(error)}{where}."
        ) from None


def _reason(error: Exception) -> str:
    if isinstance(error, ParseError):
        message = str(error).split(":")[0]
        position = getattr(error, "position", None) or POSITION.search(str(error)).groups()
        return f"the XML is broken ({message}) at line {position[0]}, column {position[1]}"
    if isinstance(error, EOFError | zlib.error):
        return "the compressed file is cut short or damaged"
    if isinstance(error, OSError) and "gzip" in str(error).lower():
        return "it is not a gzip file"
    if isinstance(error, OSError) and "invalid data stream" in str(error).lower():
        return "it is not a bzip2 file"
    return str(error).rstrip(".") or type(error).__name__
