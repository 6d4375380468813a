"""Creating and updating notifications and notification settings. Every other app notifies through `notify`
(or `notify_all` for many recipients at once)."""

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone

from ..wiki import membercache
from . import tokens
from .models import Notification, NotificationSettings


def notify(user, kind: str, text: str, url: str, actor=None) -> Notification | None:
    """Tell `user` about something; nothing when the user is the one who did it or is inactive."""
    if user is None or not user.is_active or (actor is not None and actor.pk == user.pk):
        return None
    return Notification.objects.create(user=user, kind=kind, text=text[:300], url=url[:500], actor=actor)


def notify_all(users, kind: str, text: str, url: str, actor=None) -> int:
    """Tell every active user in the `users` queryset, except the actor: one query to find them, one insert.

    Made for receivers that run inside someone's saving transaction, where a row per query would be slow."""
    recipients = users.filter(is_active=True)
    if actor is not None and actor.pk is not None:
        recipients = recipients.exclude(pk=actor.pk)
    return notify_users(list(recipients.values_list("pk", flat=True).distinct()), kind, text, url, actor)


def notify_users(user_ids: list[int], kind: str, text: str, url: str, actor=None) -> int:
    """Tell the members `user_ids` in one insert; the caller has already left out the actor and inactive
    members (notify_all does that for a queryset)."""
    if not user_ids:
        return 0
    # One prepared INSERT, written out: a page's watchers are notified inside every save, and bulk_create's
    # model instances and query cost more than the statement (no signal listens for these rows).
    actor_id = actor.pk if actor is not None else None
    database = connections[
        router.db_for_write(Notification)
    ]  # as the ORM would: a write, for read-your-writes
    created_at = Notification._meta.get_field("created_at").get_db_prep_save(timezone.now(), database)
    with database.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {Notification._meta.db_table} "
            "(user_id, kind, text, url, actor_id, created_at, read_at, emailed_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, NULL, NULL)",
            [(user_id, kind, text[:300], url[:500], actor_id, created_at) for user_id in user_ids],
        )
    membercache.members_changed(user_ids)  # their bells: written out, these rows send no signal
    return len(user_ids)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user) -> int:
    marked = Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
    membercache.members_changed([user.pk])  # their bell: an update sends no signal
    return marked


# --- Settings


def current_settings(user) -> NotificationSettings:
    """The member's settings, or unsaved defaults if they never changed them (reading writes nothing)."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


def settings_for(user) -> NotificationSettings:
    """The member's saved settings row, made with the defaults on first use."""
    return NotificationSettings.objects.get_or_create(user=user)[0]


def update_settings(
    user, auto_watch: bool, frequency: str, event_reminders: bool = False
) -> NotificationSettings:
    row = settings_for(user)
    row.auto_watch, row.frequency, row.event_reminders = auto_watch, frequency, event_reminders
    row.save(update_fields=["auto_watch", "frequency", "event_reminders"])
    return row


def account_exists(user_id: int) -> bool:
    return get_user_model().objects.filter(pk=user_id).exists()


def unsubscribe(user_id: int) -> None:
    """Stop the e-mail digest of the member a signed unsubscribe link names."""
    NotificationSettings.objects.update_or_create(
        user_id=user_id, defaults={"frequency": NotificationSettings.Frequency.NEVER}
    )


def regenerate_feed_token(user) -> str:
    """A new secret feed address for the member's watchlist; the old one stops working at once."""
    token = tokens.new_feed_token()
    row = settings_for(user)
    row.feed_token_hash = tokens.hash_feed_token(token)
    row.feed_token_hint = token[: tokens.FEED_HINT_LENGTH]
    row.save(update_fields=["feed_token_hash", "feed_token_hint"])
    return token


def revoke_feed_token(user) -> None:
    NotificationSettings.objects.filter(user=user).update(feed_token_hash=None, feed_token_hint="")


def feed_owner(token: str):
    """The active member whose watchlist feed `token` opens, or None."""
    row = (
        NotificationSettings.objects.select_related("user")
        .filter(feed_token_hash=tokens.hash_feed_token(token), user__is_active=True)
        .first()
    )
    return row.user if row else None
