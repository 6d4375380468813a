"""What the schemathesis modules share (test_schemathesis*.py): the OpenAPI document they fuzz, the checks
every answer must pass, and how one generated case is sent to the live server.

The document is read in-process when the tests are collected (schemathesis makes one test per operation
then, before any server runs: its fixture-based loader does not work with pytest 9.2). Its operations are
fuzzed in two modules, so that pytest-xdist can run them on two workers at once: the community's and
advocacy's operations (COMMUNITY_PATHS) in test_schemathesis_community.py, the wiki's in
test_schemathesis.py."""

import json

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
FUZZING = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/: a failure prints its case as a curl command instead
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Events, live rooms, programs, campaigns and surveys; every other operation is the wiki's.
COMMUNITY_PATHS = r"^/api/v1/(events|rooms|programs|campaigns|surveys)(/|$)"


def openapi_document() -> dict:
    """The document as /api/v1/openapi.json serves it (JSON types only)."""
    return json.loads(json.dumps(ninja_api.get_openapi_schema(), cls=DjangoJSONEncoder))


api = schemathesis.openapi.from_dict(openapi_document())


def call_and_validate(case, live_api) -> None:
    """Send the case to the live server with the fuzzer's token; every check must pass."""
    live, key = live_api
    case.call_and_validate(
        base_url=live.url, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS, timeout=30
    )
