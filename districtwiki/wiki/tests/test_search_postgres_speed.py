"""What fast PostgreSQL search relies on: documents inline, an index for title matches, one statement for a
page of results, and snippets cut from the start of long pages that still show a match further down.

The snippet tests run on both databases (the behaviour is the same); the others only on PostgreSQL.
"""

import pytest
from django.db import connection

from districtwiki.wiki import search

# Longer than the part of the body a snippet was once cut from on PostgreSQL (2,000 characters).
FILLER = "Access points need firmware updates before the school year starts. " * 60

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL search only")


def test_match_deep_in_a_long_page_is_highlighted(make_page):
    make_page("Wireless survey", FILLER + "The zanzibarite controller failed twice.")
    hit = search.search_pages("zanzibarite").hits[0]
    assert "<mark>zanzibarite</mark>" in hit.snippet


def test_title_only_match_on_a_long_page_has_a_snippet(make_page):
    make_page("Zanzibarite review", FILLER)
    results = search.search_pages("zanzibarite")
    assert [hit.title for hit in results.hits] == ["Zanzibarite review"]
    assert "Access points" in results.hits[0].snippet
    assert "<mark>" not in results.hits[0].snippet


@postgres_only
def test_page_of_results_is_a_capped_count_and_one_statement(make_page, django_assert_num_queries):
    for number in range(3):
        make_page(f"Switch {number}", "Network switch notes. " + FILLER)
    with django_assert_num_queries(2) as queries:
        results = search.search_pages("switch", limit=2)
    assert (len(results.hits), results.total, results.total_is_estimate) == (2, 3, False)
    assert "LIMIT" in queries.captured_queries[0]["sql"]


@postgres_only
def test_documents_are_read_inline_and_title_matches_from_an_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'wiki_search_index'::regclass AND attname = 'document'"
        )
        assert cursor.fetchone() == ("m",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'wiki_search_index_title'")
        assert "gin (title_document)" in cursor.fetchone()[0]
