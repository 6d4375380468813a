"""Who is in a room now: one entry per open connection, the member's id or none for an anonymous reader.

With the in-memory channel layer there is one ASGI process and the entries live in it. With Redis they
live in one Redis hash per room, shared by every process, each entry stamped with the time its connection
last said it was there (every HEARTBEAT seconds): an entry older than STALE_AFTER belongs to a process that
died without saying goodbye and is dropped when read.

Names are made per viewer (a display name shows only where its visibility lets this viewer see it), from
members loaded once per process and kept for NAMES_KEPT_FOR seconds.
"""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from districtwiki.wiki import people

HEARTBEAT = 10  # seconds; also how soon a room's group places come back after a Redis FLUSHDB
STALE_AFTER = 3 * HEARTBEAT
NAMES_KEPT_FOR = 60  # seconds a loaded member (their naming fields) is reused
MAX_NAMES = 200  # a presence frame names at most this many members; the rest are counted


class LocalPresence:
    def __init__(self) -> None:
        self.rooms: dict[int, dict[str, int | None]] = {}

    async def join(self, room_id: int, channel: str, user_id: int | None) -> None:
        self.rooms.setdefault(room_id, {})[channel] = user_id

    async def leave(self, room_id: int, channel: str) -> None:
        entries = self.rooms.get(room_id, {})
        entries.pop(channel, None)
        if not entries:
            self.rooms.pop(room_id, None)

    async def refresh(self, room_id: int, channel: str, user_id: int | None) -> None:
        await self.join(room_id, channel, user_id)

    async def snapshot(self, room_id: int) -> tuple[list[int], int]:
        return summarise(self.rooms.get(room_id, {}).values())


class RedisPresence:
    def __init__(self, url: str) -> None:
        import redis.asyncio

        self.redis = redis.asyncio.Redis.from_url(url)

    @staticmethod
    def key(room_id: int) -> str:
        return f"districtwiki:presence:{room_id}"

    async def join(self, room_id: int, channel: str, user_id: int | None) -> None:
        key = self.key(room_id)
        await self.redis.hset(key, channel, f"{user_id or ''}:{time.time():.0f}")
        await self.redis.expire(key, STALE_AFTER)

    async def leave(self, room_id: int, channel: str) -> None:
        await self.redis.hdel(self.key(room_id), channel)

    async def refresh(self, room_id: int, channel: str, user_id: int | None) -> None:
        await self.join(room_id, channel, user_id)

    async def snapshot(self, room_id: int) -> tuple[list[int], int]:
        entries = await self.redis.hgetall(self.key(room_id))
        now, present, stale = time.time(), [], []
        for channel, value in entries.items():
            user, _, stamp = value.decode().partition(":")
            if now - float(stamp or 0) > STALE_AFTER:
                stale.append(channel)
            else:
                present.append(int(user) if user else None)
        if stale:
            await self.redis.hdel(self.key(room_id), *stale)
        return summarise(present)


def summarise(entries) -> tuple[list[int], int]:
    """(the members present, each once; the number of anonymous connections)."""
    members = sorted({entry for entry in entries if entry is not None})
    anonymous = sum(1 for entry in entries if entry is None)
    return members, anonymous


_store = None


def store():
    """The presence store of this process (made on first use: nothing happens at import)."""
    global _store
    if _store is None:
        url = settings.CHANNEL_LAYER_URL
        _store = RedisPresence(url) if url else LocalPresence()
    return _store


def reset() -> None:
    """Forget this process's store (tests that switch channel layers)."""
    global _store
    _store = None


_members: dict[int, tuple[float, object]] = {}


def missing_members(user_ids: list[int]) -> list[int]:
    now = time.monotonic()
    return [
        user_id
        for user_id in user_ids
        if now - _members.get(user_id, (-NAMES_KEPT_FOR, None))[0] >= NAMES_KEPT_FOR
    ]


def load_members(user_ids: list[int]) -> None:
    """Load (in a worker thread: it queries) the naming fields of members this process does not know yet;
    members join one at a time, so this is usually one."""
    now = time.monotonic()
    for user_id in user_ids:
        member = people.load_member(user_id)
        if member is not None:
            _members[user_id] = (now, member)
    if len(_members) > 10_000:  # a long-running process forgets members who left long ago
        for user_id, (stamp, _) in list(_members.items()):
            if now - stamp >= NAMES_KEPT_FOR:
                del _members[user_id]


def names_for(user_ids: list[int], viewer) -> list[str]:
    """The names `viewer` sees for the members present (loaded with load_members), sorted."""
    viewer = viewer or AnonymousUser()
    names = [people.name_for(_members[user_id][1], viewer) for user_id in user_ids if user_id in _members]
    return sorted(names, key=str.casefold)[:MAX_NAMES]
