"""The offline copy in Debian's Chromium, opened from file:// as from a USB stick: following links into a
subpage and back, a category, an image, and search, with no request that fails and none that is not a
file. Screenshots at a laptop's and a phone's size are written to /tmp for a person to look at, and axe
checks the pages for WCAG 2.1 A/AA at both sizes."""

import re

import pytest
from playwright.sync_api import expect

from districtwiki.wiki.tests.browser import (
    SCREENSHOT_DIR,
    PageWatch,
    axe_violations,
    describe_violations,
    watched_page,
)

from .test_offline import build_wiki, export

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def copy(make_page, ada, tmp_path):
    build_wiki(make_page, ada)
    export(tmp_path / "copy")
    return tmp_path / "copy"


class Requests:
    """Every request that failed, and every one that went anywhere but a file."""

    def __init__(self):
        self.problems: list[str] = []

    def on_request(self, request) -> None:
        if not request.url.startswith("file://"):
            self.problems.append(f"request to {request.url}")

    def on_failed(self, request) -> None:
        # Chromium asks for the icon after the page has loaded and cancels the request when the test
        # follows the next link first. That its href, like every other, resolves to a file of the copy is
        # checked in test_offline.py.
        if request.url.endswith("/_static/favicon.svg") and "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"failed: {request.url} ({request.failure})")


def open_copy(chromium, watch, requests: Requests, viewport: dict):
    context = chromium.new_context(viewport=viewport)
    page = watched_page(context, watch)
    page.on("request", requests.on_request)
    page.on("requestfailed", requests.on_failed)
    return context, page


def go(page, link, address: str) -> None:
    """Follow `link` and wait until the page has loaded: leaving a page while its stylesheet still loads
    would cancel that request, which the test would count as failed."""
    link.click()
    expect(page).to_have_url(re.compile(address))
    page.wait_for_load_state("load")


def image_width(page, selector: str) -> int:
    """The image's width once it has loaded (0 would mean it never did)."""
    page.wait_for_function(f"() => document.querySelector({selector!r}).complete")
    return page.locator(selector).evaluate("image => image.naturalWidth")


def follow_links(page, root) -> None:
    page.goto((root / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("districtwiki")
    go(page, page.get_by_role("link", name="Home", exact=True), r"/copy/Home\.html$")
    assert image_width(page, ".page-content img") == 40
    go(page, page.get_by_role("link", name="the phone policy"), r"/copy/Policies/Phones\.html$")
    expect(page.locator("h1")).to_have_text("Policies/Phones")
    background = page.locator(".site-header").evaluate("header => getComputedStyle(header).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "wiki.css did not apply in the subpage"
    go(page, page.get_by_role("link", name="welcome"), r"/copy/Home\.html#welcome$")
    page.go_back(wait_until="load")
    category = page.locator(".categories").get_by_role("link", name="Policies")
    go(page, category, r"/copy/_categories/Policies\.html$")
    go(page, page.get_by_role("link", name="Policies/Phones"), r"/copy/Policies/Phones\.html$")
    go(page, page.get_by_role("link", name="Home", exact=True), r"/copy/Home\.html$")
    red = page.locator("a.wikilink.new", has_text="Board meeting")
    assert red.get_attribute("href") is None
    go(page, page.get_by_role("link", name="districtwiki"), r"/copy/index\.html$")
    go(page, page.get_by_role("link", name="Logo.png"), r"/copy/_files/Logo\.png\.html$")
    assert image_width(page, ".file-preview img") == 40
    page.go_back(wait_until="load")
    go(page, page.get_by_role("link", name="Old home"), r"/copy/Old%20home\.html$")
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-offline-redirect.png")
    go(page, page.locator(".note").get_by_role("link", name="Home"), r"/copy/Home\.html$")


def search(page) -> None:
    page.locator("#site-search-q").fill("pineapple lockers")
    page.locator("#site-search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/copy/search\.html\?q=pineapple\+lockers$"))
    expect(page.locator("#search-status")).to_have_text("1 page found for “pineapple lockers”.")
    expect(page.locator("#search-results li")).to_have_count(1)
    go(page, page.locator("#search-results a"), r"/copy/Policies/Phones\.html$")


def test_copy_opens_from_file_and_never_asks_a_server(chromium, watch, copy):
    requests = Requests()
    context, page = open_copy(chromium, watch, requests, LAPTOP)
    follow_links(page, copy)
    search(page)
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-offline-page.png")
    page.goto((copy / "search.html").as_uri() + "?q=Policies")
    expect(page.locator("#search-results li a")).to_have_text(["Policies", "Policies/Phones", "Home"])
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-offline-search.png")
    context.close()

    context, page = open_copy(chromium, watch, requests, PHONE)
    page.goto((copy / "Policies/Phones.html").as_uri())
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-offline-phone.png", full_page=True)
    page.goto((copy / "index.html").as_uri())
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-offline-phone-index.png", full_page=True)
    context.close()

    assert requests.problems == []


def test_copy_passes_axe_at_both_widths(chromium, copy):
    """axe reads the stylesheets again by XMLHttpRequest, which file:// refuses (and logs): its own requests,
    so this test has its own context and watch, apart from the one that counts the copy's requests."""
    watch = PageWatch()
    watch.allow(r"Access to XMLHttpRequest at 'file://.*' from origin 'null' has been blocked")
    watch.allow(r"Failed to load resource: net::ERR_FAILED")
    # Chromium's own request for the page's icon, which some of its versions make in CORS mode and file://
    # then refuses, depending on when the page is left (test_offline.py checks the icon's href).
    watch.allow(r"Access to image at 'file://[^']*/_static/favicon\.svg' from origin 'null' has been blocked")
    for viewport in (LAPTOP, PHONE):
        context = chromium.new_context(viewport=viewport)
        page = watched_page(context, watch)
        for path in ("index.html", "Policies/Phones.html", "Old home.html", "search.html"):
            page.goto((copy / path).as_uri() + ("?q=policies" if path == "search.html" else ""))
            violations = axe_violations(page)
            assert violations == [], f"{path} at {viewport}:\n{describe_violations(violations)}"
        context.close()
    assert watch.errors == []
