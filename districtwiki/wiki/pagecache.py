"""The anonymous page cache: whole responses of GET /wiki/<title> for readers who are not signed in.

A page's view stamp (Page.view_stamp) moves on whenever what an anonymous reader sees of it changes: its own
saves (Page.save), and, through touch_pages, changes elsewhere that show on it — a page it links to created,
deleted, moved or restored (red and blue links), a discussion thread opened or closed on it (the talk tab
counts them), its starter-page record updated, the name of its last author or of an uploader erased
(touch_pages_naming). A cached answer is kept under a key made of the page, its stamp, today's date (the
"out of date" banner depends on it) and the build (the code and the settings that change every page), and is
served only while all four still match, so an edit is seen at once by every app process, whatever each of
them cached: each request asks the database for the stamp (one indexed query) before answering from the
cache. With Redis, each process keeps the stamps it has read until a change anywhere is announced to it
(stampcache.py): an edit is then seen by other processes as soon as the announcement arrives.

Signed-in members' views are answered from shells of the page kept in the same stores (memberviews.py).

Where the answers live: the shared Redis cache when REDIS_URL is set (every process on every machine), else
one file per page under DISTRICTWIKI_PAGE_CACHE_DIR (every process on the machine; it survives restarts).

Hits are answered by PageCacheApplication, the WSGI application `districtwiki serve` runs, before Django's
handler: the stamp query and a lookup are all a hit costs. Misses go through Django, where the middleware
stores what the view made.

The same key gives the ETag, so browsers and proxies revalidate with a 304 for the cost of that one query.
Cache-Control lets a CDN or nginx keep anonymous views (for DISTRICTWIKI_CDN_MAX_AGE seconds, default 0:
revalidate every time); every other answer that does not say otherwise is marked private.
"""

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.http.response import ResponseHeaders
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from districtwiki import replicas

from . import stampcache
from .models import FileUpload, Page, PageLink, stamp_now

logger = logging.getLogger(__name__)

PREFIX = "/wiki/"
# Headers that belong to one answer, never stored with the body.
PER_ANSWER = {"x-cache", "x-page-shell", "date", "set-cookie"}


# --- Marking pages changed ------------------------------------------------------------------------------


def touch_pages(pages) -> int:
    """Move the view stamp of `pages` (a Page queryset) on; returns how many rows changed. With the stamp
    tables on (stampcache.py), the pages are found first and named in the announcement, so that the other
    processes forget only their stamps; more than ANNOUNCED_PAGES_AT_MOST are announced as every page."""
    moving = Greatest(F("view_stamp") + 1, Value(stamp_now()))
    if not stampcache.enabled():
        return pages.update(view_stamp=moving)
    page_ids = list(pages.values_list("pk", flat=True)[: stampcache.ANNOUNCED_PAGES_AT_MOST + 1])
    if len(page_ids) > stampcache.ANNOUNCED_PAGES_AT_MOST:
        touched, page_ids = pages.update(view_stamp=moving), None
    else:
        # Only the pages named: one that came to match since is as one that matched after the UPDATE.
        touched = Page.objects.filter(pk__in=page_ids).update(view_stamp=moving) if page_ids else 0
    if touched:
        stampcache.stamps_moved(page_ids)
    return touched


# Titles whose linking pages wait to be touched together, inside linking_touched_together(); else None.
_waiting_titles: ContextVar[set[str] | None] = ContextVar("waiting_titles", default=None)
TOUCH_TITLES_AT_ONCE = 500


def touch_linking(*titles: str) -> int:
    """Pages linking to any of `titles`: their links change colour when one is created or deleted. Inside
    linking_touched_together() the titles wait for its end, and 0 is returned."""
    waiting = _waiting_titles.get()
    if waiting is not None:
        waiting.update(titles)
        return 0
    touched = 0
    titles = sorted(set(titles))
    for start in range(0, len(titles), TOUCH_TITLES_AT_ONCE):
        sources = PageLink.objects.filter(target__in=titles[start : start + TOUCH_TITLES_AT_ONCE])
        touched += touch_pages(Page.objects.filter(pk__in=sources.values("source_id")))
    return touched


