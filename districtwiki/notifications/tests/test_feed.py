"""The private Atom feed of a member's watchlist at /feeds/watchlist/<token>.atom."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from districtwiki.notifications import actions
from districtwiki.wiki import actions as wiki
from districtwiki.wiki.models import Page, Revision

from .conftest import watch

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def titles(response) -> list[str]:
    return [
        entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.content).findall(f"{ATOM}entry")
    ]


@pytest.fixture
def watched(make_page, alice, bob):
    """alice watches Wifi (edited by bob) but not Printers."""
    wifi = make_page("Wifi", "Access points.", summary="start").page
    make_page("Wifi", "More access points.", author=bob, summary="more", base_revision=wifi.latest_id)
    make_page("Printers", "Toner.", summary="printers")
    watch(alice, wifi)
    return Page.objects.get(title="Wifi")


@pytest.fixture
def feed_path(alice):
    return f"/feeds/watchlist/{actions.regenerate_feed_token(alice)}.atom"


def test_feed_lists_changes_to_watched_pages_newest_first(client, watched, feed_path):
    response = client.get(feed_path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert titles(response) == ["Wifi: more", "Wifi: start"]


def test_feed_orders_by_the_time_of_the_edit(client, watched, feed_path):
    """An imported revision (a higher id, an older time) takes its place in the past."""
    latest = watched.latest
    Revision.objects.filter(pk=latest.pk).update(timestamp=latest.timestamp - datetime.timedelta(days=400))
    assert titles(client.get(feed_path)) == ["Wifi: start", "Wifi: more"]


def test_feed_entries_link_like_the_recent_changes_feed(client, watched, feed_path):
    entry = ET.fromstring(client.get(feed_path).content).find(f"{ATOM}entry")
    latest = watched.latest
    assert (
        entry.find(f"{ATOM}link").get("href")
        == f"http://testserver/diff/Wifi?from={latest.parent_id}&to={latest.pk}"
    )
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "bob"


def test_feed_is_private_to_caches(client, watched, feed_path):
    response = client.get(feed_path)
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_feed_leaves_out_deleted_pages(client, watched, feed_path, ada):
    wiki.delete_page(watched, ada)
    assert titles(client.get(feed_path)) == []


def test_feed_has_the_fifty_latest_changes(client, make_page, alice):
    result = make_page("Wifi", "0")
    for number in range(1, 55):
        result = make_page("Wifi", str(number), base_revision=result.revision.pk)
    watch(alice, result.page)
    token = actions.regenerate_feed_token(alice)
    assert len(titles(client.get(f"/feeds/watchlist/{token}.atom"))) == 50


def test_feed_query_count_is_pinned(client, watched, feed_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the token's owner, the revisions
        client.get(feed_path)


def test_wrong_token_is_a_404(client, watched, feed_path):
    assert client.get("/feeds/watchlist/not-the-token.atom").status_code == 404


def test_revoked_token_is_a_404(client, alice, watched, feed_path):
    actions.revoke_feed_token(alice)
    assert client.get(feed_path).status_code == 404


def test_regenerated_token_replaces_the_old_one(client, alice, watched, feed_path):
    new_token = actions.regenerate_feed_token(alice)
    assert client.get(feed_path).status_code == 404
    assert client.get(f"/feeds/watchlist/{new_token}.atom").status_code == 200


def test_feed_of_a_suspended_member_is_a_404(client, alice, watched, feed_path):
    alice.is_active = False
    alice.save()
    assert client.get(feed_path).status_code == 404


def test_feed_works_on_a_private_wiki(settings, client, watched, feed_path):
    settings.PRIVATE_WIKI = True
    assert client.get(feed_path).status_code == 200


def test_token_is_stored_only_as_a_hash(alice):
    token = actions.regenerate_feed_token(alice)
    row = actions.current_settings(alice)
    assert token not in (row.feed_token_hash, row.feed_token_hint)
