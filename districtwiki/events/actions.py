"""Every write to events goes through these functions: scheduling, editing, cancelling, RSVPs, standing
rooms and ending an event (which writes its transcript, transcripts.py).

Each action authorises (access.check_*), validates (`clean_details`), and writes in one transaction. Errors
are EventError (status and a sentence) or PermissionDenied; views and the API turn them into responses.
Times arrive either as ISO 8601 with an offset (the API) or as a wall-clock time and the IANA zone it was
entered in (the form); both are stored in UTC, and the event keeps the zone for showing and recurring.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from districtwiki.community import rendering
from districtwiki.community.states import OUTSIDE_US, STATES
from districtwiki.community.timezones import known_zone
from districtwiki.notifications.actions import notify_users
from districtwiki.notifications.models import Notification
from districtwiki.wiki import access as wiki_access
from districtwiki.wiki.actions import WikiError, check_text, normalize_text
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from . import access, chat
from .models import RSVP, Event, Room

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_CATEGORY = 100
MAX_PAGES = 20
MAX_PEOPLE = 20
MAX_CANCELLED_DATES = 100
MAX_DURATION = timedelta(hours=12)
MAX_RRULE = 500
RESERVED_SLUGS = {"new", "my-state"}  # /events/rooms/new and /events/rooms/my-state are forms
RECURRING_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY"}
TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class EventError(WikiError):
    status = 400


class EventClosed(EventError):
    status = 409


@dataclass
class EventDetails:
    """A validated event, ready to store."""

    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    audience: str = Event.Audience.EVERYONE
    state: str = ""
    category: str = ""
    rrule: str = ""
    cancelled_dates: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    hosts: list = field(default_factory=list)
    moderators: list = field(default_factory=list)


# --- Parsing and validation -----------------------------------------------------------------------------


def parse_zone(name: str) -> ZoneInfo:
    if zone := known_zone(name):
        return zone
    raise EventError(
        f"“{(name or '').strip()[:64]}” is not a time zone we know: use a name such as America/Chicago."
    )


def parse_local_time(raw: str, zone: ZoneInfo, label: str) -> datetime:
    """A wall-clock time as the form sends it ("2027-01-14T16:00"), in `zone`, as an aware UTC moment."""
    raw = (raw or "").strip()
    if not raw:
        raise EventError(f"Give the {label} time.")
    for pattern in TIME_FORMATS:
        try:
            naive = datetime.strptime(raw[:19], pattern)  # noqa: DTZ007 (the zone is attached next)
        except ValueError:
            continue
        return naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
    raise EventError(f"The {label} time “{raw[:40]}” is not a date and time like 2027-01-14T16:00.")


def parse_iso_time(raw, label: str) -> datetime:
    """ISO 8601 with an offset, as the API takes it ("2027-01-14T16:00:00-06:00")."""
    text = str(raw or "").strip()
    try:
        moment = datetime.fromisoformat(text) if len(text) <= 40 else None
    except ValueError:
        moment = None
    if moment is None:
        raise EventError(f"“{label}” must be an ISO 8601 date and time with an offset, not “{text[:40]}”.")
    if moment.tzinfo is None:
        raise EventError(
            f"“{label}” needs an offset or Z (e.g. 2027-01-14T16:00:00-06:00), so the time is exact."
        )
    return moment.astimezone(ZoneInfo("UTC"))


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise EventError("Give the event a title: it is empty.")
    if len(title) > MAX_TITLE:
        raise EventError(f"A title can be at most {MAX_TITLE} characters; this one has {len(title)}.")
    check_text(title)
    return title


def clean_description(description: str) -> str:
    description = normalize_text(description or "")
    check_text(description)
    if len(description) > MAX_DESCRIPTION:
        raise EventError(
            f"A description can be at most {MAX_DESCRIPTION:,} characters; this one has {len(description):,}."
        )
    return description


def clean_times(starts_at: datetime, ends_at: datetime, *, new: bool) -> None:
    if ends_at <= starts_at:
        raise EventError("The event must end after it starts: the end time is before the start time.")
    if ends_at - starts_at > MAX_DURATION:
        raise EventError("An event can last at most 12 hours; for a series, use a recurrence.")
    if new and ends_at <= timezone.now():
        raise EventError("That time is in the past: the event would already be over.")


def clean_audience(audience: str, state: str) -> tuple[str, str]:
    audience = (audience or Event.Audience.EVERYONE).strip()
    if audience not in Event.Audience.values:
        raise EventError(
            f"The audience must be one of {', '.join(Event.Audience.values)}, not “{audience[:40]}”."
        )
    state = (state or "").strip().upper()
    if audience != Event.Audience.STATE:
        return audience, ""
    if state not in STATES or state == OUTSIDE_US:
        raise EventError("Choose the state chapter the event is for (a two-letter state such as IA).")
    return audience, state


def clean_category(category: str) -> str:
    category = " ".join((category or "").split())
    if not category:
        return ""
    if len(category) > MAX_CATEGORY:
        raise EventError(
            f"A category can be at most {MAX_CATEGORY} characters; this one has {len(category)}."
        )
    try:
        return normalize_title("Category:" + category).partition(":")[2]
    except InvalidTitle as error:
        raise EventError(f"The category cannot be used: {error}") from None


def clean_rrule(rule: str, starts_at: datetime, zone: ZoneInfo) -> str:
    """An iCalendar RRULE (without "RRULE:"), parsed by dateutil; daily, weekly or monthly only, so that
    expanding it stays cheap for every calendar."""
    rule = (rule or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:].strip()
    if not rule:
        return ""
    if len(rule) > MAX_RRULE or "\n" in rule:
        raise EventError(f"The recurrence rule can be at most {MAX_RRULE} characters on one line.")
    try:
        rrulestr("RRULE:" + rule, dtstart=starts_at.astimezone(zone))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise EventError(
            f"The recurrence rule “{rule[:80]}” is not a valid iCalendar RRULE: {error}."
        ) from None
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule.upper())
    if frequency is None or frequency.group(1) not in RECURRING_FREQUENCIES:
        raise EventError("An event can recur daily, weekly or monthly (FREQ=DAILY, WEEKLY or MONTHLY).")
    return rule.upper()


def clean_cancelled_dates(raw_dates, rule: str, starts_at: datetime, zone: ZoneInfo) -> list[str]:
    """ISO dates of cancelled occurrences: each must be a date the event falls on."""
    if isinstance(raw_dates, str):
        raw_dates = raw_dates.replace(",", " ").split()
    dates = sorted({str(raw).strip() for raw in raw_dates or [] if str(raw).strip()})
    if dates and not rule:
        raise EventError("Only a recurring event has occurrences to cancel; cancel the event itself instead.")
    if len(dates) > MAX_CANCELLED_DATES:
        raise EventError(f"At most {MAX_CANCELLED_DATES} occurrences can be cancelled.")
    local_start = starts_at.astimezone(zone)
    rule_set = rrulestr("RRULE:" + rule, dtstart=local_start) if rule else None
    for text in dates:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise EventError(f"“{text[:40]}” is not a date like 2027-01-21.") from None
        if rule_set is None or not _falls_on(rule_set, day, local_start):
            raise EventError(
                f"The event does not take place on {day.isoformat()}, so that date cannot be cancelled."
            )
    return dates


def _falls_on(rule_set, day: date, local_start: datetime) -> bool:
    if day < local_start.date() or day > local_start.date() + timedelta(days=5 * 366):
        return False
    begin = datetime.combine(day, datetime.min.time(), local_start.tzinfo)
    return bool(rule_set.between(begin, begin + timedelta(days=1), inc=False) or begin == local_start)


def clean_pages(titles) -> list[Page]:
    if isinstance(titles, str):
        titles = titles.splitlines()
    wanted = []
    for raw in titles or []:
        raw = str(raw).strip().removeprefix("[[").removesuffix("]]").strip()
        if not raw:
            continue
        try:
            title = normalize_title(raw)
        except InvalidTitle as error:
            raise EventError(f"“{raw[:80]}” is not a page title: {error}") from None
        if title not in wanted:
            wanted.append(title)
    if len(wanted) > MAX_PAGES:
        raise EventError(f"Link at most {MAX_PAGES} pages to an event.")
    found = {page.title: page for page in Page.objects.live().filter(title__in=wanted)}
    missing = [title for title in wanted if title not in found]
    if missing:
        raise EventError(f"There is no page called “{missing[0]}”: link only pages that exist.")
    return [found[title] for title in wanted]


def clean_people(usernames, role: str) -> list:
    if isinstance(usernames, str):
        usernames = usernames.replace(",", " ").split()
    names = list(
        dict.fromkeys(str(name).strip().lstrip("@") for name in usernames or [] if str(name).strip())
    )
    if len(names) > MAX_PEOPLE:
        raise EventError(f"An event can have at most {MAX_PEOPLE} {role}s.")
    users = []
    for name in names:
        user = get_user_model().objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            raise EventError(f"There is no member called “{name[:150]}” to add as a {role}.")
        users.append(user)
    return users


def clean_details(form: dict, *, new: bool, api: bool = False) -> EventDetails:
    """Every field of an event from a form (wall-clock times and their zone) or the API (ISO times)."""
    zone = parse_zone(form.get("time_zone") or "UTC") if api else parse_zone(form.get("time_zone", ""))
    if api:
        starts_at, ends_at = (
            parse_iso_time(form.get("starts_at"), "starts_at"),
            parse_iso_time(form.get("ends_at"), "ends_at"),
        )
    else:
        starts_at = parse_local_time(form.get("starts_at", ""), zone, "start")
        ends_at = parse_local_time(form.get("ends_at", ""), zone, "end")
    clean_times(starts_at, ends_at, new=new)
    audience, state = clean_audience(form.get("audience", ""), form.get("state", ""))
    rule = clean_rrule(form.get("rrule", ""), starts_at, zone)
    return EventDetails(
        title=clean_title(form.get("title", "")),
        description=clean_description(form.get("description", "")),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=zone.key,
        audience=audience,
        state=state,
        category=clean_category(form.get("category", "")),
        rrule=rule,
        cancelled_dates=clean_cancelled_dates(form.get("cancelled_dates", ""), rule, starts_at, zone),
        pages=clean_pages(form.get("pages", "")),
        hosts=clean_people(form.get("hosts", ""), "host"),
        moderators=clean_people(form.get("moderators", ""), "moderator"),
    )


# --- Events ---------------------------------------------------------------------------------------------


def create_event(creator, details: EventDetails) -> Event:
    """Schedule an event and open its room; the creator hosts it."""
    access.check_can_create_event(creator)
    now = timezone.now()
    with transaction.atomic():
        room = Room.objects.create(
            kind=Room.Kind.EVENT,
            slug="event-new-" + secrets.token_hex(8),
            name=details.title,
            created_by=creator,
            created_at=now,
        )
        event = Event(room=room, created_by=creator, created_at=now)
        _apply(event, details)
        event.save()
        room.slug = f"event-{event.pk}"
        room.save(update_fields=["slug"])
        _apply_relations(event, details, creator)
    return event


def update_event(event: Event, editor, details: EventDetails) -> Event:
    access.check_can_manage_event(event, editor)
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("room").get(pk=event.pk)
        _check_open(event, "changed")
        _apply(event, details)
        event.save()
        event.room.name = details.title
        event.room.save(update_fields=["name"])
        _apply_relations(event, details, None)
    return event


def _apply(event: Event, details: EventDetails) -> None:
    event.title, event.description = details.title, details.description
    event.description_html = rendering.render(details.description)
    event.starts_at, event.ends_at, event.time_zone = details.starts_at, details.ends_at, details.time_zone
    event.audience, event.state, event.category = details.audience, details.state, details.category
    event.rrule, event.cancelled_dates = details.rrule, details.cancelled_dates
    event.updated_at = timezone.now()


def _apply_relations(event: Event, details: EventDetails, creator) -> None:
    event.pages.set(details.pages)
    hosts = list(details.hosts)
    if creator is not None and creator not in hosts:
        hosts.insert(0, creator)
    if hosts:
        event.hosts.set(hosts)
    event.moderators.set(details.moderators)


def _check_open(event: Event, verb: str) -> None:
    if event.status == Event.Status.ENDED:
        raise EventClosed(f"This event has ended, so it cannot be {verb}; schedule a new one instead.")
    if event.status == Event.Status.CANCELLED:
        raise EventClosed(f"This event was cancelled, so it cannot be {verb}; schedule a new one instead.")


def cancel_event(event: Event, user) -> Event:
    """Cancel the event and tell everyone who said they would (or might) come."""
    access.check_can_manage_event(event, user)
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("room").get(pk=event.pk)
        _check_open(event, "cancelled")
        event.status, event.updated_at = Event.Status.CANCELLED, timezone.now()
        event.save(update_fields=["status", "updated_at"])
        coming = RSVP.objects.filter(event=event, answer__in=[RSVP.Answer.GOING, RSVP.Answer.MAYBE])
        recipients = coming.filter(user__is_active=True).exclude(user=user).values_list("user_id", flat=True)
        when = timezone.localtime(event.starts_at, ZoneInfo(event.time_zone)).strftime("%d %b %Y, %H:%M %Z")
        text = f"“{event.title}” ({when}) was cancelled"
        notify_users(list(recipients), Notification.Kind.EVENT, text, event.get_absolute_url(), actor=user)
        chat.log_action(event.room, "cancel", user, event.title)
        chat.announce_room(event.room, "cancelled")
    return event


def set_rsvp(event: Event, user, answer: str) -> RSVP:
    if not access.is_signed_in(user):
        raise PermissionDenied("Sign in to say whether you are coming.")
    if answer not in RSVP.Answer.values:
        raise EventError(f"Answer going, maybe or not_going, not “{str(answer)[:40]}”.")
    if not access.sees_event(user, event):
        raise EventError(access.audience_sentence(event.room))
    _check_open(event, "answered")
    rsvp, _ = RSVP.objects.update_or_create(
        event=event, user=user, defaults={"answer": answer, "updated_at": timezone.now()}
    )
    return rsvp


def rsvp_counts(event: Event) -> dict[str, int]:
    counts = dict.fromkeys(RSVP.Answer.values, 0)
    for answer in RSVP.objects.filter(event=event).values_list("answer", flat=True):
        counts[answer] += 1
    return counts


def end_event(event: Event, user=None) -> Event:
    """End the event and write its transcript page; `user` None is the scheduler (end-due). Ending an
    event that has already ended writes nothing and returns it as it is. A recurring series ends with the
    transcript of the conversation since its last session's (sessions.end_series)."""
    from . import sessions, transcripts

    if user is not None:
        access.check_can_manage_event(event, user)
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("room").get(pk=event.pk)
        if event.status == Event.Status.ENDED:
            return event
        if event.status == Event.Status.CANCELLED:
            raise EventClosed("This event was cancelled, so there is nothing to end.")
        if event.rrule:
            sessions.end_series(event, timezone.now(), user)
            return event
        page = transcripts.write_transcript(event)
        event.status, event.ended_at, event.transcript = Event.Status.ENDED, timezone.now(), page
        event.updated_at = event.ended_at
        event.save(update_fields=["status", "ended_at", "transcript", "updated_at"])
        chat.log_action(event.room, "end", user, event.title)
        chat.announce_room(event.room, "ended")
    return event


