"""Signed-in page views from a shared shell (docs/signed-in-views.md).

A member's view of a page is the page as every member of their role sees it (the shell) with a few member
parts filled in: the header's account menu and bell, the e-mail reminder, the Watch button, the CSRF token.
The shell is rendered once per page version and role (member, trusted, admin) for a stand-in member who has
no name, no notifications and no data, kept beside the anonymous answers under the same key (the page's view
stamp, the day, the build), and filled per request from one lookup of the member: their account row with
the facts features register (unread notifications, their own display name) and whether they watch the page.

Every fill is made from that lookup, so nothing of one member is ever in what another gets: the shell holds
nothing of any member, and the parts are rendered from the reader's own row. The slow path stays for what
the shell cannot show as the member would see it: a member whose own name shows differently to themselves
(a fact says so), pending messages, an old revision or any query string, a page that is a redirect.

Both the view (on a miss) and the WSGI front (pagecache.PageCacheApplication, on a hit) answer through
fill(), so an answer from the front is the answer the view would have made.
"""

from __future__ import annotations

import os
import re
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import membercache, pagecache
from .models import Watch
from .titles import title_path

# Stands for the CSRF token in shells and cached parts; the fill puts a freshly masked token in its place.
CSRF_SLOT = "csrfslotb7f3c21e"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")
CSRF_SECRET = re.compile(r"[a-zA-Z0-9]{32}")


def marker(name: str) -> str:
    return f"<!--member-part:{name}-->"


# --- What features add: member parts and facts ----------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A piece of a page that differs between members. `in_page(context)` is the template's context when a
    page is rendered for a real request; `for_viewer(viewer, page_path)` the same context made from the
    lookup, returning (a key naming everything the part shows, the context). The page_path it is given is
    PATH_SLOT, which the fill replaces with the page's path, so that its key need not name the page."""

    name: str
    template: str
    for_viewer: Callable[[Viewer, str], tuple[tuple, dict]]
    in_page: Callable[[dict], dict] | None = None


@dataclass(frozen=True)
class Fact:
    """A value of the member's lookup: `sql` is an expression over the user row `u` (a correlated subquery);
    `renders_own`: when it is true, this member's pages are rendered for them alone (the slow path).
    `rows`: the models (and the field naming the member) whose rows it reads, each saved or deleted row of
    which announces a change of the member (membercache.py); `deleted` false for a model whose rows are
    deleted only with the member or where the deleting code announces it (see notifications)."""

    name: str
    sql: str
    renders_own: bool = False
    rows: tuple[tuple[type, str], ...] = ()
    deleted: bool = True


_parts: dict[str, Part] = {}
_facts: dict[str, Fact] = {}
_part_cache: dict[tuple, bytes] = {}  # (part, key) → rendered, CSRF_SLOT in place of the token
PART_CACHE_SIZE = 4096


def register_part(part: Part) -> None:
    _parts[part.name] = part
    _part_cache.clear()


def register_fact(fact: Fact) -> None:
    _facts[fact.name] = fact
    for model, field in fact.rows:
        # One receiver per model and field: two facts read from the same rows announce a change once.
        changed, uid = membercache.row_of_member_changed(field), f"membercache.{model._meta.label}.{field}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        if fact.deleted:
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    lookup_query.cache_clear()
    session_lookup_query.cache_clear()


def render_part_in_page(name: str, context) -> str:
    """The part as a template shows it: a marker in a shell, else rendered with the page's own context."""
    if context.get("member_shell"):
        return mark_safe(marker(name))
    part = _parts[name]
    flat = context.flatten()
    values = part.in_page(flat) if part.in_page else flat
    return get_template(part.template).render(values)


# --- The member, from one lookup ---------------------------------------------------------------------------


