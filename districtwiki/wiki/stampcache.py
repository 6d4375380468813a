"""Page stamps kept in each app process, so that a cached page view needs no database round trip.

With REDIS_URL (several app processes, PostgreSQL), every page view the WSGI front answers from the page
cache first asks the database for the page's view stamp (pagecache.current_stamp): on PostgreSQL that round
trip is most of what a hit costs. Here each process keeps a table of stamps, and forgets a page's stamp
whenever it moves anywhere: every change of a stamp (Page.save, the save action's plain statements,
pagecache.touch_pages) publishes a message naming the pages on a Redis channel when its transaction
commits, and a thread in each process, subscribed to that channel, forgets those pages' stamps (under
every title they were kept by, so a renamed page's old title goes too) when the message arrives. A change
of more than ANNOUNCED_PAGES_AT_MOST pages is announced as "every page", which empties the table.

The table is filled in one query as soon as the subscription is confirmed (the PRELOADED pages changed
last), so a process answers views without the database from its start, and again with each page whose stamp
it reads afterwards. At most STAMPS_KEPT stamps are kept: the older half (by when they were kept) is dropped
when it is full.

How stale can a reader be? The message is published after the commit, so a reader on another process may
be answered from the old stamp until it arrives: the delivery time of Redis pub/sub, measured on one
two-core machine with both cores busy at a median of 0.12 ms and a 99th percentile of 9 ms (docs/deploy.md,
"Caching"; wiki/tests/test_two_processes.py allows 2 s on a loaded test machine). A stamp read from the
database while any message arrived is not kept, nor the preloaded table (the generation check), so a read
that raced a commit never outlives the message.

A message can be lost only with the connection that carries it. When the connection breaks, the table is
emptied and every view asks the database until the subscription is back (Redis's confirmation of it
empties the table again). A connection that dies silently is caught by the listener's pings: it pings
Redis every PING_SECONDS on the subscription's own connection, and a pong proves that every message
published before the ping was sent has arrived (one connection delivers in order). The table is used only
while a pong has confirmed the subscription within the last DISTRICTWIKI_PAGE_STAMP_SECONDS (default 30):
the bound on a reader's staleness should anything go wrong, with none on how long a stamp nobody changed
is kept (a wiki of 10,000 pages is not read page by page every 30 seconds, and each stamp asked for again
was a database round trip).

Only stamps read from the primary are kept (pagecache.current_stamp): with read replicas a reader's stamp
comes from a replica, which may still be behind when the announcement arrives.

On SQLite without Redis (the one-machine install) there is no channel and no listener: a process keeps
stamps the same way, and before each use asks its thread's connection for PRAGMA data_version, which moves
when any other connection has committed; then every table is emptied (unchanged_here). A commit finished
before a view is never missed there, announced or not; writes on the connection itself forget what they move
(stamps_moved), before and again after their commit.

The editor who has just saved is not among those readers: a member's own views are checked against their
own session and lookup (memberviews.py), and a save leaves a message for the editor ("Saved"), whose cookie
sends their next view to Django.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import os
import threading
import time
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

HEALTH_CHECK_SECONDS = 5
PING_SECONDS = 1.0
RECONNECT_SECONDS = 1.0
STAMPS_KEPT = 32_000
PRELOADED = STAMPS_KEPT // 2
ANNOUNCED_PAGES_AT_MOST = 500
EVERY_PAGE = b"*"
PAGES = b"pages:"  # a message naming pages: PAGES + "1,2,3"; any other means every page
SEEN = "districtwiki_data_version"  # on a SQLite connection: (its raw connection, table epoch, data_version)


def channel() -> str:
    """One channel per database: processes of other wikis (or other test workers) on the same Redis server
    never empty each other's tables."""
    database = settings.DATABASES["default"]
    where = f"{database.get('HOST')}:{database.get('PORT')}/{database.get('NAME')} {settings.DATA_DIR}"
    return "districtwiki:page-stamps:" + hashlib.sha256(where.encode()).hexdigest()[:16]


