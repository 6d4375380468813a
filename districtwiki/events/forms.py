"""The event form's fields, and the time zone a viewer's times are entered and shown in.

A viewer's zone: their profile's time zone when the profile has one; else the browser's, which a few lines
of JavaScript (static/events/timezone.js) put in a hidden `browser_zone` field of every events form and which
is then remembered in the session; else the site's (settings.TIME_ZONE). Pages always name the zone.
"""

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from districtwiki.community.models import Profile

from .models import Event

SESSION_ZONE = "events_browser_zone"
# Offered in the form's list (any IANA name can be typed).
COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
    "Pacific/Pago_Pago",
    "UTC",
)


def known_zone(name: str) -> ZoneInfo | None:
    name = (name or "").strip()
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@functools.cache
def profile_has_zone() -> bool:
    """Profiles may gain a time zone field; until then the browser's zone is used."""
    return any(field.name == "time_zone" for field in Profile._meta.get_fields())


def remember_browser_zone(request) -> None:
    zone = known_zone(request.POST.get("browser_zone", ""))
    if zone is not None and request.session.get(SESSION_ZONE) != zone.key:
        request.session[SESSION_ZONE] = zone.key


def viewer_zone(request) -> ZoneInfo:
    if profile_has_zone() and request.user.is_authenticated:
        profile_zone = Profile.objects.filter(user=request.user).values_list("time_zone", flat=True).first()
        if zone := known_zone(profile_zone or ""):
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
