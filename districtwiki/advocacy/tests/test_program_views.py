"""The funding tracker's pages: the list and its filters, a program's page, and each form's answers to good
and bad input (status, sentence, nothing stored)."""

import pytest

from districtwiki.advocacy import funding_actions
from districtwiki.advocacy.models import (
    FundingProgram,
    ProgramAlert,
    ProgramAmount,
    ProgramStatusChange,
    ProgramWatch,
)
from districtwiki.advocacy.views import programs as program_views
from districtwiki.notifications.models import Notification

from .campaign_helpers import make_campaign
from .hub_world import published_survey
from .program_world import SOURCE, make_program, place, write_report

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Rural Connectivity Fund",
    "slug": "rural-connectivity",
    "level": "federal",
    "state": "",
    "agency": "An agency",
}
AMOUNT = {
    "year": "2024",
    "year_label": "FY2024",
    "amount": "1250000",
    "source_title": "Budget",
    "source_url": SOURCE,
}


@pytest.fixture
def program(bob):
    return make_program(bob)


def test_list_shows_programs_with_their_status(client, program, bob):
    make_program(bob, name="Federal Fund", slug="federal-fund", level="federal", state="")
    page = client.get("/advocacy/programs/").content.decode()
    assert "Prairie State Technology Grant" in page and "Federal Fund" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("level=federal", "Federal Fund", "Prairie State"),
        ("state=IA", "Prairie State", "Federal Fund"),
        ("status=cut", "Prairie State", "Federal Fund"),
    ],
)
def test_list_filters(client, program, bob, query, shown, hidden):
    make_program(bob, name="Federal Fund", slug="federal-fund", level="federal", state="")
    funding_actions.change_status(program, bob, {"status": "cut", "source_url": SOURCE})
    page = client.get(f"/advocacy/programs/?{query}").content.decode()
    assert shown in page and hidden not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=county", "is not a level"),
        ("state=ZZ", "is not a state"),
        ("status=gone", "is not a status"),
        ("page=9", "There is no page 9"),
    ],
)
def test_list_refuses_bad_filters(client, program, query, message):
    response = client.get(f"/advocacy/programs/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_program_page_brings_it_together(client, program, bob, alice):
    program.description = "About"
    funding_actions.update_program(
        program,
        bob,
        funding_actions.clean_program(
            {"name": program.name, "level": "state", "state": "IA", "description": "Pays for *networks*."},
            program,
        ),
    )
    funding_actions.add_amount(program, bob, AMOUNT)
    funding_actions.add_amount(
        program, bob, AMOUNT | {"year": "2025", "year_label": "FY2025", "amount": "900000"}
    )
    funding_actions.change_status(
        program, bob, {"status": "proposed-cut", "source_url": SOURCE, "note": "Budget proposal"}
    )
    write_report(alice, amount=32000)
    page = client.get("/advocacy/programs/prairie-grant").content.decode()
    assert "Pays for <em>networks</em>." in page
    assert 'role="img"' in page and "FY2024" in page and "$1,250,000" in page and "$900,000" in page
    assert "Budget proposal" in page and "Proposed cut" in page
    assert "1 district in 1 state reports $32 K from this program." in page
    assert "Impact reports/Plainview 2024" not in page and "Plainview 2024" in page


def test_program_page_of_unknown_program_is_404(client):
    response = client.get("/advocacy/programs/no-such-grant")
    assert response.status_code == 404
    assert "There is no funding program “no-such-grant”" in response.content.decode()


def test_program_page_query_count_is_bounded(client, program, bob, alice, django_assert_max_num_queries):
    for year in range(2015, 2025):
        funding_actions.add_amount(program, bob, AMOUNT | {"year": str(year), "year_label": str(year)})
    for number in range(10):
        write_report(alice, f"Impact reports/D{number}", district=f"D{number}")
    # The sections the hub adds (program_sections.py), filled: the survey's figures for the program's
    # state (one query for the snapshot) and its open campaigns (one).
    published_survey({("IA", "under-1000"): 6, ("IA", "1000-2500"): 6})
    for number in range(8):
        make_campaign(bob, title=f"Campaign {number}", program=program.slug, state="IA")
    with django_assert_max_num_queries(10):
        assert client.get("/advocacy/programs/prairie-grant").status_code == 200


def test_registered_sections_appear_on_the_program_page(client, program):
    def campaigns(request, shown):
        return {
            "heading": "Open campaigns",
            "template": "advocacy/_program_status.html",
            "status": "cut",
            "label": f"Campaign for {shown.slug}",
        }

    program_views.register_program_section("campaigns", campaigns)
    try:
        page = client.get("/advocacy/programs/prairie-grant").content.decode()
    finally:
        program_views.unregister_program_section("campaigns")
    assert '<h2 id="section-campaigns">Open campaigns</h2>' in page


def test_a_section_with_nothing_to_show_is_left_out(client, program):
    program_views.register_program_section("survey", lambda request, shown: None)
    try:
        page = client.get("/advocacy/programs/prairie-grant").content.decode()
    finally:
        program_views.unregister_program_section("survey")
    assert "section-survey" not in page


# --- Forms --------------------------------------------------------------------------------------------------


def test_trusted_member_adds_a_program(bob_client):
    response = bob_client.post("/advocacy/programs/new", NEW)
    assert response.status_code == 302 and response["Location"] == "/advocacy/programs/rural-connectivity"
    assert FundingProgram.objects.get().name == "Rural Connectivity Fund"


def test_bad_program_form_answers_400_and_keeps_the_values(bob_client):
    response = bob_client.post("/advocacy/programs/new", NEW | {"level": "federal", "state": "IA"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A federal program has no state" in page and 'value="Rural Connectivity Fund"' in page
    assert not FundingProgram.objects.exists()


def test_member_is_refused_the_program_form(alice_client):
    response = alice_client.post("/advocacy/programs/new", NEW)
    assert response.status_code == 403
    assert "Only trusted members and admins" in response.content.decode()
    assert not FundingProgram.objects.exists()


def test_edit_keeps_the_address(bob_client, program):
    response = bob_client.post(
        "/advocacy/programs/prairie-grant/edit", NEW | {"level": "state", "state": "NE", "slug": "changed"}
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.slug, program.name, program.state) == ("prairie-grant", "Rural Connectivity Fund", "NE")


def test_amount_form_adds_a_figure(bob_client, program):
    assert bob_client.post("/advocacy/programs/prairie-grant/amounts", AMOUNT).status_code == 302
    assert ProgramAmount.objects.get().amount == 1_250_000


def test_bad_amount_form_answers_400(bob_client, program):
    response = bob_client.post("/advocacy/programs/prairie-grant/amounts", AMOUNT | {"amount": "-3"})
    assert response.status_code == 400
    assert "The amount cannot be negative" in response.content.decode()
    assert not ProgramAmount.objects.exists()


def test_amount_removed(bob_client, bob, program):
    row = funding_actions.add_amount(program, bob, AMOUNT)
    assert bob_client.post(f"/advocacy/programs/prairie-grant/amounts/{row.pk}/delete").status_code == 302
    assert not ProgramAmount.objects.exists()


def test_status_form_without_source_answers_400(bob_client, program):
    response = bob_client.post("/advocacy/programs/prairie-grant/status", {"status": "cut", "source_url": ""})
    assert response.status_code == 400
    assert "Give the source&#x27;s address" in response.content.decode()
    assert not ProgramStatusChange.objects.exists()
    assert FundingProgram.objects.get().status == "active"


def test_status_form_changes_status_and_tells_the_state(bob_client, program, alice):
    place(alice, "IA")
    response = bob_client.post(
        "/advocacy/programs/prairie-grant/status", {"status": "cut", "source_url": SOURCE}
    )
    assert response.status_code == 302
    assert Notification.objects.get(kind="funding").user == alice


def test_watch_and_unwatch_buttons(alice_client, alice, program):
    assert alice_client.post("/advocacy/programs/prairie-grant/watch").status_code == 302
    assert ProgramWatch.objects.filter(user=alice).exists()
    assert "Stop watching" in alice_client.get("/advocacy/programs/prairie-grant").content.decode()
    assert alice_client.post("/advocacy/programs/prairie-grant/unwatch").status_code == 302
    assert not ProgramWatch.objects.exists()


def test_alert_form_refuses_a_missing_source(alice_client, program):
    response = alice_client.post(
        "/advocacy/programs/prairie-grant/alert", {"note": "The budget drops it.", "source_url": ""}
    )
    assert response.status_code == 400
    assert "Give the source" in response.content.decode()
    assert not ProgramAlert.objects.exists()


def test_alert_form_raises_an_alert_shown_on_the_page(alice_client, program):
    data = {"note": "The budget drops it.", "source_url": SOURCE}
    assert alice_client.post("/advocacy/programs/prairie-grant/alert", data).status_code == 302
    assert "The budget drops it." in alice_client.get("/advocacy/programs/prairie-grant").content.decode()


def test_second_alert_answers_429(alice_client, program):
    data = {"note": "The budget drops it.", "source_url": SOURCE}
    alice_client.post("/advocacy/programs/prairie-grant/alert", data)
    response = alice_client.post("/advocacy/programs/prairie-grant/alert", data)
    assert response.status_code == 429
    assert "in the last day already" in response.content.decode()
    assert ProgramAlert.objects.count() == 1


def test_report_form_publishes_a_wiki_page(alice_client, program):
    data = {"district": "Plainview", "state": "IA", "year": "2024", "amount": "32000", "funded": "Wireless."}
    response = alice_client.post("/advocacy/programs/prairie-grant/report", data)
    assert response.status_code == 302
    assert (
        response["Location"] == "/wiki/Impact_reports/Prairie_State_Technology_Grant_%E2%80%93_Plainview_2024"
    )


def test_bad_report_form_answers_400_and_keeps_the_text(alice_client, program):
    data = {"district": "Plainview", "state": "IA", "year": "2024", "amount": "-1", "funded": "Wireless."}
    response = alice_client.post("/advocacy/programs/prairie-grant/report", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The amount cannot be negative" in page and "Wireless." in page


def test_report_form_prefills_the_profile(alice_client, alice, program):
    place(alice, "NE")
    assert (
        '<option value="NE" selected>'
        in alice_client.get("/advocacy/programs/prairie-grant/report").content.decode()
    )


def test_hub_lists_programs_at_risk_and_recent_reports(client, program, bob, alice):
    make_program(bob, name="Steady Fund", slug="steady", level="federal", state="")
    funding_actions.change_status(program, bob, {"status": "proposed-cut", "source_url": SOURCE})
    write_report(alice)
    page = client.get("/advocacy/").content.decode()
    assert "Funding programs" in page
    at_risk = page.split("At risk")[1].split("Recent impact reports")[0]
    assert "Prairie State Technology Grant" in at_risk and "Steady Fund" not in at_risk
    assert "Plainview 2024" in page.split("Recent impact reports")[1]
