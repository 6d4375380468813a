import pytest

from districtwiki.notifications import actions
from districtwiki.notifications.models import Notification, NotificationSettings
from districtwiki.wiki.models import Page, Watch

SITE_URL = "https://wiki.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def notify_alice(alice, bob):
    """notify_alice("text", kind=..., url=...): a notification for alice, from bob."""

    def make(text: str = "bob did something", kind: str = Notification.Kind.MENTION, url: str = "/wiki/Wifi"):
        return actions.notify(alice, kind, text, url, actor=bob)

    return make


@pytest.fixture
def wifi(make_page):
    return make_page("Wifi", "Access points.").page


def watch(user, page: Page) -> None:
    Watch.objects.get_or_create(user=user, page=page)


def set_frequency(user, frequency: str) -> NotificationSettings:
    row = actions.settings_for(user)
    row.frequency = frequency
    row.save()
    return row
