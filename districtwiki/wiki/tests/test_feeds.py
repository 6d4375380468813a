"""Atom feeds: /feeds/recent.atom and /feeds/page/<Title>.atom."""

import xml.etree.ElementTree as ET

import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import Page, Revision

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ET.Element]:
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def entry_field(entry: ET.Element, name: str) -> str:
    return entry.findtext(f"{ATOM}{name}") or ""


def link(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}link").get("href")


@pytest.fixture
def wifi(make_page, alice):
    first = make_page("Wifi", "Access points.", summary="start")
    make_page("Wifi", "More access points.", author=alice, summary="<script>alert(1)</script> & more",
              base_revision=first.revision.pk)  # fmt: skip
    make_page("Printers", "Toner.", summary="printers")
    return Page.objects.get(title="Wifi")


def test_recent_feed_is_atom(client, wifi):
    response = client.get("/feeds/recent.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")


def test_recent_feed_lists_changes_newest_first(client, wifi):
    titles = [entry_field(entry, "title") for entry in entries(client.get("/feeds/recent.atom"))]
    assert titles == ["Printers: printers", "Wifi: <script>alert(1)</script> & more", "Wifi: start"]


def test_entry_for_an_edit_links_to_its_diff(client, wifi):
    latest = wifi.latest
    entry = entries(client.get("/feeds/recent.atom"))[1]
    assert link(entry) == f"http://testserver/diff/Wifi?from={latest.parent_id}&to={latest.pk}"


def test_entry_for_a_new_page_links_to_the_page(client, wifi):
    assert link(entries(client.get("/feeds/recent.atom"))[0]) == "http://testserver/wiki/Printers"


def test_entry_author_is_the_revision_author(client, wifi):
    entry = entries(client.get("/feeds/recent.atom"))[1]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "alice"


def test_summary_markup_is_escaped(client, wifi):
    response = client.get("/feeds/recent.atom")
    assert b"<script>" not in response.content
    summary = entry_field(entries(response)[1], "summary")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in summary


def test_recent_feed_filters_by_user(client, wifi):
    titles = [entry_field(entry, "title") for entry in entries(client.get("/feeds/recent.atom?user=alice"))]
    assert titles == ["Wifi: <script>alert(1)</script> & more"]


def test_recent_feed_leaves_out_deleted_pages(client, wifi, ada):
    actions.delete_page(Page.objects.get(title="Printers"), ada)
    titles = [entry_field(entry, "title") for entry in entries(client.get("/feeds/recent.atom"))]
    assert "Printers: printers" not in titles


def test_recent_feed_has_the_fifty_latest_changes(client, make_page):
    base = None
    for number in range(55):
        base = make_page("Busy", "x" * (number + 1), base_revision=base).revision.pk
    feed = entries(client.get("/feeds/recent.atom"))
    assert len(feed) == 50
    assert entry_field(feed[0], "id") == f"urn:districtwiki:revision:{base}"


def test_page_feed_lists_only_that_page(client, wifi):
    feed = entries(client.get("/feeds/page/Wifi.atom"))
    assert [entry_field(entry, "id") for entry in feed] == [
        f"urn:districtwiki:revision:{pk}"
        for pk in Revision.objects.for_page(wifi).values_list("pk", flat=True)
    ]


def test_page_feed_accepts_subpage_titles(client, make_page):
    make_page("Budget/2025", "Numbers.")
    assert len(entries(client.get("/feeds/page/Budget/2025.atom"))) == 1


def test_page_feed_for_a_missing_page_is_a_404(client, wifi):
    response = client.get("/feeds/page/Zeppelin.atom")
    assert response.status_code == 404
    assert "There is no page called “Zeppelin”." in response.content.decode()


def test_page_feed_for_a_deleted_page_is_a_404(client, wifi, ada):
    actions.delete_page(wifi, ada)
    assert client.get("/feeds/page/Wifi.atom").status_code == 404


def test_page_feed_with_an_invalid_title_is_a_400(client, wifi):
    response = client.get("/feeds/page/Wi<fi>.atom")
    assert response.status_code == 400
    assert "Titles cannot contain the character &quot;&lt;&quot;." in response.content.decode()


def test_feed_query_count_does_not_grow(client, wifi, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get("/feeds/recent.atom")
