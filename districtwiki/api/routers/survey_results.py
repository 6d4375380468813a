"""/api/v1/surveys/{slug}/results: a survey's published figures, for everyone, overall or for one group.

Mounted under /surveys beside the router of the survey's other endpoints. The figures come from the
period's last published snapshot (advocacy/results_snapshots.py): the newest closed period, or the open one
once it has one. A group below the minimum, or hidden so that a smaller group cannot be worked out from the
others, answers `suppressed: true` with no figure at all.
"""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from districtwiki.advocacy import results_access
from districtwiki.advocacy.survey_results import min_group

from ..schemas import COMMON_ERRORS, Error

router = Router(tags=["surveys"])


class ChoiceFigure(Schema):
    value: str
    label: str
    count: int
    share: int | None = Field(description="Whole percent of those who answered the question")


class QuestionFigures(Schema):
    id: str
    type: str = Field(description="single, multiple or number (short-text questions are never published)")
    label: str
    unit: str = ""
    answered: int | None = Field(description="How many of the group answered; null when suppressed")
    choices: list[ChoiceFigure] | None = Field(None, description="Single and multiple choice questions")
    median: float | None = Field(None, description="Number questions, when at least min_group answered")
    q1: float | None = Field(None, description="Lower quartile")
    q3: float | None = Field(None, description="Upper quartile")


class SurveyResults(Schema):
    slug: str
    period: str | None = Field(description="The label of the period the figures are from")
    final: bool = Field(description="False while the period is open: figures from its last snapshot")
    published_at: datetime | None = Field(description="When the snapshot was taken")
    min_group: int = Field(description="The smallest group whose figures are published")
    suppressed: bool = Field(
        description="True when the group has fewer than min_group responses, or is withheld so that a "
        "smaller group cannot be worked out from the published ones; then nothing below carries a figure"
    )
    respondents: int | None
    questions: list[QuestionFigures]


class ResultsFilters(Schema):
    state: str = Field("", max_length=100, description="A value of the state question, e.g. IA")
    district_size: str = Field("", max_length=100, description="A value of the district size question")
    role: str = Field("", max_length=100, description="A value of the role question")
    period: str = Field("", max_length=40, description="A period's label; the newest with figures if empty")


@router.get("/{slug}/results", response={200: SurveyResults, **COMMON_ERRORS, 404: Error})
def survey_results(request, slug: str, filters: Query[ResultsFilters]):
    """Published figures overall, or for the group given by any of `state`, `district_size` and `role`
    together. 400 for a value that is not an answer of its question; 404 for an unknown survey or period."""
    periods = results_access.get_periods(slug)
    # The filters are checked before any snapshot is taken: a bad request changes nothing.
    asked = next((p for p in periods if p.label == filters.period), periods[-1])
    definition = results_access.definition_of(asked)
    try:
        group = results_access.parse_group(definition, filters.dict())
    except results_access.UnknownGroup as error:
        return Status(400, {"detail": str(error)})
    shown = results_access.pick(results_access.shown_periods(periods), filters.period or None)
    figures = shown.group(group) if shown else None
    return {
        "slug": periods[-1].survey,
        "period": shown.period.label if shown else None,
        "final": shown.is_final if shown else False,
        "published_at": shown.snapshot.published_at if shown else None,
        "min_group": shown.min_group if shown else min_group(),
        "suppressed": figures is None,
        "respondents": figures["respondents"] if figures else None,
        "questions": figures["questions"] if figures else _without_figures(definition),
    }


def _without_figures(definition) -> list[dict]:
    return [
        {
            "id": q.id,
            "type": str(q.type),
            "label": q.label,
            "unit": q.unit,
            "answered": None,
            "choices": None,
            "median": None,
            "q1": None,
            "q3": None,
        }
        for q in definition.questions
        if q.is_published and not q.is_grouping
    ]
