"""The invitations page: who may invite, what a submission must hold, the mail, the list and revoking."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from conftest import make_user
from districtwiki.accounts import invitations
from districtwiki.accounts.models import Invitation, hash_token

pytestmark = pytest.mark.django_db

URL = "/accounts/invitations/"
SITE_URL = "https://wiki.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def invite(client, addresses: str, **extra):
    return client.post(URL, {"addresses": addresses}, **extra)


def link_key(message) -> str:
    return re.search(r"/accounts/signup/invited/([^/\s]+)/", message.body).group(1)


def assert_refused(response, status: int, message: str):
    assert response.status_code == status
    assert message in response.content.decode()
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


# --- Sending


def test_trusted_member_invites_one_address(bob_client, bob):
    response = invite(bob_client, "dana@district.example.org")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "dana@district.example.org"
    assert invitation.invited_by == bob
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)


def test_invitation_mail_names_the_inviter_and_carries_the_link(bob_client):
    invite(bob_client, "dana@district.example.org")
    message = mail.outbox[0]
    assert message.to == ["dana@district.example.org"]
    assert message.subject == "bob invites you to districtwiki"
    assert f"{SITE_URL}/accounts/signup/invited/" in message.body
    assert "works once, for 14 days" in message.body


def test_invitation_link_is_built_from_the_site_url_not_the_host_header(bob_client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    invite(bob_client, "dana@district.example.org", HTTP_HOST="evil.example")
    assert "evil.example" not in mail.outbox[0].body
    assert f"{SITE_URL}/accounts/signup/invited/" in mail.outbox[0].body


def test_only_a_hash_of_the_key_is_stored(bob_client):
    invite(bob_client, "dana@district.example.org")
    key = link_key(mail.outbox[0])
    invitation = Invitation.objects.get()
    assert len(key) == 43
    assert invitation.token_hash == hash_token(key)
    assert key not in str(Invitation.objects.values().get())


def test_every_invitation_has_its_own_key(bob_client):
    invite(bob_client, "one@example.org, two@example.org")
    keys = {link_key(message) for message in mail.outbox}
    assert len(keys) == 2


def test_addresses_may_be_separated_by_commas_semicolons_and_lines(ada_client):
    response = invite(ada_client, "one@example.org,two@example.org; three@example.org\nfour@example.org\n")
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "four@example.org",
        "one@example.org",
        "three@example.org",
        "two@example.org",
    ]
    assert len(mail.outbox) == 4


def test_the_page_confirms_what_was_sent(bob_client):
    response = invite(bob_client, "dana@example.org", follow=True)
    assert "Invited “dana@example.org”" in response.content.decode()


def test_an_unsent_mail_is_reported_and_the_invitation_stands(bob_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("districtwiki.accounts.signup_mail.send_mail", refuse)
    response = invite(bob_client, "dana@example.org", follow=True)
    assert "could not be sent just now" in response.content.decode()
    assert Invitation.objects.count() == 1


# --- Refused submissions: a clear message, and nothing written or mailed


def test_a_member_without_the_role_cannot_invite(alice_client):
    assert_refused(
        invite(alice_client, "dana@example.org"), 403, "Only trusted members and admins can invite"
    )


def test_a_member_without_the_role_cannot_see_the_page(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 403
    assert "Only trusted members and admins can invite" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = invite(client, "dana@example.org")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Invitation.objects.count() == 0


def test_an_empty_submission_is_refused(bob_client):
    assert_refused(invite(bob_client, " \n , "), 400, "Enter at least one e-mail address.")


def test_a_malformed_address_is_refused_with_every_bad_one_named(bob_client):
    response = invite(bob_client, "good@example.org, not-an-address, also@bad")
    assert_refused(response, 400, "Not an e-mail address: “not-an-address”, “also@bad”.")


def test_more_than_fifty_addresses_are_refused(bob_client):
    addresses = ", ".join(f"person{n}@example.org" for n in range(51))
    assert_refused(invite(bob_client, addresses), 400, "at most 50 people at a time; you entered 51.")


def test_an_oversized_submission_is_refused_before_parsing(bob_client):
    response = invite(bob_client, "a" * 20_000 + "@example.org")
    assert_refused(response, 400, "Ensure this value has at most")


def test_an_address_entered_twice_is_refused(bob_client):
    response = invite(bob_client, "dana@example.org, Dana@EXAMPLE.org")
    assert_refused(response, 400, "Entered more than once: “Dana@example.org”.")


def test_an_address_of_an_existing_member_is_refused(bob_client, alice):
    response = invite(bob_client, "new@example.org, ALICE@example.org")
    assert_refused(response, 400, "Already used by an account on this wiki: “ALICE@example.org”.")


def test_an_address_with_a_waiting_invitation_is_refused(bob_client, ada):
    invitations.issue(ada, "dana@example.org")
    response = invite(bob_client, "dana@example.org")
    assert response.status_code == 400
    assert "Already invited, and the invitation still works: “dana@example.org”." in response.content.decode()
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_an_address_whose_invitation_expired_can_be_invited_again(bob_client, bob):
    old, _key = invitations.issue(bob, "dana@example.org")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert invite(bob_client, "dana@example.org").status_code == 302
    assert Invitation.objects.count() == 2


def test_the_daily_limit_refuses_the_whole_submission(bob_client, bob, settings):
    settings.INVITATIONS_PER_DAY = 3
    invitations.issue(bob, "first@example.org")
    invitations.issue(bob, "second@example.org")
    response = invite(bob_client, "third@example.org, fourth@example.org")
    assert response.status_code == 429
    assert (
        "at most 3 invitations in 24 hours and have 1 left now; you entered 2." in response.content.decode()
    )
    assert Invitation.objects.count() == 2
    assert mail.outbox == []


def test_the_daily_limit_counts_only_the_last_24_hours(bob_client, bob, settings):
    settings.INVITATIONS_PER_DAY = 1
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        invitations.issue(bob, "yesterday@example.org")
    assert invite(bob_client, "today@example.org").status_code == 302


def test_the_daily_limit_is_per_inviter(bob_client, ada, settings):
    settings.INVITATIONS_PER_DAY = 1
    invitations.issue(ada, "from-ada@example.org")
    assert invite(bob_client, "from-bob@example.org").status_code == 302


# --- The list


def test_the_page_lists_waiting_used_expired_and_revoked_invitations(bob_client, bob):
    invitations.issue(bob, "waiting@example.org")
    _used, key = invitations.issue(bob, "used@example.org")
    invitations.accept(key, "usedup", "a long and unusual passphrase")
    expired, _key = invitations.issue(bob, "expired@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _key = invitations.issue(bob, "revoked@example.org")
    invitations.revoke(bob, revoked.pk)
    page = bob_client.get(URL).content.decode()
    assert re.search(r"waiting@example.org</th>\s*<td[^>]*>.*?</td>\s*<td>\s*Waiting, until", page, re.S)
    assert "Used by usedup" in page
    assert re.search(r"expired@example.org</th>.*?Expired,", page, re.S)
    assert re.search(r"revoked@example.org</th>.*?Revoked,", page, re.S)
    assert page.count(">Revoke</button>") == 1


def test_a_trusted_member_sees_only_their_own_invitations(bob_client, ada):
    invitations.issue(ada, "admins-guest@example.org")
    page = bob_client.get(URL).content.decode()
    assert "admins-guest@example.org" not in page
    assert "You have not invited anyone yet." in page


def test_an_admin_sees_every_invitation_and_its_inviter(ada_client, bob):
    invitations.issue(bob, "bobs-guest@example.org")
    page = ada_client.get(URL).content.decode()
    assert re.search(r"bobs-guest@example.org</th>\s*<td[^>]*>bob</td>", page)


def test_the_page_says_how_many_invitations_are_left_today(bob_client, bob, settings):
    settings.INVITATIONS_PER_DAY = 10
    invitations.issue(bob, "one@example.org")
    assert "You can send 9 more invitations today" in bob_client.get(URL).content.decode()


def test_the_page_query_count_does_not_grow_with_the_list(bob_client, bob, django_assert_max_num_queries):
    for number in range(30):
        invitations.issue(bob, f"person{number}@example.org")
    with django_assert_max_num_queries(8):
        assert bob_client.get(URL).status_code == 200


def test_a_page_past_the_end_is_a_400(bob_client):
    response = bob_client.get(URL + "?page=9")
    assert response.status_code == 400
    assert "There is no page 9 of this list" in response.content.decode()


# --- Revoking


def revoke(client, invitation_id):
    return client.post(f"/accounts/invitations/{invitation_id}/revoke/")


def test_revoking_stops_the_link(bob_client, bob, client):
    invitation, key = invitations.issue(bob, "dana@example.org")
    assert revoke(bob_client, invitation.pk).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    bob_client.logout()
    assert client.get(f"/accounts/signup/invited/{key}/").status_code == 410


def test_an_admin_may_revoke_anyones_invitation(ada_client, bob):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    assert revoke(ada_client, invitation.pk).status_code == 302


def test_a_trusted_member_cannot_revoke_anothers_invitation(bob_client, ada):
    invitation, _key = invitations.issue(ada, "dana@example.org")
    response = revoke(bob_client, invitation.pk)
    assert response.status_code == 404
    assert "There is no invitation with that number" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_used_invitation_cannot_be_revoked(bob_client, bob):
    invitation, key = invitations.issue(bob, "dana@example.org")
    invitations.accept(key, "dana", "a long and unusual passphrase")
    response = revoke(bob_client, invitation.pk)
    assert response.status_code == 400
    assert (
        "The invitation to dana@example.org is used: only a waiting invitation" in response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoking_needs_post(bob_client, bob):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    assert bob_client.get(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 405


def test_a_member_demoted_from_trusted_can_no_longer_revoke(client, bob):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    bob.role = "member"
    bob.save()
    client.force_login(bob)
    assert revoke(client, invitation.pk).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_settings_page_links_trusted_members_to_invitations(bob_client):
    assert 'href="/accounts/invitations/"' in bob_client.get("/accounts/settings/").content.decode()


def test_the_settings_page_has_no_invitations_link_for_members(alice_client):
    assert 'href="/accounts/invitations/"' not in alice_client.get("/accounts/settings/").content.decode()


def test_an_invitation_for_a_member_made_meanwhile_cannot_be_used(client, bob):
    _invitation, key = invitations.issue(bob, "dana@example.org")
    make_user("dana")
    response = client.post(
        f"/accounts/signup/invited/{key}/",
        {
            "username": "dana2",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 400
    assert "That e-mail address is already used by another account." in response.content.decode()


# --- Malformed submissions and numbers (each writes nothing)


def test_a_submission_without_the_addresses_field_is_refused(bob_client):
    assert_refused(bob_client.post(URL, {}), 400, "This field is required.")


def test_a_null_character_in_the_addresses_is_refused(bob_client):
    assert_refused(invite(bob_client, "dana@example.org\x00"), 400, "Null characters are not allowed.")


def test_an_address_longer_than_an_address_may_be_is_refused_by_name(bob_client):
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.org"  # 259 characters, well formed
    assert_refused(invite(bob_client, address), 400, f"Not an e-mail address: “{address}”.")


@pytest.mark.parametrize("invitation_id", [999_999, 2**63, 2**70])
def test_revoking_an_invitation_number_that_does_not_exist_is_a_404(bob_client, bob, invitation_id):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    response = revoke(bob_client, invitation_id)
    assert response.status_code == 404
    assert "There is no invitation with that number" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_revoking_a_revoked_invitation_again_is_refused_and_keeps_the_first_time(bob_client, bob):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    invitations.revoke(bob, invitation.pk)
    invitation.refresh_from_db()
    first = invitation.revoked_at
    response = revoke(bob_client, invitation.pk)
    assert response.status_code == 400
    assert (
        "The invitation to dana@example.org is revoked: only a waiting invitation"
        in response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at == first


def test_an_expired_invitation_cannot_be_revoked(bob_client, bob):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = revoke(bob_client, invitation.pk)
    assert response.status_code == 400
    assert (
        "The invitation to dana@example.org is expired: only a waiting invitation"
        in response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_signed_out_visitors_cannot_revoke(client, bob):
    invitation, _key = invitations.issue(bob, "dana@example.org")
    response = revoke(client, invitation.pk)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
