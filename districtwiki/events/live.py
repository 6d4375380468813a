"""Live delivery: what changed in a room reaches every client connected to it, in any ASGI process.

A change is published after its transaction commits (the chat actions' hook), to the room's group on the
channel layer. With Redis that layer is shared by every process, so publishing from a WSGI worker, the
ASGI process or a command is the same call. With the in-memory layer (embedded mode, one machine) only the
ASGI process holds the rooms' clients: `districtwiki serve` then gives its WSGI workers the address of that
process's relay (settings.WEBSOCKET_RELAY_URL), a signed POST on loopback that the ASGI process turns into
the same group_send.

A publish never fails the action that caused it: the change is stored, and a client that missed it gets it
when it resumes after its last id (consumers.py).
"""

import asyncio
import json
import logging
import urllib.request
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

log = logging.getLogger(__name__)

RELAY_PATH = "/relay"
RELAY_SALT = "districtwiki.events.live.relay"
RELAY_TIMEOUT = 2.0  # seconds; a relay that does not answer loses only the live push, not the message
MAX_RELAY_BYTES = 256 * 1024
GROUP_PREFIXES = ("room.", "member.")


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def member_group(user_id: int) -> str:
    """Every connection of one member, whatever room: how a suspension reaches them."""
    return f"member.{user_id}"


def publish(group: str, event: dict) -> None:
    """Send `event` to every consumer in `group`, in whatever process it runs."""
    try:
        if settings.WEBSOCKET_RELAY_URL:
            _post_to_relay(group, event)
        elif running_loop() is not None:  # sync code run inside an event loop's thread: no blocking here
            running_loop().create_task(get_channel_layer().group_send(group, event))
        else:
            async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:  # the change is stored; clients catch up on resume
        log.exception("could not publish %s to %s", event.get("type"), group)


def running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def publish_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: publish(group, event))


def relay_signature(body: bytes) -> str:
    return salted_hmac(RELAY_SALT, body, algorithm="sha256").hexdigest()


def _post_to_relay(group: str, event: dict) -> None:
    body = json.dumps({"group": group, "event": event}).encode()
    request = urllib.request.Request(
        settings.WEBSOCKET_RELAY_URL,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Relay-Signature": relay_signature(body)},
    )
    with urllib.request.urlopen(request, timeout=RELAY_TIMEOUT) as response:
        response.read()


async def relay_application(scope, receive, send) -> None:
    """The ASGI process's only HTTP address: POST /relay with a body signed with the site's secret key.
    Everything else is a 404: pages are served by the WSGI workers."""
    if scope["type"] != "http":
        return
    if scope["path"] != RELAY_PATH or scope["method"] != "POST":
        await _respond(send, 404, "Not found: this port serves the live rooms' WebSockets only.")
        return
    body = await _read_body(receive)
    if body is None:
        await _respond(send, 413, "The relay accepts at most 256 KB.")
        return
    signature = dict(scope["headers"]).get(b"x-relay-signature", b"").decode("latin-1")
    if not constant_time_compare(signature, relay_signature(body)):
        await _respond(send, 403, "The relay's signature does not match.")
        return
    try:
        relayed = json.loads(body)
        group, event = relayed["group"], relayed["event"]
        assert isinstance(group, str) and group.startswith(GROUP_PREFIXES) and isinstance(event, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        await _respond(send, 400, 'The relay expects {"group": "room.N", "event": {...}}.')
        return
    await get_channel_layer().group_send(group, event)
    await _respond(send, 204, "")


async def _read_body(receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        body += message.get("body", b"")
        if len(body) > MAX_RELAY_BYTES:
            return None
        if not message.get("more_body"):
            return body


async def _respond(send, status: int, sentence: str) -> None:
    content = sentence.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(content)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def on_suspension_saved(sender, instance, created, **kwargs) -> None:
    """A member suspended (discussions' Suspension) is disconnected from every room at once."""
    if created:
        publish_on_commit(member_group(instance.user_id), {"type": "member.suspended"})


def on_account_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """An account made inactive another way (the admin's "active" box) is disconnected too."""
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        publish_on_commit(member_group(instance.pk), {"type": "member.suspended"})


def on_message_changed(sender, room, message, kind, **kwargs) -> None:
    """chat.message_changed, sent once the change is committed. The event names the message, not its
    payload: what a reader sees depends on who they are (consumers.shared_payload)."""
    event = {"type": "chat.changed", "message": message.pk, "kind": kind, "author": message.author_id}
    publish(room_group(room.pk), {**event, "stamp": uuid.uuid4().hex})


def on_room_changed(sender, room, kind, member=None, **kwargs) -> None:
    publish(
        room_group(room.pk), {"type": "room.changed", "kind": kind, "member": getattr(member, "pk", None)}
    )


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    from districtwiki.discussions.models import Suspension

    from . import chat

    post_save.connect(on_suspension_saved, sender=Suspension, dispatch_uid="events.live.suspension")
    post_save.connect(on_account_saved, sender=get_user_model(), dispatch_uid="events.live.account")
    chat.message_changed.connect(on_message_changed, dispatch_uid="events.live.message")
    chat.room_changed.connect(on_room_changed, dispatch_uid="events.live.room")
