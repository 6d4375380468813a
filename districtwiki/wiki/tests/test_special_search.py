"""/special/search: go straight to an exact title, otherwise list full-text results."""

import pytest

from districtwiki.wiki import actions
from districtwiki.wiki.models import LogEntry, Page, Revision


def search(client, **params):
    return client.get("/special/search", params)


def nothing_written(before: tuple[int, int, int]) -> bool:
    return before == (Page.objects.count(), Revision.objects.count(), LogEntry.objects.count())


@pytest.fixture
def wifi(make_page):
    return make_page("Wifi budget", "Access points and the E-Rate <b>budget</b>.").page


def test_empty_query_shows_a_prompt(client, db):
    response = search(client, q="   ")
    assert response.status_code == 200
    assert b"Type what you are looking for" in response.content


def test_exact_title_goes_to_the_page(client, wifi):
    response = search(client, q="wifi_budget")
    assert response.status_code == 302
    assert response["Location"] == "/wiki/Wifi_budget"


def test_exact_title_of_a_redirect_goes_to_its_target(client, wifi, make_page):
    make_page("Wireless", "#REDIRECT [[Wifi budget]]")
    assert search(client, q="wireless")["Location"] == "/wiki/Wifi_budget"


def test_fulltext_flag_lists_results_for_an_exact_title(client, wifi):
    response = search(client, q="Wifi budget", fulltext="1")
    assert response.status_code == 200
    assert [hit.title for hit in response.context["results"].hits] == ["Wifi budget"]


def test_deleted_page_title_is_not_a_shortcut(client, wifi, ada):
    actions.delete_page(wifi, ada)
    response = search(client, q="Wifi budget")
    assert response.status_code == 200
    assert response.context["results"].total == 0


def test_results_show_linked_titles_and_highlighted_snippets(client, wifi):
    response = search(client, q="access points")
    content = response.content.decode()
    assert '<a href="/wiki/Wifi_budget">Wifi budget</a>' in content
    assert "<mark>" in content
    assert "<b>budget</b>" not in content


def test_search_box_keeps_the_query(client, wifi):
    response = search(client, q="access <points>")
    assert response.context["search_query"] == "access <points>"
    assert 'value="access &lt;points&gt;"' in response.content.decode()


def test_no_results_gets_a_polite_message(client, wifi):
    response = search(client, q="zeppelin")
    assert response.status_code == 200
    assert "No pages match “zeppelin”" in response.content.decode()


def test_missing_title_offers_to_create_it(client, wifi):
    response = search(client, q="zeppelin hangar")
    assert '<a href="/edit/Zeppelin_hangar">' in response.content.decode()


def test_existing_title_is_not_offered_for_creation(client, wifi):
    response = search(client, q="wifi budget", fulltext="1")
    assert response.context["create_title"] is None


def test_deleted_title_is_not_offered_for_creation(client, wifi, ada):
    actions.delete_page(wifi, ada)
    assert search(client, q="Wifi budget").context["create_title"] is None


def test_invalid_title_is_searched_without_a_create_link(client, wifi):
    response = search(client, q="access [points]")
    assert response.status_code == 200
    assert response.context["create_title"] is None
    assert response.context["results"].total == 1


@pytest.mark.parametrize(
    # A NUL is refused before any view runs (test_nul_refused.py).
    "query",
    ['"unbalanced', "NEAR(a, b) OR NOT c", "title:wifi", "^-*:", "x" * 10_000, "((((", "*"],
)
def test_odd_queries_answer_normally(client, wifi, query):
    response = search(client, q=query, fulltext="1")
    assert response.status_code == 200


def test_punctuation_only_query_is_explained(client, wifi):
    response = search(client, q="*** ((( ???")
    assert response.status_code == 200
    assert "punctuation alone matches nothing" in response.content.decode()


def test_operator_note_is_shown(client, wifi):
    response = search(client, q="wifi OR budget", fulltext="1")
    assert "no operators such as OR" in response.content.decode()


@pytest.fixture
def many_switches(make_page):
    for number in range(25):
        make_page(f"Switch {number:02}", "Notes on a managed switch.")


def test_first_page_has_twenty_results_and_a_next_link(client, many_switches):
    response = search(client, q="managed")
    assert len(response.context["results"].hits) == 20
    assert response.context["next_url"] == "?q=managed&page=2"


def test_second_page_has_the_rest(client, many_switches):
    response = search(client, q="managed", page="2")
    assert len(response.context["results"].hits) == 5
    assert response.context["next_url"] is None
    assert response.context["previous_url"] == "?q=managed&page=1"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "²", "9" * 40])
def test_bad_page_number_is_a_400(client, many_switches, page):
    before = (Page.objects.count(), Revision.objects.count(), LogEntry.objects.count())
    response = search(client, q="managed", page=page)
    assert response.status_code == 400
    assert "must be a whole number from 1 up" in response.content.decode()
    assert nothing_written(before)


def test_page_past_the_end_is_a_400(client, many_switches):
    response = search(client, q="managed", page="3")
    assert response.status_code == 400
    assert "There is no page 3 of these results: there are 2." in response.content.decode()


def test_post_is_not_allowed(client, db):
    assert client.post("/special/search", {"q": "x"}).status_code == 405
