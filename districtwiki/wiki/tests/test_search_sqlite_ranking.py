"""SQLite search ranking: title matches first, bm25 within each group, and the bounded ranking of a query
that matches at least half of the pages (its WINDOW newest pages by bm25, then the older ones newest first).

WINDOW is made small here so that a handful of pages shows the same rule as 100,000.
"""

import pytest
from django.db import connection

from districtwiki.wiki import actions, search
from districtwiki.wiki.search import sqlite

from .search_ranking import every_page, titles

pytestmark = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite search only")


@pytest.fixture
def window_of_three(monkeypatch):
    monkeypatch.setattr(sqlite, "WINDOW", 3)


def test_common_word_ranks_its_newest_pages_then_the_older_ones_newest_first(
    window_of_three, common_word_pages
):
    assert titles("district") == ["New 3", "New 2", "New 1", "Old 3", "Old 2", "Old 1"]


def test_word_on_under_half_the_pages_is_ranked_by_bm25_over_every_match(window_of_three, make_page):
    for number, mentions in ((1, 6), (2, 5), (3, 4), (4, 1), (5, 2), (6, 3)):
        make_page(f"Wifi {number}", "Notes. " + "The access point. " * mentions + "Filler words here. " * 5)
    for number in range(7):
        make_page(f"Printer {number}", "Toner and paper.")
    assert titles("access") == ["Wifi 1", "Wifi 2", "Wifi 3", "Wifi 6", "Wifi 5", "Wifi 4"]


def test_old_title_match_outranks_every_newer_body_match(window_of_three, make_page):
    make_page("District overview", "Where we are.")
    for number in range(6):
        make_page(f"Notes {number}", "The district plan. " * 3)
    # The newest three tie on bm25 and go by title; the older ones follow, newest first.
    assert titles("district") == [
        "District overview",
        "Notes 3",
        "Notes 4",
        "Notes 5",
        "Notes 2",
        "Notes 1",
        "Notes 0",
    ]


def test_every_match_is_on_exactly_one_page_of_results(window_of_three, make_page, common_word_pages):
    make_page("District plan", "How we plan.")
    expected = titles("district")
    for page_size in (1, 2, 4):
        assert every_page("district", page_size) == expected
    assert len(expected) == search.search_pages("district").total == 7


def test_small_result_sets_are_not_bounded(window_of_three, make_page):
    make_page("Budget", "The budget.")
    make_page("Old notes", "Budget budget budget budget for the year.")
    make_page("New notes", "A budget.")
    assert titles("budget") == ["Budget", "Old notes", "New notes"]


def test_total_counts_live_articles_only(make_page, ada):
    first = make_page("Firewall", "Block inbound telnet.")
    make_page("Firewall", "#REDIRECT [[Firewall rules]]", base_revision=first.revision.pk)
    deleted = make_page("Old firewall", "Telnet was allowed.").page
    actions.delete_page(deleted, ada)
    make_page("Firewall rules", "Telnet is blocked.")
    results = search.search_pages("telnet")
    assert (results.total, [hit.title for hit in results.hits]) == (1, ["Firewall rules"])


def test_bounded_ranking_is_bm25_within_the_window(window_of_three, common_word_pages):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT wiki_page.title {sqlite.LIVE_ARTICLE_JOIN} ORDER BY {sqlite.BM25}, wiki_page.title",
            ['"district"'],
        )
        by_bm25 = [title for (title,) in cursor.fetchall()]
    window = [title for title in by_bm25 if title.startswith("New")]
    assert titles("district", limit=3) == window
