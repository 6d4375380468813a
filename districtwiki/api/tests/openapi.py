"""One helper for every API test: check a response against the OpenAPI document the API serves.

The document is fetched from /api/v1/openapi.json (once), validated with openapi-spec-validator, and each
response body is validated with jsonschema against the schema documented for its path, method and status.
"""

import functools
import re

from django.test import Client, override_settings
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec

PARAMETER = re.compile(r"\{[^}]+\}")


@functools.cache
def served_spec() -> dict:
    with override_settings(PRIVATE_WIKI=False):
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate_spec(spec)
    return spec


def _pattern(template: str) -> str:
    # Path parameters may contain "/" (subpage titles), like Django's path converter.
    literal_parts = PARAMETER.split(template)
    return ".+".join(re.escape(part) for part in literal_parts)


def operation_for(method: str, path: str) -> dict:
    """The documented operation for a request; like the URL resolver, the most specific template wins."""
    candidates = [
        (template, item[method.lower()])
        for template, item in served_spec()["paths"].items()
        if method.lower() in item and re.fullmatch(_pattern(template), path)
    ]
    assert candidates, f"{method} {path} is not in the OpenAPI document"
    _template, operation = max(candidates, key=lambda candidate: len(PARAMETER.sub("", candidate[0])))
    return operation


def assert_matches(data, schema: dict) -> None:
    # The components ride along in the root, so "#/components/schemas/..." references resolve.
    root = {**schema, "components": served_spec()["components"]}
    Draft202012Validator(root, format_checker=FormatChecker()).validate(data)


def documented_json(response):
    """The response's JSON body, after checking that its status is documented and its body fits the schema."""
    request = response.request
    operation = operation_for(request["REQUEST_METHOD"], request["PATH_INFO"])
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"status {response.status_code} is not documented: {response.content[:300]!r}"
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert_matches(data, documented["content"]["application/json"]["schema"])
    return data


def error_detail(response, status: int) -> str:
    """The message of a documented error response with this status."""
    assert response.status_code == status, response.content[:500]
    return documented_json(response)["detail"]


def component(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}
