"""Search finds words however people type them: hyphenated or joined, letters and digits apart or together,
and one-to-one in its spellings; snippets prefer the page's body to its closing lists; a search that finds
nothing suggests titles. Run on whichever database is configured, on small pages and on the starter content.
"""

import html
import re
import time

import pytest
from django.db import transaction

from districtwiki.content import loader
from districtwiki.wiki import frontmatter, search
from districtwiki.wiki.models import Page
from districtwiki.wiki.search.query import parse_query
from districtwiki.wiki.search.spellings import MAX_JOINED_CHARS, joined_words
from districtwiki.wiki.search.text import make_snippet, marked_snippet, term_pattern

from . import pathological


def found(text: str) -> list[str]:
    return [hit.title for hit in search.search_pages(text).hits]


def snippet(text: str, query: str) -> str:
    return str(marked_snippet(make_snippet(text, term_pattern(parse_query(query).terms))))


# --- Spellings on small pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["erate", "e-rate", "E-Rate", "e rate", "ERATE"])
def test_every_spelling_of_a_hyphenated_word_finds_it(make_page, query):
    make_page("Funding", "The E-Rate program discounts internet service.")
    assert found(query) == ["Funding"]


@pytest.mark.parametrize("query", ["wifi", "wi-fi", "Wi-Fi"])
def test_a_joined_word_in_the_page_is_found_hyphenated(make_page, query):
    make_page("Wireless", "Plan the school WiFi before the bid.")
    assert found(query) == ["Wireless"]


def test_k12_and_k_dash_12_find_each_other(make_page):
    make_page("Sector", "Attacks on the K-12 sector rose.")
    make_page("Exchange", "The K12 SIX exchange shares alerts.")
    assert sorted(found("k12")) == ["Exchange", "Sector"]
    assert sorted(found("K-12")) == ["Exchange", "Sector"]


def test_a_quoted_phrase_with_a_hyphenated_number_matches(make_page):
    # PostgreSQL's parser read "K-12" as "k" and the number "-12", so this phrase found nothing there.
    make_page("Sector", "Attacks on the K-12 sector rose.")
    assert found('"k-12 sector"') == ["Sector"]


def test_letters_and_digits_typed_together_find_them_apart(make_page):
    make_page("Bidding", "Post the Form 470 and wait 28 days.")
    assert found("form470") == ["Bidding"]


@pytest.mark.parametrize("query", ["one-to-one", "1-to-1", "1:1", '"one to one"'])
def test_one_to_one_is_found_in_each_spelling(make_page, query):
    make_page("Devices A", "Our one-to-one program gives every student a laptop.")
    make_page("Devices B", "A 1:1 rollout needs cases and spares.")
    make_page("Devices C", "Going 1-to-1 in grades 6 to 12.")
    assert sorted(found(query)) == ["Devices A", "Devices B", "Devices C"]


def test_part_of_a_longer_hyphenated_word_is_found_joined(make_page):
    make_page("Eligibility", "Only E-Rate-eligible equipment counts.")
    assert found("erate") == ["Eligibility"]


def test_joined_spelling_is_highlighted_as_written(make_page):
    make_page("Funding", "The E-Rate program discounts internet service.")
    assert "<mark>E-Rate</mark>" in str(search.search_pages("erate").hits[0].snippet)


def test_hyphenated_query_is_highlighted_where_the_page_joins_it(make_page):
    make_page("Wireless", "Plan the school WiFi before the bid.")
    assert "<mark>WiFi</mark>" in str(search.search_pages("wi-fi").hits[0].snippet)


def test_title_with_a_joined_spelling_ranks_first(make_page):
    make_page("Meeting notes", "We discussed E-Rate and the erate budget, E-Rate again and again.")
    make_page("E-Rate in brief", "A short page.")
    assert found("erate") == ["E-Rate in brief", "Meeting notes"]


def test_dates_and_long_slugs_are_not_joined():
    assert joined_words("On 2026-11-28 see a-b-c-d-e-f-g-h.") == ""


def test_joined_words_of_a_huge_page_are_bounded():
    assert len(joined_words("e-rate " * 100_000)) <= MAX_JOINED_CHARS


@pytest.mark.parametrize("name", sorted(pathological.corpus(1024)))
def test_joined_words_of_every_pathological_text_cost_little(name):
    # A run of letters without a hyphen was once read again from each of its letters: minutes at this size.
    text = pathological.corpus(256 * 1024)[name]
    started = time.process_time()
    joined_words(text)
    joined_words(text.replace("a", "a-"))
    assert time.process_time() - started < 1.0


# --- Snippets prefer the body ----------------------------------------------------------------------------

BODY_AND_SOURCES = (
    "Intro line about budgets.\nEvery district files a form each winter; the 470 opens the bidding.\n"
    + "Filler sentence about other things entirely. " * 6
    + "\nSources\nE-Rate Form 470 FAQ, USAC, 2024.\nE-Rate Form 470 user guide, USAC, 2025."
)


def test_snippet_prefers_the_body_to_the_sources_list():
    text = snippet(BODY_AND_SOURCES, "e-rate form 470")
    assert "<mark>470</mark> opens the bidding" in text
    assert "USAC" not in text


def test_snippet_comes_from_the_sources_when_only_they_match():
    assert "<mark>FAQ</mark>, USAC" in snippet(BODY_AND_SOURCES, "faq")


# --- Did you mean ----------------------------------------------------------------------------------------


