"""A member's private calendar feed /events/feeds/<token>.ics and its address in the notification settings:
made, shown once, replaced and turned off; only a hash kept."""

import hashlib
import re

import pytest
import time_machine

from districtwiki.community.models import Profile
from districtwiki.events import feeds
from districtwiki.events.models import RSVP, CalendarFeed, Event
from districtwiki.notifications.tokens import FEED_HINT_LENGTH

from .calendar_helpers import answer, by_uid, make_event, parse, utc

pytestmark = pytest.mark.django_db

NOW = utc(2027, 1, 10, 12)
FEED_URL = re.compile(r'id="calendar-feed-url"[^>]*value="http://testserver/events/feeds/([\w-]+)\.ics"')
NO_FEED = "There is no calendar feed at this address: it may have been turned off or replaced by a new one."


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://wiki.example.org"
    with time_machine.travel(NOW, tick=False):
        yield


def uid(event: Event) -> str:
    return f"event-{event.pk}@wiki.example.org"


def feed_uids(client, token: str) -> set[str]:
    response = client.get(f"/events/feeds/{token}.ics")
    assert response.status_code == 200
    return set(by_uid(parse(response)))


# --- The feed


def test_feed_has_the_events_the_member_is_going_to_or_might(client, alice, bob):
    going, maybe, not_going, unanswered = (make_event(title) for title in ("A", "B", "C", "D"))
    answer(alice, going, RSVP.Answer.GOING)
    answer(alice, maybe, RSVP.Answer.MAYBE)
    answer(alice, not_going, RSVP.Answer.NOT_GOING)
    answer(bob, unanswered, RSVP.Answer.GOING)
    token = feeds.regenerate_calendar_feed(alice)
    assert feed_uids(client, token) == {uid(going), uid(maybe)}


def test_feed_includes_members_only_and_own_state_events(client, alice):
    Profile.objects.create(user=alice, state="NY")
    members = make_event("Members", audience=Event.Audience.MEMBERS)
    chapter = make_event("NY chapter", audience=Event.Audience.STATE, state="NY")
    other = make_event("VT chapter", audience=Event.Audience.STATE, state="VT")
    for event in (members, chapter, other):
        answer(alice, event)
    token = feeds.regenerate_calendar_feed(alice)
    assert feed_uids(client, token) == {uid(members), uid(chapter)}


def test_feed_is_private_to_caches_and_search_engines(client, alice):
    response = client.get(f"/events/feeds/{feeds.regenerate_calendar_feed(alice)}.ics")
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Content-Disposition"] == 'attachment; filename="my-events.ics"'
    assert str(parse(response)["X-WR-CALNAME"]).endswith(": my events")


def test_feed_query_count_does_not_grow_with_events(client, alice, django_assert_max_num_queries):
    Profile.objects.create(user=alice, state="NY")
    for day in range(1, 9):
        audience = Event.Audience.STATE if day % 2 else Event.Audience.EVERYONE
        answer(alice, make_event(f"Chat {day}", utc(2027, 2, day, 18), audience=audience, state="NY"))
    token = feeds.regenerate_calendar_feed(alice)
    with django_assert_max_num_queries(5):
        assert len(feed_uids(client, token)) == 8


def test_unknown_token_is_a_404_with_a_sentence(client, alice):
    response = client.get("/events/feeds/not-a-token.ics")
    assert response.status_code == 404
    assert NO_FEED in response.content.decode()
    assert b"BEGIN:VCALENDAR" not in response.content


def test_revoked_token_is_a_404(client, alice):
    token = feeds.regenerate_calendar_feed(alice)
    feeds.revoke_calendar_feed(alice)
    response = client.get(f"/events/feeds/{token}.ics")
    assert response.status_code == 404
    assert NO_FEED in response.content.decode()


def test_a_new_token_replaces_the_old(client, alice):
    old = feeds.regenerate_calendar_feed(alice)
    new = feeds.regenerate_calendar_feed(alice)
    assert client.get(f"/events/feeds/{old}.ics").status_code == 404
    assert client.get(f"/events/feeds/{new}.ics").status_code == 200
    assert CalendarFeed.objects.filter(user=alice).count() == 1


def test_a_suspended_members_feed_is_a_404(client, alice):
    token = feeds.regenerate_calendar_feed(alice)
    alice.is_active = False
    alice.save()
    assert client.get(f"/events/feeds/{token}.ics").status_code == 404


def test_an_oversized_token_is_a_404_without_a_lookup(client, alice, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert feeds.calendar_feed_owner("x" * 10_000) is None
    assert client.get(f"/events/feeds/{'x' * 5000}.ics").status_code == 404


def test_only_a_hash_and_a_hint_of_the_token_are_kept(alice):
    token = feeds.regenerate_calendar_feed(alice)
    row = CalendarFeed.objects.get(user=alice)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.token_hint == token[:FEED_HINT_LENGTH]
    assert len(token) >= 40


# --- Its address in the notification settings


def test_settings_page_says_the_feed_is_off(alice_client):
    page = alice_client.get("/notifications/settings").content.decode()
    assert "Your calendar feed is off." in page
    assert "Turn on the calendar feed" in page


def test_turning_the_feed_on_shows_its_address_once(alice_client, alice):
    response = alice_client.post("/events/feeds/new")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/settings#calendar-feed"
    first = alice_client.get("/notifications/settings").content.decode()
    token = FEED_URL.search(first).group(1)
    assert CalendarFeed.objects.get(user=alice).token_hash == hashlib.sha256(token.encode()).hexdigest()
    again = alice_client.get("/notifications/settings").content.decode()
    assert token not in again
    assert f"…/events/feeds/{token[:FEED_HINT_LENGTH]}…" in again
    assert alice_client.get(f"/events/feeds/{token}.ics").status_code == 200


def test_making_a_new_address_says_the_old_one_stopped(alice_client, alice):
    old = feeds.regenerate_calendar_feed(alice)
    alice_client.post("/events/feeds/new")
    page = alice_client.get("/notifications/settings").content.decode()
    assert "Made a new calendar feed address. The old one no longer works." in page
    assert alice_client.get(f"/events/feeds/{old}.ics").status_code == 404


def test_turning_the_feed_off(alice_client, alice):
    token = feeds.regenerate_calendar_feed(alice)
    response = alice_client.post("/events/feeds/revoke", follow=True)
    assert "Turned off your calendar feed: its address no longer works." in response.content.decode()
    assert not CalendarFeed.objects.filter(user=alice).exists()
    assert alice_client.get(f"/events/feeds/{token}.ics").status_code == 404


def test_turning_off_a_feed_that_is_off_changes_nothing(alice_client):
    response = alice_client.post("/events/feeds/revoke", follow=True)
    assert "Your calendar feed was already off." in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_signed_out_visitor_cannot_make_a_feed(client, alice):
    response = client.post("/events/feeds/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CalendarFeed.objects.exists()


def test_making_a_feed_needs_a_post(alice_client):
    assert alice_client.get("/events/feeds/new").status_code == 405
    assert alice_client.get("/events/feeds/revoke").status_code == 405
    assert not CalendarFeed.objects.exists()


def test_a_members_feed_is_only_their_own(client, alice, bob):
    answer(alice, make_event("Alice's"))
    bobs = make_event("Bob's")
    answer(bob, bobs)
    client.force_login(bob)
    client.post("/events/feeds/new")
    token = FEED_URL.search(client.get("/notifications/settings").content.decode()).group(1)
    assert feed_uids(client, token) == {uid(bobs)}
