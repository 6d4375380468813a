"""Security headers on every kind of response, and CSRF on every route.

Headers: each response the site can give (pages, API JSON, feeds, raw text, file downloads, static files,
redirects and the errors 400/401/403/404/405/409/413/429) carries a Content-Security-Policy whose
script-src allows neither inline script nor eval, X-Content-Type-Options: nosniff, a Referrer-Policy, and
framing refused (frame-ancestors 'none' or X-Frame-Options: DENY).

CSRF: every route in the URLconf, enumerated so that a new one is covered without editing this file, refuses
a POST without a token with 403, signed in or not, and writes nothing. The routes that are exempt on
purpose are listed in CSRF_EXEMPT with their reason and their own check.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD
from districtwiki.accounts.models import APIToken
from districtwiki.wiki import uploads

from .test_uploads import MINIMAL_PDF, image_bytes

pytestmark = pytest.mark.django_db

SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
UNSAFE_SCRIPT_SOURCES = {
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "*",
    "data:",
    "http:",
    "https:",
}


def policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {words[0].lower(): words[1:] for words in directives}


def header_problems(response) -> list[str]:
    problems = []
    csp = policy(response.get("Content-Security-Policy", ""))
    if not csp:
        problems.append("no Content-Security-Policy")
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("the CSP restricts no scripts (neither script-src nor default-src)")
    elif unsafe := UNSAFE_SCRIPT_SOURCES.intersection(scripts):
        problems.append(f"script-src allows {sorted(unsafe)}")
    if "'unsafe-inline'" in csp.get("style-src", csp.get("default-src", [])):
        problems.append("style-src allows 'unsafe-inline'")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options is {response.get('X-Content-Type-Options')!r}")
    if response.get("Referrer-Policy") not in SAFE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')!r}")
    if csp.get("frame-ancestors") != ["'none'"] and response.get("X-Frame-Options") != "DENY":
        problems.append("framing is not refused (no frame-ancestors 'none', no X-Frame-Options: DENY)")
    return problems


@dataclass
class Site:
    """What the response builders need: clients per kind of caller, and objects to point at."""

    anon: Client
    alice: Client
    strict_alice: Client  # enforces CSRF like a browser
    key: str
    base: int


@pytest.fixture
def site(alice, make_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = make_page("Header page", "Text with [[Other page]].", author=alice).revision.pk
    uploads.upload_file("Header.pdf", ContentFile(MINIMAL_PDF, name="h.pdf"), alice)
    uploads.upload_file("Header.png", ContentFile(image_bytes("PNG"), name="h.png"), alice)
    signed_in, strict = Client(), Client(enforce_csrf_checks=True)
    signed_in.force_login(alice)
    strict.force_login(alice)
    return Site(Client(), signed_in, strict, APIToken.issue(alice, "headers")[1], base)


def api_put(client, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.put("/api/v1/pages/Header_page", data, content_type="application/json", **headers)


def bearer(site: Site) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {site.key}"}


def repeated(times: int, request):
    """The last of `times` identical requests (for rate limits and lockouts)."""
    for _ in range(times - 1):
        request()
    return request()


def conflicting_edit(site: Site):
    site.alice.post("/edit/Header_page", {"text": "Theirs.", "base_revision": site.base})
    return site.alice.post("/edit/Header_page", {"text": "Mine.", "base_revision": site.base})


def conflicting_put(site: Site):
    api_put(site.anon, {"content": "Theirs.", "base_revision": site.base}, **bearer(site))
    return api_put(site.anon, {"content": "Mine.", "base_revision": site.base}, **bearer(site))


def oversized_upload(site: Site, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    return site.alice.post("/special/upload", {"file": SimpleUploadedFile("big.txt", b"x" * 4096)})


def edit_twice(site: Site, settings):
    settings.EDIT_RATE_LIMIT = 1
    site.alice.post("/edit/Header_page", {"text": "One.", "base_revision": site.base})
    return site.alice.post("/edit/Header_page", {"text": "Two.", "base_revision": ""})


def put_twice(site: Site, settings):
    settings.EDIT_RATE_LIMIT = 1
    api_put(site.anon, {"content": "One.", "base_revision": site.base}, **bearer(site))
    return api_put(site.anon, {"content": "Two.", "base_revision": None}, **bearer(site))


def locked_out(site: Site, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    site.anon.post("/accounts/login/", {"login": "alice", "password": "wrong"})
    return site.anon.post("/accounts/login/", {"login": "alice", "password": PASSWORD})


def too_large(settings):
    settings.MAX_PAGE_BYTES = 1024
    return "x" * 2048


RESPONSES = {
    "page": (200, lambda s, st: s.anon.get("/wiki/Header_page")),
    "home": (200, lambda s, st: s.anon.get("/")),
    "edit form": (200, lambda s, st: s.alice.get("/edit/Header_page")),
    "redirect": (302, lambda s, st: s.anon.get("/wiki/")),
    "raw text": (200, lambda s, st: s.anon.get("/raw/Header_page")),
    "atom feed": (200, lambda s, st: s.anon.get("/feeds/recent.atom")),
    "page atom feed": (200, lambda s, st: s.anon.get("/feeds/page/Header_page.atom")),
    "api json": (200, lambda s, st: s.anon.get("/api/v1/pages/Header_page")),
    "openapi json": (200, lambda s, st: s.anon.get("/api/v1/openapi.json")),
    "file download": (200, lambda s, st: s.anon.get("/file/Header.pdf")),
    "image file": (200, lambda s, st: s.anon.get("/file/Header.png")),
    "static file": (200, lambda s, st: s.anon.get("/static/districtwiki/wiki.css")),
    "health check": (200, lambda s, st: s.anon.get("/healthz")),
    "preview fragment": (200, lambda s, st: s.alice.post("/special/preview", {"text": "*hi*"})),
    "400 invalid title": (400, lambda s, st: s.anon.get("/wiki/A%3Cb%3E")),
    "400 api bad json": (400, lambda s, st: api_put(s.anon, "{not json", **bearer(s))),
    "401 api signed out": (401, lambda s, st: api_put(s.anon, {"content": "x", "base_revision": s.base})),
    "403 not allowed": (403, lambda s, st: s.alice.get("/delete/Header_page")),
    "403 csrf": (403, lambda s, st: s.strict_alice.post("/edit/Header_page", {"text": "x"})),
    "403 api csrf": (403, lambda s, st: api_put(s.strict_alice, {"content": "x", "base_revision": s.base})),
    "404 missing page": (404, lambda s, st: s.anon.get("/wiki/No_such_page")),
    "404 no route": (404, lambda s, st: s.anon.get("/no/such/route")),
    "404 api": (404, lambda s, st: s.anon.get("/api/v1/no/such/endpoint")),
    "404 missing file": (404, lambda s, st: s.anon.get("/file/Missing.pdf")),
    "405 page": (405, lambda s, st: s.anon.post("/raw/Header_page")),
    "405 api": (405, lambda s, st: s.anon.post("/api/v1/search")),
    "409 edit conflict": (409, lambda s, st: conflicting_edit(s)),
    "409 api conflict": (409, lambda s, st: conflicting_put(s)),
    "413 edit": (
        413,
        lambda s, st: s.alice.post("/edit/Header_page", {"text": too_large(st), "base_revision": s.base}),
    ),
    "413 preview": (413, lambda s, st: s.alice.post("/special/preview", {"text": too_large(st)})),
    "413 upload": (413, lambda s, st: oversized_upload(s, st)),
    "413 api": (
        413,
        lambda s, st: api_put(s.anon, {"content": too_large(st), "base_revision": s.base}, **bearer(s)),
    ),
    "429 edit rate": (429, lambda s, st: edit_twice(s, st)),
    "429 api rate": (429, lambda s, st: put_twice(s, st)),
    "429 sign-in lockout": (429, lambda s, st: locked_out(s, st)),
}


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_kind_of_response_carries_the_security_headers(site, settings, kind):
    status, make = RESPONSES[kind]
    response = make(site, settings)
    assert response.status_code == status
    assert header_problems(response) == []


def test_header_check_reports_a_weak_policy():
    weak = {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"}
    assert header_problems(weak) == [
        "script-src allows [\"'unsafe-inline'\"]",
        "X-Content-Type-Options is None",
        "Referrer-Policy is None",
        "framing is not refused (no frame-ancestors 'none', no X-Frame-Options: DENY)",
    ]


# --- CSRF on every route ------------------------------------------------------------------------------

# Sample values for the URL parameters; a new parameter name fails test_every_route_parameter_has_a_sample.
SAMPLES = {
    "title": "Header_page",
    "name": "Header.pdf",
    "rest": "no/such/endpoint",
    "token": "not-a-valid-token",
    "uidb64": "MQ",
    "slug": "technician",
    "username": "alice",
    "code": "CA",
    "room": "event-1",
    "id": "1",
    "object_id": "1",
    "content_type_id": "1",
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Exemption:
    reason: str
    statuses: tuple[int, ...]  # what a forged POST is answered
    message: str | None  # what the answer to a signed-in forger says, if it is a CSRF refusal


# Views marked csrf_exempt, each with why; test_every_csrf_exempt_view_is_documented keeps this complete.
CSRF_EXEMPT = {
    "special/upload": Exemption(
        "Django's upload handlers must be installed before anything reads the body; the view then checks "
        "the token itself (csrf_protect), after refusing signed-out visitors",
        (403,),
        "CSRF",
    ),
    "api/v1/": Exemption(
        "ninja's views; a session save checks the token in the API's auth (test below), a bearer token is no "
        "ambient credential, and a POST to any API route is answered 401 (no credential: the events API's "
        "writes), 403 (a session without the token), 404 or 405",
        (401, 403, 404, 405),
        None,
    ),
    "notifications/unsubscribe/": Exemption(
        "RFC 8058 one-click unsubscribes are POSTed by mail providers without cookies; the signed token in "
        "the URL is the credential, and an invalid one is refused",
        (400,),
        None,
    ),
    "w/api.php": Exemption(
        "MediaWiki's Action API: clients prove a write with the token from meta=tokens in the POST body, "
        "as MediaWiki's own clients do (interchange/tests/test_action_api_writes.py refuses every write "
        "without it or with another session's); MediaWiki answers errors with 200 and an error object",
        (200,),
        None,
    ),
}
REFUSED = Exemption("not exempt", (403,), "CSRF")


def sample(name: str) -> str | None:
    return SAMPLES.get(name) or ("1" if name.endswith("_id") else None)


def all_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def concrete_url(route: str) -> str:
    return "/" + PARAMETER.sub(lambda match: sample(match.group(1)) or "?", route)


def exemption(route: str) -> Exemption:
    return next((rule for prefix, rule in CSRF_EXEMPT.items() if route.startswith(prefix)), REFUSED)


# Regular-expression routes (the Django admin's app index and catch-all) have no parameters to fill.
ROUTES = sorted({route: view for route, view in all_routes() if "(?P" not in route and "^" not in route})
EXEMPT_VIEWS = sorted({route for route, view in all_routes() if getattr(view, "csrf_exempt", False)})


def test_every_route_parameter_has_a_sample():
    unfilled = [route for route in ROUTES if "?" in concrete_url(route)]
    assert unfilled == [], "add a sample value to SAMPLES for: " + ", ".join(unfilled)


def test_every_csrf_exempt_view_is_documented():
    undocumented = [route for route in EXEMPT_VIEWS if exemption(route) is REFUSED]
    assert undocumented == [], "explain these csrf_exempt views in CSRF_EXEMPT: " + ", ".join(undocumented)


def database_state() -> dict[str, list]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }


@pytest.fixture
def strict_clients(alice, ada):
    """A signed-out browser and a signed-in admin, both without a CSRF token, as a forged form would be."""
    anonymous, admin = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    admin.force_login(ada)
    return anonymous, admin


@pytest.mark.parametrize("route", ROUTES)
def test_post_without_csrf_token_is_refused_and_writes_nothing(strict_clients, make_page, route):
    make_page("Header page", "x")
    rule = exemption(route)
    before = database_state()
    anonymous, admin = strict_clients
    data = {"text": "forged", "reason": "forged", "name": "forged", "content": "forged"}
    refusals = [anonymous.post(concrete_url(route), data), admin.post(concrete_url(route), data)]
    statuses = [response.status_code for response in refusals]
    assert all(status in rule.statuses for status in statuses), statuses
    if rule is REFUSED:
        assert statuses == [statuses[0]] * 2
    assert rule.message is None or rule.message in refusals[1].content.decode()
    assert database_state() == before


def test_api_save_with_session_but_no_csrf_token_is_refused(site):
    before = database_state()
    response = api_put(site.strict_alice, {"content": "forged", "base_revision": site.base})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert database_state() == before
