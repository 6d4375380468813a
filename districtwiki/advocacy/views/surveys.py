"""/advocacy/surveys/: the list of surveys, a survey's page, the answering form (members), and the page on
which admins open and close a survey's periods. Results are on pages of their own (…/results)."""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.errors import error_page
from districtwiki.paging import answer_bad_pages, paginate
from districtwiki.wiki import access as wiki_access
from districtwiki.wiki.views.errors import translate_errors

from .. import hub_survey, survey_actions, survey_forms
from ..models import SurveyPeriod, SurveyResponse
from ..survey_definitions import TEXT_MAX_LENGTH, SurveyFileError, all_definitions, load_definition, with_unit

SURVEYS_PER_PAGE = 20


def signed_in_or_login(view):
    """Send a signed-out visitor to sign in first, and back here afterwards."""

    def wrapped(request, *args, **kwargs):
        if not wiki_access.is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@answer_bad_pages
def survey_list(request):
    periods = survey_actions.latest_periods()
    answered = survey_actions.answered_periods(request.user)
    summaries = [survey_summary(period, period.pk in answered) for period in periods]
    context = {
        "periods": paginate(request, summaries, SURVEYS_PER_PAGE),
        "unopened": unopened_surveys(periods) if wiki_access.is_admin(request.user) else [],
        "is_admin": wiki_access.is_admin(request.user),
    }
    return render(request, "advocacy/survey_list.html", context)


def survey_summary(period: SurveyPeriod, answered: bool) -> dict:
    return {
        "period": period,
        "title": period.definition.get("title", period.survey),
        "slug": period.survey,
        "questions": len(period.definition.get("questions", ())),
        "answered": answered,
    }


def unopened_surveys(periods: list[SurveyPeriod]) -> list:
    opened = {period.survey for period in periods}
    try:
        return [definition for definition in all_definitions() if definition.slug not in opened]
    except SurveyFileError:  # `content check` names the broken file; the list shows the rest
        return []


@require_GET
@translate_errors
def survey_page(request, slug):
    period = survey_actions.get_period(slug)
    definition = survey_actions.definition_of(period)
    response = survey_actions.response_of(period, request.user)
    context = {
        "period": period,
        "definition": definition,
        "description_html": survey_forms.description_html(definition.description),
        "response": response,
        "my_answers": own_answers(definition, response),
        "min_group": min_group(),
        "is_admin": wiki_access.is_admin(request.user),
        # "See the results" only once a period has published figures.
        "has_results": hub_survey.has_published_figures(period.survey),
    }
    return render(request, "advocacy/survey.html", context)


def own_answers(definition, response: SurveyResponse | None) -> list[dict]:
    """The member's own answers, as they read them back (short texts included: they are the author)."""
    if response is None:
        return []
    shown = []
    for question in definition.questions:
        value = response.answers.get(question.id)
        if value is None:
            continue
        if isinstance(value, list):
            text = ", ".join(question.choice_label(item) for item in value)
        elif question.has_choices:
            text = question.choice_label(value)
        else:
            text = with_unit(value, question.unit) if isinstance(value, int | float) else str(value)
        other = response.answers.get(question.other_key, "") if question.other else ""
        shown.append({"label": question.label, "answer": text, "other": other})
    return shown


def min_group() -> int:
    return settings.SURVEY_MIN_GROUP


@require_http_methods(["GET", "POST"])
@signed_in_or_login
@translate_errors
def answer(request, slug):
    period = survey_actions.get_period(slug)
    definition = survey_actions.definition_of(period)
    if not period.is_open:
        return error_page(request, 409, f"“{definition.title}” is closed: answers are no longer accepted.")
    survey_actions.check_can_answer(request.user)
    response = survey_actions.response_of(period, request.user)
    if request.method == "POST":
        answers = survey_forms.answers_from_post(definition, request.POST)
        try:
            survey_actions.save_response(period, request.user, answers)
        except survey_actions.InvalidAnswers as refusal:
            return render_form(request, period, definition, answers, refusal.problems, response, 400)
        revised = response is not None
        flash.success(
            request,
            ("Your answers are revised." if revised else "Thank you: your answers are saved.")
            + " You can revise them until the survey closes.",
        )
        return redirect("advocacy:survey", slug=period.survey)
    values = survey_forms.initial_answers(definition, request.user, response.answers if response else None)
    return render_form(request, period, definition, values, {}, response)


def render_form(request, period, definition, values, problems, response, status=200):
    context = {
        "period": period,
        "definition": definition,
        "sections": survey_forms.answer_fields(definition, values, problems),
        "summary": survey_forms.error_summary(definition, problems),
        "response": response,
        "min_group": min_group(),
        "text_max": TEXT_MAX_LENGTH,
    }
    return render(request, "advocacy/survey_answer.html", context, status=status)


# --- Admins: opening and closing periods ----------------------------------------------------------------


@require_GET
@signed_in_or_login
@translate_errors
def manage(request, slug):
    wiki_access.check_admin(request.user, "open and close surveys")
    return render_manage(request, slug)


def render_manage(request, slug, error: str = "", label: str = "", status: int = 200):
    periods = list(SurveyPeriod.objects.of(slug[:100]).order_by("-opened_at", "-pk"))
    try:
        definition = load_definition(slug)
        file_error = ""
    except SurveyFileError as problem:
        definition, file_error = None, str(problem)
    if definition is None and not periods:
        raise Http404(f"There is no survey “{slug[:100]}”.")
    counts = {period.pk: period.responses.count() for period in periods}
    context = {
        "slug": slug,
        "title": definition.title if definition else periods[0].definition.get("title", slug),
        "definition": definition,
        "file_error": file_error,
        "periods": [{"period": period, "answers": counts[period.pk]} for period in periods],
        "open_period": next((period for period in periods if period.is_open), None),
        "error": error,
        "label": label,
    }
    return render(request, "advocacy/survey_manage.html", context, status=status)


@require_POST
@signed_in_or_login
@translate_errors
def open_survey(request, slug):
    wiki_access.check_admin(request.user, "open and close surveys")
    label = request.POST.get("label", "")[:200]
    try:
        period = survey_actions.open_period(slug, label, request.user)
    except survey_actions.SurveyError as refusal:
        if isinstance(refusal, survey_actions.SurveyNotFound):
            raise
        return render_manage(request, slug, str(refusal), label, refusal.status)
    flash.success(request, f"The {period.label} period is open: members can answer now.")
    return redirect("advocacy:survey_manage", slug=period.survey)


@require_POST
@signed_in_or_login
@translate_errors
def close_survey(request, slug):
    wiki_access.check_admin(request.user, "open and close surveys")
    if request.POST.get("confirm") != "yes":
        message = "Tick “I understand that closing cannot be undone” to close the survey."
        return render_manage(request, slug, message, "", 400)
    try:
        period = survey_actions.close_period(slug, request.user)
    except survey_actions.SurveyError as refusal:
        return render_manage(request, slug, str(refusal), "", refusal.status)
    flash.success(
        request, f"The {period.label} period is closed: its answers are no longer linked to anyone."
    )
    return redirect("advocacy:survey_manage", slug=period.survey)
