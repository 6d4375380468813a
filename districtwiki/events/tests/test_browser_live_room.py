"""Two members chat live in a room in Chromium, against a real `districtwiki serve` (the WSGI workers serve
the page, its ASGI process the WebSocket on a port of its own, as in embedded mode): messages go both ways
without a reload, Enter sends and Shift+Enter is a new line, a message is confirmed once stored, presence
names both, and a message posted through the plain form (no JavaScript) reaches the live page too."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from districtwiki.wiki.tests.browser import PageWatch, launch_chromium, watched_page
from districtwiki.wiki.tests.server import LiveServer, Storage

from .servers import room_with_members

pytestmark = pytest.mark.browser
SLUG = "help-desk"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    storage = Storage(tmp_path_factory.mktemp("data"))
    live = LiveServer(storage).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def member_page(browser, server: LiveServer, cookie: str, watch: PageWatch, javascript: bool = True):
    name, value = cookie.split("=", 1)
    context = browser.new_context(java_script_enabled=javascript, base_url=server.url)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    page = watched_page(context, watch)
    page.goto(f"/events/rooms/{SLUG}")
    return page


def live(page) -> None:
    expect(page.locator(".live-status")).to_have_text(re.compile("^Live"))


def test_two_members_chat_live_both_ways(server, browser):
    cookies = room_with_members(server, SLUG, ["alice", "dave", "carol"])
    watch = PageWatch()
    alice, dave = (member_page(browser, server, cookies[name], watch) for name in ("alice", "dave"))
    live(alice)
    live(dave)
    expect(alice.locator(".presence")).to_have_text("In the room now: alice, dave.")

    alice.get_by_label("Message").fill("Hello Dave, are you there?")
    alice.get_by_label("Message").press("Enter")
    expect(dave.locator("#messages")).to_contain_text("Hello Dave, are you there?")
    expect(alice.locator("#messages .is-pending")).to_have_count(0)  # confirmed: stored and acknowledged
    expect(alice.locator("#messages li[data-id]")).to_have_count(1)
    assert alice.get_by_label("Message").input_value() == ""

    box = dave.get_by_label("Message")
    box.fill("Yes, here.")
    box.press("Shift+Enter")
    box.type("Two lines in one message.")
    box.press("Enter")
    expect(alice.locator("#messages li[data-id]")).to_have_count(2)
    last = alice.locator("#messages li[data-id]").last
    expect(last).to_contain_text("Yes, here.")
    expect(last).to_contain_text("Two lines in one message.")
    expect(alice.locator(".chat-log")).to_have_attribute("aria-live", "polite")

    # Carol has no JavaScript: the plain form posts, and the live pages show her message without a reload.
    carol = member_page(browser, server, cookies["carol"], watch, javascript=False)
    carol.get_by_label("Message").fill("Posting the old way.")
    carol.get_by_role("button", name="Send").click()
    expect(carol.locator("#messages")).to_contain_text("Posting the old way.")
    expect(alice.locator("#messages li[data-id]").last).to_contain_text("Posting the old way.")
    expect(dave.locator("#messages li[data-id]").last).to_contain_text("Posting the old way.")
    assert watch.errors == []


def test_message_over_the_limit_is_refused_in_the_room(server, browser):
    cookies = room_with_members(server, SLUG, ["erin"])
    watch = PageWatch()
    erin = member_page(browser, server, cookies["erin"], watch)
    live(erin)
    before = erin.locator("#messages li[data-id]").count()
    erin.get_by_label("Message").evaluate("(box) => { box.removeAttribute('maxlength'); }")
    erin.get_by_label("Message").fill("x" * 4001)
    erin.get_by_label("Message").press("Enter")
    expect(erin.get_by_role("alert")).to_contain_text("A message can be at most 4,000 characters")
    expect(erin.locator("#messages .is-pending")).to_have_count(0)
    expect(erin.locator("#messages li[data-id]")).to_have_count(before)
    assert erin.get_by_label("Message").input_value() == "x" * 4001  # given back to edit
    assert watch.errors == []
