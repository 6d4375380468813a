"""A member's private calendar feed, /events/feeds/<token>.ics: the events they said they would attend.

The token is made and kept like the watchlist feed's (notifications/tokens.py): random, shown once, only its
SHA-256 stored with a few leading characters as a hint; making a new one revokes the old, and the member can
turn the feed off. The token is the only credential, so a wrong or revoked one is a plain 404 that says
nothing about which accounts exist.
"""

from django.db import transaction
from django.utils import timezone

from ..notifications import tokens
from .models import CalendarFeed


def regenerate_calendar_feed(user) -> str:
    """A new secret feed address for the member; the old one, if any, stops working at once."""
    token = tokens.new_feed_token()
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user,
            defaults={
                "token_hash": tokens.hash_feed_token(token),
                "token_hint": token[: tokens.FEED_HINT_LENGTH],
                "created_at": timezone.now(),
            },
        )
    return token


def revoke_calendar_feed(user) -> bool:
    """Turn the member's feed off; False when they had none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(token: str):
    """The active member whose calendar feed `token` opens, or None."""
    if not token or len(token) > 200:  # a real token is 43 characters: hash nothing larger
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=tokens.hash_feed_token(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None
