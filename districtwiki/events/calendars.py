"""Events as iCalendar (RFC 5545): the public calendar, one event's download, a member's private feed and the
knowledge base's deadlines; and the expansion of an event's recurrence, which reminders share.

Times. A one-off event is written in UTC (DTSTART/DTEND ending in Z). A recurring one is written in the time
zone it was entered in (DTSTART;TZID=America/Chicago, with that zone's VTIMEZONE), because a weekly office
hour at 4 pm must stay at 4 pm local time after a change of daylight saving time: a client expanding an
RRULE from a UTC start would move every occurrence after the change by an hour (RFC 5545 3.3.10, "the
recurrence set is generated in the time zone of DTSTART"). Its EXDATEs (the cancelled dates) are in the same
zone, as RFC 5545 requires.

Size. A feed holds at most MAX_FEED_EVENTS events: the scheduled ones still to come, the recurring ones, and
those that ended within PAST_DAYS, soonest first; each description is cut at DESCRIPTION_LIMIT characters.

A stored RRULE that cannot be expanded (written before validation, or by hand) never breaks a feed: that
event is left out, with a warning in the log naming it.
"""

import hashlib
import html
import itertools
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from dateutil import rrule as dateutil_rrule
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from ..content import deadlines as content_deadlines
from ..wiki import markup
from . import access as event_access
from .models import RSVP, Event

logger = logging.getLogger(__name__)

MAX_FEED_EVENTS = 500
PAST_DAYS = 90
DESCRIPTION_LIMIT = 4000
# How many occurrences an expansion walks through from an event's first one before it gives up: a weekly
# rule reaches 96 years, a daily one 13. Bounds the cost of a feed or a reminder pass whatever is stored.
MAX_OCCURRENCES_SCANNED = 5000
# Office hours repeat by the day, week, month or year; finer rules would make a feed or a pass unbounded.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TIME_ZONE_YEARS = 10  # a VTIMEZONE lists daylight-saving changes this many years ahead
PRODUCT_ID = "-//districtwiki//Events//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


class InvalidRecurrence(ValueError):
    """An RRULE this site does not expand; the message is a sentence for the person who wrote it."""

    status = 400


# --- Recurrence


def parse_rrule(text: str, dtstart: datetime) -> dateutil_rrule.rrule:
    """The rule `text` (an RRULE value without the "RRULE:" prefix) starting at `dtstart`, an aware local
    time. Raises InvalidRecurrence for anything but one daily, weekly, monthly or yearly rule."""
    text = text.strip()
    if not text or "\n" in text or "\r" in text or ":" in text or len(text) > 500:
        raise InvalidRecurrence("A recurrence must be one iCalendar RRULE, such as FREQ=WEEKLY;BYDAY=TH.")
    parts = dict(part.partition("=")[::2] for part in text.upper().split(";"))
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidRecurrence("A recurrence repeats daily, weekly, monthly or yearly (FREQ=WEEKLY, …).")
    if "INTERVAL" in parts and not (parts["INTERVAL"].isdigit() and 1 <= int(parts["INTERVAL"]) <= 366):
        raise InvalidRecurrence("A recurrence's INTERVAL is a whole number from 1 to 366.")
    try:
        rule = dateutil_rrule.rrulestr(text, dtstart=dtstart)
        icalendar.vRecur.from_ical(text)  # what the feeds will write must parse there too
    except (ValueError, TypeError) as error:
        raise InvalidRecurrence(f"This recurrence rule is not valid iCalendar: {error}.") from None
    if not isinstance(rule, dateutil_rrule.rrule):
        raise InvalidRecurrence("A recurrence must be one RRULE, without EXDATE or RDATE lines.")
    return rule


def event_zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def recurrence(event: Event) -> dateutil_rrule.rrule | None:
    """The event's rule in its own zone, None for a one-off event; InvalidRecurrence if it is unusable."""
    if not event.rrule:
        return None
    return parse_rrule(event.rrule, event.starts_at.astimezone(event_zone(event)))


@dataclass(frozen=True)
class Occurrence:
    event: Event
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    local_date: date  # its date in the event's zone, as cancelled_dates names it

    @property
    def cancelled(self) -> bool:
        return self.event.status == Event.Status.CANCELLED or self.local_date.isoformat() in set(
            self.event.cancelled_dates or []
        )


def local_starts(event: Event, rule) -> itertools.islice:
    """The rule's occurrences from the first, at most MAX_OCCURRENCES_SCANNED of them."""
    return itertools.islice(rule, MAX_OCCURRENCES_SCANNED) if rule is not None else iter([])


def occurrences(event: Event, after: datetime, until: datetime) -> list[Occurrence]:
    """The event's occurrences that start after `after` and no later than `until`, cancelled ones included
    (Occurrence.cancelled says which). Raises InvalidRecurrence for an unusable stored rule."""
    rule = recurrence(event)
    duration = event.ends_at - event.starts_at
    zone = event_zone(event)
    starts = [event.starts_at.astimezone(zone)] if rule is None else local_starts(event, rule)
    found = []
    for local in starts:
        start = local.astimezone(UTC)
        if start > until:
            break
        if start > after:
            found.append(Occurrence(event, start, start + duration, local.date()))
    return found


def cancelled_starts(event: Event, rule) -> list[datetime]:
    """The local start of each occurrence on a cancelled date (the EXDATEs); dates with none are ignored."""
    dates = {day for day in (parse_date(value) for value in event.cancelled_dates or []) if day}
    if not dates:
        return []
    return [local for local in local_starts(event, rule) if local.date() in dates]


