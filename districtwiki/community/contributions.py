"""What a member has done, for their profile page: recent wiki edits, discussion threads and posts (when the
discussions app is installed), and their watchlist (shown only to them)."""

from django.apps import apps

from districtwiki.wiki.models import Revision, Watch

RECENT_LIMIT = 10
WATCHLIST_LIMIT = 100


def discussions_installed() -> bool:
    return apps.is_installed("districtwiki.discussions")


def recent_edits(user) -> list[Revision]:
    revisions = Revision.objects.filter(author=user, page__deleted_at__isnull=True).select_related("page")
    return list(revisions.order_by("-id").only("id", "timestamp", "summary", "page__title")[:RECENT_LIMIT])


def recent_threads(user) -> list:
    if not discussions_installed():
        return []
    from districtwiki.discussions import queries

    return queries.threads_started_by(user, RECENT_LIMIT)


def recent_posts(user) -> list:
    """Posts everyone may read: hidden ones and those on deleted pages are left out."""
    if not discussions_installed():
        return []
    from districtwiki.discussions.models import Post

    posts = Post.objects.filter(author=user, hidden_at__isnull=True, thread__page__deleted_at__isnull=True)
    return list(posts.select_related("thread").order_by("-id")[:RECENT_LIMIT])


def watchlist(user) -> list:
    watches = Watch.objects.filter(user=user, page__deleted_at__isnull=True).select_related("page")
    return [watch.page for watch in watches.order_by("page__title")[:WATCHLIST_LIMIT]]
