"""What the importers remember of their sources, so that running an import again adds nothing and an
interrupted one continues (interchange/mwimport: MediaWiki XML dumps)."""

from django.conf import settings
from django.db import models

from districtwiki.wiki.models import Revision


class ImportedRevision(models.Model):
    """One revision of a MediaWiki dump that was brought in, keyed by the wiki it came from and its id there.

    `revision` is the wiki revision it became; it is empty for a revision of a talk page (its sections
    became threads) or one left out (a user page without --user-pages)."""

    source = models.CharField(max_length=200)
    source_id = models.BigIntegerField()
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="unique_imported_revision")
        ]

    def __str__(self) -> str:
        return f"{self.source} revision {self.source_id}"


class ImportedThread(models.Model):
    """A talk page section that became a discussion thread: `key` is the talk page title and the section."""

    source = models.CharField(max_length=200)
    key = models.CharField(max_length=500)
    thread = models.ForeignKey(
        "discussions.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="unique_imported_thread")]

    def __str__(self) -> str:
        return f"{self.source} thread {self.key}"


class ImportedAuthor(models.Model):
    """A placeholder account made for an author of an imported wiki: no one can sign in to it (it is
    inactive and has no usable password) until an admin claims it for a person or links it to a member
    (`districtwiki imported-authors`)."""

    source = models.CharField(max_length=200)
    name = models.CharField(max_length=255)  # the author's name on the source wiki
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_as"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "name"], name="unique_imported_author")]

    def __str__(self) -> str:
        return f"{self.name} from {self.source}"
