"""Campaigns: an ask put to a legislature or a board by a deadline, and the members who sign on to it.

A campaign is open until its organizers close it or its deadline day ends (in the site's time zone): the
deadline closes it by itself, with no scheduled job, because "open" is always asked of the date
(`Campaign.objects.open(today)`, `campaign.is_open(today)`); closing by hand records who and when.

Signatures: each member signs at most once, choosing whether their name, role and district are public or
their signature is only counted. Only public signatures are ever listed (page, CSV); the count includes
every signature. When a member deletes their account the signature stays in the count without a member
(campaign_privacy.erase), so a brief already handed over does not become untrue.
"""

from django.conf import settings
from django.db import models

from districtwiki.community.models import Profile
from districtwiki.community.states import STATE_CHOICES

from .funding import FundingProgram

USER = settings.AUTH_USER_MODEL


class CampaignQuerySet(models.QuerySet):
    def open(self, today):
        return self.filter(status=Campaign.Status.OPEN, deadline__gte=today)

    def closed(self, today):
        return self.filter(models.Q(status=Campaign.Status.CLOSED) | models.Q(deadline__lt=today))

    def in_state(self, state: str):
        return self.filter(state=state)

    def with_counts(self):
        """Each campaign's number of signatures as `signature_count`, in the same query."""
        return self.annotate(signature_count=models.Count("signatures"))


class Campaign(models.Model):
    class Audience(models.TextChoices):
        LEGISLATURE = "legislature", "A legislature"
        STATE_BOARD = "state-board", "A state board"
        DISTRICT_BOARD = "district-board", "A district board"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)  # /advocacy/campaigns/<slug>; kept when retitled
    body = models.TextField(blank=True)  # Markdown, bounded so that the brief fits one page
    body_html = models.TextField(blank=True)  # the wiki's renderer and sanitiser, stored on save
    audience = models.CharField(max_length=20, choices=Audience.choices)
    audience_name = models.CharField(max_length=150)  # "Kansas State Board of Education"
    deadline = models.DateField(db_index=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    # The districts the ask speaks for: picks the survey's figures for the brief (state and size band).
    district_size = models.CharField(max_length=20, choices=Profile.DistrictSize.choices, blank=True)
    program = models.ForeignKey(
        FundingProgram, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    sources = models.JSONField(default=list, blank=True)  # [{"title": ..., "url": ...}], at most 5
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)  # closed by hand (not by the deadline)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organizers = models.ManyToManyField(USER, related_name="campaigns_organized")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/advocacy/campaigns/{self.slug}"

    def is_open(self, today) -> bool:
        return self.status == self.Status.OPEN and self.deadline >= today

    def closed_by_deadline(self, today) -> bool:
        return self.status == self.Status.OPEN and self.deadline < today


class Signature(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Name, role and district public"
        COUNTED = "counted", "Counted only"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="signatures")
    # Null once the member's account is erased or deleted: the signature is still counted, and named
    # nowhere (public_signatures lists only signatures with a member).
    member = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_signatures"
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"],
                condition=models.Q(member__isnull=False),
                name="advocacy_one_signature_per_member",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "visibility", "signed_at"])]

    def __str__(self) -> str:
        return f"signature {self.pk} on campaign {self.campaign_id}"