class StampTable:
    """title → (page id, view stamp), for this process."""

    def __init__(self):
        self.entries: dict[str, tuple[int, int]] = {}
        # page id → the title its stamp is kept by (a tuple of titles for a page kept by more than one, as
        # a renamed page's old and new titles): a list for every page would cost a third more memory
        self.titles: dict[int, str | tuple[str, ...]] = {}
        self.generation = 0  # moves on with every change forgotten
        self.epoch = 0  # moves on in a forked process: its connections have seen nothing yet
        self.ready = False
        self.confirmed = -math.inf  # when the last ping Redis has answered was sent (time.monotonic)
        self.pid = 0
        self.thread: threading.Thread | None = None  # the listener
        self.lock = threading.Lock()  # starting this process's listener
        self.changing = threading.Lock()  # keeping and forgetting (reading takes no lock)
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        """A forked process (server workers) makes its own lock (the parent's may have been held as it
        forked) and keeps nothing of its parent's (with Redis, its listener starts on first use)."""
        self.lock, self.changing = threading.Lock(), threading.Lock()
        self.entries, self.titles = {}, {}
        self.epoch += 1

    # --- Reading -----------------------------------------------------------------------------------------

    def get(self, title: str, read) -> tuple[int, int] | None:
        """The stamp of `title` from the table, else from `read(title)` (the database), kept if no change
        was announced meanwhile."""
        if not self.confirmed_now():
            return read(title)
        entry = self.entries.get(title)
        if entry is not None:
            return entry
        generation = self.generation
        current = read(title)
        if current is not None and (self.ready or not settings.REDIS_URL):
            self.keep(generation, [(title, current)])
        return current

    def keep(self, generation: int, stamps: list[tuple[str, tuple[int, int]]]) -> bool:
        """Keep `stamps` (title, (page id, stamp)), read while the table was at `generation`: not if any
        change was forgotten since, as one of them may be older than it."""
        with self.changing:
            if generation != self.generation:
                return False
            if len(self.entries) + len(stamps) > STAMPS_KEPT:
                self._drop_older_half()
            for title, entry in stamps[:STAMPS_KEPT]:
                if self.entries.setdefault(title, entry) is entry:
                    self._index(entry[0], title)
        return True

    def _index(self, page_id: int, title: str) -> None:
        known = self.titles.get(page_id)
        self.titles[page_id] = title if known is None else (*titles_in(known), title)

    def _drop_older_half(self) -> None:
        kept = list(self.entries.items())[len(self.entries) // 2 :]
        self.entries, self.titles = dict(kept), {}
        for title, (page_id, _) in kept:
            self._index(page_id, title)

    def forget(self, page_ids: Iterable[int] | None = None) -> None:
        """Forget the stamps of `page_ids` (None: of every page)."""
        with self.changing:
            self.generation += 1
            if page_ids is None:
                self.entries, self.titles = {}, {}
                return
            for page_id in page_ids:
                for title in titles_in(self.titles.pop(page_id, ())):
                    self.entries.pop(title, None)

    def preload(self) -> None:
        """Fill the table with the stamps of the PRELOADED pages changed last, in one query on the primary
        (the listener's, once the subscription is confirmed). A failure leaves the table to fill as pages
        are read."""
        from . import pagecache

        generation = self.generation
        try:
            stamps = pagecache.recent_stamps(PRELOADED)
        except Exception:
            logger.warning("could not preload page stamps; they are read as pages are viewed", exc_info=True)
            return
        self.keep(generation, stamps)

    # --- Listening ---------------------------------------------------------------------------------------

    def confirmed_now(self) -> bool:
        """Whether what this process keeps may be used. With Redis: subscribed, and a pong has confirmed the
        subscription within the last PAGE_STAMP_SECONDS (it starts the listener of a new process). Without,
        on SQLite: always, once every table is reset if another connection has written (unchanged_here)."""
        if not settings.REDIS_URL:
            return self.unchanged_here()
        return self._listening() and time.monotonic() - self.confirmed <= settings.PAGE_STAMP_SECONDS

    def unchanged_here(self) -> bool:
        """SQLite without Redis (one machine): PRAGMA data_version on this thread's connection moves when any
        other connection (another thread or process, the sqlite3 shell) has committed since this one last
        asked. Then, and on a connection's first question, every table is reset. Writes on this connection
        forget what they change themselves (stamps_moved, membercache.members_changed). A few microseconds,
        and exact: a commit finished before the question is never missed."""
        connection = connections[DEFAULT_DB_ALIAS]
        connection.ensure_connection()
        raw = connection.connection
        now = (raw, self.epoch, raw.execute("PRAGMA data_version").fetchone()[0])
        if getattr(connection, SEEN, None) != now:  # connections compare by identity
            setattr(connection, SEEN, now)
            self.reset()
        return True

    def reset(self) -> None:
        """Forget every stamp, and everything the other tables kept in step by this listener keep."""
        self.forget()
        for kind in _kinds.values():
            kind.reset()

    def _listening(self) -> bool:
        if self.pid != os.getpid():  # a new process (forked server workers): start its own listener
            with self.lock:
                if self.pid != os.getpid():
                    self.pid, self.ready = os.getpid(), False
                    self.reset()
                    self.thread = threading.Thread(target=self._listen, name="page-stamps", daemon=True)
                    self.thread.start()
        return self.ready

    def stop(self, seconds: float = 5.0) -> None:
        """End this process's listener and wait for it (the test session's end: it may hold a database
        connection while it preloads)."""
        self.pid, self.ready, thread = 0, False, self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(seconds)

    def _listen(self) -> None:
        pid = os.getpid()
        while self.pid == pid:
            if not settings.REDIS_URL or not enabled():  # no longer configured (settings changed: the tests)
                time.sleep(RECONNECT_SECONDS)
                continue
            try:
                self._follow(pid)
            except Exception:
                logger.warning("page stamp subscription lost; stamps come from the database", exc_info=True)
            self.ready = False
            self.reset()
            time.sleep(RECONNECT_SECONDS)

    def _heard(self, data: bytes) -> None:
        for prefix, kind in _kinds.items():
            if data.startswith(prefix):
                kind.heard(data[len(prefix) :])
                return
        self.forget(announced_pages(data))

    def _follow(self, pid: int) -> None:
        """Empty the table on every message of the channel, and ping Redis every PING_SECONDS: each pong
        confirms the subscription as of its ping. One ping is out at a time; one unanswered for longer
        than the table may go unconfirmed means a dead connection, which is made again."""
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, health_check_interval=HEALTH_CHECK_SECONDS)
        with client, client.pubsub() as subscription:  # a connection given up is closed, not left to GC
            self._follow_on(subscription, pid)

    def _follow_on(self, subscription, pid: int) -> None:
        subscribing = time.monotonic()
        subscription.subscribe(channel())
        numbers = itertools.count()
        ping, pinged = b"", subscribing  # the ping waiting for its pong, and when it was sent
        while self.pid == pid:
            message = subscription.get_message(timeout=PING_SECONDS)
            if message is None:
                pass
            elif message["type"] == "subscribe":
                self.reset()  # whatever was announced before we listened
                self.confirmed, self.ready = subscribing, True
                self.preload()
                connections.close_all()  # this thread's own: it holds none between subscriptions
            elif message["type"] == "message":
                self._heard(message["data"])
            elif message["type"] == "pong" and ping and message["data"] == ping:
                self.confirmed, ping = pinged, b""
            now = time.monotonic()
            if not ping and now - pinged >= PING_SECONDS:
                ping, pinged = str(next(numbers)).encode(), now
                subscription.ping(ping.decode())
            elif ping and now - pinged > max(settings.PAGE_STAMP_SECONDS, HEALTH_CHECK_SECONDS):
                raise ConnectionError("Redis did not answer a ping on the page stamp subscription")


