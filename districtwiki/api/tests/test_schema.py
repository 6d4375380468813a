"""The OpenAPI document itself, and the answers for URLs and methods it does not describe."""

from districtwiki.wiki import search

from .helpers import page_url
from .openapi import assert_matches, component, served_spec


def test_served_document_is_a_valid_openapi_spec(client, db):
    spec = served_spec()  # validated with openapi-spec-validator when fetched
    assert spec["info"]["title"] == "districtwiki"


def test_every_operation_documents_its_error_responses(db):
    for path, item in served_spec()["paths"].items():
        for method, operation in item.items():
            errors = {status for status in operation["responses"] if status.startswith("4")}
            assert {"400", "401"} <= errors, f"{method} {path}"


def test_save_documents_every_refusal(db):
    responses = served_spec()["paths"]["/api/v1/pages/{title}"]["put"]["responses"]
    assert set(responses) == {"200", "201", "400", "401", "403", "409", "413", "429"}
    assert responses["409"]["content"]["application/json"]["schema"] == component("Conflict")


def test_no_interactive_docs_loading_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 404
    assert b"cdn" not in response.content.lower()


def test_unknown_endpoint_is_a_json_404(client, db):
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert_matches(response.json(), component("Error"))
    assert response.json()["detail"].startswith("There is no API endpoint at /api/v1/nothing/here.")


def test_wrong_method_is_a_json_405(client, db):
    response = client.delete(page_url("Budget"))
    assert response.status_code == 405
    assert_matches(response.json(), component("Error"))
    assert response.json() == {"detail": "DELETE is not allowed here; use GET, PUT."}
    assert response["Allow"] == "GET, PUT"


def test_unexpected_failure_is_a_json_500_and_logged(client, db, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index missing")

    monkeypatch.setattr(search, "search_pages", broken)
    response = client.get("/api/v1/search", {"q": "budget"})
    assert response.status_code == 500
    assert_matches(response.json(), component("Error"))
    assert "index missing" not in response.content.decode()
    assert "API request failed: GET /api/v1/search" in caplog.text
