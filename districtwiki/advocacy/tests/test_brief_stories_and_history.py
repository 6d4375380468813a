"""The brief's program history (status and its history, the last few yearly amounts with their sources) and
its three impact stories (district, year, amount, the first sentence or two, a link to the page)."""

import html
import re

import pytest
from django.conf import settings

from conftest import make_user
from districtwiki.advocacy import brief_sections, briefs
from districtwiki.wiki import actions as wiki_actions

from .campaign_helpers import make_campaign
from .hub_world import history, report, state_program

pytestmark = pytest.mark.django_db


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def program(ada):
    return state_program(ada)


# --- The program's history


def test_campaign_brief_shows_the_program_status_history_and_latest_amounts(client, ada, bob, program):
    history(program, ada)
    campaign = make_campaign(bob, program=program.slug)
    page = text_of(client, f"{campaign.get_absolute_url()}/brief")
    assert "The program’s history" in page
    assert "Kansas technology grant: proposed cut since" in page
    assert "restored → proposed cut . Step 4 of the budget fight ( example.org )" in page
    assert "Step 2 of the budget fight" in page and "Step 1 of the budget fight" not in page  # the newest 3
    for year in (2023, 2024, 2025):
        assert f"FY{year} : ${300_000 + 5_000 * (year - 2020):,} ( State budget {year} , example.org)" in page
    assert "FY2022" not in page  # the latest three years


def test_no_history_section_without_a_program_or_without_history(client, bob, program):
    assert brief_sections.program_history(briefs.BriefSubject(state="KS")) is None
    assert brief_sections.program_history(briefs.BriefSubject(state="KS", program=program)) is None
    campaign = make_campaign(bob, program=program.slug)
    assert "The program’s history" not in text_of(client, f"{campaign.get_absolute_url()}/brief")


def test_a_long_status_note_is_clipped(ada, program):
    history(program, ada, years=(), note="A very long note. " * 27)
    section = brief_sections.program_history(briefs.BriefSubject(state="KS", program=program))
    assert all(len(change["note"]) <= brief_sections.MAX_NOTE for change in section.context["changes"])
    assert section.context["changes"][0]["note"].endswith("…")


# --- Impact stories


def test_campaign_brief_tells_the_three_latest_stories_of_its_program(client, ada, bob, program):
    for number, year in enumerate((2019, 2021, 2023, 2022)):
        report(make_user(f"writer{number}"), program, f"Prairie {year} Schools", year, amount=10_000 + year)
    campaign = make_campaign(bob, program=program.slug)
    page = text_of(client, f"{campaign.get_absolute_url()}/brief")
    assert "What it paid for in districts" in page
    assert "Prairie 2023 Schools , Kansas: $12,023 in 2023." in page
    assert page.index("Prairie 2023") < page.index("Prairie 2022") < page.index("Prairie 2021")
    assert "Prairie 2019" not in page
    assert "It paid for a network switch in every school. Teachers stopped losing their connection." in page
    assert "When it ended: We cut the technician's hours in half. Repairs now take a week." in page


def test_a_story_links_to_its_report_page_in_full(client, bob, program):
    page = report(bob, program, "Plainview", 2024)
    section = brief_sections.impact_stories(briefs.BriefSubject(state="KS", program=program))
    assert section.context["stories"][0]["url"] == settings.SITE_URL + page.get_absolute_url()


def test_a_long_story_keeps_its_first_sentence_clipped(bob, program):
    report(bob, program, "Plainview", 2024, funded="word " * 400 + ". Second.", consequences="")
    story = brief_sections.impact_stories(briefs.BriefSubject(program=program)).context["stories"][0]
    assert len(story["funded"]) <= brief_sections.MAX_FUNDED and story["funded"].endswith("…")
    assert story["ended"] == ""  # "Not reported yet." is not a story


def test_state_brief_tells_the_state_s_stories_with_their_program(client, ada, bob, program):
    other = state_program(ada, name="Iowa network grant", slug="iowa-network-grant", state="IA")
    report(bob, program, "Plainview", 2024)
    report(make_user("erin"), other, "Cedar Valley", 2024, state="IA")
    page = text_of(client, "/advocacy/briefs/KS")
    assert "What funding did in Kansas" in page
    assert "Plainview , Kansas: $32,000 in 2024 from Kansas technology grant." in page
    assert "Cedar Valley" not in page


def test_a_deleted_report_page_tells_no_story(client, ada, bob, program):
    page = report(bob, program, "Plainview", 2024)
    wiki_actions.delete_page(page, ada, "spam")
    assert brief_sections.impact_stories(briefs.BriefSubject(program=program)) is None


def test_a_page_written_by_hand_tells_its_opening_text(bob, program):
    text = (
        "Our district bought hotspots for every family without internet. It closed the homework gap.\n\n"
        "```impact-report\nprogram: kansas-technology-grant\nyear: 2024\namount: 5000\nstate: KS\n"
        "district: Hilltop USD\n```\n"
    )
    wiki_actions.save_revision("Impact reports/Hilltop 2024", text, bob)
    story = brief_sections.impact_stories(briefs.BriefSubject(program=program)).context["stories"][0]
    assert story["district"] == "Hilltop USD"
    assert story["funded"] == (
        "Our district bought hotspots for every family without internet. It closed the homework gap."
    )