def titles_in(known: str | tuple[str, ...]) -> tuple[str, ...]:
    return (known,) if isinstance(known, str) else known


table = StampTable()


def enabled() -> bool:
    """With Redis, or on SQLite without it (one machine: unchanged_here); not with PAGE_STAMP_SECONDS 0."""
    if settings.PAGE_STAMP_SECONDS <= 0:
        return False
    return bool(settings.REDIS_URL) or connections[DEFAULT_DB_ALIAS].vendor == "sqlite"


def stamp(title: str, read):
    """pagecache.current_stamp's answer for `title`, through this process's table when it is enabled."""
    return table.get(title, read) if enabled() else read(title)


def stamps_moved(page_ids: Iterable[int] | None = None) -> None:
    """Called wherever a view stamp moves, with the pages' ids (None: pages not counted): this process
    forgets their stamps at once, and the others when the transaction commits."""
    if enabled():
        if page_ids is not None:
            page_ids = frozenset(page_ids)
            if len(page_ids) > ANNOUNCED_PAGES_AT_MOST:
                page_ids = None
        table.forget(page_ids)
        transaction.on_commit(partial(_announce, page_ids))


def _announce(page_ids: frozenset[int] | None = None) -> None:
    table.forget(page_ids)  # again: a thread here may have read the old stamp before the commit
    publish(EVERY_PAGE if page_ids is None else PAGES + ",".join(map(str, sorted(page_ids))).encode())


def publish(message: bytes) -> None:
    """Tell every app process (this one too) on the channel; called once the change has committed. A second
    try on a new connection if the first fails (a pooled connection Redis had closed). Nothing without
    Redis: on SQLite the other connections see the commit themselves (StampTable.unchanged_here)."""
    if not settings.REDIS_URL:
        return
    try:
        try:
            _publisher().publish(channel(), message)
        except Exception:
            _publishers.pop(os.getpid(), None)
            _publisher().publish(channel(), message)
    except Exception:
        # The other processes keep what they read until Redis comes back (their subscription breaks too,
        # and a new one forgets everything) or the entry is dropped: say so loudly.
        logger.error("could not announce a change to the other app processes", exc_info=True)


class Kind:
    """Another table this listener keeps in step: `heard(rest)` for each message that starts with its prefix;
    `reset()` whenever the subscription is made, lost or made again (this process may have missed
    messages: forget everything)."""

    def heard(self, rest: bytes) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError


_kinds: dict[bytes, Kind] = {}


def listen_for(prefix: bytes, kind: Kind) -> None:
    """Hand messages starting with `prefix` to `kind` (a page message never starts with one)."""
    assert not PAGES.startswith(prefix) and not EVERY_PAGE.startswith(prefix)
    _kinds[prefix] = kind


def announced_pages(data: bytes) -> list[int] | None:
    """The page ids a message names; None for every page, and for a message not understood (one an older
    version published)."""
    if not data.startswith(PAGES):
        return None
    try:
        return [int(page_id) for page_id in data[len(PAGES) :].split(b",")]
    except ValueError:
        logger.warning("page stamp message not understood; forgetting every stamp: %r", data[:80])
        return None


_publishers: dict[int, object] = {}


def _publisher():
    """A Redis client of this process (its own connection pool; a forked process makes its own)."""
    client = _publishers.get(os.getpid())
    if client is None:
        import redis

        client = _publishers[os.getpid()] = redis.Redis.from_url(settings.REDIS_URL)
    return client
