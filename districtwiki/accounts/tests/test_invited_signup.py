"""Signing up from an invitation link, and the sign-up page when sign-up is by invitation only."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.utils import timezone

from districtwiki.accounts import invitations
from districtwiki.accounts.models import Invitation, User
from districtwiki.accounts.retired import retire_username
from districtwiki.accounts.usernames import RETIRED

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and unusual passphrase"
ACCOUNT = {"username": "dana", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}


@pytest.fixture
def invite_only(settings):
    settings.SIGNUP = "invite"


@pytest.fixture
def invited(bob):
    """A waiting invitation from bob to dana@example.org, and its key."""
    return invitations.issue(bob, "dana@example.org")


def url(key: str) -> str:
    return f"/accounts/signup/invited/{key}/"


def accept(client, key: str, **overrides):
    return client.post(url(key), {**ACCOUNT, **overrides})


def assert_no_account():
    assert not User.objects.filter(username__iexact="dana").exists()


# --- /accounts/signup/ without an invitation


def test_invite_mode_signup_page_says_sign_up_is_by_invitation(client, invite_only):
    response = client.get("/accounts/signup/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sign-up is by invitation" in page
    assert 'name="password1"' not in page


def test_invite_mode_signup_post_creates_nothing(client, invite_only):
    data = {**ACCOUNT, "email": "dana@example.org"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 403
    assert_no_account()
    assert mail.outbox == []
    assert SESSION_KEY not in client.session


def test_invite_mode_signup_post_with_a_key_in_the_form_creates_nothing(client, invite_only, invited):
    _invitation, key = invited
    response = client.post("/accounts/signup/", {**ACCOUNT, "email": "dana@example.org", "invitation": key})
    assert response.status_code == 403
    assert_no_account()


def test_invite_mode_hides_the_create_account_link(client, invite_only):
    assert 'href="/accounts/signup/"' not in client.get("/accounts/login/").content.decode().split("<main")[0]


def test_open_mode_keeps_the_ordinary_sign_up(client, settings):
    settings.SIGNUP = "open"
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


# --- The invitation link


def test_the_link_shows_the_form_with_the_address_filled_in_and_fixed(client, invited):
    _invitation, key = invited
    response = client.get(url(key))
    assert response.status_code == 200
    page = response.content.decode()
    assert "bob invited you" in page
    assert 'value="dana@example.org"' in page
    assert "disabled" in page.split('name="email"')[1].split(">")[0]


def test_accepting_creates_a_confirmed_member_with_the_invited_address(client, invited):
    invitation, key = invited
    response = accept(client, key)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="dana")
    assert user.email == "dana@example.org"
    assert user.email_confirmed is True
    assert user.is_active is True
    assert user.role == User.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.status == Invitation.Status.USED


def test_accepting_signs_the_new_member_in_and_sends_no_confirmation_mail(client, invited):
    _invitation, key = invited
    accept(client, key)
    assert client.session[SESSION_KEY] == str(User.objects.get(username="dana").pk)
    assert mail.outbox == []


def test_a_posted_address_cannot_replace_the_invited_one(client, invited):
    _invitation, key = invited
    accept(client, key, email="mallory@example.org")
    assert User.objects.get(username="dana").email == "dana@example.org"
    assert not User.objects.filter(email="mallory@example.org").exists()


def test_the_link_works_in_a_private_wiki_signed_out(client, settings, invited):
    settings.PRIVATE_WIKI = True
    settings.SIGNUP = "invite"
    _invitation, key = invited
    assert client.get(url(key)).status_code == 200
    assert accept(client, key).status_code == 302
    assert client.get("/wiki/No_such_page").status_code == 404  # read as a member now, not sent to sign in


def test_the_link_works_only_once(client, invited):
    _invitation, key = invited
    accept(client, key)
    client.logout()
    response = accept(client, key, username="dana2")
    assert response.status_code == 410
    assert "This invitation has already been used to create an account." in response.content.decode()
    assert not User.objects.filter(username="dana2").exists()


def test_an_expired_link_says_so_and_creates_nothing(client, invited):
    _invitation, key = invited
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = accept(client, key)
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert "invitations work for 14 days" in response.content.decode()
    assert_no_account()


def test_a_link_still_works_on_its_last_day(client, invited):
    _invitation, key = invited
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert accept(client, key).status_code == 302


def test_a_revoked_link_says_so_and_creates_nothing(client, invited, bob):
    invitation, key = invited
    invitations.revoke(bob, invitation.pk)
    response = accept(client, key)
    assert response.status_code == 410
    assert "This invitation was withdrawn." in response.content.decode()
    assert_no_account()


@pytest.mark.parametrize("key", ["not-a-key", "x" * 43, "x" * 500])
def test_an_unknown_key_is_a_404_with_a_sentence(client, db, key):
    response = client.post(url(key), ACCOUNT)
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()
    assert_no_account()


def test_a_bad_form_keeps_the_invitation_usable(client, invited):
    invitation, key = invited
    response = accept(client, key, password2="something else entirely")
    assert response.status_code == 400
    assert "password fields didn’t match" in response.content.decode()
    assert_no_account()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_taken_username_is_refused_and_the_invitation_stays_usable(client, invited, alice):
    invitation, key = invited
    response = accept(client, key, username="Alice")
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_signed_in_member_is_sent_to_their_settings(alice_client, invited):
    invitation, key = invited
    response = alice_client.get(url(key))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_invited_account_in_approval_mode_skips_the_queue(client, settings, invited):
    settings.SIGNUP = "approval"
    _invitation, key = invited
    accept(client, key)
    assert User.objects.get(username="dana").is_active is True


# --- Malformed sign-ups: refused, no account, the invitation still works


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "", "password1": "", "password2": ""}, "This field is required."),
        ({"username": "<b>dana</b>"}, "Enter a valid username."),
        ({"username": "d" * 151}, "Ensure this value has at most 150 characters"),
        ({"username": "dana\x00"}, "Null characters are not allowed."),
        ({"username": "Former-Member-3"}, "are kept for deleted accounts"),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
    ],
    ids=[
        "missing-fields",
        "markup-username",
        "long-username",
        "nul-username",
        "reserved-username",
        "common-password",
    ],
)
def test_a_malformed_sign_up_is_refused_and_the_invitation_stays_usable(client, invited, fields, message):
    invitation, key = invited
    response = accept(client, key, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.filter(email="dana@example.org").count() == 0
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_look_alike_of_a_taken_username_is_refused(client, invited, alice):
    invitation, key = invited
    response = accept(client, key, username="\u0430lice")  # a Cyrillic а
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_retired_username_is_refused(client, invited):
    retire_username("erin")
    invitation, key = invited
    response = accept(client, key, username="ERIN")
    assert response.status_code == 400
    assert RETIRED in response.content.decode()
    assert not User.objects.filter(username__iexact="erin").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
