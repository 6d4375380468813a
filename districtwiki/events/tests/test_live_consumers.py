"""The live room's WebSocket (events/consumers.py) through the whole ASGI application: origin check,
session sign-in, the audience rule, posting with its acknowledgement, delivery to other readers, catching up
after an id, limits, presence and suspension."""

import asyncio
import os
from contextlib import suppress

import pytest
import redis

from districtwiki.community.models import Profile, Visibility
from districtwiki.discussions.moderation import suspend_user
from districtwiki.events import chat, consumers, hubs, presence
from districtwiki.events.models import ChatMessage, Event

from .conftest import make_event, set_state
from .live import Reader, channel_layer_url, live_layer, run, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_layer")]
__all__ = ["live_layer"]


def test_signed_in_member_posts_and_gets_ack_after_store(room, alice):
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await reader.send({"type": "send", "text": "Hello room", "client_id": "c1"})
        ack = await reader.next("ack")
        stored = await chat_message(ack["message"]["id"])
        assert ack["client_id"] == "c1"
        assert stored.text == "Hello room" and stored.author_id == alice.pk
        assert "Hello room" in ack["message"]["html"]
        await reader.close()

    run(scenario)


def test_a_send_repeated_after_a_reconnect_is_acknowledged_not_stored_twice(room, alice, dave):
    """The page lost its connection after the server stored a message but before the ack reached it; on a new
    connection it sends the message again under the same client_id."""
    alice_cookie, dave_cookie = session_cookie(alice), session_cookie(dave)

    async def scenario():
        first, other = Reader(room.pk, alice_cookie), Reader(room.pk, dave_cookie)
        assert await first.connect() and await other.connect()
        await first.send({"type": "send", "text": "Did this arrive?", "client_id": "c7"})
        stored = (await other.next("message"))["message"]["id"]
        await first.close()  # the ack is lost with the connection
        second = Reader(room.pk, alice_cookie)
        assert await second.connect()
        await second.send({"type": "resume", "after": stored - 1})
        assert (await second.next("message"))["message"]["id"] == stored
        await second.next("resumed")
        await second.send({"type": "send", "text": "Did this arrive?", "client_id": "c7"})
        ack = await second.next("ack")
        assert ack["client_id"] == "c7" and ack["message"]["id"] == stored
        later = await other.drain()
        assert [frame for frame in later if frame["type"] == "message"] == []  # Dave heard of it once
        await second.close()
        await other.close()

    run(scenario)
    assert ChatMessage.objects.filter(room=room, text="Did this arrive?").count() == 1


async def chat_message(message_id):
    from channels.db import database_sync_to_async

    return await database_sync_to_async(ChatMessage.objects.get)(pk=message_id)


def test_message_reaches_another_reader(room, alice, dave):
    alice_cookie, dave_cookie = session_cookie(alice), session_cookie(dave)

    async def scenario():
        sender, other = Reader(room.pk, alice_cookie), Reader(room.slug, dave_cookie)
        assert await sender.connect() and await other.connect()
        await sender.send({"type": "send", "text": "Hi Dave", "client_id": "c1"})
        ack = await sender.next("ack")
        delivered = await other.next("message")
        assert delivered["message"]["id"] == ack["message"]["id"]
        assert "Hi Dave" in delivered["message"]["html"]
        await sender.close()
        await other.close()

    run(scenario)


def test_anonymous_reader_of_public_room_receives_messages_but_cannot_post(room, alice):
    cookie = session_cookie(alice)

    async def scenario():
        anonymous, member = Reader(room.pk), Reader(room.pk, cookie)
        assert await anonymous.connect() and await member.connect()
        await anonymous.send({"type": "send", "text": "hello?", "client_id": "a1"})
        refusal = await anonymous.next("error")
        assert refusal == {
            "type": "error",
            "client_id": "a1",
            "error": "Sign in to take part in the conversation.",
        }
        await member.send({"type": "send", "text": "Welcome", "client_id": "m1"})
        assert "Welcome" in (await anonymous.next("message"))["message"]["html"]
        await anonymous.close()
        await member.close()

    run(scenario)
    assert list(ChatMessage.objects.values_list("text", flat=True)) == ["Welcome"]


def test_handshake_from_another_origin_is_refused(room, alice):
    cookie = session_cookie(alice)

    async def scenario():
        assert not await Reader(room.pk, cookie, origin="https://evil.example").connect()
        assert not await Reader(room.pk, cookie, origin="").connect()

    run(scenario)


