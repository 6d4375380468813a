"""Who may do what, pinned: the authorisation matrix of the wiki core, accounts, content and API routes for
every role, plus the sign-in protections (no open redirect through `next`, a new session id at sign-in,
lockout after repeated failures).

The matrix is written out in full on purpose: a change of permissions must change this table, in review.
The community, discussions and notifications routes have their own table in test_security_matrix.py, which
also checks that every route of the project appears in one of the two, so a new route cannot ship without
someone deciding who may use it.
"""

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from conftest import PASSWORD, make_user
from districtwiki.accounts.models import APIToken
from districtwiki.content.models import StarterPage
from districtwiki.events.tests.matrix_world import FUTURE_EVENT, events_world
from districtwiki.wiki import actions, uploads

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "trusted", "admin", "suspended")
LOGIN = "login"  # a 302 to a sign-in page that carries the way back in ?next=
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
NEW_PASSWORD = "a much longer new passphrase"


@dataclass(frozen=True)
class Row:
    method: str
    url: str  # {rev1} {rev2} {token}: filled from the world fixture
    expected: tuple  # one per role, in ROLES order
    data: dict | None = None  # POST form fields or the PUT JSON body


EVENT_FORM = {**FUTURE_EVENT, "title": "Matrix event, edited"}
EVENT_API = {
    "title": "From the API",
    "starts_at": "2099-01-20T11:00:00-06:00",
    "ends_at": "2099-01-20T12:00:00-06:00",
}

