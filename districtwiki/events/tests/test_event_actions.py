"""Scheduling, editing, cancelling and answering events: what is stored, and every bad input refused with
its status and sentence and nothing stored."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from districtwiki.events import actions
from districtwiki.events.models import RSVP, Event, Room
from districtwiki.notifications.models import Notification

pytestmark = pytest.mark.django_db

FORM = {
    "title": "E-Rate Q&A",
    "description": "Bring your **Form 471** questions.",
    "starts_at": "2027-01-20T11:00",
    "ends_at": "2027-01-20T12:00",
    "time_zone": "America/Chicago",
    "audience": "everyone",
}


def details(**changes):
    return actions.clean_details(FORM | changes, new=True)


def refused(status, sentence, **changes):
    with pytest.raises(actions.EventError) as caught:
        details(**changes)
    assert caught.value.status == status
    assert sentence in str(caught.value)


def test_create_stores_utc_and_opens_room(bob, frozen):
    event = actions.create_event(bob, details())
    assert event.starts_at == datetime(2027, 1, 20, 17, 0, tzinfo=UTC)
    assert event.time_zone == "America/Chicago"
    assert event.room.kind == Room.Kind.EVENT and event.room.slug == f"event-{event.pk}"
    assert list(event.hosts.all()) == [bob]
    assert "<strong>Form 471</strong>" in event.description_html


def test_member_cannot_create(alice, frozen):
    with pytest.raises(PermissionDenied):
        actions.create_event(alice, details())
    assert not Event.objects.exists() and not Room.objects.exists()


def test_end_before_start_refused(frozen):
    refused(400, "end after it starts", ends_at="2027-01-20T10:00")


def test_event_in_the_past_refused(frozen):
    refused(400, "in the past", starts_at="2027-01-01T10:00", ends_at="2027-01-01T11:00")


def test_unknown_time_zone_refused(frozen):
    refused(400, "not a time zone we know", time_zone="Mars/Olympus_Mons")


def test_path_like_time_zone_refused(frozen):
    refused(400, "not a time zone we know", time_zone="../../etc/passwd")


def test_malformed_rrule_refused(frozen):
    refused(400, "not a valid iCalendar RRULE", rrule="FREQ=SOMETIMES;BYDAY=XX")


def test_secondly_rrule_refused(frozen):
    refused(400, "daily, weekly or monthly", rrule="FREQ=SECONDLY")


def test_weekly_rrule_stored(bob, frozen):
    event = actions.create_event(
        bob, details(rrule="RRULE:FREQ=WEEKLY;BYDAY=WE", cancelled_dates="2027-01-27")
    )
    assert event.rrule == "FREQ=WEEKLY;BYDAY=WE" and event.cancelled_dates == ["2027-01-27"]


def test_cancelled_date_not_an_occurrence_refused(frozen):
    refused(
        400, "does not take place on 2027-01-28", rrule="FREQ=WEEKLY;BYDAY=WE", cancelled_dates="2027-01-28"
    )


def test_bad_time_refused(frozen):
    refused(400, "is not a date and time", starts_at="next tuesday")


def test_state_audience_needs_state(frozen):
    refused(400, "Choose the state chapter", audience="state", state="")


def test_unknown_audience_refused(frozen):
    refused(400, "The audience must be one of", audience="friends")


def test_linked_page_must_exist(frozen):
    refused(400, "There is no page called “Nowhere”", pages="Nowhere")


def test_linked_pages_stored(bob, make_page, frozen):
    make_page("E-Rate", "About E-Rate")
    event = actions.create_event(bob, details(pages="[[E-Rate]]"))
    assert list(event.pages.values_list("title", flat=True)) == ["E-Rate"]


def test_empty_title_refused(frozen):
    refused(400, "title: it is empty", title="  ")


def test_long_event_refused(frozen):
    refused(400, "at most 12 hours", ends_at="2027-01-21T11:00")


def test_api_times_need_offset(frozen):
    with pytest.raises(actions.EventError) as caught:
        actions.clean_details(
            FORM | {"starts_at": "2027-01-20T11:00", "ends_at": "2027-01-20T12:00"}, new=True, api=True
        )
    assert "needs an offset" in str(caught.value)


def test_edit_by_other_member_refused(bob, dave, frozen):
    event = actions.create_event(bob, details())
    with pytest.raises(PermissionDenied):
        actions.update_event(event, dave, details(title="Hijacked"))
    event.refresh_from_db()
    assert event.title == "E-Rate Q&A"


def test_host_edits_title_and_room_name(bob, frozen):
    event = actions.create_event(bob, details())
    actions.update_event(event, bob, details(title="E-Rate office hour"))
    event.refresh_from_db()
    assert event.title == event.room.name == "E-Rate office hour"


def test_cancel_notifies_going_and_maybe_only(bob, alice, dave, carol, frozen):
    event = actions.create_event(bob, details())
    actions.set_rsvp(event, alice, "going")
    actions.set_rsvp(event, dave, "maybe")
    actions.set_rsvp(event, carol, "not_going")
    actions.cancel_event(event, bob)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    told = set(
        Notification.objects.filter(kind=Notification.Kind.EVENT).values_list("user__username", flat=True)
    )
    assert told == {"alice", "dave"}


def test_cancel_by_member_refused(bob, alice, frozen):
    event = actions.create_event(bob, details())
    with pytest.raises(PermissionDenied):
        actions.cancel_event(event, alice)
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_rsvp_changes_answer(bob, alice, frozen):
    event = actions.create_event(bob, details())
    actions.set_rsvp(event, alice, "going")
    actions.set_rsvp(event, alice, "maybe")
    assert actions.rsvp_counts(event) == {"going": 0, "maybe": 1, "not_going": 0}


def test_rsvp_bad_answer_refused(bob, alice, frozen):
    event = actions.create_event(bob, details())
    with pytest.raises(actions.EventError) as caught:
        actions.set_rsvp(event, alice, "perhaps")
    assert caught.value.status == 400 and "Answer going, maybe or not_going" in str(caught.value)
    assert not RSVP.objects.exists()


def test_topic_room_admin_only(alice, ada):
    with pytest.raises(PermissionDenied):
        actions.create_topic_room(alice, "Cybersecurity")
    room = actions.create_topic_room(ada, "Cybersecurity")
    assert room.slug == "cybersecurity" and room.kind == Room.Kind.TOPIC


def test_topic_room_reserved_name_refused(ada):
    with pytest.raises(actions.EventError):
        actions.create_topic_room(ada, "New")
    assert not Room.objects.exists()


def test_state_room_opened_once(alice):
    first = actions.state_room("ia", alice)
    assert actions.state_room("IA", alice).pk == first.pk
    assert first.name == "Iowa chapter" and first.slug == "state-ia"
