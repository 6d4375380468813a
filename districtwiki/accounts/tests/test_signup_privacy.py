"""The data download holds the invitations a member sent, who invited them and their request to join;
deleting the account erases all three."""

import json

import pytest

from conftest import PASSWORD, make_user
from districtwiki.accounts import approvals, invitations
from districtwiki.accounts.models import Invitation, SignupRequest
from districtwiki.community.account_data import delete_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(bob):
    """Invited by bob; now trusted, and has invited two people herself (one of them joined)."""
    _invitation, key = invitations.issue(bob, "dana@example.org")
    dana = invitations.accept(key, "dana", PASSWORD)
    dana.role = "trusted"
    dana.save()
    invitations.issue(dana, "erin@example.org")
    _invitation, key = invitations.issue(dana, "finn@example.org")
    invitations.accept(key, "finn", PASSWORD)
    return dana


def download(client, user) -> dict:
    client.force_login(user)
    return json.loads(client.get("/accounts/settings/data").content)["signup"]


def test_download_holds_the_invitations_the_member_sent(client, dana):
    sent = download(client, dana)["invitations_sent"]
    assert [(i["email"], i["status"]) for i in sent] == [
        ("finn@example.org", "used"),
        ("erin@example.org", "pending"),
    ]
    assert all(i["sent_at"] and i["expires_at"] for i in sent)


def test_download_names_who_invited_the_member(client, dana):
    assert download(client, dana)["invited_by"] == "bob"


def test_download_holds_the_request_to_join(client):
    user = approvals.apply("gail", "gail@example.org", PASSWORD, "I run the network.")
    user.is_active = True
    user.save()
    assert download(client, user)["request_to_join"]["note"] == "I run the network."


def test_download_holds_no_key_or_hash(client, dana):
    text = json.dumps(download(client, dana))
    for token_hash in Invitation.objects.values_list("token_hash", flat=True):
        assert token_hash not in text


def test_download_of_a_member_who_signed_up_openly_is_empty(client, alice):
    assert download(client, alice) == {"invitations_sent": [], "invited_by": None, "request_to_join": None}


def test_deleting_the_account_erases_its_invitations_and_stops_their_links(dana, bob):
    waiting = Invitation.objects.get(email="erin@example.org")
    delete_account(dana)
    assert not Invitation.objects.filter(invited_by=dana).exists()
    assert not Invitation.objects.filter(pk=waiting.pk).exists()
    assert not Invitation.objects.filter(accepted_by=dana).exists()
    assert Invitation.objects.count() == 0


def test_deleting_the_account_erases_the_request_to_join(db):
    user = approvals.apply("gail", "gail@example.org", PASSWORD, "I run the network.")
    delete_account(user)
    assert SignupRequest.objects.count() == 0


def test_deleting_an_account_leaves_other_inviters_invitations(dana, ada):
    invitations.issue(ada, "someone@example.org")
    make_user("other")
    delete_account(dana)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["someone@example.org"]
