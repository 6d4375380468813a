"""The events pages in Chromium: no WCAG 2.1 A/AA violation (axe) and no console or CSP error on the list,
an event with its conversation and a standing room, at a desktop and a phone width, with screenshots kept in
/tmp for a person to look at; and the plain form posts a message with the keyboard alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_user
from districtwiki.community.models import Profile
from districtwiki.events import actions, chat
from districtwiki.wiki.tests.browser import (
    SCREENSHOT_DIR,
    TIMEOUT_MS,
    PageWatch,
    axe_violations,
    describe_violations,
    sign_in,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})


@pytest.fixture(autouse=True)
def frozen():
    """The live server needs a clock that moves: no frozen time here."""
    yield None


def scheduled(host, title, start, **form):
    details = actions.clean_details(
        {
            "title": title,
            "starts_at": "2099-01-01T10:00",
            "ends_at": "2099-01-01T11:00",
            "time_zone": "America/Chicago",
        }
        | form,
        new=True,
    )
    details.starts_at, details.ends_at = start, start + timedelta(hours=1)
    return actions.create_event(host, details)


@pytest.fixture
def conversation(make_page):
    host = make_user("hana", role="trusted")
    Profile.objects.create(user=host, display_name="Hana Host", display_name_visibility="public")
    members = [make_user(name) for name in ("ivan", "jo", "kim")]
    make_page("E-Rate", "About E-Rate.")
    now = timezone.now()
    event = scheduled(
        host,
        "E-Rate Q&A",
        now - timedelta(minutes=20),
        description="Bring your **Form 471** questions.",
        category="E-Rate",
        pages="E-Rate",
    )
    scheduled(host, "Cybersecurity office hour", now + timedelta(days=2), rrule="FREQ=WEEKLY")
    scheduled(host, "Budget season planning", now + timedelta(days=12), audience="members")
    old = scheduled(host, "Device refresh", now - timedelta(days=3))
    actions.end_event(old, host)
    room = event.room
    question = chat.post_message(room, members[0], "How do we file **Form 471** for Wi-Fi?", is_question=True)
    chat.upvote(question, members[1])
    answer = chat.post_message(room, host, "In the EPC portal; see [[E-Rate]].", reply_to_id=question.pk)
    chat.mark_answered(question, answer, host)
    chat.post_message(room, members[1], "Thanks @ivan, we had the same question.")
    rude = chat.post_message(room, members[2], "Something off topic")
    chat.hide_message(rude, host, "Off topic")
    chat.post_message(room, members[2], "Is the deadline the same this year?", is_question=True)
    topic = actions.create_topic_room(
        make_user("root", role="admin"), "Cybersecurity", "Phishing, backups, insurance."
    )
    chat.join_room(topic, members[0])
    chat.post_message(topic, members[1], "Anyone running phishing drills with staff?")
    chat.post_message(topic, members[2], "Yes, twice a year. Happy to share our templates.")
    return event, topic, host, members[0]


def test_events_pages_are_accessible_and_screenshots_kept(chromium, live_server, conversation):
    event, topic, host, member = conversation
    context = chromium.new_context(base_url=live_server.url)
    watch = PageWatch()
    page = watched_page(context, watch)
    failures = []
    shots = [
        ("anonymous", "/events/", "list"),
        ("host", f"/events/{event.pk}", "event"),
        ("member", f"/events/rooms/{topic.slug}", "room"),
    ]
    for who, path, name in shots:
        context.clear_cookies()
        if who != "anonymous":
            sign_in(context, live_server.url, host if who == "host" else member)
        page.goto(path)
        for size in VIEWPORTS:
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOT_DIR / f"events-{name}-{size['width']}.png"), full_page=True)
            if violations := axe_violations(page):
                failures.append(f"{path} at {size['width']}px:\n{describe_violations(violations)}")
    context.close()
    assert not failures, "\n".join(failures)
    assert watch.errors == []


def test_message_posted_with_keyboard_only(chromium, live_server, conversation):
    event, _topic, _host, member = conversation
    context = chromium.new_context(base_url=live_server.url)
    sign_in(context, live_server.url, member)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"/events/{event.pk}")
    page.get_by_label("Message").focus()
    page.keyboard.type("Typed with the keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # "Post as a question"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    last = page.locator("#messages > li").last
    assert "Typed with the keyboard" in last.inner_text()
    assert "Question" in last.inner_text()
    context.close()
