"""One subscription per room per ASGI process, fanning each change out to the room's connections in that
process.

Were every connection its own member of the room's group, one message in a room of 300 would be 300
channel-layer messages (300 Redis deliveries with REDIS_URL) and 300 consumer dispatches, each querying and
encoding the same payload. The hub is the room group's only member in its process: for each change it makes
the frame once per kind of reader (consumers' viewer_class), then writes it to each connection. Changes are
handled one after another, so every connection sees a room's changes in the order they were published.

The hub also keeps what would expire when left alone: its place in the room's group, and the presence entries
and member groups of its connections (every presence.HEARTBEAT seconds).
"""

import asyncio
import logging
from contextlib import suppress

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from . import live, presence

log = logging.getLogger(__name__)

PRESENCE_DELAY = 0.25  # seconds: joins and leaves in a burst are announced once
RETRY_DELAY = 1.0  # seconds before listening again after the channel layer failed


class RoomHub:
    def __init__(self, room_id: int):
        self.room_id = room_id
        self.readers: dict[str, object] = {}  # channel name → consumer
        self.channel = ""
        self.ready = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.presence_pending: asyncio.Task | None = None

    async def start(self) -> None:
        layer = get_channel_layer()
        # The default prefix: channels-redis reads every process-local channel from one Redis list per
        # process, and only for channels named with the prefix its consumers use.
        self.channel = await layer.new_channel()
        await layer.group_add(live.room_group(self.room_id), self.channel)
        self.tasks = [asyncio.ensure_future(self.listen()), asyncio.ensure_future(self.beat())]
        self.ready.set()

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.channel:
            with suppress(Exception):  # Redis out of reach: the group place expires by itself
                await get_channel_layer().group_discard(live.room_group(self.room_id), self.channel)

    async def listen(self) -> None:
        layer = get_channel_layer()
        while True:
            try:
                event = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis restarting or out of reach: try again, and the heartbeat re-joins
                log.warning("room %s lost its channel layer; trying again", self.room_id, exc_info=True)
                await asyncio.sleep(RETRY_DELAY)
                continue
            try:
                await self.dispatch(event)
            except Exception:  # one bad event must not end the room's deliveries
                log.exception("could not deliver %s in room %s", event.get("type"), self.room_id)

    async def dispatch(self, event: dict) -> None:
        kind = event.get("type")
        if kind == "chat.changed":
            await self.deliver_change(event)
        elif kind == "room.changed":
            for reader in list(self.readers.values()):
                await reader.room_changed(event)
        elif kind == "presence.changed":
            for reader in list(self.readers.values()):
                await reader.presence_changed(event)

    async def deliver_change(self, event: dict) -> None:
        from .consumers import change_frame, encode, load_payload, viewer_class

        frames: dict[str, str | None] = {}
        for reader in list(self.readers.values()):
            kind = viewer_class(reader, event)
            if kind not in frames:
                payload = await database_sync_to_async(load_payload)(event["message"], reader.user)
                frames[kind] = None if payload is None else encode(change_frame(event["kind"], payload))
            if frames[kind] is not None:
                with suppress(Exception):  # a connection closing meanwhile
                    await reader.send(text_data=frames[kind])
                    reader.last_shown = max(reader.last_shown, event["message"])

    async def beat(self) -> None:
        while True:
            await asyncio.sleep(presence.HEARTBEAT)
            try:
                await self.renew()
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis out of reach: the next beat tries again
                log.warning(
                    "room %s could not renew its places; next beat tries again", self.room_id, exc_info=True
                )

    async def renew(self) -> None:
        """Put back what a Redis restart or flush loses: the room's group place, presence, member groups."""
        layer = get_channel_layer()
        await layer.group_add(live.room_group(self.room_id), self.channel)
        for channel, reader in list(self.readers.items()):
            await presence.store().refresh(self.room_id, channel, reader.presence_id)
            if reader.signed_in:
                await layer.group_add(live.member_group(reader.user.pk), channel)

    def announce_presence(self) -> None:
        """Tell the room (every process) who is here, once for a burst of joins and leaves."""
        if self.presence_pending is None:
            self.presence_pending = asyncio.ensure_future(self._announce_presence())

    async def _announce_presence(self) -> None:
        try:
            await asyncio.sleep(PRESENCE_DELAY)
        finally:
            self.presence_pending = None
        members, anonymous = await presence.store().snapshot(self.room_id)
        event = {"type": "presence.changed", "members": members, "anonymous": anonymous}
        await get_channel_layer().group_send(live.room_group(self.room_id), event)


_hubs: dict[int, RoomHub] = {}


async def join(room_id: int, reader) -> RoomHub:
    """Add a connection to its room's hub in this process, starting the hub for the first one."""
    hub = _hubs.get(room_id)
    if hub is None:
        hub = _hubs[room_id] = RoomHub(room_id)
        hub.readers[reader.channel_name] = reader
        await hub.start()
    else:
        hub.readers[reader.channel_name] = reader
        await hub.ready.wait()
    await presence.store().join(room_id, reader.channel_name, reader.presence_id)
    hub.announce_presence()
    return hub


async def leave(room_id: int, reader) -> None:
    hub = _hubs.get(room_id)
    if hub is None:
        return
    hub.readers.pop(reader.channel_name, None)
    last = not hub.readers
    if last:
        del _hubs[room_id]  # before any await: a connection arriving meanwhile starts a new hub
        await hub.stop()  # first: whatever fails below, nothing of the hub keeps running
    try:
        await presence.store().leave(room_id, reader.channel_name)
        if not last:
            hub.announce_presence()
            return
        # The last one out still tells the other processes (their hubs) that it left.
        members, anonymous = await presence.store().snapshot(room_id)
        event = {"type": "presence.changed", "members": members, "anonymous": anonymous}
        await get_channel_layer().group_send(live.room_group(room_id), event)
    except Exception:  # Redis out of reach: the presence entry goes stale and drops out by itself
        log.warning("room %s could not record a leave", room_id, exc_info=True)


def reset() -> None:
    """Forget this process's hubs (tests, each with a channel layer of its own)."""
    for hub in _hubs.values():
        for task in hub.tasks:
            task.cancel()
    _hubs.clear()
