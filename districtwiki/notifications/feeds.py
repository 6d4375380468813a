"""The private Atom feed of a member's watchlist: /feeds/watchlist/<token>.atom.

Entries are the same as the recent-changes feed's (the wiki's RevisionFeed). The token is the only
credential, so a wrong or revoked token is a plain 404 that says nothing about which accounts exist.
"""

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ..wiki.models import Revision
from ..wiki.views.feeds import FEED_SIZE, RevisionFeed
from ..wiki.views.special import RECENT_ORDER, with_size_changes
from . import actions


class WatchlistFeed(RevisionFeed):
    def get_object(self, request, token):
        user = actions.feed_owner(token)
        if user is None:
            raise Http404("There is no watchlist feed at this address: it may have been revoked.")
        return user

    def title(self, user) -> str:
        return f"{settings.SITE_NAME}: changes to {user.get_username()}'s watchlist"

    def link(self, user) -> str:
        return "/notifications/"

    def items(self, user):
        revisions = Revision.objects.filter(page__watches__user=user, page__deleted_at__isnull=True)
        return with_size_changes(revisions.order_by(*RECENT_ORDER))[:FEED_SIZE]


@require_GET
def watchlist_feed(request, token: str):
    response = WatchlistFeed()(request, token=token)
    # The address is a secret: keep the feed out of shared caches and search engines.
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex"
    return response
