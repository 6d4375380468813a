import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied

from districtwiki.accounts import actions
from districtwiki.accounts.models import User
from districtwiki.wiki import access

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def link_path(message) -> str:
    return re.search(re.escape(settings.SITE_URL) + r"(/accounts/confirm/\S+/)", message.body).group(1)


def confirm_path(user) -> str:
    return f"/accounts/confirm/{actions.confirmation_token(user)}/"


def test_link_from_the_signup_mail_confirms_the_address(client):
    password = "a long and unusual passphrase"
    client.post(
        "/accounts/signup/",
        {"username": "dana", "email": "dana@example.org", "password1": password, "password2": password},
    )
    response = client.get(link_path(mail.outbox[0]))
    assert response.status_code == 200
    assert "dana@example.org is confirmed" in response.content.decode()
    assert User.objects.get(username="dana").email_confirmed is True


def test_confirmed_member_may_edit(client, carol):
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        access.check_can_edit(carol, None)
    client.get(confirm_path(carol))
    carol.refresh_from_db()
    assert access.can_edit(carol, None)


def test_tampered_link_is_refused(client, carol):
    token = actions.confirmation_token(carol)
    response = client.get(f"/accounts/confirm/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "This confirmation link is not valid." in response.content.decode()
    carol.refresh_from_db()
    assert carol.email_confirmed is False


def test_link_works_until_three_days_have_passed(client, carol):
    with time_machine.travel(START, tick=False) as traveller:
        path = confirm_path(carol)
        traveller.shift(timedelta(days=3) - timedelta(minutes=1))
        assert client.get(path).status_code == 200
    carol.refresh_from_db()
    assert carol.email_confirmed is True


def test_expired_link_is_refused(client, carol):
    with time_machine.travel(START, tick=False) as traveller:
        path = confirm_path(carol)
        traveller.shift(timedelta(days=3, minutes=1))
        response = client.get(path)
    assert response.status_code == 400
    assert "This confirmation link has expired" in response.content.decode()
    carol.refresh_from_db()
    assert carol.email_confirmed is False


def test_link_for_a_replaced_address_is_refused(client, carol):
    path = confirm_path(carol)
    actions.change_email(carol, "carol@new.example.org")
    response = client.get(path)
    assert response.status_code == 400
    assert "no longer uses" in response.content.decode()
    carol.refresh_from_db()
    assert carol.email_confirmed is False


def test_refusal_page_offers_a_new_link_to_the_signed_in_member(client, carol):
    client.force_login(carol)
    html = client.get("/accounts/confirm/nonsense/").content.decode()
    assert 'action="/accounts/confirm/resend/"' in html


def test_refusal_page_asks_a_signed_out_visitor_to_sign_in(client, carol):
    html = client.get("/accounts/confirm/nonsense/").content.decode()
    assert "/accounts/login/?next=/accounts/settings/" in html


def test_resend_mails_a_new_link(client, carol):
    client.force_login(carol)
    response = client.post("/accounts/confirm/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert client.get(link_path(mail.outbox[0])).status_code == 200


def test_resent_link_is_on_the_site_url_whatever_the_host_header(client, carol, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://wiki.example.org"
    client.force_login(carol)
    client.post("/accounts/confirm/resend/", HTTP_HOST="evil.example")
    assert "https://wiki.example.org/accounts/confirm/" in mail.outbox[0].body
    assert "evil.example" not in mail.outbox[0].body


def test_second_resend_within_a_minute_is_refused(client, carol):
    client.force_login(carol)
    client.post("/accounts/confirm/resend/")
    response = client.post("/accounts/confirm/resend/")
    assert response.status_code == 429
    assert "less than a minute ago" in response.content.decode()
    assert len(mail.outbox) == 1


def test_resend_past_the_hourly_limit_of_the_address_is_refused(client, carol, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_RECIPIENT = 1
    client.post("/accounts/password/reset/", {"email": "carol@example.org"}, REMOTE_ADDR="10.0.0.8")
    client.force_login(carol)
    response = client.post("/accounts/confirm/resend/")
    assert response.status_code == 429
    assert "as many e-mails to your address, or for your network, as we may in one hour" in (
        response.content.decode()
    )
    assert len(mail.outbox) == 1  # the reset link only


def test_resend_past_the_hourly_limit_of_the_client_is_refused(client, carol, alice, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_CLIENT = 1
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    client.force_login(carol)
    assert client.post("/accounts/confirm/resend/").status_code == 429
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_resend_for_a_confirmed_member_sends_nothing(alice_client):
    response = alice_client.post("/accounts/confirm/resend/")
    assert response.status_code == 302
    assert mail.outbox == []


def test_resend_requires_post(client, carol):
    client.force_login(carol)
    assert client.get("/accounts/confirm/resend/").status_code == 405
    assert mail.outbox == []


def test_resend_requires_sign_in(client):
    response = client.post("/accounts/confirm/resend/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_banner_reminds_an_unconfirmed_member(client, carol):
    client.force_login(carol)
    html = client.get("/accounts/logout/").content.decode()
    assert "Confirm your e-mail address to start editing" in html


def test_banner_is_not_shown_to_a_confirmed_member(alice_client):
    html = alice_client.get("/accounts/logout/").content.decode()
    assert "Confirm your e-mail address" not in html


def test_banner_is_not_shown_when_confirmation_is_not_required(client, carol, settings):
    settings.REQUIRE_EMAIL_CONFIRMATION = False
    client.force_login(carol)
    html = client.get("/accounts/logout/").content.decode()
    assert "Confirm your e-mail address" not in html


def test_the_confirmed_page_does_not_ask_to_confirm(client, carol):
    client.force_login(carol)
    page = client.get(confirm_path(carol)).content.decode()
    assert "is confirmed" in page
    assert "Confirm your e-mail address" not in page
