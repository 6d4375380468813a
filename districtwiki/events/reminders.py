"""Reminders of events: one a day before each occurrence and one 15 minutes before, to the members who said
they are going and to the watchers of the event's linked pages who asked for them (NotificationSettings.
event_reminders), through the ordinary notifications, so they show in the site and in the e-mail digest.

A reminder is due from its lead time before the occurrence until its cut-off: the day-before one until an
hour before the start, the 15-minute one until the start. So a worker that was down for a while catches up,
and nobody is told "tomorrow" about something that begins in ten minutes. Cancelled events and cancelled
dates get none.

Never twice: the Reminder row (unique per event, occurrence and kind) is inserted in the same transaction as
the notifications. Two passes at once (two worker processes) race for that insert; the loser's insert fails
on the unique constraint (on PostgreSQL it waits for the winner's commit first) and it sends nothing. A pass
that fails after the insert rolls it back with the notifications, and the next pass tries again.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from ..notifications import actions as notifications
from ..notifications.models import Notification
from ..wiki.models import Watch
from . import access, calendars
from .models import RSVP, Event, Reminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lead:
    kind: str
    before: timedelta  # due from this long before the occurrence…
    until: timedelta  # …until this long before it


LEADS = (
    Lead(Reminder.Kind.DAY, timedelta(days=1), timedelta(hours=1)),
    Lead(Reminder.Kind.SOON, timedelta(minutes=15), timedelta(0)),
)
LOOKAHEAD = max(lead.before for lead in LEADS)


def send_due_reminders(now: datetime | None = None) -> int:
    """One pass: send every reminder due at `now`. Returns how many members were notified."""
    now = now or timezone.now()
    sent = 0
    for event in candidate_events(now):
        try:
            upcoming = calendars.occurrences(event, now, now + LOOKAHEAD)
        except calendars.InvalidRecurrence as error:
            logger.warning(
                "No reminders for event %s: its RRULE %r is unusable (%s)", event.pk, event.rrule, error
            )
            continue
        for occurrence in upcoming:
            sent += sum(remind(occurrence, lead, now) for lead in due_leads(occurrence, now))
    return sent


def candidate_events(now: datetime):
    """Scheduled events that may have an occurrence in the next day: one-off events starting in it, and
    recurring events that began before its end (their occurrences are worked out one by one)."""
    soon = Q(rrule="", starts_at__gt=now, starts_at__lte=now + LOOKAHEAD)
    recurring = ~Q(rrule="") & Q(starts_at__lte=now + LOOKAHEAD)
    return Event.objects.filter(soon | recurring, status=Event.Status.SCHEDULED).order_by("starts_at", "id")


def due_leads(occurrence: calendars.Occurrence, now: datetime) -> list[Lead]:
    if occurrence.cancelled:
        return []
    return [
        lead
        for lead in LEADS
        if occurrence.starts_at - lead.before <= now < occurrence.starts_at - lead.until
    ]


def remind(occurrence: calendars.Occurrence, lead: Lead, now: datetime) -> int:
    """Claim this reminder and notify its recipients, in one transaction; 0 when it was already sent."""
    event = occurrence.event
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the failed insert must not spoil the outer transaction
                Reminder.objects.create(
                    event=event, occurrence=occurrence.starts_at, kind=lead.kind, sent_at=now
                )
        except IntegrityError:
            return 0
        return notifications.notify_users(
            recipients(event),
            Notification.Kind.EVENT,
            reminder_text(occurrence, lead),
            event.get_absolute_url(),
        )


def recipients(event: Event) -> list[int]:
    """Active members going to the event, and watchers of its pages who opted in, within its audience."""
    going = RSVP.objects.filter(event=event, answer=RSVP.Answer.GOING).values("user_id")
    watching = Watch.objects.filter(page__events=event, user__notification_settings__event_reminders=True)
    users = get_user_model().objects.filter(Q(pk__in=going) | Q(pk__in=watching.values("user_id")))
    users = users.filter(access.members_who_see(event), is_active=True)
    return list(users.order_by("pk").values_list("pk", flat=True))


def reminder_text(occurrence: calendars.Occurrence, lead: Lead) -> str:
    """The sentence of the notification: the start in the event's own zone, with the zone named."""
    local = occurrence.starts_at.astimezone(calendars.event_zone(occurrence.event))
    when = dateformat.format(local, "l j F, g:i A T")
    if lead.kind == Reminder.Kind.SOON:
        return f"Starting in 15 minutes: “{occurrence.event.title}”, at {dateformat.format(local, 'g:i A T')}"
    return f"Reminder: “{occurrence.event.title}” starts {when}"
