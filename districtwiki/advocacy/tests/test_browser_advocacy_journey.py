"""The advocacy hub's whole story in Chromium, against a real `districtwiki serve` (its own data dir; its own
PostgreSQL database when the suite is given DATABASE_URL): an admin opens the benchmark survey; a member
answers every question in the browser and sees her answers beside published figures of peers like her, with
a group below the minimum shown as "fewer than", never as a figure; a trusted member starts a campaign, one
member signs publicly and one counted only; and the brief prints as one US Letter page, from the browser
and as the server's PDF, with the ask and the count.

Every page the story passes is checked for console errors and CSP violations (PageWatch) and with axe at a
desktop and a phone width, and photographed into /tmp/advocacy-journey/ for a person to look at."""

import io
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

from districtwiki.wiki.tests.browser import (
    PageWatch,
    axe_violations,
    describe_violations,
    launch_chromium,
    watched_page,
)
from districtwiki.wiki.tests.server import LiveServer, server_storage

pytestmark = pytest.mark.browser

SLUG = "staffing-and-workload"
LABEL = "2026-27"
SHOTS = Path("/tmp/advocacy-journey")
VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})
TITLE = "Keep Title IV-A for small districts"
ASK = (
    "Title IV, Part A pays for the devices and training in most of our districts.\n\n"
    "We ask the Board to **keep Title IV-A flexible** for technology in districts of every size."
)

# Run inside `districtwiki shell`: confirmed members, each with a profile and a session made as signing in
# makes it; prints their session cookies.
PEOPLE_SCRIPT = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from districtwiki.accounts.models import User
from districtwiki.community.models import Profile, Visibility
store = import_module(settings.SESSION_ENGINE).SessionStore
cookies = {{}}
for name, role, display in {people}:
    user = User.objects.create_user(name, email=name + "@example.org", email_confirmed=True, role=role)
    Profile.objects.create(
        user=user, display_name=display, display_name_visibility=Visibility.PUBLIC,
        role=Profile.Role.DIRECTOR, district_name=display.split()[0] + " USD 7",
    )
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies[name] = settings.SESSION_COOKIE_NAME + "=" + session.session_key
print(json.dumps(cookies))
"""

# (username, account role, display name) of the people who act in the browser.
PEOPLE = [
    ("ada", "admin", "Ada Admin"),
    ("maya", "member", "Maya Lindqvist"),
    ("olive", "trusted", "Olive Organizer"),
    ("pat", "member", "Pat Public"),
    ("ray", "member", "Ray Counted"),
]

# Run inside `districtwiki shell`: peers who answered the open period, through the one action that stores
# answers.
PEERS_SCRIPT = """
import json
from districtwiki.accounts.models import User
from districtwiki.advocacy import survey_actions
period = survey_actions.get_period({slug!r})
rows = json.loads({rows!r})
for number, answers in enumerate(rows):
    name = f"peer{{number}}"
    peer = User.objects.create_user(name, email=name + "@example.org", email_confirmed=True)
    survey_actions.save_response(period, peer, answers)