# anonymous, member, trusted, admin, suspended (is_active=False: Django treats the session as signed out)
MATRIX = [
    # --- Reading: open to everyone, signed in or not.
    Row("GET", "/", (200, 200, 200, 200, 200)),
    Row("GET", "/wiki/", (302, 302, 302, 302, 302)),
    Row("GET", "/wiki/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/wiki/Matrix_page?oldid={rev1}", (200, 200, 200, 200, 200)),
    Row("GET", "/wiki/No_such_page", (404, 404, 404, 404, 404)),
    Row("GET", "/raw/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/history/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/diff/Matrix_page?from={rev1}&to={rev2}", (200, 200, 200, 200, 200)),
    Row("GET", "/special/search?q=matrix", (200, 200, 200, 200, 200)),
    Row("GET", "/special/titles?prefix=Matr", (200, 200, 200, 200, 200)),
    Row("GET", "/special/recent", (200, 200, 200, 200, 200)),
    Row("GET", "/special/all", (200, 200, 200, 200, 200)),
    Row("GET", "/special/random", (302, 302, 302, 302, 302)),
    Row("GET", "/special/wanted", (200, 200, 200, 200, 200)),
    Row("GET", "/special/orphans", (200, 200, 200, 200, 200)),
    Row("GET", "/special/backlinks/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/special/categories", (200, 200, 200, 200, 200)),
    Row("GET", "/special/info/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/special/log", (200, 200, 200, 200, 200)),
    Row("GET", "/category/Matrix", (200, 200, 200, 200, 200)),
    Row("GET", "/feeds/recent.atom", (200, 200, 200, 200, 200)),
    Row("GET", "/feeds/page/Matrix_page.atom", (200, 200, 200, 200, 200)),
    Row("GET", "/file/Matrix.pdf", (200, 200, 200, 200, 200)),
    Row("GET", "/healthz", (200, 200, 200, 200, 200)),
    # The preview renders text and saves nothing: for those who may edit the page, sized like a save
    # (PageTooLarge) and within a byte budget; a deleted page is not found, as at /wiki and /raw.
    Row("POST", "/special/preview", (403, 200, 200, 200, 403), {"text": "Some *text*"}),
    Row(
        "POST",
        "/special/preview",
        (403, 403, 403, 200, 403),
        {"text": "Some *text*", "title": "Protected page"},
    ),
    Row(
        "POST",
        "/special/preview",
        (404, 404, 404, 404, 404),
        {"text": "x", "mode": "changes", "title": "Deleted page"},
    ),
    # --- Editing: members with a confirmed address; signed-out visitors are sent to sign in.
    Row("GET", "/edit/Matrix_page", (LOGIN, 200, 200, 200, LOGIN)),
    Row("GET", "/edit/New_page", (LOGIN, 200, 200, 200, LOGIN)),
    Row(
        "POST",
        "/edit/Matrix_page",
        (LOGIN, 302, 302, 302, LOGIN),
        {"text": "Changed", "base_revision": "{rev2}", "summary": "s"},
    ),
    Row("GET", "/edit/Protected_page", (LOGIN, 403, 403, 200, LOGIN)),
    Row(
        "POST",
        "/edit/Protected_page",
        (LOGIN, 403, 403, 302, LOGIN),
        {"text": "Changed", "base_revision": "{protected}", "summary": "s"},
    ),
    Row("POST", "/revert/Matrix_page", (403, 302, 302, 302, 403), {"revision": "{rev1}"}),
    Row("POST", "/watch/Matrix_page", (LOGIN, 302, 302, 302, LOGIN), {"watch": "1"}),
    Row("GET", "/special/upload", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/special/upload", (403, 302, 302, 302, 403), {"file": "upload"}),
    Row("POST", "/pathways/technician/step", (LOGIN, 302, 302, 302, LOGIN), {"title": "Your first 90 days"}),
    Row("GET", "/special/starter-update/Starter_page", (200, 200, 200, 200, 200)),
    Row("POST", "/special/starter-update/Starter_page", (403, 302, 302, 302, 403)),
    # --- Trusted members: roll back, move, protect, mark reviewed.
    Row("POST", "/rollback/Matrix_page", (403, 403, 302, 302, 403)),
    Row("GET", "/move/Matrix_page", (403, 403, 200, 200, 403)),
    Row("POST", "/move/Matrix_page", (403, 403, 302, 302, 403), {"new_title": "Moved page", "reason": "r"}),
    Row("GET", "/protect/Matrix_page", (403, 403, 200, 200, 403)),
    Row("POST", "/protect/Matrix_page", (403, 403, 302, 302, 403), {"level": "trusted", "reason": "r"}),
    Row("POST", "/reviewed/Reviewed_page", (403, 403, 302, 302, 403)),
    Row("GET", "/special/claims", (403, 403, 200, 200, 403)),
    # --- Admins: delete and restore, and the Django admin.
    Row("GET", "/delete/Matrix_page", (403, 403, 403, 200, 403)),
    Row("POST", "/delete/Matrix_page", (403, 403, 403, 302, 403), {"reason": "r"}),
    Row("POST", "/undelete/Deleted_page", (403, 403, 403, 302, 403), {"reason": "r"}),
    Row("GET", "/admin/", (LOGIN, LOGIN, LOGIN, 200, LOGIN)),
    # --- Content pages anyone may read.
    Row("GET", "/pathways/", (200, 200, 200, 200, 200)),
    Row("GET", "/pathways/technician", (200, 200, 200, 200, 200)),
    Row("GET", "/special/review-due", (200, 200, 200, 200, 200)),
    # --- Accounts.
    Row("GET", "/accounts/signup/", (200, 302, 302, 302, 200)),
    Row("GET", "/accounts/login/", (200, 200, 200, 200, 200)),
    Row("GET", "/accounts/logout/", (200, 200, 200, 200, 200)),
    Row("POST", "/accounts/logout/", (302, 302, 302, 302, 302)),
    Row("POST", "/accounts/confirm/resend/", (LOGIN, 302, 302, 302, LOGIN)),
    Row("GET", "/accounts/confirm/not-a-token/", (400, 400, 400, 400, 400)),
    Row("GET", "/accounts/password/reset/", (200, 200, 200, 200, 200)),
    Row("GET", "/accounts/password/reset/sent/", (200, 200, 200, 200, 200)),
    Row("GET", "/accounts/password/reset/complete/", (200, 200, 200, 200, 200)),
    Row("GET", "/accounts/password/reset/MQ/not-a-token/", (400, 400, 400, 400, 400)),
    Row("GET", "/accounts/settings/", (LOGIN, 200, 200, 200, LOGIN)),
    Row(
        "POST",
        "/accounts/settings/email/",
        (LOGIN, 302, 302, 302, LOGIN),
        {"email": "new@example.org", "password": PASSWORD},
    ),
    Row(
        "POST",
        "/accounts/settings/password/",
        (LOGIN, 302, 302, 302, LOGIN),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    Row("POST", "/accounts/settings/tokens/", (LOGIN, 302, 302, 302, LOGIN), {"name": "laptop"}),
    Row("GET", "/accounts/settings/tokens/new/", (LOGIN, 302, 302, 302, LOGIN)),
    # The token is the member's: nobody else can even see that it exists.
    Row("POST", "/accounts/settings/tokens/{token}/revoke/", (LOGIN, 302, 404, 404, LOGIN)),
    # --- The REST API: reads are open; a save needs a signed-in editor (session here, tokens in api/tests).
    Row("GET", "/api/v1/openapi.json", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pages/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pages/Matrix_page/history", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pages/Matrix_page/diff?from={rev1}&to={rev2}", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pages/Matrix_page/backlinks", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pages?title=Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/history/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/diff/Matrix_page?from={rev1}&to={rev2}", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/backlinks/Matrix_page", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/search?q=matrix", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/recent", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/categories", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/categories/Matrix", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/", (404, 404, 404, 404, 404)),
    Row("GET", "/api/v1/no/such/endpoint", (404, 404, 404, 404, 404)),
    Row(
        "PUT",
        "/api/v1/pages/Matrix_page",
        (401, 200, 200, 200, 401),
        {"content": "From the API", "base_revision": "{rev2}"},
    ),
    Row(
        "PUT",
        "/api/v1/pages/Protected_page",
        (401, 403, 403, 200, 401),
        {"content": "From the API", "base_revision": "{protected}"},
    ),
    # --- Live events and chat rooms (events/tests/matrix_world.py): hank hosts; trusted members and admins
    # moderate every room; only admins and hosts change, cancel or end an event; members post where the
    # audience lets them; a locked room takes no messages.
    Row("GET", "/events/", (200, 200, 200, 200, 200)),
    Row("GET", "/events/new", (LOGIN, 403, 200, 200, LOGIN)),
    Row("POST", "/events/new", (LOGIN, 403, 302, 302, LOGIN), EVENT_FORM),
    Row("GET", "/events/{event}", (200, 200, 200, 200, 200)),
    Row("GET", "/events/{members_event}", (404, 200, 200, 200, 404)),
    Row("POST", "/events/{event}", (403, 302, 302, 302, 403), {"text": "Hello"}),
    Row("POST", "/events/{members_event}", (404, 403, 403, 403, 404), {"text": "Hello"}),
    Row("GET", "/events/{event}/edit", (403, 403, 403, 200, 403)),
    Row("POST", "/events/{event}/edit", (403, 403, 403, 302, 403), EVENT_FORM),
    Row("POST", "/events/{event}/rsvp", (403, 302, 302, 302, 403), {"answer": "going"}),
    Row("POST", "/events/{event}/cancel", (403, 403, 403, 302, 403)),
    Row("POST", "/events/{event}/end", (403, 403, 403, 302, 403)),
    Row("GET", "/events/rooms/", (200, 200, 200, 200, 200)),
    Row("POST", "/events/rooms/new", (403, 403, 403, 302, 403), {"name": "Another topic"}),
    Row("POST", "/events/rooms/my-state", (403, 302, 302, 302, 403)),
    Row("GET", "/events/rooms/{topic}", (403, 200, 200, 200, 403)),
    Row("POST", "/events/rooms/{topic}", (403, 302, 302, 302, 403), {"text": "Hello"}),
    Row("POST", "/events/rooms/{topic}/join", (403, 302, 302, 302, 403)),
    Row("POST", "/events/rooms/{topic}/leave", (403, 302, 302, 302, 403)),
    Row("POST", "/events/rooms/{event_room}/lock", (403, 403, 302, 302, 403)),
    Row("POST", "/events/rooms/{locked_room}/unlock", (404, 403, 302, 302, 404)),
    Row("POST", "/events/rooms/{event_room}/slow-mode", (403, 403, 302, 302, 403), {"seconds": "10"}),
    Row(
        "POST",
        "/events/rooms/{event_room}/mute",
        (403, 403, 302, 302, 403),
        {"username": "mia", "minutes": "5", "reason": "Loud"},
    ),
    Row("POST", "/events/rooms/{event_room}/unmute", (403, 403, 302, 302, 403), {"username": "muted"}),
    Row("GET", "/events/messages/{chat_message}/edit", (403, 200, 403, 403, 403)),
    Row("POST", "/events/messages/{chat_message}/edit", (403, 302, 403, 403, 403), {"text": "Edited"}),
    Row("POST", "/events/messages/{chat_message}/delete", (403, 302, 403, 403, 403)),
    Row("GET", "/events/messages/{mia_message}/report", (403, 200, 200, 200, 403)),
    Row("POST", "/events/messages/{mia_message}/report", (403, 302, 302, 302, 403), {"reason": "Spam"}),
    Row("POST", "/events/messages/{mia_message}/hide", (403, 403, 302, 302, 403), {"reason": "Rude"}),
    Row("POST", "/events/messages/{hidden_chat}/unhide", (403, 403, 302, 302, 403)),
    Row("POST", "/events/messages/{chat_question}/vote", (403, 302, 302, 302, 403)),
    Row("POST", "/events/messages/{chat_question}/answered", (403, 403, 302, 302, 403)),
    Row("GET", "/api/v1/events", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/events/{event}", (200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/events", (401, 403, 201, 201, 401), EVENT_API),
    Row("POST", "/api/v1/events/{event}/close", (401, 403, 403, 200, 401)),
    Row("GET", "/api/v1/rooms/{topic}/messages", (403, 200, 200, 200, 403)),
    Row("POST", "/api/v1/rooms/{topic}/messages", (401, 201, 201, 201, 401), {"text": "Announcement"}),
]


def page_text(second: str = "Line one") -> str:
    return f"{second}\n\nLine two\n\n[[Category:Matrix]]"


@pytest.fixture
def world(make_page, settings, tmp_path):
    """The objects the matrix's URLs name, and one user per role."""
    settings.MEDIA_ROOT = tmp_path
    users = {
        "member": make_user("alice"),
        "trusted": make_user("bob", role="trusted"),
        "admin": make_user("ada", role="admin"),
        "suspended": make_user("sam"),
    }
    users["suspended"].is_active = False
    users["suspended"].save()
    rev1 = make_page("Matrix page", page_text()).revision
    rev2 = make_page(
        "Matrix page", page_text("Line one, edited"), users["member"], base_revision=rev1.pk
    ).revision
    protected = make_page("Protected page", "x").page
    actions.protect_page(protected, "admin", users["admin"])
    make_page("Reviewed page", "---\nreviewed: 2020-01-01\n---\nReviewed text.")
    deleted = make_page("Deleted page", "x").page
    actions.delete_page(deleted, users["admin"])
    starter = make_page("Starter page", page_text()).revision
    StarterPage.objects.create(
        page=starter.page,
        loaded_text=starter.text,
        loaded_sha1=starter.sha1,
        loaded_revision=starter,
        pending_text=page_text() + "\n\nLine three",
        pending_sha1="0" * 40,
    )
    uploads.upload_file("Matrix.pdf", ContentFile(PDF, name="matrix.pdf"), users["admin"])
    token = APIToken.issue(users["member"], "laptop")[0]
    values = {"rev1": rev1.pk, "rev2": rev2.pk, "protected": protected.latest_id, "token": token.pk}
    return users, values | events_world(users)


def filled(value, values: dict):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return values[value[1:-1]]
    return value


def send(client, row: Row, values: dict):
    url = row.url.format(**values)
    data = {key: filled(value, values) for key, value in (row.data or {}).items()}
    if row.method == "GET":
        return client.get(url)
    if row.method == "PUT":
        return client.put(url, json.dumps(data), content_type="application/json")
    if url.startswith("/api/"):
        return client.post(url, json.dumps(data), content_type="application/json")
    if data.get("file") == "upload":
        data = {"file": SimpleUploadedFile("matrix-new.pdf", PDF + b"% new\n")}
    return client.post(url, data)


def outcome(response):
    location = response.get("Location", "")
    if response.status_code == 302 and urlsplit(location).path.endswith("/login/") and "next=" in location:
        return LOGIN
    return response.status_code


def outcome_for(role: str, row: Row, world) -> object:
    """What `role` gets for `row`, with everything the request wrote rolled back afterwards."""
    users, values = world
    cache.clear()  # rate limits and throttles start afresh for each role
    with transaction.atomic():
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        result = outcome(send(client, row, values))
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row.method} {row.url}" for row in MATRIX])
def test_authorisation_matrix(world, row):
    actual = tuple(outcome_for(role, row, world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))


# --- No open redirect ------------------------------------------------------------------------------------

EVIL_NEXT = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver@evil.example/",
    "//testserver@evil.example",
    "https://testserver.evil.example/",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "https%3A%2F%2Fevil.example",
]


