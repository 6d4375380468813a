"""/special/backlinks/<Title>, /category/<Name> and /special/categories."""

import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import LogEntry, Page, Revision


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), Revision.objects.count(), LogEntry.objects.count()


@pytest.fixture
def wiki(make_page):
    make_page("Wifi", "Access points. [[Category:Network gear]]")
    make_page("Wireless", "#REDIRECT [[Wifi]]")
    make_page("Network", "See [[Wifi]].")
    make_page("Budget", "See [[Wireless]]. [[Category:Network gear]] [[Category:Planning]]")
    make_page("Category:Network gear", "Everything on the **wire** and [[Nowhere]].")


# --- Backlinks ------------------------------------------------------------------------------------------


def backlink_rows(response) -> list[tuple[str, str]]:
    return [(link.source.title, link.target) for link in response.context["listing"]]


def test_backlinks_list_pages_linking_directly_and_through_redirects(client, wiki):
    response = client.get("/special/backlinks/Wifi")
    assert backlink_rows(response) == [("Budget", "Wireless"), ("Network", "Wifi"), ("Wireless", "Wifi")]


def test_backlinks_mark_redirects_and_links_through_them(client, wiki):
    content = client.get("/special/backlinks/Wifi").content.decode()
    assert "(through the redirect “Wireless”)" in content
    assert "(redirect)" in content


def test_backlinks_accept_a_title_in_any_form(client, wiki):
    assert backlink_rows(client.get("/special/backlinks/wifi"))[1] == ("Network", "Wifi")


def test_backlinks_to_a_missing_but_linked_title(client, wiki):
    response = client.get("/special/backlinks/Nowhere")
    assert response.status_code == 200
    assert backlink_rows(response) == [("Category:Network gear", "Nowhere")]


def test_backlinks_to_an_unknown_title_is_a_404(client, wiki):
    response = client.get("/special/backlinks/Zeppelin")
    assert response.status_code == 404
    assert "There is no page called “Zeppelin”, and no page links to that title." in response.content.decode()


def test_backlinks_with_an_invalid_title_is_a_400(client, wiki):
    before = counts()
    response = client.get("/special/backlinks/Bad[title]")
    assert response.status_code == 400
    assert "Titles cannot contain the character &quot;[&quot;." in response.content.decode()
    assert counts() == before


def test_links_from_deleted_pages_are_not_backlinks(client, wiki, ada):
    actions.delete_page(Page.objects.get(title="Network"), ada)
    assert ("Network", "Wifi") not in backlink_rows(client.get("/special/backlinks/Wifi"))


# --- A category -----------------------------------------------------------------------------------------


def member_titles(response) -> list[str]:
    return [membership.page.title for membership in response.context["listing"]]


def test_category_lists_its_pages_alphabetically(client, wiki):
    assert member_titles(client.get("/category/Network_gear")) == ["Budget", "Wifi"]


def test_category_shows_its_description_page(client, wiki):
    content = client.get("/category/Network_gear").content.decode()
    assert "<strong>wire</strong>" in content
    assert 'class="wikilink new"' in content


def test_category_without_a_description_page_still_lists_members(client, wiki):
    response = client.get("/category/planning")
    assert response.status_code == 200
    assert member_titles(response) == ["Budget"]
    assert "This category has no description yet." in response.content.decode()


def test_category_with_a_page_but_no_members(client, make_page):
    make_page("Category:Empty", "Nothing yet.")
    response = client.get("/category/Empty")
    assert response.status_code == 200
    assert "No pages are in this category yet." in response.content.decode()


def test_unknown_category_is_a_404(client, wiki):
    response = client.get("/category/Zeppelins")
    assert response.status_code == 404
    assert "There is no category called “Zeppelins”" in response.content.decode()


def test_category_with_an_invalid_name_is_a_400(client, wiki):
    before = counts()
    response = client.get("/category/Bad|name")
    assert response.status_code == 400
    assert "Titles cannot contain the character &quot;|&quot;." in response.content.decode()
    assert counts() == before


def test_deleted_member_leaves_the_category(client, wiki, ada):
    actions.delete_page(Page.objects.get(title="Wifi"), ada)
    assert member_titles(client.get("/category/Network_gear")) == ["Budget"]


def test_category_members_are_paged_by_two_hundred(client, make_page):
    for number in range(201):
        make_page(f"Member {number:03}", "[[Category:Big]]")
    response = client.get("/category/Big", {"page": "2"})
    assert member_titles(response) == ["Member 200"]


def test_category_bad_page_number_is_a_400(client, wiki):
    response = client.get("/category/Network_gear", {"page": "nope"})
    assert response.status_code == 400


# --- All categories -------------------------------------------------------------------------------------


def test_categories_are_listed_with_counts(client, wiki):
    rows = list(client.get("/special/categories").context["listing"])
    assert [(row["category"], row["count"]) for row in rows] == [("Network gear", 2), ("Planning", 1)]


def test_categories_link_to_their_pages(client, wiki):
    assert 'href="/category/Network_gear"' in client.get("/special/categories").content.decode()


def test_no_categories_gets_a_message(client, db):
    assert "No page is in a category yet." in client.get("/special/categories").content.decode()
