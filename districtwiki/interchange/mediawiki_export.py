"""`districtwiki export mediawiki FILE.xml`: every live page with its full history as a MediaWiki XML dump.

The file follows MediaWiki's export schema 0.11 (docs/export-0.11.xsd in MediaWiki's repository; a copy
validates our output in the tests), so mwxml, MediaWiki's importDump.php and Special:Import read it. What
it says and why (docs/mediawiki-export.md):

- Our pages are Markdown, not wikitext, and the dump says so: every revision's model is `markdown` and its
  format `text/markdown` (`--as-wikitext` labels the same text `wikitext`/`text/x-wiki`, for a MediaWiki
  without a Markdown content handler, which would otherwise refuse the revisions).
- `<sha1>` is MediaWiki's: the SHA-1 of the text's UTF-8 bytes in base 36, padded to 31 digits.
- XML 1.0 cannot carry most C0 control characters (U+0001–U+0008, U+000B, U+000C, U+000E–U+001F) nor
  U+FFFE/U+FFFF, not even as character references. Like MediaWiki's own dumps, the text written replaces
  each with U+FFFD; `bytes` and `sha1` describe the text as written, and the summary counts such revisions.
- Talk threads are not exported (see the docs): they are posts with authors, edits and moderation, not a
  page's revisions; the data export and the backup carry them.

It streams: one query walks the revisions of live pages in (page, revision) order in chunks, and the XML is
written element by element, so memory stays flat however large the wiki is. The file is written beside
the target under a temporary name and linked into place only when complete.
"""

import bz2
import gzip
import hashlib
import io
import ipaddress
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from districtwiki import progress
from districtwiki.wiki.models import Page, Revision

EXPORT_HELP = "every live page with its full history as a MediaWiki XML dump (schema 0.11)"
SCHEMA_VERSION = "0.11"
XMLNS = f"http://www.mediawiki.org/xml/export-{SCHEMA_VERSION}/"
SCHEMA_LOCATION = f"{XMLNS} http://www.mediawiki.org/xml/export-{SCHEMA_VERSION}.xsd"
SUFFIXES = (".xml", ".xml.gz", ".xml.bz2")
CHUNK = 50  # revisions fetched at a time: memory is bounded by CHUNK × MAX_PAGE_BYTES (256 KiB)
MARKDOWN = ("markdown", "text/markdown")
WIKITEXT = ("wikitext", "text/x-wiki")
ANONYMOUS = "Anonymous"  # wiki.actions names signed-out authors so; we know no address for them

# MediaWiki's canonical namespaces (key, name). Our wiki has namespaces File: and Category: only; a page
# whose title starts with another of these names (an imported Template:, Help:…) is in that namespace for
# MediaWiki, so the dump says so rather than leave MediaWiki to disagree with it.
NAMESPACES = (
    (-2, "Media"),
    (-1, "Special"),
    (0, ""),
    (1, "Talk"),
    (2, "User"),
    (3, "User talk"),
    (4, "Project"),
    (5, "Project talk"),
    (6, "File"),
    (7, "File talk"),
    (8, "MediaWiki"),
    (9, "MediaWiki talk"),
    (10, "Template"),
    (11, "Template talk"),
    (12, "Help"),
    (13, "Help talk"),
    (14, "Category"),
    (15, "Category talk"),
)
NAMESPACE_KEYS = {name.lower(): key for key, name in NAMESPACES if key > 0}
# Protection as MediaWiki's restrictions string.
RESTRICTIONS = {
    Page.Protection.TRUSTED: "edit=autoconfirmed:move=autoconfirmed",
    Page.Protection.ADMIN: "edit=sysop:move=sysop",
}
# Characters XML 1.0 has no way to write (https://www.w3.org/TR/xml/#charsets).
NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REVISION_FIELDS = (
    "id",
    "parent_id",
    "author_id",
    "author_name",
    "timestamp",
    "summary",
    "minor",
    "text",
    "page_id",
    "page__title",
    "page__redirect_to",
    "page__protection",
)


def add_export_arguments(parser) -> None:
    parser.add_argument(
        "file", help="the dump to write: FILE.xml, FILE.xml.gz or FILE.xml.bz2 (must not exist)"
    )
    parser.add_argument(
        "--as-wikitext",
        action="store_true",
        help="label the (Markdown) text as wikitext, for a MediaWiki without a Markdown content handler",
    )


def run_export(options: dict, stdout) -> None:
    target = checked_target(options["file"])
    content = WIKITEXT if options.get("as_wikitext") else MARKDOWN
    stopped = f"no file was written ({target.name} does not exist); run the command again."
    tracking = progress.track("Exporting revisions", unit="revisions", stream=stdout, stopped_note=stopped)
    # One transaction: one snapshot, and on PostgreSQL a plain (not WITH HOLD) server-side cursor.
    with atomic_file(target) as raw, tracking as bar, transaction.atomic(), compressed(raw, target) as out:
        bar.set_total(live_revisions().count())
        report = write_dump(out, content, bar.advance)
    stdout.write(report.summary(target))


