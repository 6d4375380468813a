"""Fixtures for events and rooms: an event hosted by bob (trusted) with its room, standing rooms, and
members in states. Rooms and events are made directly here so that chat tests do not depend on the event
actions they are not about."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from conftest import make_user
from districtwiki.community.models import Profile
from districtwiki.events.models import Event, Room
from districtwiki.wiki.tests.server import server_storage

NOW = datetime(2027, 1, 14, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    """Time stands still at NOW unless a test moves it (frozen.shift); first of all fixtures, so that
    sessions of signed-in test clients begin at NOW too."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dave(db):
    return make_user("dave")


def set_state(user, state: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"state": state})
    user.__dict__.pop("_events_profile", None)


def make_room(kind: str, slug: str, name: str, state: str = "") -> Room:
    return Room.objects.create(kind=kind, slug=slug, name=name, state=state, created_at=NOW)


def make_event(
    host, *, title="E-Rate Q&A", audience=Event.Audience.EVERYONE, state="", starts_at=None, **fields
):
    starts_at = starts_at or NOW - timedelta(minutes=10)
    room = make_room(Room.Kind.EVENT, f"event-{Room.objects.count() + 1}", title)
    event = Event.objects.create(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        time_zone="America/Chicago",
        audience=audience,
        state=state,
        room=room,
        created_by=host,
        created_at=NOW,
        updated_at=NOW,
        **fields,
    )
    event.hosts.add(host)
    return event


@pytest.fixture
def event(bob, frozen):
    return make_event(bob)


@pytest.fixture
def room(event):
    return event.room


@pytest.fixture
def topic_room(db):
    return make_room(Room.Kind.TOPIC, "cybersecurity", "Cybersecurity")


@pytest.fixture
def state_room(db):
    return make_room(Room.Kind.STATE, "state-ia", "Iowa chapter", state="IA")


@pytest.fixture
def storage(request, tmp_path):
    """Where a real server of test_live_servers*.py keeps its data (request.param: one of
    wiki/tests/server.DATABASES), with a chat rate no test reaches."""
    with server_storage(request.param, tmp_path / "data") as made:
        made.settings["DISTRICTWIKI_CHAT_RATE"] = "1000/10"
        yield made
