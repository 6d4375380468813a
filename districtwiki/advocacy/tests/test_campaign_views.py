"""The campaign pages: the list, the form and its every refusal (status, sentence, nothing stored), signing
and withdrawing, the public signatures (counted-only signers named nowhere) and the organizers' CSV."""

import csv
import html
import io
from datetime import timedelta

import pytest
import time_machine

from conftest import make_user
from districtwiki.advocacy import campaign_actions as actions
from districtwiki.advocacy.models import Campaign, Signature

from .campaign_helpers import campaign_form, in_days, make_campaign, make_program, make_signer, signs

pytestmark = pytest.mark.django_db

QUERIES = 10  # the campaign page, whatever the number of signatures


def refused(response, status: int) -> str:
    """The page's text (entities decoded), after checking its status."""
    assert response.status_code == status, response.content[:500]
    return html.unescape(response.content.decode())


# --- Starting a campaign ------------------------------------------------------------------------------------


def test_trusted_member_starts_a_campaign(bob_client):
    response = bob_client.post("/advocacy/campaigns/new", campaign_form())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/advocacy/campaigns/restore-the-state-technology-grant"
    assert campaign.state == "KS"


def test_form_shows_to_trusted_member(bob_client):
    assert 'name="audience_name"' in bob_client.get("/advocacy/campaigns/new").content.decode()


def test_member_cannot_start_a_campaign(alice_client):
    page = refused(alice_client.post("/advocacy/campaigns/new", campaign_form()), 403)
    assert "Only trusted members and admins can start campaigns." in page
    assert not Campaign.objects.exists()


def test_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/advocacy/campaigns/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


BAD_FORMS = {
    "deadline in the past": (
        {"deadline": in_days(-1)},
        400,
        f"The deadline {in_days(-1)} is in the past: choose today or later.",
    ),
    "deadline not a date": ({"deadline": "next week"}, 400, "The deadline “next week” is not a date"),
    "deadline too far": ({"deadline": in_days(3 * 366)}, 400, "The deadline can be at most two years ahead."),
    "unknown state": ({"state": "QQ"}, 400, "“QQ” is not a US state"),
    "outside the US": ({"state": "XX"}, 400, "“XX” is not a US state"),
    "body too long": (
        {"body": "x" * (actions.MAX_BODY + 1)},
        400,
        f"The ask can be at most 1,200 characters, so that the brief fits on one page; this one has "
        f"{actions.MAX_BODY + 1:,}.",
    ),
    "too many lines": ({"body": "a\n" * 20 + "b"}, 400, "The ask can have at most 16 lines"),
    "empty ask": ({"body": "   "}, 400, "Write the ask"),
    "empty title": ({"title": ""}, 400, "Give the campaign a title: it is empty."),
    "title too long": ({"title": "t" * 121}, 400, "A title can be at most 120 characters; this one has 121."),
    "unknown audience": ({"audience": "senate"}, 400, "Who is the ask for?"),
    "audience unnamed": ({"audience_name": ""}, 400, "Name who the ask is for"),
    "unknown program": ({"program": "no-such"}, 400, "There is no funding program “no-such”"),
    "unknown size": ({"district_size": "huge"}, 400, "The district size must be one of"),
    "source without address": ({"sources": "Just a title"}, 400, "has no web address"),
    "source without title": ({"sources": "https://example.org/x"}, 400, "a title, written before or after"),
    "javascript source": ({"sources": "Bad javascript:alert(1)"}, 400, "has no web address"),
    "too many sources": (
        {"sources": "\n".join(f"S{n} https://example.org/{n}" for n in range(6))},
        400,
        "List at most 5 sources",
    ),
    "unknown organizer": ({"organizers": "nobody-here"}, 400, "There is no member called “nobody-here”"),
    "NUL character": ({"body": "a\x00b"}, 400, "NUL character"),
}


@pytest.mark.parametrize("case", list(BAD_FORMS))
def test_bad_form_is_refused_with_its_reason_and_nothing_stored(bob_client, case):
    changes, status, sentence = BAD_FORMS[case]
    page = refused(bob_client.post("/advocacy/campaigns/new", campaign_form(**changes)), status)
    assert sentence in page
    assert not Campaign.objects.exists()


def test_refused_form_keeps_what_was_typed(bob_client):
    page = refused(
        bob_client.post("/advocacy/campaigns/new", campaign_form(state="QQ", title="Keep me")), 400
    )
    assert 'value="Keep me"' in page


# --- Editing and closing ------------------------------------------------------------------------------------


def test_organizer_edits_the_campaign(bob, bob_client):
    campaign = make_campaign(bob)
    response = bob_client.post(f"/advocacy/campaigns/{campaign.slug}/edit", campaign_form(title="Keep it"))
    campaign.refresh_from_db()
    assert response.status_code == 302
    assert campaign.title == "Keep it"


