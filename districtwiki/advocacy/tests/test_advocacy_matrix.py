"""Who may use the advocacy hub's routes, pinned like the core matrix (test_security_auth.py, same roles,
same machinery); test_security_matrix.py checks that every route of the project has a row somewhere.
"""

import pytest

from districtwiki.accounts.tests.test_security_auth import (  # noqa: F401 - `world` is a fixture
    LOGIN,
    ROLES,
    Row,
    outcome_for,
    world,
)

from .results_seed import add_responses, answer_as, make_period, skewed_answers

pytestmark = pytest.mark.django_db

# anonymous, member, trusted, admin, suspended (is_active=False: Django treats the session as signed out)
ADVOCACY_MATRIX = [
    # --- The hub's front page: anyone.
    Row("GET", "/advocacy/", (200, 200, 200, 200, 200)),
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
]


@pytest.fixture
def advocacy_world(world):  # noqa: F811 - the imported fixture, by name
    users, _values = world
    period = make_period(closed=False)
    add_responses(period, skewed_answers(60, seed=1))
    answer_as(period, users["member"], {"state": "IA", "district_size": "under-1000", "hours": 30})
    return world


@pytest.mark.parametrize("row", ADVOCACY_MATRIX, ids=[f"{row.method} {row.url}" for row in ADVOCACY_MATRIX])
def test_advocacy_authorisation_matrix(advocacy_world, row):
    actual = tuple(outcome_for(role, row, advocacy_world) for role in ROLES)
    assert actual == row.expected, dict(zip(ROLES, actual, strict=True))
