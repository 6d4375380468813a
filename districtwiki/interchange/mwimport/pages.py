"""Writing the pages of a dump through the wiki's actions, a batch of pages at a time.

Pages are gathered until their text makes a batch for pandoc (wikitext.BATCH_BYTES). A worker process
converts a batch and renders every revision's Markdown to the HTML the wiki stores (so that viewing an old
revision never parses Markdown) while this process writes the batch before it, GROUP_PAGES pages per
transaction, each page whole in it together with the records of its source revision ids: an interrupted
import leaves whole pages only and a second run skips what is recorded. A page that cannot be written is
reported after the pages before it are committed (Importer._write_group). A page whose history is longer
than the dump reader's budget is converted and written in chunks inside its own transaction."""

from __future__ import annotations

import copy
import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path

from django.core.files import File
from django.core.management.base import CommandError
from django.db import transaction

from districtwiki.content.loader import system_author
from districtwiki.discussions.actions import DiscussionError
from districtwiki.wiki import actions, markup, pagecache, uploads
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .. import wikitext
from ..models import ImportedRevision
from . import talk
from .authors import Authors
from .dump import Dump, SourcePage, is_markdown
from .report import Report

MAIN, TALK, USER, FILE, MEDIAWIKI, TEMPLATE, CATEGORY = 0, 1, 2, 6, 8, 10, 14
# Namespaces with a name of their own in our titles, whatever the source wiki calls them in its language.
OUR_PREFIX = {FILE: "File", TEMPLATE: "Template", CATEGORY: "Category"}
BATCH_PAGES = 200
GROUP_PAGES = 25  # pages written in one transaction (Importer._write_group)
LOOKUP_CHUNK = 500  # ids per IN (…) query: under SQLite's variable limit
HIDDEN_AUTHOR = "hidden author"