def end_due_now() -> list[Event]:
    """end_due_events with the site's grace period (DISTRICTWIKI_EVENT_GRACE_MINUTES), and the due sessions of
    recurring series: the worker's task."""
    from . import sessions

    sessions.write_due_sessions(settings.EVENT_GRACE_MINUTES)
    return end_due_events(settings.EVENT_GRACE_MINUTES)


def end_due_events(grace_minutes: int) -> list[Event]:
    """End every one-off event whose end time passed more than `grace_minutes` ago (recurring series write a
    transcript per session and end after their last: sessions.py)."""
    cutoff = timezone.now() - timedelta(minutes=grace_minutes)
    due = Event.objects.filter(status=Event.Status.SCHEDULED, ends_at__lte=cutoff, rrule="").order_by(
        "ends_at"
    )
    return [end_event(event) for event in due]


# --- Standing rooms -------------------------------------------------------------------------------------


def state_room(state: str, user) -> Room:
    """The state chapter's room, opened on first use."""
    state = (state or "").upper()
    if state not in STATES or state == OUTSIDE_US:
        raise EventError(f"“{state[:10]}” is not a state chapter.")
    room = Room.objects.filter(kind=Room.Kind.STATE, state=state).first()
    if room is not None:
        return room
    if not access.is_signed_in(user):
        raise EventError("Sign in to open your state chapter's room.")
    with transaction.atomic():
        room, _ = Room.objects.get_or_create(
            kind=Room.Kind.STATE,
            state=state,
            defaults={
                "slug": f"state-{state.lower()}",
                "name": f"{STATES[state]} chapter",
                "description": f"Members in {STATES[state]} talking between events.",
                "created_by": user,
                "created_at": timezone.now(),
            },
        )
    return room


def create_topic_room(admin, name: str, description: str = "") -> Room:
    wiki_access.check_admin(admin, "open topic rooms")
    name = " ".join((name or "").split())
    if not name:
        raise EventError("Give the room a name: it is empty.")
    if len(name) > 200:
        raise EventError(f"A room name can be at most 200 characters; this one has {len(name)}.")
    description = " ".join((description or "").split())
    if len(description) > 1000:
        raise EventError(f"A description can be at most 1,000 characters; this one has {len(description)}.")
    slug = slugify(name)[:70]
    if not slug or slug.startswith(("event-", "state-")) or slug in RESERVED_SLUGS:
        raise EventError(
            "Choose another name: one with letters or numbers, not beginning with “event” or “state”."
        )
    with transaction.atomic():
        if Room.objects.filter(slug=slug).exists():
            raise EventError(f"There is already a room at /events/rooms/{slug}: choose another name.")
        return Room.objects.create(
            kind=Room.Kind.TOPIC,
            slug=slug,
            name=name,
            description=description,
            created_by=admin,
            created_at=timezone.now(),
        )
