"""Helpers for live-room tests: WebSocket clients of the ASGI application with a member's session, and a
channel layer of their own (in memory, or Redis database 13 when the suite has REDIS_URL)."""

import json
import os
import re

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from districtwiki.events import consumers, hubs, presence

ORIGIN = "http://127.0.0.1:8000"
WAIT = 5  # seconds a test waits for a frame it expects


def channel_layer_url() -> str:
    """The suite's Redis with database 13 (the channel layer's own), or "" for the in-memory layer."""
    url = os.environ.get("REDIS_URL", "").strip()
    return re.sub(r"/\d*$", "/13", url) if url else ""


@pytest.fixture
def live_layer(settings, monkeypatch):
    url = channel_layer_url()
    settings.CHANNEL_LAYER_URL = url
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()
        settings.CHANNEL_LAYERS = {
            "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}
        }
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    monkeypatch.setattr(hubs, "PRESENCE_DELAY", 0)
    presence.reset()
    hubs.reset()
    consumers._connections.clear()
    yield
    presence.reset()
    hubs.reset()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run(scenario) -> None:
    """Run an async scenario from a synchronous test (the ORM runs in this thread, as in the tests)."""
    async_to_sync(scenario)()


class Reader:
    """One browser tab's WebSocket to a room."""

    def __init__(self, room_key, cookie: str = "", origin: str = ORIGIN):
        from districtwiki.asgi import application

        headers = [(b"origin", origin.encode())] if origin else []
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        self.communicator = WebsocketCommunicator(application, f"/ws/rooms/{room_key}/", headers=headers)
        self.seen: list[dict] = []

    async def connect(self) -> bool:
        connected, _ = await self.communicator.connect(timeout=WAIT)
        return connected

    async def send(self, frame: dict) -> None:
        await self.communicator.send_json_to(frame)

    async def next(self, kind: str) -> dict:
        """The next frame of `kind`, passing over the others (kept in `seen`)."""
        while True:
            frame = await self.communicator.receive_json_from(timeout=WAIT)
            self.seen.append(frame)
            if frame["type"] == kind:
                return frame

    async def closed(self) -> int:
        """The close code, once the server closes (frames before it are kept in `seen`)."""
        while True:
            output = await self.communicator.receive_output(timeout=WAIT)
            if output["type"] == "websocket.close":
                return output.get("code", 1000)
            if output["type"] == "websocket.send":
                self.seen.append(json.loads(output["text"]))

    async def drain(self, quiet: float = 0.5) -> list[dict]:
        """Every frame that arrives until none has for `quiet` seconds."""
        frames = []
        while not await self.communicator.receive_nothing(timeout=quiet):
            frames.append(await self.communicator.receive_json_from(timeout=WAIT))
        self.seen.extend(frames)
        return frames

    async def nothing_more(self) -> bool:
        return await self.communicator.receive_nothing(timeout=0.3)

    async def close(self) -> None:
        await self.communicator.disconnect()
