"""schemathesis fuzzes every operation of /api/v1/openapi.json on the real server (`districtwiki serve`),
signed in with a member's API token so that saves are exercised too: valid and invalid inputs, and the
answers must never be a server error and must match the documented status codes, content types and schemas.

Each operation is a test of its own ("…[PUT /api/v1/pages/{title}]"); a failure shows the case as a curl
command. The document is read in-process when the tests are collected (schemathesis makes one test per
operation then, before any server runs: its fixture-based loader does not work with pytest 9.2), and
test_live_server_serves_the_fuzzed_document checks that the live server serves exactly that document.
"""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from districtwiki.api.api import api as ninja_api
from districtwiki.wiki.tests import server

from .helpers import bearer, page_url, put_page, stored, view_url
from .openapi import assert_matches, component, error_detail

MAX_EXAMPLES = 40  # per operation: keeps the fuzzing under about a minute per database
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,  # a write sent without the token must be refused
]


@pytest.fixture(scope="module", params=server.DATABASES)
def live_api(request, tmp_path_factory):
    """The running server and a member's API key."""
    data_dir = tmp_path_factory.mktemp(f"schemathesis-{request.param}")
    with server.server_storage(request.param, data_dir) as storage, server.running_server(storage) as live:
        yield live, live.create_members("fuzzer", 1)[0]


def openapi_document() -> dict:
    """The document as /api/v1/openapi.json serves it (JSON types only)."""
    return json.loads(json.dumps(ninja_api.get_openapi_schema(), cls=DjangoJSONEncoder))


api = schemathesis.openapi.from_dict(openapi_document())


def test_live_server_serves_the_fuzzed_document(live_api):
    live, _key = live_api
    reply = live.call("GET", "/api/v1/openapi.json")
    assert reply.status == 200
    assert reply.json == api.raw_schema


@api.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/: a failure prints its case as a curl command instead
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_every_generated_request_as_documented(case, live_api):
    live, key = live_api
    case.call_and_validate(
        base_url=live.url, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS, timeout=30
    )


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