@pytest.fixture
def titled_pages(make_page):
    make_page("Chromebook management", "Enrol devices in the console.")
    make_page("Content filtering", "CIPA requires a filter.")


def test_misspelt_query_suggests_a_corrected_query_and_titles(titled_pages):
    suggestions = search.suggestions_for("chromebok managment")
    assert suggestions.query == "chromebook management"
    assert suggestions.titles == ["Chromebook management"]


def test_query_far_from_every_title_suggests_nothing(titled_pages):
    assert not search.suggestions_for("zeppelin")


def test_new_title_is_suggested_at_once(titled_pages, make_page):
    assert not search.suggestions_for("zeppelin")
    make_page("Zeppelin hangar", "Big.")
    assert search.suggestions_for("zepelin").titles == ["Zeppelin hangar"]


def test_search_page_shows_did_you_mean(client, titled_pages):
    content = client.get("/special/search", {"q": "chromebok"}).content.decode()
    assert "Did you mean" in content
    assert 'href="/special/search?q=chromebook&amp;fulltext=1"' in content
    assert '<a href="/wiki/Chromebook_management">Chromebook management</a>' in content


def test_search_page_with_results_shows_no_suggestions(client, titled_pages):
    response = client.get("/special/search", {"q": "console"})
    assert response.context["suggestions"] is None
    assert "Did you mean" not in response.content.decode()


# --- Bounded cost --------------------------------------------------------------------------------------

PATHOLOGICAL_QUERIES = [
    "-".join(["e"] * 500),
    "e-rate " * 200,
    "x" * 10_000,
    "a1" * 5_000,
    " ".join(f"w{i}-x{i}" for i in range(300)),
    "1:1 " * 300,
    "-" * 10_000,
]


@pytest.mark.parametrize("query", PATHOLOGICAL_QUERIES, ids=range(len(PATHOLOGICAL_QUERIES)))
def test_pathological_query_costs_little(client, make_page, settings, query):
    settings.EDIT_RATE_LIMIT = 1_000
    make_page("Hyphens", "e-" * 20_000 + " " + "e-rate " * 5_000)
    make_page("Words", "a1 " * 20_000)
    started = time.process_time()
    assert client.get("/special/search", {"q": query}).status_code == 200
    assert client.get("/api/v1/search", {"q": query}).status_code == 200
    assert time.process_time() - started < 2.0


# --- The starter content ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def starter_content(django_db_setup, django_db_blocker):
    """The starter pages, loaded once for the module inside a transaction that is rolled back after it
    (each test's own transaction nests inside as a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        loader.load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def starter(starter_content, db):
    return starter_content


@pytest.mark.parametrize("query", ["erate form 470", "e-rate form 470", "E-Rate form 470", "e rate form 470"])
def test_starter_content_finds_form_470_in_every_spelling(starter, query):
    assert search.search_pages(query).total == search.search_pages("form 470").total >= 8


def test_starter_content_finds_erate_deadline(starter):
    assert search.search_pages("erate deadline").total == search.search_pages("e-rate deadline").total > 0


@pytest.mark.parametrize("query", ["wifi", "wi fi", "Wi-Fi"])
def test_starter_content_finds_wifi(starter, query):
    assert search.search_pages(query).total == search.search_pages("wi-fi").total > 0


def test_starter_content_k12_finds_the_cisa_page_first(starter):
    assert found("k12 cybersecurity")[0] == "CISA first steps for K-12 cybersecurity"


def test_starter_content_one_to_one_spellings_find_the_program_page_first(starter):
    for query in ("1:1", "1-to-1", "one-to-one"):
        assert found(query)[0] == "One-to-one programs and device lifecycle", query


def test_starter_content_erate_finds_titles_first(starter):
    titles = found("erate")[:5]
    assert len(titles) == 5 and all("E-Rate" in title for title in titles), titles


def test_starter_content_snippets_come_from_the_body(starter):
    # The pages' closing Sources lists cite "The State of K-12 Cybersecurity … K12 SIX" over and over: a
    # snippet must quote the text above them.
    checked = 0
    for hit in search.search_pages("k12 cybersecurity").hits:
        _, text = frontmatter.split(Page.objects.get(pk=hit.page_id).latest.text)
        body = " ".join(words(text.split("\n## Sources")[0]))
        if not ("cybersecurity" in body.lower() and re.search(r"\bk ?12\b", body.lower())):
            continue  # the body lacks a word: a snippet from the sources is the best there is
        quoted = words(html.unescape(re.sub(r"</?mark>", "", str(hit.snippet))))
        middle = quoted[len(quoted) // 2 - 3 : len(quoted) // 2 + 3]
        assert " ".join(middle) in body, hit.title
        checked += 1
    assert checked >= 3


def words(text: str) -> list[str]:
    """The words of Markdown or of a snippet made from it, without the markup between them."""
    return re.findall(r"[A-Za-z0-9]+", text)


def test_starter_content_form_470_snippets_mark_the_words(starter):
    hits = {hit.title: str(hit.snippet) for hit in search.search_pages("erate form 470").hits}
    assert "<mark>Form</mark> <mark>470</mark>" in hits["Competitive bidding and the 28-day rule"]
    assert "<mark>E-Rate</mark>" in hits["Competitive bidding and the 28-day rule"]


def test_starter_content_suggests_a_title_for_a_misspelling(starter):
    suggestions = search.suggestions_for("cybersecurty pilot")
    assert suggestions.query == "cybersecurity pilot"
    assert "The Schools and Libraries Cybersecurity Pilot Program" in suggestions.titles