@contextmanager
def linking_touched_together():
    """For a writer that creates many pages in one transaction (an importer's group of pages): the pages
    linking to any of them are touched by one UPDATE when the block ends without an error, still inside the
    caller's transaction, instead of one per page created. Used inside transaction.atomic(), so a reader
    never sees the new pages without the touched stamps."""
    titles: set[str] = set()
    token = _waiting_titles.set(titles)
    try:
        yield
    finally:
        _waiting_titles.reset(token)
    if titles:
        touch_linking(*titles)


def touch_pages_naming(user) -> int:
    """Pages whose view names `user`, for when that name changes (an account deleted): the footer names the
    author of the latest revision, and a File: page's history names every uploader. Nothing else on the
    page view names a member (other revisions' authors show only at ?oldid=, which is never cached). One
    UPDATE, however many pages."""
    uploaded = FileUpload.objects.filter(uploader=user).values("page_id")
    return touch_pages(Page.objects.filter(Q(latest__author=user) | Q(pk__in=uploaded)))


def page_saved(sender, instance: Page, created: bool, update_fields=None, **kwargs) -> None:
    """A page that comes into being, is deleted or restored, or changes title recolours links to it."""
    if created or update_fields is None or {"deleted_at", "title"} & set(update_fields):
        touch_linking(instance.title)


def watch_fields(*fields: str):
    """A receiver for a model with a `page` that shows on the page view: saving any of `fields` (or the
    whole row, or deleting it) touches that page."""
    watched = set(fields)

    def touch_page(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
        if created or update_fields is None or watched & set(update_fields):
            touch_pages(Page.objects.filter(pk=instance.page_id))

    return touch_page


# --- Where answers are kept -----------------------------------------------------------------------------

Headers = list[tuple[str, str]]


class FileStore:
    """One file per page: the key on the first line, the headers on the second (names and values, each
    followed by a carriage return, which no header may hold), then the body. Written to a temporary file
    and renamed, so a reader never sees half an answer."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.prefix = str(self.directory) + os.sep  # paths built as strings: this runs on every hit

    def path(self, page_id: int) -> Path:
        return Path(self.location(page_id))

    def location(self, page_id: int) -> str:
        return f"{self.prefix}{page_id % 256:02x}{os.sep}{page_id}.html"

    def get(self, page_id: int, key: str) -> tuple[Headers, bytes] | None:
        try:
            data = read_file(self.location(page_id))
            end_of_key = data.index(b"\n")
            if data[:end_of_key] != key.encode():
                return None
            end_of_headers = data.index(b"\n", end_of_key + 1)
            *fields, rest = data[end_of_key + 1 : end_of_headers].decode().split("\r")
            headers = list(zip(fields[::2], fields[1::2], strict=True))  # ValueError: a name left alone
            if rest:
                return None
        except (OSError, ValueError):  # missing, damaged or written by an older version
            return None
        return headers, data[end_of_headers + 1 :]

    def put(self, page_id: int, key: str, headers: Headers, body: bytes) -> None:
        fields = "".join(f"{name}\r{value}\r" for name, value in headers)
        if fields.count("\r") != 2 * len(headers) or "\n" in fields or "\n" in key:
            return  # not a header Django would send: never stored
        path = self.path(page_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(key.encode() + b"\n" + fields.encode() + b"\n" + body)
            os.replace(temporary, path)
        except OSError:
            pass  # a full or read-only disk costs speed, never an answer

    def clear(self) -> None:
        for path in self.directory.glob("*/*.html"):
            path.unlink(missing_ok=True)


def read_file(location: str) -> bytes:
    """The whole file in one read of its size, without Python's file object around it (a hit's cost)."""
    handle = os.open(location, os.O_RDONLY)
    try:
        return os.read(handle, os.fstat(handle).st_size)
    finally:
        os.close(handle)


class SharedCacheStore:
    """One entry per page in a Django cache (Redis with REDIS_URL): every app process on every machine."""

    def __init__(self, alias: str = "default", prefix: str = "pageview:"):
        self.alias, self.prefix = alias, prefix

    @property
    def cache(self):
        return caches[self.alias]  # this thread's client, as Django hands them out

    def get(self, page_id: int, key: str) -> tuple[Headers, bytes] | None:
        stored = self.cache.get(f"{self.prefix}{page_id}")
        if stored is None or stored[0] != key:
            return None
        return stored[1], stored[2]

    def put(self, page_id: int, key: str, headers: Headers, body: bytes) -> None:
        self.cache.set(f"{self.prefix}{page_id}", (key, headers, body), settings.PAGE_CACHE_SECONDS)


class LayeredStore:
    """With Redis: this machine's files in front of the shared cache. A hit reads a local file instead of
    a round trip to Redis and unpickling tens of kilobytes; an answer only the shared cache holds (another
    machine made it) is kept here too. Both are looked up by the version key, so neither can be staler
    than the other."""

    def __init__(self, local: FileStore, shared: SharedCacheStore):
        self.local, self.shared = local, shared

    def get(self, page_id: int, key: str) -> tuple[Headers, bytes] | None:
        if (found := self.local.get(page_id, key)) is None and (found := self.shared.get(page_id, key)):
            self.local.put(page_id, key, *found)
        return found

    def put(self, page_id: int, key: str, headers: Headers, body: bytes) -> None:
        self.local.put(page_id, key, headers, body)
        self.shared.put(page_id, key, headers, body)

    def clear(self) -> None:
        """This machine's files (the shared cache is cleared with the rest of it)."""
        self.local.clear()