def test_reader_outside_the_audience_is_refused(bob, alice, frozen):
    members_only = make_event(bob, audience=Event.Audience.MEMBERS).room
    iowa = make_event(bob, audience=Event.Audience.STATE, state="IA").room
    cookie = session_cookie(alice)

    async def scenario():
        anonymous = Reader(members_only.pk)
        await anonymous.connect()
        assert await anonymous.closed() == 4403
        assert anonymous.seen[-1]["error"] == "Sign in to read this room."
        outsider = Reader(iowa.pk, cookie)
        await outsider.connect()
        assert await outsider.closed() == 4403
        assert outsider.seen[-1]["error"].startswith("This room is for members in Iowa")

    run(scenario)


def test_unknown_room_is_closed_with_a_sentence(db, live_layer):
    async def scenario():
        reader = Reader("no-such-room")
        await reader.connect()
        assert await reader.closed() == 4404
        assert reader.seen[-1]["error"] == "There is no such room."

    run(scenario)


def test_resume_returns_exactly_the_messages_after_the_last_seen(room, alice, dave):
    first = chat.post_message(room, alice, "one")
    missed = [chat.post_message(room, dave, text) for text in ("two", "three")]
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await reader.send({"type": "resume", "after": first.pk})
        resumed = await reader.next("resumed")
        got = [frame["message"]["id"] for frame in reader.seen if frame["type"] == "message"]
        assert got == [message.pk for message in missed]
        assert resumed == {"type": "resumed", "last": missed[-1].pk, "more": False}
        await reader.close()

    run(scenario)


def test_resume_pages_a_long_absence(room, alice, dave, monkeypatch, settings):
    from districtwiki.events import consumers

    settings.CHAT_RATE = "100/10"
    monkeypatch.setattr(consumers, "RESUME_PAGE", 2)
    ids = [chat.post_message(room, dave, f"message {n}").pk for n in range(3)]
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await reader.send({"type": "resume", "after": 0})
        assert await reader.next("resumed") == {"type": "resumed", "last": ids[1], "more": True}
        await reader.send({"type": "resume", "after": ids[1]})
        assert await reader.next("resumed") == {"type": "resumed", "last": ids[2], "more": False}
        assert [frame["message"]["id"] for frame in reader.seen if frame["type"] == "message"] == ids
        await reader.close()

    run(scenario)


def test_bad_resume_is_answered_with_a_sentence(room, alice):
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await reader.send({"type": "resume", "after": "seven", "client_id": "r"})
        error = await reader.next("error")
        assert error["error"] == '"after" must be the id of the last message you saw (0 for none).'
        await reader.close()

    run(scenario)


@pytest.mark.parametrize(
    "frame, sentence",
    [
        ("not json", "That frame is not JSON."),
        ("[1, 2]", 'A frame is a JSON object with a "type".'),
        ('{"type": "shout"}', "Unknown frame type: use send, resume, edit, delete or vote."),
        ('{"type": "send", "text": 5}', "Write something first: the message is empty."),
    ],
)
def test_malformed_frames_are_answered_and_store_nothing(room, alice, frame, sentence):
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await reader.communicator.send_to(text_data=frame)
        assert (await reader.next("error"))["error"] == sentence
        await reader.close()

    run(scenario)
    assert not ChatMessage.objects.exists()


def test_oversize_message_is_refused_and_nothing_stored(room, alice):
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await reader.send({"type": "send", "text": "x" * 4001, "client_id": "big"})
        error = await reader.next("error")
        assert error["client_id"] == "big"
        assert error["error"].startswith("A message can be at most 4,000 characters; this one has 4,001.")
        await reader.send({"type": "send", "text": "y" * 40_000, "client_id": "huge"})
        huge = await reader.next("error")
        assert huge["error"] == "That frame is too large: a message can be at most 4,000 characters."
        await reader.close()

    run(scenario)
    assert not ChatMessage.objects.exists()


def test_over_the_message_rate_the_sender_is_told_and_nothing_stored(room, alice, settings):
    settings.CHAT_RATE = "2/10"
    cookie = session_cookie(alice)

    async def scenario():
        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        for number in range(3):
            await reader.send({"type": "send", "text": f"n{number}", "client_id": f"c{number}"})
        assert (await reader.next("ack"))["client_id"] == "c0"
        assert (await reader.next("ack"))["client_id"] == "c1"
        error = await reader.next("error")
        assert error == {
            "type": "error",
            "client_id": "c2",
            "error": "You have sent 2 messages in 10 seconds; wait a few seconds before sending more.",
        }
        await reader.close()

    run(scenario)
    assert list(ChatMessage.objects.order_by("id").values_list("text", flat=True)) == ["n0", "n1"]


