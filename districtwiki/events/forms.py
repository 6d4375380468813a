"""The event form's fields, and the time zone a viewer's times are entered and shown in.

A viewer's zone: their profile's time zone when the profile has one; else the browser's, which a few lines
of JavaScript (static/events/timezone.js) put in a hidden `browser_zone` field of every events form and which
is then remembered in the session; else the site's (settings.TIME_ZONE). Pages always name the zone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from districtwiki.community.timezones import US_ZONES, known_zone

from . import access
from .models import Event

SESSION_ZONE = "events_browser_zone"
# Offered in the form's list (any IANA name can be typed).
COMMON_ZONES = (*US_ZONES, "UTC")


def remember_browser_zone(request) -> None:
    zone = known_zone(request.POST.get("browser_zone", ""))
    if zone is not None and request.session.get(SESSION_ZONE) != zone.key:
        request.session[SESSION_ZONE] = zone.key


def viewer_zone(request) -> ZoneInfo:
    """The zone the viewer reads and enters event times in: their profile's, else their browser's (which
    timezone.js sends with their forms), else the site's."""
    if zone := known_zone(access.member_time_zone(request.user)):
        return zone
    if zone := known_zone(request.session.get(SESSION_ZONE, "")):
        return zone
    return ZoneInfo(settings.TIME_ZONE)


def local_input(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as a datetime-local field shows it."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def event_values(event: Event, zone: ZoneInfo) -> dict:
    """The form's values for editing `event`, with times in the viewer's zone."""
    return {
        "title": event.title,
        "description": event.description,
        "starts_at": local_input(event.starts_at, zone),
        "ends_at": local_input(event.ends_at, zone),
        "time_zone": zone.key,
        "audience": event.audience,
        "state": event.state,
        "category": event.category,
        "rrule": event.rrule,
        "cancelled_dates": " ".join(event.cancelled_dates),
        "pages": "\n".join(event.pages.order_by("title").values_list("title", flat=True)),
        "hosts": " ".join(event.hosts.order_by("username").values_list("username", flat=True)),
        "moderators": " ".join(event.moderators.order_by("username").values_list("username", flat=True)),
    }
