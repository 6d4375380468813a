"""/special/titles: the editor's [[link]] picker asks it for titles starting with what was typed."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districtwiki.security import NUL_REFUSED
from districtwiki.wiki import actions, title_suggestions
from districtwiki.wiki.models import Page


@pytest.fixture
def wiki(make_page):
    for title in ["E-Rate basics", "E-Rate forms", "Ed tech plan", "Network", "Wireless", "Budget/2025"]:
        make_page(title, f"About {title}.")
    make_page("Wifi", "#REDIRECT [[Wireless]]")
    make_page("Category:Planning", "Planning pages.")


def suggestions(client, prefix):
    response = client.get("/special/titles", {"prefix": prefix})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["titles"]


def refusal(client, prefix) -> str:
    response = client.get("/special/titles", {"prefix": prefix})
    assert response.status_code == 400
    return response.json()["detail"]


def test_titles_starting_with_the_prefix_come_in_title_order(client, wiki):
    assert suggestions(client, "E-Rate") == ["E-Rate basics", "E-Rate forms"]


def test_prefix_matches_in_any_case(client, wiki):
    assert suggestions(client, "e-rATE f") == ["E-Rate forms"]


def test_underscores_are_spaces(client, wiki):
    assert suggestions(client, "e-rate_b") == ["E-Rate basics"]


def test_redirects_and_namespaces_are_suggested(client, wiki):
    assert suggestions(client, "wi") == ["Wifi", "Wireless"]
    assert suggestions(client, "category:") == ["Category:Planning"]


def test_a_word_inside_a_title_is_matched_after_the_prefix_matches(client, wiki):
    assert suggestions(client, "Ed") == ["Ed tech plan"]
    assert suggestions(client, "form") == ["E-Rate forms"]
    assert suggestions(client, "rat") == ["E-Rate basics", "E-Rate forms"]


def test_deleted_pages_are_not_suggested(client, wiki, ada):
    actions.delete_page(Page.objects.get(title="E-Rate forms"), ada)
    assert suggestions(client, "e-rate") == ["E-Rate basics"]


def test_at_most_ten_titles(client, make_page):
    for number in range(25):
        make_page(f"Switch {number:02}", "x")
    assert suggestions(client, "switch") == [f"Switch {number:02}" for number in range(10)]


def test_no_match_is_an_empty_list(client, wiki):
    assert suggestions(client, "Zebra") == []


def test_percent_and_underscore_are_not_wildcards(make_page):
    make_page("100% online", "x")
    make_page("100 units", "x")
    assert title_suggestions.titles_starting_with("100%") == ["100% online"]
    assert title_suggestions.titles_starting_with("10_") == []


def test_empty_prefix_is_400_with_a_message(client, db):
    assert refusal(client, "  ") == "Type the start of a page title to get suggestions."


def test_overlong_prefix_is_400_with_a_message(client, db):
    assert "at most 255 characters" in refusal(client, "a" * 256)


def test_character_no_title_may_contain_is_400(client, db):
    assert refusal(client, "a|b") == 'Titles cannot contain the character "|".'


def test_nul_is_400(client, db):
    # The security middleware refuses a NUL in any address before a view sees it.
    response = client.get("/special/titles", {"prefix": "a\x00b"})
    assert response.status_code == 400
    assert response.content.decode() == NUL_REFUSED


def test_post_is_405(client, db):
    assert client.post("/special/titles", {"prefix": "a"}).status_code == 405


def test_private_wiki_gives_no_titles_to_strangers(client, wiki, settings):
    settings.PRIVATE_WIKI = True
    response = client.get("/special/titles", {"prefix": "E"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_private_wiki_gives_titles_to_members(alice_client, wiki, settings):
    settings.PRIVATE_WIKI = True
    assert suggestions(alice_client, "E-Rate b") == ["E-Rate basics"]


def test_a_few_queries_whatever_the_prefix(client, wiki, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        suggestions(client, "netw")


@pytest.mark.parametrize(
    "prefix",
    ["a" * 255, " ".join(["a"] * 127), "%_" * 127, "\\" * 255, "é" * 255, "\U0010ffff" * 200, "a*" * 127],
    ids=["long-word", "many-words", "wildcards", "backslashes", "accents", "top-character", "stars"],
)
def test_pathological_prefixes_answer_quickly(client, make_page, prefix):
    make_page("Network", "x")
    started = time.perf_counter()
    response = client.get("/special/titles", {"prefix": prefix})
    assert time.perf_counter() - started < 1
    assert response.status_code == 200
    assert response.json()["titles"] == []


def test_prefix_range_reads_the_title_index(db):
    with CaptureQueriesContext(connection) as queries:
        title_suggestions.titles_starting_with("net")
    plan_sql = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(plan_sql + queries[0]["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "wiki_page_title_lower" in plan


def test_words_inside_a_title_must_follow_each_other(client, make_page):
    make_page("The E-Rate calendar", "x")
    make_page("Ed-Fi and state reporting", "x")
    assert suggestions(client, "e-r") == ["The E-Rate calendar"]


def test_a_hyphenated_word_is_found_however_it_is_typed(client, wiki):
    assert suggestions(client, "erate") == ["E-Rate basics", "E-Rate forms"]
