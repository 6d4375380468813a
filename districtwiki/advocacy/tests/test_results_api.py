"""GET /api/v1/surveys/{slug}/results: figures overall or for one group, suppressed groups without any."""

import pytest

from districtwiki.advocacy.models import PublishedResults
from districtwiki.api.tests.openapi import documented_json, error_detail, operation_for

from .results_seed import SLUG, add_responses, make_period, skewed_answers

pytestmark = pytest.mark.django_db
URL = f"/api/v1/surveys/{SLUG}/results"


@pytest.fixture
def closed_survey():
    period = make_period()
    add_responses(period, skewed_answers(300, seed=7))
    return period


def test_overall_figures(client, closed_survey):
    body = documented_json(client.get(URL))
    assert (body["suppressed"], body["respondents"], body["min_group"], body["final"]) == (
        False,
        300,
        5,
        True,
    )
    assert [q["id"] for q in body["questions"]] == ["hours", "fte", "erate", "barriers"]
    hours = body["questions"][0]
    assert hours["median"] is not None and hours["q1"] <= hours["median"] <= hours["q3"]


def test_a_large_group_is_published(client, closed_survey):
    body = documented_json(client.get(URL, {"state": "IA"}))
    assert body["suppressed"] is False and body["respondents"] > 5


def test_a_small_group_is_suppressed_with_no_figure(client, closed_survey):
    body = documented_json(
        client.get(URL, {"state": "VT", "district_size": "over-10000", "role": "graduate"})
    )
    assert (body["suppressed"], body["respondents"]) == (True, None)
    assert body["questions"] and all(
        (q["answered"], q["choices"], q["median"], q["q1"], q["q3"]) == (None, None, None, None, None)
        for q in body["questions"]
    )


def test_unknown_filter_value_is_400_naming_it(client, closed_survey):
    response = client.get(URL, {"state": "ZZ"})
    assert error_detail(response, 400) == "“ZZ” is not one of the answers to “State” in this survey."


def test_unknown_filter_value_takes_no_snapshot(client, closed_survey):
    client.get(URL, {"role": "astronaut"})
    assert not PublishedResults.objects.exists()


def test_overlong_filter_is_400(client, closed_survey):
    response = client.get(URL, {"role": "x" * 101})
    assert "role" in error_detail(response, 400)


def test_unknown_survey_is_404(client, db):
    response = client.get("/api/v1/surveys/nothing-here/results")
    assert error_detail(response, 404) == "There is no survey called “nothing-here”."


def test_unknown_period_is_404(client, closed_survey):
    response = client.get(URL, {"period": "1999"})
    assert error_detail(response, 404) == "This survey has no published period “1999”."


def test_open_survey_without_a_snapshot_is_suppressed(client, db):
    period = make_period(closed=False)
    add_responses(period, skewed_answers(3, seed=1))
    body = documented_json(client.get(URL))
    assert (body["suppressed"], body["respondents"], body["period"]) == (True, None, None)


def test_results_are_documented_in_the_openapi_schema(client, closed_survey):
    operation = operation_for("GET", URL)
    assert {p["name"] for p in operation["parameters"]} >= {"slug", "state", "district_size", "role"}
    assert set(operation["responses"]) >= {"200", "400", "404"}
