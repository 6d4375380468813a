import pytest
from django.core import mail

from conftest import PASSWORD
from districtwiki.accounts import actions
from districtwiki.accounts.forms import EMAIL_TAKEN
from districtwiki.accounts.models import APIToken

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/accounts/settings/"


def test_settings_requires_sign_in(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"


def test_settings_shows_username_email_and_role(bob_client):
    html = bob_client.get(SETTINGS_URL).content.decode()
    assert "bob" in html
    assert "bob@example.org (confirmed)" in html
    assert "Trusted member" in html


def test_settings_tells_an_unconfirmed_member_to_confirm(client, carol):
    client.force_login(carol)
    html = client.get(SETTINGS_URL).content.decode()
    assert "carol@example.org (not confirmed yet)" in html
    assert "you can edit pages only after you confirm" in html


def test_settings_page_query_count(alice_client, alice, django_assert_max_num_queries):
    for number in range(5):
        APIToken.issue(alice, f"bot {number}")
    with django_assert_max_num_queries(4):
        assert alice_client.get(SETTINGS_URL).status_code == 200


# --- E-mail address


def change_email(client, email, password=PASSWORD):
    return client.post("/accounts/settings/email/", {"email": email, "password": password})


def test_email_change_needs_reconfirmation(alice_client, alice):
    response = change_email(alice_client, "alice@district.example.org")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@district.example.org"
    assert alice.email_confirmed is False
    assert mail.outbox[0].to == ["alice@district.example.org"]
    assert "/accounts/confirm/" in mail.outbox[0].body


def test_email_change_without_required_confirmation_stays_confirmed(alice_client, alice, settings):
    settings.REQUIRE_EMAIL_CONFIRMATION = False
    change_email(alice_client, "alice@district.example.org")
    alice.refresh_from_db()
    assert alice.email_confirmed is True
    assert mail.outbox == []


def test_email_change_with_the_wrong_password_is_refused(alice_client, alice):
    response = change_email(alice_client, "alice@district.example.org", password="not my password")
    assert response.status_code == 400
    assert "That is not your current password." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert mail.outbox == []


def test_email_change_to_an_address_in_use_is_refused(alice_client, alice, bob):
    response = change_email(alice_client, "BOB@example.org")
    assert response.status_code == 400
    assert EMAIL_TAKEN in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_email_change_to_an_invalid_address_is_refused(alice_client, alice):
    response = change_email(alice_client, "alice at district")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_email_change_to_the_same_address_is_refused(alice_client, alice):
    response = change_email(alice_client, "Alice@example.org")
    assert response.status_code == 400
    assert "That is already your e-mail address." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email_confirmed is True


# --- API tokens


def create_token(client, name="Recent changes bot"):
    return client.post("/accounts/settings/tokens/", {"name": name})


def test_token_create_shows_the_key_once_with_a_warning(alice_client, alice):
    response = create_token(alice_client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/tokens/new/"
    page = alice_client.get(response["Location"])
    html = page.content.decode()
    assert "Copy this key now: it is shown only this once." in html
    key = html.split('id="new-token-key" type="text" value="')[1].split('"')[0]
    assert APIToken.objects.find(key).user == alice
    assert "no-store" in page["Cache-Control"]


def test_token_key_page_does_not_show_the_key_again(alice_client):
    create_token(alice_client)
    alice_client.get("/accounts/settings/tokens/new/")
    response = alice_client.get("/accounts/settings/tokens/new/")
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL


def test_token_list_shows_name_and_hint(alice_client, alice):
    token, _key = APIToken.issue(alice, "Newsletter script")
    html = alice_client.get(SETTINGS_URL).content.decode()
    assert "Newsletter script" in html
    assert f"<code>{token.hint}…</code>" in html
    assert "never" in html


def test_token_without_a_name_is_refused(alice_client, alice):
    response = create_token(alice_client, name="   ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not APIToken.objects.exists()


def test_token_with_a_long_name_is_refused(alice_client, alice):
    response = create_token(alice_client, name="x" * 101)
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert not APIToken.objects.exists()


def test_token_create_requires_post(alice_client):
    assert alice_client.get("/accounts/settings/tokens/").status_code == 405
    assert not APIToken.objects.exists()


def test_token_revoke_deletes_the_token(alice_client, alice):
    token, key = APIToken.issue(alice, "Old bot")
    response = alice_client.post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert APIToken.objects.find(key) is None


def test_token_revoke_of_someone_elses_token_is_refused(alice_client, bob):
    token, key = APIToken.issue(bob, "Bob's bot")
    response = alice_client.post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert "You have no API token with that number" in response.content.decode()
    assert APIToken.objects.find(key) == token


def test_token_revoke_requires_post(alice_client, alice):
    token, _key = APIToken.issue(alice, "Bot")
    assert alice_client.get(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 405
    assert APIToken.objects.filter(pk=token.pk).exists()


def test_token_beyond_the_limit_is_refused(alice_client, alice):
    for number in range(actions.MAX_TOKENS_PER_USER):
        APIToken.issue(alice, f"bot {number}")
    response = create_token(alice_client)
    assert response.status_code == 400
    assert "Revoke one you no longer use." in response.content.decode()
    assert alice.api_tokens.count() == actions.MAX_TOKENS_PER_USER


def test_settings_page_does_not_repeat_the_confirmation_banner(client, carol):
    client.force_login(carol)
    html = client.post("/accounts/settings/email/", {"email": "x", "password": "nope"}).content.decode()
    assert "Confirm your e-mail address to start editing" not in html
    assert "Send the link again" in html


def test_settings_page_does_not_steal_focus(alice_client):
    assert "autofocus" not in alice_client.get(SETTINGS_URL).content.decode()
