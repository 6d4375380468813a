"""The live rooms' ASGI process of a real `districtwiki serve`: one that dies is started again, and frames too
large are refused before they reach the database."""

import os
import signal
import time

import pytest

from districtwiki.wiki.tests.server import LiveServer

from .servers import SLUG, Chatter, asgi_processes, room_with_members, stored_messages


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_asgi_process_that_dies_is_started_again(storage):
    server = LiveServer(storage).start()
    try:
        cookies = room_with_members(server, SLUG, ["alice"])
        killed = asgi_processes(server)
        assert killed
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while not (set(asgi_processes(server)) - set(killed) and server.websockets_listening()):
            assert time.monotonic() < deadline, "the ASGI process was not started again" + server.log_tail()
            time.sleep(0.2)  # polling a child process: there is no clock to freeze
        alice = Chatter(server, SLUG, cookies["alice"]).connect()
        client_id = alice.send("still here")
        assert alice.wait_for(lambda frame: frame.get("client_id") == client_id)["type"] == "ack"
        assert "exited with status" in server.log_tail()
        alice.close()
    finally:
        server.stop()


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_oversize_frames_are_refused_by_the_server_before_the_database(storage):
    from websockets.exceptions import ConnectionClosed

    server = LiveServer(storage).start()
    try:
        cookies = room_with_members(server, SLUG, ["alice"])
        alice = Chatter(server, SLUG, cookies["alice"]).connect()
        alice.send("y" * 40_000)
        error = alice.wait_for(lambda frame: frame["type"] == "error")
        assert error["error"] == "That frame is too large: a message can be at most 4,000 characters."
        alice.send("z" * 200_000)  # past what the ASGI server accepts at all: the connection is closed
        with pytest.raises(ConnectionClosed) as closed:
            alice.wait_for(lambda frame: False)
        assert closed.value.rcvd.code == 1009  # message too big
        assert stored_messages(server, SLUG) == []
    finally:
        server.stop()