print(period.responses.count())
"""


def peer_rows() -> list[dict]:
    """24 peers: 14 in districts under 1,000 students (2 of them in Iowa, so Iowa's small districts, with
    Maya, are 3: below the minimum of 5) and 10 of 1,000 to 2,500. Only 3 small-district peers give their
    professional learning hours: too few for a median."""
    rows = []
    for number in range(24):
        small = number < 14
        state = "IA" if number < 2 else ("NE" if number % 2 else "KS")
        answers = {
            "state": state,
            "district_size": "under-1000" if small else "1000-2500",
            "role": "coordinator" if small else "director",
            "students_served": 400 + 25 * number if small else 1200 + 50 * number,
            "years_in_role": 2 + number % 9,
            "tech_staff_fte": [0.5, 1, 1.5, 2][number % 4] + (0 if small else 2),
            "technology_share": 40 + 5 * (number % 8),
            "hours_per_week": 44 + number % 10,
            "salary_band": ["40k-55k", "55k-70k", "70k-85k"][number % 3],
            "devices_per_student": 1,
            "budget_per_student": 150 + 10 * number,
            "erate": ["both-categories", "category-one", "consortium"][number % 3],
            "funding_programs": ["erate", "title-iv-a"] if number % 2 else ["erate", "general-fund"],
            "cyber_incidents": number % 3,
            "staff_mfa": ["all", "some", "none"][number % 3],
            "largest_barrier": ["staff-time", "money", "other-duties"][number % 3],
        }
        if number < 3 or not small:
            answers["learning_hours"] = 10 + 2 * number
        rows.append(answers)
    return rows


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    kind = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    with server_storage(kind, tmp_path_factory.mktemp("data")) as storage:
        live = LiveServer(storage).start()
        yield live
        live.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def cookies(server) -> dict[str, str]:
    script = PEOPLE_SCRIPT.format(people=PEOPLE)
    return json.loads(server.manage("shell", "--no-imports", "--command", script).strip().splitlines()[-1])


def person(browser, server: LiveServer, cookie: str, watch: PageWatch):
    name, value = cookie.split("=", 1)
    context = browser.new_context(base_url=server.url, viewport=VIEWPORTS[0], accept_downloads=True)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    return watched_page(context, watch)


# The innermost elements that reach past the viewport's right edge, to name in a failure.
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className.baseVal ?? el.className
    ? "." + String(el.className.baseVal ?? el.className).split(" ").join(".") : ""))"""


class Looks:
    """Screenshots at both widths into SHOTS, and every axe violation met on the way."""

    def __init__(self):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.failures: list[str] = []

    def check(self, page, name: str) -> None:
        text = page.locator("body").inner_text()
        if leaks := [mark for mark in ("{#", "{%", "{{") if mark in text]:
            self.failures.append(f"{name} shows template syntax {leaks} as text")
        for size in VIEWPORTS:
            page.set_viewport_size(size)
            page.screenshot(path=str(SHOTS / f"{name}-{size['width']}.png"), full_page=True)
            if page.evaluate("document.documentElement.scrollWidth") > size["width"]:
                wide = page.evaluate(WIDER_THAN_VIEWPORT)
                self.failures.append(f"{name} scrolls sideways at {size['width']}px: {wide}")
            if violations := axe_violations(page):
                self.failures.append(f"{name} at {size['width']}px:\n{describe_violations(violations)}")
        page.set_viewport_size(VIEWPORTS[0])


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def open_the_survey(admin) -> None:
    admin.goto(f"/advocacy/surveys/{SLUG}/manage")
    admin.get_by_label("Label").fill(LABEL)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Open the survey").click()
    expect(admin.locator("table")).to_contain_text("Open")


def answer_everything(maya, looks: Looks) -> None:
    """Every question type: drop-down and radio single choices, checkboxes with an "other", numbers (whole
    and decimal), and short text."""
    maya.goto(f"/advocacy/surveys/{SLUG}/answer")
    looks.check(maya, "survey-form")
    maya.get_by_label("State your district is in").select_option("IA")
    maya.get_by_label("Under 1,000 students").check()
    maya.get_by_label("Technology coordinator, often with a second job title").check()
    numbers = {
        "Students your district serves": "640",
        "Years in your current technology role": "4",
        "Technology staff, in full-time equivalents": "1.5",
        "Share of your working time spent on technology": "60",
        "Hours you work in a typical school-year week": "48",
        "Student devices per student": "1",
        "Annual technology budget per student": "180",
        "Cybersecurity incidents in the last 12 months": "2",
        "Hours of professional learning you took part in over the last 12 months": "20",
    }
    for label, value in numbers.items():
        maya.get_by_label(label, exact=True).fill(value)
    maya.get_by_label("$55,000 to $69,999").check()
    maya.get_by_label("Yes, for Category One and Category Two").check()
    funding = maya.get_by_role("group", name="Funding your technology work relies on")
    funding.get_by_role("checkbox", name="E-Rate", exact=True).check()
    funding.get_by_role("checkbox", name="Title IV, Part A (Student Support and Academic Enrichment)").check()
    funding.get_by_role("checkbox", name="Something else").check()
    funding.get_by_label(re.compile("in your own words")).fill("A county partnership")
    maya.get_by_label("For some accounts, such as administrators or e-mail").check()
    maya.get_by_role("radio", name="Not enough staff time").check()
    maya.get_by_label(re.compile("what would make the biggest difference")).fill("A second technician.")
    with maya.expect_navigation():
        maya.get_by_role("button", name="Save my answers").click()


