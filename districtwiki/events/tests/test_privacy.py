"""A member's events and chat data in their export, and what erasing their account leaves."""

from districtwiki.community import account_data
from districtwiki.events import actions, chat, privacy
from districtwiki.events.models import RSVP, ChatMessage, QuestionVote, RoomLog, RoomMembership


def test_export_lists_messages_answers_and_rooms(event, alice, topic_room):
    message = chat.post_message(event.room, alice, "First")
    chat.edit_message(message, alice, "Second")
    actions.set_rsvp(event, alice, "going")
    chat.join_room(topic_room, alice)
    data = privacy.export(alice)
    assert data["chat_messages"][0]["text"] == "Second"
    assert data["chat_messages"][0]["earlier_versions"][0]["text"] == "First"
    assert data["answers"] == [
        {"event": "E-Rate Q&A", "answer": "going", "updated_at": data["answers"][0]["updated_at"]}
    ]
    assert data["rooms_joined"][0]["room"] == "Cybersecurity"


def test_export_is_part_of_account_data(event, alice):
    chat.post_message(event.room, alice, "Hello")
    assert account_data.export_all(alice)["events"]["chat_messages"][0]["text"] == "Hello"


def test_erase_keeps_messages_as_former_member(event, alice, bob, dave):
    message = chat.post_message(event.room, alice, "Mine", is_question=True)
    chat.upvote(message, dave)
    chat.post_message(event.room, dave, "Thanks @alice")
    chat.hide_message(message, bob, "test")
    chat.mute(event.room, alice, bob, 5, "loud")
    actions.set_rsvp(event, alice, "going")
    privacy.erase(alice)
    message.refresh_from_db()
    assert message.author is None and message.author_name == "former member" and message.text == "Mine"
    assert not RSVP.objects.filter(user=alice).exists()
    mention = ChatMessage.objects.get(text="Thanks @alice")
    assert 'class="mention"' not in mention.html and "@alice" in mention.html
    targets = list(RoomLog.objects.values_list("target", flat=True))
    assert all("alice" not in target for target in targets), targets


def test_erase_removes_votes_memberships_and_hosting(event, alice, dave, topic_room):
    question = chat.post_message(event.room, dave, "Q?", is_question=True)
    chat.upvote(question, alice)
    chat.join_room(topic_room, alice)
    event.hosts.add(alice)
    privacy.erase(alice)
    assert not QuestionVote.objects.exists() and not RoomMembership.objects.exists()
    assert alice not in event.hosts.all()
