"""Signed-in members kept in each app process, so that a member's page view needs no database round trip
(docs/signed-in-views.md, "Members kept in each process").

With REDIS_URL, the WSGI front answers a member's view of a page from the page's shell and one lookup of the
member (memberviews.py); on PostgreSQL that lookup's round trip is most of what the answer costs. Here each
process keeps, by session key, what the lookup read: the session's expiry, the member's row and facts, and
the ids of the pages they watch. Everything that can change what was kept announces it on the page stamps'
channel (stampcache.py) when its transaction commits, naming the members (or, for a session's own row, a
digest of its key), and each process forgets those entries when the message arrives, this one at once:

- the member's account row (role, password, suspension, e-mail confirmation: User.save and delete), their
  sessions' rows (sign-in, sign-out, messages stored in the session: Session.save and delete), their
  watches, and the rows of every registered fact (memberviews.Fact.rows: notifications, the profile),
  through the models' post_save and post_delete signals;
- the writers that go around those signals (one INSERT for many notifications, the author's auto-watch,
  marking every notification read, erasing an account's notifications), which call members_changed
  themselves.

A member's own change that shows no message is read again from the database for FRESH_SECONDS (a cookie,
below), so that a process the announcement has not reached yet still shows it to them.

On SQLite without Redis the same table is kept, and confirmed before each use by the connection's PRAGMA
data_version instead of the listener (stampcache.StampTable.unchanged_here): any commit by another
connection empties it; nothing is published.

An entry is used only while the page stamp listener has a confirmed subscription (its pongs: the same bound
as for stamps, PAGE_STAMP_SECONDS, should a message be lost), only until its session expires, and for at
most MEMBER_SECONDS after it was read: the bound for a change made where nothing announces it (a statement
typed into the database by hand). An entry read while any change was forgotten is not kept (the generation
check, as for stamps), nor one read from a replica.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import stampcache

SESSIONS_KEPT = 10_000
WATCHES_KEPT = 20_000  # a member watching more pages than this is looked up on every view
WATCHED_IDS_KEPT = 1_000_000  # in all, 8 bytes each: the table is emptied beyond it
ANNOUNCED_MEMBERS_AT_MOST = 500
MEMBERS = b"members:"  # MEMBERS + "1,2,3"; MEMBERS + "*" for every member
SESSIONS = b"sessions:"  # SESSIONS + digests of session keys, comma-separated
EVERY_MEMBER = b"*"


@dataclass(frozen=True, slots=True)
class Kept:
    """What a member's lookup read, for one session: `columns` and `facts` as the lookup returns them around
    its `watching` column, `watched` the ids of the pages they watch in order (None: more than
    WATCHES_KEPT, so each view is looked up)."""

    member_id: int
    columns: tuple
    facts: tuple
    watched: array | None
    expires: float  # the session's expiry (seconds since the epoch)
    until: float  # when the entry is dropped in any case (time.monotonic)

    def row(self, page_id: int) -> tuple:
        return (*self.columns, self.watches(page_id), *self.facts)

    def watches(self, page_id: int) -> bool:
        at = bisect_left(self.watched, page_id)
        return at < len(self.watched) and self.watched[at] == page_id

    def usable(self) -> bool:
        return time.time() < self.expires and time.monotonic() < self.until


class MemberTable(stampcache.Kind):
    """session key → Kept, for this process."""

    def __init__(self):
        self.entries: dict[str, Kept] = {}
        self.sessions_of: dict[int, set[str]] = {}  # member id → the session keys kept for them
        self.digests: dict[bytes, str] = {}  # digest() → session key, for the sessions kept
        self.watched_ids = 0  # in all the entries
        self.generation = 0
        self.changing = threading.Lock()
        # A forked process (server workers) makes its own: the parent's may have been held as it forked.
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self.changing = threading.Lock()
        self._empty()

    def get(self, session_key: str) -> Kept | None:
        if not enabled() or not stampcache.table.confirmed_now():
            return None
        kept = self.entries.get(session_key)
        return kept if kept is not None and kept.usable() else None

    def keep(self, generation: int, session_key: str, kept: Kept) -> bool:
        """Keep `kept`, read while the table was at `generation`: not if any change was forgotten since."""
        if not stampcache.table.confirmed_now():  # not under the lock: it may reset every table
            return False
        with self.changing:
            if generation != self.generation:
                return False
            self._drop(session_key)
            watched = len(kept.watched or ())
            if len(self.entries) >= SESSIONS_KEPT or self.watched_ids + watched > WATCHED_IDS_KEPT:
                self._empty()
            self.watched_ids += watched
            self.entries[session_key] = kept
            self.sessions_of.setdefault(kept.member_id, set()).add(session_key)
            self.digests[digest(session_key)] = session_key
        return True

    def forget_members(self, member_ids: Iterable[int] | None) -> None:
        """Forget the entries of `member_ids` (None: of every member)."""
        with self.changing:
            self.generation += 1
            if member_ids is None:
                self._empty()
                return
            for member_id in member_ids:
                for session_key in list(self.sessions_of.get(member_id, ())):
                    self._drop(session_key)

    def forget_sessions(self, digests: Iterable[bytes]) -> None:
        """Forget the sessions whose keys have these digests."""
        with self.changing:
            self.generation += 1
            for named in digests:
                session_key = self.digests.get(named)
                if session_key is not None:
                    self._drop(session_key)

    def _drop(self, session_key: str) -> None:
        kept = self.entries.pop(session_key, None)
        if kept is None:
            return
        self.digests.pop(digest(session_key), None)
        self.watched_ids -= len(kept.watched or ())
        sessions = self.sessions_of[kept.member_id]
        sessions.discard(session_key)
        if not sessions:
            del self.sessions_of[kept.member_id]

    def _empty(self) -> None:
        self.entries, self.sessions_of, self.digests, self.watched_ids = {}, {}, {}, 0

    # --- Messages (stampcache.Kind) ----------------------------------------------------------------------

    def heard(self, rest: bytes) -> None:
        self.forget_members(announced_members(rest))

    def reset(self) -> None:
        self.forget_members(None)


class SessionMessages(stampcache.Kind):
    def heard(self, rest: bytes) -> None:
        table.forget_sessions(part for part in rest.split(b",") if part)

    def reset(self) -> None:
        pass  # the table itself is reset, as the kind of MEMBERS messages


table = MemberTable()
stampcache.listen_for(MEMBERS, table)
stampcache.listen_for(SESSIONS, SessionMessages())


def enabled() -> bool:
    return stampcache.enabled() and settings.MEMBER_SECONDS > 0


def kept_until() -> float:
    return time.monotonic() + settings.MEMBER_SECONDS


def expiry(value) -> float | None:
    """A session's expire_date as the database driver gives it (a datetime, or text on SQLite)."""
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def digest(session_key: str) -> bytes:
    """What an announcement names a session by: the key is a secret, and its digest tells processes enough."""
    return hashlib.blake2b(session_key.encode(), digest_size=12).hexdigest().encode()


