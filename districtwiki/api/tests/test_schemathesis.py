"""schemathesis fuzzes every operation of /api/v1/openapi.json on the real server (`districtwiki serve`),
signed in with a member's API token so that saves are exercised too: valid and invalid inputs, and the
answers must never be a server error and must match the documented status codes, content types and schemas.

Each operation is a test of its own ("…[PUT /api/v1/pages/{title}]"); a failure shows the case as a curl
command. This module fuzzes the wiki's operations (the others: test_schemathesis_community.py; what both
share: fuzzing.py); test_live_server_serves_the_fuzzed_document checks that the live server serves exactly
the document the tests were made from.
"""

import pytest

from .fuzzing import COMMUNITY_PATHS, FUZZING, api, call_and_validate
from .helpers import bearer, page_url, put_page, stored, view_url
from .openapi import assert_matches, component, error_detail


def test_live_server_serves_the_fuzzed_document(live_api):
    live, _key = live_api
    reply = live.call("GET", "/api/v1/openapi.json")
    assert reply.status == 200
    assert reply.json == api.raw_schema


@api.exclude(path_regex=COMMUNITY_PATHS).parametrize()
@FUZZING
def test_api_answers_every_generated_request_as_documented(case, live_api):
    call_and_validate(case, live_api)


# Bugs schemathesis found, pinned here so that they stay fixed whatever the fuzzer happens to generate.


def json_error(response, status: int) -> str:
    """The documented error body's message (openapi.error_detail cannot match a path with a line break)."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert_matches(response.json(), component("Error"))
    return response.json()["detail"]


@pytest.mark.parametrize("suffix", ["", "/history", "/diff?from=1&to=1", "/backlinks"])
def test_title_with_a_line_break_is_refused_as_json(client, db, suffix):
    # Django's `path` converter stops at a line break, so these once fell through to the site's HTML 404.
    response = client.get(page_url("Line\nbreak", suffix))
    assert json_error(response, 400) == "Titles cannot contain a control character (U+000A)."


@pytest.mark.parametrize("view, query", [("history", ""), ("diff", "?from=1&to=1"), ("backlinks", "")])
def test_title_with_a_line_break_is_refused_as_json_by_the_views(client, db, view, query):
    response = client.get(view_url(view, "Line\nbreak") + query)
    assert json_error(response, 400) == "Titles cannot contain a control character (U+000A)."


def test_saving_a_title_with_a_line_break_is_refused_as_json(client, db, alice_key):
    before = stored()
    response = put_page(client, "Line\nbreak", {"content": "x", "base_revision": None}, **bearer(alice_key))
    assert json_error(response, 400) == "Titles cannot contain a control character (U+000A)."
    assert stored() == before


def test_category_with_a_line_break_is_refused_as_json(client, db):
    response = client.get("/api/v1/categories/Line%0Abreak")
    assert json_error(response, 400) == "Titles cannot contain a control character (U+000A)."


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/categories",
        "/api/v1/categories/Tools",
        "/api/v1/backlinks/Main_Page",
        "/api/v1/pages/Main_Page/backlinks",
    ],
)
def test_offset_beyond_any_database_integer_is_refused(client, db, path):
    # SQLite and PostgreSQL both failed on an OFFSET past 2**63 (a 500).
    response = client.get(f"{path}?offset={2**64}")
    assert "offset: Input should be less than or equal to" in error_detail(response, 400)
