"""The sessions of a recurring series (weekly office hours, say): one transcript page per session that had a
conversation, written when the session is over, and the series ended after its last session.

A session's transcript takes the room's messages since the transcript before it (so what was said between
two sessions goes with the next one) up to the session's end and the grace period after it
(DISTRICTWIKI_EVENT_GRACE_MINUTES). A session nobody spoke in leaves a record without a page. Cancelled
sessions are skipped. The worker's pass writes what is due (bounded per pass); the host's "End event" writes
the conversation since the last session's transcript and ends the series.
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import calendars, chat, transcripts
from .models import Event, SessionTranscript

# Sessions written for one series in one pass: a series that stood idle for years catches up over passes.
SESSIONS_PER_PASS = 20
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def write_due_sessions(grace_minutes: int) -> list[SessionTranscript]:
    """Every recurring series' sessions that ended more than `grace_minutes` ago and have no record yet."""
    now = timezone.now()
    series = Event.objects.filter(status=Event.Status.SCHEDULED).exclude(rrule="").order_by("pk")
    written = []
    for event in series:
        written += write_series_due(event, now, timedelta(minutes=grace_minutes))
    return written


def write_series_due(event: Event, now: datetime, grace: timedelta) -> list[SessionTranscript]:
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("room").get(pk=event.pk)
        if event.status != Event.Status.SCHEDULED:
            return []
        written = []
        for occurrence in due_occurrences(event, now, grace):
            written.append(
                write_session(event, occurrence.starts_at, occurrence.ends_at, occurrence.ends_at + grace)
            )
        if written and not next_occurrences(event, written[-1].starts_at):
            finish_series(event, now)
    return written


def due_occurrences(event: Event, now: datetime, grace: timedelta) -> list[calendars.Occurrence]:
    """Sessions over (with their grace) since the last one recorded; none from before the series existed."""
    last = event.sessions.order_by("-starts_at").first()
    after = last.starts_at if last else event.created_at - (event.ends_at - event.starts_at)
    try:
        found = calendars.occurrences(event, after, now)
    except calendars.InvalidRecurrence:
        return []
    due = [o for o in found if not o.cancelled and o.ends_at + grace <= now and o.ends_at > event.created_at]
    return due[:SESSIONS_PER_PASS]


def next_occurrences(event: Event, after: datetime) -> list[calendars.Occurrence]:
    try:
        return [o for o in calendars.occurrences(event, after, FAR_FUTURE)[:50] if not o.cancelled]
    except calendars.InvalidRecurrence:
        return []


def write_session(event: Event, starts_at: datetime, ends_at: datetime, through: datetime | None):
    """The record of one session, with its transcript page when anyone spoke since the last one."""
    last = event.sessions.order_by("-starts_at").first()
    session = transcripts.Session(starts_at, ends_at, last.last_message_id if last else 0, through)
    page = (
        transcripts.write_transcript(event, session) if transcripts.session_messages(event, session) else None
    )
    return SessionTranscript.objects.create(
        event=event,
        starts_at=starts_at,
        page=page,
        last_message_id=transcripts.last_message_id(event, session),
        written_at=timezone.now(),
    )


def end_series(event: Event, now: datetime, user=None) -> None:
    """The host ends the series: the conversation since the last recorded session is written under the
    latest session that has begun (the first, if none has), and the series ends. Call inside the event's
    lock (actions.end_event)."""
    begun = [
        o for o in calendars.occurrences(event, datetime.min.replace(tzinfo=UTC), now) if not o.cancelled
    ]
    latest = begun[-1] if begun else None
    starts_at = latest.starts_at if latest else event.starts_at
    ends_at = latest.ends_at if latest else event.ends_at
    if not event.sessions.filter(starts_at=starts_at).exists():
        write_session(event, starts_at, ends_at, None)
    finish_series(event, now, user)


def finish_series(event: Event, now: datetime, user=None) -> None:
    newest = event.sessions.exclude(page=None).order_by("-starts_at").first()
    event.status, event.ended_at = Event.Status.ENDED, now
    event.transcript = newest.page if newest else None
    event.updated_at = now
    event.save(update_fields=["status", "ended_at", "transcript", "updated_at"])
    chat.log_action(event.room, "end", user, event.title)
    chat.announce_room(event.room, "ended")
