"""The e-mail digest: what is due, what goes in it, and sending it.

A member's digest carries their notifications that are neither read in the site nor e-mailed yet, grouped
by kind. "Immediately" sends on the worker's next pass (within a minute). "Daily" and "weekly" send once
the oldest notification not yet e-mailed has waited a day / a week, and never sooner than that after the
last digest (NotificationSettings.last_digest_at): one e-mail a day at most, with everything since the
previous one, and never a reply on its own a minute after it was written (not for the first digest either,
nor after a quiet spell).

Sending is two steps so that no database lock is held while talking to the mail server: a short
transaction claims the notifications (marks them e-mailed, notes the digest time), then the mail goes out;
if the mail server refuses, the claim is undone and the next pass tries again.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import tokens
from .models import Notification, NotificationSettings

logger = logging.getLogger(__name__)

Frequency = NotificationSettings.Frequency
INTERVALS = {
    Frequency.IMMEDIATELY: timedelta(0),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}
DIGEST_SIZE = 50  # notifications listed in one e-mail; the rest are counted and linked
GROUP_HEADINGS = {
    Notification.Kind.PAGE_EDIT: "Edits to pages you watch",
    Notification.Kind.THREAD_POST: "New posts in discussions you watch",
    Notification.Kind.MENTION: "Mentions of you",
    Notification.Kind.MESSAGE: "Private messages",
    Notification.Kind.MODERATION: "Moderation",
    Notification.Kind.EVENT: "Events",
}


@dataclass
class Group:
    heading: str
    notifications: list = field(default_factory=list)


@dataclass
class Digest:
    user: object
    settings: NotificationSettings
    notifications: list
    total: int
    claimed_at: datetime
    previous_digest_at: datetime | None

    @property
    def newest_id(self) -> int:
        return self.notifications[0].pk

    @property
    def groups(self) -> list[Group]:
        by_kind = {kind: Group(heading) for kind, heading in GROUP_HEADINGS.items()}
        for notification in self.notifications:
            group = by_kind.setdefault(notification.kind, Group(notification.get_kind_display()))
            group.notifications.append(notification)
        return [group for group in by_kind.values() if group.notifications]


def send_due_digests(now: datetime | None = None) -> int:
    """One pass: send every digest that is due. Returns how many were sent."""
    now = now or timezone.now()
    return sum(send_digest(user_id, now) for user_id in due_user_ids(now))


def due_user_ids(now: datetime) -> list[int]:
    users = get_user_model().objects.filter(due(now), is_active=True, email_confirmed=True).exclude(email="")
    return list(users.order_by("pk").values_list("pk", flat=True))


def waiting_since(cutoff: datetime):
    """The member's (OuterRef) notifications not yet e-mailed that were made at `cutoff` or before."""
    return Notification.objects.pending_digest().filter(user=OuterRef("pk"), created_at__lte=cutoff)


def due(now: datetime) -> Q:
    """Members whose digest is due at `now` (no settings row: the default frequency, never sent yet)."""
    default_interval = INTERVALS[NotificationSettings.DEFAULT_FREQUENCY]
    condition = Q(notification_settings__isnull=True) & Q(Exists(waiting_since(now - default_interval)))
    for frequency, interval in INTERVALS.items():
        waited = Q(notification_settings__last_digest_at__isnull=True) | Q(
            notification_settings__last_digest_at__lte=now - interval
        )
        condition |= (
            Q(notification_settings__frequency=frequency) & waited & Q(Exists(waiting_since(now - interval)))
        )
    return condition


def is_due(row: NotificationSettings, now: datetime) -> bool:
    """The same rule as `due`, for one settings row."""
    interval = INTERVALS.get(row.frequency)
    if interval is None or (row.last_digest_at is not None and now - row.last_digest_at < interval):
        return False
    pending = Notification.objects.pending_digest().filter(user_id=row.user_id)
    return pending.filter(created_at__lte=now - interval).exists()


def send_digest(user_id: int, now: datetime) -> bool:
    digest = claim(user_id, now)
    if digest is None:
        return False
    try:
        build_message(digest).send()
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("Could not send the digest to user %s; the next pass tries again", user_id)
        release(digest)
        return False
    return True


def claim(user_id: int, now: datetime) -> Digest | None:
    """Mark the member's pending notifications e-mailed, if their digest is still due (another worker may
    have sent it since the due list was made: the settings row is locked to decide)."""
    with transaction.atomic():
        NotificationSettings.objects.get_or_create(user_id=user_id)
        row = NotificationSettings.objects.select_for_update().select_related("user").get(user_id=user_id)
        if not is_due(row, now):
            return None
        pending = Notification.objects.pending_digest().filter(user_id=user_id)
        shown = list(pending.select_related("actor").order_by("-id")[:DIGEST_SIZE])
        if not shown:
            return None
        total = pending.filter(pk__lte=shown[0].pk).update(emailed_at=now)
        digest = Digest(row.user, row, shown, total, now, row.last_digest_at)
        row.last_digest_at = now
        row.save(update_fields=["last_digest_at"])
    return digest


def release(digest: Digest) -> None:
    with transaction.atomic():
        Notification.objects.filter(
            user=digest.user, emailed_at=digest.claimed_at, pk__lte=digest.newest_id
        ).update(emailed_at=None)
        NotificationSettings.objects.filter(pk=digest.settings.pk).update(
            last_digest_at=digest.previous_digest_at
        )


# --- The message


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(user) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[tokens.unsubscribe_token(user)]))


def with_links(notifications: list) -> list[tuple]:
    """Each notification with its link: through /notifications/<id>/go, so that following it marks it read."""
    return [(n, absolute(reverse("notifications:go", args=[n.pk]))) for n in notifications]


def build_message(digest: Digest) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(digest.user)
    context = {
        "user": digest.user,
        "site_name": settings.SITE_NAME,
        "groups": [(group.heading, with_links(group.notifications)) for group in digest.groups],
        "count": digest.total,
        "more": digest.total - len(digest.notifications),
        "notifications_url": absolute(reverse("notifications:list")),
        "settings_url": absolute(reverse("notifications:settings")),
        "unsubscribe_url": unsubscribe,
        "frequency": digest.settings.get_frequency_display().lower(),
    }
    subject = render_to_string("notifications/emails/digest_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject,
        render_to_string("notifications/emails/digest.txt", context),
        to=[digest.user.email],
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the link.
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("notifications/emails/digest.html", context), "text/html")
    return message
