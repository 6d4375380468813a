"""Signed-in page views from a shared shell (wiki/memberviews.py, docs/signed-in-views.md): each statement of
the design, on the view and on the WSGI front that answers without Django."""

import datetime
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.html import escape

from conftest import make_user
from districtwiki.community.actions import save_profile
from districtwiki.community.models import Profile
from districtwiki.discussions import moderation
from districtwiki.notifications.models import Notification
from districtwiki.wiki import actions, memberviews, pagecache
from districtwiki.wiki.pagecache import PageCacheApplication, Version, current_stamp
from districtwiki.wiki.titles import title_path

pytestmark = pytest.mark.django_db
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cookies_of(client: Client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def front(client: Client, path: str = "/wiki/Budget", method: str = "GET", **extra):
    """What the WSGI front answers, or None when it hands the request to Django."""
    environ = RequestFactory().generic(method, path, HTTP_COOKIE=cookies_of(client), **extra).environ
    return PageCacheApplication.answer(environ)


def view(client: Client, path: str = "/wiki/Budget"):
    response = client.get(path)
    assert response.status_code == 200
    return response


def tokenless(body: bytes) -> bytes:
    return TOKEN.sub(rb"\1-", body)


def full_render(client: Client, settings, path: str = "/wiki/Budget") -> bytes:
    """The page rendered for this member alone, as before shells."""
    settings.PAGE_CACHE = False
    try:
        return view(client, path).content
    finally:
        settings.PAGE_CACHE = True


def served(client: Client, path: str = "/wiki/Budget") -> bytes:
    """The front's answer once the view has stored the shell."""
    view(client, path)
    answer = front(client, path)
    assert answer is not None and answer.status == 200
    return answer.body


@pytest.fixture
def dora(db):
    """A second member of the plain member role, with a display name the others may see."""
    user = make_user("dora")
    save_profile(Profile(user=user, display_name="Dora Diaz", display_name_visibility="members"), [])
    return user


@pytest.mark.parametrize("role", ["member", "trusted", "admin"])
def test_a_members_view_is_the_page_rendered_for_them_alone(role, settings, make_page, alice, bob, ada):
    """Shell and fill give the very bytes the template gives for the member (the CSRF token aside, which is
    masked afresh on every answer): menus by role, their name, bell and Watch button."""
    reader = {"member": alice, "trusted": bob, "admin": ada}[role]
    make_page("Budget", "See [[Devices]] and [[Missing page]].\n\n[[Category:Money]]", author=alice)
    make_page("Devices", "text")
    Notification.objects.create(user=reader, kind="mention", text="hello", url="/")
    client = signed_in(reader)
    client.post("/watch/Budget", {"watch": "1"})
    assert b"Added to your watchlist" in view(client).content  # the message: rendered for them alone
    made = view(client)
    assert made["X-Page-Shell"] == "miss"
    assert b"Unwatch" in made.content and b'<span class="badge">1' in made.content
    again = view(client)
    assert "X-Page-Shell" not in again  # the view filled the stored shell
    expected = tokenless(full_render(client, settings))
    assert tokenless(made.content) == expected
    assert tokenless(again.content) == expected
    assert tokenless(front(client).body) == expected


def test_one_rendered_watch_button_serves_every_page(settings, make_page, alice):
    """The Watch form names its page; it is rendered once with a stand-in for the path, which the fill
    replaces, so a member reading ten thousand pages does not render it ten thousand times."""
    titles = ["Budget", "Plans & costs (2026)", "Zoe's notes"]  # the test client's paths are ASCII here
    for title in titles:
        make_page(title, "text")
    client = signed_in(alice)
    for title in titles:
        path = "/wiki/" + title_path(title)
        expected = tokenless(full_render(client, settings, path))
        assert f'action="/watch/{escape(title_path(title))}"'.encode() in expected
        assert tokenless(served(client, path)) == expected
    rendered = {key for name, key in memberviews._part_cache if name == "watch"}
    assert rendered <= {(memberviews.PATH_SLOT, True), (memberviews.PATH_SLOT, False)}, "none names a page"


def test_the_front_answers_with_the_views_headers_and_a_fresh_token(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    made = view(client)
    answer = front(client)
    headers = dict(answer.headers)
    assert headers["X-Page-Shell"] == "hit"
    assert headers["Cache-Control"] == made["Cache-Control"] and "private" in headers["Cache-Control"]
    assert headers["Content-Security-Policy"] == made["Content-Security-Policy"]
    assert headers["Vary"] == made["Vary"]
    assert int(headers["Content-Length"]) == len(answer.body)
    assert headers["Set-Cookie"].startswith("csrftoken=" + client.cookies["csrftoken"].value + ";")
    tokens = {TOKEN.search(body).group(2) for body in (made.content, answer.body, front(client).body)}
    assert len(tokens) == 3, "every answer masks the token afresh"


def test_the_front_reads_the_session_the_stamp_and_one_lookup(
    settings, monkeypatch, make_page, alice, django_assert_num_queries
):
    """Three indexed statements on the raw connection (with Redis, the session comes from the shared cache:
    two), and nothing through Django's cursor."""
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    statements = []
    fetch_on = pagecache.fetch_on
    monkeypatch.setattr(pagecache, "fetch_on", lambda *args: statements.append(args[1]) or fetch_on(*args))
    with django_assert_num_queries(0):
        assert front(client).status == 200
    from_cache = settings.SESSION_ENGINE.endswith("cached_db")
    assert len(statements) == (2 if from_cache else 3)


def test_the_token_from_the_front_is_accepted(make_page, alice):
    make_page("Budget", "text")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    view(client)
    token = TOKEN.search(front(client).body).group(2).decode()
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_head_has_the_length_of_the_get(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    head = front(client, method="HEAD")
    assert head.body == b"" and dict(head.headers)["Content-Length"] == str(len(front(client).body))


def test_nothing_of_one_member_is_in_the_shell_or_in_anothers_view(make_page, alice, dora):
    make_page("Budget", "text")
    alices, doras = signed_in(alice), signed_in(dora)
    alice_view = served(alices)
    assert "X-Page-Shell" not in view(doras), "filled from the shell alice's first view stored"
    dora_view = front(doras).body
    assert b"alice" in alice_view and b"dora" not in alice_view and b"Dora Diaz" not in alice_view
    assert b"Dora Diaz" in dora_view and b"alice" not in dora_view
    pieces = memberviews.shells.get("member", Version(*current_stamp("Budget")))[1]
    shell = b"".join(piece for piece in pieces if isinstance(piece, bytes))
    assert len(shell) > 5_000 and b"<h1>Budget</h1>" in shell
    for private in (b"alice", b"dora", b"Dora Diaz", b"example.org"):
        assert private not in shell


def test_many_members_at_once_each_see_only_themselves(transactional_db, make_page):
    """Twelve members of all three roles, eight threads at a time, each answer checked for its reader."""
    make_page("Budget", "text")
    roles = ["member", "trusted", "admin"]
    readers = [make_user(f"reader{number}", role=roles[number % 3]) for number in range(12)]
    clients = {reader.username: signed_in(reader) for reader in readers}
    for client in clients.values():
        view(client)  # the first view stores a shell for each role and gives each browser its CSRF cookie

    def read(name: str) -> bytes:
        try:
            return front(clients[name]).body
        finally:
            connection.close()

    names = [reader.username for reader in readers] * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(read, names))
    for name, body in zip(names, bodies, strict=True):
        shown = set(re.findall(rb"Signed in as <strong>(reader\d+)</strong>", body))
        assert shown == {name.encode()}
        assert set(re.findall(rb"reader\d+", body)) == {name.encode()}


def test_a_session_seen_before_is_read_with_its_member_in_one_statement(monkeypatch, make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served(client)
    statements = []
    real_fetch_on = pagecache.fetch_on

    def counted(connection, query, params):
        statements.append(query)
        return real_fetch_on(connection, query, params)

    monkeypatch.setattr(pagecache, "fetch_on", counted)
    assert b"Signed in as <strong>alice</strong>" in front(client).body
    assert [query for query in statements if query != pagecache.STAMP_QUERY] == [
        memberviews.session_lookup_query()
    ]


def test_a_cookie_naming_someone_else_than_before_goes_to_django(make_page, alice, bob):
    """A session's member never changes (signing in gives a new key); were the key to name another member
    than the one remembered, the front would not trust either."""
    make_page("Budget", "text")
    alices, bobs = signed_in(alice), signed_in(bob)
    served(alices)
    served(bobs)
    memberviews._session_members[alices.cookies["sessionid"].value] = bob.pk
    assert front(alices) is None
    assert b"Signed in as <strong>alice</strong>" in front(alices).body


def test_signing_out_ends_the_front_for_that_cookie(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served(client)  # the front has answered this cookie once: it now reads session and member together
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)
    client.post("/accounts/logout/")
    assert front(stolen) is None
    assert b"Sign in" in view(stolen).content


def test_an_expired_session_is_not_signed_in(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served(client)  # the front has answered this cookie once: it now reads session and member together
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    if hasattr(client.session, "cache_key"):
        cache.delete(client.session.cache_key)  # with Redis, its copy expires at the same moment
    assert front(client) is None
    assert b"Sign in" in view(client).content


def test_a_password_change_signs_other_sessions_out(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served(client)  # the front has answered this cookie once: it now reads session and member together
    alice.set_password("a whole new passphrase")
    alice.save()
    assert front(client) is None
    assert b"Sign in" in view(client).content


def test_a_suspended_member_is_signed_out_at_once(make_page, alice, ada):
    make_page("Budget", "text")
    client = signed_in(alice)
    served(client)  # the front has answered this cookie once: it now reads session and member together
    moderation.suspend_user(alice, ada, "spam")
    assert front(client) is None
    assert b"Sign in" in view(client).content


def test_a_new_role_shows_at_once(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    assert b"/move/Budget" not in served(client)
    alice.role = "trusted"
    alice.save()
    assert front(client) is None, "no trusted shell yet: the view makes it"
    assert b"/move/Budget" in served(client)
    alice.role = "member"
    alice.save()
    assert b"/move/Budget" not in front(client).body


def test_a_members_own_edit_shows_to_them_at_once(make_page, alice):
    first = make_page("Budget", "first text").revision
    client = signed_in(alice)
    assert b"first text" in served(client)
    actions.save_revision("Budget", "second text", alice, first.pk)
    assert front(client) is None, "the page's stamp moved: the old shell is not used"
    assert b"second text" in served(client)


def test_watching_and_notifications_show_at_once(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    body = served(client)
    assert b'aria-pressed="false"' in body and b'class="badge"' not in body
    client.post("/watch/Budget", {"watch": "1"})
    Notification.objects.create(user=alice, kind="mention", text="hello", url="/")
    assert front(client) is None, "the message about watching is waiting: the view shows it"
    view(client)
    body = front(client).body
    assert b'aria-pressed="true"' in body and b'<span class="badge">1' in body


def test_the_email_reminder_is_the_readers_own(settings, make_page, alice, carol):
    settings.REQUIRE_EMAIL_CONFIRMATION = True
    make_page("Budget", "text")
    assert b"banner-confirm-email" not in served(signed_in(alice))
    body = served(signed_in(carol))
    assert b"banner-confirm-email" in body and b"carol@example.org" in body


def test_a_member_whose_name_is_hidden_sees_it_on_pages_rendered_for_them(make_page, alice, dora):
    save_profile(Profile(user=alice, display_name="Alice Smith", display_name_visibility="hidden"), [])
    make_page("Budget", "text", author=alice)
    alices = signed_in(alice)
    assert b">Alice Smith</a>." in view(alices).content
    assert front(alices) is None, "rendered for her alone"
    assert b">alice</a>." in served(signed_in(dora))


def test_messages_waiting_are_shown_by_the_view(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served(client)  # the front has answered this cookie once: it now reads session and member together
    session = client.session
    session["_messages"] = "[]"
    session.save()
    assert front(client) is None
    client.cookies["messages"] = "waiting"
    assert front(client) is None


@pytest.mark.parametrize(
    "path, extra",
    [
        ("/wiki/Budget?oldid=1", {}),
        ("/wiki/Budget?redirectedfrom=Money", {}),
        ("/wiki/Budget", {"HTTP_AUTHORIZATION": "Bearer dw_x"}),
        ("/wiki/budget", {}),
        ("/wiki/No_such_page", {}),
    ],
)
def test_other_requests_go_to_django(make_page, alice, path, extra):
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    assert front(client, path, **extra) is None


def test_a_damaged_or_forged_cookie_goes_to_django(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    key = client.cookies["sessionid"].value
    client.cookies["sessionid"] = key[:-1] + ("y" if key.endswith("x") else "x")
    assert front(client) is None
    client = signed_in(alice)
    view(client)
    client.cookies["csrftoken"] = "short"
    assert front(client) is None


def test_a_private_wiki_serves_members_from_the_front(settings, make_page, alice):
    settings.PRIVATE_WIKI = True
    make_page("Budget", "text")
    client = signed_in(alice)
    assert b"text" in served(client)
    assert front(Client()) is None


def test_masked_tokens_unmask_to_the_secret_as_django_reads_them():
    from django.middleware.csrf import _check_token_format, _get_new_csrf_string, _unmask_cipher_token

    for _ in range(200):
        secret = _get_new_csrf_string()
        token = memberviews.masked_token(secret)
        _check_token_format(token)  # raises for a token Django would refuse
        assert _unmask_cipher_token(token) == secret
    assert len({memberviews.masked_token(secret) for _ in range(50)}) == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_fronts_statements_are_prepared_on_postgresql(settings, make_page, alice):
    settings.MEMBER_SECONDS = 0  # with Redis, members are kept after one statement (test_member_table.py)
    make_page("Budget", "text")
    client = signed_in(alice)
    for _ in range(4):
        served(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("s.session_data" in statement for statement in prepared)


def test_prepared_statements_can_be_turned_off(monkeypatch):
    from districtwiki import settings as project_settings

    monkeypatch.setattr(project_settings, "PREPARED_STATEMENTS", False)
    database = {"OPTIONS": {"connect_timeout": 3}}
    project_settings.prepared_statements(database)
    # Parameters are still bound on the server: unnamed statements work behind any pooler.
    expected = {"connect_timeout": 3, "server_side_binding": True, "prepare_threshold": None}
    assert database["OPTIONS"] == expected
    monkeypatch.setattr(project_settings, "PREPARED_STATEMENTS", True)
    database = {}
    project_settings.prepared_statements(database)
    assert database["OPTIONS"]["prepare_threshold"] == project_settings.PREPARE_AFTER_RUNS


def test_a_shell_is_cut_at_its_slots_and_only_there():
    slot = memberviews.CSRF_SLOT_BYTES
    shell = (
        b'<header><!--member-part:nav--></header><form><input value="' + slot + b'"></form>'
        b"<p>&lt;!--member-part:nav--&gt; <!--member-part:not a name--> <!--member-part:open</p>"
        b"<!--member-part:watch-->" + slot
    )
    assert memberviews.cut(shell) == (
        b"<header>",
        "nav",
        b'</header><form><input value="',
        slot,
        b'"></form><p>&lt;!--member-part:nav--&gt; <!--member-part:not a name--> <!--member-part:open</p>',
        "watch",
        b"",
        slot,
        b"",
    )
    assert memberviews.cut(b"plain") == (b"plain",)


def test_a_shell_full_of_marker_openings_is_cut_as_text():
    """Page text cannot hold a comment (the sanitiser drops them), but the cut must not depend on that:
    200,000 false openings are kept as text, in one join (adding them up one by one took minutes)."""
    shell = b"<!--member-part:" * 200_000 + memberviews.CSRF_SLOT_BYTES * 1000
    pieces = memberviews.cut(shell)
    assert len(pieces) == 2 * 1000 + 1
    assert b"".join(p for p in pieces if p != memberviews.CSRF_SLOT_BYTES) == b"<!--member-part:" * 200_000
