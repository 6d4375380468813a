"""/api/v1/events and /api/v1/rooms: live events (list, read, schedule, close) and a room's messages (read
after an id, post), so that external tools and bots use the same actions as the pages.

An event's `starts_at` and `ends_at` are those of its occurrence going on now or next (a recurring event's
first occurrence may be long past), else of its only one; `url` is its room page; `transcript` is the title
of its transcript page once it has ended.
"""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from districtwiki.events import access, actions, chat, listing
from districtwiki.events.models import Event, Room

from ..auth import BearerToken, SessionCookie
from ..schemas import COMMON_ERRORS, MAX_OFFSET, Error

events_router = Router(tags=["events"])
rooms_router = Router(tags=["events"])
MEMBERS = [BearerToken(), SessionCookie()]
WRITE_ERRORS = {**COMMON_ERRORS, 403: Error, 404: Error, 409: Error}


class EventOut(Schema):
    id: int
    title: str
    url: str = Field(description="The event's page, where its room is")
    starts_at: datetime
    ends_at: datetime
    status: str = Field(description="scheduled, cancelled or ended")
    transcript: str | None = Field(description="The transcript page's title, once the event has ended")


class EventList(Schema):
    events: list[EventOut]


class EventIn(Schema):
    title: str = Field(max_length=1000)
    description: str = Field("", max_length=100_000)
    starts_at: str = Field(description="ISO 8601 with an offset, e.g. 2027-01-14T16:00:00-06:00")
    ends_at: str = Field(description="ISO 8601 with an offset")
    time_zone: str = Field("UTC", description="IANA zone a recurrence is expanded in", max_length=100)
    audience: str = Field("everyone", description="everyone, members or state")
    state: str = Field(
        "", description="Two-letter state, when the audience is one state chapter", max_length=10
    )
    category: str = Field("", max_length=1000)
    pages: list[str] = Field([], description="Titles of existing wiki pages to link", max_length=100)
    rrule: str = Field("", description="iCalendar RRULE (daily, weekly or monthly)", max_length=1000)


class Message(Schema):
    id: int
    room: str
    author: str = Field(description="The author's name as this reader may see it")
    author_url: str
    html: str = Field(description="Sanitised HTML; empty for a hidden (to non-moderators) or deleted message")
    placeholder: str = Field(description="What to show instead of a hidden or deleted message")
    created_at: datetime
    reply_to: int | None
    is_question: bool
    votes: int
    answered: bool
    answer: int | None
    edited: bool
    hidden: bool
    deleted: bool
    hidden_reason: str | None = None


class Messages(Schema):
    messages: list[Message]


class MessageIn(Schema):
    text: str = Field(max_length=100_000)
    reply_to: int | None = None
    is_question: bool = False


def event_out(event: Event, now) -> dict:
    occurrence = listing.next_occurrence(event, now)
    return {
        "id": event.pk,
        "title": event.title,
        "url": event.get_absolute_url(),
        "starts_at": occurrence.starts_at if occurrence else event.starts_at,
        "ends_at": occurrence.ends_at if occurrence else event.ends_at,
        "status": event.status,
        "transcript": event.transcript.title if event.transcript_id else None,
    }


@events_router.get("", response={200: EventList, **COMMON_ERRORS})
def list_events(request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Upcoming events this reader may see (live ones first), soonest first."""
    now = timezone.now()
    coming = listing.upcoming(listing.visible_events(request.user).select_related("transcript"), now)
    return {"events": [event_out(o.event, now) for o in coming[offset : offset + limit]]}


@events_router.get("/{int:event_id}", response={200: EventOut, **COMMON_ERRORS, 404: Error})
def get_event(request, event_id: int):
    return event_out(access.get_event(event_id, request.user), timezone.now())


@events_router.post("", response={201: EventOut, **WRITE_ERRORS}, auth=MEMBERS)
def create_event(request, payload: EventIn):
    """Schedule an event (trusted members and admins); its room opens with it."""
    access.check_can_create_event(request.auth)
    details = actions.clean_details(payload.dict(), new=True, api=True)
    event = actions.create_event(request.auth, details)
    return Status(201, event_out(event, timezone.now()))


@events_router.post("/{int:event_id}/close", response={200: EventOut, **WRITE_ERRORS}, auth=MEMBERS)
def close_event(request, event_id: int):
    """End the event and write its transcript (hosts and admins); closing it again changes nothing."""
    event = actions.end_event(access.get_event(event_id, request.auth), request.auth)
    return event_out(event, timezone.now())


def get_room(slug: str, user) -> Room:
    room = Room.objects.filter(slug=slug).first()
    if room is None:
        raise Http404(f"There is no room called “{slug[:80]}”.")
    chat.check_read(room, user)
    return room


@rooms_router.get("/{room}/messages", response={200: Messages, **COMMON_ERRORS, 403: Error, 404: Error})
def room_messages(
    request, room: str, after: int = Query(0, ge=0, le=2**62), limit: int = Query(100, ge=1, le=200)
):
    """Messages with an id above `after`, oldest first (hidden and deleted ones too, marked): ask again from
    the last id until fewer than `limit` come back."""
    found = get_room(room, request.user)
    return {"messages": chat.payloads(chat.messages_after(found, request.user, after, limit), request.user)}


@rooms_router.post(
    "/{room}/messages", response={201: Message, **WRITE_ERRORS, 413: Error, 429: Error}, auth=MEMBERS
)
def post_message(request, room: str, payload: MessageIn):
    """Post a message (members in the room's audience; a bot's token can announce)."""
    found = get_room(room, request.auth)
    message = chat.post_message(
        found, request.auth, payload.text, reply_to_id=payload.reply_to, is_question=payload.is_question
    )
    return Status(201, chat.message_payload(message, request.auth))
