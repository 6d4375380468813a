"""The brief's key survey figures: only what the published snapshot holds, for the state and size band when
that group is published, else the state, else everyone, saying which; never a group below the minimum and
never a figure computed for the brief."""

import html
import re

import pytest

from districtwiki.advocacy import brief_sections, briefs, results_snapshots, survey_figures
from districtwiki.advocacy.models import PublishedResults

from .hub_world import FULL_GRID, published_survey

pytestmark = pytest.mark.django_db


def page_of(client, url: str) -> str:
    """The page's text as a reader sees it: tags out, spaces collapsed."""
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_state_brief_shows_the_state_and_size_band_figures(client):
    published_survey()
    page = page_of(client, "/advocacy/briefs/KS?size=under-1000")
    assert "What members report" in page
    assert "Kansas, districts of under 1,000 students: 6 respondents" in page
    assert "2026–27" in page
    assert "Hours worked in a typical school-year week 41 hours median of 6 · middle half 40.25–41.75" in page
    assert "Share of working time spent on technology" in page and "60%" in page
    assert "Technology staff, full-time equivalents" in page and "1.5 FTE" in page
    assert "Cybersecurity incidents in the last 12 months" in page
    assert "Something else" in page  # the barrier named most often in these answers
    assert "No figures are published for" not in page


def test_key_figures_fall_back_to_the_state_and_say_so(client):
    published_survey(FULL_GRID | {("KS", "2500-10000"): 2})
    page = page_of(client, "/advocacy/briefs/KS?size=2500-10000")
    assert "No figures are published for Kansas, districts of 2,500–10,000 students" in page
    assert "these are for Kansas, all district sizes" in page
    assert "Kansas, all district sizes: 14 respondents" in page


def test_key_figures_fall_back_to_everyone_and_say_so(client):
    published_survey()
    page = page_of(client, "/advocacy/briefs/NE")
    assert "No figures are published for Nebraska, all district sizes" in page
    assert "these are for all members who answered" in page
    assert "All members who answered: 24 respondents" in page


def test_a_group_below_the_minimum_is_never_shown(client):
    published_survey(FULL_GRID | {("NE", "under-1000"): 4})
    page = page_of(client, "/advocacy/briefs/NE?size=under-1000")
    assert "Nebraska, districts of under 1,000 students:" not in page
    assert "Nebraska, all district sizes:" not in page
    assert "All members who answered: 28 respondents" in page


def test_no_section_before_any_figures_are_published(client):
    published_survey(close=False)  # 24 answers: enough for a snapshot, but none has been taken
    page = page_of(client, "/advocacy/briefs/KS?size=under-1000")
    assert "What members report" not in page
    assert "Nothing published for Kansas yet" in page
    assert not PublishedResults.objects.exists()  # the brief takes no snapshot of its own


def test_a_closed_period_below_the_minimum_gives_no_figures(client):
    published_survey({("KS", "under-1000"): 3})
    assert survey_figures.key_figures("KS", "under-1000") is None
    assert brief_sections.key_figures(briefs.BriefSubject(state="KS")) is None


def test_figures_are_read_from_the_snapshot_not_the_answers(client):
    period = published_survey()
    snapshot = PublishedResults.objects.get(period=period)
    group = snapshot.figures["groups"]["state=KS&district_size=under-1000"]
    hours = next(q for q in group["questions"] if q["id"] == "hours_per_week")
    hours["median"] = 77
    snapshot.save()
    assert "77 hours" in page_of(client, "/advocacy/briefs/KS?size=under-1000")


def test_an_open_survey_s_published_snapshot_is_named_as_such(client):
    period = published_survey(close=False)
    results_snapshots.current(period)  # a reader of the results page took it
    page = page_of(client, "/advocacy/briefs/KS?size=under-1000")
    assert "the survey is open: figures as published on" in page
    assert "Kansas, districts of under 1,000 students: 6 respondents" in page
