"""Who reads which room, catching up after an id, paging backwards, and each viewer's payload."""

import pytest
from django.contrib.auth.models import AnonymousUser

from districtwiki.community.models import Profile, Visibility
from districtwiki.events import chat
from districtwiki.events.models import Event

from .conftest import make_event, set_state


def test_anonymous_reads_everyone_room_but_cannot_post(room):
    assert chat.can_read(room, AnonymousUser())
    assert not chat.can_post(room, AnonymousUser())


def test_anonymous_cannot_read_members_room(bob, frozen):
    event = make_event(bob, audience=Event.Audience.MEMBERS)
    assert not chat.can_read(event.room, AnonymousUser())


def test_state_event_room_is_for_that_state(bob, alice, dave, frozen):
    event = make_event(bob, audience=Event.Audience.STATE, state="IA")
    set_state(alice, "IA")
    set_state(dave, "NE")
    assert chat.can_read(event.room, alice) and chat.can_post(event.room, alice)
    assert not chat.can_read(event.room, dave) and not chat.can_post(event.room, dave)


def test_topic_room_is_for_members(topic_room, alice):
    assert chat.can_post(topic_room, alice)
    assert not chat.can_read(topic_room, AnonymousUser())


def test_state_room_readable_by_state_members_postable_after_joining(state_room, alice, dave):
    set_state(alice, "IA")
    assert chat.can_read(state_room, alice) and not chat.can_post(state_room, alice)
    chat.join_room(state_room, alice)
    assert chat.can_post(state_room, alice)
    assert not chat.can_read(state_room, dave)


def test_site_moderator_reads_every_room(state_room, bob):
    assert chat.can_read(state_room, bob)


def test_messages_after_returns_only_newer_in_order(room, alice):
    ids = [chat.post_message(room, alice, f"m{n}").pk for n in range(5)]
    assert [m.pk for m in chat.messages_after(room, alice, ids[1])] == ids[2:]
    assert [m.pk for m in chat.messages_after(room, alice, ids[1], limit=2)] == ids[2:4]


def test_messages_before_pages_backwards(room, alice):
    ids = [chat.post_message(room, alice, f"m{n}").pk for n in range(5)]
    assert [m.pk for m in chat.messages_before(room, alice, ids[4], limit=2)] == ids[2:4]
    assert [m.pk for m in chat.messages_before(room, alice, None, limit=3)] == ids[2:]


def test_messages_after_refuses_reader_outside_audience(bob, alice, frozen):
    event = make_event(bob, audience=Event.Audience.MEMBERS)
    with pytest.raises(chat.ChatError) as caught:
        chat.messages_after(event.room, AnonymousUser(), 0)
    assert caught.value.status == 403


def test_payload_fields(room, alice, dave):
    question = chat.post_message(room, alice, "Why **not**?", is_question=True)
    chat.upvote(question, dave)
    payload = chat.message_payload(question, dave)
    assert payload["id"] == question.pk
    assert payload["author"] == "alice"
    assert "<strong>not</strong>" in payload["html"]
    assert payload["is_question"] and payload["votes"] == 1
    assert payload["created_at"] == question.created_at.isoformat()
    assert not payload["hidden"] and not payload["deleted"] and not payload["edited"]


def test_payload_names_author_as_viewer_may_see(room, alice, dave):
    Profile.objects.create(
        user=alice, display_name="Alice Appleton", display_name_visibility=Visibility.MEMBERS
    )
    message = chat.post_message(room, alice, "hi")
    assert chat.message_payload(chat.messages_after(room, dave, 0)[0], dave)["author"] == "Alice Appleton"
    assert chat.message_payload(message, AnonymousUser())["author"] == "alice"


def test_hidden_message_payload_placeholder_for_members_text_for_moderators(room, alice, bob, dave):
    message = chat.post_message(room, alice, "secret words")
    chat.hide_message(message, bob, "rude")
    message.refresh_from_db()
    for_member = chat.message_payload(message, dave)
    assert for_member["hidden"] and for_member["html"] == "" and "hid" in for_member["placeholder"]
    assert "hidden_reason" not in for_member
    for_host = chat.message_payload(message, bob)
    assert "secret words" in for_host["html"] and for_host["hidden_reason"] == "rude"


def test_deleted_message_payload_has_no_text(room, alice, bob):
    message = chat.post_message(room, alice, "oops")
    chat.delete_message(message, alice)
    message.refresh_from_db()
    payload = chat.message_payload(message, bob)
    assert payload["deleted"] and payload["html"] == ""


def test_unread_marker_moves_forward_only(state_room, alice):
    set_state(alice, "IA")
    membership = chat.join_room(state_room, alice)
    chat.mark_read(state_room, alice, 10)
    chat.mark_read(state_room, alice, 5)
    membership.refresh_from_db()
    assert membership.last_read_id == 10


def test_moderators_see_earlier_versions_members_do_not(room, alice, bob, dave):
    message = chat.post_message(room, alice, "first words")
    chat.edit_message(message, alice, "second words")
    message.refresh_from_db()
    assert chat.message_payload(message, bob)["earlier_versions"][0]["text"] == "first words"
    assert "earlier_versions" not in chat.message_payload(message, dave)
