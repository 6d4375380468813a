"""Live rooms on real servers: two `districtwiki serve` processes sharing Redis deliver each other's messages,
and a server killed mid-conversation and started again loses nothing it acknowledged (clients resume after
the last id they saw). What the server's ASGI process itself guards: test_live_servers_asgi.py."""

import os
import signal
import threading
from contextlib import suppress

import pytest

from districtwiki.events.tests.live import channel_layer_url
from districtwiki.wiki.tests.server import DATABASES, LiveServer, Storage

from .servers import SLUG, Chatter, room_with_members, stored_messages


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis to share")
def test_two_server_processes_on_redis_deliver_each_others_messages(tmp_path):
    storage = Storage(tmp_path / "data", settings={"DISTRICTWIKI_CHANNEL_LAYER_URL": channel_layer_url()})
    storage.data_dir.mkdir()
    first = LiveServer(storage).start()
    second = LiveServer(storage).start()
    try:
        cookies = room_with_members(first, SLUG, ["alice", "dave"])
        alice = Chatter(first, SLUG, cookies["alice"]).connect()
        dave = Chatter(second, SLUG, cookies["dave"]).connect()
        sent = alice.send("Hello from the first server")
        posted = alice.wait_for(lambda frame: frame.get("client_id") == sent)["message"]
        assert "Hello from the first server" in dave.wait_for_message(posted["id"])["html"]
        reply = dave.send("Hello back from the second")
        answered = dave.wait_for(lambda frame: frame.get("client_id") == reply)["message"]
        assert "Hello back from the second" in alice.wait_for_message(answered["id"])["html"]
        alice.close()
        dave.close()
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize("storage", DATABASES, indirect=True)
def test_server_killed_mid_conversation_loses_nothing_acknowledged(storage):
    server = LiveServer(storage).start()
    try:
        cookies = room_with_members(server, SLUG, ["alice", "dave"])
        alice = Chatter(server, SLUG, cookies["alice"]).connect()
        dave = Chatter(server, SLUG, cookies["dave"]).connect()
        sent = talk_until_killed(alice, server, messages=40, kill_after=15)
        acknowledged = set(alice.acks.values())
        dave_seen_before = set(dave.messages)
        for chatter in (alice, dave):
            with suppress(Exception):
                chatter.close()
        server.start()  # the same data, a new process (and new ports)
        for chatter in (alice, dave):
            chatter.connect()
            chatter.resume()
        stored = stored_messages(server, SLUG)
        assert len(acknowledged) >= 15
        assert acknowledged <= {message_id for message_id, _ in stored}
        assert sorted(dave.messages) == [message_id for message_id, _ in stored]
        assert sorted(alice.messages) == [message_id for message_id, _ in stored]
        assert dave_seen_before <= set(dave.messages)
        assert len(sent) == 40
        alice.close()
        dave.close()
    finally:
        server.stop()


def talk_until_killed(chatter: Chatter, server: LiveServer, messages: int, kill_after: int) -> list[str]:
    """Send `messages` one after another without waiting; kill -9 the whole server once `kill_after` have been
    acknowledged. The client ids sent (those after the kill may or may not have reached the database)."""
    sent = []
    killed = threading.Event()

    def watch_acks():
        with suppress(Exception):
            chatter.wait_for(lambda frame: len(chatter.acks) >= kill_after)
        os.killpg(server.process.pid, signal.SIGKILL)
        killed.set()

    watcher = threading.Thread(target=watch_acks)
    watcher.start()
    for number in range(messages):
        with suppress(Exception):
            sent.append(chatter.send(f"message {number}"))
    watcher.join()
    assert killed.is_set()
    server.kill()  # reap the group
    return sent