class Viewer:
    """A signed-in member as the parts see them: what their row and the registered facts say, with the
    few attributes of a user the templates read."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, row: tuple, names: list[str]):
        values = dict(zip(names, row, strict=True))
        self.pk = self.id = values["id"]
        self.username = values["username"]
        self.email = values["email"]
        self.email_confirmed = bool(values["email_confirmed"])
        self.is_superuser = bool(values["is_superuser"])
        self.role_value = values["role"]
        self.watching = bool(values["watching"])
        self.facts = {name: values[name] for name in _facts}

    def get_username(self) -> str:
        return self.username

    @property
    def is_wiki_admin(self) -> bool:
        return self.role_value == user_model().Role.ADMIN or self.is_superuser

    @property
    def is_trusted(self) -> bool:
        return self.is_wiki_admin or self.role_value == user_model().Role.TRUSTED

    @property
    def own_name(self) -> str:
        return self.facts.get("own_name") or self.username

    @property
    def role(self) -> str:
        """Which shell: what the page shows differently by role (tools menu, review form, names)."""
        return "admin" if self.is_wiki_admin else "trusted" if self.is_trusted else "member"

    @property
    def renders_own(self) -> bool:
        return any(self.facts[name] for name, fact in _facts.items() if fact.renders_own)


USER_COLUMNS = ("id", "username", "email", "email_confirmed", "is_superuser", "role")
ROLES = ("member", "trusted", "admin")


@cache
def lookup_query() -> tuple[str, list[str]]:
    """One statement: the member's row, the registered facts and whether they watch the page. Parameters:
    the page id, then the user id. The password hash comes last, for the session check only."""
    columns, names = _lookup_columns()
    sql = f"SELECT {columns} FROM {_quoted_table(user_model())} u WHERE u.id = %s AND u.is_active"
    return sql, names


@cache
def session_lookup_query() -> str:
    """lookup_query() with the session's row in front, in one round trip: its stored data and expiry (no row
    when the session has ended or expired; NULLs after them when the member is gone or suspended).
    Parameters: the page id, the user id, the session key, now."""
    columns, _ = _lookup_columns()
    return (
        f"SELECT s.session_data, s.expire_date, {columns} FROM {_quoted_table(Session)} s "
        f"LEFT JOIN {_quoted_table(user_model())} u ON u.id = %s AND u.is_active "
        "WHERE s.session_key = %s AND s.expire_date > %s"
    )


def _lookup_columns() -> tuple[str, list[str]]:
    quote = connections["default"].ops.quote_name
    columns = [f"u.{quote(column)}" for column in USER_COLUMNS]
    watching = f"EXISTS (SELECT 1 FROM {_quoted_table(Watch)} w WHERE w.user_id = u.id AND w.page_id = %s)"
    facts = [f"({fact.sql})" for fact in _facts.values()]
    return ", ".join([*columns, watching, *facts, "u.password"]), [*USER_COLUMNS, "watching", *_facts]


def _quoted_table(model) -> str:
    return connections["default"].ops.quote_name(model._meta.db_table)


def lookup(user_id: int, page_id: int, session_hash: str | None = None) -> Viewer | None:
    """The active member `user_id` as the parts see them on page `page_id`, or None (no such member, or
    `session_hash` given and not matching their password now)."""
    sql, names = lookup_query()
    row = pagecache.fetch_one(user_model(), sql, (page_id, user_id))
    if row is None or (session_hash is not None and not _hash_matches(row[-1], session_hash)):
        return None
    return Viewer(row[:-1], names)


def session_member(session_key: str, page_id: int, fresh: bool = False) -> Viewer | None:
    """The member signed in by `session_key`, as lookup() gives them, or None for anything Django must
    answer (see signed_in_session). A session seen before is read with the member in one statement, when
    both are read from the same database: its member cannot change (signing in gives a new key), and its
    data, checked again on every read, says whether it still signs them in. With Redis, what that statement
    read is kept by the process until a change of it is announced (membercache.py); `fresh`: the member has
    just changed something of theirs, so it is read again."""
    kept = membercache.table.get(session_key)
    if kept is not None and kept.watched is not None and not fresh:
        return Viewer(kept.row(page_id), lookup_query()[1])
    member_id = _session_members.get(session_key)
    database = router.db_for_read(Session)
    if member_id is None or database != router.db_for_read(user_model()):
        session = signed_in_session(session_key)
        if session is None:
            return None
        _remember_member(session_key, session[0])
        return lookup(session[0], page_id, session_hash=session[1])
    generation = membercache.table.generation
    connection = connections[database]
    row = pagecache.fetch_on(
        connection, session_lookup_query(), (page_id, member_id, session_key, now_in(connection))
    )
    if row is None:
        _session_members.pop(session_key, None)
        return None
    session = _signing_in(_decoded(row[0]))
    if session is None or session[0] != member_id:
        _session_members.pop(session_key, None)
        return None
    if row[2] is None or not _hash_matches(row[-1], session[1]):
        return None
    viewer = Viewer(row[2:-1], lookup_query()[1])
    # Not what a replica gave: it may still be behind when the announcement of a change arrives.
    if kept is None and database == DEFAULT_DB_ALIAS and membercache.enabled():
        _keep(generation, session_key, viewer, row)
    return viewer


def _keep(generation: int, session_key: str, viewer: Viewer, row: tuple) -> None:
    """Keep the member's lookup for this session (membercache.py), with the ids of the pages they watch, or
    that they watch too many to keep (each view then asks whether they watch its page)."""
    expires = membercache.expiry(row[1])
    if expires is None:
        return
    watches = Watch.objects.using(DEFAULT_DB_ALIAS).filter(user_id=viewer.id)
    watched = sorted(watches.values_list("page_id", flat=True)[: membercache.WATCHES_KEPT + 1])
    columns = len(USER_COLUMNS)
    kept = membercache.Kept(
        member_id=viewer.id,
        columns=row[2 : 2 + columns],
        facts=row[3 + columns : -1],
        watched=array("q", watched) if len(watched) <= membercache.WATCHES_KEPT else None,
        expires=expires,
        until=membercache.kept_until(),
    )
    membercache.table.keep(generation, session_key, kept)


_session_members: dict[str, int] = {}  # session key → the member it named when last decoded
SESSION_MEMBERS_KEPT = 10_000


def _remember_member(session_key: str, member_id: int) -> None:
    if len(_session_members) >= SESSION_MEMBERS_KEPT:
        _session_members.clear()
    _session_members[session_key] = member_id


def _hash_matches(password: str, session_hash: str) -> bool:
    """As django.contrib.auth.get_user checks a session: a password change signs every other session out."""
    return constant_time_compare(session_hash, _session_auth_hash(password))


@lru_cache(maxsize=1024)
def _session_auth_hash(password: str) -> str:
    """The user model's own method, on an unsaved instance holding the stored password hash."""
    return user_model()(password=password).get_session_auth_hash()