def page_store() -> FileStore | LayeredStore:
    return store_at(settings.PAGE_CACHE_DIR, "pageview:", bool(settings.REDIS_URL))


@lru_cache(maxsize=16)
def store_at(directory: Path, shared_prefix: str, shared: bool) -> FileStore | LayeredStore:
    """The files under `directory`; when `shared` (with Redis), in front of the shared cache's entries
    `shared_prefix…`. Made once: every hit asks for its store."""
    if shared:
        return LayeredStore(file_store(directory), SharedCacheStore(prefix=shared_prefix))
    return file_store(directory)


@lru_cache(maxsize=4)
def file_store(directory: Path) -> FileStore:
    return FileStore(directory)


# What a kept answer costs besides its body and its headers' text (tracemalloc, 10,000 pages: 2.8 KB for an
# answer's 13 headers): the entry with its key, and per header a tuple and two strings.
ENTRY_BYTES = 300
HEADER_BYTES = 170


def entry_bytes(key: str, headers: Headers, body_bytes: int) -> int:
    header_bytes = sum(HEADER_BYTES + len(name) + len(value) for name, value in headers)
    return body_bytes + ENTRY_BYTES + len(key) + header_bytes


class MemoryLayer:
    """The most recently served answers of this process, up to a byte budget (bodies, headers and the
    objects holding them), in front of the store: a hit costs a dictionary lookup instead of a file read or
    a Redis round trip. Always checked by key, so it is never staler than the store."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self.entries: OrderedDict[int, tuple[str, Headers, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, page_id, key: str) -> tuple[Headers, bytes] | None:
        with self.lock:
            entry = self.entries.get(page_id)
            if entry is None or entry[0] != key:
                return None
            self.entries.move_to_end(page_id)
        return entry[1], entry[2]

    def put(self, page_id, key: str, headers: Headers, body, size: int | None = None) -> None:
        """`body`: the answer's bytes, or anything else kept for the page (`size`: its bytes)."""
        size = entry_bytes(key, headers, len(body) if size is None else size)
        if size > self.budget // 8:
            return
        with self.lock:
            old = self.entries.pop(page_id, None)
            self.used -= old[3] if old else 0
            self.entries[page_id] = (key, headers, body, size)
            self.used += size
            while self.used > self.budget:
                _, (_, _, _, dropped) = self.entries.popitem(last=False)
                self.used -= dropped


@cache
def memory_layer() -> MemoryLayer:
    """This process's layer, shared by the WSGI front (PageCacheApplication) and the middleware."""
    return MemoryLayer(settings.PAGE_CACHE_MEMORY_MB * 1024 * 1024)


# --- Which requests, which version ----------------------------------------------------------------------


