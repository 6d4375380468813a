"""Page stamps kept in each app process, so that a cached page view needs no database round trip.

With REDIS_URL (several app processes, PostgreSQL), every page view the WSGI front answers from the page
cache first asks the database for the page's view stamp (pagecache.current_stamp): on PostgreSQL that round
trip is most of what a hit costs. Here each process keeps the stamps it has read, and forgets all of them
whenever any stamp moves anywhere: every change of a stamp (Page.save, pagecache.touch_pages) publishes a
message on a Redis channel when its transaction commits, and a thread in each process, subscribed to that
channel, empties the process's table when the message arrives.

How stale can a reader be? The message is published after the commit, so a reader on another process may
be answered from the old stamp until it arrives: the delivery time of Redis pub/sub, measured on one
two-core machine with both cores busy at a median of 0.12 ms and a 99th percentile of 9 ms (docs/deploy.md,
"Caching"; wiki/tests/test_two_processes.py allows 2 s on a loaded test machine). The table is used only while
the subscription is up (confirmed by Redis, checked by a ping every HEALTH_CHECK_SECONDS); when it breaks,
the table is emptied and every view asks the database again until it is back. As a last bound, a stamp is
kept at most DISTRICTWIKI_PAGE_STAMP_SECONDS (default 30). A stamp read from the database while a message
arrived is not kept (the generation check), so a read that raced a commit never outlives the message.

Only stamps read from the primary are kept (pagecache.current_stamp): with read replicas a reader's stamp
comes from a replica, which may still be behind when the announcement arrives.

The editor who has just saved is not among those readers: a member's own views are checked against their
own session and lookup (memberviews.py), and a save leaves a message for the editor ("Saved"), whose cookie
sends their next view to Django.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

HEALTH_CHECK_SECONDS = 5
RECONNECT_SECONDS = 1.0


def channel() -> str:
    """One channel per database: processes of other wikis (or other test workers) on the same Redis server
    never empty each other's tables."""
    database = settings.DATABASES["default"]
    where = f"{database.get('HOST')}:{database.get('PORT')}/{database.get('NAME')} {settings.DATA_DIR}"
    return "districtwiki:page-stamps:" + hashlib.sha256(where.encode()).hexdigest()[:16]


class StampTable:
    """title → (page id, view stamp, when read), for this process."""

    def __init__(self):
        self.entries: dict[str, tuple[int, int, float]] = {}
        self.generation = 0
        self.ready = False
        self.pid = 0
        self.lock = threading.Lock()

    # --- Reading -----------------------------------------------------------------------------------------

    def get(self, title: str, read) -> tuple[int, int] | None:
        """The stamp of `title` from the table, else from `read(title)` (the database), kept if no change
        was announced meanwhile."""
        if not self._listening():
            return read(title)
        entry = self.entries.get(title)
        now = time.monotonic()
        if entry is not None and now - entry[2] < settings.PAGE_STAMP_SECONDS:
            return entry[0], entry[1]
        generation = self.generation
        current = read(title)
        if current is not None and self.ready and generation == self.generation:
            self.entries[title] = (current[0], current[1], now)
        return current

    def forget(self) -> None:
        self.generation += 1
        self.entries = {}

    # --- Listening ---------------------------------------------------------------------------------------

    def _listening(self) -> bool:
        if self.pid != os.getpid():  # a new process (forked server workers): start its own listener
            with self.lock:
                if self.pid != os.getpid():
                    self.pid, self.ready = os.getpid(), False
                    self.forget()
                    threading.Thread(target=self._listen, name="page-stamps", daemon=True).start()
        return self.ready

    def _listen(self) -> None:
        import redis

        pid = os.getpid()
        while self.pid == pid:
            try:
                client = redis.Redis.from_url(settings.REDIS_URL, health_check_interval=HEALTH_CHECK_SECONDS)
                subscription = client.pubsub()
                subscription.subscribe(channel())
                for message in subscription.listen():
                    if message["type"] == "subscribe":
                        self.forget()  # whatever was announced before we listened
                        self.ready = True
                    elif message["type"] == "message":
                        self.forget()
            except Exception:
                logger.warning("page stamp subscription lost; stamps come from the database", exc_info=True)
            self.ready = False
            self.forget()
            time.sleep(RECONNECT_SECONDS)


table = StampTable()


def enabled() -> bool:
    return bool(settings.REDIS_URL) and settings.PAGE_STAMP_SECONDS > 0


def stamp(title: str, read):
    """pagecache.current_stamp's answer for `title`, through this process's table when it is enabled."""
    return table.get(title, read) if enabled() else read(title)


def stamps_moved() -> None:
    """Called wherever a view stamp moves: this process forgets its stamps at once, and the others when
    the transaction commits."""
    if enabled():
        table.forget()
        transaction.on_commit(_announce)


def _announce() -> None:
    try:
        _publisher().publish(channel(), b"1")
    except Exception:
        # Readers on other processes keep the old stamp for at most PAGE_STAMP_SECONDS: say so loudly.
        logger.error("could not announce a page change to the other app processes", exc_info=True)


_publishers: dict[int, object] = {}


def _publisher():
    """A Redis client of this process (its own connection pool; a forked process makes its own)."""
    client = _publishers.get(os.getpid())
    if client is None:
        import redis

        client = _publishers[os.getpid()] = redis.Redis.from_url(settings.REDIS_URL)
    return client
