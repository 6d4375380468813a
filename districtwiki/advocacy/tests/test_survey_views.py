"""The survey pages: the list, a survey's page, the answering form (prefilled, refused with every problem
beside its question and nothing stored, saved and revised) and the admins' page that opens and closes."""

import pytest
from django.test import Client

from conftest import make_user
from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import SurveyPeriod, SurveyResponse
from districtwiki.community.models import Profile

from .survey_world import GOOD_ANSWERS, LABEL, SLUG, period, stored_count  # noqa: F401

pytestmark = pytest.mark.django_db
SURVEY = f"/advocacy/surveys/{SLUG}/"
ANSWER = f"/advocacy/surveys/{SLUG}/answer"
CONFIRM = {"confirm": "yes"}


def form_data(**changes) -> dict:
    """GOOD_ANSWERS as the form posts them: every value as text, a multiple choice as a list."""
    data = {key: value if isinstance(value, list) else str(value) for key, value in GOOD_ANSWERS.items()}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


# --- The list and a survey's page


def test_the_list_shows_an_open_survey(client, period):  # noqa: F811
    page = client.get("/advocacy/surveys/").content.decode()
    assert "Small-district technology staffing and workload" in page and "Open" in page


def test_the_list_shows_a_closed_survey(client, period):  # noqa: F811
    survey_actions.close_period(SLUG)
    page = client.get("/advocacy/surveys/").content.decode()
    assert "staffing and workload" in page and "Closed" in page


def test_the_list_says_when_nothing_is_open(client, db):
    assert "No survey has been opened yet." in client.get("/advocacy/surveys/").content.decode()


def test_admins_see_surveys_not_opened_yet(ada_client):
    assert f'href="/advocacy/surveys/{SLUG}/manage"' in ada_client.get("/advocacy/surveys/").content.decode()


def test_members_do_not_see_surveys_not_opened_yet(alice_client):
    assert "/manage" not in alice_client.get("/advocacy/surveys/").content.decode()


def test_a_page_past_the_end_of_the_list_is_a_400(client, period):  # noqa: F811
    response = client.get("/advocacy/surveys/?page=9")
    assert response.status_code == 400 and "There is no page 9" in response.content.decode()


def test_an_unknown_survey_is_a_404(client, db):
    response = client.get("/advocacy/surveys/nothing-here/")
    assert response.status_code == 404 and "There is no survey “nothing-here”" in response.content.decode()


def test_the_survey_page_asks_a_signed_out_visitor_to_sign_in(client, period):  # noqa: F811
    page = client.get(SURVEY).content.decode()
    assert f"/accounts/login/?next={ANSWER}" in page and "Sign in to answer" in page


def test_the_survey_page_calls_a_member_to_answer(alice_client, period):  # noqa: F811
    assert "Answer the survey" in alice_client.get(SURVEY).content.decode()


