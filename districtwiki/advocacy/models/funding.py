"""Funding programs (federal and state) that pay for technology in small districts."""

from django.db import models

from districtwiki.community.states import STATE_CHOICES

FEDERAL_WITHOUT_STATE = models.Q(level="federal", state="")
STATE_WITH_STATE = models.Q(level="state") & ~models.Q(state="")


class FundingProgram(models.Model):
    class Level(models.TextChoices):
        FEDERAL = "federal", "Federal"
        STATE = "state", "State"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PROPOSED_CUT = "proposed-cut", "Proposed cut"
        CUT = "cut", "Cut"
        RESTORED = "restored", "Restored"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    # Blank for a federal program; the two-letter code of the state for a state one.
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    agency = models.CharField("administering agency", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=FEDERAL_WITHOUT_STATE | STATE_WITH_STATE,
                name="advocacy_program_state_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.name
