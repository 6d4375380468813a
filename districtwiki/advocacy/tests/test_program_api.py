"""/api/v1/programs: the contract external tools rely on, each response checked against the OpenAPI
document."""

import pytest

from districtwiki.advocacy import funding_actions
from districtwiki.api.tests.openapi import documented_json, served_spec

from .program_world import SOURCE, make_program, write_report

pytestmark = pytest.mark.django_db

AMOUNT = {
    "year": "2024",
    "year_label": "FY2024",
    "amount": "1250000",
    "source_title": "Budget",
    "source_url": SOURCE,
}


@pytest.fixture
def program(bob):
    program = make_program(bob)
    funding_actions.add_amount(program, bob, AMOUNT)
    funding_actions.change_status(program, bob, {"status": "cut", "source_url": SOURCE, "note": "Gone"})
    return program


def test_paths_are_documented(db):
    paths = served_spec()["paths"]
    for path in ("/api/v1/programs", "/api/v1/programs/{slug}", "/api/v1/programs/{slug}/impact"):
        assert path in paths


def test_list_programs(client, program, bob):
    make_program(bob, name="Federal Fund", slug="federal-fund", level="federal", state="")
    data = documented_json(client.get("/api/v1/programs"))
    assert [p["slug"] for p in data["programs"]] == ["federal-fund", "prairie-grant"]
    assert data["count"] == 2
    assert data["programs"][1] == {
        "slug": "prairie-grant",
        "name": "Prairie State Technology Grant",
        "level": "state",
        "state": "IA",
        "agency": "Department of Education",
        "status": "cut",
        "url": "/advocacy/programs/prairie-grant",
    }
    assert data["programs"][0]["state"] is None


def test_list_filters_and_pages(client, program, bob):
    make_program(bob, name="Federal Fund", slug="federal-fund", level="federal", state="")
    assert [p["slug"] for p in documented_json(client.get("/api/v1/programs?status=cut"))["programs"]] == [
        "prairie-grant"
    ]
    assert [p["slug"] for p in documented_json(client.get("/api/v1/programs?level=federal"))["programs"]] == [
        "federal-fund"
    ]
    paged = documented_json(client.get("/api/v1/programs?limit=1&offset=1"))
    assert [p["slug"] for p in paged["programs"]] == ["prairie-grant"] and paged["count"] == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [("state=ZZ", "is not a state"), ("status=gone", "is not a status"), ("level=x", "is not a level")],
)
def test_bad_filter_is_a_400_with_a_sentence(client, program, query, message):
    response = client.get(f"/api/v1/programs?{query}")
    assert response.status_code == 400
    assert message in documented_json(response)["detail"]


def test_bad_limit_is_a_400(client, program):
    response = client.get("/api/v1/programs?limit=0")
    assert response.status_code == 400
    assert documented_json(response)["detail"]


def test_one_program_with_amounts_history_and_totals(client, program, alice):
    write_report(alice, amount=32000)
    data = documented_json(client.get("/api/v1/programs/prairie-grant"))
    assert data["amounts"] == [
        {
            "year": 2024,
            "year_label": "FY2024",
            "amount": 1250000,
            "source_title": "Budget",
            "source_url": SOURCE,
        }
    ]
    assert [
        (c["from_status"], c["to_status"], c["note"], c["source_url"]) for c in data["status_history"]
    ] == [("active", "cut", "Gone", SOURCE)]
    assert data["report_totals"] == {
        "reports": 1,
        "districts": 1,
        "states": 1,
        "amount": 32000,
        "sentence": "1 district in 1 state reports $32 K from this program.",
    }


def test_unknown_program_is_a_404(client):
    response = client.get("/api/v1/programs/no-such-grant")
    assert response.status_code == 404
    assert documented_json(response)["detail"] == "There is no funding program “no-such-grant”."


def test_impact_totals_per_state_and_reports(client, program, alice):
    write_report(alice, "Impact reports/A", amount=30000, district="A", district_size="under-1000")
    write_report(alice, "Impact reports/B", year=2023, amount=90000, state="NE", district="B")
    data = documented_json(client.get("/api/v1/programs/prairie-grant/impact"))
    assert data["totals"]["amount"] == 120000 and data["totals"]["states"] == 2
    assert data["by_state"] == [
        {"state": "NE", "state_name": "Nebraska", "reports": 1, "districts": 1, "amount": 90000},
        {"state": "IA", "state_name": "Iowa", "reports": 1, "districts": 1, "amount": 30000},
    ]
    assert data["reports"][0] == {
        "title": "Impact reports/A",
        "url": "/wiki/Impact_reports/A",
        "year": 2024,
        "amount": 30000,
        "state": "IA",
        "district_size": "under-1000",
    }
    assert [r["title"] for r in data["reports"]] == ["Impact reports/A", "Impact reports/B"]


def test_impact_of_unknown_program_is_a_404(client):
    response = client.get("/api/v1/programs/nothing/impact")
    assert response.status_code == 404
    assert "There is no funding program" in documented_json(response)["detail"]
