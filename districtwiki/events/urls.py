"""Routes of live events and chat rooms, under /events/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import calendars

app_name = "events"

# Each part of the feature adds its routes here: events and rooms, then calendars.
urlpatterns: list = [
    # --- Calendars (iCalendar feeds and the private feed's address)
    path("calendar.ics", calendars.public_calendar, name="calendar"),
    path("deadlines.ics", calendars.deadlines_calendar, name="deadlines_calendar"),
    path("<int:event_id>.ics", calendars.event_calendar, name="event_calendar"),
    path("feeds/<str:token>.ics", calendars.private_feed, name="private_feed"),
    path("feeds/new", calendars.feed_regenerate, name="calendar_feed_regenerate"),
    path("feeds/revoke", calendars.feed_revoke, name="calendar_feed_revoke"),
    path("calendars", calendars.subscribe_page, name="calendars"),
]
