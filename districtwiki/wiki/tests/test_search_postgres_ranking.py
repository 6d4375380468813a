"""PostgreSQL search of a large result set: more than WINDOW matches are ranked as a window (the WINDOW newest
matches and the newest title matches) followed by the other matches newest first, and more than COUNT_LIMIT
matches are given an estimated total, said to be one.

WINDOW and COUNT_LIMIT are made small here so that a handful of pages shows the same rule as 100,000.
"""

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from districtwiki.wiki import actions, search
from districtwiki.wiki.search import postgres

from .search_ranking import every_page, titles

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL search only")


@pytest.fixture
def window_of_three(monkeypatch):
    monkeypatch.setattr(postgres, "WINDOW", 3)
    monkeypatch.setattr(postgres, "COUNT_LIMIT", 5)


def test_large_result_set_ranks_its_newest_pages_then_the_older_ones_newest_first(
    window_of_three, common_word_pages
):
    assert titles("district") == ["New 3", "New 2", "New 1", "Old 3", "Old 2", "Old 1"]


def test_small_result_set_is_ranked_over_every_match(window_of_three, make_page):
    make_page("Budget", "The budget.")
    make_page("Old notes", "Budget budget budget budget for the year.")
    make_page("New notes", "A budget.")
    assert titles("budget") == ["Budget", "Old notes", "New notes"]


def test_the_best_match_of_a_huge_result_set_is_kept_first(window_of_three, make_page):
    """The page about the word, saved before the many that mention it, still comes first: the window
    holds every title match, however old."""
    make_page("District technology plan", "The district plan for every school. " * 3)
    for number in range(8):
        make_page(f"Meeting notes {number}", f"The district met on day {number}. " + "Other business. " * 5)
    results = search.search_pages("district", limit=3)
    assert results.hits[0].title == "District technology plan"
    assert "<mark>district</mark>" in results.hits[0].snippet.lower()


def test_title_matches_of_a_multi_word_query_lead_a_huge_result_set(window_of_three, make_page):
    make_page("Wireless survey", "Our wireless survey of every building, room by room.")
    for number in range(6):
        make_page(f"Notes {number}", "A wireless note and a survey form. " * (number + 1))
    assert titles("wireless survey", limit=1) == ["Wireless survey"]


def test_every_match_is_on_exactly_one_page_of_results(window_of_three, make_page, common_word_pages):
    make_page("District plan", "How we plan.")
    expected = titles("district")
    assert len(expected) == len(set(expected)) == 7
    for page_size in (1, 2, 4):
        assert every_page("district", page_size) == expected


def test_total_past_the_count_limit_is_an_estimate(window_of_three, common_word_pages):
    results = search.search_pages("district")
    assert results.total_is_estimate
    assert results.total >= postgres.COUNT_LIMIT + 1


def test_total_up_to_the_count_limit_is_exact(window_of_three, make_page):
    for number in range(4):
        make_page(f"Router {number}", "The router config.")
    results = search.search_pages("router")
    assert (results.total, results.total_is_estimate) == (4, False)


def test_estimates_are_rounded_to_two_significant_digits():
    numbers = (7, 5_001, 10_049, 100_050, 123_456)
    assert [postgres.rounded(n) for n in numbers] == [7, 5_000, 10_000, 100_000, 120_000]


def test_a_large_result_set_holds_live_articles_only(window_of_three, make_page, ada, common_word_pages):
    deleted = make_page("Old district", "The district plan before.").page
    actions.delete_page(deleted, ada)
    first = make_page("District map", "The district map.")
    make_page("District map", "#REDIRECT [[District plan]]", base_revision=first.revision.pk)
    assert "Old district" not in every_page("district", 2)
    assert "District map" not in every_page("district", 2)


def test_a_page_of_a_huge_result_set_costs_a_bounded_number_of_statements(
    window_of_three, common_word_pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # the capped count, the estimate, the ranked window
        search.search_pages("district", limit=2)
    with django_assert_max_num_queries(5):  # and, past the window, where it ends and the rest
        search.search_pages("district", limit=2, offset=4)


# --- How an estimated total is shown ---------------------------------------------------------------------


@pytest.fixture
def search_pages_of_two(monkeypatch):
    from districtwiki.wiki.views import special

    monkeypatch.setattr(special, "SEARCH_PAGE_SIZE", 2)


def test_search_page_says_the_total_is_an_estimate(window_of_three, common_word_pages, client):
    page = client.get("/special/search", {"q": "district", "fulltext": "1"}).content.decode()
    total = search.search_pages("district").total
    assert f"About {total:,} pages match (an estimate" in page


def test_search_page_of_an_estimate_pages_on_while_results_come(
    window_of_three, common_word_pages, client, search_pages_of_two
):
    pages = [client.get("/special/search", {"q": "district", "fulltext": "1", "page": n}) for n in (1, 3)]
    assert 'rel="next"' in pages[0].content.decode()
    assert 'rel="next"' in pages[1].content.decode()  # pages 1–3 hold all six, full: one more is offered
    past = client.get("/special/search", {"q": "district", "fulltext": "1", "page": 4})
    assert past.status_code == 400
    assert "There is no page 4 of these results" in past.content.decode()


def test_rest_api_says_the_total_is_an_estimate(window_of_three, common_word_pages, client):
    body = client.get("/api/v1/search", {"q": "district"}).json()
    assert body["total_is_estimate"] is True
    assert body["total"] == search.search_pages("district").total
    assert len(body["hits"]) == 6


def test_action_api_says_the_total_is_an_estimate(window_of_three, common_word_pages, client, make_page):
    make_page("Router", "The router config.")
    params = {"action": "query", "list": "search", "srsearch": "district", "format": "json"}
    params["formatversion"] = "2"
    info = client.get("/w/api.php", params).json()["query"]["searchinfo"]
    assert info == {"totalhits": search.search_pages("district").total, "totalhitsestimated": True}
    exact = client.get("/w/api.php", {**params, "srsearch": "router"}).json()
    assert exact["query"]["searchinfo"] == {"totalhits": 1}
