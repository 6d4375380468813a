"""/api/v1/surveys: the advocacy hub's surveys (list, questions) and a member's answers, through the same
actions as the answering form. Results are published by their own endpoint (…/results).

A survey's questions are those of its open period, else of its latest closed one; a survey that was never
opened is not listed.
"""

from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Router, Schema

from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import SurveyPeriod
from districtwiki.advocacy.survey_definitions import Question

from ..auth import BearerToken, SessionCookie
from ..schemas import COMMON_ERRORS, Error

router = Router(tags=["surveys"])
MEMBERS = [BearerToken(), SessionCookie()]
WRITE_ERRORS = {**COMMON_ERRORS, 403: Error, 404: Error, 409: Error}


class SurveySummary(Schema):
    slug: str
    title: str
    status: Literal["open", "closed"]


class SurveyList(Schema):
    surveys: list[SurveySummary] = Field(description="Open surveys first, then by title.")


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    id: str
    type: Literal["single", "multiple", "number", "text"]
    label: str
    choices: list[ChoiceOut] | None = Field(description="For single and multiple choice questions; else null")
    required: bool
    help: str = Field(description="What the question means, for the person answering")
    unit: str | None = Field(description="Number questions: the unit of the answer")
    minimum: float | None = Field(description="Number questions: the smallest answer accepted")
    maximum: float | None = Field(description="Number questions: the largest answer accepted")
    integer: bool = Field(description="Number questions: whole numbers only")
    other: bool = Field(
        description="Choosing the value `other` lets the member add their own words under the key "
        "`<id>.other` (never published, deleted when the survey closes)"
    )


class SurveyOut(Schema):
    slug: str
    title: str
    status: Literal["open", "closed"]
    period: str = Field(description="The label of the open (else the latest) period, such as a school year")
    min_group: int = Field(description="Results are published only for groups of at least this many answers")
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description="{question id: answer}: a choice's value (single), a list of values (multiple), a "
        "number, or a short text; `<id>.other` for the words beside a chosen `other`. A question left "
        "out or null is unanswered. The answers replace any the member saved before."
    )


class AnswersOut(Schema):
    slug: str
    period: str
    answers: dict[str, Any] = Field(description="The answers as stored (only their author ever sees them)")
    updated_at: str


def status_of(period: SurveyPeriod) -> str:
    return "open" if period.is_open else "closed"


def question_out(question: Question) -> dict:
    is_number = question.type == "number"
    return {
        "id": question.id,
        "type": str(question.type),
        "label": question.label,
        "choices": [{"value": c.value, "label": c.label} for c in question.choices]
        if question.choices is not None
        else None,
        "required": question.required,
        "help": question.help,
        "unit": question.unit if is_number else None,
        "minimum": question.minimum if is_number else None,
        "maximum": question.maximum if is_number else None,
        "integer": question.integer,
        "other": question.other,
    }


@router.get("", response={200: SurveyList, **COMMON_ERRORS})
def list_surveys(request):
    """Every survey that has been opened, with whether it is open now."""
    periods = survey_actions.latest_periods()[:200]
    return {
        "surveys": [
            {"slug": p.survey, "title": p.definition.get("title", p.survey), "status": status_of(p)}
            for p in periods
        ]
    }


@router.get("/{slug}", response={200: SurveyOut, **COMMON_ERRORS, 404: Error})
def get_survey(request, slug: str):
    """A survey's questions, as asked in its open (else latest) period."""
    period = survey_actions.get_period(slug)
    definition = survey_actions.definition_of(period)
    return {
        "slug": period.survey,
        "title": definition.title,
        "status": status_of(period),
        "period": period.label,
        "min_group": settings.SURVEY_MIN_GROUP,
        "questions": [question_out(question) for question in definition.questions],
    }


@router.put("/{slug}/response", response={200: AnswersOut, **WRITE_ERRORS}, auth=MEMBERS)
def put_response(request, slug: str, payload: AnswersIn):
    """Answer the survey, or revise the answers (signed-in members, while it is open). A bad answer is a 400
    naming the question; a closed survey a 409."""
    period = survey_actions.get_period(slug)
    if not period.is_open:
        title = period.definition.get("title", period.survey)
        raise survey_actions.SurveyClosed(f"“{title}” is closed: answers are no longer accepted.")
    response = survey_actions.save_response(period, request.auth, payload.answers)
    return {
        "slug": period.survey,
        "period": period.label,
        "answers": response.answers,
        "updated_at": (response.updated_at or timezone.now()).isoformat(),
    }
