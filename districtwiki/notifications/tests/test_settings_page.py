"""/notifications/settings: auto-watch, digest frequency and the watchlist feed address."""

import re

import pytest

from districtwiki.notifications import actions
from districtwiki.notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db
Frequency = NotificationSettings.Frequency


def checked_inputs(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<input[^>]*>", html) if tag.endswith(" checked>")]


def test_settings_page_shows_the_defaults(alice_client):
    response = alice_client.get("/notifications/settings")
    checked = checked_inputs(response.content.decode())
    assert response.status_code == 200
    assert [re.search(r'id="(\w+)"', tag).group(1) for tag in checked] == ["id_auto_watch", "id_frequency_1"]
    assert 'value="daily"' in checked[1]


def test_viewing_the_settings_writes_nothing(alice_client):
    alice_client.get("/notifications/settings")
    assert not NotificationSettings.objects.exists()


def test_saving_the_settings(alice_client, alice):
    response = alice_client.post("/notifications/settings", {"frequency": "weekly"})
    assert response.status_code == 302
    row = NotificationSettings.objects.get(user=alice)
    assert (row.auto_watch, row.frequency) == (False, Frequency.WEEKLY)


def test_unknown_frequency_is_a_400_and_saves_nothing(alice_client):
    response = alice_client.post("/notifications/settings", {"auto_watch": "on", "frequency": "hourly"})
    assert response.status_code == 400
    assert "Select a valid choice. hourly is not one of the available choices." in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_missing_frequency_is_a_400_and_changes_nothing(alice_client, alice):
    NotificationSettings.objects.create(user=alice, frequency=Frequency.WEEKLY)
    response = alice_client.post("/notifications/settings", {"auto_watch": "on"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert NotificationSettings.objects.get(user=alice).frequency == Frequency.WEEKLY


def test_settings_require_signing_in(client):
    assert client.get("/notifications/settings")["Location"].startswith("/accounts/login/")
    assert client.post("/notifications/settings", {"frequency": "never"}).status_code == 302
    assert not NotificationSettings.objects.exists()


def test_turning_on_the_feed_shows_its_address_once(alice_client, alice):
    response = alice_client.post("/notifications/settings/feed", follow=True)
    html = response.content.decode()
    hint = actions.current_settings(alice).feed_token_hint
    assert f'id="feed-url" type="text" value="http://testserver/feeds/watchlist/{hint}' in html
    assert 'id="feed-url"' not in alice_client.get("/notifications/settings").content.decode()


def test_the_shown_feed_address_works(alice_client, client, alice):
    html = alice_client.post("/notifications/settings/feed", follow=True).content.decode()
    address = html.split('id="feed-url" type="text" value="')[1].split('"')[0]
    assert client.get(address.removeprefix("http://testserver")).status_code == 200


def test_making_a_new_feed_address_stops_the_old_one(alice_client, client, alice):
    old = actions.regenerate_feed_token(alice)
    alice_client.post("/notifications/settings/feed")
    assert client.get(f"/feeds/watchlist/{old}.atom").status_code == 404


def test_turning_off_the_feed(alice_client, alice):
    actions.regenerate_feed_token(alice)
    response = alice_client.post("/notifications/settings/feed/revoke", follow=True)
    assert "Your feed is off." in response.content.decode()
    assert not actions.current_settings(alice).has_feed


def test_feed_buttons_need_post(alice_client, alice):
    assert alice_client.get("/notifications/settings/feed").status_code == 405
    assert alice_client.get("/notifications/settings/feed/revoke").status_code == 405
    assert not NotificationSettings.objects.exists()
