"""Who may use the calendar routes, pinned like the core matrix (test_security_auth.py, same roles, same
machinery); test_security_matrix.py checks that every route of the project has a row somewhere.

The world adds an event for everyone, one for members, one for the New York chapter (no role lives there,
so only the site's moderators, trusted and admin, see it) and alice's private calendar feed.
"""

import pytest

from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    LOGIN,
    ROLES,
    Row,
    outcome_for,
    world,
)
from districtwiki.events import feeds
from districtwiki.events.models import Event

from .calendar_helpers import make_event

pytestmark = pytest.mark.django_db

# anonymous, member, trusted, admin, suspended (is_active=False: Django treats the session as signed out)
CALENDAR_MATRIX = [
    # --- Public calendars and the page that lists them: anyone.
    Row("GET", "/events/calendar.ics", (200, 200, 200, 200, 200)),
    Row("GET", "/events/deadlines.ics", (200, 200, 200, 200, 200)),
    Row("GET", "/events/calendars", (200, 200, 200, 200, 200)),
    # --- One event's download follows the event's audience; outside it, the event does not exist.
    Row("GET", "/events/{public_event}.ics", (200, 200, 200, 200, 200)),
    Row("GET", "/events/{members_event}.ics", (404, 200, 200, 200, 404)),
    # (the site's moderators, trusted members and admins, see every event: events.access.sees_event)
    Row("GET", "/events/{state_event}.ics", (404, 404, 200, 200, 404)),
    Row("GET", "/events/999999.ics", (404, 404, 404, 404, 404)),
    # --- The private feed: the token is the credential, whoever holds it, signed in or not.
    Row("GET", "/events/feeds/{calendar_feed}.ics", (200, 200, 200, 200, 200)),
    Row("GET", "/events/feeds/not-a-token.ics", (404, 404, 404, 404, 404)),
    # --- Making or turning off one's own feed address.
    Row("POST", "/events/feeds/new", (LOGIN, 302, 302, 302, LOGIN)),
    Row("POST", "/events/feeds/revoke", (LOGIN, 302, 302, 302, LOGIN)),
]


@pytest.fixture
def calendar_world(world):  # noqa: F811 - the imported fixture, by name
    users, values = world
    more = {
        "public_event": make_event("Open chat").pk,
        "members_event": make_event("Members chat", audience=Event.Audience.MEMBERS).pk,
        "state_event": make_event("NY chapter", audience=Event.Audience.STATE, state="NY").pk,
        "calendar_feed": feeds.regenerate_calendar_feed(users["member"]),
    }
    return users, {**values, **more}


@pytest.mark.parametrize("row", CALENDAR_MATRIX, ids=[f"{row.method} {row.url}" for row in CALENDAR_MATRIX])
def test_calendar_authorisation_matrix(calendar_world, row):
    actual = tuple(outcome_for(role, row, calendar_world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))
