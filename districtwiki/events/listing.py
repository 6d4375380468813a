"""Which events a viewer sees, and when each next takes place: for /events/, the event page and the API.

A recurring event's stored start and end are its first occurrence's; its next occurrence is found by
expanding the RRULE in the event's own time zone (so 4 pm stays 4 pm across daylight saving time), skipping
cancelled dates, and looking at most a few years ahead.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.db.models import Q

from . import access
from .models import Event

LOOKAHEAD = timedelta(days=3 * 366)
MAX_STEPS = 400  # occurrences looked at for one event (cancelled dates are skipped)


@dataclass
class Occurrence:
    event: Event
    starts_at: datetime
    ends_at: datetime

    def is_live(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def visible_events(user):
    """The events this viewer may see (access.sees_event's rule)."""
    events = Event.objects.filter(access.events_seen_by(user))
    return events.distinct() if access.is_signed_in(user) and not access.is_site_moderator(user) else events


def next_occurrence(event: Event, now: datetime) -> Occurrence | None:
    """The occurrence going on now or the next one; None when the event is over."""
    if event.status != Event.Status.SCHEDULED:
        return None
    if not event.rrule:
        return Occurrence(event, event.starts_at, event.ends_at) if event.ends_at > now else None
    zone = ZoneInfo(event.time_zone)
    duration = event.ends_at - event.starts_at
    rule = rrulestr("RRULE:" + event.rrule, dtstart=event.starts_at.astimezone(zone))
    cancelled = set(event.cancelled_dates)
    moment = (now - duration).astimezone(zone)
    for _ in range(MAX_STEPS):
        start = rule.after(moment, inc=False)
        if start is None or start - now.astimezone(zone) > LOOKAHEAD:
            return None
        if start.date().isoformat() not in cancelled:
            return Occurrence(
                event, start.astimezone(ZoneInfo("UTC")), (start + duration).astimezone(ZoneInfo("UTC"))
            )
        moment = start
    return None


def upcoming(events, now: datetime, limit: int = 200) -> list[Occurrence]:
    """Live and coming occurrences, soonest first (recurring events may have started long ago)."""
    candidates = events.filter(status=Event.Status.SCHEDULED).filter(Q(ends_at__gt=now) | ~Q(rrule=""))
    found = [
        occurrence
        for event in candidates.order_by("starts_at", "id")[:limit]
        if (occurrence := next_occurrence(event, now))
    ]
    return sorted(found, key=lambda occurrence: (occurrence.starts_at, occurrence.event.pk))


def past(events, now: datetime):
    """Ended events and one-off events whose time is over, latest first."""
    over = Q(status=Event.Status.ENDED) | Q(status=Event.Status.SCHEDULED, rrule="", ends_at__lte=now)
    return events.filter(over).order_by("-starts_at", "-id")
