"""What the hub's parts add to a program's page: the survey's published figures for the program's state
(only what the results page shows, linking to that state's results) and the open campaigns about it; and
the results page filtered by a state, which those figures link to."""

import html
import re
from datetime import timedelta

import pytest

from districtwiki.advocacy import campaign_actions
from districtwiki.advocacy.models import Campaign, PublishedResults

from .campaign_helpers import make_campaign
from .hub_world import FULL_GRID, published_survey, state_program

pytestmark = pytest.mark.django_db

PAGE = "/advocacy/programs/kansas-technology-grant"
RESULTS = "/advocacy/surveys/staffing-and-workload/results"


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def program(ada):
    return state_program(ada)


# --- Survey figures for the program's state


def test_state_program_shows_its_state_s_published_figures(client, program):
    published_survey()
    page = client.get(PAGE).content.decode()
    assert '<h2 id="section-survey-figures">Survey figures for Kansas</h2>' in page
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "What 12 members in Kansas reported in the benchmark survey (2026–27)" in text
    assert "Hours worked in a typical school-year week 41 hours median of 12" in text
    assert f"{RESULTS}?by=state&amp;state=KS" in page


def test_state_not_published_says_so_and_never_falls_back(client, ada):
    state_program(ada, name="Nebraska grant", slug="nebraska-grant", state="NE")
    published_survey(FULL_GRID | {("NE", "under-1000"): 4})
    text = text_of(client, "/advocacy/programs/nebraska-grant")
    assert "Survey figures for Nebraska" in text
    assert "No figures are published for Nebraska yet" in text
    assert "respondents" not in text and "members in Nebraska reported" not in text


def test_no_survey_section_before_anything_is_published(client, program):
    published_survey(close=False)
    assert "Survey figures for" not in text_of(client, PAGE)
    assert not PublishedResults.objects.exists()


def test_federal_program_has_no_survey_section(client, ada):
    state_program(ada, name="E-Rate", slug="e-rate", level="federal", state="")
    published_survey()
    assert "Survey figures for" not in text_of(client, "/advocacy/programs/e-rate")


# --- Open campaigns about the program


def test_program_page_lists_its_open_campaigns_only(client, bob, program):
    make_campaign(bob, title="Save the Kansas grant", program=program.slug)
    closed = make_campaign(bob, title="An old fight", program=program.slug)
    campaign_actions.close_campaign(closed, bob)
    make_campaign(bob, title="Another program's campaign")
    page = client.get(PAGE).content.decode()
    assert '<h2 id="section-open-campaigns">Open campaigns</h2>' in page
    assert "Save the Kansas grant" in page
    assert "An old fight" not in page and "Another program&#x27;s campaign" not in page


def test_a_campaign_past_its_deadline_is_not_listed(client, bob, program):
    campaign = make_campaign(bob, title="Past its day", program=program.slug)
    Campaign.objects.filter(pk=campaign.pk).update(deadline=campaign_actions.today() - timedelta(days=1))
    text = text_of(client, PAGE)
    assert "Past its day" not in text
    assert "No campaign about Kansas technology grant is open." in text


def test_trusted_member_is_offered_to_start_a_campaign(bob_client, program):
    assert 'href="/advocacy/campaigns/new"' in bob_client.get(PAGE).content.decode()


def test_member_is_not_offered_to_start_a_campaign(alice_client, program):
    assert 'href="/advocacy/campaigns/new"' not in alice_client.get(PAGE).content.decode()


# --- The results page filtered by a state


def test_results_filtered_by_state_show_that_state_s_rows_only(client):
    published_survey()
    text = text_of(client, f"{RESULTS}?state=KS")
    assert "Showing Kansas only." in text and "By state: Kansas" in text
    assert "Kansas 12" in text and "Iowa" not in text


def test_results_filtered_by_state_and_size(client):
    published_survey()
    text = text_of(client, f"{RESULTS}?by=state%2Bdistrict_size&state=KS")
    assert "Kansas · Under 1,000 students 6" in text and "Iowa" not in text


def test_state_filter_csv_holds_that_state_s_rows_only(client):
    published_survey()
    response = client.get(f"{RESULTS}.csv?by=state&state=KS&table=respondents")
    assert response.status_code == 200
    rows = response.content.decode().splitlines()
    assert rows[2:] == ["Kansas,12"]


def test_unknown_state_filter_is_refused(client):
    published_survey()
    response = client.get(f"{RESULTS}?state=QQ")
    assert response.status_code == 400
    assert "“QQ” is not one of the answers" in html.unescape(response.content.decode())


def test_state_filter_on_a_breakdown_without_states_is_refused(client):
    published_survey()
    response = client.get(f"{RESULTS}?by=role&state=KS")
    assert response.status_code == 400
    assert "breakdown by state" in html.unescape(response.content.decode())
