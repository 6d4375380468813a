"""Every write to the benchmark survey goes through these functions: opening and closing a period, and a
member's answers. The pages, the API and the CLI call them; nothing else writes a SurveyResponse.

Errors are SurveyError (an HTTP status and a sentence; InvalidAnswers also names each question that was
answered wrongly) or PermissionDenied; nothing is stored when one is raised. Answers are never logged, and
no message here repeats more of an answer than the first few characters of a value that is not a choice.
"""

import math
import random

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from districtwiki.wiki import access as wiki_access
from districtwiki.wiki.actions import WikiError

from . import results_snapshots
from .models import SurveyPeriod, SurveyResponse
from .survey_definitions import (
    OTHER_VALUE,
    SLUG,
    TEXT_MAX_LENGTH,
    Question,
    QuestionType,
    SurveyDefinition,
    SurveyFileError,
    from_json,
    load_definition,
    number_text,
    to_json,
)

MAX_LABEL = 40  # SurveyPeriod.label
MAX_PROBLEMS_SHOWN = 10  # in one message: a body of a thousand unknown keys gets a readable answer


class SurveyError(WikiError):
    status = 400


class SurveyNotFound(SurveyError):
    status = 404


class SurveyClosed(SurveyError):
    status = 409


class PeriodConflict(SurveyError):
    status = 409


class InvalidAnswers(SurveyError):
    """Answers that do not fit the survey: `problems` is {question id (or answer key): a sentence}."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        shown = list(problems.items())[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        text = "; ".join(f"{key}: {sentence}" for key, sentence in shown)
        super().__init__(f"Some answers are not valid: {text}" + (f" (and {more} more)." if more else ""))


# --- Reading --------------------------------------------------------------------------------------------


def get_period(slug: str) -> SurveyPeriod:
    """The survey's open period, else its latest closed one; Http404 for a survey never opened."""
    periods = SurveyPeriod.objects.of(slug[:100])
    period = periods.open().first() or periods.closed().order_by("-closed_at", "-pk").first()
    if period is None:
        raise Http404(f"There is no survey “{slug[:100]}” (or it has not been opened yet).")
    return period


def definition_of(period: SurveyPeriod) -> SurveyDefinition:
    return from_json(period.definition)


def latest_periods() -> list[SurveyPeriod]:
    """One period per survey ever opened (its open one, else its latest), open surveys first, by title."""
    latest: dict[str, SurveyPeriod] = {}
    for period in SurveyPeriod.objects.order_by("survey", "opened_at", "pk"):
        current = latest.get(period.survey)
        if current is None or not current.is_open:
            latest[period.survey] = period
    return sorted(latest.values(), key=lambda p: (not p.is_open, p.definition.get("title", p.survey)))


def response_of(period: SurveyPeriod, member) -> SurveyResponse | None:
    """The member's answers in an open period (closed periods have no link to anyone)."""
    if not wiki_access.is_signed_in(member) or not period.is_open:
        return None
    return SurveyResponse.objects.filter(period=period, member=member).first()


def answered_periods(member) -> set[int]:
    """The open periods in which the member has saved answers."""
    if not wiki_access.is_signed_in(member):
        return set()
    answered = SurveyResponse.objects.filter(member=member, period__closed_at__isnull=True)
    return set(answered.values_list("period_id", flat=True))


# --- Opening and closing --------------------------------------------------------------------------------


def open_period(slug: str, label: str, by=None) -> SurveyPeriod:
    """Open a new period of the survey in content/surveys/<slug>.yaml, with a copy of its questions."""
    if by is not None:
        wiki_access.check_admin(by, "open a survey")
    label = " ".join((label or "").split())
    if not label:
        raise SurveyError("Give the period a label, such as the school year it covers.")
    if len(label) > MAX_LABEL:
        raise SurveyError(f"A period's label has at most {MAX_LABEL} characters.")
    try:
        definition = load_definition(slug)
    except SurveyFileError as error:
        raise SurveyNotFound(str(error)) from None
    return _create_period(definition, label, by)


def _create_period(definition: SurveyDefinition, label: str, by) -> SurveyPeriod:
    periods = SurveyPeriod.objects.of(definition.slug)
    if periods.open().exists():
        raise PeriodConflict(
            f"“{definition.title}” is already open: close its period before opening another."
        )
    if periods.filter(label=label).exists():
        raise PeriodConflict(f"“{definition.title}” already had a period labelled “{label}”.")
    try:
        with transaction.atomic():
            return SurveyPeriod.objects.create(
                survey=definition.slug,
                label=label,
                definition=to_json(definition),
                opened_at=timezone.now(),
                opened_by=by,
            )
    except IntegrityError:  # another admin opened it at the same moment
        raise PeriodConflict(f"“{definition.title}” was opened by someone else just now.") from None


def close_period(slug: str, by=None) -> SurveyPeriod:
    """Close the survey's open period, cut every answer's link to its member and take the period's final
    results snapshot, in one transaction: from here on the answers are anonymous rows (models/surveys.py),
    and the final figures are published at once, not when someone first asks for them."""
    if by is not None:
        wiki_access.check_admin(by, "close a survey")
    with transaction.atomic():
        period = SurveyPeriod.objects.select_for_update().of(slug[:100]).open().first()
        if period is None:
            raise PeriodConflict(f"The survey “{slug[:100]}” has no open period to close.")
        period.closed_at = timezone.now()
        period.save(update_fields=["closed_at"])
        anonymise_responses(period)
        results_snapshots.publish(period)
    return period