# --- The target --------------------------------------------------------------------------------------------


def checked_target(name: str) -> Path:
    target = Path(name).absolute()
    if not target.name.endswith(SUFFIXES):
        raise CommandError(
            f"{name}: name the dump FILE.xml, FILE.xml.gz or FILE.xml.bz2; nothing was written."
        )
    if target.exists():
        raise CommandError(f"{target} already exists; choose a new name (nothing was written).")
    if not target.parent.is_dir():
        raise CommandError(f"the folder {target.parent} does not exist; nothing was written.")
    return target


@contextmanager
def atomic_file(target: Path) -> Iterator:
    """A binary file beside `target` that becomes `target` only if the block completes."""
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then linked into place)
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )
    except OSError as error:
        raise CommandError(
            f"cannot write in {target.parent} ({error.strerror}); nothing was written."
        ) from None
    partial = Path(handle.name)
    try:
        os.chmod(partial, 0o666 & ~current_umask())  # a dump of public pages: the mode a new file gets
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        place(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def place(partial: Path, target: Path) -> None:
    # A hard link never replaces a file someone made meanwhile, unlike a rename.
    try:
        os.link(partial, target)
    except FileExistsError:
        raise CommandError(f"{target} appeared while the dump was written; it was left alone.") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise CommandError(f"{target} appeared while the dump was written; it was left alone.") from None
        os.replace(partial, target)


@contextmanager
def compressed(raw, target: Path) -> Iterator:
    # The XML arrives in many small writes; the compressors get them in large blocks.
    if target.name.endswith(".gz"):
        with gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as out, buffered(out) as buffer:
            yield buffer
    elif target.name.endswith(".bz2"):
        with bz2.BZ2File(raw, mode="wb") as out, buffered(out) as buffer:
            yield buffer
    else:
        yield raw


@contextmanager
def buffered(out) -> Iterator:
    buffer = io.BufferedWriter(out, buffer_size=1024 * 1024)
    try:
        yield buffer
        buffer.flush()
    finally:
        buffer.detach()  # leaves `out` open for its own context to close


# --- What is written ---------------------------------------------------------------------------------------


@dataclass
class ExportReport:
    pages: int = 0
    revisions: int = 0
    cleaned: int = 0  # revisions whose text held characters XML cannot carry

    def summary(self, target: Path) -> str:
        line = (
            f"Wrote {target}: {progress.count(self.pages, 'pages')}, "
            f"{progress.count(self.revisions, 'revisions')} (MediaWiki export {SCHEMA_VERSION})."
        )
        if self.cleaned:
            line += (
                f" {progress.count(self.cleaned, 'revisions')} held control characters XML cannot carry; "
                "they were written as U+FFFD."
            )
        return line


def live_revisions():
    return Revision.objects.filter(page__deleted_at__isnull=True).order_by("page_id", "id")


def write_dump(out, content: tuple[str, str], advance) -> ExportReport:
    xml = DumpWriter(out)
    try:
        report = write_pages(xml, content, advance)
        xml.finish()
    finally:
        xml.release()
    return report


def write_pages(xml: "DumpWriter", content: tuple[str, str], advance) -> ExportReport:
    report = ExportReport()
    xml.start("mediawiki", root_attributes())
    write_siteinfo(xml)
    page_id = None
    for row in live_revisions().values_list(*REVISION_FIELDS).iterator(chunk_size=CHUNK):
        revision = dict(zip(REVISION_FIELDS, row, strict=True))
        if revision["page_id"] != page_id:
            if page_id is not None:
                xml.end("page")
            page_id = revision["page_id"]
            write_page_head(xml, revision)
            report.pages += 1
        report.cleaned += write_revision(xml, revision, content)
        report.revisions += 1
        advance()
    if page_id is not None:
        xml.end("page")
    xml.end("mediawiki")
    return report


def root_attributes() -> dict[str, str]:
    return {
        "xmlns": XMLNS,
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": SCHEMA_LOCATION,
        "version": SCHEMA_VERSION,
        "xml:lang": settings.LANGUAGE_CODE.split("-")[0],
    }


def write_siteinfo(xml: "DumpWriter") -> None:
    from districtwiki.operations.backup import districtwiki_version

    xml.start("siteinfo")
    xml.element("sitename", settings.SITE_NAME)
    xml.element("dbname", re.sub(r"[^a-z0-9]+", "", settings.SITE_NAME.lower()) or "districtwiki")
    xml.element("base", settings.SITE_URL + "/")
    # Not "MediaWiki …": this is not MediaWiki, and its text is Markdown (the revisions' model says so too).
    xml.element("generator", f"districtwiki {districtwiki_version()} (page text is Markdown)")
    xml.element("case", "first-letter")
    xml.start("namespaces")
    for key, name in NAMESPACES:
        xml.element("namespace", name, {"key": str(key), "case": "first-letter"})
    xml.end("namespaces")
    xml.element("namespacealiases", "")  # required by the 0.11 schema; we have none
    xml.end("siteinfo")


def namespace_key(title: str) -> int:
    prefix, colon, _ = title.partition(":")
    return NAMESPACE_KEYS.get(prefix.replace("_", " ").strip().lower(), 0) if colon else 0


def write_page_head(xml: "DumpWriter", revision: dict) -> None:
    title = revision["page__title"]
    xml.start("page")
    xml.element("title", title)
    xml.element("ns", str(namespace_key(title)))
    xml.element("id", str(revision["page_id"]))
    if revision["page__redirect_to"]:
        xml.element("redirect", None, {"title": revision["page__redirect_to"]})
    if revision["page__protection"] in RESTRICTIONS:
        xml.element("restrictions", RESTRICTIONS[revision["page__protection"]])


def write_revision(xml: "DumpWriter", revision: dict, content: tuple[str, str]) -> bool:
    """Write one <revision>; whether its text had to lose characters XML cannot carry."""
    text, cleaned = xml_text(revision["text"])
    data = text.encode()
    xml.start("revision")
    xml.element("id", str(revision["id"]))
    if revision["parent_id"]:
        xml.element("parentid", str(revision["parent_id"]))
    xml.element("timestamp", mediawiki_timestamp(revision["timestamp"]))
    write_contributor(xml, revision["author_id"], revision["author_name"])
    if revision["minor"]:
        xml.element("minor", None)
    if revision["summary"]:
        xml.element("comment", revision["summary"])
    xml.element("model", content[0])
    xml.element("format", content[1])
    xml.element("text", text, {"bytes": str(len(data)), "xml:space": "preserve"}, clean=True)
    xml.element("sha1", base36_sha1(data))
    xml.end("revision")
    return cleaned


def write_contributor(xml: "DumpWriter", author_id: int | None, name: str) -> None:
    """A member: username and id. A signed-out or IP author: ip. Anyone else without an account (a former
    member, a name kept from an import): the username alone, which MediaWiki imports as an external name."""
    xml.start("contributor")
    if author_id is not None:
        xml.element("username", name)
        xml.element("id", str(author_id))
    elif name == ANONYMOUS or is_ip(name):
        xml.element("ip", name)
    else:
        xml.element("username", name)
    xml.end("contributor")


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def mediawiki_timestamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def base36_sha1(data: bytes) -> str:
    """MediaWiki's revision sha1: the SHA-1 in base 36, zero-padded to 31 digits (SlotRecord::base36Sha1)."""
    number = int(hashlib.sha1(data).hexdigest(), 16)
    digits = []
    while number:
        number, digit = divmod(number, 36)
        digits.append("0123456789abcdefghijklmnopqrstuvwxyz"[digit])
    return "".join(reversed(digits)).rjust(31, "0")


def xml_text(text: str) -> tuple[str, bool]:
    cleaned = NOT_XML.sub("\ufffd", text)
    return cleaned, cleaned != text


class DumpWriter:
    """Elements written one at a time through the standard library's XMLGenerator (which escapes & < > and
    quotes), indented like MediaWiki's dumps. Titles, names and summaries are cleaned as texts are."""

    def __init__(self, out):
        # Our own buffered text layer: XMLGenerator's would pass every tag straight through to `out`.
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
        self._xml = XMLGenerator(self._text, encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()
        self._depth = 0

    def _indent(self) -> None:
        self._xml.ignorableWhitespace("\n" + "  " * self._depth)

    def start(self, name: str, attributes: dict[str, str] | None = None) -> None:
        if self._depth:
            self._indent()
        self._xml.startElement(name, clean_attributes(attributes))
        self._depth += 1

    def end(self, name: str) -> None:
        self._depth -= 1
        self._indent()
        self._xml.endElement(name)

    def element(
        self, name: str, text: str | None, attributes: dict[str, str] | None = None, clean: bool = False
    ) -> None:
        """One element holding `text`; `clean` when the caller already passed it through xml_text."""
        self._indent()
        self._xml.startElement(name, clean_attributes(attributes))
        if text:
            self._xml.characters(text if clean else xml_text(text)[0])
        self._xml.endElement(name)

    def finish(self) -> None:
        self._xml.ignorableWhitespace("\n")
        self._xml.endDocument()

    def release(self) -> None:
        """Hand `out` back, open, with everything written so far (also after an error or Ctrl+C: left to the
        garbage collector, the text layer would close `out` whenever it was collected)."""
        self._text.detach()


def clean_attributes(attributes: dict[str, str] | None) -> dict[str, str]:
    return {key: xml_text(value)[0] for key, value in (attributes or {}).items()}