def test_the_survey_page_offers_a_revision_and_the_members_own_answers(alice_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    page = alice_client.get(SURVEY).content.decode()
    assert "Revise your answers" in page and "A second technician, even half time." in page


def test_a_short_text_is_shown_to_no_one_but_its_author(bob_client, ada_client, client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    for other in (bob_client, ada_client, client):
        for url in (SURVEY, "/advocacy/surveys/", f"{SURVEY}manage", ANSWER):
            page = other.get(url).content.decode()
            assert "A second technician" not in page and "Bus routes" not in page, url


def test_the_survey_page_of_a_closed_survey_says_so(alice_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    survey_actions.close_period(SLUG)
    page = alice_client.get(SURVEY).content.decode()
    assert "This survey is closed" in page and "A second technician" not in page and "/answer" not in page


# --- The answering form


def test_the_form_asks_a_signed_out_visitor_to_sign_in(client, period):  # noqa: F811
    response = client.get(ANSWER)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_form_is_prefilled_from_the_profile(alice_client, alice, period):  # noqa: F811
    Profile.objects.update_or_create(
        user=alice, defaults={"state": "VT", "district_size": "1000-2500", "role": "director"}
    )
    page = alice_client.get(ANSWER).content.decode()
    assert '<option value="VT" selected>' in page
    assert 'value="1000-2500" checked' in page and 'value="director" checked' in page


def test_the_form_is_prefilled_with_the_members_saved_answers(alice_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    page = alice_client.get(ANSWER).content.decode()
    assert 'value="48"' in page and "Bus routes take my mornings" in page and "Revise your answers" in page


def test_the_form_shows_units_and_sections(alice_client, period):  # noqa: F811
    page = alice_client.get(ANSWER).content.decode()
    assert '<span class="unit" id="q-hours_per_week-unit">hours a week</span>' in page
    assert "<legend><h2>Staffing and time</h2></legend>" in page


def test_the_form_carries_the_csrf_token(alice_client, period):  # noqa: F811
    assert 'name="csrfmiddlewaretoken"' in alice_client.get(ANSWER).content.decode()


def test_posting_the_form_saves_the_answers(alice_client, alice, period):  # noqa: F811
    response = alice_client.post(ANSWER, form_data(students_served="1,250"))
    assert response.status_code == 302 and response["Location"] == SURVEY
    stored = SurveyResponse.objects.get(member=alice).answers
    assert stored == {**GOOD_ANSWERS, "students_served": 1250}


def test_posting_again_revises_the_answers(alice_client, alice, period):  # noqa: F811
    alice_client.post(ANSWER, form_data())
    alice_client.post(ANSWER, form_data(hours_per_week="40"))
    assert SurveyResponse.objects.get(member=alice).answers["hours_per_week"] == 40 and stored_count() == 1


def test_other_words_are_dropped_when_other_is_not_chosen(alice_client, alice, period):  # noqa: F811
    alice_client.post(ANSWER, form_data(largest_barrier="money"))
    assert "largest_barrier.other" not in SurveyResponse.objects.get(member=alice).answers


def test_a_bad_form_shows_every_problem_and_stores_nothing(alice_client, period):  # noqa: F811
    response = alice_client.post(ANSWER, form_data(hours_per_week="lots", students_served="0", state=""))
    page = response.content.decode()
    assert response.status_code == 400 and stored_count() == 0
    assert "3 answers need attention; nothing was saved." in page
    assert (
        '<a href="#q-hours_per_week">Hours you work in a typical school-year week</a>: enter a number.'
        in page
    )
    assert '<p class="field-error" id="q-students_served-error">Enter at least 1 students.</p>' in page
    assert '<p class="field-error" id="q-state-error">This question needs an answer.</p>' in page


def test_a_bad_form_keeps_what_was_typed(alice_client, period):  # noqa: F811
    page = alice_client.post(ANSWER, form_data(hours_per_week="lots")).content.decode()
    assert 'value="lots"' in page and 'value="640"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("district_size", "huge", "“huge” is not one of the choices."),
        ("years_in_role", "2.5", "Enter a whole number."),
        ("hours_per_week", "101", "Enter at most 100 hours a week."),
        ("biggest_difference", "x" * 501, "Keep it to 500 characters (this has 501)."),
        ("favourite", "x", None),  # an unknown field of a form is not an answer: ignored
    ],
)
def test_each_bad_form_field_is_named_beside_its_question(alice_client, period, field, value, message):  # noqa: F811
    response = alice_client.post(ANSWER, form_data(**{field: value}))
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400 and stored_count() == 0
    assert f'<p class="field-error" id="q-{field}-error">{message}</p>' in response.content.decode()


def test_an_unconfirmed_member_is_asked_to_confirm(client, period):  # noqa: F811
    client.force_login(make_user("newbie", confirmed=False))
    response = client.post(ANSWER, form_data())
    assert response.status_code == 403 and "Confirm your e-mail address" in response.content.decode()
    assert stored_count() == 0


def test_answering_a_closed_survey_is_a_409(alice_client, period):  # noqa: F811
    survey_actions.close_period(SLUG)
    response = alice_client.post(ANSWER, form_data())
    assert (
        response.status_code == 409
        and "is closed: answers are no longer accepted" in response.content.decode()
    )
    assert stored_count() == 0


def test_the_form_of_a_closed_survey_is_a_409(alice_client, period):  # noqa: F811
    survey_actions.close_period(SLUG)
    assert alice_client.get(ANSWER).status_code == 409


def test_posting_without_the_csrf_token_is_refused(alice, period):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(ANSWER, form_data()).status_code == 403
    assert stored_count() == 0


# --- Opening and closing (admins)


def test_an_admin_opens_a_period_from_the_page(ada_client, ada):
    response = ada_client.post(f"/advocacy/surveys/{SLUG}/open", {"label": LABEL})
    assert response.status_code == 302
    assert SurveyPeriod.objects.get().opened_by == ada


def test_opening_without_a_label_shows_why_and_stores_nothing(ada_client):
    response = ada_client.post(f"/advocacy/surveys/{SLUG}/open", {"label": ""})
    assert response.status_code == 400 and "Give the period a label" in response.content.decode()
    assert not SurveyPeriod.objects.exists()


def test_opening_an_open_survey_is_a_409(ada_client, period):  # noqa: F811
    response = ada_client.post(f"/advocacy/surveys/{SLUG}/open", {"label": "2027–28"})
    assert response.status_code == 409 and "already open" in response.content.decode()
    assert SurveyPeriod.objects.count() == 1


def test_opening_an_unknown_survey_is_a_404(ada_client):
    assert ada_client.post("/advocacy/surveys/nothing-here/open", {"label": LABEL}).status_code == 404
    assert not SurveyPeriod.objects.exists()


def test_an_admin_closes_a_period_from_the_page(ada_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    assert ada_client.post(f"/advocacy/surveys/{SLUG}/close", CONFIRM).status_code == 302
    assert SurveyResponse.objects.get().member is None


def test_closing_without_confirming_says_why_and_closes_nothing(ada_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    response = ada_client.post(f"/advocacy/surveys/{SLUG}/close")
    assert response.status_code == 400 and "Tick “I understand" in response.content.decode()
    period.refresh_from_db()
    assert period.is_open and SurveyResponse.objects.get().member == alice


def test_closing_a_closed_survey_is_a_409(ada_client, period):  # noqa: F811
    survey_actions.close_period(SLUG)
    response = ada_client.post(f"/advocacy/surveys/{SLUG}/close", CONFIRM)
    assert response.status_code == 409 and "no open period" in response.content.decode()


def test_a_member_may_not_close_a_survey(alice_client, period):  # noqa: F811
    assert alice_client.post(f"/advocacy/surveys/{SLUG}/close", CONFIRM).status_code == 403
    period.refresh_from_db()
    assert period.is_open


def test_the_manage_page_counts_answers_but_shows_none(ada_client, alice, period):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    page = ada_client.get(f"/advocacy/surveys/{SLUG}/manage").content.decode()
    assert '<td data-label="Answers">1</td>' in page and "coordinator" not in page


# --- Cost: the pages' queries do not grow with the number of answers


def test_the_survey_pages_need_few_queries(alice_client, alice, period, django_assert_max_num_queries):  # noqa: F811
    for name in ("ivy", "jon", "kay"):
        survey_actions.save_response(period, make_user(name), GOOD_ANSWERS)
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    for url in ("/advocacy/surveys/", SURVEY, ANSWER):
        with django_assert_max_num_queries(8):
            assert alice_client.get(url).status_code == 200
