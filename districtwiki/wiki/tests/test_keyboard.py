"""Keyboard only: Tab, Shift+Tab and Enter (and typing into fields) reach and operate everything a reader
and an editor need, and every focus stop on the way shows where focus is (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7).
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from districtwiki.wiki.models import Page

from .browser import TIMEOUT_MS, focus_indicator, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_STOPS = 60  # more Tab presses than any page here needs to reach anything; beyond that focus is lost


@pytest.fixture
def page(chromium, live_server, alice):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    sign_in(context, live_server.url, alice)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def assert_focus_visible(page) -> str:
    focused = focus_indicator(page)
    assert focused is not None, f"focus left the page on {page.url}"
    shown = focused["outline"] > 0 or focused["boxShadow"] not in ("", "none")
    assert shown, f"focus on {focused['label']!r} ({page.url}) has no outline or box-shadow"
    return focused["label"]


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def press_until_focused(page, selector: str, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until `selector` has focus, checking that every stop shows its focus."""
    stops = []
    for _ in range(MAX_STOPS):
        page.keyboard.press(key)
        stops.append(assert_focus_visible(page))
        if focused_matches(page, selector):
            return
    pytest.fail(f"{key} never reached {selector} on {page.url}; stops: {stops}")


def skip_to_content(page) -> None:
    page.keyboard.press("Tab")
    assert focused_matches(page, "a.skip-link"), f"the first Tab stop is {focus_indicator(page)}"
    assert_focus_visible(page)
    top = page.eval_on_selector("a.skip-link", "el => el.getBoundingClientRect().top")
    assert top >= 0, f"the focused skip link is off-screen (top {top}px)"
    page.keyboard.press("Enter")
    assert focus_arrives(page, "main#content"), f"the skip link left focus on {focus_indicator(page)}"


def focus_arrives(page, selector: str) -> bool:
    """Focus moves to `selector` within a moment: following the skip link's fragment is a navigation, which
    a busy machine may finish a little after the key press returns."""
    try:
        page.wait_for_function("s => document.activeElement.matches(s)", arg=selector, timeout=3000)
    except PlaywrightTimeoutError:
        return False
    return True


def test_skip_link_is_first_stop_and_moves_focus_to_main(page):
    page.goto("/")
    skip_to_content(page)


def test_search_edit_and_save_with_keyboard_only(page, make_page):
    make_page("Keyboard practice", "Notes about pineapples.")
    page.goto("/")
    skip_to_content(page)
    press_until_focused(page, "#site-search-q", key="Shift+Tab")  # back from the content to the header
    page.keyboard.type("pineapples")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/special/search\?q=pineapples"))

    skip_to_content(page)
    press_until_focused(page, ".search-results a[href='/wiki/Keyboard_practice']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/wiki/Keyboard_practice$"))

    skip_to_content(page)
    press_until_focused(page, ".page-tabs a[href='/edit/Keyboard_practice']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_text")).to_be_visible()

    skip_to_content(page)
    press_until_focused(page, "#id_text")
    page.keyboard.type("Typed without a mouse. ")
    press_until_focused(page, "button[name='save']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/wiki/Keyboard_practice$"))
    assert Page.objects.get(title="Keyboard practice").latest.text.startswith("Typed without a mouse. Notes")
