"""Standing rooms, and acting on messages and rooms through the plain forms."""

from districtwiki.discussions.models import Report
from districtwiki.events import chat
from districtwiki.events.models import ChatMessage, Room, RoomMembership, RoomMute

from .conftest import set_state


def test_room_list_shows_topic_rooms_to_members(alice_client, topic_room):
    html = alice_client.get("/events/rooms/").content.decode()
    assert "Cybersecurity" in html


def test_room_list_offers_state_room(alice_client, alice):
    set_state(alice, "IA")
    html = alice_client.get("/events/rooms/").content.decode()
    assert "Open the Iowa chapter room" in html
    response = alice_client.post("/events/rooms/my-state")
    room = Room.objects.get(kind=Room.Kind.STATE)
    assert response["Location"] == "/events/rooms/state-ia"
    assert RoomMembership.objects.filter(room=room, user=alice).exists()


def test_open_state_room_without_state_400(alice_client):
    response = alice_client.post("/events/rooms/my-state")
    assert response.status_code == 400 and not Room.objects.exists()


def test_topic_room_page_and_post(alice_client, topic_room):
    response = alice_client.post("/events/rooms/cybersecurity", {"text": "Phishing drill tips?"})
    message = ChatMessage.objects.get()
    assert response["Location"] == f"/events/rooms/cybersecurity#m{message.pk}"
    assert "Phishing drill tips?" in alice_client.get("/events/rooms/cybersecurity").content.decode()


def test_topic_room_needs_sign_in(client, topic_room):
    assert client.get("/events/rooms/cybersecurity").status_code == 403


def test_state_room_of_other_state_refused(alice_client, alice, state_room):
    set_state(alice, "NE")
    response = alice_client.get("/events/rooms/state-ia")
    assert response.status_code == 403 and "members in Iowa" in response.content.decode()


def test_unread_marker(alice_client, alice, dave, topic_room):
    chat.join_room(topic_room, alice)
    first = chat.post_message(topic_room, dave, "one")
    html = alice_client.get("/events/rooms/cybersecurity").content.decode()
    assert (
        "New since your last visit" in html
        and html.index('id="unread"') > html.index(f'id="m{first.pk}"') - 400
    )
    assert RoomMembership.objects.get(user=alice).last_read_id == first.pk
    assert "New since your last visit" not in alice_client.get("/events/rooms/cybersecurity").content.decode()


def test_unread_count_in_list(alice_client, alice, dave, topic_room):
    chat.join_room(topic_room, alice)
    chat.post_message(topic_room, dave, "one")
    chat.post_message(topic_room, dave, "two")
    assert "2 unread" in alice_client.get("/events/rooms/").content.decode()


def test_admin_opens_topic_room(ada_client):
    response = ada_client.post("/events/rooms/new", {"name": "E-Rate help desk"})
    assert response["Location"] == "/events/rooms/e-rate-help-desk"


def test_member_cannot_open_topic_room(alice_client):
    assert alice_client.post("/events/rooms/new", {"name": "Mine"}).status_code == 403
    assert not Room.objects.exists()


def test_hide_through_form(bob_client, room, alice):
    message = chat.post_message(room, alice, "rude words")
    response = bob_client.post(f"/events/messages/{message.pk}/hide", {"reason": "rude"})
    message.refresh_from_db()
    assert response.status_code == 302 and message.hidden_at


def test_hide_without_reason_400(bob_client, room, alice):
    message = chat.post_message(room, alice, "rude words")
    response = bob_client.post(f"/events/messages/{message.pk}/hide", {"reason": ""})
    message.refresh_from_db()
    assert (
        response.status_code == 400 and "Give a reason" in response.content.decode() and not message.hidden_at
    )


def test_member_cannot_hide_through_form(client, room, alice, dave):
    message = chat.post_message(room, alice, "fine words")
    client.force_login(dave)
    assert client.post(f"/events/messages/{message.pk}/hide", {"reason": "x"}).status_code == 403


def test_mute_through_form(bob_client, room, alice):
    response = bob_client.post(
        f"/events/rooms/{room.slug}/mute", {"username": "alice", "minutes": "10", "reason": "cool off"}
    )
    assert response.status_code == 302 and RoomMute.objects.filter(user=alice).exists()


def test_mute_unknown_member_400(bob_client, room):
    response = bob_client.post(
        f"/events/rooms/{room.slug}/mute", {"username": "nobody", "minutes": "10", "reason": "x"}
    )
    assert response.status_code == 400 and "no member called" in response.content.decode()
    assert not RoomMute.objects.exists()


def test_slow_mode_through_form(bob_client, room):
    bob_client.post(f"/events/rooms/{room.slug}/slow-mode", {"seconds": "20"})
    room.refresh_from_db()
    assert room.slow_mode_seconds == 20


def test_edit_own_message_through_form(alice_client, room, alice):
    message = chat.post_message(room, alice, "typo")
    assert alice_client.get(f"/events/messages/{message.pk}/edit").status_code == 200
    alice_client.post(f"/events/messages/{message.pk}/edit", {"text": "fixed"})
    message.refresh_from_db()
    assert message.text == "fixed"


def test_report_through_form(client, room, alice, dave):
    message = chat.post_message(room, alice, "hmm")
    client.force_login(dave)
    assert client.get(f"/events/messages/{message.pk}/report").status_code == 200
    response = client.post(f"/events/messages/{message.pk}/report", {"reason": "spam"})
    assert response.status_code == 302 and Report.objects.count() == 1


def test_vote_and_answer_through_form(client, room, alice, bob, dave):
    question = chat.post_message(room, alice, "Which?", is_question=True)
    client.force_login(dave)
    client.post(f"/events/messages/{question.pk}/vote")
    client.force_login(bob)
    client.post(f"/events/messages/{question.pk}/answered", {"answer": ""})
    question.refresh_from_db()
    assert question.votes.count() == 1 and question.answered_at


def test_message_of_unreadable_room_is_404(alice_client, alice, bob, frozen):
    from .conftest import make_event

    event = make_event(bob, audience="state", state="IA")
    message = ChatMessage.objects.create(
        room=event.room, author=bob, author_name="bob", text="x", html="x", created_at=event.created_at
    )
    assert alice_client.post(f"/events/messages/{message.pk}/vote").status_code == 404
