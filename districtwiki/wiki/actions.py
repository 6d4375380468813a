"""Every write to the wiki goes through these functions: views, the API, the CLI and importers alike.

Each action authorises (access.check_*), validates, and writes in one transaction: the revision, the page
row, its links and categories and the search index. Errors are typed exceptions; callers turn them into
responses.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from districtwiki import ratelimits

from . import access, frontmatter, markup, pagecache, search, signals, sqlrows
from .merging import ConflictRegion, merge_texts
from .models import CategoryMembership, LogEntry, Page, PageLink, PageProperties, Revision, Watch
from .titles import namespace_of, normalize_title


class WikiError(Exception):
    """A request the wiki refuses; the message is for the person who made it."""

    status = 400


class NoChange(WikiError):
    status = 200


class PageTooLarge(WikiError):
    status = 413


class RateLimited(WikiError):
    status = 429


class InvalidBase(WikiError):
    status = 400


class TitleTaken(WikiError):
    status = 409


class EditConflict(WikiError):
    status = 409

    def __init__(self, current: Revision, conflicts: list[ConflictRegion]):
        self.current = current
        self.conflicts = conflicts
        count = len(conflicts)
        super().__init__(
            f"Someone else changed this page (revision {current.pk}) and {count} of your changes "
            f"overlap with theirs. Your text is kept below: resolve the conflicting parts and save again."
        )


@dataclass
class SaveResult:
    page: Page
    revision: Revision
    created: bool
    merged_with: Revision | None = None


def normalize_text(text: str) -> str:
    """One form for stored text: Unix line endings, no trailing whitespace at the end."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def check_text(text: str) -> None:
    """Refuse what no database can store faithfully: NUL characters and unpaired surrogates."""
    if "\x00" in text:
        raise WikiError(
            "The text contains a NUL character (U+0000), which cannot be saved. Remove it and try again."
        )
    try:
        text.encode()
    except UnicodeEncodeError:
        raise WikiError(
            "The text contains characters that are not valid Unicode; remove them and try again."
        ) from None


def check_size(text: str) -> None:
    size = len(text.encode())
    limit = settings.MAX_PAGE_BYTES
    if size > limit:
        raise PageTooLarge(
            f"This page is {size // 1024} KiB; the limit is {limit // 1024} KiB. Split it into subpages."
        )


def check_edit_rate(author) -> None:
    if not access.is_signed_in(author) or author.is_wiki_admin:
        return
    since = timezone.now() - timedelta(minutes=1)
    recent = sqlrows.count_recent_revisions(author.pk, since)
    if recent >= settings.EDIT_RATE_LIMIT:
        raise RateLimited(
            f"You have saved {recent} times in the last minute; wait a minute before saving again."
        )


PREVIEW_MINIMUM_BYTES = 16 * 1024


def check_preview_budget(previewer: str, size: int) -> None:
    """Count a preview of `size` bytes against `previewer`'s budget (settings.PREVIEW_BYTES_PER_MINUTE)."""
    cost = max(size, PREVIEW_MINIMUM_BYTES)
    if not ratelimits.spend(f"wiki:preview:{previewer}", cost, settings.PREVIEW_BYTES_PER_MINUTE, 60):
        raise RateLimited("You have previewed a lot of text in the last minute; wait a minute and try again.")


def _lock_page(title: str) -> Page | None:
    """The page row, locked until the transaction ends, and its latest revision as committed now.

    The revision is read by a second statement on purpose: on PostgreSQL, a row joined into a FOR UPDATE
    query that waited for a lock can be the version from before the wait, which would hide the edit that
    was just committed and let this save overwrite it.

    Both are plain statements (sqlrows.py): this runs in every save, and building the ORM's queries cost
    several times what running them does.
    """
    if connection.vendor == "sqlite":
        # SQLite has neither row locks nor such stale rows: the save's transaction holds the database's write
        # lock (transaction_mode IMMEDIATE), so nothing can be committed between this read and our commit.
        # One statement reads the page and its latest revision, or answers that there is no such page.
        return sqlrows.page_with_latest(title)
    page = sqlrows.page_for_update(title)
    if page is not None and page.latest_id is not None:
        page.latest = sqlrows.revision(page.latest_id)
    return page


