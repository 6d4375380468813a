"""The benchmark survey: its periods and the answers given in them.

A survey's questions are defined in a YAML file of the content folder (advocacy/survey_definitions.py reads
and checks it); the database holds the periods an admin opens and closes, and the answers. Each period keeps
a copy of the definition it was answered under, so that a later edit of the file cannot change what an old
answer meant.

Privacy (docs/privacy.md): an answer is linked to its member only while its period is open, for revisions
and the member's own data export. Closing a period cuts that link (member set to null) and drops what could
identify the row: short-text answers and the exact times. From then on the rows are anonymous. No answer is
ever shown one by one to anyone but its author: SurveyResponse is not in the Django admin, in exports or in
logs.
"""

from django.conf import settings
from django.db import models


class SurveyPeriodQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def closed(self):
        return self.filter(closed_at__isnull=False)

    def of(self, slug: str):
        return self.filter(survey=slug)


class SurveyPeriod(models.Model):
    """One round of a survey, e.g. the 2026–27 staffing survey; a survey repeats in later periods."""

    survey = models.SlugField(max_length=100)  # the definition's slug: content/surveys/<slug>.yaml
    label = models.CharField(max_length=40)  # "2026–27": shown beside year-over-year figures
    definition = models.JSONField()  # the questions as answered in this period
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SurveyPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "label"], name="advocacy_period_label_unique"),
            # At most one open period per survey.
            models.UniqueConstraint(
                fields=["survey"], condition=models.Q(closed_at__isnull=True), name="advocacy_one_open_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.label}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SurveyResponse(models.Model):
    """One member's answers in one period: {question id: value} (a choice's value, a list of values, a
    number, or a short text). `member` is set only while the period is open."""

    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField()
    # Only while the period is open (revisions are shown to their author); cleared on close.
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "member"],
                condition=models.Q(member__isnull=False),
                name="advocacy_one_response_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.period}"
