"""Two members chat live in a room in Chromium, against a real `districtwiki serve` (the WSGI workers serve
the page, its ASGI process the WebSocket on a port of its own, as in embedded mode): messages go both ways
without a reload, Enter sends and Shift+Enter is a new line, a message is confirmed once stored, presence
names both, and a message posted through the plain form (no JavaScript) reaches the live page too."""

import os
import re
import signal

import pytest
from playwright.sync_api import expect, sync_playwright

from districtwiki.wiki.tests import xss_vectors
from districtwiki.wiki.tests.browser import (
    PageWatch,
    axe_violations,
    describe_violations,
    launch_chromium,
    watched_page,
)
from districtwiki.wiki.tests.server import LiveServer, Storage

from .live import channel_layer_url
from .servers import Chatter, asgi_processes, room_with_members

pytestmark = pytest.mark.browser
SLUG = "help-desk"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = {"DISTRICTWIKI_CHAT_RATE": "1000/10"}
    if channel_layer_url():
        # Redis database 13, not the suite's cache database: the test process clears its cache after every
        # test, which would drop the live rooms' group places until their next heartbeat.
        settings["DISTRICTWIKI_CHANNEL_LAYER_URL"] = channel_layer_url()
    storage = Storage(tmp_path_factory.mktemp("data"), settings=settings)
    live = LiveServer(storage).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


# Every XSS payload of the corpus that could run calls top.xss(); the page counts the calls.
XSS_MARKER = "window.xssCalls = 0; window.xss = function () { window.xssCalls += 1; };"


def member_page(
    browser, server: LiveServer, cookie: str, watch: PageWatch, javascript: bool = True, slug: str = SLUG
):
    name, value = cookie.split("=", 1)
    context = browser.new_context(java_script_enabled=javascript, base_url=server.url)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    context.add_init_script(XSS_MARKER)
    page = watched_page(context, watch)
    page.goto(f"/events/rooms/{slug}")
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


def test_live_messages_carrying_the_xss_corpus_never_run(server, browser):
    cookies = room_with_members(server, "xss-room", ["mallory", "victim"])
    watch = PageWatch()
    # The corpus embeds uploads that do not exist (its [[File:…]] vectors): their images answer 404.
    watch.allow(r"^Failed to load resource: the server responded with a status of 404")
    victim = member_page(browser, server, cookies["victim"], watch, slug="xss-room")
    live(victim)
    before = victim.locator("#messages li[data-id]").count()
    mallory = Chatter(server, "xss-room", cookies["mallory"]).connect()
    payloads = [vector.payload for vector in xss_vectors.VECTORS]
    batches = xss_vectors.packed(payloads, 4000)
    for batch in batches:
        client_id = mallory.send(batch)
        assert mallory.wait_for(lambda frame, c=client_id: frame.get("client_id") == c)["type"] == "ack"
    mallory.close()
    expect(victim.locator("#messages li[data-id]")).to_have_count(before + len(batches))
    assert victim.evaluate("window.xssCalls") == 0
    assert victim.title() != "XSS"
    assert watch.dialogs == []
    assert watch.errors == []


VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})


def test_live_room_is_accessible_at_both_viewports(server, browser):
    cookies = room_with_members(server, SLUG, ["wendy", "xavier"])
    watch = PageWatch()
    wendy, xavier = (member_page(browser, server, cookies[name], watch) for name in ("wendy", "xavier"))
    live(wendy)
    live(xavier)
    xavier.get_by_label("Message").fill("A question for the room?")
    xavier.get_by_label("Post as a question").check()
    xavier.get_by_label("Message").press("Enter")
    expect(wendy.locator("#messages li[data-id]").last).to_contain_text("A question for the room?")
    expect(wendy.locator(".presence")).to_contain_text("wendy")
    for size in VIEWPORTS:
        wendy.set_viewport_size(size)
        violations = axe_violations(wendy)
        assert not violations, f"at {size['width']} px:\n{describe_violations(violations)}"
    assert watch.errors == []


def test_page_reconnects_and_catches_up_after_the_live_rooms_server_dies(server, browser):
    cookies = room_with_members(server, SLUG, ["yusuf", "zoe"])
    watch = PageWatch()
    watch.allow(r"WebSocket connection to .* failed")  # the reconnection attempts while it is down
    yusuf = member_page(browser, server, cookies["yusuf"], watch)
    live(yusuf)
    for pid in asgi_processes(server):
        os.kill(pid, signal.SIGKILL)
    expect(yusuf.locator(".live-status")).to_have_text(re.compile("^Connection lost"))
    # Zoe posts without JavaScript while Yusuf's page is disconnected.
    zoe = member_page(browser, server, cookies["zoe"], watch, javascript=False)
    zoe.get_by_label("Message").fill("Posted while you were away.")
    zoe.get_by_role("button", name="Send").click()
    expect(zoe.locator("#messages")).to_contain_text("Posted while you were away.")
    expect(yusuf.locator(".live-status")).to_have_text(re.compile("^Live"), timeout=30_000)
    expect(yusuf.locator("#messages li[data-id]").last).to_contain_text("Posted while you were away.")
    ids = yusuf.locator("#messages li[data-id]").evaluate_all("items => items.map(item => item.dataset.id)")
    assert len(ids) == len(set(ids))  # nothing shown twice
    assert watch.errors == []


def test_a_moderators_hide_and_a_members_vote_reach_the_other_pages_live(server, browser):
    cookies = room_with_members(server, "moderated", ["mona", "ned", "olga"], roles={"mona": "trusted"})
    watch = PageWatch()
    mona, ned, olga = (
        member_page(browser, server, cookies[name], watch, slug="moderated")
        for name in ("mona", "ned", "olga")
    )
    for page in (mona, ned, olga):
        live(page)
    ned.get_by_label("Message").fill("Buy cheap routers at spam.example")
    ned.get_by_label("Message").press("Enter")
    olga.get_by_label("Message").fill("Who has done a Category 2 bid?")
    olga.get_by_label("Post as a question").check()
    olga.get_by_label("Message").press("Enter")
    spam, question = (olga.locator("#messages li[data-id]").nth(index) for index in (0, 1))
    expect(question).to_contain_text("Category 2")

    # Ned upvotes through the button the live page drew (a plain form post): Olga sees the count live.
    ned.locator("#messages li[data-id]").nth(1).get_by_role("button", name="Upvote").click()
    expect(question.locator(".badge").first).to_have_text("Question · 1 vote")

    # Mona, a moderator, hides the spam through its form: the others see it hidden without a reload.
    entry = mona.locator("#messages li[data-id]").first
    entry.locator("summary").click()
    entry.get_by_label("Reason for hiding").fill("Advertising")
    entry.get_by_role("button", name=re.compile("^Hide message")).click()
    expect(spam).to_contain_text("A moderator hid this message.")
    expect(spam).not_to_contain_text("spam.example")
    expect(ned.locator("#messages li[data-id]").first).not_to_contain_text("spam.example")
    assert watch.errors == []