def _base_text(page: Page | None, base_revision: int | None) -> str | None:
    """The text the editor started from; None when they started from the current revision."""
    if page is None:
        if base_revision is not None:
            raise InvalidBase(
                f"Revision {base_revision} is not a revision of this page, which does not exist."
            )
        return None
    if base_revision is None:
        return ""  # they began a new page that someone else has created since
    if page.latest_id == base_revision:
        return None
    base = Revision.objects.filter(pk=base_revision, page=page).only("text").first()
    if base is None:
        raise InvalidBase(f"Revision {base_revision} is not a revision of “{page.title}”.")
    return base.text


def save_revision(
    title: str,
    text: str,
    author,
    base_revision: int | None = None,
    summary: str = "",
    minor: bool = False,
) -> SaveResult:
    """Save `text` as the new revision of `title`, merging with any edit made since `base_revision`."""
    title = normalize_title(title)
    text = normalize_text(text)
    summary = " ".join(summary.split())[:500]
    check_text(text + summary)
    check_size(text)
    access.check_can_edit(author, None)
    check_edit_rate(author)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _save_locked(title, text, author, base_revision, summary, minor)
        except IntegrityError:
            # Two people created the same page at once; the second now merges with the first.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _save_locked(title, text, author, base_revision, summary, minor) -> SaveResult:
    page = _lock_page(title)
    access.check_can_edit(author, page)
    base_text = _base_text(page, base_revision)
    current = page.latest if page else None
    merged_with = None
    if current is not None and base_text is not None:
        result = merge_texts(base_text, current.text, text)
        if not result.clean:
            raise EditConflict(current, result.conflicts)
        text, merged_with = result.text, current
        check_size(text)
        note = f"merged with revision {current.pk}"
        summary = f"{summary} ({note})" if summary else note.capitalize()
    if current is not None and text == current.text:
        raise NoChange("Nothing changed: the text is the same as the current revision, so nothing was saved.")
    created = page is None
    if created:
        # No savepoint of its own: an IntegrityError (someone created the page first) rolls back the whole
        # attempt in save_revision, which then tries again.
        page = sqlrows.create_page(title, namespace_of(title), timezone.now())
    revision = _write_revision(page, text, author, summary, minor, new_page=created)
    signals.revision_saved.send(sender=Revision, page=page, revision=revision, author=author, created=created)
    return SaveResult(page, revision, created, merged_with)


@dataclass
class HistoricRevision:
    """A revision written elsewhere (an imported wiki): its text, time, author and summary as they were.

    `author` is an account (an importer's placeholder) or None; `author_name` is shown either way (an IP
    address for an anonymous edit)."""

    text: str
    timestamp: datetime
    author_name: str
    author: object = None
    summary: str = ""
    minor: bool = False
    # markup.render(normalize_text(text)) when the caller has it already (an importer renders in a worker
    # process, on another core); rendered here otherwise.
    rendered: markup.Rendered | None = None


# An import writes a page's revisions this many at a time (or fewer, up to IMPORT_CHUNK_BYTES of text).
IMPORT_CHUNK_REVISIONS = 100
IMPORT_CHUNK_BYTES = 4 * 1024 * 1024


def import_revisions(
    title: str, revisions: Iterable[HistoricRevision], written: Callable[[Revision], None] | None = None
) -> SaveResult | None:
    """Append `revisions`, oldest first, to the history of `title` with their own times and authors.

    The importers' path (no rate limit: the edits were made elsewhere, long ago). It keeps every guarantee of
    save_revision: one transaction for the page, new immutable rows only, the size limit and the text checks
    on each revision (WikiError, and nothing of the page is written). Each revision stores its rendered HTML,
    so viewing an old revision never parses Markdown; links, categories, properties, the search index and the
    revision_saved signal follow the last one only, as they would after the last save. `revisions` may be a
    generator: the caller can convert text chunk by chunk while the transaction is open; they are written in
    chunks (one INSERT each, ids reserved first so that each row names its parent as it is written).
    `written` is called with each new revision (an importer records where it came from). Returns None when
    there was nothing to write.
    """
    title = normalize_title(title)
    # No savepoint when the caller's transaction is open (an importer's, holding its records of the page):
    # an error rolls back that whole transaction anyway, and a savepoint costs two statements per page.
    with transaction.atomic(savepoint=False):
        page = _lock_page(title)
        if page is not None and page.is_deleted:
            raise WikiError(f"“{title}” was deleted here: restore it before importing more of its history.")
        had_properties = page is not None and page.latest is not None and _has_front_matter(page.latest.text)
        created = page is None
        last = None
        for chunk in _import_chunks(revisions):
            if page is None:
                page = Page.objects.create(
                    title=title, namespace=namespace_of(title), touched_at=timezone.now()
                )
            stored = _create_revisions(page, chunk)
            if written is not None:
                for revision in stored:
                    written(revision)
            last = chunk[-1]
        if last is None:
            return None
        revision, rendered, historic = page.latest, last[2], last[0]
        _store_current(page, revision, rendered, _front_matter(revision.text), had_properties, created)
        signals.revision_saved.send(
            sender=Revision, page=page, revision=revision, author=historic.author, created=created
        )
    return SaveResult(page, revision, created)


