"""The editor's JavaScript in Chromium against the live test server: the formatting toolbar, keyboard
shortcuts, the live preview and inline changes. Every page is watched for console errors and
Content-Security-Policy violations (see browser.PageWatch)."""

import re

import pytest
from playwright.sync_api import expect

from .browser import select_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- The editor's JavaScript ---------------------------------------------------------------------------


def test_toolbar_is_shown_with_javascript(editor_page):
    expect(editor_page.get_by_role("toolbar", name="Formatting")).to_be_visible()


TABLE = "| Heading 1 | Heading 2 |\n| --- | --- |\n| Cell | Cell |\n| Cell | Cell |\n"
TOOLBAR_CASES = [
    # button name, text, selection, expected text
    ("bold", "hello world", (6, 11), "hello **world**"),
    ("bold", "hello world", (6, 12), "hello **world**"),  # a trailing space is not
    ("bold", "hello **world**", (8, 13), "hello world"),  # bold again removes the bold
    ("italic", "", (0, 0), "_italic text_"),
    ("Heading", "Title\nbody", (2, 2), "## Title\nbody"),
    ("List with bullets", "one\ntwo", (0, 7), "- one\n- two"),
    ("List with bullets", "- one\n- two", (0, 11), "one\ntwo"),
    ("List with numbers", "one\n\ntwo", (0, 8), "1. one\n\n2. two"),
    ("[[Link]]", "see ", (4, 4), "see [[Page title]]"),
    ("[[Link]]", "see E-Rate", (4, 10), "see [[E-Rate]]"),
    ("Web link", "the site", (4, 8), "the [site](https://)"),
    ("Web link", "", (0, 0), "[text](https://)"),
    ("Table", "Intro", (5, 5), "Intro\n\n" + TABLE),
]


@pytest.mark.parametrize(("button", "text", "selection", "expected"), TOOLBAR_CASES)
def test_toolbar_button_edits_textarea(editor_page, button, text, selection, expected):
    editor_page.locator("#id_text").fill(text)
    select_text(editor_page, "#id_text", *selection)
    editor_page.get_by_role("toolbar").get_by_role("button", name=button, exact=False).first.click()
    expect(editor_page.locator("#id_text")).to_have_value(expected)


def test_wikilink_button_selects_placeholder_for_typing(editor_page):
    editor_page.get_by_role("button", name="[[Link]]").click()
    editor_page.keyboard.type("E-Rate")
    expect(editor_page.locator("#id_text")).to_have_value("[[E-Rate]]")


def test_toolbar_action_can_be_undone(editor_page):
    editor_page.locator("#id_text").fill("hello world")
    select_text(editor_page, "#id_text", 6, 11)
    editor_page.get_by_role("button", name="bold").click()
    editor_page.keyboard.press("ControlOrMeta+z")
    expect(editor_page.locator("#id_text")).to_have_value("hello world")


@pytest.mark.parametrize(("key", "expected"), [("b", "say **this**"), ("i", "say _this_")])
def test_ctrl_b_and_ctrl_i_format_selection(editor_page, key, expected):
    editor_page.locator("#id_text").fill("say this")
    select_text(editor_page, "#id_text", 4, 8)
    editor_page.keyboard.press(f"Control+{key}")
    expect(editor_page.locator("#id_text")).to_have_value(expected)


def test_ctrl_s_saves_the_page(editor_page):
    editor_page.locator("#id_text").fill("Saved with the keyboard.")
    editor_page.keyboard.press("Control+s")
    expect(editor_page).to_have_url(re.compile(r"/wiki/Sandbox$"))
    expect(editor_page.locator(".page-content")).to_have_text("Saved with the keyboard.")


def test_live_preview_renders_markdown(editor_page):
    editor_page.locator("#id_text").fill("# Heading\n\nSome *emphasis*.")
    expect(editor_page.locator("#live-preview-content h1")).to_have_text("Heading")
    expect(editor_page.locator("#live-preview-content em")).to_have_text("emphasis")


def test_live_preview_failure_shows_short_message(editor_page, watch):
    watch.allow(r"Failed to load resource")
    editor_page.route("**/special/preview", lambda route: route.abort())
    editor_page.locator("#id_text").fill("Anything")
    expect(editor_page.locator("#live-preview-content .preview-error")).to_contain_text("not available")


def test_show_changes_appears_inline(editor_page, make_page):
    make_page("Sandbox", "old line")
    editor_page.goto("/edit/Sandbox")
    editor_page.locator("#id_text").fill("new line")
    editor_page.get_by_role("button", name="Show changes").click()
    changes = editor_page.locator("#inline-changes")
    expect(changes.locator("tr.diff-insert ins")).to_have_text("new")
    expect(editor_page).to_have_url(re.compile(r"/edit/Sandbox$"))
