"""Events made straight through the ORM for the calendar and reminder tests (the actions that create events
belong to the event pages), and an iCalendar reader."""

import itertools
from datetime import UTC, datetime, timedelta

import icalendar
from django.utils import timezone

from districtwiki.events.models import RSVP, Event, Room

CHICAGO = "America/Chicago"
_numbers = itertools.count(1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def make_event(
    title: str = "E-Rate Q&A",
    starts_at: datetime | None = None,
    duration: timedelta = timedelta(hours=1),
    host=None,
    **fields,
) -> Event:
    now = timezone.now()
    starts_at = starts_at or now + timedelta(days=3)
    room = Room.objects.create(
        kind=Room.Kind.EVENT, slug=f"event-room-{next(_numbers)}", name=title, created_at=now
    )
    fields.setdefault("time_zone", CHICAGO)
    event = Event.objects.create(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        room=room,
        created_at=now,
        updated_at=now,
        **fields,
    )
    if host is not None:
        event.hosts.add(host)
    return event


def answer(user, event: Event, reply: str = RSVP.Answer.GOING) -> RSVP:
    return RSVP.objects.create(event=event, user=user, answer=reply, updated_at=timezone.now())


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def by_uid(calendar: icalendar.Calendar) -> dict:
    return {str(component["UID"]): component for component in vevents(calendar)}
