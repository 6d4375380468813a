"""The campaign pages and briefs in Chromium: no WCAG 2.1 A/AA violation (axe) and no console or CSP error,
at a desktop and a phone width, with screenshots kept in /tmp for a person to look at; the brief page
printed by the browser is one US Letter page, even for the longest ask; and a trusted member starts a
campaign, members sign, and the brief prints with the count."""

import io

import pytest
from pypdf import PdfReader

from conftest import make_user
from districtwiki.advocacy import campaign_actions as actions
from districtwiki.wiki.tests.browser import (
    SCREENSHOT_DIR,
    sign_in,
)

from .campaign_helpers import campaign_form, in_days, make_campaign, make_program, make_signer, signs
from .page_checks import check_pages
from .test_brief_pdf import LONGEST_SHAPES, longest_ask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})
LETTER_AT_96_DPI = {"width": 816, "height": 1056}

ASK = """The state technology grant paid for the network, the devices and the one technician in most of our
districts. The proposed budget cuts it to nothing.

We ask the Board to **recommend restoring the grant** at its current level in next year's budget, and to
keep it open to districts of every size.

- It is the only technology money many small districts receive.
- Without it, devices go unrepaired and filters unpatched."""


@pytest.fixture(autouse=True)
def frozen():
    """The live server needs a clock that moves: no frozen time here."""
    yield None


@pytest.fixture
def campaign(db):
    make_program(name="State technology grant", agency="State Department of Education")
    organizer = make_user("olive", role="trusted")
    campaign = make_campaign(
        organizer,
        title="Restore the state technology grant",
        body=ASK,
        program="state-technology-grant",
        sources="Proposed budget, page 14 https://example.org/budget.pdf\n"
        "Board of Education agenda https://example.org/board/agenda",
    )
    for name, display, district in (
        ("dana", "Dana Whitfield", "Plainview USD 12"),
        ("eli", "Eli Navarro", "Cedar Bluff USD 7"),
        ("fay", "Fay Okafor", "Prairie Hills USD 3"),
    ):
        signs(
            campaign, make_signer(name, display_name=display, district=district, public_name=True), "public"
        )
    signs(campaign, make_signer("quinn", display_name="Quinn Marlowe", public_name=True), "counted")
    return campaign


def pages_of(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def test_campaign_pages_are_accessible_and_screenshots_kept(chromium, live_server, campaign):
    member = make_user("gale")
    shots = [
        (None, campaign.get_absolute_url(), "campaign-anonymous"),
        (member, campaign.get_absolute_url(), "campaign"),
        (None, f"{campaign.get_absolute_url()}/brief", "brief"),
        (None, "/advocacy/briefs/KS", "state-brief"),
        (None, "/advocacy/campaigns/", "campaigns"),
        (None, "/advocacy/", "hub"),
        (campaign.organizers.get(), "/advocacy/campaigns/new", "campaign-form"),
    ]
    check_pages(chromium, live_server, shots, "campaigns")


def test_brief_page_prints_on_one_letter_page(chromium, live_server, campaign):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"{campaign.get_absolute_url()}/brief")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOT_DIR / "campaigns-brief-print.pdf").write_bytes(pdf)
    reader = pages_of(pdf)
    page.set_viewport_size(LETTER_AT_96_DPI)
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOT_DIR / "campaigns-brief-print.png"), full_page=True)
    context.close()
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "recommend restoring the grant" in text
    assert "4 members signed so far" in text


@pytest.mark.parametrize("shape", list(LONGEST_SHAPES))
def test_longest_ask_prints_on_one_page_from_the_browser(chromium, live_server, shape):
    make_program()
    campaign = actions.create_campaign(
        make_user("olive", role="trusted"), actions.clean_details(longest_ask(LONGEST_SHAPES[shape]))
    )
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"{campaign.get_absolute_url()}/brief")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    context.close()
    assert len(pages_of(pdf).pages) == 1


def test_trusted_member_starts_a_campaign_members_sign_and_the_brief_has_the_count(chromium, live_server, db):
    organizer, members = make_user("olive", role="trusted"), [make_user("pat"), make_user("ray")]
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(context, live_server.url, organizer)
    page.goto("/advocacy/campaigns/new")
    form = campaign_form(deadline=in_days(20))
    page.get_by_label("Title", exact=True).fill(form["title"])
    page.get_by_label("The ask").fill(form["body"])
    page.get_by_label("Who it is for").select_option("state-board")
    page.get_by_label("Its name").fill(form["audience_name"])
    page.get_by_label("Deadline").fill(form["deadline"])
    page.get_by_label("State (optional)").select_option("KS")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the campaign").click()
    url = page.url
    for member, choice in zip(members, ("Name, role and district public", "Counted only"), strict=True):
        context.clear_cookies()
        sign_in(context, live_server.url, member)
        page.goto(url)
        page.get_by_label(choice).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Sign on").click()
    assert "2 signatures" in page.locator("#sign-heading").inner_text()
    page.goto(url + "/brief")
    text = " ".join(pages_of(page.pdf(prefer_css_page_size=True)).pages[0].extract_text().split())
    context.close()
    assert "2 members signed so far" in text
