"""Who may use the advocacy hub's routes, pinned like the core matrix (test_security_auth.py, same roles,
same machinery); test_security_matrix.py checks that every route of the project has a row somewhere.
"""

from datetime import UTC, datetime, timedelta

import pytest

from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    LOGIN,
    ROLES,
    Row,
    outcome_for,
    world,
)
from districtwiki.advocacy import campaign_actions
from districtwiki.advocacy.models import Campaign

pytestmark = pytest.mark.django_db

# anonymous, member, trusted, admin, suspended (is_active=False: Django treats the session as signed out)
CAMPAIGN = "/advocacy/campaigns/matrix-campaign"
SIGNED = "/advocacy/campaigns/matrix-signed"
CLOSED = "/advocacy/campaigns/matrix-closed"
CAMPAIGN_FORM = {
    "title": "Matrix campaign, edited",
    "body": "Restore the grant.",
    "audience": "legislature",
    "audience_name": "Kansas Legislature",
    "deadline": (datetime.now(UTC) + timedelta(days=365)).date().isoformat(),
    "state": "KS",
}

ADVOCACY_MATRIX = [
    # --- The hub's front page: anyone.
    Row("GET", "/advocacy/", (200, 200, 200, 200, 200)),
    # --- Campaigns: anyone reads; trusted members and admins start them; their organizers (the trusted
    # member here) and admins edit, close and download the public signatures; members sign and withdraw.
    Row("GET", "/advocacy/campaigns/", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/campaigns/new", (LOGIN, 403, 200, 200, LOGIN)),
    Row("POST", "/advocacy/campaigns/new", (LOGIN, 403, 302, 302, LOGIN), CAMPAIGN_FORM),
    Row("GET", CAMPAIGN, (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/campaigns/no-such-campaign", (404, 404, 404, 404, 404)),
    Row("GET", f"{CAMPAIGN}/edit", (403, 403, 200, 200, 403)),
    Row("POST", f"{CAMPAIGN}/edit", (403, 403, 302, 302, 403), CAMPAIGN_FORM),
    Row("POST", f"{CAMPAIGN}/close", (403, 403, 302, 302, 403)),
    Row("POST", f"{CLOSED}/close", (403, 403, 409, 409, 403)),
    Row("POST", f"{CAMPAIGN}/sign", (403, 302, 302, 302, 403), {"visibility": "public"}),
    Row("POST", f"{SIGNED}/sign", (403, 409, 409, 409, 403), {"visibility": "counted"}),
    Row("POST", f"{CLOSED}/sign", (403, 409, 409, 409, 403), {"visibility": "counted"}),
    Row("POST", f"{SIGNED}/withdraw", (403, 302, 302, 302, 403)),
    Row("POST", f"{CAMPAIGN}/withdraw", (403, 409, 409, 409, 403)),
    Row("GET", f"{CAMPAIGN}/signatures.csv", (403, 403, 200, 200, 403)),
    # --- One-page briefs, for anyone: a campaign's and a state's, as a page and as a PDF.
    Row("GET", f"{CAMPAIGN}/brief", (200, 200, 200, 200, 200)),
    Row("GET", f"{CAMPAIGN}/brief.pdf", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/briefs/KS", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/briefs/KS?size=under-1000", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/briefs/QQ", (400, 400, 400, 400, 400)),
    Row("GET", "/advocacy/briefs/KS.pdf", (200, 200, 200, 200, 200)),
    # --- The campaigns' read API.
    Row("GET", "/api/v1/campaigns", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/campaigns/matrix-campaign", (200, 200, 200, 200, 200)),
]


@pytest.fixture
def advocacy_world(world):  # noqa: F811 - the imported fixture, by name
    users, _values = world
    trusted = users["trusted"]
    for slug in ("matrix-campaign", "matrix-signed", "matrix-closed"):
        form = {**CAMPAIGN_FORM, "title": slug.replace("-", " ").capitalize()}
        campaign_actions.create_campaign(trusted, campaign_actions.clean_details(form))
    signed = Campaign.objects.get(slug="matrix-signed")
    for role in ("member", "trusted", "admin"):
        campaign_actions.sign(signed, users[role], "public")
    campaign_actions.close_campaign(Campaign.objects.get(slug="matrix-closed"), trusted)
    return world


@pytest.mark.parametrize("row", ADVOCACY_MATRIX, ids=[f"{row.method} {row.url}" for row in ADVOCACY_MATRIX])
def test_advocacy_authorisation_matrix(advocacy_world, row):
    actual = tuple(outcome_for(role, row, advocacy_world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))
