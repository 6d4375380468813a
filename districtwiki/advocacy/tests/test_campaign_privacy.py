"""What campaigns export about a member and what erasing them leaves: the count, not the name."""

import pytest

from districtwiki.advocacy import campaign_privacy
from districtwiki.advocacy.models import Signature

from .campaign_helpers import make_campaign, signs

pytestmark = pytest.mark.django_db


def test_export_lists_signatures_and_campaigns_organized(bob, alice):
    campaign = make_campaign(bob)
    signs(campaign, alice, "counted")
    exported = campaign_privacy.export(alice)
    assert [row["campaign"] for row in exported["campaign_signatures"]] == [campaign.title]
    assert exported["campaign_signatures"][0]["visibility"] == "counted"
    assert [row["title"] for row in campaign_privacy.export(bob)["campaigns_organized"]] == [campaign.title]


def test_erase_keeps_the_count_and_drops_the_name(bob, alice):
    campaign = make_campaign(bob)
    signs(campaign, alice, "public")
    campaign_privacy.erase(alice)
    signature = Signature.objects.get()
    assert (signature.member, signature.visibility) == (None, "counted")
    assert signature.campaign == campaign


def test_erase_removes_an_organizer_but_keeps_the_campaign(bob, ada):
    campaign = make_campaign(bob, organizers="ada")
    campaign_privacy.erase(bob)
    campaign.refresh_from_db()
    assert list(campaign.organizers.all()) == [ada]
    assert campaign.created_by is None


def test_deleted_account_leaves_a_counted_signature_named_nowhere(bob, alice, client):
    campaign = make_campaign(bob)
    signs(campaign, alice, "public")
    alice.delete()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert Signature.objects.get().member is None
    assert "1 signature" in page and "alice" not in page
