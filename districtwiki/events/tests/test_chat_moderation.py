"""Editing and deleting one's messages, questions and votes, and the moderators' actions, each logged."""

from datetime import timedelta

import pytest

from districtwiki.discussions.models import Report
from districtwiki.events import chat
from districtwiki.events.models import ChatMessage, ChatMessageRevision, QuestionVote, RoomLog, RoomMute


@pytest.fixture
def message(room, alice):
    return chat.post_message(room, alice, "First version")


def refused(action, status, sentence):
    with pytest.raises(chat.ChatError) as caught:
        action()
    assert caught.value.status == status
    assert sentence in str(caught.value)


def test_author_edits_within_window_and_revision_kept(message, alice, frozen):
    frozen.shift(timedelta(minutes=14))
    chat.edit_message(message, alice, "Second version")
    message.refresh_from_db()
    assert message.text == "Second version" and message.edited_at
    assert list(ChatMessageRevision.objects.values_list("text", flat=True)) == ["First version"]


def test_edit_after_fifteen_minutes_refused(message, alice, frozen):
    frozen.shift(timedelta(minutes=16))
    refused(lambda: chat.edit_message(message, alice, "late"), 403, "for 15 minutes")
    message.refresh_from_db()
    assert message.text == "First version" and not ChatMessageRevision.objects.exists()


def test_other_member_cannot_edit(message, dave):
    refused(lambda: chat.edit_message(message, dave, "mine now"), 403, "only edit your own")


def test_edit_oversize_refused(message, alice):
    refused(lambda: chat.edit_message(message, alice, "y" * 4001), 413, "at most 4,000")
    assert not ChatMessageRevision.objects.exists()


def test_author_deletes_within_window(message, alice):
    chat.delete_message(message, alice)
    message.refresh_from_db()
    assert message.deleted_at and message.text == "" and message.html == ""


def test_delete_after_window_refused(message, alice, frozen):
    frozen.shift(timedelta(minutes=16))
    refused(lambda: chat.delete_message(message, alice), 403, "for 15 minutes")
    message.refresh_from_db()
    assert message.deleted_at is None


def test_host_hides_with_reason_and_it_is_logged(message, bob):
    chat.hide_message(message, bob, "off topic")
    message.refresh_from_db()
    assert message.hidden_at and message.hidden_reason == "off topic" and message.hidden_by == bob
    log = RoomLog.objects.get()
    assert (log.action, log.actor, log.reason) == ("hide", bob, "off topic")


def test_hide_needs_reason(message, bob):
    refused(lambda: chat.hide_message(message, bob, "  "), 400, "Give a reason")
    message.refresh_from_db()
    assert message.hidden_at is None and not RoomLog.objects.exists()


def test_member_cannot_hide(message, dave):
    refused(lambda: chat.hide_message(message, dave, "nope"), 403, "hosts and the room's moderators")


def test_event_moderator_can_hide(message, room, dave):
    room.event.moderators.add(dave)
    chat.hide_message(message, dave, "spam")
    assert RoomLog.objects.filter(action="hide").exists()


def test_unhide(message, bob):
    chat.hide_message(message, bob, "off topic")
    chat.unhide_message(message, bob)
    message.refresh_from_db()
    assert message.hidden_at is None
    assert list(RoomLog.objects.order_by("id").values_list("action", flat=True)) == ["hide", "unhide"]


def test_mute_logged_with_minutes(room, alice, bob):
    chat.mute(room, alice, bob, 15, "heated")
    mute = RoomMute.objects.get()
    assert mute.until - mute.created_at == timedelta(minutes=15)
    assert RoomLog.objects.get().target == "alice for 15 minutes"


@pytest.mark.parametrize("minutes", ["0", "-5", "abc", "100000"])
def test_mute_with_bad_minutes_refused(room, alice, bob, minutes):
    refused(lambda: chat.mute(room, alice, bob, minutes, "heated"), 400, "Minutes must be a whole number")
    assert not RoomMute.objects.exists()


def test_host_cannot_be_muted(room, alice, bob, ada):
    refused(lambda: chat.mute(room, bob, ada, 5, "no"), 400, "cannot be muted")


