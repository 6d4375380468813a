"""Calendars: the public calendar, one event's .ics, a member's private feed, the deadlines, the page that
explains how to subscribe, and making or turning off the private feed (shown in the notification settings).

Every calendar answers text/calendar with a filename; a feed whose address is a secret stays out of shared
caches and search engines.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from ...errors import error_page
from ...wiki import access
from .. import access as event_access
from .. import calendars, feeds
from ..models import Event

NEW_FEED_TOKEN_SESSION_KEY = "events:new-calendar-token"
SETTINGS_ANCHOR = "#calendar-feed"
PUBLIC_MAX_AGE = 300  # seconds a shared cache may keep the public calendars


def ics_response(body: bytes, filename: str, private: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        patch_cache_control(response, private=True, no_cache=True)
        response["X-Robots-Tag"] = "noindex"
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
def public_calendar(request):
    events = calendars.public_events(timezone.now())
    return ics_response(calendars.events_calendar(events, "events"), "events.ics")


@require_GET
def event_calendar(request, event_id: int):
    event = Event.objects.filter(pk=event_id).first()
    if event is None or not event_access.sees_event(request.user, event):
        message = "There is no event with that number that you can see."
        if not access.is_signed_in(request.user):
            message += " If it is for members, sign in first."
        return error_page(request, 404, message)
    body = calendars.events_calendar([event], event.title)
    if b"BEGIN:VEVENT" not in body:  # its stored recurrence could not be expanded (logged)
        return error_page(
            request,
            409,
            "This event's repeat rule is damaged, so it cannot go in a calendar. Its hosts can fix it.",
        )
    private = event.audience != Event.Audience.EVERYONE
    return ics_response(body, f"event-{event.pk}.ics", private=private)


@require_GET
def private_feed(request, token: str):
    user = feeds.calendar_feed_owner(token)
    if user is None:
        return error_page(
            request,
            404,
            "There is no calendar feed at this address: it may have been turned off or replaced by a new "
            "one. Its owner can make a new address in their notification settings.",
        )
    events = calendars.attending_events(user, timezone.now())
    return ics_response(calendars.events_calendar(events, "my events"), "my-events.ics", private=True)


@require_GET
def deadlines_calendar(request):
    return ics_response(calendars.deadlines_calendar(), "deadlines.ics")


@require_GET
def subscribe_page(request):
    """Where the calendars are and how to add them, for a person (the .ics addresses are for programs)."""
    context = {
        "public_url": request.build_absolute_uri(reverse("events:calendar")),
        "deadlines_url": request.build_absolute_uri(reverse("events:deadlines_calendar")),
        "feed": feeds.calendar_feed_of(request.user) if access.is_signed_in(request.user) else None,
        "limit": calendars.MAX_FEED_EVENTS,
        "past_days": calendars.PAST_DAYS,
    }
    return render(request, "events/calendar_subscribe.html", context)


# --- The private feed's address, managed from the notification settings


def settings_section(request) -> dict:
    """What the notification settings page shows of the member's calendar feed (the new address once)."""
    new_token = request.session.pop(NEW_FEED_TOKEN_SESSION_KEY, None)
    new_url = (
        request.build_absolute_uri(reverse("events:private_feed", args=[new_token])) if new_token else None
    )
    return {"feed": feeds.calendar_feed_of(request.user), "new_url": new_url}


@require_POST
@login_required
def feed_regenerate(request):
    had_feed = feeds.calendar_feed_of(request.user) is not None
    request.session[NEW_FEED_TOKEN_SESSION_KEY] = feeds.regenerate_calendar_feed(request.user)
    if had_feed:
        messages.success(request, "Made a new calendar feed address. The old one no longer works.")
    else:
        messages.success(request, "Made your calendar feed address.")
    return redirect(reverse("notifications:settings") + SETTINGS_ANCHOR)


@require_POST
@login_required
def feed_revoke(request):
    if feeds.revoke_calendar_feed(request.user):
        messages.success(request, "Turned off your calendar feed: its address no longer works.")
    else:
        messages.info(request, "Your calendar feed was already off.")
    return redirect(reverse("notifications:settings") + SETTINGS_ANCHOR)
