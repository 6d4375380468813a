"""Who may use the routes of sign-up by invitation and by approval, in each DISTRICTWIKI_SIGNUP mode, on a
public and on a private wiki, pinned like the core matrix (test_security_auth.py, same machinery).

A sixth role joins the five of the core matrix: "pending", an applicant whose account waits for approval.
Like a suspended member, it counts as signed out everywhere, so it cannot read a private wiki.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from districtwiki.accounts import approvals, invitations
from districtwiki.accounts.models import Invitation
from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    LOGIN,
    Row,
    outcome_for,
    world,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "trusted", "admin", "suspended", "pending")
NEW_ACCOUNT = {
    "username": "newbie",
    "email": "newbie@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
APPLICATION = {**NEW_ACCOUNT, "note": "I run the network of a small district."}

# Routes that answer the same on a public and a private wiki: everything under /accounts/ is reachable
# signed out, and each view decides for itself.
INVITE_MATRIX = [
    # Without an invitation nobody signs up, and a POST creates nothing (test_invited_signup checks the
    # database); signed-in members are sent to their settings as in the open mode.
    Row("GET", "/accounts/signup/", (403, 302, 302, 302, 403, 403)),
    Row("POST", "/accounts/signup/", (403, 302, 302, 302, 403, 403), NEW_ACCOUNT),
    # The invitation link is the credential: whoever holds it, signed out.
    Row("GET", "/accounts/signup/invited/{key}/", (200, 302, 302, 302, 200, 200)),
    Row("POST", "/accounts/signup/invited/{key}/", (302, 302, 302, 302, 302, 302), NEW_ACCOUNT),
    Row("GET", "/accounts/signup/invited/{used_key}/", (410, 302, 302, 302, 410, 410)),
    Row("GET", "/accounts/signup/invited/{expired_key}/", (410, 302, 302, 302, 410, 410)),
    Row("GET", "/accounts/signup/invited/not-a-key/", (404, 302, 302, 302, 404, 404)),
    Row("GET", "/accounts/signup/requested/", (200, 200, 200, 200, 200, 200)),
    # Inviting is for trusted members and admins; an admin manages every invitation, a trusted member theirs.
    Row("GET", "/accounts/invitations/", (LOGIN, 403, 200, 200, LOGIN, LOGIN)),
    Row(
        "POST", "/accounts/invitations/", (LOGIN, 403, 302, 302, LOGIN, LOGIN), {"addresses": "x@example.org"}
    ),
    Row("POST", "/accounts/invitations/{invitation}/revoke/", (LOGIN, 403, 302, 302, LOGIN, LOGIN)),
    Row("POST", "/accounts/invitations/{admin_invitation}/revoke/", (LOGIN, 403, 404, 302, LOGIN, LOGIN)),
    # The approval queue: trusted members and admins.
    Row("GET", "/accounts/approvals/", (LOGIN, 403, 200, 200, LOGIN, LOGIN)),
    Row("POST", "/accounts/approvals/{request}/approve/", (LOGIN, 403, 302, 302, LOGIN, LOGIN)),
    Row("POST", "/accounts/approvals/{request}/decline/", (LOGIN, 403, 302, 302, LOGIN, LOGIN)),
]

APPROVAL_MATRIX = [
    Row("GET", "/accounts/signup/", (200, 302, 302, 302, 200, 200)),
    Row("POST", "/accounts/signup/", (302, 302, 302, 302, 302, 302), APPLICATION),
    # Invitations still work, and skip the queue.
    Row("GET", "/accounts/signup/invited/{key}/", (200, 302, 302, 302, 200, 200)),
]

# Reading a private wiki: the pending applicant is turned away like anyone signed out.
PRIVATE_READING = [
    Row("GET", "/wiki/Matrix_page", (LOGIN, 200, 200, 200, LOGIN, LOGIN)),
    Row("GET", "/members/", (LOGIN, 200, 200, 200, LOGIN, LOGIN)),
]


@pytest.fixture
def signup_world(world):  # noqa: F811 - the imported fixture, by name
    """The core matrix's world plus an applicant, and invitations: waiting, used, expired."""
    users, values = world
    users["pending"] = approvals.apply("penny", "penny@example.org", PASSWORD, "Hello.")
    invitation, key = invitations.issue(users["trusted"], "invitee@example.org")
    _used, used_key = invitations.issue(users["trusted"], "used@example.org")
    invitations.accept(used_key, "usedup", PASSWORD)
    expired, expired_key = invitations.issue(users["trusted"], "late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    admin_invitation, _ = invitations.issue(users["admin"], "admins-guest@example.org")
    more = {
        "key": key,
        "used_key": used_key,
        "expired_key": expired_key,
        "invitation": invitation.pk,
        "admin_invitation": admin_invitation.pk,
        "request": users["pending"].signup_request.pk,
    }
    return users, {**values, **more}


def outcomes(row, signup_world) -> dict:
    return dict(zip(ROLES, (outcome_for(role, row, signup_world) for role in ROLES), strict=True))


def ids(matrix):
    return [f"{row.method} {row.url}" for row in matrix]


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("row", INVITE_MATRIX, ids=ids(INVITE_MATRIX))
def test_invite_mode_matrix(signup_world, settings, row, private):
    settings.PRIVATE_WIKI = private
    settings.SIGNUP = "invite"
    assert outcomes(row, signup_world) == dict(zip(ROLES, row.expected, strict=True))


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("row", APPROVAL_MATRIX, ids=ids(APPROVAL_MATRIX))
def test_approval_mode_matrix(signup_world, settings, row, private):
    settings.PRIVATE_WIKI = private
    settings.SIGNUP = "approval"
    assert outcomes(row, signup_world) == dict(zip(ROLES, row.expected, strict=True))


@pytest.mark.parametrize("mode", ["invite", "approval"])
@pytest.mark.parametrize("row", PRIVATE_READING, ids=ids(PRIVATE_READING))
def test_private_wiki_reading_matrix(signup_world, settings, row, mode):
    settings.PRIVATE_WIKI = True
    settings.SIGNUP = mode
    assert outcomes(row, signup_world) == dict(zip(ROLES, row.expected, strict=True))