def test_unmute_lets_member_post(room, alice, bob):
    chat.mute(room, alice, bob, 15, "heated")
    chat.unmute(room, alice, bob)
    assert chat.post_message(room, alice, "back").pk


@pytest.mark.parametrize("seconds", ["-1", "3601", "fast"])
def test_slow_mode_bad_seconds_refused(room, bob, seconds):
    refused(lambda: chat.set_slow_mode(room, bob, seconds), 400, "Seconds must be a whole number")
    room.refresh_from_db()
    assert room.slow_mode_seconds == 0


def test_lock_and_unlock_logged(room, bob):
    chat.lock_room(room, bob, "break")
    room.refresh_from_db()
    assert room.is_locked
    chat.unlock_room(room, bob)
    room.refresh_from_db()
    assert not room.is_locked
    assert list(RoomLog.objects.order_by("id").values_list("action", flat=True)) == ["lock", "unlock"]


def test_member_cannot_lock(room, alice):
    refused(lambda: chat.lock_room(room, alice), 403, "hosts")
    room.refresh_from_db()
    assert not room.is_locked


def test_report_goes_into_moderation_queue(message, dave):
    chat.report_message(message, dave, "rude")
    report = Report.objects.get()
    assert report.kind == Report.Kind.USER and report.target_user == message.author
    assert f"#m{message.pk}" in report.reason and report.reason.endswith("rude")
    assert RoomLog.objects.get().action == "report"


def test_report_own_message_refused(message, alice):
    refused(lambda: chat.report_message(message, alice, "me"), 400, "your own message")
    assert not Report.objects.exists()


def test_report_needs_reason(message, dave):
    refused(lambda: chat.report_message(message, dave, ""), 400, "Give a reason")
    assert not Report.objects.exists()


# --- Questions ------------------------------------------------------------------------------------------


@pytest.fixture
def question(room, alice):
    return chat.post_message(room, alice, "How do we file Form 471?", is_question=True)


def test_upvote_counts_once(question, dave):
    assert chat.upvote(question, dave) == 1
    assert chat.upvote(question, dave) == 1
    assert QuestionVote.objects.count() == 1


def test_upvote_own_question_refused(question, alice):
    refused(lambda: chat.upvote(question, alice), 400, "your own question")


def test_upvote_plain_message_refused(message, dave):
    refused(lambda: chat.upvote(message, dave), 400, "Only questions")


def test_host_marks_answered_with_answer(question, room, bob):
    answer = chat.post_message(room, bob, "In the EPC portal.")
    chat.mark_answered(question, answer, bob)
    question.refresh_from_db()
    assert question.answer_id == answer.pk and question.answered_at


def test_member_cannot_mark_answered(question, dave):
    refused(lambda: chat.mark_answered(question, None, dave), 403, "hosts")
    question.refresh_from_db()
    assert question.answered_at is None


def test_question_queue_orders_by_votes_answered_last(room, alice, bob, dave, ada):
    few = chat.post_message(room, alice, "few?", is_question=True)
    many = chat.post_message(room, alice, "many?", is_question=True)
    done = chat.post_message(room, alice, "done?", is_question=True)
    chat.upvote(many, dave)
    chat.upvote(many, bob)
    chat.upvote(done, dave)
    chat.upvote(done, bob)
    chat.upvote(done, ada)
    chat.mark_answered(done, None, bob)
    assert [q.pk for q in chat.question_queue(room)] == [many.pk, few.pk, done.pk]


def test_message_changed_kinds(message, alice, bob, django_capture_on_commit_callbacks):
    kinds = []

    def listener(sender, room, message, kind, **kwargs):
        kinds.append(kind)

    chat.message_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            chat.edit_message(message, alice, "v2")
            chat.hide_message(message, bob, "why")
            chat.unhide_message(message, bob)
            chat.delete_message(ChatMessage.objects.get(pk=message.pk), alice)
    finally:
        chat.message_changed.disconnect(listener)
    assert kinds == ["edited", "hidden", "unhidden", "deleted"]