@cache
def user_model():
    return get_user_model()


# --- Sessions, as django.contrib.auth reads them ---------------------------------------------------------


def signed_in_session(session_key: str) -> tuple[int, str] | None:
    """(member id, session hash) of a session cookie, read as django.contrib.auth.get_user reads it: the
    session exists and has not expired and names the model backend; lookup() then checks the hash against
    the member's password. None for anything else, including a session with messages waiting (the view
    shows them)."""
    return _signing_in(_session_data(session_key))


def _signing_in(session: dict | None) -> tuple[int, str] | None:
    if not session or "_messages" in session or session.get(BACKEND_SESSION_KEY) != MODEL_BACKEND:
        return None
    if MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        return int(session[SESSION_KEY]), str(session.get(HASH_SESSION_KEY) or "")
    except (KeyError, TypeError, ValueError):
        return None


def _session_key_shaped(session_key: str) -> bool:
    """Whether the cookie can name a session of a database-backed engine (whose keys are 32 characters
    in Django; up to 40 are stored)."""
    return settings.SESSION_ENGINE in SESSION_ENGINES and 0 < len(session_key) <= 40


def _session_data(session_key: str) -> dict | None:
    if not _session_key_shaped(session_key):
        return None
    if settings.SESSION_ENGINE.endswith("cached_db"):
        # The shared cache first, the database when it has expired there.
        return import_module(settings.SESSION_ENGINE).SessionStore(session_key).load() or None
    # The database engine, read by one plain statement: the ORM's query costs more than the page's fill.
    connection = connections[router.db_for_read(Session)]
    row = pagecache.fetch_on(connection, SESSION_QUERY, (session_key, now_in(connection)))
    return _decoded(row[0]) if row else None


