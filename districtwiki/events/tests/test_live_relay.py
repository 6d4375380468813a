"""The ASGI process's relay (events/live.py): how WSGI workers publish to the in-memory channel layer of the
live rooms' process under `districtwiki serve`. Only a body signed with the site's key is relayed."""

import json

import pytest
from channels.layers import get_channel_layer
from channels.testing import HttpCommunicator

from districtwiki.events import live

from .live import run

pytestmark = pytest.mark.usefixtures("in_memory_layer")


@pytest.fixture
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def relay(body: bytes, signature: str | None = None, path: str = "/relay", method: str = "POST"):
    headers = [(b"x-relay-signature", (signature or live.relay_signature(body)).encode())]
    return HttpCommunicator(live.relay_application, method, path, body=body, headers=headers)


def test_signed_event_reaches_the_group():
    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add("room.7", channel)
        body = json.dumps({"group": "room.7", "event": {"type": "room.changed", "kind": "locked"}}).encode()
        response = await relay(body).get_response()
        assert response["status"] == 204
        assert await layer.receive(channel) == {"type": "room.changed", "kind": "locked"}

    run(scenario)


@pytest.mark.parametrize(
    "body, signature, status, sentence",
    [
        (b'{"group": "room.7", "event": {}}', "0" * 64, 403, "The relay's signature does not match."),
        (b"not json", None, 400, 'The relay expects {"group": "room.N", "event": {...}}.'),
        (
            b'{"group": "other.7", "event": {}}',
            None,
            400,
            'The relay expects {"group": "room.N", "event": {...}}.',
        ),
        (b"x" * (live.MAX_RELAY_BYTES + 1), None, 413, "The relay accepts at most 256 KB."),
    ],
)
def test_bad_relay_requests_are_refused_and_send_nothing(body, signature, status, sentence):
    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add("room.7", channel)
        response = await relay(body, signature).get_response()
        assert (response["status"], response["body"].decode()) == (status, sentence)
        assert channel not in layer.channels or layer.channels[channel].empty()  # nothing was sent

    run(scenario)


def test_the_relay_port_serves_no_pages():
    async def scenario():
        response = await relay(b"", path="/wiki/Main_Page", method="GET").get_response()
        assert response["status"] == 404
        assert response["body"] == b"Not found: this port serves the live rooms' WebSockets only."

    run(scenario)
