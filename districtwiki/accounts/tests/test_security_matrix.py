"""Who may do what in the community, discussions and notifications apps and at the Django admin's door,
pinned like the core matrix in test_security_auth.py (same roles, same machinery), plus the test that
every route of the project has a row in one of the two matrices.

Where a route answers a validation error before (or instead of) its permission check, the row's data is
chosen to pass validation, so the status shown is the permission decision.
"""

from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from conftest import PASSWORD, make_user
from districtwiki.accounts.tests.test_invitation_matrix import APPROVAL_MATRIX, INVITE_MATRIX
from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    LOGIN,
    MATRIX,
    ROLES,
    Row,
    outcome_for,
    world,
)
from districtwiki.advocacy.tests.test_advocacy_matrix import ADVOCACY_MATRIX
from districtwiki.community import actions as community_actions
from districtwiki.community import messaging
from districtwiki.discussions import actions as discussion_actions
from districtwiki.discussions import moderation
from districtwiki.events.tests.test_calendars_matrix import CALENDAR_MATRIX
from districtwiki.interchange.tests.test_action_api_matrix import API_MATRIX
from districtwiki.notifications import actions as notification_actions
from districtwiki.notifications import tokens
from districtwiki.notifications.models import Notification
from districtwiki.wiki import actions as wiki_actions
from districtwiki.wiki.models import Page

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Alice Example",
    "role": "technician",
    "district_size": "under-1000",
    "state": "NY",
    "years_in_role": "3",
    "bio": "I look after the network.",
    "expertise": "networking",
}