def now_in(connection):
    """Now, as `connection` compares it with a session's expiry date."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


SESSION_QUERY = (
    f"SELECT session_data FROM {Session._meta.db_table} WHERE session_key = %s AND expire_date > %s"
)


@lru_cache(maxsize=1024)
def _decoded(session_data: str) -> dict:
    """The session's data, signature checked, as SessionStore.decode gives it (an empty dict for a bad
    signature). Kept by the stored text, which changes whenever the session does."""
    return import_module(settings.SESSION_ENGINE).SessionStore().decode(session_data)


def csrf_secret(cookies: dict) -> str | None:
    """The CSRF secret of the reader's cookie, when it is one Django would accept as it is."""
    secret = cookies.get(settings.CSRF_COOKIE_NAME, "")
    return secret if not settings.CSRF_USE_SESSIONS and CSRF_SECRET.fullmatch(secret) else None


def csrf_cookie(secret: str) -> tuple[str, str]:
    """The Set-Cookie header Django's CSRF middleware sends with every answer that uses the token (it
    renews the cookie's expiry), made with the same settings; the same for a second."""
    return _csrf_cookie(secret, int(time.time()))


@lru_cache(maxsize=256)
def _csrf_cookie(secret: str, _second: int) -> tuple[str, str]:
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return "Set-Cookie", response.cookies[settings.CSRF_COOKIE_NAME].OutputString()


TOKEN_CHARACTERS = CSRF_ALLOWED_CHARS.encode()
UNBIASED_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)  # bytes below this map evenly onto the characters
# bytes.translate tables: a random byte to a character's index (the biased ones deleted), an index to its
# character, and for each character of a secret, an index to that character moved on by the index.
TO_INDEX = bytes(byte % len(CSRF_ALLOWED_CHARS) for byte in range(256))
BIASED = bytes(range(UNBIASED_BELOW, 256))
TO_CHARACTER = TOKEN_CHARACTERS.ljust(256, b"\0")
MOVED_ON = {
    character: bytes(TOKEN_CHARACTERS[(at + index) % len(CSRF_ALLOWED_CHARS)] for index in range(256))
    for at, character in enumerate(CSRF_ALLOWED_CHARS)
}


def masked_token(secret: str) -> str:
    """A fresh masking of the CSRF secret, as django.middleware.csrf.get_token gives one (its format: a
    random mask, then the secret added to it character by character). Django draws the mask one system
    call per character; here one call gives all of it, which is most of what the fill costs otherwise.
    The test suite checks that Django's middleware accepts these tokens and unmasks them to the secret."""
    indices = b""
    while len(indices) < CSRF_SECRET_LENGTH:
        indices += os.urandom(48).translate(TO_INDEX, BIASED)
    indices = indices[:CSRF_SECRET_LENGTH]
    cipher = bytes(MOVED_ON[character][index] for character, index in zip(secret, indices, strict=True))
    return (indices.translate(TO_CHARACTER) + cipher).decode()


# --- Shells ---------------------------------------------------------------------------------------------


