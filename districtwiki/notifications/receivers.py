"""What a saved revision means for notifications: its page's watchers hear of it, and its author may start
watching the page. This runs inside the saving transaction, so it costs a fixed handful of queries
whatever the number of watchers (one to find them, one bulk insert, two for the author's auto-watch)."""

from django.contrib.auth import get_user_model

from ..wiki import access, markup
from ..wiki.models import Watch
from ..wiki.titles import title_path
from . import actions
from .models import Notification


def on_revision_saved(sender, page, revision, author, created, **kwargs) -> None:
    author = author if access.is_signed_in(author) else None
    notify_watchers(page, revision, author)
    if author is not None and actions.auto_watch_enabled(author):
        # ignore_conflicts: an INSERT that does nothing when the author already watches the page.
        Watch.objects.bulk_create([Watch(user=author, page=page)], ignore_conflicts=True)


def notify_watchers(page, revision, author) -> int:
    watchers = get_user_model().objects.filter(watches__page=page)
    return actions.notify_all(
        watchers, Notification.Kind.PAGE_EDIT, edit_text(page, revision), revision_url(page, revision), author
    )


def edit_text(page, revision) -> str:
    verb = "created" if revision.parent_id is None else "edited"
    text = f"{revision.author_name} {verb} {page.title}"
    return f"{text}: {revision.summary}" if revision.summary else text


def revision_url(page, revision) -> str:
    """The diff against the parent, or the page for a first revision (as the recent-changes feed links)."""
    if revision.parent_id is None:
        return markup.page_url(page.title)
    return f"/diff/{title_path(page.title)}?from={revision.parent_id}&to={revision.pk}"
