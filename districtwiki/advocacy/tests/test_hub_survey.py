"""The survey on the hub and on its own page: the latest published headline (respondents and two key
medians) or when results will appear, "How you compare" on the hub for a member who answered the open
period (the survey page's own link: test_survey_compare_link.py), and "See the results" only where figures
are published."""

import html
import re

import pytest

from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import PublishedResults

from .hub_world import published_survey
from .survey_world import GOOD_ANSWERS, SLUG

pytestmark = pytest.mark.django_db

SURVEY = f"/advocacy/surveys/{SLUG}/"
COMPARE = f'href="/advocacy/surveys/{SLUG}/compare"'
RESULTS = f'href="/advocacy/surveys/{SLUG}/results"'


def text_of(response) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- The hub


def test_hub_shows_the_latest_published_headline(client):
    published_survey()
    response = client.get("/advocacy/")
    text = text_of(response)
    assert "24 members answered “Small-district technology staffing and workload”, 2026–27." in text
    assert "Hours worked in a typical school-year week 46 hours median of 24" in text
    assert "Share of working time spent on technology 60%" in text
    assert "Technology staff" not in text  # two figures, not the brief's whole set
    assert RESULTS in response.content.decode()


def test_hub_says_when_results_will_appear_while_the_survey_is_open(client):
    survey_actions.open_period(SLUG, "2026–27")
    response = client.get("/advocacy/")
    text = text_of(response)
    assert "is open (2026–27). Results appear here once at least 5 members have answered." in text
    assert "Answer the survey" in text
    assert RESULTS not in response.content.decode()


def test_hub_without_any_survey_says_results_are_not_published(client):
    assert "No results are published yet" in text_of(client.get("/advocacy/"))


def test_hub_offers_how_you_compare_to_a_member_who_answered(alice_client, alice):
    period = survey_actions.open_period(SLUG, "2026–27")
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    page = alice_client.get("/advocacy/").content.decode()
    assert COMPARE in page and "Answer the survey" not in page


def test_hub_invites_a_member_who_has_not_answered(alice_client):
    survey_actions.open_period(SLUG, "2026–27")
    page = alice_client.get("/advocacy/").content.decode()
    assert COMPARE not in page and "Answer the survey" in page


def test_hub_needs_few_queries(client, django_assert_max_num_queries):
    published_survey()
    # The survey's headline (its snapshot, the open period), the funding programs (four) and campaigns (one).
    with django_assert_max_num_queries(7):
        assert client.get("/advocacy/").status_code == 200


# --- The survey's page


def test_survey_page_says_when_results_appear_before_any_are_published(client):
    survey_actions.open_period(SLUG, "2026–27")
    response = client.get(SURVEY)
    assert RESULTS not in response.content.decode()
    assert "No results are published yet: they appear once at least 5 members have answered." in text_of(
        response
    )


def test_survey_page_links_the_results_once_published(client):
    published_survey()
    assert RESULTS in client.get(SURVEY).content.decode()


def test_a_period_closed_below_the_minimum_has_no_results_link(client):
    published_survey({("KS", "under-1000"): 3})
    assert PublishedResults.objects.count() == 1  # a final snapshot, publishing no figures
    response = client.get(SURVEY)
    assert RESULTS not in response.content.decode()
    assert "No results are published yet" in text_of(response)
