"""Sign-up by approval: the application, the waiting account that cannot sign in or read, and the queue."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from conftest import PASSWORD
from districtwiki.accounts import approvals
from districtwiki.accounts.models import SignupRequest, User

pytestmark = pytest.mark.django_db

SITE_URL = "https://wiki.example.org"
NOTE = "Technology coordinator at Lakeview, a district of 800 students."
APPLICATION = {
    "username": "dana",
    "email": "dana@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "note": NOTE,
}


@pytest.fixture(autouse=True)
def approval_mode(settings):
    settings.SIGNUP = "approval"
    settings.SITE_URL = SITE_URL


@pytest.fixture
def dana(db):
    """An applicant waiting for approval."""
    return approvals.apply("dana", "dana@example.org", PASSWORD, NOTE)


def apply(client, **overrides):
    return client.post("/accounts/signup/", {**APPLICATION, **overrides})


def sign_in(client, password=PASSWORD):
    return client.post("/accounts/login/", {"login": "dana", "password": password})


# --- Applying


def test_the_sign_up_page_asks_who_you_are(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ask to join" in page
    assert 'name="note"' in page


def test_applying_makes_an_inactive_account_and_a_request(client):
    response = apply(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/requested/"
    user = User.objects.get(username="dana")
    assert user.is_active is False
    assert user.signup_request.note == NOTE
    assert user.signup_request.decided_at is None


def test_applying_does_not_sign_in(client):
    apply(client)
    assert SESSION_KEY not in client.session


def test_the_page_after_applying_says_what_happens_next(client):
    page = client.post("/accounts/signup/", APPLICATION, follow=True).content.decode()
    assert "Your request to join is sent" in page
    assert "we will e-mail you when they have decided" in page


def test_an_application_without_a_note_is_refused(client):
    response = apply(client, note="  ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not User.objects.filter(username="dana").exists()


def test_an_overlong_note_is_refused(client):
    response = apply(client, note="x" * 1001)
    assert response.status_code == 400
    assert "Ensure this value has at most 1000 characters" in response.content.decode()
    assert not User.objects.filter(username="dana").exists()


def test_an_application_with_a_taken_username_is_refused(client, alice):
    response = apply(client, username="alice")
    assert response.status_code == 400
    assert SignupRequest.objects.count() == 0


# --- Waiting


def test_a_waiting_applicant_is_told_why_they_cannot_sign_in(client, dana):
    response = sign_in(client)
    assert response.status_code == 403
    assert "Your account is waiting for approval" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_wrong_password_of_a_waiting_applicant_is_an_ordinary_failure(client, dana):
    response = sign_in(client, password="not the password")
    assert response.status_code == 400
    assert "waiting for approval" not in response.content.decode()


def test_a_suspended_member_is_not_told_about_approval(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert "waiting for approval" not in response.content.decode()


def test_a_waiting_applicant_cannot_read_a_private_wiki(client, dana, settings):
    settings.PRIVATE_WIKI = True
    client.force_login(dana)
    response = client.get("/wiki/Anything")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- The queue


def test_the_queue_shows_who_asked_and_why(bob_client, dana):
    page = bob_client.get("/accounts/approvals/").content.decode()
    assert "<h2" in page and ">dana</h2>" in page
    assert NOTE in page
    assert "dana@example.org" in page


def test_the_queue_leaves_out_approved_accounts(bob_client, dana, bob):
    approvals.approve(bob, dana.signup_request.pk)
    assert "No sign-ups are waiting." in bob_client.get("/accounts/approvals/").content.decode()


def test_members_cannot_see_the_queue(alice_client, dana):
    response = alice_client.get("/accounts/approvals/")
    assert response.status_code == 403
    assert "Only trusted members and admins can approve or decline sign-ups." in response.content.decode()


def test_the_invitations_page_points_to_waiting_sign_ups(bob_client, dana):
    assert "1 sign-up waiting for approval" in bob_client.get("/accounts/invitations/").content.decode()


# --- Approving and declining


def decide(client, signup, verdict: str):
    return client.post(f"/accounts/approvals/{signup.pk}/{verdict}/")


def test_approving_makes_an_ordinary_member(bob_client, bob, dana):
    assert decide(bob_client, dana.signup_request, "approve").status_code == 302
    dana.refresh_from_db()
    assert dana.is_active is True
    assert dana.role == User.Role.MEMBER
    assert dana.signup_request.decided_by == bob


def test_approving_mails_a_confirmation_and_sign_in_link_from_the_site_url(bob_client, dana):
    decide(bob_client, dana.signup_request, "approve")
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    assert message.subject == "Your account on districtwiki is approved"
    assert re.search(rf"{SITE_URL}/accounts/confirm/\S+/", message.body)
    assert f"{SITE_URL}/accounts/login/" in message.body


def test_the_approval_mail_has_no_confirmation_link_when_none_is_needed(bob_client, dana, settings):
    settings.REQUIRE_EMAIL_CONFIRMATION = False
    dana.email_confirmed = True
    dana.save()
    decide(bob_client, dana.signup_request, "approve")
    assert "/accounts/confirm/" not in mail.outbox[0].body


def test_an_approved_applicant_can_sign_in(bob_client, dana, client):
    decide(bob_client, dana.signup_request, "approve")
    assert sign_in(client).status_code == 302
    assert client.session[SESSION_KEY] == str(dana.pk)


def test_declining_deletes_the_account_and_mails_the_applicant(ada_client, dana):
    assert decide(ada_client, dana.signup_request, "decline").status_code == 302
    assert not User.objects.filter(username="dana").exists()
    assert SignupRequest.objects.count() == 0
    assert mail.outbox[0].to == ["dana@example.org"]
    assert "declined the request" in mail.outbox[0].body


def test_a_member_cannot_approve(alice_client, dana):
    response = decide(alice_client, dana.signup_request, "approve")
    assert response.status_code == 403
    dana.refresh_from_db()
    assert dana.is_active is False
    assert mail.outbox == []


def test_a_member_cannot_decline(alice_client, dana):
    assert decide(alice_client, dana.signup_request, "decline").status_code == 403
    assert User.objects.filter(username="dana").exists()
    assert mail.outbox == []


def test_a_decided_request_cannot_be_decided_again(bob_client, bob, dana):
    approvals.approve(bob, dana.signup_request.pk)
    mail.outbox.clear()
    response = decide(bob_client, dana.signup_request, "decline")
    assert response.status_code == 404
    assert "No sign-up with that number is waiting" in response.content.decode()
    assert User.objects.get(username="dana").is_active is True
    assert mail.outbox == []


def test_deciding_needs_post(bob_client, dana):
    assert bob_client.get(f"/accounts/approvals/{dana.signup_request.pk}/approve/").status_code == 405


def test_a_suspended_member_cannot_be_approved_through_the_queue(bob_client, alice):
    """A suspension is not a sign-up: alice has no request, so nothing in the queue can reactivate her."""
    alice.is_active = False
    alice.save()
    response = bob_client.post("/accounts/approvals/1/approve/")
    assert response.status_code == 404
    alice.refresh_from_db()
    assert alice.is_active is False


def test_applying_with_an_address_in_use_makes_nothing(alice):
    assert approvals.apply("dana", "ALICE@example.org", PASSWORD, NOTE) is None
    assert not User.objects.filter(username="dana").exists()
    assert SignupRequest.objects.count() == 0


# --- Numbers that name no waiting sign-up (each writes nothing and mails no one)


@pytest.mark.parametrize("decision", ["approve", "decline"])
@pytest.mark.parametrize("request_id", [999_999, 2**63, 2**70])
def test_deciding_a_number_that_names_no_sign_up_is_a_404(bob_client, dana, decision, request_id):
    response = bob_client.post(f"/accounts/approvals/{request_id}/{decision}/")
    assert response.status_code == 404
    assert "No sign-up with that number is waiting" in response.content.decode()
    dana.refresh_from_db()
    assert dana.is_active is False
    assert SignupRequest.objects.pending().count() == 1
    assert mail.outbox == []


def test_a_declined_sign_up_cannot_be_approved_afterwards(bob_client, bob, dana):
    signup_id = dana.signup_request.pk
    approvals.decline(bob, signup_id)
    mail.outbox.clear()
    response = bob_client.post(f"/accounts/approvals/{signup_id}/approve/")
    assert response.status_code == 404
    assert "No sign-up with that number is waiting" in response.content.decode()
    assert not User.objects.filter(username="dana").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_signed_out_visitors_cannot_decide(client, dana, decision):
    response = client.post(f"/accounts/approvals/{dana.signup_request.pk}/{decision}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    dana.refresh_from_db()
    assert dana.is_active is False
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "<b>dana</b>"}, "Enter a valid username."),
        ({"username": "d" * 151}, "Ensure this value has at most 150 characters"),
        ({"username": "dana\x00"}, "Null characters are not allowed."),
        ({"username": "former-member-7"}, "are kept for deleted accounts"),
        ({"note": "Coordinator\x00"}, "Null characters are not allowed."),
        ({"email": "dana at example"}, "Enter a valid email address."),
        ({"password2": "not the same passphrase"}, "password fields didn’t match"),
    ],
    ids=[
        "markup-username",
        "long-username",
        "nul-username",
        "reserved-username",
        "nul-note",
        "bad-email",
        "passwords-differ",
    ],
)
def test_a_malformed_application_is_refused_and_makes_nothing(client, fields, message):
    response = apply(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == 0
    assert SignupRequest.objects.count() == 0
    assert mail.outbox == []


def test_an_application_with_a_look_alike_of_a_taken_username_is_refused(client, alice):
    response = apply(client, username="\u0430lice")  # a Cyrillic а
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert SignupRequest.objects.count() == 0
