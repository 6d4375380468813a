"""The whole story of an event in Chromium, against a real `districtwiki serve` (pages from the WSGI workers,
the live room from its ASGI process): a trusted member schedules an event in her own time zone; a member says
he is going and downloads the event for his calendar; both chat in the room live, both ways; his question is
upvoted and she marks it answered; she hides a third member's spam; she ends the event; and the transcript is
a wiki page with the conversation, the question and its answer first, and without the hidden message."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import expect, sync_playwright

from districtwiki.wiki.tests.browser import PageWatch, launch_chromium, watched_page
from districtwiki.wiki.tests.server import LiveServer, Storage

from .live import channel_layer_url
from .servers import room_with_members

pytestmark = pytest.mark.browser
HOST_ZONE = "America/Chicago"
TITLE = "E-Rate Q&A for small districts"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = {"DISTRICTWIKI_CHAT_RATE": "1000/10"}
    if channel_layer_url():
        settings["DISTRICTWIKI_CHANNEL_LAYER_URL"] = channel_layer_url()
    live = LiveServer(Storage(tmp_path_factory.mktemp("data"), settings=settings)).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def person(browser, server: LiveServer, cookie: str, watch: PageWatch, zone: str = "UTC"):
    name, value = cookie.split("=", 1)
    context = browser.new_context(base_url=server.url, timezone_id=zone, accept_downloads=True)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    return watched_page(context, watch)


def live(page) -> None:
    expect(page.locator(".live-status")).to_have_text(re.compile("^Live"))


def send(page, text: str, question: bool = False) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    if question:
        page.get_by_label("Post as a question").check()
    page.get_by_label("Message", exact=True).press("Enter")
    expect(page.locator("#messages .is-pending")).to_have_count(0)


def message(page, text: str):
    return page.locator("#messages li[data-id]", has_text=text)


def schedule(host, start: datetime) -> str:
    """Fill the form as the host: times typed in her zone (Chicago), which her browser gives the form."""
    host.goto("/events/new")
    expect(host.get_by_label("Time zone of these times")).to_have_value(HOST_ZONE)
    local = start.astimezone(ZoneInfo(HOST_ZONE))
    host.get_by_label("Title", exact=True).fill(TITLE)
    host.get_by_label("Description", exact=True).fill("Bring your **Form 471** questions.")
    host.get_by_label("Starts", exact=True).fill(local.strftime("%Y-%m-%dT%H:%M"))
    host.get_by_label("Ends", exact=True).fill((local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    host.get_by_role("button", name=re.compile("Schedule")).click()
    expect(host.locator("h1")).to_have_text(TITLE)
    return host.url


def test_an_event_from_schedule_to_transcript(server, browser, tmp_path):
    cookies = room_with_members(server, "journey-lobby", ["hana", "milo", "spam"], roles={"hana": "trusted"})
    watch = PageWatch()
    hana = person(browser, server, cookies["hana"], watch, zone=HOST_ZONE)
    # Started a few minutes ago, so that the room is open now.
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)
    event_url = schedule(hana, start)

    # Milo, in UTC, says he is going and takes the event into his calendar.
    milo = person(browser, server, cookies["milo"], watch)
    milo.goto(event_url)
    milo.get_by_role("button", name="Going", exact=True).click()
    expect(milo.locator(".rsvp-counts")).to_contain_text("1 going")
    with milo.expect_download() as download:
        milo.get_by_role("link", name=re.compile("Add to your calendar")).click()
    path = tmp_path / "event.ics"
    download.value.save_as(path)
    vevent = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == TITLE
    assert vevent.decoded("DTSTART") == start  # typed in Chicago, stored and given in UTC

    # Both in the room: messages both ways without a reload.
    hana.goto(event_url)
    milo.goto(event_url)
    live(hana)
    live(milo)
    send(milo, "Hello from Milo in a district of 600 students.")
    expect(message(hana, "Hello from Milo")).to_have_count(1)
    send(hana, "Welcome, Milo!")
    expect(message(milo, "Welcome, Milo!")).to_have_count(1)

    # Milo asks; Hana upvotes, answers and marks the question answered; Milo sees it happen.
    send(milo, "When does the Form 471 window open?", question=True)
    question = message(hana, "When does the Form 471 window open?")
    question.get_by_role("button", name=re.compile("Upvote")).click()
    expect(message(milo, "When does the Form 471 window open?")).to_contain_text("1 vote")
    send(hana, "USAC announces the window each winter; watch its news page.")
    answer_id = message(hana, "USAC announces the window").get_attribute("data-id")
    question_id = message(hana, "When does the Form 471 window open?").get_attribute("data-id")
    hana.locator(f"#answer-{question_id}").fill(answer_id)
    hana.get_by_role("button", name="Mark answered").click()
    answered = message(milo, "When does the Form 471 window open?")
    expect(answered).to_contain_text("Answered")
    # Drawn live, the badges wear the icons the server draws: the question mark and the tick.
    expect(answered.locator(".badge svg.icon use")).to_have_count(2)
    hrefs = answered.locator(".badge svg.icon use").evaluate_all(
        "uses => uses.map(u => u.getAttribute('href'))"
    )
    assert [href.split("#")[1] for href in hrefs] == ["circle-help", "check"]

    # A third member posts spam; Hana hides it and it leaves Milo's page without a reload.
    spammer = person(browser, server, cookies["spam"], watch)
    spammer.goto(event_url)
    live(spammer)
    send(spammer, "Buy cheap routers at spam.example")
    expect(message(milo, "Buy cheap routers")).to_have_count(1)
    spam = message(hana, "Buy cheap routers")
    spam_id = spam.get_attribute("data-id")
    spam.locator("summary", has_text="Hide").click()
    hana.locator(f"#hide-{spam_id}").fill("Advertising")
    hana.get_by_role("button", name=f"Hide message {spam_id}").click()
    expect(milo.locator("#messages")).not_to_contain_text("Buy cheap routers")

    # Hana ends the event; the event links to its transcript, an ordinary wiki page.
    hana.goto(event_url)
    hana.get_by_role("button", name="End event").click()
    expect(hana.locator(".flash, .messages, [role=status]").first).to_contain_text("transcript")
    hana.locator("dt", has_text="Transcript").locator("xpath=following-sibling::dd[1]//a").click()
    transcript = hana.locator("main")
    expect(hana.locator("h1")).to_contain_text(TITLE)
    expect(transcript).to_contain_text("When does the Form 471 window open?")
    expect(transcript).to_contain_text("USAC announces the window each winter")
    expect(transcript).to_contain_text("Hello from Milo in a district of 600 students.")
    expect(transcript).to_contain_text("Welcome, Milo!")
    expect(transcript).not_to_contain_text("Buy cheap routers")
    text = transcript.inner_text()
    assert text.index("When does the Form 471 window open?") < text.index(
        "Hello from Milo"
    )  # questions first
    assert watch.errors == []
