"""The benchmark survey on the hub and on a survey's own page: the latest published headline (how many
answered and one or two key medians, from the published snapshot only), where results will appear when
none are published yet, and the links to "How you compare" (members who answered an open period) and to
the results (where figures are published)."""

from django.conf import settings

from districtwiki.wiki import access as wiki_access

from . import survey_figures
from .models import PublishedResults, SurveyPeriod, SurveyResponse

HEADLINE_FIGURES = 2


def hub_section(request) -> dict:
    """The hub's survey section; four queries at most."""
    snapshot = survey_figures.latest_snapshot()
    key = survey_figures.key_figures("", snapshot=snapshot) if snapshot else None
    open_period = SurveyPeriod.objects.open().order_by("-opened_at", "-pk").first()
    return {
        "template": "advocacy/survey_hub_section.html",
        "key": key,
        "headline": key.figures[:HEADLINE_FIGURES] if key else [],
        "open_period": open_period,
        "open_title": open_period.definition.get("title", open_period.survey) if open_period else "",
        "answered": answered(open_period, request.user),
        "min_group": settings.SURVEY_MIN_GROUP,
    }


def answered(period: SurveyPeriod | None, user) -> bool:
    if period is None or not period.is_open or not wiki_access.is_signed_in(user):
        return False
    return SurveyResponse.objects.filter(period=period, member=user).exists()


def has_published_figures(slug: str) -> bool:
    """Whether any period of the survey has a snapshot with figures (one that published no figures, for a
    period that closed below the minimum, does not count)."""
    return PublishedResults.objects.filter(period__survey=slug).exclude(figures__respondents=None).exists()
