"""Browser smoke tests: Debian's Chromium through Playwright against the live test server.

The journey test walks a new member through sign-up, e-mail confirmation, creating and editing a page,
an edit conflict, history, diff and search; the other tests pin what leaving the editor, the keyboard and
printing do (the toolbar, shortcuts and previews: test_browser_toolbar.py). Every page is watched for
console errors and Content-Security-Policy violations (see browser.PageWatch)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from districtwiki.wiki.models import Page

from . import browser as browser_helpers
from .browser import (
    SCREENSHOT_DIR,
    computed,
    confirmation_link,
    sign_in,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- The journey --------------------------------------------------------------------------------------


JOURNEY_TEXT = """Budget notes for **pineapple** planning.

See [[Existing page]] and [[Missing page]].

Line three is shared.
"""


def sign_up(page, mailoutbox, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {username}")
    page.goto(confirmation_link(mailoutbox))
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail address confirmed")
    # Sign-up signs nobody in (it answers a taken address alike); the confirmed page leads to sign-in.
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text(username)


def create_page(page) -> None:
    page.goto("/edit/Journey_page")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Creating")
    page.locator("#id_text").fill(JOURNEY_TEXT)
    expect(page.locator("#live-preview-content strong")).to_have_text("pineapple")
    expect(page.locator("#live-preview-content a.wikilink.new")).to_have_text("Missing page")
    page.locator("#id_summary").fill("First draft")
    page.get_by_role("button", name="Save page").click()
    expect(page).to_have_url(re.compile(r"/wiki/Journey_page$"))


def check_links(page) -> None:
    red = page.locator(".page-content a.wikilink.new")
    expect(red).to_have_text("Missing page")
    expect(red).to_have_attribute("href", "/edit/Missing_page")
    assert computed(page, ".page-content a.wikilink.new", "color") == "rgb(192, 39, 29)"  # --link-red
    expect(page.locator(".page-content a.wikilink:not(.new)")).to_have_text("Existing page")


def edit_page(page, old: str, new: str) -> None:
    page.goto("/edit/Journey_page")
    text = page.locator("#id_text").input_value().replace(old, new)
    page.locator("#id_text").fill(text)
    expect(page.locator("#live-preview-content")).to_contain_text(new)
    page.get_by_role("button", name="Save page").click()
    expect(page.locator(".page-content")).to_contain_text(new)


def conflicting_edit(page_a, page_b, watch) -> str:
    """Both open the editor; A saves first, then B's overlapping save gets the conflict with B's text kept."""
    page_a.goto("/edit/Journey_page")
    page_b.goto("/edit/Journey_page")
    theirs = page_a.locator("#id_text").input_value().replace("Line three is shared.", "Line three by Dana.")
    page_a.locator("#id_text").fill(theirs)
    page_a.get_by_role("button", name="Save page").click()
    expect(page_a.locator(".messages")).to_contain_text("Saved")

    mine = page_b.locator("#id_text").input_value().replace("Line three is shared.", "Line three by Alice.")
    page_b.locator("#id_text").fill(mine)
    watch.allow(r"status of 409")
    with page_b.expect_response(lambda r: r.request.method == "POST" and "/edit/" in r.url) as response:
        page_b.get_by_role("button", name="Save page").click()
    assert response.value.status == 409
    expect(page_b.get_by_role("heading", name="Edit conflict")).to_be_visible()
    expect(page_b.locator(".conflict-sides").first).to_contain_text("Line three by Dana.")
    expect(page_b.locator("#id_text")).to_have_value(mine)
    return mine


def check_history_and_diff(page) -> None:
    page.goto("/history/Journey_page")
    expect(page.locator("table.history tbody tr")).to_have_count(4)
    expect(page.locator("table.history")).to_contain_text("First draft")
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page).to_have_url(re.compile(r"/diff/Journey_page\?"))
    expect(page.locator("tr.diff-delete del")).to_contain_text("Dana")
    expect(page.locator("tr.diff-insert ins")).to_contain_text("Alice")


def search_from_header(page) -> None:
    page.goto("/")
    page.locator("#site-search-q").fill("pineapple")
    page.locator("#site-search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/special/search\?q=pineapple"))
    expect(page.locator(".search-results")).to_contain_text("Journey page")


def take_screenshots(page) -> None:
    page.goto("/wiki/Journey_page")
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-page.png", full_page=True)
    page.goto("/edit/Journey_page")
    expect(page.locator("#live-preview-content strong")).to_have_text("pineapple")
    page.screenshot(path=SCREENSHOT_DIR / "districtwiki-edit.png", full_page=True)


def test_member_journey(open_context, live_server, watch, mailoutbox, make_page, alice):
    make_page("Existing page", "Already here.")
    page_a = watched_page(open_context(), watch)
    sign_up(page_a, mailoutbox, "dana")
    create_page(page_a)
    check_links(page_a)
    edit_page(page_a, "planning.", "planning for next year.")

    context_b = open_context()
    sign_in(context_b, live_server.url, alice)
    page_b = watched_page(context_b, watch)
    mine = conflicting_edit(page_a, page_b, watch)
    page_b.get_by_role("button", name="Save page").click()  # resolved: B keeps their own line
    expect(page_b.locator(".page-content")).to_contain_text("Line three by Alice.")
    assert Page.objects.get(title="Journey page").latest.text == mine.replace("\r\n", "\n")

    check_history_and_diff(page_a)
    search_from_header(page_a)
    take_screenshots(page_a)
    phone = watched_page(open_context(viewport={"width": 390, "height": 844}), watch)
    phone.goto("/wiki/Journey_page")
    phone.screenshot(path=SCREENSHOT_DIR / "districtwiki-page-phone.png", full_page=True)
    assert watch.dialogs == []  # saving never asks "leave the page?"


# --- Leaving the editor, keyboard and print ------------------------------------------------------------


def test_leaving_with_unsaved_text_asks_first(editor_page, watch):
    editor_page.locator("#id_text").press_sequentially("Half-written")
    editor_page.goto("/")
    assert watch.dialogs == ["beforeunload"]


def test_leaving_untouched_editor_does_not_ask(editor_page, watch):
    editor_page.goto("/")
    assert watch.dialogs == []


def test_saving_does_not_ask(editor_page, watch):
    editor_page.locator("#id_text").press_sequentially("Finished")
    editor_page.get_by_role("button", name="Save page").click()
    expect(editor_page).to_have_url(re.compile(r"/wiki/Sandbox$"))
    assert watch.dialogs == []


def test_skip_link_appears_on_focus(editor_page):
    editor_page.goto("/")
    editor_page.keyboard.press("Tab")
    skip = editor_page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert editor_page.eval_on_selector(".skip-link", "el => el.getBoundingClientRect().top") >= 0


def test_missing_chromium_fails_instead_of_skipping(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_helpers, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(pytest.fail.Exception, match="Chromium is not installed"):
        browser_helpers.launch_chromium(playwright=None)


def test_editor_without_javascript_hides_toolbar_and_still_saves(open_context, live_server, watch, alice):
    context = open_context(java_script_enabled=False)
    sign_in(context, live_server.url, alice)
    page = watched_page(context, watch)
    page.goto("/edit/Sandbox")
    expect(page.locator(".editor-toolbar")).to_be_hidden()
    expect(page.locator("#live-preview")).to_be_hidden()
    page.locator("#id_text").fill("Written without scripts.")
    page.get_by_role("button", name="Save page").click()
    expect(page.locator(".page-content")).to_have_text("Written without scripts.")


def test_print_hides_site_navigation(editor_page, make_page):
    make_page("Printable", "Body text.")
    editor_page.goto("/wiki/Printable")
    editor_page.emulate_media(media="print")
    expect(editor_page.locator(".site-header")).to_be_hidden()
    expect(editor_page.locator(".page-tabs")).to_be_hidden()
    expect(editor_page.locator(".page-content")).to_be_visible()