def test_connections_per_member_are_limited(room, alice, settings):
    settings.CHAT_CONNECTIONS_PER_MEMBER = 2
    cookie = session_cookie(alice)

    async def scenario():
        tabs = [Reader(room.pk, cookie) for _ in range(2)]
        for tab in tabs:
            assert await tab.connect()
        third = Reader(room.pk, cookie)
        await third.connect()
        assert await third.closed() == 4429
        assert third.seen[-1]["error"] == "You have this room open in 2 places already; close one first."
        await tabs[0].close()
        again = Reader(room.pk, cookie)
        assert await again.connect()
        await again.send({"type": "resume", "after": 0})
        assert await again.next("resumed")
        for tab in [tabs[1], again]:
            await tab.close()

    run(scenario)


def test_signed_out_connections_from_one_address_are_limited(room, settings):
    settings.CHAT_CONNECTIONS_PER_ADDRESS = 2

    async def scenario():
        readers = [Reader(room.pk) for _ in range(2)]
        for reader in readers:
            assert await reader.connect()
        third = Reader(room.pk)
        await third.connect()
        assert await third.closed() == 4429
        assert third.seen[-1]["error"] == (
            "2 live rooms are open from your address already: sign in, or close some first."
        )
        for reader in readers:
            await reader.close()

    run(scenario)


def test_suspended_member_is_disconnected_at_once(room, alice, ada):
    cookie = session_cookie(alice)

    async def scenario():
        from channels.db import database_sync_to_async

        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        await database_sync_to_async(suspend_user)(alice, ada, "Posting spam")
        assert await reader.closed() == 4403
        assert reader.seen[-1]["error"] == "Your account has been suspended: you have been disconnected."
        again = Reader(room.pk, cookie)  # the session no longer signs anyone in
        assert await again.connect()
        await again.send({"type": "send", "text": "back again", "client_id": "s"})
        assert (await again.next("error"))["error"] == "Sign in to take part in the conversation."
        await again.close()

    run(scenario)
    assert not ChatMessage.objects.exists()


def test_message_posted_outside_the_socket_reaches_live_readers(room, alice, bob, dave):
    """The plain form and the API post through the same action: its hook publishes to the room."""
    cookie = session_cookie(dave)

    async def scenario():
        from channels.db import database_sync_to_async

        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        message = await database_sync_to_async(chat.post_message)(room, alice, "From the form")
        delivered = await reader.next("message")
        assert delivered["message"]["id"] == message.pk
        await database_sync_to_async(chat.hide_message)(message, bob, "Off topic")
        update = await reader.next("update")
        assert update["change"] == "hidden"
        assert update["message"]["html"] == "" and update["message"]["hidden"]
        await reader.close()

    run(scenario)


def test_edit_delete_and_vote_frames(room, alice, dave):
    alice_cookie = session_cookie(alice)
    question = chat.post_message(room, dave, "Which vendor?", is_question=True)

    async def scenario():
        reader = Reader(room.pk, alice_cookie)
        assert await reader.connect()
        await reader.send({"type": "send", "text": "tpyo", "client_id": "p"})
        mine = (await reader.next("ack"))["message"]["id"]
        await reader.send({"type": "edit", "id": mine, "text": "typo", "client_id": "e"})
        edited = await reader.next("ack")
        assert (
            edited["client_id"] == "e" and edited["message"]["edited"] and "typo" in edited["message"]["html"]
        )
        await reader.send({"type": "vote", "id": question.pk, "client_id": "v"})
        assert (await reader.next("ack"))["message"]["votes"] == 1
        await reader.send({"type": "delete", "id": question.pk, "client_id": "d"})
        assert (await reader.next("error"))["error"] == "You can only delete your own messages."
        await reader.send({"type": "delete", "id": mine, "client_id": "d2"})
        assert (await reader.next("ack"))["message"]["deleted"]
        await reader.send({"type": "edit", "id": 999999, "text": "x", "client_id": "e2"})
        assert (await reader.next("error"))["error"] == "There is no message number 999999 in this room."
        await reader.close()

    run(scenario)
    assert ChatMessage.objects.get(pk=question.pk).text == "Which vendor?"


def test_presence_names_members_as_each_reader_may_see_them_and_counts_anonymous(room, alice, dave):
    Profile.objects.update_or_create(
        user=dave, defaults={"display_name": "Dave Q.", "display_name_visibility": Visibility.MEMBERS}
    )
    alice_cookie, dave_cookie = session_cookie(alice), session_cookie(dave)

    async def scenario():
        anonymous, member, other = (
            Reader(room.pk),
            Reader(room.pk, alice_cookie),
            Reader(room.pk, dave_cookie),
        )
        for reader in (anonymous, member, other):
            assert await reader.connect()
        for reader in (anonymous, member, other):
            await reader.send({"type": "resume", "after": 0})
            await reader.next("resumed")
        members_view = await settled_presence(member, 2)
        anonymous_view = await settled_presence(anonymous, 2)
        assert members_view == {"type": "presence", "names": ["alice", "Dave Q."], "anonymous": 1}
        assert anonymous_view == {"type": "presence", "names": ["alice", "dave"], "anonymous": 1}
        await other.close()
        member.seen.clear()
        assert await settled_presence(member, 1) == {"type": "presence", "names": ["alice"], "anonymous": 1}
        await anonymous.close()
        await member.close()

    run(scenario)


