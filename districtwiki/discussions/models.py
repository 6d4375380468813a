"""Talk threads on wiki pages, their posts and earlier post versions, watches, and moderation records.

Nothing here is ever deleted by the site: a hidden post keeps its text, an edited post keeps every earlier
version, and an erased member's posts stay, attributed to "former member" (privacy.py).
"""

from django.conf import settings
from django.db import models

from districtwiki.wiki.models import Page

FORMER_MEMBER = "former member"


class ThreadQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Thread.Status.OPEN)

    def for_page(self, page: Page):
        return self.filter(page=page).order_by("-last_post_at", "-id")

    def latest_activity(self):
        """Threads on live pages, most recently active first."""
        return self.filter(page__deleted_at__isnull=True).order_by("-last_post_at", "-id")


class Thread(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        LOCKED = "locked", "Locked"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    author_name = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    # Denormalised so that listings are one query: the latest post, its time, and how many posts there are.
    last_post = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_post_at = models.DateTimeField(db_index=True)
    post_count = models.PositiveIntegerField(default=0)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["page", "status"]), models.Index(fields=["page", "-last_post_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return f"/discussions/{self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED


class Post(models.Model):
    """The current version of a post; earlier versions are PostRevision rows."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    author_name = models.CharField(max_length=150)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField()
    html = models.TextField()  # rendered and sanitised once, when this version was saved
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["thread", "id"]), models.Index(fields=["author", "-id"])]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"

    def get_absolute_url(self) -> str:
        """A permalink that finds the right page of a long thread (views.post_permalink)."""
        return f"/discussions/posts/{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """An earlier version of a post, written when its author edited it. Never updated."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    html = models.TextField()
    saved_at = models.DateTimeField()  # when this version was written
    replaced_at = models.DateTimeField(db_index=True)  # when the edit that replaced it was made

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"version of post {self.post_id} from {self.saved_at:%Y-%m-%d %H:%M}"


class ThreadWatch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_watches"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="unique_thread_watch")]

    def __str__(self) -> str:
        return f"{self.user_id} watches thread {self.thread_id}"


class Report(models.Model):
    """A member's report of a post, a page or a member profile. The target field matching `kind` is set
    (it becomes null only if that target is ever removed, so the report itself is never lost)."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        USER = "user", "Member profile"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Acted on"
        DISMISSED = "dismissed", "Dismissed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_about",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_filed",
    )
    reason = models.CharField(max_length=1000)
    created_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="report_target_matches_kind",
                condition=(
                    models.Q(kind="post", page__isnull=True, target_user__isnull=True)
                    | models.Q(kind="page", post__isnull=True, target_user__isnull=True)
                    | models.Q(kind="user", post__isnull=True, page__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.kind})"


class Suspension(models.Model):
    """One suspension of an account: who suspended it, why and when; lifting it fills in the `lifted_*`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=1000)
    created_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"suspension of {self.user_id} at {self.created_at:%Y-%m-%d}"


class ModerationLog(models.Model):
    """Every moderation action, so that hiding, locking and suspending stay accountable and reversible."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hid a post"
        UNHIDE = "unhide", "Unhid a post"
        LOCK = "lock", "Locked a thread"
        UNLOCK = "unlock", "Unlocked a thread"
        DISMISS = "dismiss", "Dismissed a report"
        SUSPEND = "suspend", "Suspended an account"
        UNSUSPEND = "unsuspend", "Lifted a suspension"

    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=300)  # a description that survives the target's removal
    target_url = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.target}"
