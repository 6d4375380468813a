"""The funding tracker in Chromium: no WCAG 2.1 A/AA violation (axe) and no console or CSP error on the
program list, a program's page (its chart included) and the impact report form, at a desktop and a phone
width, with screenshots kept in /tmp for a person to look at."""

import pytest

from conftest import make_user
from districtwiki.advocacy import funding_actions, impact_reports

from .page_checks import check_pages
from .program_world import SOURCE, make_program, write_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})
# Made-up figures for the test's pages.
REPORT_FORM = {
    "district": "Plainview",
    "state": "IA",
    "district_size": "under-1000",
    "year": "2023",
    "amount": "32000",
    "funded": "A wireless refresh in both buildings and 120 student laptops.",
    "outcomes": "Every classroom had working wireless for the first time.",
    "consequences": "The laptop refresh stopped; 40 devices are past repair.",
    "source_url": "https://example.org/board-minutes",
}
FIGURES = {2019: 410_000, 2020: 395_000, 2021: 380_000, 2022: 350_000, 2023: 320_000, 2024: 0}


@pytest.fixture
def tracked(db):
    trusted, member = make_user("bob", role="trusted"), make_user("alice")
    program = make_program(trusted)
    description = "Pays for **networks and devices** in districts under 2,500 students. See [[E-Rate]]."
    data = {"name": program.name, "level": "state", "state": "IA", "description": description}
    funding_actions.update_program(program, trusted, funding_actions.clean_program(data, program))
    for year, amount in FIGURES.items():
        label = f"{year - 1}–{str(year)[2:]}"
        row = {
            "year": year,
            "year_label": label,
            "amount": amount,
            "source_url": SOURCE,
            "source_title": "Budget",
        }
        funding_actions.add_amount(program, trusted, row)
    funding_actions.change_status(
        program, trusted, {"status": "proposed-cut", "source_url": SOURCE, "note": "Budget"}
    )
    funding_actions.change_status(program, trusted, {"status": "cut", "source_url": SOURCE})
    funding_actions.raise_alert(
        program, member, {"note": "The senate's budget keeps it at zero.", "source_url": SOURCE}
    )
    impact_reports.file_report(program, member, REPORT_FORM)
    write_report(member, "Impact reports/Riverside 2022", year=2022, amount=18_500, district="Riverside")
    write_report(
        member, "Impact reports/Oak Hill 2023", year=2023, amount=41_000, state="NE", district="Oak Hill"
    )
    make_program(trusted, name="Federal Connectivity Fund", slug="federal-fund", level="federal", state="")
    make_program(trusted, name="Cybersecurity Grant for Schools", slug="cyber", level="state", state="NE")
    return trusted, member


def test_program_pages_are_accessible_and_screenshots_kept(chromium, live_server, tracked):
    trusted, member = tracked
    shots = [
        (None, "/advocacy/programs/", "list"),
        (trusted, "/advocacy/programs/prairie-grant", "program"),
        (None, "/advocacy/programs/prairie-grant", "program-public"),
        (member, "/advocacy/programs/prairie-grant/report", "report-form"),
        (None, "/advocacy/", "hub"),
        (None, "/wiki/Impact_reports/Prairie_State_Technology_Grant_–_Plainview_2023", "report-page"),
    ]
    check_pages(chromium, live_server, shots, "programs")