def test_the_advocacy_hub_from_survey_to_one_page_brief(server, browser, cookies):
    watch, looks = PageWatch(), Looks()

    # The admin opens this year's period from the survey's page for admins.
    ada = person(browser, server, cookies["ada"], watch)
    open_the_survey(ada)
    assert (
        server.manage(
            "shell", "--no-imports", "--command", PEERS_SCRIPT.format(slug=SLUG, rows=json.dumps(peer_rows()))
        )
        .strip()
        .splitlines()[-1]
        == "24"
    )

    # Maya answers every question, sees them saved, then compares herself with peers.
    maya = person(browser, server, cookies["maya"], watch)
    answer_everything(maya, looks)
    expect(maya.locator(".messages")).to_contain_text("your answers are saved")
    own = maya.locator(".survey-own-answers")
    expect(own).to_contain_text("Technology staff, in full-time equivalents")
    expect(own).to_contain_text("1.5 FTE")
    expect(own).to_contain_text(
        "E-Rate, Title IV, Part A (Student Support and Academic Enrichment), Something"
    )
    expect(own).to_contain_text("A county partnership")
    expect(own).to_contain_text("A second technician.")
    looks.check(maya, "survey-saved")

    maya.get_by_role("link", name="How you compare").click()  # straight from the survey's page
    expect(maya.locator("h1")).to_have_text("How you compare")
    table = maya.locator("table.compare-table")
    expect(table.locator("thead")).to_contain_text("Districts of your size (under 1,000 students, 15)")
    hours = table.locator("tr", has_text="Hours you work in a typical school-year week")
    expect(hours.locator("td").nth(0)).to_have_text("48 hours a week")
    expect(hours.locator("td").nth(1)).to_have_text(re.compile(r"^Median \d+ hours a week \(quartiles"))
    fte = table.locator("tr", has_text="Technology staff, in full-time equivalents")
    expect(fte.locator("td").nth(0)).to_have_text("1.5 FTE")
    barrier = table.locator("tr", has_text="The largest barrier")
    expect(barrier.locator("td").nth(0)).to_have_text("Not enough staff time")
    expect(barrier.locator("td").nth(1)).to_have_text(re.compile(r"^\d+% chose “Not enough staff time”$"))
    # Below the minimum: 4 small districts gave learning hours, and Iowa's small districts are 3.
    learning = table.locator("tr", has_text="Hours of professional learning")
    expect(learning.locator("td").nth(0)).to_have_text("20 hours")
    expect(learning.locator("td").nth(1)).to_have_text("Fewer than 5 answered")
    expect(table.locator("thead")).not_to_contain_text("Your state and size")
    expect(maya.locator("main")).to_contain_text(
        "Your state and size band together are not shown: that group has fewer than 5 responses"
    )
    looks.check(maya, "compare")
    maya.get_by_role("link", name=re.compile("^Results of")).click()
    expect(maya.locator("h1")).to_contain_text("Results")
    expect(maya.locator("main svg").first).to_be_visible()  # the charts
    expect(maya.locator("main")).to_contain_text("25 responses")
    looks.check(maya, "results")
    # By district size: small districts are a published group, but only 4 of them gave learning hours.
    maya.get_by_role("link", name="By district size", exact=True).click()
    learning = maya.locator("section.results-table", has_text="Hours of professional learning")
    small = learning.locator("tbody tr", has_text="Under 1,000 students")
    expect(small.locator("td")).to_have_text(["4", *["fewer than 5 answers"] * 3])
    looks.check(maya, "results-by-size")
    # By state: Iowa has 3 respondents and is not shown with a figure at all.
    maya.get_by_role("link", name="By state", exact=True).click()
    respondents = maya.locator("section.results-table").first.locator("tbody th")
    expect(respondents.first).to_be_visible()
    expect(respondents.filter(has_text="Iowa")).to_have_count(0)
    maya.goto("/")
    expect(maya.locator(".home-compare")).to_contain_text(
        "Students your district serves: you 640 students; districts of your size: median"
    )
    maya.context.close()

    # Olive, a trusted member, starts a campaign; Pat signs publicly and Ray is counted only.
    olive = person(browser, server, cookies["olive"], watch)
    olive.goto("/advocacy/campaigns/new")
    olive.get_by_label("Title", exact=True).fill(TITLE)
    olive.get_by_label("The ask").fill(ASK)
    olive.get_by_label("Who it is for").select_option("state-board")
    olive.get_by_label("Its name").fill("Iowa State Board of Education")
    olive.get_by_label("Deadline").fill((datetime.now(UTC).date() + timedelta(days=30)).isoformat())
    olive.get_by_label("State (optional)").select_option("IA")
    with olive.expect_navigation():
        olive.get_by_role("button", name="Start the campaign").click()
    expect(olive.locator("h1")).to_have_text(TITLE)
    campaign_url = olive.url
    for name, choice in (("pat", "Name, role and district public"), ("ray", "Counted only")):
        signer = person(browser, server, cookies[name], watch)
        signer.goto(campaign_url)
        signer.get_by_label(choice).check()
        with signer.expect_navigation():
            signer.get_by_role("button", name="Sign on").click()
        expect(signer.locator(".messages")).to_contain_text("You signed on")
        signer.context.close()
    # The organizer and a visitor who is not signed in see the same: 2 signatures, one name.
    visitor = watched_page(browser.new_context(base_url=server.url), watch)
    for page in (olive, visitor):
        page.goto(campaign_url)
        expect(page.locator("#sign-heading")).to_have_text("2 signatures")
        public = page.locator("table[aria-labelledby=signatures-heading] tbody tr")
        expect(public).to_have_count(1)
        expect(public).to_contain_text("Pat Public")
        expect(page.locator("main")).not_to_contain_text("Ray")
    visitor.context.close()
    looks.check(olive, "campaign")

    # The brief: one Letter page from the browser's print, and one from the server's PDF.
    olive.get_by_role("link", name="One-page brief").click()
    expect(olive.locator("main")).to_contain_text("keep Title IV-A flexible")
    looks.check(olive, "brief")
    olive.emulate_media(media="print")
    olive.screenshot(path=str(SHOTS / "brief-print.png"), full_page=True)
    printed = olive.pdf(format="Letter", print_background=True)
    (SHOTS / "brief-print.pdf").write_bytes(printed)
    pages, text = pdf_text(printed)
    assert pages == 1, text
    assert "keep Title IV-A flexible" in text
    olive.emulate_media(media="screen")
    # The PDF is served inline (Chromium would show it in its viewer): fetched as the link's browser would.
    href = olive.get_by_role("link", name="Download the PDF").get_attribute("href")
    reply = olive.request.get(href)
    assert (reply.status, reply.headers["content-type"]) == (200, "application/pdf")
    (SHOTS / "brief-server.pdf").write_bytes(reply.body())
    pages, text = pdf_text(reply.body())
    assert pages == 1, text
    assert "keep Title IV-A flexible for technology in districts of every size" in text
    assert "2 members signed so far" in text

    assert looks.failures == [], "\n".join(looks.failures)
    assert watch.errors == [], "\n".join(watch.errors)