def test_other_trusted_member_cannot_edit(bob, client):
    campaign = make_campaign(bob)
    client.force_login(make_user("trudy", role="trusted"))
    page = refused(client.post(f"/advocacy/campaigns/{campaign.slug}/edit", campaign_form(title="Mine")), 403)
    assert "Only the campaign's organizers and admins can change or close it." in page
    campaign.refresh_from_db()
    assert campaign.title == "Restore the state technology grant"


def test_edit_with_bad_input_changes_nothing(bob, bob_client):
    campaign = make_campaign(bob)
    page = refused(
        bob_client.post(f"/advocacy/campaigns/{campaign.slug}/edit", campaign_form(state="QQ")), 400
    )
    assert "“QQ” is not a US state" in page
    campaign.refresh_from_db()
    assert campaign.state == "KS"


def test_organizer_closes_and_the_page_says_so(bob, bob_client):
    campaign = make_campaign(bob)
    bob_client.post(f"/advocacy/campaigns/{campaign.slug}/close")
    page = bob_client.get(campaign.get_absolute_url()).content.decode()
    assert "This campaign is closed: it no longer takes signatures." in page


def test_closed_campaign_cannot_be_closed_again(bob, bob_client):
    campaign = actions.close_campaign(make_campaign(bob), bob)
    page = refused(bob_client.post(f"/advocacy/campaigns/{campaign.slug}/close"), 409)
    assert "This campaign is closed, so it cannot be closed again." in page


# --- Signing ------------------------------------------------------------------------------------------------


def test_member_signs_counted_only(bob, alice_client):
    campaign = make_campaign(bob)
    response = alice_client.post(f"/advocacy/campaigns/{campaign.slug}/sign", {"visibility": "counted"})
    assert response.status_code == 302
    assert Signature.objects.get().visibility == "counted"


def test_signing_twice_is_refused(bob, alice, alice_client):
    campaign = make_campaign(bob)
    signs(campaign, alice, "counted")
    page = refused(
        alice_client.post(f"/advocacy/campaigns/{campaign.slug}/sign", {"visibility": "public"}), 409
    )
    assert "You have already signed this campaign" in page
    assert list(Signature.objects.values_list("visibility", flat=True)) == ["counted"]


def test_signing_a_closed_campaign_is_refused(bob, alice_client):
    campaign = actions.close_campaign(make_campaign(bob), bob)
    page = refused(
        alice_client.post(f"/advocacy/campaigns/{campaign.slug}/sign", {"visibility": "public"}), 409
    )
    assert "This campaign is closed, so it cannot be signed." in page
    assert not Signature.objects.exists()


def test_signing_after_the_deadline_is_refused(bob, alice_client):
    campaign = make_campaign(bob, deadline=in_days(0))
    with time_machine.travel(timedelta(days=1, hours=1)):
        page = refused(
            alice_client.post(f"/advocacy/campaigns/{campaign.slug}/sign", {"visibility": "public"}), 409
        )
    assert "This campaign closed at its deadline" in page
    assert not Signature.objects.exists()


def test_signing_without_a_visibility_is_refused(bob, alice_client):
    campaign = make_campaign(bob)
    page = refused(alice_client.post(f"/advocacy/campaigns/{campaign.slug}/sign"), 400)
    assert "Choose how your signature shows" in page
    assert not Signature.objects.exists()


def test_visitor_cannot_sign(bob, client):
    campaign = make_campaign(bob)
    page = refused(client.post(f"/advocacy/campaigns/{campaign.slug}/sign", {"visibility": "public"}), 403)
    assert "Sign in to sign this campaign." in page
    assert not Signature.objects.exists()


def test_member_withdraws(bob, alice, alice_client):
    campaign = make_campaign(bob)
    signs(campaign, alice)
    assert alice_client.post(f"/advocacy/campaigns/{campaign.slug}/withdraw").status_code == 302
    assert not Signature.objects.exists()


def test_unknown_campaign_is_not_found(client, db):
    assert "There is no campaign “nope”." in refused(client.get("/advocacy/campaigns/nope"), 404)


# --- Who is named where -------------------------------------------------------------------------------------


@pytest.fixture
def signed(bob):
    """A campaign with one public signer (Dana, display name for members only) and one counted-only
    signer (Quinn, whose display name is public on their profile)."""
    campaign = make_campaign(bob)
    signs(campaign, make_signer("dana", display_name="Dana Whitfield", district="Plainview USD 12"), "public")
    quiet = make_signer(
        "quinn", display_name="Quinn Marlowe", district="Hidden Valley USD 7", public_name=True
    )
    signs(campaign, quiet, "counted")
    return campaign


