"""/events/, an event's page, the event form, RSVP, cancel and end, through the plain forms."""

from datetime import timedelta

import pytest

from districtwiki.community.models import Profile
from districtwiki.events import actions, chat, forms
from districtwiki.events.models import RSVP, ChatMessage, Event

from .conftest import NOW, make_event


def test_list_sections(client, bob, frozen):
    make_event(bob, title="Live chat")
    make_event(bob, title="Next week", starts_at=NOW + timedelta(days=9))
    make_event(bob, title="Tomorrow", starts_at=NOW + timedelta(days=1))
    old = make_event(bob, title="Old one", starts_at=NOW - timedelta(days=3))
    actions.end_event(old, bob)
    html = client.get("/events/").content.decode()
    live, week, later, past = (
        html.index(heading) for heading in ("Live now", "This week", "Later", "Past events")
    )
    assert (
        live
        < html.index("Live chat")
        < week
        < html.index("Tomorrow")
        < later
        < html.index("Next week")
        < past
    )
    assert html.index("Events/2027-01-11 Old one") > past
    assert html.count('class="badge badge-success">Live now') == 1


def test_list_hides_members_events_from_anonymous(client, bob, frozen):
    make_event(bob, title="Members only", audience=Event.Audience.MEMBERS)
    assert "Members only" not in client.get("/events/").content.decode()


def test_list_filters_by_category(client, bob, frozen):
    make_event(bob, title="About E-Rate", category="E-Rate")
    make_event(bob, title="About security", category="Security")
    html = client.get("/events/?category=E-Rate").content.decode()
    assert "About E-Rate" in html and "About security" not in html


def test_list_bad_state_filter_is_400(client, db):
    response = client.get("/events/?state=ZZ")
    assert response.status_code == 400 and "not a state chapter" in response.content.decode()


def test_list_bad_page_is_400(client, db):
    response = client.get("/events/?page=abc")
    assert response.status_code == 400


def test_event_page_shows_room_hooks(client, event, alice):
    chat.post_message(event.room, alice, "Hello room")
    html = client.get(f"/events/{event.pk}").content.decode()
    message = ChatMessage.objects.get()
    assert 'id="messages"' in html and 'aria-live="polite"' in html
    assert f'id="m{message.pk}" data-id="{message.pk}"' in html
    assert "Hello room" in html


def test_event_page_names_the_zone(client, event):
    html = client.get(f"/events/{event.pk}").content.decode()
    assert "UTC" in html and "America/Chicago" in html  # the viewer's (site) zone and the host's


def test_post_message_form_redirects_to_message(alice_client, event):
    response = alice_client.post(f"/events/{event.pk}", {"text": "From the form", "is_question": "on"})
    message = ChatMessage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}#m{message.pk}"
    assert message.is_question
    assert 'id="message-form"' in alice_client.get(f"/events/{event.pk}").content.decode()


def test_post_oversize_message_form_shows_error(alice_client, event):
    response = alice_client.post(f"/events/{event.pk}", {"text": "z" * 4001})
    assert response.status_code == 413 and "at most 4,000 characters" in response.content.decode()
    assert not ChatMessage.objects.exists()


def test_post_to_locked_room_form_refused(alice_client, event, bob):
    chat.lock_room(event.room, bob)
    response = alice_client.post(f"/events/{event.pk}", {"text": "hello?"})
    assert response.status_code == 403 and "locked this room" in response.content.decode()
    assert not ChatMessage.objects.exists()


def test_anonymous_post_refused(client, event):
    response = client.post(f"/events/{event.pk}", {"text": "hi"})
    assert response.status_code == 403 and not ChatMessage.objects.exists()


def test_paging_backwards(client, event, alice, settings):
    settings.CHAT_RATE = "999/1"
    ids = [chat.post_message(event.room, alice, f"number {n}").pk for n in range(55)]
    html = client.get(f"/events/{event.pk}").content.decode()
    assert f'id="m{ids[0]}"' not in html and f'id="m{ids[-1]}"' in html
    assert f"?before={ids[5]}" in html
    older = client.get(f"/events/{event.pk}?before={ids[5]}").content.decode()
    assert f'id="m{ids[0]}"' in older and f'id="m{ids[5]}"' not in older


def test_bad_before_is_400(client, event):
    assert client.get(f"/events/{event.pk}?before=x").status_code == 400


def test_state_event_hidden_from_other_states(alice_client, bob, frozen):
    event = make_event(bob, audience=Event.Audience.STATE, state="IA")
    assert alice_client.get(f"/events/{event.pk}").status_code == 404


def test_create_event_form(bob_client, bob, frozen):
    response = bob_client.get("/events/new")
    assert response.status_code == 200 and 'name="time_zone"' in response.content.decode()
    form = {
        "title": "Cyber office hour",
        "starts_at": "2027-01-21T15:00",
        "ends_at": "2027-01-21T16:00",
        "time_zone": "America/New_York",
        "audience": "members",
        "browser_zone": "America/New_York",
    }
    response = bob_client.post("/events/new", form)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}"
    assert event.starts_at.hour == 20 and event.audience == "members"
    assert "America/New_York" in bob_client.get(f"/events/{event.pk}").content.decode()