# anonymous, member, trusted, admin, suspended (is_active=False: Django treats the session as signed out).
# The member is alice; cleo is a second member who is not one of the roles, so the conversation, message
# and notification below belong to alice (and cleo) only: trusted and admin are outsiders to them.
COMMUNITY_MATRIX = [
    # --- One's own profile, data and account.
    Row("GET", "/accounts/profile/", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/accounts/profile/", (LOGIN, 302, 302, 302, LOGIN), PROFILE),
    Row("GET", "/accounts/settings/data", (LOGIN, 200, 200, 200, LOGIN)),
    Row("GET", "/accounts/delete/", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/accounts/delete/", (LOGIN, 302, 302, 302, LOGIN), {"password": PASSWORD}),
    # --- The directory is for members; profiles and state chapters are public (each field has its own
    # visibility, tested in community/tests). A suspended member's profile is shown to admins only.
    Row("GET", "/members/", (LOGIN, 200, 200, 200, LOGIN)),
    Row("GET", "/members/cleo", (200, 200, 200, 200, 200)),
    Row("GET", "/members/sam", (404, 404, 404, 200, 404)),
    Row("GET", "/members/state/", (200, 200, 200, 200, 200)),
    Row("GET", "/members/state/NY", (200, 200, 200, 200, 200)),
    # --- Private messages: only the two members of a conversation; anyone else, admins included, gets a
    # 404, which does not even confirm that the conversation exists.
    Row("GET", "/members/messages/", (LOGIN, 200, 200, 200, LOGIN)),
    Row("GET", "/members/messages/{conversation}", (LOGIN, 200, 404, 404, LOGIN)),
    Row("POST", "/members/messages/{conversation}", (LOGIN, 302, 404, 404, LOGIN), {"body": "And again."}),
    # alice already talks with cleo, so her GET goes to that conversation.
    Row("GET", "/members/messages/new/cleo", (LOGIN, 302, 200, 200, LOGIN)),
    # Only admins can find a suspended member at all, and even they cannot write to one.
    Row("POST", "/members/messages/new/sam", (LOGIN, 404, 404, 403, LOGIN), {"body": "Hello, Sam."}),
    Row("POST", "/members/messages/new/cleo", (LOGIN, 302, 302, 302, LOGIN), {"body": "Hello, Cleo."}),
    Row("POST", "/members/messages/report/{message}", (LOGIN, 302, 404, 404, LOGIN), {"reason": "Spam"}),
    Row("GET", "/members/messages/reports/", (LOGIN, 404, 200, 200, LOGIN)),
    Row("GET", "/members/messages/reports/{message_report}", (LOGIN, 404, 200, 200, LOGIN)),
    Row("POST", "/members/block/cleo", (LOGIN, 302, 302, 302, LOGIN)),
    # Every role has blocked dan, so that "you had not blocked this member" (400) hides nothing.
    Row("POST", "/members/unblock/dan", (LOGIN, 302, 302, 302, LOGIN)),
    # --- Discussions: reading is open; posting needs a signed-in member.
    Row("GET", "/talk/Matrix_page", (200, 200, 200, 200, 200)),
    Row(
        "POST",
        "/talk/Matrix_page",
        (403, 302, 302, 302, 403),
        {"subject": "A new question", "body": "What do you use?"},
    ),
    Row("GET", "/discussions/{thread}", (200, 200, 200, 200, 200)),
    # A deleted page takes its discussion with it, for everyone.
    Row("GET", "/talk/Deleted_page", (404, 404, 404, 404, 404)),
    Row("GET", "/discussions/{deleted_thread}", (404, 404, 404, 404, 404)),
    Row("POST", "/discussions/{deleted_thread}", (404, 404, 404, 404, 404), {"body": "A reply."}),
    Row("POST", "/discussions/{thread}", (403, 302, 302, 302, 403), {"body": "A reply."}),
    Row("POST", "/discussions/{thread}/watch", (403, 302, 302, 302, 403), {"watch": "1"}),
    Row("GET", "/discussions/posts/{post}", (302, 302, 302, 302, 302)),
    Row("GET", "/special/discussions", (200, 200, 200, 200, 200)),
    # alice wrote the post: only she may edit it.
    Row("GET", "/discussions/posts/{post}/edit", (LOGIN, 200, 403, 403, LOGIN)),
    Row("POST", "/discussions/posts/{post}/edit", (LOGIN, 302, 403, 403, LOGIN), {"body": "Edited."}),
    Row("GET", "/special/report?post={post}", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/special/report", (403, 302, 302, 302, 403), {"post": "{reply}", "reason": "Off topic"}),
    Row("POST", "/special/report", (403, 302, 302, 302, 403), {"user": "cleo", "reason": "Spam profile"}),
    # --- Moderation: trusted members and admins; suspending accounts is for admins.
    Row("GET", "/special/moderation", (403, 403, 200, 200, 403)),
    Row("GET", "/discussions/posts/{post}/history", (403, 403, 200, 200, 403)),
    Row("POST", "/discussions/posts/{post}/hide", (403, 403, 302, 302, 403), {"reason": "Rude"}),
    Row("POST", "/discussions/posts/{hidden}/unhide", (403, 403, 302, 302, 403)),
    Row("POST", "/discussions/{thread}/lock", (403, 403, 302, 302, 403), {"lock": "1"}),
    Row("POST", "/special/moderation/reports/{report}/dismiss", (403, 403, 302, 302, 403)),
    Row(
        "POST",
        "/special/moderation/suspend",
        (403, 403, 403, 302, 403),
        {"username": "cleo", "reason": "Spam"},
    ),
    Row("POST", "/special/moderation/unsuspend", (403, 403, 403, 302, 403), {"username": "sam"}),
    # --- Notifications: one's own only; someone else's is a 404.
    Row("GET", "/notifications/", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/notifications/read-all", (LOGIN, 302, 302, 302, LOGIN)),
    Row("POST", "/notifications/{notification}/read", (LOGIN, 302, 404, 404, LOGIN)),
    Row("GET", "/notifications/{notification}/go", (LOGIN, 302, 404, 404, LOGIN)),
    Row("GET", "/notifications/settings", (LOGIN, 200, 200, 200, LOGIN)),
    Row(
        "POST",
        "/notifications/settings",
        (LOGIN, 302, 302, 302, LOGIN),
        {"auto_watch": "on", "frequency": "daily"},
    ),
    Row("POST", "/notifications/settings/feed", (LOGIN, 302, 302, 302, LOGIN)),
    Row("POST", "/notifications/settings/feed/revoke", (LOGIN, 302, 302, 302, LOGIN)),
    # The signed link and the feed token are the credentials: whoever holds them, signed in or not.
    Row("GET", "/notifications/unsubscribe/{unsubscribe}/", (200, 200, 200, 200, 200)),
    Row("POST", "/notifications/unsubscribe/{unsubscribe}/", (200, 200, 200, 200, 200)),
    Row("POST", "/notifications/unsubscribe/not-a-token/", (400, 400, 400, 400, 400)),
    Row("GET", "/feeds/watchlist/{feed}.atom", (200, 200, 200, 200, 200)),
    Row("GET", "/feeds/watchlist/not-a-token.atom", (404, 404, 404, 404, 404)),
    # --- The Django admin's own sign-in form is replaced by the site's (one place for throttling).
    Row("GET", "/admin/login/", (302, 302, 302, 302, 302)),
]


@pytest.fixture
def full_world(world, make_page):  # noqa: F811 - the imported fixture, by name
    """The core matrix's world plus a conversation, a thread with posts, reports and notifications."""
    users, values = world
    alice = users["member"]
    cleo, dan = make_user("cleo"), make_user("dan")
    for user in (cleo, dan):
        community_actions.profile_for(user)
    for role in ("member", "trusted", "admin"):
        messaging.block(users[role], dan)
    messaging.send_message(alice, cleo, "Hello, Alice here.")
    message = messaging.send_message(cleo, alice, "Hello, Cleo here.")
    message_report = messaging.report_message(alice, message.pk, "Spam")
    page = Page.objects.get(title="Matrix page")
    thread = discussion_actions.start_thread(page, "A question", "How do you do it?", alice)
    post = thread.posts.get()
    reply = discussion_actions.add_post(thread, "Like this.", cleo)
    hidden = discussion_actions.add_post(thread, "Something rude.", cleo)
    moderation.hide_post(hidden, users["admin"], "Rude")
    doomed = make_page("Doomed page", "x").page
    deleted_thread = discussion_actions.start_thread(doomed, "Gone soon", "Soon gone.", alice)
    wiki_actions.delete_page(doomed, users["admin"])
    report = moderation.file_report(cleo, "Off topic", post=post)
    notification = Notification.objects.create(
        user=alice, kind="page_edit", text="x", url="/wiki/Matrix_page"
    )
    more = {
        "conversation": message.conversation_id,
        "message": message.pk,
        "message_report": message_report.pk,
        "thread": thread.pk,
        "deleted_thread": deleted_thread.pk,
        "post": post.pk,
        "reply": reply.pk,
        "hidden": hidden.pk,
        "report": report.pk,
        "notification": notification.pk,
        "unsubscribe": tokens.unsubscribe_token(alice),
        "feed": notification_actions.regenerate_feed_token(alice),
    }
    return users, {**values, **more}


@pytest.mark.parametrize("row", COMMUNITY_MATRIX, ids=[f"{row.method} {row.url}" for row in COMMUNITY_MATRIX])
def test_community_authorisation_matrix(full_world, row):
    actual = tuple(outcome_for(role, row, full_world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))


# --- Every route has a row ------------------------------------------------------------------------------


def routes(patterns, prefix=""):
    """Every route string of the project, except the Django admin's own pages (its index has a row)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield prefix + str(pattern.pattern)
                continue
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def covered_route(url: str) -> str:
    match = resolve(url.split("?")[0].format_map(defaultdict(lambda: "1")))
    return "admin/" if match.namespace == "admin" else match.route


def test_every_route_of_the_project_is_in_a_matrix():
    matrices = (
        MATRIX
        + COMMUNITY_MATRIX
        + INVITE_MATRIX
        + APPROVAL_MATRIX
        + CALENDAR_MATRIX
        + ADVOCACY_MATRIX
        + API_MATRIX
    )
    covered = {covered_route(row.url) for row in matrices}
    every = list(routes(get_resolver().url_patterns))
    assert len(every) > 100
    missing = [route for route in every if route not in covered]
    assert missing == [], "routes without a row in a matrix: " + ", ".join(missing)