async def settled_presence(reader: Reader, members: int) -> dict:
    """The latest presence frame once it names `members` members (joins are announced as they come)."""
    latest = next((frame for frame in reversed(reader.seen) if frame["type"] == "presence"), None)
    if latest is not None and len(latest["names"]) == members:
        return latest
    while True:
        frame = await reader.next("presence")
        if len(frame["names"]) == members:
            return frame


def test_member_deactivated_in_the_admin_is_disconnected_too(room, alice):
    cookie = session_cookie(alice)

    async def scenario():
        from channels.db import database_sync_to_async

        reader = Reader(room.pk, cookie)
        assert await reader.connect()
        alice.is_active = False
        await database_sync_to_async(alice.save)()
        assert await reader.closed() == 4403

    run(scenario)


def test_messages_shown_live_count_as_read_in_a_standing_room(state_room, alice, dave):
    from districtwiki.events.models import RoomMembership

    for member in (alice, dave):
        set_state(member, "IA")
        chat.join_room(state_room, member)
    cookie = session_cookie(alice)

    async def scenario():
        from channels.db import database_sync_to_async

        reader = Reader(state_room.slug, cookie)
        assert await reader.connect()
        message = await database_sync_to_async(chat.post_message)(state_room, dave, "While you watch")
        assert (await reader.next("message"))["message"]["id"] == message.pk
        await reader.close()
        return message

    run(scenario)
    latest = ChatMessage.objects.get(room=state_room)
    assert RoomMembership.objects.get(room=state_room, user=alice).last_read_id == latest.pk


needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis layer"
)


async def delivered_after(alice_cookie: str, dave_cookie: str, room, upset) -> None:
    """Alice and Dave connected; `upset` (Redis loses data or connections); then Alice's next message still
    reaches Dave, within a few (shortened) heartbeats."""
    sender, other = Reader(room.pk, alice_cookie), Reader(room.pk, dave_cookie)
    assert await sender.connect() and await other.connect()
    upset()
    await asyncio.sleep(0.6)  # three heartbeats
    await sender.send({"type": "send", "text": "Still there?", "client_id": "c1"})
    ack = await sender.next("ack")
    assert (await other.next("message"))["message"]["id"] == ack["message"]["id"]
    await sender.close()
    await other.close()


@needs_redis
def test_a_room_delivers_again_soon_after_redis_loses_its_groups(room, alice, dave, monkeypatch):
    """Redis's database flushed (or restarted without persistence): the room's group place is gone until the
    hub's next heartbeat puts it back (presence.HEARTBEAT, 10 s; shortened here)."""
    monkeypatch.setattr(presence, "HEARTBEAT", 0.2)
    flush = redis.Redis.from_url(channel_layer_url()).flushdb
    alice_cookie, dave_cookie = session_cookie(alice), session_cookie(dave)

    async def scenario():
        await delivered_after(alice_cookie, dave_cookie, room, flush)

    run(scenario)


@needs_redis
def test_live_rooms_recover_when_redis_drops_their_connections(room, alice, dave, monkeypatch):
    """Redis restarted: its connections close under the live rooms. Connections whose channel failed end
    (the page reconnects and catches up, as after any drop) and give back what they held; a page that
    reconnects is served, and its messages are delivered."""
    monkeypatch.setattr(presence, "HEARTBEAT", 0.2)
    monkeypatch.setattr(hubs, "RETRY_DELAY", 0.05)
    admin = redis.Redis.from_url(channel_layer_url())
    alice_cookie, dave_cookie = session_cookie(alice), session_cookie(dave)

    async def scenario():
        first = [Reader(room.pk, alice_cookie), Reader(room.pk, dave_cookie)]
        for reader in first:
            assert await reader.connect()
        drop_clients(admin)
        await asyncio.sleep(0.5)
        for reader in first:  # what the browser sees: the connection ended
            with suppress(Exception):
                await reader.close()
        assert sum(consumers._connections.values()) == 0  # nothing held for the ended connections
        await delivered_after(alice_cookie, dave_cookie, room, lambda: None)

    run(scenario)


def drop_clients(admin) -> None:
    admin.client_kill_filter(_type="normal", skipme=True)