class Importer:
    def __init__(self, dump: Dump, report: Report, files: Path | None, user_pages: bool, tracker):
        self.dump = dump
        self.report = report
        self.files = files
        self.user_pages = user_pages
        self.tracker = tracker
        self.authors = Authors(dump.source)
        self.pandoc = wikitext.Pandoc()
        self.existing: set[str] | None = None  # titles here already, for the group being written
        self.unreported = 0  # revisions written in the open transaction, counted once it commits
        self.uploads: list = []  # File: pages whose file comes in once their page is committed
        self.records: list[ImportedRevision] = []  # where the group's revisions came from, written with it

    # --- The stream -------------------------------------------------------------------------------------

    def run(self) -> None:
        """Pages in batches; while one batch is written, another process converts and renders the next (on
        the machine's other core)."""
        converter = ProcessPoolExecutor(max_workers=1)
        waiting = None
        try:
            for batch in self._batches():
                if isinstance(batch, SourcePage):
                    self._finish(waiting)
                    waiting = None
                    self.write_long(batch)
                    continue
                started = self._start(batch, converter)
                self._finish(waiting)
                waiting = started
            self._finish(waiting)
        finally:
            converter.shutdown(wait=True, cancel_futures=True)
        self.report.authors = self.authors.created

    def _batches(self) -> Iterator:
        """Lists of pages to convert together, or a page too long for that on its own."""
        pending: list[SourcePage] = []
        size = 0
        for page in self.dump.pages():
            if page.rest is not None:
                if pending:
                    yield pending
                pending, size = [], 0
                yield page
                continue
            pending.append(page)
            size += page.size
            if size >= wikitext.BATCH_BYTES or len(pending) >= BATCH_PAGES:
                yield pending
                pending, size = [], 0
        if pending:
            yield pending

    def _start(self, pages: list[SourcePage], converter: Executor) -> tuple[list, Future]:
        self._drop_imported(pages)
        work = [(page, self._kind(page)) for page in pages]
        texts = [text for page, kind in work for text in self._texts(page, kind)]
        return work, converter.submit(ready, texts)

    def _finish(self, waiting: tuple[list, Future] | None) -> None:
        if waiting is None:
            return
        work, future = waiting
        converted = iter(future.result())
        items = [(page, kind, list(islice(converted, len(self._texts(page, kind))))) for page, kind in work]
        for start in range(0, len(items), GROUP_PAGES):
            self._write_group(items[start : start + GROUP_PAGES])

    def _write_group(self, items: list[tuple]) -> None:
        """Several pages in one transaction: a commit per page cost more than writing a small page. Each page
        is whole in it, with the records of its source revisions, so an interrupted run leaves whole pages
        only and the next run skips what was recorded. A page that cannot be written rolls its group back;
        the group is then written again a page per transaction, so that the pages before the one at fault
        are kept and the error names it, as when every page had a transaction of its own."""
        before = (copy.deepcopy(self.report), dict(self.authors.known), self.authors.created)
        try:
            with transaction.atomic(), pagecache.linking_touched_together():
                self.existing = self._existing_titles(items)
                for page, kind, converted in items:
                    self._write(page, kind, converted)
                self._write_records()
        except CommandError:
            if len(items) == 1:
                raise
            report, self.authors.known, self.authors.created = before
            vars(self.report).update(vars(report))  # in place: the command prints the object it gave us
            self.unreported, self.uploads, self.records = 0, [], []
            for item in items:
                self._write_group([item])
            return
        finally:
            self.existing = None
        self._committed()

    def _write_records(self) -> None:
        records, self.records = self.records, []
        ImportedRevision.objects.bulk_create(records)

    def _committed(self) -> None:
        """What waits for the commit: the progress count and the files of File: pages."""
        self.tracker.advance(self.unreported)
        self.unreported = 0
        uploads, self.uploads = self.uploads, []
        for title, page in uploads:
            self._upload(title, page)

    def _advance(self, revisions: int) -> None:
        self.unreported += revisions

    def _existing_titles(self, items: list[tuple]) -> set[str]:
        """Which of the pages' titles are in this wiki already: one query for the group."""
        titles = []
        for page, kind, _ in items:
            if kind == "page":
                try:
                    titles.append(self.title_of(page))
                except CommandError:
                    continue  # refused when the page's turn comes
        return set(Page.objects.filter(title__in=titles).values_list("title", flat=True))

    def flush(self, pages: list[SourcePage]) -> None:
        with ThreadPoolExecutor(max_workers=1) as converter:
            self._finish(self._start(pages, converter))

    def write_long(self, page: SourcePage) -> None:
        kind = self._kind(page)
        if kind == "talk":
            page.revisions = list(chain(page.revisions, page.rest))  # its sections are read from the last
            page.rest = None
            self.flush([page])
            return
        if kind != "page":
            self._skip(page, kind)
            self._committed()
            for _ in page.rest:
                self.tracker.advance()
            return
        items = self._converted_chunks(chain(page.revisions, page.rest))
        with transaction.atomic():
            self._write_content(page, self.title_of(page), items)
            self._write_records()
        self._committed()

    def _converted_chunks(self, revisions: Iterator) -> Iterator:
        while chunk := list(islice(revisions, wikitext.BATCH_TEXTS)):
            done = self._imported_ids([revision.id for revision in chunk])
            self.report.already_imported += len(done)
            self.tracker.advance(len(done))
            chunk = [revision for revision in chunk if revision.id not in done]
            yield from zip(chunk, ready([self._source(r) for r in chunk], self.pandoc), strict=True)

    # --- What each page is ------------------------------------------------------------------------------

    def _kind(self, page: SourcePage) -> str:
        if page.namespace == MEDIAWIKI:
            return "system message"
        if page.namespace in (USER, USER + 1) and not self.user_pages:
            return "user page"
        if page.namespace % 2 == 1:
            return "talk"
        return "page"

    def _texts(self, page: SourcePage, kind: str) -> list[tuple[str, bool]]:
        """The texts to convert, each with whether it is Markdown already (kept as it is)."""
        if kind == "page":
            return [self._source(revision) for revision in page.revisions]
        if kind == "talk" and page.revisions:
            return [(section.text, False) for section in talk.sections(page.revisions[-1].text or "")]
        return []

    def _source(self, revision) -> tuple[str, bool]:
        return revision.text or "", is_markdown(revision, self.dump.ours)

    def title_of(self, page: SourcePage, namespace: int | None = None) -> str:
        """Our title for the page (or, with `namespace`, for the same name in that namespace)."""
        namespace = page.namespace if namespace is None else namespace
        name = page.title.partition(":")[2] if page.namespace != MAIN else page.title
        prefix = OUR_PREFIX.get(namespace, self.dump.namespaces.get(namespace, ""))
        title = f"{prefix}:{name}" if prefix else name
        try:
            return normalize_title(title)
        except InvalidTitle as error:
            raise CommandError(
                f"The page “{page.title}” in {self.dump.path} has a title this wiki cannot store: {error}"
            ) from None

    def _drop_imported(self, pages: list[SourcePage]) -> None:
        done = self._imported_ids([revision.id for page in pages for revision in page.revisions])
        if not done:
            return
        for page in pages:
            before = len(page.revisions)
            page.revisions = [revision for revision in page.revisions if revision.id not in done]
            skipped = before - len(page.revisions)
            self.report.already_imported += skipped
            self.tracker.advance(skipped)

    def _imported_ids(self, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            found.update(
                ImportedRevision.objects.filter(
                    source=self.dump.source, source_id__in=ids[start : start + LOOKUP_CHUNK]
                ).values_list("source_id", flat=True)
            )
        return found

    # --- Writing ------------------------------------------------------------------------------------------

    def _write(self, page: SourcePage, kind: str, converted: list) -> None:
        if not page.revisions:
            return
        if kind == "page":
            self._write_content(page, self.title_of(page), zip(page.revisions, converted, strict=True))
        elif kind == "talk":
            self._write_talk(page, converted)
        else:
            self._skip(page, kind)

    def _skip(self, page: SourcePage, kind: str) -> None:
        flag = " (--user-pages brings them in)" if kind == "user page" else ""
        self.report.warn(f"{kind} left out{flag}", page.title)
        self._advance(len(page.revisions))

    def _write_content(self, page: SourcePage, title: str, items: Iterable) -> None:
        records: list[ImportedRevision] = []
        current: list = [None]  # the source revision being checked, for error messages
        # Source ids of the revisions handed over and not yet written (import_revisions reads a chunk ahead).
        unwritten: deque[int] = deque()
        warnings: list = []

        def historic() -> Iterator[actions.HistoricRevision]:
            for revision, (converted, rendered) in items:
                current[0] = revision
                unwritten.append(revision.id)
                warnings.append(converted.warnings)
                yield self._historic(revision, converted.markdown, rendered)

        def written(revision) -> None:
            records.append(
                ImportedRevision(source=self.dump.source, source_id=unwritten.popleft(), revision=revision)
            )

        try:
            with transaction.atomic(savepoint=False):  # inside its group's transaction, or on its own
                if not self._may_write(title, page):
                    return
                actions.import_revisions(title, historic(), written=written)
                self.records.extend(records)  # written with the group, in its transaction
        except actions.WikiError as error:
            where = f"revision {current[0].id} of “{page.title}”" if current[0] else f"“{page.title}”"
            raise CommandError(f"Could not import {where} from {self.dump.path}: {error}") from None
        self._count(page.title, records, warnings)
        if page.namespace == FILE and self.files is not None:
            self.uploads.append((title, page))

    def _may_write(self, title: str, page: SourcePage) -> bool:
        """A page of ours with the same title that this import did not write, or that was deleted here, is
        left alone."""
        if self.existing is not None and title not in self.existing:
            return True
        existing = Page.objects.filter(title=title).only("latest_id", "deleted_at").first()
        if existing is None or existing.latest_id is None:
            return True
        if existing.is_deleted:
            self.report.warn("left out: deleted in this wiki", title)
        elif ImportedRevision.objects.filter(
            source=self.dump.source, revision_id=existing.latest_id
        ).exists():
            return True
        else:
            self.report.warn("left out: a page of this wiki has the title (or was edited here since)", title)
        self._advance(len(page.revisions))
        return False

    def _count(self, title: str, records: list, warnings: list) -> None:
        self.report.pages += 1
        self.report.revisions += len(records)
        self._advance(len(records))
        if warnings:
            for kind, count in warnings[-1].items():  # the latest revision is what readers see
                self.report.warn(kind, title, count)

    def _historic(self, revision, markdown: str, rendered=None) -> actions.HistoricRevision:
        name, author = self._author(revision)
        return actions.HistoricRevision(
            text=markdown,
            timestamp=timestamp(revision.timestamp),
            author_name=name,
            author=author,
            summary=revision.comment or "",
            minor=bool(revision.minor),
            rendered=rendered,
        )

    def _author(self, revision) -> tuple[str, object]:
        """(name, placeholder account). Only a user with an id on their wiki gets an account: an IP address,
        our own exports' "Anonymous" and a name without an id (a former member, an author imported there
        from elsewhere) stay names, as they were."""
        user = revision.user
        name = " ".join((user.text or "").split()) if user is not None else ""
        if not name:
            return HIDDEN_AUTHOR, None
        if not user.id:
            return name, None
        account = self.authors.account(name)
        return (account.get_username(), account) if account is not None else (name.strip(), None)

    def _write_talk(self, page: SourcePage, converted: list) -> None:
        subject_title = self.title_of(page, page.namespace - 1)
        subject = Page.objects.filter(title=subject_title, deleted_at__isnull=True).first()
        if subject is None:
            self.report.warn("talk page left out: its page is not in the wiki", page.title)
            self._advance(len(page.revisions))
            return
        origins = talk.first_seen(page.revisions, self._origin)
        latest = talk.sections(page.revisions[-1].text or "")
        threads = 0
        try:
            with transaction.atomic(savepoint=False):
                for section, (markdown, _) in zip(latest, converted, strict=True):
                    origin = origins.get(section.subject) or self._origin(page.revisions[-1])
                    threads += talk.import_thread(
                        self.dump.source, page.title, subject, section.subject, markdown.markdown, origin
                    )
                    for kind, count in markdown.warnings.items():
                        self.report.warn(kind, page.title, count)
                ImportedRevision.objects.bulk_create(
                    ImportedRevision(source=self.dump.source, source_id=revision.id)
                    for revision in page.revisions
                )
        except DiscussionError as error:
            raise CommandError(f"Could not import the talk page “{page.title}”: {error}") from None
        self.report.threads += threads
        self.report.revisions += len(page.revisions)
        self._advance(len(page.revisions))

    def _origin(self, revision) -> talk.Origin:
        name, author = self._author(revision)
        return talk.Origin(author, name, timestamp(revision.timestamp))

    def _upload(self, title: str, page: SourcePage) -> None:
        name = title.partition(":")[2]
        path = find_file(self.files, name)
        if path is None:
            self.report.warn("file not found in --files", title)
            return
        comment = f"Imported from {self.dump.source}"
        try:
            with path.open("rb") as handle:
                uploads.upload_file(name, File(handle, name=name), system_author(), comment)
        except uploads.UploadRefused as error:
            if "identical" not in str(error):
                self.report.warn(f"file refused: {error}", title)
            return
        except (actions.WikiError, InvalidTitle) as error:
            self.report.warn(f"file refused: {error}", title)
            return
        self.report.files += 1


def ready(sources: list[tuple[str, bool]], pandoc: wikitext.Pandoc | None = None) -> list[tuple]:
    """Each (text, is Markdown) converted unless it is Markdown already, and rendered as the wiki will store
    it: (Converted, markup.Rendered). The importer runs this in a worker process for the next batch while it
    writes the current one."""
    wikitexts = [text for text, markdown in sources if not markdown]
    converted = iter(wikitext.convert(wikitexts, pandoc) if wikitexts else [])
    items = [wikitext.Converted(text) if markdown else next(converted) for text, markdown in sources]
    return [(item, markup.render(actions.normalize_text(item.markdown))) for item in items]


def find_file(directory: Path, name: str) -> Path | None:
    """The file in MediaWiki's images directory: hashed (`a/ab/Name.png`, the default) or flat."""
    stored = name.replace(" ", "_")
    digest = hashlib.md5(stored.encode()).hexdigest()  # MediaWiki's layout, not security
    for candidate in (directory / digest[0] / digest[:2] / stored, directory / stored):
        if candidate.is_file():
            return candidate
    return None


def timestamp(value) -> datetime:
    return datetime.fromtimestamp(value.unix(), tz=UTC)