@cache
def build() -> str:
    """What every page's HTML depends on besides the page: the code and templates, and the settings that
    show on every page. Changes on an upgrade, so answers cached by the previous version are not served."""
    digest = hashlib.sha256()
    shown = (settings.SITE_NAME, settings.ALLOW_ANONYMOUS_EDITS, settings.REQUIRE_EMAIL_CONFIRMATION)
    for value in (*shown, settings.CDN_MAX_AGE):
        digest.update(repr(value).encode())
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html"} and "tests" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cacheable_title(method: str, path: str, meta: dict, cookies: dict) -> str | None:
    """The page title when this request may be answered from the cache: an anonymous GET or HEAD of a
    page's canonical URL (`path`, decoded as Django's path_info) with no query, no session and no
    credentials. Stored titles are canonical, so the stamp query below finds a page only when the URL is
    the page's canonical one; any other spelling goes to the view, which redirects it."""
    if settings.PRIVATE_WIKI or settings.SESSION_COOKIE_NAME in cookies:
        return None
    return page_view_title(method, path, meta, cookies)


def page_view_title(method: str, path: str, meta: dict, cookies: dict) -> str | None:
    """The page title of a plain view of a page (a GET or HEAD of its URL with no query, no credentials
    but a session cookie, and no message waiting in a cookie), anonymous or not; None for anything else."""
    if not settings.PAGE_CACHE or method not in ("GET", "HEAD"):
        return None
    if not path.startswith(PREFIX) or " " in path or "\x00" in path or meta.get("QUERY_STRING"):
        return None
    if "HTTP_AUTHORIZATION" in meta or cookies.get("messages") or not host_allowed(meta):
        return None
    return path[len(PREFIX) :].replace("_", " ")


_allowed_hosts: dict[tuple, bool] = {}


def host_allowed(meta: dict) -> bool:
    """Whether the request's host is one of ALLOWED_HOSTS (Django's own check), remembered per value of
    the headers it is read from, because every page view asks."""
    seen = tuple(
        meta.get(name) for name in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "SERVER_NAME", "SERVER_PORT")
    )
    allowed = _allowed_hosts.get(seen)
    if allowed is None:
        request = HttpRequest()
        request.META = meta
        try:
            request.get_host()
            allowed = True
        except DisallowedHost:
            allowed = False
        if len(_allowed_hosts) > 1000:  # a flood of invented Host headers
            _allowed_hosts.clear()
        _allowed_hosts[seen] = allowed
    return allowed


STAMP_QUERY = (
    f"SELECT id, view_stamp FROM {Page._meta.db_table} "
    "WHERE title = %s AND deleted_at IS NULL AND redirect_to = ''"
)


def current_stamp(title: str) -> tuple[int, int] | None:
    """(page id, view stamp) of a live, non-redirect page: one indexed query, or with Redis this process's
    table of stamps, which forgets a page's stamp when any process moves it (stampcache.py). Only stamps
    read from the primary are kept: a replica may still be behind when the announcement of a change
    arrives, so a read routed to one asks it every time, as the view does (its lag is its own bound:
    docs/replicas.md)."""
    if router.db_for_read(Page) != DEFAULT_DB_ALIAS:
        return read_stamp(title)
    return stampcache.stamp(title, read_stamp)


RECENT_STAMPS_QUERY = (
    f"SELECT title, id, view_stamp FROM {Page._meta.db_table} "
    "WHERE deleted_at IS NULL AND redirect_to = '' ORDER BY view_stamp DESC LIMIT %s"
)


