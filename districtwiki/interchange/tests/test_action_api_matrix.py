"""Who may do what through /w/api.php, pinned like the core matrix (test_security_auth.py: same roles, same
world). An Action API answer is HTTP 200 with MediaWiki's error code, so each cell is "ok" or that code.
test_security_matrix.py counts these rows when it checks that every route has a row somewhere.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    ROLES,
    Row,
    world,
)

from .action_api import csrf

pytestmark = pytest.mark.django_db

OK = "ok"
API = "/w/api.php"
EVERYONE_OK = (OK, OK, OK, OK, OK)
SIGNED_IN = ("permissiondenied", OK, OK, OK, "permissiondenied")  # suspended: signed out by Django
TOKEN = "{csrf}"

# anonymous, member, trusted, admin, suspended (is_active=False: Django treats the session as signed out)
API_MATRIX = [
    # --- Reading: anyone.
    Row("GET", f"{API}?action=query&meta=siteinfo|userinfo|tokens", EVERYONE_OK),
    Row("GET", f"{API}?action=query&titles=Matrix_page&prop=revisions|info&rvprop=content", EVERYONE_OK),
    Row("GET", f"{API}?action=query&list=allpages|recentchanges&generator=allpages&prop=info", EVERYONE_OK),
    Row("GET", f"{API}?action=query&list=search&srsearch=line", EVERYONE_OK),
    Row("POST", API, EVERYONE_OK, {"action": "parse", "page": "Matrix page"}),
    Row("GET", f"{API}?action=parse&page=Deleted_page", ("missingtitle",) * 5),
    # --- Signing in: the first step of action=login, for anyone; signing out needs the token.
    Row("POST", API, EVERYONE_OK, {"action": "login", "lgname": "alice", "lgpassword": "x"}),
    Row("POST", API, EVERYONE_OK, {"action": "logout", "token": TOKEN}),
    # --- Edits: signed-in members, through the core's protection.
    Row(
        "POST", API, SIGNED_IN, {"action": "edit", "title": "Matrix page", "text": "Changed.", "token": TOKEN}
    ),
    Row("POST", API, SIGNED_IN, {"action": "edit", "title": "Brand new", "text": "New.", "token": TOKEN}),
    Row(
        "POST",
        API,
        ("protectedpage", "protectedpage", "protectedpage", OK, "protectedpage"),
        {"action": "edit", "title": "Protected page", "text": "Changed.", "token": TOKEN},
    ),
    Row(
        "POST",
        API,
        ("permissiondenied",) * 5,
        {"action": "edit", "title": "Deleted page", "text": "Back.", "token": TOKEN},
    ),
    Row(
        "POST",
        API,
        SIGNED_IN,
        {
            "action": "edit",
            "title": "Matrix page",
            "section": "new",
            "sectiontitle": "Q",
            "text": "Why?",
            "token": TOKEN,
        },
    ),
    # --- Moves: trusted members and admins; deletions: admins.
    Row(
        "POST",
        API,
        ("permissiondenied", "permissiondenied", OK, OK, "permissiondenied"),
        {"action": "move", "from": "Matrix page", "to": "Matrix page moved", "token": TOKEN},
    ),
    Row(
        "POST",
        API,
        ("permissiondenied", "permissiondenied", "permissiondenied", OK, "permissiondenied"),
        {"action": "delete", "title": "Matrix page", "token": TOKEN},
    ),
    # --- Every write: POST, with the session's own token in the body.
    Row("GET", f"{API}?action=edit&title=Matrix_page&text=x", ("mustbeposted",) * 5),
    Row("POST", API, ("missingparam",) * 5, {"action": "edit", "title": "Matrix page", "text": "x"}),
    Row(
        "POST",
        API,
        ("badtoken",) * 5,
        {"action": "edit", "title": "Matrix page", "text": "x", "token": "0f+\\"},
    ),
    Row("POST", API, ("badtoken",) * 5, {"action": "delete", "title": "Matrix page", "token": "0f+\\"}),
]


def api_outcome(role: str, row: Row, world) -> str:  # noqa: F811 - `world` is the fixture's value here
    """What `role` gets for `row`: "ok" or MediaWiki's error code; everything written is rolled back."""
    users, _ = world
    cache.clear()
    with transaction.atomic():
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        data = {"format": "json", **(row.data or {})}
        if data.get("token") == TOKEN:
            data["token"] = csrf(client)
        response = client.get(row.url) if row.method == "GET" else client.post(row.url, data)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        transaction.set_rollback(True)
    return body["error"]["code"] if "error" in body else OK


@pytest.mark.parametrize(
    "row", API_MATRIX, ids=[f"{row.method} {row.data or row.url}"[:90] for row in API_MATRIX]
)
def test_action_api_authorisation_matrix(world, row):  # noqa: F811
    actual = tuple(api_outcome(role, row, world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))
