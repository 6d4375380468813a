"""In-site notifications; the e-mail digest is made from the rows not yet e-mailed."""

from django.conf import settings
from django.db import models


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending_digest(self):
        """Not read in the site and not yet e-mailed: what the next digest carries."""
        return self.filter(read_at__isnull=True, emailed_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        PAGE_EDIT = "page_edit", "A page you watch was edited"
        THREAD_POST = "thread_post", "A new post in a discussion you watch"
        MENTION = "mention", "You were mentioned"
        MESSAGE = "message", "A private message"
        MODERATION = "moderation", "Moderation"
        EVENT = "event", "An event you follow"
        FUNDING = "funding", "A funding program you follow or your state's"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {self.text}"


class NotificationSettings(models.Model):
    """One member's choices. A member without a row has the defaults (DEFAULT_FREQUENCY, auto-watch on)."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", "As it happens (within a minute)"
        DAILY = "daily", "Once a day"
        WEEKLY = "weekly", "Once a week"
        NEVER = "never", "Never"

    DEFAULT_FREQUENCY = Frequency.DAILY

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    auto_watch = models.BooleanField(
        "Watch the pages I create or edit",
        default=True,
        help_text="Pages you save are added to your watchlist, so you hear when someone changes them.",
    )
    frequency = models.CharField(
        "E-mail digest",
        max_length=12,
        choices=Frequency.choices,
        default=DEFAULT_FREQUENCY,
        help_text="How often we e-mail you the notifications you have not read yet.",
    )
    event_reminders = models.BooleanField(
        "Remind me of events about the pages I watch",
        default=False,
        help_text="A day and 15 minutes before a live event linked to a page on your watchlist starts. "
        "Events you said you would go to are always reminded.",
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    # The watchlist feed's secret: only its SHA-256 is stored (like API tokens), so the feed address is shown
    # once, when it is made; a leaked database does not leak working feed addresses.
    feed_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    feed_token_hint = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"

    @property
    def has_feed(self) -> bool:
        return bool(self.feed_token_hash)
