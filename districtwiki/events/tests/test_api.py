"""The events REST API, each response checked against the OpenAPI document the API serves."""

import json

import pytest

from districtwiki.accounts.models import APIToken
from districtwiki.api.tests.openapi import documented_json, error_detail, served_spec
from districtwiki.events import actions, chat
from districtwiki.events.models import ChatMessage, Event

from .conftest import make_event

BODY = {
    "title": "E-Rate Q&A",
    "description": "Questions welcome",
    "starts_at": "2027-01-20T11:00:00-06:00",
    "ends_at": "2027-01-20T12:00:00-06:00",
}


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.issue(user, 'test')[1]}"}


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_paths_are_documented(db):
    paths = served_spec()["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/close",
        "/api/v1/rooms/{room}/messages",
    ):
        assert path in paths


def test_create_event(client, bob):
    body = documented_json(post(client, "/api/v1/events", BODY, **bearer(bob)))
    event = Event.objects.get()
    assert body == {
        "id": event.pk,
        "title": "E-Rate Q&A",
        "url": f"/events/{event.pk}",
        "starts_at": "2027-01-20T17:00:00Z",
        "ends_at": "2027-01-20T18:00:00Z",
        "status": "scheduled",
        "transcript": None,
    }


def test_create_event_returns_201(client, bob):
    assert post(client, "/api/v1/events", BODY, **bearer(bob)).status_code == 201


def test_member_cannot_create_event(client, alice):
    assert "trusted members" in error_detail(post(client, "/api/v1/events", BODY, **bearer(alice)), 403)
    assert not Event.objects.exists()


def test_anonymous_cannot_create_event(client, db):
    error_detail(post(client, "/api/v1/events", BODY), 401)


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        ({"ends_at": "2027-01-20T10:00:00-06:00"}, "end after it starts"),
        ({"starts_at": "2027-01-20T11:00:00"}, "needs an offset"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=ZZ"}, "not a valid iCalendar RRULE"),
        ({"time_zone": "Atlantis/Capital"}, "not a time zone we know"),
        ({"pages": ["Nowhere"]}, "There is no page called"),
        ({"audience": "state", "state": ""}, "Choose the state chapter"),
    ],
)
def test_bad_event_input_is_400(client, bob, change, sentence):
    assert sentence in error_detail(post(client, "/api/v1/events", BODY | change, **bearer(bob)), 400)
    assert not Event.objects.exists()


def test_missing_title_is_400(client, bob):
    body = {key: value for key, value in BODY.items() if key != "title"}
    error_detail(post(client, "/api/v1/events", body, **bearer(bob)), 400)


def test_list_upcoming(client, bob):
    event = make_event(bob)
    body = documented_json(client.get("/api/v1/events"))
    assert [item["id"] for item in body["events"]] == [event.pk]


def test_list_leaves_out_members_events_for_anonymous(client, bob):
    make_event(bob, audience=Event.Audience.MEMBERS)
    assert documented_json(client.get("/api/v1/events"))["events"] == []


def test_get_event_and_404(client, event):
    assert documented_json(client.get(f"/api/v1/events/{event.pk}"))["id"] == event.pk
    error_detail(client.get("/api/v1/events/999999"), 404)


def test_close_writes_transcript(client, event, bob):
    body = documented_json(client.post(f"/api/v1/events/{event.pk}/close", **bearer(bob)))
    assert body["status"] == "ended" and body["transcript"] == "Events/2027-01-14 E-Rate Q&A"


def test_close_by_member_refused(client, event, alice):
    error_detail(client.post(f"/api/v1/events/{event.pk}/close", **bearer(alice)), 403)
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_messages_after(client, room, alice):
    first = chat.post_message(room, alice, "one")
    second = chat.post_message(room, alice, "two")
    body = documented_json(client.get(f"/api/v1/rooms/{room.slug}/messages?after={first.pk}"))
    assert [message["id"] for message in body["messages"]] == [second.pk]


def test_messages_of_members_room_refused_to_anonymous(client, bob):
    event = make_event(bob, audience=Event.Audience.MEMBERS)
    assert "Sign in" in error_detail(client.get(f"/api/v1/rooms/{event.room.slug}/messages"), 403)


def test_messages_unknown_room_404(client, db):
    error_detail(client.get("/api/v1/rooms/nowhere/messages"), 404)


def test_bad_after_is_400(client, room):
    error_detail(client.get(f"/api/v1/rooms/{room.slug}/messages?after=abc"), 400)


def test_post_message(client, room, alice):
    body = documented_json(
        post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "Announcement"}, **bearer(alice))
    )
    assert body["id"] == ChatMessage.objects.get().pk and "Announcement" in body["html"]


def test_post_oversize_message_413(client, room, alice):
    response = post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "x" * 4001}, **bearer(alice))
    assert "at most 4,000 characters" in error_detail(response, 413)
    assert not ChatMessage.objects.exists()


def test_post_to_locked_room_403(client, room, alice, bob):
    chat.lock_room(room, bob)
    response = post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "hi"}, **bearer(alice))
    assert "locked" in error_detail(response, 403)
    assert not ChatMessage.objects.exists()


def test_post_when_muted_403(client, room, alice, bob):
    chat.mute(room, alice, bob, 5, "calm")
    response = post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "hi"}, **bearer(alice))
    assert "muted" in error_detail(response, 403)
    assert not ChatMessage.objects.exists()


def test_post_rate_limited_429(client, room, alice, settings):
    settings.CHAT_RATE = "1/60"
    post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "one"}, **bearer(alice))
    response = post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "two"}, **bearer(alice))
    assert "wait a few seconds" in error_detail(response, 429)
    assert ChatMessage.objects.count() == 1


def test_post_anonymous_401(client, room):
    error_detail(post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "hi"}), 401)


def test_closed_event_listed_nowhere_upcoming(client, event, bob):
    actions.end_event(event, bob)
    assert documented_json(client.get("/api/v1/events"))["events"] == []


def test_session_post_without_csrf_token_refused(room, alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = post(client, f"/api/v1/rooms/{room.slug}/messages", {"text": "forged"})
    assert "CSRF" in error_detail(response, 403)
    assert not ChatMessage.objects.exists()


def test_post_outside_state_audience_403(client, bob, alice):
    from .conftest import set_state

    event = make_event(bob, audience=Event.Audience.STATE, state="IA")
    set_state(alice, "NE")
    response = post(client, f"/api/v1/rooms/{event.room.slug}/messages", {"text": "hi"}, **bearer(alice))
    assert "for members in Iowa" in error_detail(response, 403)
    assert not ChatMessage.objects.exists()