def _import_chunks(revisions: Iterable[HistoricRevision]) -> Iterable[list[tuple]]:
    """Lists of (historic, normalised text, rendered, summary), each revision checked as it comes."""
    chunk: list[tuple] = []
    size = 0
    for historic in revisions:
        text, summary = normalize_text(historic.text), " ".join(historic.summary.split())[:500]
        check_text(text + summary + historic.author_name)
        check_size(text)
        rendered = historic.rendered if historic.rendered is not None else markup.render(text)
        chunk.append((historic, text, rendered, summary))
        size += len(text)
        if len(chunk) >= IMPORT_CHUNK_REVISIONS or size >= IMPORT_CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _create_revisions(page: Page, chunk: list[tuple]) -> list[Revision]:
    rows = []
    parent = page.latest_id
    for revision_id, (historic, text, rendered, summary) in zip(
        _reserve_revision_ids(len(chunk)), chunk, strict=True
    ):
        data = text.encode()
        rows.append(
            Revision(
                id=revision_id,
                page=page,
                parent_id=parent,
                author=historic.author,
                author_name=historic.author_name[:150],
                timestamp=historic.timestamp,
                summary=summary,
                minor=historic.minor,
                size=len(data),
                sha1=hashlib.sha1(data).hexdigest(),
                text=text,
                html=rendered.html,
            )
        )
        parent = revision_id
    Revision.objects.bulk_create(rows)
    page.latest = rows[-1]  # in memory: the next chunk's parent; written once by _store_current
    return rows


