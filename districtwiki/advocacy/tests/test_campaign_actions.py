"""The campaign actions: starting, editing, closing (by hand and at the deadline), signing, withdrawing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from districtwiki.advocacy import campaign_actions as actions
from districtwiki.advocacy.models import Campaign, Signature

from .campaign_helpers import campaign_form, make_campaign, make_program, make_signer, signs

pytestmark = pytest.mark.django_db


def test_creator_organizes_the_campaign_with_named_co_organizers(bob, ada):
    campaign = make_campaign(bob, organizers="ada")
    assert list(campaign.organizers.order_by("username")) == [ada, bob]
    assert campaign.slug == "restore-the-state-technology-grant"


def test_ask_is_rendered_and_sanitised(bob):
    campaign = make_campaign(bob, body="Fund **the network**.\n\n<script>alert(1)</script>")
    assert "<strong>the network</strong>" in campaign.body_html
    assert "<script" not in campaign.body_html


def test_same_title_gets_a_numbered_address(bob):
    make_campaign(bob)
    assert make_campaign(bob).slug == "restore-the-state-technology-grant-2"


def test_title_new_does_not_take_the_form_address(bob):
    assert make_campaign(bob, title="New").slug == "new-campaign"


def test_sources_accept_title_before_or_after_the_address(bob):
    sources = "Budget line https://example.org/budget\nhttps://example.org/minutes Board minutes"
    assert make_campaign(bob, sources=sources).sources == [
        {"title": "Budget line", "url": "https://example.org/budget"},
        {"title": "Board minutes", "url": "https://example.org/minutes"},
    ]


def test_program_of_another_state_is_refused(bob):
    make_program()
    with pytest.raises(actions.CampaignError, match="program of Kansas, but the campaign is for Iowa"):
        actions.clean_details(campaign_form(state="IA", program="state-technology-grant"))


def test_member_cannot_start_a_campaign(alice):
    with pytest.raises(PermissionDenied, match="Only trusted members and admins"):
        make_campaign(alice)
    assert not Campaign.objects.exists()


def test_campaign_is_open_until_its_deadline_day_ends(bob):
    campaign = make_campaign(bob, deadline=(actions.today() + timedelta(days=1)).isoformat())
    assert campaign.is_open(actions.today() + timedelta(days=1))
    assert not campaign.is_open(actions.today() + timedelta(days=2))
    assert list(Campaign.objects.closed(actions.today() + timedelta(days=2))) == [campaign]


def test_signing_after_the_deadline_is_refused_without_storing(bob, alice):
    campaign = make_campaign(bob, deadline=actions.today().isoformat())
    with (
        time_machine.travel(timedelta(days=2)),
        pytest.raises(actions.CampaignClosed, match="closed at its deadline"),
    ):
        signs(campaign, alice)
    assert not Signature.objects.exists()


def test_organizer_closes_the_campaign(bob):
    campaign = actions.close_campaign(make_campaign(bob), bob)
    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.closed_by == bob


def test_other_member_cannot_close_or_edit(bob, alice):
    campaign = make_campaign(bob)
    with pytest.raises(PermissionDenied, match="organizers and admins"):
        actions.close_campaign(campaign, alice)
    with pytest.raises(PermissionDenied):
        actions.update_campaign(campaign, alice, actions.clean_details(campaign_form(title="Changed")))
    campaign.refresh_from_db()
    assert (campaign.status, campaign.title) == ("open", "Restore the state technology grant")


def test_admin_edits_a_campaign_they_do_not_organize(bob, ada):
    campaign = make_campaign(bob)
    actions.update_campaign(campaign, ada, actions.clean_details(campaign_form(title="Keep the grant")))
    campaign.refresh_from_db()
    assert campaign.title == "Keep the grant"
    assert campaign.slug == "restore-the-state-technology-grant"


def test_edit_may_keep_a_deadline_that_is_today(bob):
    campaign = make_campaign(bob, deadline=actions.today().isoformat())
    details = actions.clean_details(campaign_form(deadline=actions.today().isoformat()), current=campaign)
    assert details.deadline == actions.today()


def test_closed_campaign_cannot_be_edited(bob):
    campaign = actions.close_campaign(make_campaign(bob), bob)
    with pytest.raises(actions.CampaignClosed, match="closed, so it cannot be changed"):
        actions.update_campaign(campaign, bob, actions.clean_details(campaign_form(title="Changed")))


def test_member_signs_once(bob, alice):
    campaign = make_campaign(bob)
    signs(campaign, alice, "counted")
    with pytest.raises(actions.AlreadySigned, match="already signed"):
        signs(campaign, alice, "public")
    assert list(Signature.objects.values_list("visibility", flat=True)) == ["counted"]


def test_unknown_visibility_is_refused(bob, alice):
    with pytest.raises(actions.CampaignError, match="Choose how your signature shows"):
        signs(make_campaign(bob), alice, "loud")
    assert not Signature.objects.exists()


def test_withdraw_removes_the_signature_while_open(bob, alice):
    campaign = make_campaign(bob)
    signs(campaign, alice)
    actions.withdraw(campaign, alice)
    assert not Signature.objects.exists()


def test_withdraw_after_close_is_refused_and_keeps_the_signature(bob, alice):
    campaign = make_campaign(bob)
    signs(campaign, alice)
    actions.close_campaign(campaign, bob)
    with pytest.raises(actions.CampaignClosed):
        actions.withdraw(campaign, alice)
    assert Signature.objects.count() == 1


def test_withdraw_without_signature_is_refused(bob, alice):
    with pytest.raises(actions.NotSigned, match="nothing to withdraw"):
        actions.withdraw(make_campaign(bob), alice)


def test_unconfirmed_member_cannot_sign(bob, carol, settings):
    settings.REQUIRE_EMAIL_CONFIRMATION = True
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        signs(make_campaign(bob), carol)
    assert not Signature.objects.exists()


def test_public_signature_line_shows_display_name_only_to_those_who_may_see_it(bob, alice):
    campaign = make_campaign(bob)
    signer = make_signer("dana", display_name="Dana Whitfield", district="Plainview USD 12")
    signs(campaign, signer)
    [seen_by_member] = actions.signature_lines(actions.public_signatures(campaign), alice)
    [seen_by_visitor] = actions.signature_lines(actions.public_signatures(campaign), None)
    assert (seen_by_member.name, seen_by_member.district) == ("Dana Whitfield", "Plainview USD 12")
    assert seen_by_member.role == "Technology director"
    assert seen_by_visitor.name == "dana"
