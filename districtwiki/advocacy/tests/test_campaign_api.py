"""/api/v1/campaigns: the read endpoints, each response checked against the OpenAPI document; no
endpoint names a signer."""

import pytest

from districtwiki.advocacy import campaign_actions as actions
from districtwiki.api.tests.openapi import documented_json, error_detail, served_spec

from .campaign_helpers import in_days, make_campaign, make_program, make_signer, signs

pytestmark = pytest.mark.django_db


def test_paths_are_documented():
    paths = served_spec()["paths"]
    assert "/api/v1/campaigns" in paths
    assert "/api/v1/campaigns/{slug}" in paths


def test_campaign_reads_its_ask_deadline_state_program_and_count(client, bob, alice):
    make_program()
    campaign = make_campaign(bob, program="state-technology-grant")
    signs(campaign, alice, "counted")
    body = documented_json(client.get(f"/api/v1/campaigns/{campaign.slug}"))
    assert body["body"] == campaign.body
    assert (body["deadline"], body["state"], body["program"]) == (in_days(30), "KS", "state-technology-grant")
    assert (body["status"], body["signatures"]) == ("open", 1)
    assert body["brief_pdf_url"] == f"/advocacy/campaigns/{campaign.slug}/brief.pdf"


def test_unknown_campaign_is_404(client):
    assert error_detail(client.get("/api/v1/campaigns/nope"), 404) == "There is no campaign “nope”."


def test_list_puts_open_first_by_deadline_then_closed(client, bob):
    later = make_campaign(bob, title="Later", deadline=in_days(40))
    sooner = make_campaign(bob, title="Sooner", deadline=in_days(10))
    closed = actions.close_campaign(make_campaign(bob, title="Closed"), bob)
    body = documented_json(client.get("/api/v1/campaigns"))
    assert [item["slug"] for item in body["campaigns"]] == [sooner.slug, later.slug, closed.slug]
    assert body["total"] == 3


def test_list_filters_open_and_state(client, bob):
    make_campaign(bob, title="Kansas")
    iowa = make_campaign(bob, title="Iowa", state="IA")
    actions.close_campaign(make_campaign(bob, title="Closed Iowa", state="IA"), bob)
    body = documented_json(client.get("/api/v1/campaigns?status=open&state=ia"))
    assert [item["slug"] for item in body["campaigns"]] == [iowa.slug]


def test_list_pages(client, bob):
    for number in range(3):
        make_campaign(bob, title=f"Campaign {number}", deadline=in_days(10 + number))
    body = documented_json(client.get("/api/v1/campaigns?limit=2&offset=2"))
    assert [item["title"] for item in body["campaigns"]] == ["Campaign 2"]
    assert body["total"] == 3


def test_list_counts_signatures_without_naming_anyone(client, bob):
    campaign = make_campaign(bob)
    signs(campaign, make_signer("dana", display_name="Dana Whitfield", public_name=True), "public")
    signs(campaign, make_signer("quinn", display_name="Quinn Marlowe", public_name=True), "counted")
    response = client.get("/api/v1/campaigns")
    assert documented_json(response)["campaigns"][0]["signatures"] == 2
    detail = client.get(f"/api/v1/campaigns/{campaign.slug}").content.decode()
    for trace in ("dana", "Dana", "quinn", "Quinn"):
        assert trace not in response.content.decode() and trace not in detail


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("state=QQ", "“QQ” is not a US state"),
        ("status=maybe", "status must be open or closed"),
        ("limit=0", "limit"),
    ],
)
def test_bad_filters_are_400(client, query, sentence):
    assert sentence in error_detail(client.get(f"/api/v1/campaigns?{query}"), 400)
