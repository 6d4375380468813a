"""Snapshots of a survey period's published figures: what the results page, its CSV files, the API and
"how you compare" show (survey_results.py says what is in them, results_snapshots.py when one is taken)."""

from django.db import models

from .surveys import SurveyPeriod


class PublishedResultsQuerySet(models.QuerySet):
    def latest_for(self, period: SurveyPeriod):
        return self.filter(period=period).order_by("-published_at", "-pk").first()


class PublishedResults(models.Model):
    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="published_results")
    published_at = models.DateTimeField()
    # True for the snapshot taken when the period closed: its figures are final.
    final = models.BooleanField(default=False)
    # {"min_group", "respondents", "groups": {group key: {"respondents", "questions": [...]}}}
    figures = models.JSONField()

    objects = PublishedResultsQuerySet.as_manager()

    class Meta:
        ordering = ["period", "-published_at"]
        indexes = [models.Index(fields=["period", "-published_at"], name="advocacy_results_latest")]

    def __str__(self) -> str:
        return f"results of {self.period} at {self.published_at:%Y-%m-%d %H:%M}"

    @property
    def respondents(self) -> int:
        return self.figures["respondents"]