def test_create_event_end_before_start_400(bob_client, frozen):
    form = {"title": "X", "starts_at": "2027-01-21T15:00", "ends_at": "2027-01-21T14:00", "time_zone": "UTC"}
    response = bob_client.post("/events/new", form)
    assert response.status_code == 400 and "end after it starts" in response.content.decode()
    assert not Event.objects.exists()


def test_create_event_unknown_zone_400(bob_client, frozen):
    form = {
        "title": "X",
        "starts_at": "2027-01-21T15:00",
        "ends_at": "2027-01-21T16:00",
        "time_zone": "Nowhere/Land",
    }
    response = bob_client.post("/events/new", form)
    assert response.status_code == 400 and "not a time zone we know" in response.content.decode()
    assert not Event.objects.exists()


def test_create_event_malformed_rrule_400(bob_client, frozen):
    form = {
        "title": "X",
        "starts_at": "2027-01-21T15:00",
        "ends_at": "2027-01-21T16:00",
        "time_zone": "UTC",
        "rrule": "FREQ=WEEKLY;BYDAY=NOPE",
    }
    response = bob_client.post("/events/new", form)
    assert response.status_code == 400 and "not a valid iCalendar RRULE" in response.content.decode()
    assert not Event.objects.exists()


def test_member_cannot_open_event_form(alice_client, db):
    assert alice_client.get("/events/new").status_code == 403


def test_rsvp_and_counts(alice_client, event):
    alice_client.post(f"/events/{event.pk}/rsvp", {"answer": "going"})
    assert RSVP.objects.get().answer == "going"
    assert "1 going" in alice_client.get(f"/events/{event.pk}").content.decode()


def test_end_button_writes_transcript_and_links_it(bob_client, event):
    response = bob_client.post(f"/events/{event.pk}/end")
    event.refresh_from_db()
    assert response.status_code == 302 and event.transcript
    assert event.transcript.get_absolute_url() in bob_client.get(f"/events/{event.pk}").content.decode()


@pytest.mark.parametrize("action", ["end", "cancel"])
def test_member_cannot_end_or_cancel(alice_client, event, action):
    assert alice_client.post(f"/events/{event.pk}/{action}").status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_host_sees_question_queue_and_moderation(bob_client, event, alice):
    chat.post_message(event.room, alice, "Which form?", is_question=True)
    html = bob_client.get(f"/events/{event.pk}").content.decode()
    assert "Question queue" in html and "Lock the room" in html and "Mark answered" in html


def test_member_sees_no_moderation(alice_client, event):
    assert "Lock the room" not in alice_client.get(f"/events/{event.pk}").content.decode()


@pytest.mark.parametrize("count", [5, 40])
def test_event_page_queries_do_not_grow_with_messages(
    client, event, alice, bob, settings, count, django_assert_max_num_queries
):
    settings.CHAT_RATE = "999/1"
    for number in range(count):
        chat.post_message(event.room, alice, f"see [[E-Rate]] {number}", is_question=number % 3 == 0)
    client.force_login(bob)
    with django_assert_max_num_queries(18):
        assert client.get(f"/events/{event.pk}").status_code == 200


def test_muted_member_form_post_refused(alice_client, event, alice, bob):
    chat.mute(event.room, alice, bob, 10, "Cool off")
    response = alice_client.post(f"/events/{event.pk}", {"text": "still here"})
    assert response.status_code == 403 and "muted you in this room" in response.content.decode()
    assert not ChatMessage.objects.exists()


def test_member_outside_audience_form_post_is_404(alice_client, alice, bob):
    event = make_event(bob, audience=Event.Audience.STATE, state="IA")
    response = alice_client.post(f"/events/{event.pk}", {"text": "hi"})
    assert response.status_code == 404 and not ChatMessage.objects.exists()


def test_profile_time_zone_comes_before_the_browsers(alice_client, alice, event):
    set_zone(alice, "America/Denver")
    session = alice_client.session
    session[forms.SESSION_ZONE] = "America/New_York"
    session.save()
    html = alice_client.get(f"/events/{event.pk}").content.decode()
    assert '<span class="zone-name">America/Denver</span>' in html
    assert '<span class="zone-name">America/New_York</span>' not in html


def test_browser_zone_is_used_when_the_profile_names_none(alice_client, alice, event):
    set_zone(alice, "")
    session = alice_client.session
    session[forms.SESSION_ZONE] = "America/New_York"
    session.save()
    html = alice_client.get(f"/events/{event.pk}").content.decode()
    assert '<span class="zone-name">America/New_York</span>' in html


def test_event_form_offers_the_profile_zone(bob_client, bob):
    set_zone(bob, "Pacific/Honolulu")
    html = bob_client.get("/events/new").content.decode()
    assert 'value="Pacific/Honolulu"' in html


def set_zone(user, zone: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"time_zone": zone})
