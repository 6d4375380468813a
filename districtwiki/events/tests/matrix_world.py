"""The events objects the authorisation matrix (accounts/tests/test_security_auth.py) names: an event for
everyone hosted by hank (trusted, none of the matrix's roles), a members-only event whose room is locked, a
topic room every signed-in role has joined, and messages by alice (the member) and by mia."""

from datetime import timedelta

from django.utils import timezone

from conftest import make_user
from districtwiki.community.models import Profile
from districtwiki.events import actions, chat
from districtwiki.events.models import Event

FUTURE_EVENT = {
    "title": "Matrix event",
    "starts_at": "2099-01-20T11:00",
    "ends_at": "2099-01-20T12:00",
    "time_zone": "America/Chicago",
    "audience": "everyone",
}


def events_world(users: dict) -> dict:
    hank, mia = make_user("hank", role="trusted"), make_user("mia")
    for role in ("member", "trusted", "admin"):
        Profile.objects.update_or_create(user=users[role], defaults={"state": "IA"})
    start = timezone.now() - timedelta(minutes=5)
    event = _event(hank, start, Event.Audience.EVERYONE)
    members_event = _event(hank, start, Event.Audience.MEMBERS)
    chat.lock_room(members_event.room, hank)
    topic = actions.create_topic_room(users["admin"], "Matrix topic")
    for role in ("member", "trusted", "admin"):
        chat.join_room(topic, users[role])
    alice_message = chat.post_message(event.room, users["member"], "By alice")
    mia_message = chat.post_message(event.room, mia, "By mia")
    question = chat.post_message(event.room, mia, "A question?", is_question=True)
    hidden = chat.post_message(event.room, mia, "Hidden")
    chat.hide_message(hidden, hank, "rude")
    chat.mute(event.room, make_user("muted"), hank, 30, "loud")
    return {
        "event": event.pk,
        "event_room": event.room.slug,
        "members_event": members_event.pk,
        "locked_room": members_event.room.slug,
        "topic": topic.slug,
        "chat_message": alice_message.pk,
        "mia_message": mia_message.pk,
        "chat_question": question.pk,
        "hidden_chat": hidden.pk,
    }


def _event(host, start, audience) -> Event:
    details = actions.clean_details(FUTURE_EVENT | {"audience": audience}, new=True)
    details.starts_at, details.ends_at = start, start + timedelta(hours=1)
    return actions.create_event(host, details)
