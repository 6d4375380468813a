"""The brief's registry of sections: what other parts of the hub plug in (the survey's key figures, the
program's history, impact stories) appears in the campaign's and the state's briefs, in order, and a part
with nothing to say leaves no trace."""

import copy
import html

import pytest

from districtwiki.advocacy import briefs

from .campaign_helpers import make_campaign, make_program

pytestmark = pytest.mark.django_db

SECTION = "test/brief_section.html"


@pytest.fixture
def section_template(settings):
    """A section template from a test loader (APP_DIRS off, so that loaders may be listed)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {SECTION: "<section><h2>{{ heading }}</h2><p>{{ line }}</p></section>"},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = templates


SEEN = []


def key_figures(subject):
    SEEN.append(subject)
    line = f"Figures for {subject.state} {subject.district_size or 'all sizes'}"
    return briefs.BriefSection(SECTION, {"heading": "Key figures", "line": line}, lines=4)


def silent(subject):
    return None


@pytest.fixture
def registered(monkeypatch, section_template):
    """Two builders, registered by dotted path: one speaks about the subject, one has nothing to say."""
    SEEN.clear()
    paths = [f"{__name__}.key_figures", f"{__name__}.silent"]
    monkeypatch.setattr(briefs, "SECTION_BUILDERS", paths)
    return SEEN


def test_campaign_brief_shows_a_registered_section_for_its_state_size_and_program(registered, client, bob):
    program = make_program()
    campaign = make_campaign(bob, program=program.slug)
    page = html.unescape(client.get(f"{campaign.get_absolute_url()}/brief").content.decode())
    assert "Figures for KS under-1000" in page
    assert page.index("The ask") < page.index("Key figures") < page.index("Sources")
    assert (registered[0].state, registered[0].program, registered[0].campaign) == ("KS", program, campaign)


def test_state_brief_shows_registered_sections_instead_of_the_empty_notice(registered, client):
    page = client.get("/advocacy/briefs/IA?size=1000-2500").content.decode()
    assert "Figures for IA 1000-2500" in page
    assert "Nothing published for Iowa yet" not in page


def test_state_brief_without_sections_says_what_it_would_contain(client):
    page = html.unescape(client.get("/advocacy/briefs/IA").content.decode())
    assert "Nothing published for Iowa yet" in page
    assert "made from the members’ benchmark survey alone" in page


def test_state_brief_refuses_an_unknown_state_or_size(client):
    assert client.get("/advocacy/briefs/QQ").status_code == 400
    response = client.get("/advocacy/briefs/IA?size=huge")
    assert response.status_code == 400
    assert "The district size must be one of" in html.unescape(response.content.decode())


def test_section_lines_choose_a_denser_layout():
    assert briefs.density_for(briefs.REGULAR_LINES) == "regular"
    assert briefs.density_for(briefs.REGULAR_LINES + 1) == "compact"
    assert briefs.density_for(briefs.COMPACT_LINES + 1) == "tight"


def test_more_lines_than_the_tight_layout_holds_choose_the_dense_one():
    assert briefs.density_for(briefs.TIGHT_LINES) == "tight"
    assert briefs.density_for(briefs.TIGHT_LINES + 1) == "dense"