def test_count_includes_counted_only_signatures(signed, client):
    assert "2 signatures" in client.get(signed.get_absolute_url()).content.decode()


def test_counted_only_signer_is_named_nowhere_on_the_page(signed, alice_client):
    page = alice_client.get(signed.get_absolute_url()).content.decode()
    assert "Dana Whitfield" in page and "Plainview USD 12" in page
    for trace in ("quinn", "Quinn Marlowe", "Hidden Valley USD 7"):
        assert trace not in page


def test_visitor_sees_username_not_members_only_display_name(signed, client):
    page = client.get(signed.get_absolute_url()).content.decode()
    assert "Dana Whitfield" not in page
    assert "/members/dana" in page and "Plainview USD 12" in page


def test_public_signatures_are_paged(bob, client):
    campaign = make_campaign(bob)
    for number in range(51):
        signs(campaign, make_signer(f"signer{number:02d}"), "public")
    first = client.get(campaign.get_absolute_url()).content.decode()
    second = client.get(campaign.get_absolute_url() + "?page=2").content.decode()
    assert "signer49" in first and "signer50" not in first
    assert "signer50" in second
    assert "There is no page 3" in refused(client.get(campaign.get_absolute_url() + "?page=3"), 400)


# --- The organizers' CSV ------------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_lists_only_public_signatures(signed, bob_client):
    rows = csv_rows(bob_client.get(f"{signed.get_absolute_url()}/signatures.csv"))
    assert rows[0] == ["Name", "Role", "District", "Signed on"]
    assert [row[:3] for row in rows[1:]] == [["Dana Whitfield", "Technology director", "Plainview USD 12"]]
    assert "Quinn" not in str(rows) and "Hidden Valley" not in str(rows)


def test_csv_escapes_formulas(bob, bob_client):
    campaign = make_campaign(bob)
    for index, start in enumerate("=+-@"):
        signs(
            campaign,
            make_signer(f"f{index}", display_name=f"{start}cmd", district=f"{start}SUM(A1)"),
            "public",
        )
    rows = csv_rows(bob_client.get(f"{campaign.get_absolute_url()}/signatures.csv"))
    for row in rows[1:]:
        assert row[0].startswith("'") and row[2].startswith("'")


def test_csv_refused_to_a_member_who_does_not_organize(signed, alice_client):
    page = refused(alice_client.get(f"{signed.get_absolute_url()}/signatures.csv"), 403)
    assert "Only the campaign's organizers and admins can download its signatures." in page
    assert "Dana" not in page


def test_csv_for_an_admin(signed, ada_client):
    assert len(csv_rows(ada_client.get(f"{signed.get_absolute_url()}/signatures.csv"))) == 2


# --- Lists --------------------------------------------------------------------------------------------------


def test_list_shows_open_and_closed(bob, client):
    make_campaign(bob, title="Still open")
    actions.close_campaign(make_campaign(bob, title="Already closed"), bob)
    page = client.get("/advocacy/campaigns/").content.decode()
    assert page.index("Still open") < page.index("Closed") < page.index("Already closed")


def test_list_filters_by_state(bob, client):
    make_campaign(bob, title="Kansas ask")
    make_campaign(bob, title="Iowa ask", state="IA")
    page = client.get("/advocacy/campaigns/?state=IA").content.decode()
    assert "Iowa ask" in page and "Kansas ask" not in page


def test_list_refuses_an_unknown_state(client, db):
    assert "“QQ” is not a US state" in refused(client.get("/advocacy/campaigns/?state=QQ"), 400)


def test_hub_shows_open_campaigns(bob, client):
    make_campaign(bob, title="On the hub")
    page = client.get("/advocacy/").content.decode()
    assert "Open campaigns" in page and "On the hub" in page


def test_campaign_page_names_the_program_status(bob, client):
    make_program()
    campaign = make_campaign(bob, program="state-technology-grant")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "State technology grant — proposed cut, administered by State Department of Education" in page


# --- Cost ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signers", [1, 40])
def test_campaign_page_queries_do_not_grow_with_signatures(
    bob, alice_client, django_assert_max_num_queries, signers
):
    campaign = make_campaign(bob)
    for number in range(signers):
        signs(campaign, make_signer(f"signer{number}", display_name=f"Signer {number}"), "public")
    with django_assert_max_num_queries(QUERIES):
        assert alice_client.get(campaign.get_absolute_url()).status_code == 200


def test_list_cards_show_the_signature_count(bob, alice, client):
    signs(make_campaign(bob), alice, "counted")
    assert "1 signature" in client.get("/advocacy/campaigns/").content.decode()


def test_list_filtered_by_state_links_its_brief(client, db):
    assert 'href="/advocacy/briefs/IA"' in client.get("/advocacy/campaigns/?state=IA").content.decode()
