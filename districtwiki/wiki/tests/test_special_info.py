"""/special/info/<Title> and /special/log."""

import pytest
import time_machine

from districtwiki.wiki import actions
from districtwiki.wiki.models import LogEntry, Page, Revision


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), Revision.objects.count(), LogEntry.objects.count()


@pytest.fixture
def wifi(make_page, alice, bob):
    with time_machine.travel("2026-03-01 09:00 +0000", tick=False):
        first = make_page("Wifi", "Access points. [[Network]] [[Category:Gear]]", author=alice)
    with time_machine.travel("2026-03-02 10:30 +0000", tick=False):
        make_page("Wifi", "More access points. [[Network]] [[Switches]] [[Category:Gear]]", author=bob,
                  base_revision=first.revision.pk)  # fmt: skip
    make_page("Network", "See [[Wifi]].")
    page = Page.objects.get(title="Wifi")
    actions.set_watch(page, alice, True)
    actions.protect_page(page, "trusted", bob)
    return page


def info(client, title="Wifi"):
    return client.get(f"/special/info/{title}")


def test_info_counts_revisions_watchers_and_links(client, wifi):
    context = info(client).context
    # alice watches it, and bob does too: editing a page watches it (notifications' auto-watch setting).
    assert (context["revision_count"], context["watchers"]) == (2, 2)
    assert (context["outgoing_links"], context["backlinks"]) == (2, 1)


def test_info_names_the_first_and_latest_authors(client, wifi):
    context = info(client).context
    assert (context["first"].author_name, context["latest"].author_name) == ("alice", "bob")


def test_info_shows_dates_size_categories_and_protection(client, wifi):
    content = info(client).content.decode()
    assert "1 Mar 2026, 09:00" in content and "2 Mar 2026, 10:30" in content
    assert f"{wifi.latest.size} bytes" in content
    assert 'href="/category/Gear"' in content
    assert "Trusted members and admins" in content


def test_info_for_a_missing_page_is_a_404(client, wifi):
    response = info(client, "Zeppelin")
    assert response.status_code == 404
    assert "There is no page called “Zeppelin”." in response.content.decode()


def test_info_for_a_deleted_page_is_a_404(client, wifi, ada):
    actions.delete_page(wifi, ada)
    assert info(client).status_code == 404


def test_info_with_an_invalid_title_is_a_400(client, wifi):
    before = counts()
    response = info(client, "Wi{fi}")
    assert response.status_code == 400
    assert "Titles cannot contain the character &quot;{&quot;." in response.content.decode()
    assert counts() == before


# --- Log ------------------------------------------------------------------------------------------------


def test_log_lists_entries_newest_first(client, wifi, ada):
    actions.delete_page(Page.objects.get(title="Network"), ada, "spam")
    entries = list(client.get("/special/log").context["listing"])
    assert [entry.action for entry in entries] == ["delete", "protect"]


def test_log_shows_who_did_what(client, wifi):
    content = client.get("/special/log").content.decode()
    assert "Edit: Trusted members and admins" in content
    assert "bob" in content


def test_log_filters_by_action(client, wifi, ada):
    actions.delete_page(Page.objects.get(title="Network"), ada)
    entries = list(client.get("/special/log", {"action": "protect"}).context["listing"])
    assert [entry.action for entry in entries] == ["protect"]


def test_log_with_an_unknown_action_is_a_400(client, wifi):
    before = counts()
    response = client.get("/special/log", {"action": "explode"})
    assert response.status_code == 400
    assert "“explode” is not a logged action" in response.content.decode()
    assert counts() == before


def test_empty_log_gets_a_message(client, db):
    assert "Nothing has been logged yet." in client.get("/special/log").content.decode()


def test_log_bad_page_number_is_a_400(client, wifi):
    assert client.get("/special/log", {"page": "-1"}).status_code == 400