class ShellStore:
    """The shells of a page, one per role, beside the anonymous answers (pagecache's stores) and this
    process's memory layer, under the page's version key."""

    @staticmethod
    def _store(role: str):
        return _shell_store(settings.PAGE_CACHE_DIR, role, bool(settings.REDIS_URL))

    def get(self, role: str, version: pagecache.Version) -> tuple[pagecache.Headers, tuple] | None:
        """The shell's headers and its pieces (cut()), or None."""
        memory = pagecache.memory_layer()
        key = (role, version.page_id)
        stored = memory.get(key, version.key)
        if stored is None and (stored := self._store(role).get(version.page_id, version.key)) is not None:
            headers, shell = stored
            stored = headers, cut(shell)
            memory.put(key, version.key, headers, stored[1], len(shell))
        return stored

    def clear(self) -> None:
        """Every shell of this machine's files (the shared cache is cleared with the rest of it)."""
        for role in ROLES:
            self._store(role).clear()

    def put(self, role: str, version: pagecache.Version, headers: pagecache.Headers, shell: bytes) -> None:
        self._store(role).put(version.page_id, version.key, headers, shell)
        pagecache.memory_layer().put((role, version.page_id), version.key, headers, cut(shell), len(shell))


@lru_cache(maxsize=16)
def _shell_store(directory: Path, role: str, shared: bool):
    return pagecache.store_at(directory / "members" / role, f"pageshell:{role}:", shared)


shells = ShellStore()


def stand_in(role: str):
    """The member a shell is rendered for: the role's rights, and no name, id or data of anyone."""
    model = user_model()
    values = {"admin": model.Role.ADMIN, "trusted": model.Role.TRUSTED, "member": model.Role.MEMBER}
    return model(username="member", role=values[role], is_active=True)


def render_shell(request, template: str, context: Callable[[object], dict], role: str) -> bytes:
    """`context(user)`: the template's context for that reader."""
    member = stand_in(role)
    shell_context = {
        **context(member),
        "member_shell": True,
        "user": member,
        "perms": None,
        "messages": (),
        "bell": None,
        "csrf_token": CSRF_SLOT,
    }
    return render_to_string(template, shell_context, request).encode()


def fill(pieces: tuple, viewer: Viewer, page_path: str, token: str) -> bytes:
    """The shell (its cut() pieces) with the viewer's parts in place and `token` (a masked CSRF token)
    wherever it is used."""
    filled = list(pieces)
    encoded, path = token.encode(), None
    for at in range(1, len(pieces), 2):
        slot = pieces[at]
        if slot == CSRF_SLOT_BYTES:
            filled[at] = encoded
            continue
        part = _part_for(slot, viewer).replace(CSRF_SLOT_BYTES, encoded)  # a part's forms carry it too
        if PATH_SLOT_BYTES in part:
            path = path or escape(page_path).encode()  # as the template's autoescaping writes it
            part = part.replace(PATH_SLOT_BYTES, path)
        filled[at] = part
    return b"".join(filled)


CSRF_SLOT_BYTES = CSRF_SLOT.encode()
# Stands for the page's path in rendered parts, so that a part rendered for one page serves every page
# (4,096 rendered parts would not hold one Watch button per page of a large wiki).
PATH_SLOT = "pathslot4c9e1a7d"
PATH_SLOT_BYTES = PATH_SLOT.encode()
PART_OPENING, PART_CLOSING = (part.encode() for part in marker("\n").split("\n"))
PART_NAME = re.compile(rb"\w+")