def recent_stamps(limit: int) -> list[tuple[str, tuple[int, int]]]:
    """(title, (page id, view stamp)) of the `limit` live, non-redirect pages changed last, read from the
    primary (stampcache's preload)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(RECENT_STAMPS_QUERY, [limit])
        return [(title, (page_id, stamp)) for title, page_id, stamp in cursor.fetchall()]


def read_stamp(title: str) -> tuple[int, int] | None:
    row = fetch_one(Page, STAMP_QUERY, (title,))
    return (row[0], row[1]) if row else None


def fetch_one(model, query: str, params: tuple) -> tuple | None:
    """The first row of `query` (%s placeholders) on the database `model` is read from, straight on the
    database connection: this runs on every page view the front answers, and Django's cursor wrapper would
    double its cost."""
    return fetch_on(connections[router.db_for_read(model)], query, params)


def fetch_on(connection, query: str, params: tuple) -> tuple | None:
    """fetch_one() on `connection` (a Django connection wrapper)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        cursor = connection.connection.cursor()
        query = sqlite_placeholders(query)
    else:
        # Parameters bound on the server, so that the connection prepares the statement once it has run
        # a few times (settings.PREPARED_STATEMENTS); Django's own cursor would interpolate them instead.
        cursor = psycopg_cursor(connection.connection)
    try:
        cursor.execute(query, params)
        return cursor.fetchone()
    finally:
        cursor.close()


@lru_cache(maxsize=64)
def sqlite_placeholders(query: str) -> str:
    return query.replace("%s", "?")


def psycopg_cursor(connection):
    from psycopg import Cursor

    return Cursor(connection)


_day: tuple[float, float, date, int] = (0.0, 0.0, date.min, 0)


def current_day() -> tuple[date, int]:
    """Today in the site's time zone and its midnight (epoch seconds), worked out once a day."""
    global _day
    now = time.time()
    if not _day[0] <= now < _day[1]:
        today = timezone.localdate()
        zone = timezone.get_current_timezone()
        start = datetime(today.year, today.month, today.day, tzinfo=zone)
        end = start + timedelta(days=1)
        _day = (start.timestamp(), end.timestamp(), today, int(start.timestamp()))
    return _day[2], _day[3]


class Version:
    """One page as it is now: the cache key (also the ETag's value) and Last-Modified."""

    __slots__ = ("etag", "key", "last_modified", "page_id")

    def __init__(self, page_id: int, stamp: int):
        today, midnight = current_day()
        self.page_id = page_id
        self.key = f"{page_id}-{stamp}-{today.toordinal()}-{build()}"
        self.etag = f'"{self.key}"'
        # The banner for pages due for review appears at midnight without any edit.
        self.last_modified = max(stamp // 1_000_000, midnight)

    def not_modified(self, meta: dict) -> bool:
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            etags = parse_etags(if_none_match)
            return "*" in etags or self.etag in etags or "W/" + self.etag in etags
        if_modified_since = meta.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since is None:
            return False
        since = parse_http_date_safe(if_modified_since)
        return since is not None and self.last_modified <= since

    def apply(self, response, outcome: str):
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.CDN_MAX_AGE}, must-revalidate"
        patch_vary_headers(response, ("Cookie",))
        response["X-Cache"] = outcome
        return response


# --- Serving --------------------------------------------------------------------------------------------


class Answer(NamedTuple):
    """A whole answer from the cache: 200 with the stored headers and body, or 304 with the validators."""

    status: int
    headers: Headers
    body: bytes


def cached_answer(meta: dict, title: str) -> tuple[Version | None, Answer | None]:
    """The page's current version (None: no such live page, nothing to cache) and its answer when the
    cache holds it (None: the view must make it)."""
    current = current_stamp(title)
    if current is None:
        return None, None
    version = Version(*current)
    if version.not_modified(meta):
        return version, Answer(304, list(version.apply(HttpResponseNotModified(), "hit").items()), b"")
    memory = memory_layer()
    stored = memory.get(version.page_id, version.key)
    if stored is None and (stored := page_store().get(version.page_id, version.key)) is not None:
        memory.put(version.page_id, version.key, *stored)
    return version, (Answer(200, *stored) if stored is not None else None)


class StoredHeaders(ResponseHeaders):
    """Headers read back from the page cache. Django checked every name and value when the answer was
    first made, and the store holds only what it wrote, so they are not checked again on every hit."""

    def __init__(self, headers: Headers):
        self._store = {name.lower(): (name, value) for name, value in headers}