def announced_members(rest: bytes) -> list[int] | None:
    if rest == EVERY_MEMBER:
        return None
    try:
        return [int(member_id) for member_id in rest.split(b",")]
    except ValueError:
        return None


# --- Announcing ------------------------------------------------------------------------------------------


def members_changed(member_ids: Iterable[int | None] | None) -> None:
    """Called wherever something a member's lookup reads changes, with their ids (None: every member), after
    the change is written: this process forgets them at once and again when the transaction commits (a
    thread may have read the old rows meanwhile), and every process when the announcement arrives."""
    if not enabled():
        return
    if member_ids is not None:
        member_ids = frozenset(member_id for member_id in member_ids if member_id is not None)
        if not member_ids:
            return
        if len(member_ids) > ANNOUNCED_MEMBERS_AT_MOST:
            member_ids = None
    _noticed(member_ids)
    forget = partial(table.forget_members, member_ids)
    forget()
    named = EVERY_MEMBER if member_ids is None else ",".join(map(str, sorted(member_ids))).encode()
    transaction.on_commit(partial(_announce, forget, MEMBERS + named))


def session_changed(session_key: str) -> None:
    if not enabled() or not session_key:
        return
    named = digest(session_key)
    forget = partial(table.forget_sessions, [named])
    forget()
    transaction.on_commit(partial(_announce, forget, SESSIONS + named))


def _announce(forget, message: bytes) -> None:
    forget()
    stampcache.publish(message)


# --- The member's own next views ---------------------------------------------------------------------------
# A change a member makes to themselves that shows no message (a notification followed and so marked read)
# is forgotten at once by the process that made it, and by the others when the announcement arrives (a few
# milliseconds): their next view could come sooner, to another process. So the answer to a request that
# changed its own member carries a cookie for FRESH_SECONDS, and the front reads their lookup from the
# database while they have it. A forged one only makes its holder's own views slower.

FRESH_COOKIE = "districtwiki_member_changed"
FRESH_SECONDS = 5
_changed_in_request: ContextVar[set | None] = ContextVar("member_changes", default=None)


def _noticed(member_ids: frozenset[int] | None) -> None:
    changed = _changed_in_request.get()
    if changed is not None:
        changed.add(EVERY_MEMBER) if member_ids is None else changed.update(member_ids)


class OwnChangesMiddleware:
    """Sets FRESH_COOKIE on the answer to a request that changed something of its own member's lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        changed: set = set()
        token = _changed_in_request.set(changed)
        try:
            response = self.get_response(request)
        finally:
            _changed_in_request.reset(token)
        user = getattr(request, "user", None)
        if changed and user is not None and user.is_authenticated and (changed & {user.pk, EVERY_MEMBER}):
            response.set_cookie(
                FRESH_COOKIE,
                "1",
                max_age=FRESH_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


# --- Signals ---------------------------------------------------------------------------------------------


def member_row_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # Signing in saves the time of it, which no lookup reads: announcing it would forget the member and send
    # their first views after signing in to the database for nothing.
    if update_fields is not None and set(update_fields) <= NOT_LOOKED_UP:
        return
    members_changed([instance.pk])


NOT_LOOKED_UP = frozenset({"last_login"})


def session_row_changed(sender, instance, **kwargs) -> None:
    # An expired session is never used (nor kept past its expiry): deleting it (clearsessions) says nothing.
    if kwargs.get("signal") is post_delete and instance.expire_date <= timezone.now():
        return
    session_changed(instance.session_key)


def row_of_member_changed(field: str):
    """A receiver for a model whose rows belong to the member in `field` (a watch, a notification)."""

    def changed(sender, instance, **kwargs) -> None:
        members_changed([getattr(instance, field)])

    return changed