def anonymise_responses(period: SurveyPeriod) -> None:
    """Cut each answer from its member: no member, no time, no free text. The rows are written again in a
    random order, so that not even their ids keep the order in which members first answered (which an admin
    could line up with sign-ups or a mailing)."""
    text_keys = definition_of(period).text_keys
    kept = [
        {key: value for key, value in response.answers.items() if key not in text_keys}
        for response in SurveyResponse.objects.filter(period=period).only("answers")
    ]
    random.SystemRandom().shuffle(kept)
    SurveyResponse.objects.filter(period=period).delete()
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(period=period, member=None, updated_at=None, answers=answers) for answers in kept],
        batch_size=500,
    )


# --- Answering ------------------------------------------------------------------------------------------


def check_can_answer(member) -> None:
    if not wiki_access.is_signed_in(member):
        raise PermissionDenied("Sign in to answer the survey.")
    if settings.REQUIRE_EMAIL_CONFIRMATION and not member.email_confirmed:
        raise wiki_access.EmailNotConfirmed(
            "Confirm your e-mail address before answering the survey: follow the link we sent you."
        )


def save_response(period: SurveyPeriod, member, answers) -> SurveyResponse:
    """Store the member's answers in an open period, replacing any they gave before (a revision)."""
    check_can_answer(member)
    definition = definition_of(period)
    cleaned = clean_answers(definition, answers)
    with transaction.atomic():
        # Closing locks the period too: an answer is either in before the link is cut, or refused.
        locked = SurveyPeriod.objects.select_for_update().filter(pk=period.pk).first()
        if locked is None or not locked.is_open:
            raise SurveyClosed(f"“{definition.title}” is closed: answers are no longer accepted.")
        response, _created = SurveyResponse.objects.update_or_create(
            period=locked, member=member, defaults={"answers": cleaned, "updated_at": timezone.now()}
        )
    return response


def clean_answers(definition: SurveyDefinition, answers) -> dict:
    """The answers checked against the questions, as they are stored; InvalidAnswers names every problem.
    A question left out, null, "" or [] is not answered."""
    if not isinstance(answers, dict):
        raise InvalidAnswers({"answers": "must be an object of {question id: answer}."})
    known = {q.id for q in definition.questions} | {q.other_key for q in definition.questions if q.other}
    problems = {
        str(key)[:60]: "there is no such question in this survey." for key in answers if key not in known
    }
    cleaned: dict = {}
    for question in definition.questions:
        try:
            cleaned |= clean_answer(question, answers)
        except ValueError as problem:
            problems[problem.args[1] if len(problem.args) > 1 else question.id] = problem.args[0]
    if problems:
        raise InvalidAnswers(problems)
    return cleaned


def is_blank(value) -> bool:
    return value is None or value == "" or value == []


def clean_answer(question: Question, answers: dict) -> dict:
    """{key: stored value} for one question (empty when unanswered); ValueError(sentence[, key])."""
    value = answers.get(question.id)
    if is_blank(value):
        if question.required:
            raise ValueError("this question needs an answer.")
        if question.other and not is_blank(answers.get(question.other_key)):
            raise ValueError(f"choose “{other_label(question)}” to add your own words.", question.other_key)
        return {}
    cleaners = {
        QuestionType.SINGLE: clean_single,
        QuestionType.MULTIPLE: clean_multiple,
        QuestionType.NUMBER: clean_number,
        QuestionType.TEXT: clean_text,
    }
    cleaned = {question.id: cleaners[question.type](question, value)}
    if question.other:
        cleaned |= clean_other(question, cleaned[question.id], answers.get(question.other_key))
    return cleaned


def clean_single(question: Question, value) -> str:
    if not isinstance(value, str):
        raise ValueError("choose one of the choices (send its value as text).")
    if value not in {choice.value for choice in question.choices or ()}:
        raise ValueError(f"“{value[:40]}” is not one of the choices.")
    return value


def clean_multiple(question: Question, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("send a list of the values of the choices.")
    allowed = [choice.value for choice in question.choices or ()]
    wrong = [item for item in value if item not in allowed]
    if wrong:
        raise ValueError(f"“{wrong[0][:40]}” is not one of the choices.")
    if len(set(value)) != len(value):
        raise ValueError("a choice is listed twice.")
    return [item for item in allowed if item in value]  # in the order of the survey


def clean_number(question: Question, value) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("enter a number.")
    unit = f" {question.unit}" if question.unit else ""
    if question.integer and value != int(value):
        raise ValueError("enter a whole number.")
    if question.minimum is not None and value < question.minimum:
        raise ValueError(f"enter at least {number_text(question.minimum)}{unit}.")
    if question.maximum is not None and value > question.maximum:
        raise ValueError(f"enter at most {number_text(question.maximum)}{unit}.")
    return int(value) if question.integer else value


def clean_text(question: Question, value, key: str | None = None) -> str:
    key = key or question.id
    if not isinstance(value, str):
        raise ValueError("write your answer as text.", key)
    text = value.strip()
    if "\x00" in text:
        raise ValueError("the text cannot contain NUL characters.", key)
    try:
        text.encode()
    except UnicodeEncodeError:
        raise ValueError("the text must be valid Unicode.", key) from None
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(f"keep it to {TEXT_MAX_LENGTH} characters (this has {len(text)}).", key)
    return text


def clean_other(question: Question, chosen, text) -> dict:
    if is_blank(text):
        return {}
    picked = chosen == OTHER_VALUE or (isinstance(chosen, list) and OTHER_VALUE in chosen)
    if not picked:
        raise ValueError(f"choose “{other_label(question)}” to add your own words.", question.other_key)
    return {question.other_key: clean_text(question, text, question.other_key)}


def other_label(question: Question) -> str:
    return question.choice_label(OTHER_VALUE)


def valid_slug(slug: str) -> bool:
    return bool(SLUG.fullmatch(slug)) and len(slug) <= 100