def mark_private(response):
    """Answers that do not say how to cache them may carry a member's data: never in a shared cache."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response


class AnonymousPageCacheMiddleware:
    """First in the stack. Under `districtwiki serve` PageCacheApplication answers hits before Django runs,
    so here they are only the ones other servers pass on (the test client, ASGI); misses are made and
    stored here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        title = cacheable_title(request.method, request.path_info, request.META, request.COOKIES)
        version, answer = cached_answer(request.META, title) if title is not None else (None, None)
        if version is None:
            response = mark_private(self.get_response(request))
            if getattr(response, "member_shell", None) is not None:
                self.store_shell(response)
            return response
        if answer is not None:
            response = HttpResponse(answer.body if request.method == "GET" else b"", status=answer.status)
            response.headers = StoredHeaders(answer.headers)  # validated once when stored
            return response
        response = self.get_response(request)
        if not self.storable(request, response):
            return mark_private(response)
        # Key the answer by the stamp of the page the view read, not the one read above: the view may have
        # seen a newer page, and what it rendered must never be stored under a newer stamp than its own.
        version = Version(response.page_id, response.page_view_stamp)
        version.apply(response, "miss")
        if request.method == "GET":
            # Stored with its validators, so that a hit sets every header in one go.
            headers = [(k, v) for k, v in response.items() if k.lower() not in PER_ANSWER] + [
                ("X-Cache", "hit")
            ]
            page_store().put(version.page_id, version.key, headers, response.content)
            memory_layer().put(version.page_id, version.key, headers, response.content)
        return response

    @staticmethod
    def store_shell(response) -> None:
        """A signed-in member's page view made from a new shell (memberviews.view_answer): the shell is
        kept with this answer's headers, less those of this answer alone and its length."""
        from . import memberviews

        role, version, shell = response.member_shell
        if response.status_code != 200 or response.streaming:
            return
        skipped = PER_ANSWER | {"content-length"}
        headers = [(k, v) for k, v in response.items() if k.lower() not in skipped]
        headers.append(("X-Page-Shell", "hit"))
        memberviews.shells.put(role, version, headers, shell)
        response["X-Page-Shell"] = "miss"

    @staticmethod
    def storable(request, response) -> bool:
        return (
            response.status_code == 200
            and getattr(response, "page_view_stamp", None) is not None
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")
            and not request.user.is_authenticated
        )


STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


class PageCacheApplication:
    """The WSGI application `districtwiki serve` runs: Django's, behind a front that answers cache hits
    itself. A hit needs only the stamp query and a lookup, so it skips Django's request set-up and
    tear-down (the request_started and request_finished handlers are about a third of a hit's cost) as
    well as the middleware. Every other request, and any hit the front cannot make for any reason, goes
    to Django, where the middleware above makes and stores it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = self.answer(environ)
        if answer is None:
            return self.application(environ, start_response)
        start_response(STATUS_LINES[answer.status], answer.headers)
        return [answer.body if environ["REQUEST_METHOD"] == "GET" else b""]

    @staticmethod
    def answer(environ) -> Answer | None:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return None
        try:
            path = path.encode("iso-8859-1").decode()  # WSGI's PATH_INFO to text, as Django decodes it
            cookie = environ.get("HTTP_COOKIE")
            cookies = parse_cookie(cookie) if cookie else {}
            title = page_view_title(environ["REQUEST_METHOD"], path, environ, cookies)
            member = settings.SESSION_COOKIE_NAME in cookies
            if title is None or (settings.PRIVATE_WIKI and not member):
                return None
            if member and settings.READ_REPLICAS and replicas.PIN_COOKIE in cookies:
                return None  # a member who has just written: Django decides where they read (replicas.py)
            # With replicas the stamp is read from one, as the view would read the page; a reader who has
            # just edited (anonymously) carries the read-your-writes cookie and reads the primary.
            routing = (
                replicas.request_routing(may_use_replica=replicas.PIN_COOKIE not in cookies)
                if settings.READ_REPLICAS
                else nullcontext()
            )
            with routing:
                if member:
                    from . import memberviews

                    return memberviews.front_answer(environ, title, cookies)
                return cached_answer(environ, title)[1]
        except UnicodeError:
            return None  # Django answers a path that is not UTF-8
        except Exception:
            logger.warning("page cache front failed; Django answers instead", exc_info=True)
            return None
