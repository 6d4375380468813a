import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail

from conftest import PASSWORD
from districtwiki.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a different long passphrase"
RESET_URL = "/accounts/password/reset/"


def request_reset(client, email="alice@example.org"):
    return client.post(RESET_URL, {"email": email})


def reset_link(message) -> str:
    site = re.escape(settings.SITE_URL)
    return re.search(site + r"(/accounts/password/reset/\S+/)", message.body).group(1)


def set_password_page(client) -> str:
    """Follow the mailed link; Django swaps the token for a session key and redirects to the form."""
    response = client.get(reset_link(mail.outbox[0]))
    assert response.status_code == 302
    return response["Location"]


def test_reset_form_is_labelled(client):
    html = client.get(RESET_URL).content.decode()
    assert '<label for="id_email"' in html
    assert 'autocomplete="email"' in html


def test_reset_request_mails_a_link(client, alice):
    response = request_reset(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "Reset your password" in mail.outbox[0].subject


def test_reset_link_is_on_the_site_url_whatever_the_host_header(client, alice, settings):
    settings.ALLOWED_HOSTS = ["*"]  # a site that answers to any name, or a proxy that passes Host on
    settings.SITE_URL = "https://wiki.example.org"
    client.post(RESET_URL, {"email": "alice@example.org"}, HTTP_HOST="evil.example")
    body = mail.outbox[0].body
    assert "https://wiki.example.org/accounts/password/reset/" in body
    assert "evil.example" not in body


def test_reset_mails_to_one_address_stop_at_the_hourly_limit(client, alice):
    responses = [request_reset(client) for _ in range(6)]
    assert {response["Location"] for response in responses} == {"/accounts/password/reset/sent/"}
    assert len(mail.outbox) == 3  # DISTRICTWIKI_ACCOUNT_MAIL_LIMIT_PER_RECIPIENT


def test_reset_mails_for_one_client_stop_at_the_hourly_limit(client, alice, bob, ada, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_CLIENT = 2
    for email in ("alice@example.org", "bob@example.org", "ada@example.org"):
        assert request_reset(client, email)["Location"] == "/accounts/password/reset/sent/"
    assert [message.to for message in mail.outbox] == [["alice@example.org"], ["bob@example.org"]]


def test_reset_limit_of_one_client_leaves_other_clients_alone(client, alice, bob, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_CLIENT = 1
    request_reset(client, "alice@example.org")
    client.post(RESET_URL, {"email": "bob@example.org"}, REMOTE_ADDR="10.0.0.8")
    assert [message.to for message in mail.outbox] == [["alice@example.org"], ["bob@example.org"]]


def test_reset_for_an_unknown_address_looks_the_same_and_mails_nothing(client):
    response = request_reset(client, "nobody@example.org")
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_reset_request_with_an_invalid_address_is_refused(client, alice):
    response = request_reset(client, "alice at example")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_reset_link_sets_a_new_password(client, alice):
    request_reset(client)
    form_url = set_password_page(client)
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/reset/complete/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_new_password_signs_in_after_a_reset(client, alice):
    request_reset(client)
    client.post(set_password_page(client), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post("/accounts/login/", {"login": "alice", "password": NEW_PASSWORD})
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_reset_refuses_mismatched_new_passwords(client, alice):
    request_reset(client)
    response = client.post(
        set_password_page(client), {"new_password1": NEW_PASSWORD, "new_password2": "other"}
    )
    assert response.status_code == 400
    assert "The two password fields didn’t match." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_reset_refuses_a_weak_password(client, alice):
    request_reset(client)
    response = client.post(
        set_password_page(client), {"new_password1": "1234567890", "new_password2": "1234567890"}
    )
    assert response.status_code == 400
    assert "This password is entirely numeric." in response.content.decode()


def test_tampered_reset_link_is_refused(client, alice):
    request_reset(client)
    link = reset_link(mail.outbox[0])
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "This reset link does not work" in response.content.decode()


def test_used_reset_link_does_not_work_twice(client, alice):
    request_reset(client)
    link = reset_link(mail.outbox[0])
    client.post(set_password_page(client), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.get(link).status_code == 400


def test_reset_confirms_the_address_and_lifts_a_lock(client, carol, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    client.post("/accounts/login/", {"login": "carol", "password": "wrong password"})
    request_reset(client, "carol@example.org")
    client.post(set_password_page(client), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    carol.refresh_from_db()
    assert carol.email_confirmed is True
    assert not LoginFailure.objects.filter(username="carol").exists()


# --- Password change, from the settings page


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    data = {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    return client.post("/accounts/settings/password/", data)


def test_password_change_keeps_the_member_signed_in(alice_client, alice):
    response = change(alice_client)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get("/accounts/settings/").status_code == 200


def test_password_change_with_the_wrong_current_password_is_refused(alice_client, alice):
    response = change(alice_client, old="not my password")
    assert response.status_code == 400
    assert "Your old password was entered incorrectly." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_to_a_weak_password_is_refused(alice_client, alice):
    response = change(alice_client, new="short")
    assert response.status_code == 400
    assert "This password is too short." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_with_mismatched_passwords_is_refused(alice_client, alice):
    response = change(alice_client, again=NEW_PASSWORD + "x")
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_requires_sign_in(client):
    response = change(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
