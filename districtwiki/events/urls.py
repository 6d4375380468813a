"""Routes of live events and chat rooms, under /events/ (DESIGN.md's URL contract)."""

from django.urls import path

from .views import events, rooms

app_name = "events"

# Each part of the feature adds its routes here: events and rooms, then calendars.
urlpatterns: list = [
    path("", events.event_list, name="list"),
    path("new", events.create_event, name="create"),
    path("<int:event_id>", events.event_page, name="event"),
    path("<int:event_id>/edit", events.edit_event, name="edit"),
    path("<int:event_id>/rsvp", events.rsvp, name="rsvp"),
    path("<int:event_id>/cancel", events.cancel, name="cancel"),
    path("<int:event_id>/end", events.end, name="end"),
    path("rooms/", rooms.room_list, name="rooms"),
    path("rooms/new", rooms.create_topic_room, name="create_room"),
    path("rooms/my-state", rooms.open_state_room, name="open_state_room"),
    path("rooms/<slug:slug>", rooms.room_page, name="room"),
    path("rooms/<slug:slug>/join", rooms.join, name="join"),
    path("rooms/<slug:slug>/leave", rooms.leave, name="leave"),
    path("rooms/<slug:slug>/lock", rooms.moderate_room, {"action": "lock"}, name="lock_room"),
    path("rooms/<slug:slug>/unlock", rooms.moderate_room, {"action": "unlock"}, name="unlock_room"),
    path("rooms/<slug:slug>/slow-mode", rooms.moderate_room, {"action": "slow-mode"}, name="slow_mode"),
    path("rooms/<slug:slug>/mute", rooms.moderate_room, {"action": "mute"}, name="mute"),
    path("rooms/<slug:slug>/unmute", rooms.moderate_room, {"action": "unmute"}, name="unmute"),
    path("messages/<int:message_id>/edit", rooms.edit_message, name="edit_message"),
    path("messages/<int:message_id>/report", rooms.report_message, name="report_message"),
    path(
        "messages/<int:message_id>/delete", rooms.act_on_message, {"action": "delete"}, name="delete_message"
    ),
    path("messages/<int:message_id>/hide", rooms.act_on_message, {"action": "hide"}, name="hide_message"),
    path(
        "messages/<int:message_id>/unhide", rooms.act_on_message, {"action": "unhide"}, name="unhide_message"
    ),
    path("messages/<int:message_id>/vote", rooms.act_on_message, {"action": "vote"}, name="vote"),
    path("messages/<int:message_id>/answered", rooms.act_on_message, {"action": "answered"}, name="answered"),
]
