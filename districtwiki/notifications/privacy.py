"""What the notifications app holds about a member, for the data download and account deletion."""

from django.db.models import Value
from django.db.models.functions import Left, Replace

from ..wiki import membercache
from .models import Notification, NotificationSettings

FORMER_MEMBER = "former member"
TEXT_LENGTH = Notification._meta.get_field("text").max_length


def export(user) -> dict:
    row = NotificationSettings.objects.filter(user=user).first()
    notifications = Notification.objects.filter(user=user).select_related("actor").order_by("id")
    return {
        "notification_settings": export_settings(row),
        "notifications": [export_notification(notification) for notification in notifications],
    }


def export_settings(row: NotificationSettings | None) -> dict:
    if row is None:
        row = NotificationSettings()  # the defaults the member has never changed
    return {
        "auto_watch": row.auto_watch,
        "event_reminders": row.event_reminders,
        "digest_frequency": row.frequency,
        "last_digest_at": iso(row.last_digest_at),
        # The feed secret itself is stored only as a hash, which is of no use to anyone: say whether it is on.
        "watchlist_feed": "on" if row.has_feed else "off",
    }


def export_notification(notification: Notification) -> dict:
    return {
        "kind": notification.kind,
        "text": notification.text,
        "url": notification.url,
        "actor": notification.actor.get_username() if notification.actor else None,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
        "emailed_at": iso(notification.emailed_at),
    }


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def erase(user) -> None:
    """Delete the member's notifications and settings (with the feed token), and take their name out of
    other members' notifications about what they did. Call it before the username is changed."""
    Notification.objects.filter(user=user).delete()
    membercache.members_changed([user.pk])  # the bell's count: deletes announce nothing themselves
    NotificationSettings.objects.filter(user=user).delete()
    Notification.objects.filter(actor=user).update(
        actor=None,
        text=Left(Replace("text", Value(user.get_username()), Value(FORMER_MEMBER)), TEXT_LENGTH),
    )