def stays_on_site(location: str) -> bool:
    """A browser following this Location stays on the site that sent it."""
    cleaned = "".join(c for c in location if c not in "\t\r\n").lstrip()
    parts = urlsplit(cleaned.replace("\\", "/"))
    return not parts.scheme and not parts.netloc and not cleaned.replace("\\", "/").startswith("//")


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_in_never_redirects_off_site(client, alice, target):
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_in_through_query_string_never_redirects_off_site(client, alice, target):
    response = client.post("/accounts/login/?" + f"next={target}", {"login": "alice", "password": PASSWORD})
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_in_form_does_not_carry_an_off_site_next(client, target):
    page = client.get("/accounts/login/", {"next": target}).content.decode()
    carried = html.unescape(re.search(r'name="next" value="([^"]*)"', page).group(1))
    assert stays_on_site(carried), carried


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_out_never_redirects_off_site(alice_client, target):
    response = alice_client.post("/accounts/logout/", {"next": target})
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_up_never_redirects_off_site(client, db, target):
    data = {"username": "newbie", "email": "newbie@example.org", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/accounts/signup/", {**data, "next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_admin_sign_in_redirect_keeps_next_on_site(client, alice, target):
    """/admin/login/ forwards its query string to the real sign-in, which must then refuse the target."""
    forwarded = client.get("/admin/login/", {"next": target})["Location"]
    response = client.post(forwarded, {"login": "alice", "password": PASSWORD})
    assert stays_on_site(response["Location"]), response["Location"]


def route_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_member_block_never_redirects_off_site(alice_client, bob, target):
    assert route_name("/members/block/bob") == "block"
    response = alice_client.post("/members/block/bob", {"next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_marking_a_notification_read_never_redirects_off_site(alice_client, alice, target):
    assert route_name("/notifications/1/read") == "read"
    from districtwiki.notifications.models import Notification

    notification = Notification.objects.create(user=alice, kind="page_edit", text="x", url="/wiki/X")
    response = alice_client.post(f"/notifications/{notification.pk}/read", {"next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


def test_stays_on_site_recognises_what_browsers_treat_as_another_host():
    assert not stays_on_site("/\\evil.example")
    assert not stays_on_site("\t//evil.example")
    assert stays_on_site("/wiki/Page?x=//y")


# --- Sessions and lockout --------------------------------------------------------------------------------


def test_sign_in_gives_a_new_session_id(client, alice):
    client.get("/accounts/login/")
    session = client.session  # an anonymous session, as a visitor who put something in it has
    session["seen"] = True
    session.save()
    before = client.cookies["sessionid"].value
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD})
    after = client.cookies["sessionid"].value
    assert response.status_code == 302
    assert after != before
    assert not SessionStore().exists(before)  # the old id cannot be replayed (session fixation)
    assert SessionStore(session_key=after).load()[SESSION_KEY] == str(alice.pk)


def test_sign_in_is_locked_after_repeated_failures(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert client.post("/accounts/login/", {"login": "alice", "password": "wrong"}).status_code == 400
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts." in response.content.decode()
    assert SESSION_KEY not in client.session