def _reserve_revision_ids(count: int) -> list[int]:
    """Ids for `count` new revisions, ascending (history is in id order), taken before they are written."""
    table = connection.ops.quote_name(Revision._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Revision._meta.db_table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: the transaction holds the database's write lock (IMMEDIATE), so no one else can take these
        # ids before they are written; AUTOINCREMENT's sequence then moves past them as it does for any row.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0))",
            [Revision._meta.db_table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def _store_current(page, revision, rendered, properties, had_properties, new_page: bool = False) -> None:
    """`new_page`: the page was created in this transaction, so it has no links or categories stored yet."""
    sqlrows.update_current(page, revision, rendered.redirect_to, timezone.now())
    _store_links(page, rendered, new_page)
    _store_properties(page, properties, had_properties)
    search.index_page(page, revision, rendered.search_text, rendered.search_joined)


def _write_revision(
    page: Page, text: str, author, summary: str, minor: bool, new_page: bool = False
) -> Revision:
    """`new_page`: the page was created in this transaction (see _store_current)."""
    rendered = markup.render(text)
    properties = _front_matter(text)
    had_properties = page.latest is not None and _has_front_matter(page.latest.text)
    now, data = timezone.now(), text.encode()
    revision = Revision(
        page=page,
        parent_id=page.latest_id,
        author=author if access.is_signed_in(author) else None,
        author_name=author.get_username() if access.is_signed_in(author) else "Anonymous",
        timestamp=now,
        summary=summary,
        minor=minor,
        size=len(data),
        sha1=hashlib.sha1(data).hexdigest(),
        text=text,
        html=rendered.html,
    )
    sqlrows.insert_revision(revision)
    _store_current(page, revision, rendered, properties, had_properties, new_page)
    return revision


def _front_matter(text: str) -> frontmatter.FrontMatter | None:
    try:
        return frontmatter.parse(text)
    except frontmatter.InvalidFrontMatter as error:
        raise WikiError(str(error)) from None


def _has_front_matter(text: str) -> bool:
    return bool(frontmatter.split(text)[0].strip())


def _store_properties(page: Page, matter: frontmatter.FrontMatter | None, had_properties: bool) -> None:
    """`had_properties`: whether the previous revision had front matter. The row is written only here, from
    the current revision's text, so without front matter before or now there is no row to delete."""
    if matter is None:
        if had_properties:
            PageProperties.objects.filter(page=page).delete()
        return
    PageProperties.objects.update_or_create(
        page=page,
        defaults={
            "audience": "," + ",".join(matter.audience) + "," if matter.audience else "",
            "district_size": "," + ",".join(matter.district_size) + "," if matter.district_size else "",
            "reviewed": matter.reviewed,
            "review_every": matter.review_every,
            "review_due": matter.review_due,
            "time_sensitive": matter.time_sensitive,
            "sources": matter.sources,
        },
    )


def _store_links(page: Page, rendered: markup.Rendered, new_page: bool = False) -> None:
    """Write only what changed: most edits change no link or category, and deleting and inserting every row
    dirtied an index page per link."""
    links, categories = (set(), set()) if new_page else _stored_links(page)
    if gone := links.difference(rendered.links):
        PageLink.objects.filter(source=page, target__in=gone).delete()
    _insert_pairs(PageLink, "source_id", "target", page.pk, sorted(set(rendered.links) - links))
    if gone := categories.difference(rendered.categories):
        CategoryMembership.objects.filter(page=page, category__in=gone).delete()
    new_categories = [name for name in rendered.categories if name not in categories]
    _insert_pairs(CategoryMembership, "page_id", "category", page.pk, new_categories)


def _insert_pairs(model, page_column: str, value_column: str, page_id: int, values: list[str]) -> None:
    """Rows of (page, value) for a link or category table, by multi-row INSERTs of up to PAIRS_PER_INSERT
    rows: bulk_create's model instances cost more than the INSERT itself for the dozens of links of a page,
    and on PostgreSQL an executemany costs several round trips (no signal listens for these rows)."""
    table, quote = model._meta.db_table, connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({quote(page_column)}, {quote(value_column)}) VALUES "
    with connection.cursor() as cursor:
        for start in range(0, len(values), PAIRS_PER_INSERT):
            part = values[start : start + PAIRS_PER_INSERT]
            cursor.execute(
                head + ", ".join(["(%s, %s)"] * len(part)),
                [item for value in part for item in (page_id, value)],
            )


# 2 parameters a row: SQLite allows 32,766 to a statement, PostgreSQL 65,535.
PAIRS_PER_INSERT = 500


def _stored_links(page: Page) -> tuple[set[str], set[str]]:
    """The link targets and the categories stored for the page. One statement, written out: it runs on every
    save, and building it with the ORM costs several times what running it does."""
    sql = (
        f"SELECT 0, target FROM {PageLink._meta.db_table} WHERE source_id = %s UNION ALL "
        f"SELECT 1, category FROM {CategoryMembership._meta.db_table} WHERE page_id = %s"
    )
    links: set[str] = set()
    categories: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, [page.pk, page.pk])
        for is_category, value in cursor.fetchall():
            (categories if is_category else links).add(value)
    return links, categories


def revert_to(page: Page, revision: Revision, user, summary: str = "") -> SaveResult:
    """A new revision whose text is that of an older one."""
    if revision.page_id != page.pk:
        raise InvalidBase(f"Revision {revision.pk} is not a revision of “{page.title}”.")
    note = f"Reverted to revision {revision.pk} by {revision.author_name}"
    return save_revision(
        page.title, revision.text, user, page.latest_id, f"{note}: {summary}" if summary else note
    )


def rollback(page: Page, user) -> SaveResult:
    """Undo the last author's consecutive edits in one step (trusted members)."""
    access.check_trusted(user, "roll back edits")
    latest = page.latest
    earlier = (
        Revision.objects.for_page(page)
        .exclude(author_name=latest.author_name)
        .only("pk", "text", "author_name")
    ).first()
    if earlier is None:
        raise WikiError(
            f"Every revision of “{page.title}” is by {latest.author_name}: there is nothing to roll back to."
        )
    summary = f"Rolled back edits by {latest.author_name} to revision {earlier.pk} by {earlier.author_name}"
    return save_revision(page.title, earlier.text, user, page.latest_id, summary)


# The summaries revert_to and rollback write name authors; a summary may end with save_revision's merge note.
MERGE_NOTE_END = r"(?: \(merged with revision \d+\))?$"
NAMED_IN_SUMMARY = (
    r"^(Reverted to revision \d+ by ){name}(?=$|: | \(merged with revision)",
    r"^(Rolled back edits by ){name}(?= to revision \d+ by )",
    r"^(Rolled back edits by .+? to revision \d+ by ){name}(?=" + MERGE_NOTE_END + ")",
)


def rename_in_summaries(old_name: str, new_name: str) -> int:
    """Put `new_name` for the author `old_name` where the summaries of revert_to and rollback name them (an
    account deleted), never in words people typed. Revisions are immutable history: this is one of the
    two sanctioned changes to one, with the author erased. Returns how many revisions changed."""
    patterns = [re.compile(pattern.format(name=re.escape(old_name))) for pattern in NAMED_IN_SUMMARY]
    candidates = Revision.objects.filter(
        Q(summary__startswith="Reverted to revision ") | Q(summary__startswith="Rolled back edits by "),
        summary__contains=f" by {old_name}",
    ).only("pk", "summary")
    changed = []
    for revision in candidates:
        summary = revision.summary
        for pattern in patterns:
            summary = pattern.sub(lambda match: match.group(1) + new_name, summary)
        if summary != revision.summary:
            revision.summary = summary[:500]
            changed.append(revision)
    Revision.objects.bulk_update(changed, ["summary"])
    return len(changed)


def move_page(page: Page, new_title: str, user, reason: str = "", leave_redirect: bool = True) -> Page:
    access.check_trusted(user, "move pages")
    access.check_can_edit(user, page)
    new_title = normalize_title(new_title)
    if new_title == page.title:
        raise WikiError("The new title is the same as the current one.")
    if namespace_of(new_title) != page.namespace:
        raise WikiError("A page cannot be moved into or out of the File: or Category: namespace.")
    old_title = page.title
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        if Page.objects.filter(title=new_title).exists():
            raise TitleTaken(
                f"A page called “{new_title}” already exists (or was deleted); choose another title."
            )
        page.title = new_title
        page.save(update_fields=["title"])
        pagecache.touch_linking(old_title)  # links to the old title turn red, or lead to the redirect
        note = f"Moved from [[{old_title}]] to [[{new_title}]]" + (f": {reason}" if reason else "")
        _write_revision(page, page.latest.text, user, note[:500], minor=True)
        _log(LogEntry.Action.MOVE, page, user, note)
        if leave_redirect:
            redirect = Page.objects.create(
                title=old_title, namespace=page.namespace, touched_at=timezone.now()
            )
            _write_revision(redirect, f"#REDIRECT [[{new_title}]]", user, note[:500], minor=True)
    return page


def delete_page(page: Page, user, reason: str = "") -> None:
    access.check_admin(user, "delete pages")
    if page.is_deleted:
        raise WikiError(f"“{page.title}” is already deleted.")
    with transaction.atomic():
        page.deleted_at = timezone.now()
        page.save(update_fields=["deleted_at"])
        PageLink.objects.filter(source=page).delete()
        CategoryMembership.objects.filter(page=page).delete()
        search.unindex_page(page)
        _log(LogEntry.Action.DELETE, page, user, reason)


def undelete_page(page: Page, user, reason: str = "") -> None:
    access.check_admin(user, "restore deleted pages")
    if not page.is_deleted:
        raise WikiError(f"“{page.title}” is not deleted.")
    with transaction.atomic():
        page.deleted_at = None
        page.save(update_fields=["deleted_at"])
        _store_links(page, markup.render(page.latest.text))
        search.index_page(page, page.latest)
        _log(LogEntry.Action.UNDELETE, page, user, reason)


def protect_page(page: Page, level: str, user, reason: str = "") -> None:
    access.check_trusted(user, "protect pages")
    if level not in Page.Protection.values:
        raise WikiError(f"“{level}” is not a protection level.")
    if Page.Protection.ADMIN in (level, page.protection) and not access.is_admin(user):
        raise PermissionDenied("Only admins can set or lift admin-only protection.")
    page.protection = level
    page.save(update_fields=["protection"])
    label = Page.Protection(level).label
    _log(LogEntry.Action.PROTECT, page, user, f"Edit: {label}" + (f" ({reason})" if reason else ""))


def set_watch(page: Page, user, watching: bool) -> None:
    if not access.is_signed_in(user):
        raise PermissionDenied("Sign in to watch pages.")
    if watching:
        Watch.objects.get_or_create(user=user, page=page)
    else:
        Watch.objects.filter(user=user, page=page).delete()


def _log(action: str, page: Page, user, note: str) -> None:
    LogEntry.objects.create(
        action=action,
        page=page,
        user=user if access.is_signed_in(user) else None,
        timestamp=timezone.now(),
        note=note[:500],
    )
