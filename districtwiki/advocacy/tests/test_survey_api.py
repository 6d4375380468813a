"""The surveys REST API: the contract of DESIGN/issue 15, each response checked against the OpenAPI
document the API serves; every refused answer names the question and stores nothing."""

import json

import pytest
from django.test import Client

from districtwiki.accounts.models import APIToken
from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import SurveyResponse
from districtwiki.api.tests.openapi import documented_json, error_detail, served_spec

from .survey_world import GOOD_ANSWERS, SLUG, answers, period, stored_count  # noqa: F401

pytestmark = pytest.mark.django_db
RESPONSE = f"/api/v1/surveys/{SLUG}/response"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.issue(user, 'test')[1]}"}


def put(client, url, body, **headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def test_paths_are_documented(db):
    paths = served_spec()["paths"]
    assert {"/api/v1/surveys", "/api/v1/surveys/{slug}", "/api/v1/surveys/{slug}/response"} <= set(paths)


def test_the_list_names_each_opened_survey_and_its_status(client, period):  # noqa: F811
    body = documented_json(client.get("/api/v1/surveys"))
    assert body == {
        "surveys": [
            {"slug": SLUG, "title": "Small-district technology staffing and workload", "status": "open"}
        ]
    }


def test_a_closed_survey_is_listed_as_closed(client, period):  # noqa: F811
    survey_actions.close_period(SLUG)
    assert documented_json(client.get("/api/v1/surveys"))["surveys"][0]["status"] == "closed"


def test_a_survey_never_opened_is_not_listed(client, db):
    assert documented_json(client.get("/api/v1/surveys")) == {"surveys": []}


def test_a_survey_lists_its_questions(client, period, settings):  # noqa: F811
    settings.SURVEY_MIN_GROUP = 7
    body = documented_json(client.get(f"/api/v1/surveys/{SLUG}"))
    assert (body["slug"], body["status"], body["min_group"]) == (SLUG, "open", 7)
    assert [q["id"] for q in body["questions"][:3]] == ["state", "district_size", "role"]
    assert all({"id", "type", "label", "choices", "required"} <= set(q) for q in body["questions"])


def test_a_choice_question_lists_values_and_labels(client, period):  # noqa: F811
    questions = {q["id"]: q for q in documented_json(client.get(f"/api/v1/surveys/{SLUG}"))["questions"]}
    assert {"value": "under-1000", "label": "Under 1,000 students"} in questions["district_size"]["choices"]
    assert questions["state"]["required"] is True


def test_a_number_question_has_no_choices_and_gives_its_bounds(client, period):  # noqa: F811
    questions = {q["id"]: q for q in documented_json(client.get(f"/api/v1/surveys/{SLUG}"))["questions"]}
    hours = questions["hours_per_week"]
    assert (hours["type"], hours["choices"], hours["minimum"], hours["maximum"]) == ("number", None, 0, 100)


def test_an_unknown_survey_is_a_404(client, db):
    assert "There is no survey" in error_detail(client.get("/api/v1/surveys/nope"), 404)


def test_a_member_answers_with_a_token(client, alice, period):  # noqa: F811
    body = documented_json(put(client, RESPONSE, {"answers": GOOD_ANSWERS}, **bearer(alice)))
    assert body["answers"] == GOOD_ANSWERS and body["slug"] == SLUG
    assert SurveyResponse.objects.get(member=alice).answers == GOOD_ANSWERS


def test_a_member_revises_with_a_second_put(client, alice, period):  # noqa: F811
    put(client, RESPONSE, {"answers": GOOD_ANSWERS}, **bearer(alice))
    documented_json(put(client, RESPONSE, {"answers": answers(hours_per_week=30)}, **bearer(alice)))
    assert SurveyResponse.objects.get(member=alice).answers["hours_per_week"] == 30 and stored_count() == 1


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (answers(colour="blue"), "colour: there is no such question in this survey."),
        (answers(hours_per_week="48"), "hours_per_week: enter a number."),
        (answers(hours_per_week=101), "hours_per_week: enter at most 100 hours a week."),
        (answers(district_size="huge"), "district_size: “huge” is not one of the choices."),
        (answers(role=...), "role: this question needs an answer."),
        (answers(funding_programs="erate"), "funding_programs: send a list of the values of the choices."),
    ],
)
def test_a_bad_answer_is_a_400_naming_the_question(client, alice, period, sent, message):  # noqa: F811
    assert message in error_detail(put(client, RESPONSE, {"answers": sent}, **bearer(alice)), 400)
    assert stored_count() == 0


def test_a_body_without_answers_is_a_400(client, alice, period):  # noqa: F811
    assert "answers" in error_detail(put(client, RESPONSE, {"state": "IA"}, **bearer(alice)), 400)
    assert stored_count() == 0


def test_a_body_that_is_not_json_is_a_400(client, alice, period):  # noqa: F811
    response = client.put(RESPONSE, "{not json", content_type="application/json", **bearer(alice))
    assert "not valid JSON" in error_detail(response, 400)
    assert stored_count() == 0


def test_answering_a_closed_survey_is_a_409(client, alice, period):  # noqa: F811
    survey_actions.close_period(SLUG)
    response = put(client, RESPONSE, {"answers": GOOD_ANSWERS}, **bearer(alice))
    assert "is closed: answers are no longer accepted" in error_detail(response, 409)
    assert stored_count() == 0


def test_answering_an_unknown_survey_is_a_404(client, alice, db):
    response = put(client, "/api/v1/surveys/nope/response", {"answers": GOOD_ANSWERS}, **bearer(alice))
    assert error_detail(response, 404)
    assert stored_count() == 0


def test_answering_signed_out_is_a_401(client, period):  # noqa: F811
    assert "Sign in" in error_detail(put(client, RESPONSE, {"answers": GOOD_ANSWERS}), 401)
    assert stored_count() == 0


def test_a_session_put_without_the_csrf_token_is_refused(alice, period):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert "CSRF" in error_detail(put(client, RESPONSE, {"answers": GOOD_ANSWERS}), 403)
    assert stored_count() == 0


def test_an_unconfirmed_member_is_a_403(client, period):  # noqa: F811
    from conftest import make_user

    newbie = make_user("newbie", confirmed=False)
    response = put(client, RESPONSE, {"answers": GOOD_ANSWERS}, **bearer(newbie))
    assert "Confirm your e-mail address" in error_detail(response, 403)
    assert stored_count() == 0
