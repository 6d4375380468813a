"""/special/all, /special/random, /special/wanted and /special/orphans."""

import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import LogEntry, Page, Revision


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), Revision.objects.count(), LogEntry.objects.count()


def titles(response) -> list[str]:
    return [page.title for page in response.context["listing"]]


@pytest.fixture
def wiki(make_page):
    make_page("Network", "See [[Wifi]], [[Switches]] and [[Firewall]].")
    make_page("Wifi", "Part of the [[Network]]. Also [[Switches]].")
    make_page("Wireless", "#REDIRECT [[Wifi]]")
    make_page("Budget", "No links here. [[Category:Planning]]")
    make_page("Budget/2025", "Next year: [[Firewall]].")
    make_page("Category:Planning", "Planning pages.")


# --- All pages ------------------------------------------------------------------------------------------


def test_all_pages_are_listed_alphabetically(client, wiki):
    assert titles(client.get("/special/all")) == [
        "Budget", "Budget/2025", "Category:Planning", "Network", "Wifi", "Wireless",
    ]  # fmt: skip


def test_redirects_are_marked_in_all_pages(client, wiki):
    assert "(redirect to Wifi)" in client.get("/special/all").content.decode()


def test_deleted_pages_are_not_listed(client, wiki, ada):
    actions.delete_page(Page.objects.get(title="Budget"), ada)
    assert "Budget" not in titles(client.get("/special/all"))


def test_prefix_filters_titles(client, wiki):
    assert titles(client.get("/special/all", {"prefix": "w"})) == ["Wifi", "Wireless"]


def test_prefix_may_end_with_a_slash(client, wiki):
    assert titles(client.get("/special/all", {"prefix": "Budget/"})) == ["Budget/2025"]


def test_prefix_with_forbidden_characters_is_a_400(client, wiki):
    before = counts()
    response = client.get("/special/all", {"prefix": "Bud[get"})
    assert response.status_code == 400
    assert "Titles cannot contain the character" in response.content.decode()
    assert counts() == before


def test_all_pages_are_paged_by_a_hundred(client, make_page):
    for number in range(101):
        make_page(f"Page {number:03}", "text")
    response = client.get("/special/all", {"page": "2"})
    assert titles(response) == ["Page 100"]
    assert response.context["listing"].previous_url == "?page=1"


@pytest.mark.parametrize("page", ["two", "0", "5"])
def test_bad_page_number_is_a_400(client, wiki, page):
    before = counts()
    response = client.get("/special/all", {"page": page})
    assert response.status_code == 400
    assert counts() == before


def test_page_past_the_end_names_the_last_page(client, wiki):
    response = client.get("/special/all", {"page": "5"})
    assert "There is no page 5 of this list: it has 1." in response.content.decode()


# --- Random page ----------------------------------------------------------------------------------------


def test_random_goes_to_an_article(client, make_page):
    make_page("Only article", "text")
    make_page("Redirect", "#REDIRECT [[Only article]]")
    make_page("Category:Things", "text")
    for _ in range(5):
        assert client.get("/special/random")["Location"] == "/wiki/Only_article"


def test_random_with_no_articles_is_a_friendly_page(client, db):
    response = client.get("/special/random")
    assert response.status_code == 200
    assert "There are no pages to choose from yet." in response.content.decode()


def test_random_skips_deleted_pages(client, make_page, ada):
    actions.delete_page(make_page("Gone", "text").page, ada)
    make_page("Here", "text")
    assert client.get("/special/random")["Location"] == "/wiki/Here"


# --- Wanted pages ---------------------------------------------------------------------------------------


def test_wanted_lists_missing_targets_most_wanted_first(client, wiki):
    rows = list(client.get("/special/wanted").context["listing"])
    assert [(row["target"], row["count"]) for row in rows] == [("Firewall", 2), ("Switches", 2)]


def test_wanted_links_to_the_edit_form(client, wiki):
    assert 'href="/edit/Firewall"' in client.get("/special/wanted").content.decode()


def test_wanted_file_links_to_upload(client, make_page):
    make_page("Logos", "![Logo](File:Logo.png)")
    assert 'href="/special/upload?name=Logo.png"' in client.get("/special/wanted").content.decode()


def test_created_page_is_no_longer_wanted(client, wiki, make_page):
    make_page("Firewall", "text")
    assert [row["target"] for row in client.get("/special/wanted").context["listing"]] == ["Switches"]


def test_links_from_deleted_pages_do_not_count(client, wiki, ada):
    actions.delete_page(Page.objects.get(title="Budget/2025"), ada)
    rows = list(client.get("/special/wanted").context["listing"])
    assert ("Firewall", 1) in [(row["target"], row["count"]) for row in rows]


# --- Orphans --------------------------------------------------------------------------------------------


def test_orphans_are_articles_nothing_links_to(client, wiki):
    assert titles(client.get("/special/orphans")) == ["Budget", "Budget/2025"]


def test_a_link_from_itself_does_not_adopt_a_page(client, wiki, make_page):
    make_page("Loner", "I link to [[Loner]].")
    assert "Loner" in titles(client.get("/special/orphans"))


def test_page_linked_only_from_a_deleted_page_is_an_orphan(client, wiki, ada):
    network = Page.objects.get(title="Network")
    actions.delete_page(Page.objects.get(title="Wifi"), ada)
    assert network.title in titles(client.get("/special/orphans"))