def cut(shell: bytes) -> tuple:
    """The shell cut at its slots: text, slot, text, … , text; a slot is a part's name (str) or the CSRF
    slot (bytes). The memory layer keeps shells cut, so a fill only joins. Cut by splitting at the slots'
    fixed text, which scans the shell at memory speed (a regular expression of the two slots, which has
    no fixed prefix to search for, took some 50 times longer: most of a view whose shell was not in
    memory)."""
    pieces: list = []
    for number, stretch in enumerate(shell.split(CSRF_SLOT_BYTES)):
        if number:
            pieces.append(CSRF_SLOT_BYTES)
        first, *parts = stretch.split(PART_OPENING)
        text = [first]
        for part in parts:
            name, closed, rest = part.partition(PART_CLOSING)
            if closed and PART_NAME.fullmatch(name):
                pieces += [b"".join(text), name.decode()]
                text = [rest]
            else:  # not a marker after all: the text goes on
                text += [PART_OPENING, part]
        pieces.append(b"".join(text))
    return tuple(pieces)


def _part_for(name: str, viewer: Viewer) -> bytes:
    """The part rendered once for each distinct thing it shows (the key names all of it), then reused;
    PATH_SLOT where it shows the page's path."""
    key, context = _parts[name].for_viewer(viewer, PATH_SLOT)
    rendered = _part_cache.get((name, key))
    if rendered is None:
        rendered = get_template(_parts[name].template).render({**context, "csrf_token": CSRF_SLOT}).encode()
        if len(_part_cache) >= PART_CACHE_SIZE:
            _part_cache.clear()
        _part_cache[(name, key)] = rendered
    return rendered


# --- Answering ------------------------------------------------------------------------------------------


def eligible(request) -> bool:
    """Whether this request's page view may be a filled shell: a signed-in member by session (not a bearer
    token), a plain GET or HEAD of the page's URL with no query, and no message waiting to be shown."""
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.COOKIES.get("messages")
        and request.user.is_authenticated
        and request.user.is_active
        and "_messages" not in request.session
        and settings.SESSION_ENGINE in SESSION_ENGINES
    )


def view_answer(request, page, template: str, context: Callable[[object], dict]) -> HttpResponse | None:
    """The view's answer for an eligible member, through the same fill as the front; None: render it for
    them alone. `context(user)` is the template's context for that reader, asked for only when the shell
    must be rendered."""
    viewer = lookup(request.user.pk, page.pk)
    if viewer is None or viewer.renders_own:
        return None
    version = pagecache.Version(page.pk, page.view_stamp)
    stored = shells.get(viewer.role, version)
    shell = None if stored else render_shell(request, template, context, viewer.role)
    pieces = stored[1] if stored else cut(shell)
    response = HttpResponse(fill(pieces, viewer, page.url_title, get_token(request)))
    if stored is None:
        response.member_shell = (viewer.role, version, shell)  # stored by the middleware, with its headers
    return response


def front_answer(environ: dict, title: str, cookies: dict) -> pagecache.Answer | None:
    """A member's page view without Django, when everything it needs is at hand; None sends the request on
    to Django, which answers it (and stores the shell that was missing)."""
    secret = csrf_secret(cookies)
    session_key = cookies.get(settings.SESSION_COOKIE_NAME, "")
    if secret is None or not _session_key_shaped(session_key):
        return None
    current = pagecache.current_stamp(title)
    if current is None:
        return None
    viewer = session_member(session_key, current[0], fresh=membercache.FRESH_COOKIE in cookies)
    if viewer is None or viewer.renders_own:
        return None
    version = pagecache.Version(*current)
    stored = shells.get(viewer.role, version)
    if stored is None:
        return None
    headers, pieces = stored
    body = fill(pieces, viewer, title_path(title), masked_token(secret))
    headers = [*headers, ("Content-Length", str(len(body))), csrf_cookie(secret)]
    return pagecache.Answer(200, headers, body if environ["REQUEST_METHOD"] == "GET" else b"")


def watch_part(viewer: Viewer, page_path: str) -> tuple[tuple, dict]:
    context = {"page": SimpleNamespace(url_title=page_path), "watching": viewer.watching}
    return (page_path, viewer.watching), context


register_part(Part("watch", "wiki/_watch_form.html", watch_part))
