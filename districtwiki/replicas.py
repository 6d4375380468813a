"""Read replicas: the reads of GET, HEAD and OPTIONS requests go to PostgreSQL streaming replicas, everything
else to the primary, and a client that has just written reads from the primary for a while (read-your-writes).

Configured by DATABASE_REPLICA_URLS (settings.READ_REPLICAS lists their aliases). Without it no router is
installed and the middleware takes itself out of the stack, so nothing here runs.

Where a read goes (ReplicaRouter.db_for_read):
- outside a request (the CLI, the worker, migrations, the anonymous page cache's middleware that runs
  first): the primary; the page cache's WSGI front (wiki/pagecache.py) reads a page's stamp as a request
  would, from a replica unless the reader carries the read-your-writes cookie;
- in a request whose method may write (POST, PUT, PATCH, DELETE): the primary, so that what it checks before
  writing is current;
- inside a transaction on the primary (an atomic block): the primary, so that a transaction sees its own rows;
- after anything in the same request went through db_for_write: the primary;
- in a request from a client pinned to the primary (below): the primary;
- otherwise one replica, the same for the whole request, the replicas taken in turn.

Read-your-writes. A replica trails the primary by a fraction of a second, more under load, so a member who has
just saved a page could be shown the old text. After a request that wrote (an unsafe method, or any write
through db_for_write), the client is pinned to the primary for READ_YOUR_WRITES_SECONDS:
- a browser gets a signed cookie holding the moment the pin ends. It needs no server-side state, so it holds
  on every app process on every machine, and a client can only earn it by writing (the signature stops forged
  or stretched ones). Not the session: the session is itself read from the database, and would have to be
  written again on every save.
- a client with an API token (a script or bot) seldom keeps cookies, so its pin is kept in the cache (Redis
  with REDIS_URL, which every process shares) under the token's id, and read on each of its requests.

A replica that is down: before a request's first read from a replica, that replica's connection is opened or,
with CONN_HEALTH_CHECKS, checked. If that fails the replica is left out for REPLICA_RETRY_SECONDS in this
process, and the request reads from the next replica, or from the primary when none is left. So a replica
that stops answering costs each process one failed attempt (at most the connect_timeout of its URL) every
REPLICA_RETRY_SECONDS, not a run of errors. A replica that fails in the middle of a request fails that request
(a 500); the next request finds it down. A replica that is up but far behind keeps answering with old data:
nothing here measures lag (docs/replicas.md says how to watch it).
"""

import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "districtwiki_primary"
PIN_SALT = "districtwiki.replicas.pin"
REPLICA_RETRY_SECONDS = 30


# --- Per request ----------------------------------------------------------------------------------------


@dataclass
class RequestRouting:
    """Where the reads of the current request may go; ReadYourWritesMiddleware sets it for each request."""

    may_use_replica: bool
    wrote: bool = False
    replica: str | None = None  # chosen at the first read that may go to a replica

    @property
    def reads_from_primary(self) -> bool:
        return not self.may_use_replica or self.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block


# A context variable rather than a thread local: it follows a request through WSGI threads and ASGI tasks.
_current: ContextVar[RequestRouting | None] = ContextVar("districtwiki_request_routing", default=None)


@contextmanager
def request_routing(may_use_replica: bool) -> Iterator[RequestRouting]:
    """The routing of one request, for as long as the block runs."""
    routing = RequestRouting(may_use_replica)
    token = _current.set(routing)
    try:
        yield routing
    finally:
        _current.reset(token)


# --- The router -----------------------------------------------------------------------------------------


class ReplicaRouter:
    """Writes go to the primary; reads to a replica when the request allows it (see the module docstring)."""

    def __init__(self):
        self._turns = itertools.count()
        self._down_until: dict[str, float] = {}  # this process's view only: each process finds out for itself

    def db_for_read(self, model, **hints) -> str:
        routing = _current.get()
        if routing is None or routing.reads_from_primary:
            return DEFAULT_DB_ALIAS
        if routing.replica is None:
            routing.replica = self.pick_replica()
        return routing.replica

    def db_for_write(self, model, **hints) -> str:
        routing = _current.get()
        if routing is not None:
            routing.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every alias holds the same rows

    def allow_migrate(self, db, app_label, **hints) -> bool | None:
        return False if db in settings.READ_REPLICAS else None  # a replica follows the primary's schema

    def pick_replica(self) -> str:
        """The next replica in turn that answers; the primary when none does."""
        replicas = settings.READ_REPLICAS
        start = next(self._turns)
        for offset in range(len(replicas)):
            alias = replicas[(start + offset) % len(replicas)]
            if self.is_reachable(alias):
                return alias
        return DEFAULT_DB_ALIAS

    def is_reachable(self, alias: str) -> bool:
        if self._down_until.get(alias, 0.0) > time.monotonic():
            return False
        connection = connections[alias]
        try:
            connection.close_if_health_check_failed()  # done once per request; the first query skips it then
            connection.ensure_connection()
        except DatabaseError as error:
            self._down_until[alias] = time.monotonic() + REPLICA_RETRY_SECONDS
            reason = (str(error).strip() or type(error).__name__).splitlines()[0]
            logger.warning(
                "Read replica %s does not answer (%s); reading from elsewhere for %d s.",
                alias,
                reason,
                REPLICA_RETRY_SECONDS,
            )
            return False
        return True


# --- Read-your-writes -----------------------------------------------------------------------------------


class ReadYourWritesMiddleware:
    """Sets each request's routing, and pins a client that wrote to the primary for the window.

    Sits after BearerTokenMiddleware: the token (looked up on the primary, so a token made a moment ago
    works) decides where an API client's pin is kept."""

    def __init__(self, get_response):
        if not settings.READ_REPLICAS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        api_token = getattr(request, "api_token", None)
        safe = request.method in SAFE_METHODS
        with request_routing(may_use_replica=safe and not is_pinned(request, api_token)) as routing:
            response = self.get_response(request)
        if routing.wrote or not safe:
            pin(response, api_token)
        return response


def token_pin_key(api_token) -> str:
    return f"replicas:primary-until:token:{api_token.pk}"


def is_pinned(request, api_token) -> bool:
    if api_token is not None:
        until = cache.get(token_pin_key(api_token))
    else:
        until = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT)
    try:
        return until is not None and float(until) > time.time()
    except ValueError:
        return False


def pin(response, api_token) -> None:
    """Send this client's reads to the primary until READ_YOUR_WRITES_SECONDS from now."""
    window = settings.READ_YOUR_WRITES_SECONDS
    until = f"{time.time() + window:.3f}"
    if api_token is not None:
        cache.set(token_pin_key(api_token), until, timeout=window + 1)
        return
    response.set_signed_cookie(
        PIN_COOKIE,
        until,
        salt=PIN_SALT,
        max_age=window + 1,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
