"""The hub's parts together in Chromium: a campaign's brief with every section (the survey's figures, the
program's history, three impact stories), a program page with its survey figures and open campaigns, the
hub with the survey's headline, and the results filtered by a state; no WCAG 2.1 A/AA violation (axe) and
no console or CSP error, at a desktop and a phone width, with screenshots kept in /tmp."""

import pytest

from conftest import make_user
from districtwiki.advocacy import campaign_actions

from .campaign_helpers import make_campaign
from .hub_world import history, published_survey, report, state_program
from .page_checks import check_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})
# Made-up districts and stories for the test's pages.
STORIES = (
    (
        "Plainview USD 101",
        2024,
        32_000,
        "It paid for a wireless refresh in both buildings and 120 student "
        "laptops. Every classroom had working wireless for the first time.",
        "The laptop refresh stopped; 40 devices are past repair.",
    ),
    (
        "Cedar Bluffs Schools",
        2023,
        18_500,
        "A shared technician for three districts, two days a week each.",
        "Repairs now wait for a volunteer teacher.",
    ),
    (
        "Oak Hill USD 12",
        2022,
        41_000,
        "Firewall, filtering and backups for the district's first cloud accounts.",
        "Backups lapsed for a term.",
    ),
)


@pytest.fixture
def hub(db):
    admin, trusted = make_user("ada", role="admin"), make_user("bob", role="trusted")
    published_survey()
    program = state_program(admin)
    history(program, admin)
    for number, (district, year, amount, funded, ended) in enumerate(STORIES):
        report(
            make_user(f"writer{number}"), program, district, year, amount, funded=funded, consequences=ended
        )
    campaign = make_campaign(
        trusted, title="Restore the Kansas technology grant", program=program.slug, district_size="under-1000"
    )
    for number in range(3):
        campaign_actions.sign(campaign, make_user(f"signer{number}"), "counted")
    return trusted, campaign


def test_hub_parts_together_are_accessible_and_screenshots_kept(chromium, live_server, hub):
    trusted, campaign = hub
    shots = [
        (None, f"{campaign.get_absolute_url()}/brief", "brief"),
        (None, "/advocacy/briefs/KS?size=1000-2500", "state-brief"),
        (trusted, "/advocacy/programs/kansas-technology-grant", "program"),
        (None, "/advocacy/", "hub"),
        (None, "/advocacy/surveys/staffing-and-workload/results?state=KS", "results-state"),
    ]
    check_pages(chromium, live_server, shots, "wiring")