def parse_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


# --- Which events a feed carries (who sees each one: events.access.sees_event)


def in_feeds(now: datetime) -> Q:
    """Events a feed carries: every recurring one, and one-off events that end after PAST_DAYS ago."""
    return ~Q(rrule="") | Q(ends_at__gte=now - timedelta(days=PAST_DAYS))


def public_events(now: datetime):
    events = Event.objects.filter(in_feeds(now), audience=Event.Audience.EVERYONE)
    return events.order_by("starts_at", "id")[:MAX_FEED_EVENTS]


def attending_events(user, now: datetime) -> list[Event]:
    """The events `user` said they would attend (going or maybe) and may still see."""
    answers = (RSVP.Answer.GOING, RSVP.Answer.MAYBE)
    events = Event.objects.filter(in_feeds(now), rsvps__user=user, rsvps__answer__in=answers)
    events = events.prefetch_related("hosts", "moderators").order_by("starts_at", "id")[:MAX_FEED_EVENTS]
    state = event_access.member_state(user)
    return [event for event in events if event_access.sees_event(user, event, state)]


# --- Writing iCalendar


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def new_calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.SITE_NAME}: {name}")
    return calendar


def plain_description(event: Event, url: str) -> str:
    """The description as plain text (the sanitised HTML without its tags), cut to size, then the link."""
    text = html.unescape(strip_tags(event.description_html)) if event.description_html else event.description
    text = re.sub(r"\n{3,}", "\n\n", text.strip())
    if len(text) > DESCRIPTION_LIMIT:
        text = text[: DESCRIPTION_LIMIT - 1].rstrip() + "…"
    return f"{text}\n\n{url}" if text else url


def event_component(event: Event, host: str) -> icalendar.Event | None:
    """The event's VEVENT, or None (logged) when its stored recurrence cannot be expanded."""
    try:
        rule = recurrence(event)
    except InvalidRecurrence as error:
        logger.warning(
            "Event %s left out of a calendar: its RRULE %r is unusable (%s)", event.pk, event.rrule, error
        )
        return None
    url = absolute(event.get_absolute_url())
    component = icalendar.Event()
    component.add("uid", f"event-{event.pk}@{host}")
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    add_times(component, event, rule)
    component.add("summary", event.title)
    component.add("description", plain_description(event, url))
    component.add("url", url)
    if event.category:
        component.add("categories", [event.category])
    cancelled = event.status == Event.Status.CANCELLED
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return component


def add_times(component: icalendar.Event, event: Event, rule) -> None:
    if rule is None:
        component.add("dtstart", event.starts_at.astimezone(UTC))
        component.add("dtend", event.ends_at.astimezone(UTC))
        return
    zone = event_zone(event)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("rrule", icalendar.vRecur.from_ical(event.rrule.strip()))
    exdates = cancelled_starts(event, rule)
    if exdates:
        component.add("exdate", exdates)


def events_calendar(events, name: str) -> bytes:
    """A VCALENDAR of `events`, with a VTIMEZONE for each zone a recurring one is written in."""
    calendar, host = new_calendar(name), site_host()
    for event in events:
        component = event_component(event, host)
        if component is not None:
            calendar.add_component(component)
    add_time_zones(calendar)
    return calendar.to_ical()


def add_time_zones(calendar: icalendar.Calendar) -> None:
    """A VTIMEZONE for every TZID used, with its transitions from the first start to TIME_ZONE_YEARS on."""
    starts = [component.decoded("dtstart") for component in calendar.walk("VEVENT")]
    zoned = [start for start in starts if isinstance(start, datetime) and start.tzinfo is not UTC]
    if zoned:
        first = min(zoned).date()
        last = max(first, timezone.now().date()) + timedelta(days=365 * TIME_ZONE_YEARS)
        calendar.add_missing_timezones(first_date=first, last_date=last)


def deadline_component(deadline: content_deadlines.Deadline, host: str, stamp: datetime) -> icalendar.Event:
    """An all-day VEVENT: a deadline is a date, in whatever zone the reader is."""
    fingerprint = hashlib.sha256(deadline.title.encode()).hexdigest()[:12]
    url = absolute(markup.page_url(deadline.page))
    component = icalendar.Event()
    component.add("uid", f"deadline-{deadline.date.isoformat()}-{fingerprint}@{host}")
    component.add("dtstamp", stamp)
    component.add("dtstart", deadline.date)
    component.add("dtend", deadline.date + timedelta(days=1))
    component.add("summary", deadline.title)
    component.add("description", f"Explained in “{deadline.page}”: {url}\nSource: {deadline.source}")
    component.add("url", url)
    component.add("transp", "TRANSPARENT")
    component.add("status", "CONFIRMED")
    return component


def deadlines_calendar() -> bytes:
    calendar, host = new_calendar("deadlines"), site_host()
    stamp = deadlines_stamp()
    for deadline in content_deadlines.all_deadlines()[:MAX_FEED_EVENTS]:
        calendar.add_component(deadline_component(deadline, host, stamp))
    return calendar.to_ical()


def deadlines_stamp() -> datetime:
    """When the shipped deadlines last changed: the DTSTAMP of their events (RFC 5545 3.8.7.2)."""
    return datetime.fromtimestamp(content_deadlines.DEADLINES_FILE.stat().st_mtime, UTC).replace(
        microsecond=0
    )
