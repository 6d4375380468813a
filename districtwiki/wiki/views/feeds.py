"""Atom feeds of recent changes (the whole wiki, or one page), built with django.contrib.syndication.

Each entry links to the diff against its parent revision, or to the page for a first revision. Titles and
summaries are plain text that the feed generator escapes; the description is HTML, so it is escaped here.
"""

import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from .. import markup
from ..models import Revision
from ..titles import normalize_title, title_path
from .errors import translate_errors
from .special import RECENT_ORDER, live_page, size_change, with_size_changes

FEED_SIZE = 50


class RevisionFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, revision) -> str:
        return f"{revision.page.title}: {revision.summary}" if revision.summary else revision.page.title

    def item_link(self, revision) -> str:
        path = title_path(revision.page.title)
        if revision.parent_id is None:
            return markup.page_url(revision.page.title)
        return f"/diff/{path}?from={revision.parent_id}&to={revision.pk}"

    def item_guid(self, revision) -> str:
        # Unique and stable per revision, whatever later happens to the page's title.
        return f"urn:districtwiki:revision:{revision.pk}"

    def item_description(self, revision) -> str:
        change = size_change(revision)
        kind = "New page" if revision.parent_id is None else "Minor edit" if revision.minor else "Edit"
        summary = f": {html.escape(revision.summary)}" if revision.summary else ""
        return f"<p>{kind}{summary} ({change:+,} bytes)</p>"

    def item_author_name(self, revision) -> str:
        return revision.author_name

    def item_pubdate(self, revision):
        return revision.timestamp

    def item_updateddate(self, revision):
        return revision.timestamp


class RecentChangesFeed(RevisionFeed):
    def get_object(self, request):
        return request.GET.get("user", "").strip()

    def title(self, user: str) -> str:
        suffix = f" by {user}" if user else ""
        return f"{settings.SITE_NAME}: recent changes{suffix}"

    def link(self, user: str) -> str:
        return "/special/recent"

    def items(self, user: str):
        revisions = Revision.objects.filter(page__deleted_at__isnull=True)
        if user:
            revisions = revisions.filter(author__username=user)
        return with_size_changes(revisions.order_by(*RECENT_ORDER))[:FEED_SIZE]


class PageChangesFeed(RevisionFeed):
    def get_object(self, request, title):
        return live_page(normalize_title(title))

    def title(self, page) -> str:
        return f"{settings.SITE_NAME}: changes to {page.title}"

    def link(self, page) -> str:
        return f"/history/{title_path(page.title)}"

    def items(self, page):
        return with_size_changes(Revision.objects.filter(page=page).order_by("-id"))[:FEED_SIZE]


@require_GET
def recent_feed(request):
    return RecentChangesFeed()(request)


@require_GET
@translate_errors
def page_feed(request, title):
    return PageChangesFeed()(request, title=title)
