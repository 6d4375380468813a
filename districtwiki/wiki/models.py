"""Pages, their immutable revisions, and the link tables derived from the current revision."""

import time

from django.conf import settings
from django.db import models

from . import frontmatter, stampcache
from .titles import title_path


def stamp_now() -> int:
    """The clock of Page.view_stamp: microseconds since the epoch. A stamp only ever moves on: the next one
    is the later of this and the old stamp + 1 (Page.save, pagecache.touch_pages)."""
    return time.time_ns() // 1000


class PageQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def articles(self):
        """Live pages that are not redirects."""
        return self.live().filter(redirect_to="")


class Page(models.Model):
    class Protection(models.TextChoices):
        NONE = "", "Anyone who may edit"
        TRUSTED = "trusted", "Trusted members and admins"
        ADMIN = "admin", "Admins only"

    title = models.CharField(max_length=255, unique=True)
    namespace = models.CharField(max_length=32, blank=True, db_index=True)
    latest = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    redirect_to = models.CharField(max_length=255, blank=True)
    protection = models.CharField(max_length=16, choices=Protection.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    touched_at = models.DateTimeField(db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # When what an anonymous reader sees of the page last changed, in microseconds since the epoch: its own
    # saves, and changes elsewhere that alter it (a linked page created or deleted, a thread opened…; see
    # pagecache.touch_pages). The anonymous page cache and the ETag are keyed by it.
    view_stamp = models.BigIntegerField(default=0)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Any change to the row may change the page as shown, so every save moves the view stamp on.
        self.view_stamp = max(stamp_now(), self.view_stamp + 1)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "view_stamp"}
        super().save(*args, **kwargs)
        stampcache.stamps_moved([self.pk])

    def get_absolute_url(self) -> str:
        return "/wiki/" + title_path(self.title)

    @property
    def url_title(self) -> str:
        """The title as a URL path segment, quoted: use it in links to /edit/, /history/…"""
        return title_path(self.title)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_redirect(self) -> bool:
        return bool(self.redirect_to)


# What listings of revisions (history, recent changes) show of each: never the text or its HTML.
LISTED_REVISION_FIELDS = (
    "id",
    "page_id",
    "parent_id",
    "author_id",
    "author_name",
    "timestamp",
    "summary",
    "minor",
    "size",
)


class RevisionQuerySet(models.QuerySet):
    def for_page(self, page: Page):
        return self.filter(page=page).order_by("-id")


class Revision(models.Model):
    """One saved state of a page. Never updated after it is written (save() refuses)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_name = models.CharField(max_length=150)
    timestamp = models.DateTimeField(db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    minor = models.BooleanField(default=False)
    size = models.PositiveIntegerField()
    sha1 = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["page", "-id"]),
            models.Index(fields=["author", "-id"]),
            # The edit rate check counts an author's saves of the last minute from this index alone, however
            # many revisions the author has made before.
            models.Index(fields=["author", "timestamp"]),
        ]

    def __str__(self) -> str:
        return f"{self.page.title} @ {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Revisions are immutable: write a new one instead.")
        super().save(*args, **kwargs)


class PageLink(models.Model):
    """A [[link]] from a page's current revision to a title (which may not exist: a red link)."""

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_page_link")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target}"


class CategoryMembership(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "category"], name="unique_category_membership")
        ]
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.page_id} in {self.category}"


class Watch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="unique_watch")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.page_id}"


class LogEntry(models.Model):
    """Actions that are not edits: moves, deletions, protections, uploads."""

    class Action(models.TextChoices):
        MOVE = "move"
        DELETE = "delete"
        UNDELETE = "undelete"
        PROTECT = "protect"
        UPLOAD = "upload"

    action = models.CharField(max_length=16, choices=Action.choices)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="log_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="wiki_log_entries"
    )
    timestamp = models.DateTimeField(db_index=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.page_id}"


def upload_path(upload: "FileUpload", filename: str) -> str:
    # Content-addressed, so two versions of a file never overwrite each other.
    return f"files/{upload.sha1[:2]}/{upload.sha1}/{filename}"


class FileUpload(models.Model):
    """One uploaded version of a File: page. The newest is the current file."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to=upload_path, max_length=500)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha1 = models.CharField(max_length=40)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    timestamp = models.DateTimeField(db_index=True)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.page_id} upload {self.pk}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class PagePropertiesQuerySet(models.QuerySet):
    def review_due(self, today):
        return self.filter(review_due__lt=today, page__deleted_at__isnull=True).order_by(
            "review_due", "page__title"
        )


class PageProperties(models.Model):
    """What the current revision's front matter says (wiki/frontmatter.py), kept queryable."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="properties")
    # Stored as ",coordinator,director," so that one `contains` lookup works on SQLite and PostgreSQL alike.
    audience = models.CharField(max_length=200, blank=True)
    district_size = models.CharField(max_length=100, blank=True)
    reviewed = models.DateField(null=True, blank=True)
    review_every = models.PositiveSmallIntegerField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True, db_index=True)
    time_sensitive = models.BooleanField(default=False)
    sources = models.JSONField(default=list, blank=True)

    objects = PagePropertiesQuerySet.as_manager()

    def __str__(self) -> str:
        return f"properties of {self.page_id}"

    @property
    def audience_list(self) -> list[str]:
        return [value for value in self.audience.split(",") if value]

    @property
    def district_size_list(self) -> list[str]:
        return [value for value in self.district_size.split(",") if value]

    @property
    def audience_labels(self) -> list[str]:
        return [frontmatter.AUDIENCE_LABELS.get(value, value) for value in self.audience_list]

    @property
    def district_size_labels(self) -> list[str]:
        return [frontmatter.DISTRICT_SIZE_LABELS.get(value, value) for value in self.district_size_list]
