"""Live rooms on a real `districtwiki serve` (wiki/tests/server.LiveServer): a room and signed-in members made
in the server's own database, and members chatting over real WebSockets (the `websockets` client)."""

import itertools
import json
import time
from contextlib import suppress
from pathlib import Path

from websockets.sync.client import ClientConnection, connect

from districtwiki.wiki.tests.server import LiveServer, live_group_members

WAIT = 15  # seconds a client waits for a frame it expects from a server on a busy machine
SLUG = "help-desk"  # the room of test_live_servers*.py

# Run inside `districtwiki shell`: a topic room, and for each member a confirmed account with a session made
# as signing in makes it; prints the session cookies.
ROOM_SCRIPT = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from districtwiki.accounts.models import User
from districtwiki.events.models import Room
room = dict(kind="topic", name="Help desk", created_at=timezone.now())
Room.objects.get_or_create(slug={slug}, defaults=room)
store = import_module(settings.SESSION_ENGINE).SessionStore
cookies = {{}}
for name in {names}:
    user = User.objects.filter(username=name).first() or User.objects.create_user(
        name, email=name + "@example.org", email_confirmed=True, role={roles}.get(name, "member")
    )
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies[name] = settings.SESSION_COOKIE_NAME + "=" + session.session_key
print(json.dumps(cookies))
"""


def room_with_members(
    server: LiveServer, slug: str, names: list[str], roles: dict[str, str] | None = None
) -> dict[str, str]:
    """Make the room and the members (members, unless `roles` names another role); their session cookies."""
    script = ROOM_SCRIPT.format(slug=repr(slug), names=names, roles=roles or {})
    output = server.manage("shell", "--no-imports", "--command", script)
    return json.loads(output.strip().splitlines()[-1])


def stored_messages(server: LiveServer, slug: str) -> list[tuple[int, str]]:
    """(id, text) of every message in the room, as the server's database holds them."""
    script = (
        "import json\nfrom districtwiki.events.models import ChatMessage\n"
        f"print(json.dumps(list(ChatMessage.objects.filter(room__slug={slug!r}).order_by('id')"
        ".values_list('id', 'text'))))"
    )
    output = server.manage("shell", "--no-imports", "--command", script)
    return [tuple(row) for row in json.loads(output.strip().splitlines()[-1])]


def asgi_processes(server: LiveServer) -> list[int]:
    """The server's live-room ASGI processes that are still running."""
    found = []
    for pid in live_group_members(server.process.pid):
        with suppress(OSError):
            if b"districtwiki.asgi:application" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


class Chatter:
    """One member's WebSocket to a room, keeping every message it was shown (by id) and its acks."""

    _client_ids = itertools.count(1)

    def __init__(self, server: LiveServer, slug: str, cookie: str):
        self.server, self.slug, self.cookie = server, slug, cookie
        self.messages: dict[int, dict] = {}
        self.acks: dict[str, int] = {}
        self.errors: list[dict] = []
        self.connection: ClientConnection | None = None

    def connect(self) -> "Chatter":
        self.connection = connect(
            f"ws://127.0.0.1:{self.server.websocket_port}/ws/rooms/{self.slug}/",
            origin=f"http://127.0.0.1:{self.server.port}",
            additional_headers={"Cookie": self.cookie},
            open_timeout=WAIT,
            max_size=2**22,
            legacy=True,  # a connection kept across calls, not a with-block
        )
        return self

    @property
    def last_id(self) -> int:
        return max(self.messages, default=0)

    def resume(self) -> None:
        """Catch up after the last id seen, page by page, as room.js does after a reconnect."""
        while True:
            self.connection.send(json.dumps({"type": "resume", "after": self.last_id}))
            resumed = self.wait_for(lambda frame: frame["type"] == "resumed")
            if not resumed["more"]:
                return

    def send(self, text: str) -> str:
        client_id = f"c{next(self._client_ids)}"
        self.connection.send(json.dumps({"type": "send", "text": text, "client_id": client_id}))
        return client_id

    def wait_for(self, wanted, timeout: float = WAIT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            frame = json.loads(self.connection.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            self.take(frame)
            if wanted(frame):
                return frame

    def wait_for_message(self, message_id: int) -> dict:
        if message_id in self.messages:
            return self.messages[message_id]
        return self.wait_for(lambda frame: frame.get("message", {}).get("id") == message_id)["message"]

    def take(self, frame: dict) -> None:
        if frame["type"] in ("message", "ack"):
            payload = frame["message"]
            self.messages[payload["id"]] = payload  # by id: a message shown twice is kept once
        if frame["type"] == "ack":
            self.acks[frame["client_id"]] = frame["message"]["id"]
        if frame["type"] == "error":
            self.errors.append(frame)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
