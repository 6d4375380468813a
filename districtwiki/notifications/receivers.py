"""What a saved revision means for notifications: its page's watchers hear of it, and its author may start
watching the page. This runs inside the saving transaction, so it costs a fixed handful of queries
whatever the number of watchers: one to find them, one bulk insert, and, only when the author does not
watch the page yet, one for the author's auto-watch."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import connection, connections, router
from django.utils import timezone

from ..wiki import access, markup, membercache
from ..wiki.models import Watch
from ..wiki.titles import title_path
from . import actions
from .models import Notification, NotificationSettings


def on_revision_saved(sender, page, revision, author, created, **kwargs) -> None:
    author = author if access.is_signed_in(author) else None
    # A page created by this save has no watchers yet: nobody can watch a page before its row exists.
    watchers = set() if created else notify_watchers(page, revision, author)
    # Most edits are by someone who already watches the page (auto-watch did it on their first edit): then
    # there is nothing to add and no setting to read.
    if author is not None and author.pk not in watchers:
        auto_watch(author, page)


def auto_watch(author, page) -> None:
    """The author starts watching the page unless they turned auto-watch off (on when they never chose).
    Inside watches_added_together() the pair waits for its end."""
    waiting = _waiting_watches.get()
    if waiting is not None:
        waiting.add((author.pk, page.pk))
    else:
        add_watches([(author.pk, page.pk)])


def add_watches(pairs: list[tuple[int, int]]) -> None:
    """Each (member id, page id) watched unless that member turned auto-watch off: INSERTs of up to
    WATCHES_AT_ONCE rows that read each member's choice and skip a pair already watched (ON CONFLICT DO
    NOTHING, as bulk_create(ignore_conflicts=True) writes it, without building model instances)."""
    database = connections[router.db_for_write(Watch)]  # as the ORM would: a write, for read-your-writes
    created_at = Watch._meta.get_field("created_at").get_db_prep_save(timezone.now(), database)
    with database.cursor() as cursor:
        for start in range(0, len(pairs), WATCHES_AT_ONCE):
            part = pairs[start : start + WATCHES_AT_ONCE]
            cursor.execute(
                f"INSERT INTO {Watch._meta.db_table} (user_id, page_id, created_at) "
                f"SELECT pair.column1, pair.column2, %s FROM (VALUES {', '.join(['(%s, %s)'] * len(part))}) "
                f"AS pair WHERE COALESCE((SELECT auto_watch FROM {NotificationSettings._meta.db_table} "
                "WHERE user_id = pair.column1), TRUE) ON CONFLICT DO NOTHING",
                [created_at, *(value for pair in part for value in pair)],
            )
    # Their Watch buttons: written out, the rows send no signal.
    membercache.members_changed(member_id for member_id, _ in pairs)


WATCHES_AT_ONCE = 1_000  # 2 parameters a row, well inside SQLite's 32,766

# (member id, page id) pairs waiting to be watched together, inside watches_added_together(); else None.
_waiting_watches: ContextVar[set[tuple[int, int]] | None] = ContextVar("waiting_watches", default=None)


@contextmanager
def watches_added_together():
    """For a writer that saves many pages in one transaction (wiki/bulk.py): the authors' auto-watches are
    written when the block ends without an error, still inside the caller's transaction, by one INSERT
    instead of one per save. A save later in the block finds its author not yet watching and adds the same
    pair again, which is counted once; nobody outside the transaction sees the difference."""
    pairs: set[tuple[int, int]] = set()
    token = _waiting_watches.set(pairs)
    try:
        yield
    finally:
        _waiting_watches.reset(token)
    if pairs:
        add_watches(sorted(pairs))


def notify_watchers(page, revision, author) -> set[int]:
    """Notify the page's active watchers other than the author; the ids of all its watchers."""
    watchers = page_watchers(page)
    author_id = author.pk if author is not None else None
    recipients = [user_id for user_id, active in watchers.items() if active and user_id != author_id]
    text, url = edit_text(page, revision), revision_url(page, revision)
    actions.notify_users(recipients, Notification.Kind.PAGE_EDIT, text, url, author)
    return set(watchers)


def page_watchers(page) -> dict[int, bool]:
    """Everyone who watches the page: user id → whether the account is active. One statement, written out:
    it runs in every save, and building it with the ORM costs several times what running it does."""
    users = get_user_model()._meta
    sql = (
        f"SELECT watch.user_id, member.is_active FROM {Watch._meta.db_table} watch "
        f"JOIN {users.db_table} member ON member.{users.pk.column} = watch.user_id WHERE watch.page_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [page.pk])
        return {user_id: bool(active) for user_id, active in cursor.fetchall()}


def edit_text(page, revision) -> str:
    verb = "created" if revision.parent_id is None else "edited"
    text = f"{revision.author_name} {verb} {page.title}"
    return f"{text}: {revision.summary}" if revision.summary else text


def revision_url(page, revision) -> str:
    """The diff against the parent, or the page for a first revision (as the recent-changes feed links)."""
    if revision.parent_id is None:
        return markup.page_url(page.title)
    return f"/diff/{title_path(page.title)}?from={revision.parent_id}&to={revision.pk}"
