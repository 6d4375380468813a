"""privacy.export and privacy.erase: what the notifications app holds about a member."""

import json

import pytest

from districtwiki.notifications import actions, privacy
from districtwiki.notifications.models import Notification, NotificationSettings

pytestmark = pytest.mark.django_db


def test_export_has_settings_and_notifications(alice, notify_alice):
    NotificationSettings.objects.create(user=alice, auto_watch=False, frequency="weekly")
    notify_alice("bob mentioned you", url="/talk/Wifi")
    data = privacy.export(alice)
    assert data["notification_settings"] == {
        "auto_watch": False,
        "event_reminders": False,
        "digest_frequency": "weekly",
        "last_digest_at": None,
        "watchlist_feed": "off",
    }
    [notification] = data["notifications"]
    assert notification["text"] == "bob mentioned you"
    assert notification["url"] == "/talk/Wifi"
    assert notification["actor"] == "bob"


def test_export_is_json_serialisable(alice, notify_alice):
    notify_alice()
    actions.regenerate_feed_token(alice)
    json.dumps(privacy.export(alice))


def test_export_never_contains_the_feed_secret(alice):
    actions.regenerate_feed_token(alice)
    row = actions.current_settings(alice)
    exported = json.dumps(privacy.export(alice))
    assert row.feed_token_hash not in exported
    assert privacy.export(alice)["notification_settings"]["watchlist_feed"] == "on"


def test_export_without_settings_shows_the_defaults(alice):
    assert privacy.export(alice)["notification_settings"]["digest_frequency"] == "daily"


def test_erase_deletes_notifications_and_settings(alice, notify_alice):
    notify_alice()
    actions.regenerate_feed_token(alice)
    privacy.erase(alice)
    assert not Notification.objects.filter(user=alice).exists()
    assert not NotificationSettings.objects.filter(user=alice).exists()


def test_erase_keeps_other_members_notifications(alice, bob, notify_alice):
    notify_alice()
    kept = Notification.objects.create(user=bob, kind="mention", text="ada mentioned you", url="/")
    privacy.erase(alice)
    assert list(Notification.objects.all()) == [kept]


def test_erase_takes_the_name_out_of_notifications_about_the_member(alice, bob):
    about = actions.notify(bob, Notification.Kind.PAGE_EDIT, "alice edited Wifi", "/wiki/Wifi", actor=alice)
    privacy.erase(alice)
    about.refresh_from_db()
    assert (about.text, about.actor) == ("former member edited Wifi", None)
