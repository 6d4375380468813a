"""The header's menus in a browser: the More and account menus open from the keyboard and close on Escape or a
click elsewhere; on a phone one Menu button reveals the navigation, with or without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from .browser import TIMEOUT_MS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def open_page(chromium, live_server):
    contexts = []

    def open_page(viewport=LAPTOP, user=None, javascript=True):
        context = chromium.new_context(
            base_url=live_server.url, viewport=viewport, java_script_enabled=javascript
        )
        contexts.append(context)
        if user is not None:
            sign_in(context, live_server.url, user)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_more_menu_opens_with_enter_and_escape_closes_it_back_to_its_button(open_page):
    page = open_page()
    page.goto("/special/all")
    more = page.locator("details.nav-more")
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(more.get_by_role("link", name="Recent changes")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(more.get_by_role("link", name="Recent changes")).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('details.nav-more > summary')")


def test_a_click_elsewhere_closes_the_account_menu(open_page, alice):
    page = open_page(user=alice)
    page.goto("/special/all")
    page.locator("details.user-menu > summary").click()
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    page.locator("main h1").click()
    expect(sign_out).to_be_hidden()


def test_opening_one_menu_closes_the_other(open_page, alice):
    page = open_page(user=alice)
    page.goto("/special/all")
    page.locator("details.nav-more > summary").click()
    page.locator("details.user-menu > summary").click()
    expect(page.locator("details.nav-more")).not_to_have_attribute("open", "")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_laptops_show_the_navigation_without_a_menu_button(open_page):
    page = open_page()
    page.goto("/special/all")
    expect(page.get_by_role("navigation", name="Site").get_by_role("link", name="Pathways")).to_be_visible()
    expect(page.locator(".menu-button")).to_be_hidden()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_phone_menu_button_reveals_the_navigation(open_page, javascript):
    page = open_page(viewport=PHONE, javascript=javascript)
    page.goto("/special/all")
    pathways = page.get_by_role("navigation", name="Site").get_by_role("link", name="Pathways")
    expect(pathways).to_be_hidden()
    expect(page.get_by_role("search").get_by_label("Search the wiki")).to_be_visible()
    page.locator(".menu-button").click()
    expect(pathways).to_be_visible()
    pathways.click()
    expect(page).to_have_url(re.compile(r"/pathways/$"))
