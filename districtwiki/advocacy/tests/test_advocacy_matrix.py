"""Who may use the advocacy hub's routes, pinned like the core matrix (test_security_auth.py, same roles,
same machinery); test_security_matrix.py checks that every route of the project has a row somewhere.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    LOGIN,
    ROLES,
    Row,
    outcome_for,
    world,
)
from districtwiki.advocacy import campaign_actions, survey_actions
from districtwiki.advocacy.models import Campaign, FundingProgram, ProgramAmount

from .results_seed import add_responses, answer_as, make_period, skewed_answers
from .survey_world import GOOD_ANSWERS, SLUG

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/matrix-budget"
PROGRAM_FORM = {"name": "Matrix program", "slug": "matrix-new", "level": "federal", "state": ""}
AMOUNT_FORM = {"year": "2025", "amount": "1000", "source_title": "Budget", "source_url": SOURCE}
STATUS_FORM = {"status": "cut", "source_url": SOURCE}
ALERT_FORM = {"note": "The budget proposal drops it.", "source_url": SOURCE}
REPORT_FORM = {
    "district": "Matrix district",
    "state": "IA",
    "year": "2024",
    "amount": "5000",
    "funded": "Wi-Fi.",
}

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
    # --- Surveys: anyone reads about them; members answer; admins open and close (one is open already).
    Row("GET", "/advocacy/surveys/", (200, 200, 200, 200, 200)),
    Row("GET", f"/advocacy/surveys/{SLUG}/", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/surveys/no-such-survey/", (404, 404, 404, 404, 404)),
    Row("GET", f"/advocacy/surveys/{SLUG}/answer", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", f"/advocacy/surveys/{SLUG}/answer", (LOGIN, 302, 302, 302, LOGIN), GOOD_ANSWERS),
    Row("POST", f"/advocacy/surveys/{SLUG}/answer", (LOGIN, 400, 400, 400, LOGIN), {"state": "ZZ"}),
    Row("GET", f"/advocacy/surveys/{SLUG}/manage", (LOGIN, 403, 403, 200, LOGIN)),
    Row("POST", f"/advocacy/surveys/{SLUG}/open", (LOGIN, 403, 403, 409, LOGIN), {"label": "2027–28"}),
    Row("POST", f"/advocacy/surveys/{SLUG}/close", (LOGIN, 403, 403, 302, LOGIN), {"confirm": "yes"}),
    Row("POST", f"/advocacy/surveys/{SLUG}/close", (LOGIN, 403, 403, 400, LOGIN)),
    Row("GET", "/api/v1/surveys", (200, 200, 200, 200, 200)),
    Row("GET", f"/api/v1/surveys/{SLUG}", (200, 200, 200, 200, 200)),
    Row("PUT", f"/api/v1/surveys/{SLUG}/response", (401, 200, 200, 200, 401), {"answers": GOOD_ANSWERS}),
    Row("PUT", f"/api/v1/surveys/{SLUG}/response", (401, 400, 400, 400, 401), {"answers": {"state": "ZZ"}}),
    # --- Funding programs (views/programs.py): anyone reads; trusted members and admins create and change
    # programs, amounts and status; any signed-in member watches, warns and files an impact report.
    Row("GET", "/advocacy/programs/", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/programs/matrix-grant", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/programs/new", (LOGIN, 403, 200, 200, LOGIN)),
    Row("POST", "/advocacy/programs/new", (LOGIN, 403, 302, 302, LOGIN), PROGRAM_FORM),
    Row("GET", "/advocacy/programs/matrix-grant/edit", (LOGIN, 403, 200, 200, LOGIN)),
    Row("POST", "/advocacy/programs/matrix-grant/edit", (LOGIN, 403, 302, 302, LOGIN), PROGRAM_FORM),
    Row("GET", "/advocacy/programs/matrix-grant/amounts", (LOGIN, 403, 200, 200, LOGIN)),
    Row("POST", "/advocacy/programs/matrix-grant/amounts", (LOGIN, 403, 302, 302, LOGIN), AMOUNT_FORM),
    Row("POST", "/advocacy/programs/matrix-grant/amounts/{amount}/delete", (LOGIN, 403, 302, 302, LOGIN)),
    Row("GET", "/advocacy/programs/matrix-grant/status", (LOGIN, 403, 200, 200, LOGIN)),
    Row("POST", "/advocacy/programs/matrix-grant/status", (LOGIN, 403, 302, 302, LOGIN), STATUS_FORM),
    Row("POST", "/advocacy/programs/matrix-grant/watch", (LOGIN, 302, 302, 302, LOGIN)),
    Row("POST", "/advocacy/programs/matrix-grant/unwatch", (LOGIN, 302, 302, 302, LOGIN)),
    Row("GET", "/advocacy/programs/matrix-grant/alert", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/advocacy/programs/matrix-grant/alert", (LOGIN, 302, 302, 302, LOGIN), ALERT_FORM),
    Row("GET", "/advocacy/programs/matrix-grant/report", (LOGIN, 200, 200, 200, LOGIN)),
    Row("POST", "/advocacy/programs/matrix-grant/report", (LOGIN, 302, 302, 302, LOGIN), REPORT_FORM),
    Row("GET", "/api/v1/programs", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/programs/matrix-grant", (200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/programs/matrix-grant/impact", (200, 200, 200, 200, 200)),
    # --- Survey results: anyone; "how you compare": signed-in members (each sees only their own answers).
    Row("GET", "/advocacy/surveys/staffing/results", (200, 200, 200, 200, 200)),
    Row("GET", "/advocacy/surveys/staffing/results?by=state%2Bdistrict_size", (200, 200, 200, 200, 200)),
    Row(
        "GET",
        "/advocacy/surveys/staffing/results.csv?by=overall&table=respondents",
        (200, 200, 200, 200, 200),
    ),
    Row("GET", "/advocacy/surveys/staffing/compare", (LOGIN, 200, 200, 200, LOGIN)),
    Row("GET", "/api/v1/surveys/staffing/results?state=IA", (200, 200, 200, 200, 200)),
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
    survey_actions.open_period(SLUG, "2026–27")
    users, values = world
    period = make_period(closed=False)
    add_responses(period, skewed_answers(60, seed=1))
    answer_as(period, users["member"], {"state": "IA", "district_size": "under-1000", "hours": 30})
    program = FundingProgram.objects.create(
        name="Matrix grant", slug="matrix-grant", level="state", state="IA"
    )
    amount = ProgramAmount.objects.create(
        program=program,
        year=2024,
        year_label="2024",
        amount=1,
        source_url=SOURCE,
        source_title="Budget",
        added_at=timezone.now(),
    )
    trusted = users["trusted"]
    for slug in ("matrix-campaign", "matrix-signed", "matrix-closed"):
        form = {**CAMPAIGN_FORM, "title": slug.replace("-", " ").capitalize()}
        campaign_actions.create_campaign(trusted, campaign_actions.clean_details(form))
    signed = Campaign.objects.get(slug="matrix-signed")
    for role in ("member", "trusted", "admin"):
        campaign_actions.sign(signed, users[role], "public")
    campaign_actions.close_campaign(Campaign.objects.get(slug="matrix-closed"), trusted)
    return users, values | {"amount": amount.pk}


@pytest.mark.parametrize("row", ADVOCACY_MATRIX, ids=[f"{row.method} {row.url}" for row in ADVOCACY_MATRIX])
def test_advocacy_authorisation_matrix(advocacy_world, row):
    actual = tuple(outcome_for(role, row, advocacy_world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))
