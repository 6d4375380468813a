"""Read-only questions other apps ask about discussions (the page header, profiles, state boards).

State boards: a state chapter's board is simply the talk page of the wiki page "State/<XX>"
(`/talk/State/<XX>`); `board_threads("State/XX")` lists its latest threads for the chapter page.
"""

from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .models import Thread


def open_thread_count(page: Page) -> int:
    """How many threads on this page are open (not locked): one query."""
    return Thread.objects.open().filter(page=page).count()


def board_threads(title: str, limit: int = 10) -> list[Thread]:
    """The most recently active threads on the page `title`; empty when there is no such live page."""
    try:
        canonical = normalize_title(title)
    except InvalidTitle:
        return []
    threads = Thread.objects.latest_activity().filter(page__title=canonical)
    return list(threads.select_related("page", "last_post")[:limit])


def latest_threads(limit: int = 5) -> list[Thread]:
    """The most recently active threads on live pages, for the home page: one query."""
    threads = Thread.objects.latest_activity().select_related("page")
    return list(threads[:limit])


def threads_started_by(user, limit: int = 20) -> list[Thread]:
    """A member's threads, newest first, for their profile's contributions."""
    threads = Thread.objects.filter(author=user, page__deleted_at__isnull=True).order_by("-created_at", "-id")
    return list(threads.select_related("page")[:limit])


def talk_url(page: Page) -> str:
    return "/talk/" + page.url_title
