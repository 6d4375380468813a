"""What a saved revision means for notifications: its page's watchers hear of it, and its author may start
watching the page. This runs inside the saving transaction, so it costs a fixed handful of queries
whatever the number of watchers: one to find them, one bulk insert, and, only when the author does not
watch the page yet, one for the author's auto-watch."""

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
    """The author starts watching the page unless they turned auto-watch off (on when they never chose):
    one INSERT that reads their choice and does nothing when they started watching meanwhile (ON CONFLICT
    DO NOTHING, as bulk_create(ignore_conflicts=True) writes it, without building the model instance)."""
    database = connections[router.db_for_write(Watch)]  # as the ORM would: a write, for read-your-writes
    created_at = Watch._meta.get_field("created_at").get_db_prep_save(timezone.now(), database)
    with database.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Watch._meta.db_table} (user_id, page_id, created_at) SELECT %s, %s, %s "
            f"WHERE COALESCE((SELECT auto_watch FROM {NotificationSettings._meta.db_table} "
            "WHERE user_id = %s), TRUE) ON CONFLICT DO NOTHING",
            [author.pk, page.pk, created_at, author.pk],
        )
    membercache.members_changed([author.pk])  # their Watch button: written out, the row sends no signal


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
