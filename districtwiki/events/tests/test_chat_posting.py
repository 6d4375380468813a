"""Posting messages: what is stored, how it is rendered, and every refusal (status, sentence, no row)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from districtwiki.events import chat
from districtwiki.events.models import ChatMessage, Event, RoomMembership
from districtwiki.notifications.models import Notification

from .conftest import make_event, set_state


def test_post_stores_message_with_rendered_html(room, alice):
    message = chat.post_message(room, alice, "Hello **everyone**")
    assert ChatMessage.objects.get().pk == message.pk
    assert message.author_name == "alice"
    assert "<strong>everyone</strong>" in message.html


def test_post_links_wiki_pages(room, alice):
    message = chat.post_message(room, alice, "See [[E-Rate]]")
    assert 'data-wikilink="E-Rate"' in message.html


def test_post_renders_headings_as_bold_lines(room, alice):
    message = chat.post_message(room, alice, "# Big\n\n# Bigger\n\n# Biggest")
    assert "<h1" not in message.html and "toc" not in message.html
    assert "<p><strong>Big</strong></p>" in message.html


def test_mention_notifies_member_who_can_read(room, alice, dave):
    message = chat.post_message(room, alice, "Thanks @dave!")
    notification = Notification.objects.get(user=dave)
    assert notification.kind == Notification.Kind.MENTION
    assert notification.url == f"/events/{room.event.pk}#m{message.pk}"
    assert 'class="mention"' in message.html


def test_mention_of_member_outside_audience_notifies_nobody(bob, alice, dave, frozen):
    iowa = make_event(bob, audience=Event.Audience.STATE, state="IA")
    set_state(alice, "IA")
    chat.post_message(iowa.room, alice, "@dave look")
    assert not Notification.objects.filter(user=dave).exists()


def test_reply_to_message_in_room(room, alice, dave):
    first = chat.post_message(room, alice, "Question?")
    reply = chat.post_message(room, dave, "Answer", reply_to_id=first.pk)
    assert reply.reply_to_id == first.pk


def test_question_flag_stored(room, alice):
    assert chat.post_message(room, alice, "How?", is_question=True).is_question


def test_message_changed_sent_on_commit_only(room, alice, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, room, message, kind, **kwargs):
        seen.append((message.pk, kind, ChatMessage.objects.filter(pk=message.pk).exists()))

    chat.message_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            message = chat.post_message(room, alice, "hi")
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == [(message.pk, "created", True)]
    finally:
        chat.message_changed.disconnect(listener)


def test_sending_again_under_one_client_id_stores_one_message(
    room, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = chat.post_message(room, alice, "Sent once", client_id="c42")
        again = chat.post_message(room, alice, "Sent once", client_id="c42")
    assert again.pk == first.pk
    assert ChatMessage.objects.filter(room=room).count() == 1
    assert len(callbacks) == 1  # announced once: no reader hears of it twice


def test_client_ids_are_each_members_own(room, alice, dave):
    mine = chat.post_message(room, alice, "Alice's", client_id="c1")
    theirs = chat.post_message(room, dave, "Dave's", client_id="c1")
    assert mine.pk != theirs.pk
    assert ChatMessage.objects.filter(room=room).count() == 2


def test_sending_again_is_not_counted_against_the_rate(room, alice, settings):
    settings.CHAT_RATE = "1/10"
    chat.post_message(room, alice, "Once", client_id="c1")
    assert chat.post_message(room, alice, "Once", client_id="c1").text == "Once"


def test_messages_without_a_client_id_are_never_merged(room, alice):
    chat.post_message(room, alice, "Same words")
    chat.post_message(room, alice, "Same words")
    assert ChatMessage.objects.filter(room=room).count() == 2


# --- Refusals -------------------------------------------------------------------------------------------


def refused(room, user, text, status, sentence, **kwargs):
    before = ChatMessage.objects.count()
    with pytest.raises(chat.ChatError) as caught:
        chat.post_message(room, user, text, **kwargs)
    assert caught.value.status == status
    assert sentence in str(caught.value)
    assert ChatMessage.objects.count() == before


def test_empty_message_refused(room, alice):
    refused(room, alice, "   \n ", 400, "the message is empty")


def test_oversize_message_refused(room, alice):
    refused(room, alice, "x" * 4001, 413, "at most 4,000 characters; this one has 4,001")


def test_message_of_exactly_the_limit_accepted(room, alice):
    assert chat.post_message(room, alice, "x" * 4000).pk


def test_nul_character_refused(room, alice):
    refused(room, alice, "a\x00b", 400, "NUL character")


def test_locked_room_refuses_post(room, alice, bob):
    chat.lock_room(room, bob)
    refused(room, alice, "hi", 403, "locked this room")


def test_ended_event_refuses_post(room, alice):
    Event.objects.filter(room=room).update(status=Event.Status.ENDED)
    room.refresh_from_db()
    refused(room, alice, "hi", 403, "This event has ended")


def test_muted_member_refused(room, alice, bob):
    chat.mute(room, alice, bob, 10, "heated")
    refused(room, alice, "hi", 403, "muted you in this room until")


def test_mute_expires(room, alice, bob, frozen):
    chat.mute(room, alice, bob, 10, "heated")
    frozen.shift(timedelta(minutes=11))
    assert chat.post_message(room, alice, "calmer now").pk


def test_slow_mode_refuses_second_message_within_window(room, alice, bob, frozen):
    chat.set_slow_mode(room, bob, 30)
    chat.post_message(room, alice, "one")
    frozen.shift(timedelta(seconds=20))
    refused(room, alice, "two", 429, "one message every 30 seconds")
    frozen.shift(timedelta(seconds=11))
    assert chat.post_message(room, alice, "two").pk


def test_slow_mode_does_not_hold_back_host(room, bob):
    chat.set_slow_mode(room, bob, 30)
    chat.post_message(room, bob, "one")
    assert chat.post_message(room, bob, "two").pk


def test_rate_limit_refuses_eleventh_message_in_ten_seconds(room, alice, frozen):
    for number in range(10):
        chat.post_message(room, alice, f"message {number}")
    refused(room, alice, "one more", 429, "You have sent 10 messages in 10 seconds")
    frozen.shift(timedelta(seconds=11))
    assert chat.post_message(room, alice, "one more").pk


def test_rate_limit_follows_setting(room, alice, settings):
    settings.CHAT_RATE = "2/60"
    chat.post_message(room, alice, "one")
    chat.post_message(room, alice, "two")
    refused(room, alice, "three", 429, "You have sent 2 messages in 60 seconds")


def test_member_outside_state_audience_refused(bob, alice, frozen):
    iowa = make_event(bob, audience=Event.Audience.STATE, state="IA")
    set_state(alice, "NE")
    refused(iowa.room, alice, "hi", 403, "for members in Iowa")


def test_anonymous_cannot_post(room):
    refused(room, AnonymousUser(), "hi", 403, "Sign in")


def test_suspended_member_cannot_post(room, alice):
    alice.is_active = False
    alice.save()
    refused(room, alice, "hi", 403, "Sign in")
    assert not chat.can_post(room, alice)


def test_unconfirmed_member_cannot_post(room, carol):
    refused(room, carol, "hi", 403, "Confirm your e-mail address")


def test_reply_to_message_of_other_room_refused(room, topic_room, alice):
    elsewhere = chat.post_message(topic_room, alice, "elsewhere")
    refused(
        room, alice, "reply", 400, f"no message number {elsewhere.pk} in this room", reply_to_id=elsewhere.pk
    )


def test_reply_to_garbage_id_refused(room, alice):
    refused(room, alice, "reply", 400, "must be a message number", reply_to_id="1; drop")


def test_state_room_needs_joining_to_post(state_room, alice):
    set_state(alice, "IA")
    refused(state_room, alice, "hi", 403, "Join this state chapter's room")
    chat.join_room(state_room, alice)
    assert chat.post_message(state_room, alice, "hi").pk


def test_join_state_room_of_other_state_refused(state_room, alice):
    set_state(alice, "NE")
    with pytest.raises(chat.ChatError) as caught:
        chat.join_room(state_room, alice)
    assert caught.value.status == 403
    assert not RoomMembership.objects.exists()
