"""The shipped starter pages as loaded into this wiki, and members' progress along the role pathways."""

from django.conf import settings
from django.db import models

from districtwiki.wiki.models import Page, Revision


class StarterPage(models.Model):
    """One shipped page: the text last loaded, and a newer shipped text waiting when people have edited it."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="starter")
    loaded_text = models.TextField()
    loaded_sha1 = models.CharField(max_length=40)
    loaded_revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    pending_text = models.TextField(blank=True)
    pending_sha1 = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"starter page {self.page_id}"

    @property
    def has_update(self) -> bool:
        return bool(self.pending_sha1)


class PathwayStep(models.Model):
    """A page a member ticked as done on a role pathway."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway_steps")
    pathway = models.CharField(max_length=40)
    title = models.CharField(max_length=255)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "pathway", "title"], name="unique_pathway_step"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} did {self.title} on {self.pathway}"
