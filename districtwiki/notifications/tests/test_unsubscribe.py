"""The digest's unsubscribe link: signed, works signed out, one click then one button; tampering changes
nothing."""

import pytest
from django.core import signing
from django.test import Client

from districtwiki.notifications import digest, tokens
from districtwiki.notifications.models import NotificationSettings

from .conftest import SITE_URL, set_frequency

pytestmark = pytest.mark.django_db
Frequency = NotificationSettings.Frequency


def path_of(user) -> str:
    return digest.unsubscribe_url(user).removeprefix(SITE_URL)


def frequency_of(user) -> str:
    row = NotificationSettings.objects.filter(user=user).first()
    return row.frequency if row else NotificationSettings.DEFAULT_FREQUENCY


def test_link_is_signed_for_the_member(alice):
    token = path_of(alice).removeprefix("/notifications/unsubscribe/").removesuffix("/")
    assert signing.Signer(salt=tokens.UNSUBSCRIBE_SALT).unsign(token) == str(alice.pk)


def test_link_does_not_verify_under_another_salt(alice):
    token = tokens.unsubscribe_token(alice)
    with pytest.raises(signing.BadSignature):
        signing.Signer().unsign(token)


def test_opening_the_link_signed_out_asks_to_confirm(client, alice):
    response = client.get(path_of(alice))
    assert response.status_code == 200
    assert '<button type="submit">Stop e-mail digests</button>' in response.content.decode()


def test_opening_the_link_changes_nothing(client, alice):
    set_frequency(alice, Frequency.WEEKLY)
    client.get(path_of(alice))
    assert frequency_of(alice) == Frequency.WEEKLY


def test_the_button_unsubscribes_without_signing_in(client, alice):
    response = client.post(path_of(alice))
    assert response.status_code == 200
    assert "We will send no more notification digests." in response.content.decode()
    assert frequency_of(alice) == Frequency.NEVER


def test_one_click_post_from_a_mail_client_needs_no_csrf_cookie(alice):
    """RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click with no cookies at all."""
    response = Client(enforce_csrf_checks=True).post(path_of(alice), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert frequency_of(alice) == Frequency.NEVER


def test_unsubscribing_keeps_the_other_settings(client, alice):
    NotificationSettings.objects.create(user=alice, auto_watch=False)
    client.post(path_of(alice))
    assert NotificationSettings.objects.get(user=alice).auto_watch is False


def test_unsubscribing_affects_only_the_linked_member(client, alice, bob):
    client.post(path_of(alice))
    assert frequency_of(bob) == Frequency.DAILY


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_link_is_a_400_and_changes_nothing(client, alice, bob, method):
    forged = tokens.unsubscribe_token(alice).replace(f"{alice.pk}:", f"{bob.pk}:", 1)
    response = getattr(client, method)(f"/notifications/unsubscribe/{forged}/")
    assert response.status_code == 400
    assert "This unsubscribe link is damaged" in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_link_without_a_signature_is_a_400(client, alice):
    response = client.post(f"/notifications/unsubscribe/{alice.pk}/")
    assert response.status_code == 400
    assert not NotificationSettings.objects.exists()


def test_link_for_a_deleted_account_is_a_404(client, alice):
    path = path_of(alice)
    alice.delete()
    response = client.post(path)
    assert response.status_code == 404
    assert "no longer exists" in response.content.decode()


def test_link_works_on_a_private_wiki(settings, client, alice):
    settings.PRIVATE_WIKI = True
    assert client.post(path_of(alice)).status_code == 200
    assert frequency_of(alice) == Frequency.NEVER


def test_unsubscribed_member_gets_no_more_digests(client, alice, notify_alice, mailoutbox):
    from django.core.management import call_command

    client.post(path_of(alice))
    notify_alice()
    call_command("worker", "--once")
    assert mailoutbox == []
