"""Stopping `districtwiki serve`: Ctrl+C in its terminal, or SIGTERM from a service manager, ends the server
and every process it started (the WSGI workers and the live rooms' ASGI process) within seconds, even while
browsers hold keep-alive connections and live-room WebSockets open."""

import http.client
import os
import signal
import socket
import time
from contextlib import suppress
from pathlib import Path

import pytest

from districtwiki.events.tests.servers import Chatter, room_with_members
from districtwiki.wiki.tests.server import LiveServer, Storage, live_group_members

STOPPED_WITHIN = 12  # seconds: the grace period (cli.STOP_GRACE_SECONDS) and margin for a busy machine
PAGES = ["/", "/special/recent", "/special/all", "/healthz"]


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> Storage:
    """One data dir for both starts: the second start finds the starter pages already loaded."""
    return Storage(tmp_path_factory.mktemp("data"))


@pytest.fixture
def live(storage):
    server = LiveServer(storage, workers=2).start()
    yield server
    server.kill()  # whatever the test left running


def browse_and_keep_connections_open(live: LiveServer, count: int = 4) -> list[http.client.HTTPConnection]:
    """Page views on keep-alive connections that stay open, as a browser leaves them."""
    connections = []
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
        for path in PAGES:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, path
            assert response.getheader("Connection", "").lower() != "close"
        connections.append(connection)
    return connections


def start_a_request_and_stall(live: LiveServer) -> socket.socket:
    """A client that has sent half a request and then goes quiet (a slow or stalled browser)."""
    stalled = socket.create_connection(("127.0.0.1", live.port), timeout=10)
    stalled.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return stalled


def open_live_rooms(live: LiveServer, count: int = 2) -> list[Chatter]:
    """Members in a live room over WebSockets, one of them mid-handshake (a stalled upgrade)."""
    cookies = room_with_members(live, "help-desk", ["alice"])
    chatters = [Chatter(live, "help-desk", cookies["alice"]).connect() for _ in range(count)]
    client_id = chatters[0].send("still here when the server stops")
    assert chatters[0].wait_for(lambda frame: frame.get("client_id") == client_id)["type"] == "ack"
    stalled = socket.create_connection(("127.0.0.1", live.websocket_port), timeout=10)
    stalled.sendall(b"GET /ws/rooms/help-desk/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
    return [*chatters, stalled]


def asgi_processes(live: LiveServer) -> list[int]:
    return [
        pid
        for pid in live_group_members(live.process.pid)
        if b"districtwiki.asgi:application" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def wait_for_group_exit(live: LiveServer) -> list[int]:
    """The processes of the server's group still running after STOPPED_WITHIN seconds."""
    deadline = time.monotonic() + STOPPED_WITHIN
    while (left := live_group_members(live.process.pid)) and time.monotonic() < deadline:
        with suppress(Exception):
            live.process.wait(timeout=0.1)
    return left


def test_ctrl_c_ends_the_server_and_its_workers_with_keep_alive_connections_open(live):
    connections = browse_and_keep_connections_open(live)
    stalled = start_a_request_and_stall(live)
    rooms = open_live_rooms(live)
    # the supervisor, its two WSGI workers, and the live rooms' ASGI process
    assert len(live_group_members(live.process.pid)) >= 4
    assert asgi_processes(live)
    os.killpg(live.process.pid, signal.SIGINT)  # what a terminal sends on Ctrl+C
    assert wait_for_group_exit(live) == []
    # The group can be empty a moment before the supervisor is reaped: wait for its exit status.
    assert live.process.wait(timeout=STOPPED_WITHIN) is not None
    for connection in [*connections, stalled, *rooms]:
        with suppress(Exception):
            connection.close()


def test_sigterm_to_the_server_ends_its_workers_too(live):
    connections = browse_and_keep_connections_open(live)
    stalled = start_a_request_and_stall(live)
    rooms = open_live_rooms(live)
    assert asgi_processes(live)
    live.process.terminate()  # to the supervisor alone: it stops the WSGI workers and the ASGI process
    assert wait_for_group_exit(live) == []
    for connection in [*connections, stalled, *rooms]:
        with suppress(Exception):
            connection.close()
