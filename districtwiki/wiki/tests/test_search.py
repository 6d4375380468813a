"""Full-text search: the query language, the index kept in step with saves, ranking, snippets, and fuzzing.

These run on whichever database is configured (SQLite FTS5 by default, PostgreSQL with DATABASE_URL).
"""

import hashlib
import html
import re

import nh3
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districtwiki.wiki import actions, markup, search
from districtwiki.wiki.search.query import MAX_TERMS, Term, parse_query
from districtwiki.wiki.search.text import BLOCK_TAGS, make_snippet, marked_snippet, plain_text, term_pattern

from . import xss_vectors


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def found(text: str) -> list[str]:
    return titles(search.search_pages(text))


def assert_snippet_safe(snippet: str) -> None:
    """Nothing in a snippet is markup except balanced <mark> tags."""
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert snippet.count("<mark>") == snippet.count("</mark>")


# --- Parsing what people type ---------------------------------------------------------------------------


def test_words_become_separate_terms():
    assert parse_query("wifi budget").terms == [Term(("wifi",)), Term(("budget",))]


def test_quoted_phrase_is_one_term():
    assert parse_query('"incident response" plan').terms == [Term(("incident", "response")), Term(("plan",))]


def test_trailing_star_makes_a_prefix_term():
    assert parse_query("chrome*").terms == [Term(("chrome",), prefix=True)]


def test_hyphenated_word_is_a_phrase():
    assert parse_query("e-rate").terms == [Term(("e", "rate"))]


def test_unbalanced_quote_is_ignored():
    assert parse_query('"incident response').terms == [Term(("incident",)), Term(("response",))]


def test_operators_are_dropped_with_a_note():
    parsed = parse_query("wifi OR NOT budget")
    assert parsed.terms == [Term(("wifi",)), Term(("budget",))]
    assert "no operators" in parsed.notes[0]


def test_query_syntax_characters_are_reduced_to_words():
    parsed = parse_query('title:wifi (a) -b ^c {body}: NEAR(x y, 3) ~"')
    words = [word for term in parsed.terms for word in term.words]
    assert words == ["title", "wifi", "a", "b", "c", "body", "x", "y", "3"]


def test_only_punctuation_gives_no_terms_and_a_note():
    parsed = parse_query('*** ??? "" () -- ::')
    assert not parsed
    assert "punctuation alone matches nothing" in parsed.notes[0]


def test_empty_query_gives_no_terms():
    assert not parse_query("")


def test_long_input_is_cut_with_a_note():
    parsed = parse_query("word " * 5000)
    assert parsed.terms == [Term(("word",))]
    assert any("first 1000 characters" in note for note in parsed.notes)


def test_too_many_terms_are_cut_with_a_note():
    parsed = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert len(parsed.terms) == MAX_TERMS
    assert any("first" in note for note in parsed.notes)


def test_overlong_words_are_left_out_with_a_note():
    parsed = parse_query("x" * 100 + " wifi")
    assert parsed.terms == [Term(("wifi",))]
    assert any("longer than" in note for note in parsed.notes)


# --- Text and snippets ----------------------------------------------------------------------------------


def test_plain_text_leaves_out_the_contents_list():
    toc = '<nav class="toc"><h2>Contents</h2><ol><li>One</li></ol></nav>'
    html = toc + '<h2 id="one">One</h2><p>Body &amp; more</p>'
    assert plain_text(html) == "One\nBody & more"


# Pieces of pages whose HTML is hard to cut into text: ">" and quotes inside attribute values, character
# references, a table of contents, code that looks like tags, typed HTML and comments.
TRICKY_PIECES = [
    '[a link](https://example.org/?a>b "a title with > and < and \\" in it")',
    "[[Target|label > this]]",
    '![an image](File:Chart.png "a > b")',
    "&amp; &lt;tag&gt; &nbsp;\u00a0non-breaking",
    "# One\n\n## Two\n\n### Three\n\n",
    "text[^1]\n\n[^1]: a note <b>raw</b>\n\n",
    '| a > b | `<c d="e>f">` |\n|---|---|\n| 1 | 2 |\n\n',
    "- [ ] a task\n- [x] done\n\n",
    "```\n\nleading blank line <nav>in code</nav>\n```\n\n",
    "<!-- a comment --> <nav>typed</nav>\r\n",
    "\ue000marker\ue001 ",
]


def parsed_plain_text(stored: str) -> str:
    """What plain_text gave when it parsed the HTML again (nh3): the reference it must keep giving."""
    spaced = re.sub(r"<(/?)(" + "|".join(sorted(BLOCK_TAGS)) + r")\b", r"\n<\1\2", stored)
    text = html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags={"nav"}))
    text = text.replace("\ue000", "").replace("\ue001", "")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TRICKY_PIECES), min_size=1, max_size=12))
def test_plain_text_reads_what_a_parser_reads(pieces):
    stored = markup.render("".join(pieces)).html
    assert plain_text(stored) == parsed_plain_text(stored)


def test_plain_text_of_every_tricky_piece_at_once():
    stored = markup.render("".join(TRICKY_PIECES)).html
    text = plain_text(stored)
    assert text == parsed_plain_text(stored)
    assert "Contents" not in text  # the generated table of contents is left out…
    assert "a > b" in text and "<nav>in code</nav>" in text  # …and text that looks like tags is kept


def test_snippet_escapes_everything_but_the_marks():
    snippet = marked_snippet("<script>x</script> \ue000wifi\ue001 & more")
    assert snippet == "&lt;script&gt;x&lt;/script&gt; <mark>wifi</mark> &amp; more"


def test_snippet_marks_are_balanced():
    assert marked_snippet("\ue000a \ue000b") == "<mark>a b</mark>"
    assert marked_snippet("a\ue001 b") == "a b"


# --- The index follows the pages ------------------------------------------------------------------------


def test_page_is_found_inside_the_saving_transaction(make_page):
    with transaction.atomic():
        make_page("Firewall rules", "Block inbound telnet at the edge.")
        assert found("telnet") == ["Firewall rules"]


def test_new_revision_replaces_old_text(make_page):
    first = make_page("Firewall rules", "Block inbound telnet.")
    make_page("Firewall rules", "Block inbound ssh.", base_revision=first.revision.pk)
    assert found("telnet") == []
    assert found("ssh") == ["Firewall rules"]


def test_deleted_page_is_not_found(make_page, ada):
    page = make_page("Firewall rules", "Block inbound telnet.").page
    actions.delete_page(page, ada)
    assert found("telnet") == []


def test_undeleted_page_is_found_again(make_page, ada):
    page = make_page("Firewall rules", "Block inbound telnet.").page
    actions.delete_page(page, ada)
    actions.undelete_page(page, ada)
    assert found("telnet") == ["Firewall rules"]


def test_redirect_page_is_not_indexed(make_page):
    make_page("Firewall", "#REDIRECT [[Firewall rules]]")
    assert found("firewall") == []
    assert found("redirect") == []


def test_page_turned_into_redirect_leaves_the_index(make_page):
    first = make_page("Firewall", "Block inbound telnet.")
    make_page("Firewall", "#REDIRECT [[Firewall rules]]", base_revision=first.revision.pk)
    assert found("telnet") == []


def test_moved_page_is_found_under_its_new_title(make_page, ada):
    page = make_page("Firewall", "Block inbound telnet.").page
    actions.move_page(page, "Perimeter security", ada)
    assert found("telnet") == ["Perimeter security"]


def test_rebuild_index_restores_every_article(make_page):
    page = make_page("Firewall rules", "Block inbound telnet.").page
    make_page("Firewall", "#REDIRECT [[Firewall rules]]")
    search.unindex_page(page)
    assert found("telnet") == []
    assert search.rebuild_index() == 1
    assert found("telnet") == ["Firewall rules"]


def test_very_large_page_is_saved_and_searchable(make_page, settings):
    # PostgreSQL refuses a tsvector over 1 MB; the index keeps the start of a huge page instead.
    settings.MAX_PAGE_BYTES = 2 * 1024 * 1024
    words = " ".join(hashlib.md5(str(i).encode()).hexdigest() for i in range(40_000))
    make_page("Asset inventory", "firstword " + words)
    assert found("firstword") == ["Asset inventory"]


# --- Matching and ranking -------------------------------------------------------------------------------


def test_all_words_must_match(make_page):
    make_page("Wifi", "Access points and budget.")
    make_page("Printers", "Toner budget.")
    assert found("budget access") == ["Wifi"]


def test_quoted_phrase_matches_only_adjacent_words(make_page):
    make_page("Plan A", "The budget for the network is set.")
    make_page("Plan B", "The network budget is set.")
    assert found('"network budget"') == ["Plan B"]
    assert sorted(found("network budget")) == ["Plan A", "Plan B"]


def test_prefix_matches_word_beginnings(make_page):
    make_page("Devices", "We bought Chromebooks for every student.")
    assert found("chromeb*") == ["Devices"]
    assert found("chromeb") == []


def test_title_matches_come_before_body_matches(make_page):
    make_page("Meeting notes", "Budget budget budget budget budget budget, and the budget again.")
    make_page("Budget planning", "How to plan the year.")
    assert found("budget") == ["Budget planning", "Meeting notes"]


def test_snippet_highlights_matches_and_escapes_page_text(make_page):
    make_page("Filtering", "Never paste `<img src=x onerror=alert(1)>` into a page; filtering matters.")
    hit = search.search_pages("filtering").hits[0]
    assert "<mark>" in hit.snippet
    assert_snippet_safe(hit.snippet)


def test_results_are_paged_with_a_total(make_page):
    for number in range(5):
        make_page(f"Switch {number}", "Network switch notes.")
    results = search.search_pages("notes", limit=2, offset=4)
    assert results.total == 5
    assert len(results.hits) == 1


def test_offset_past_the_end_gives_no_hits_but_the_total(make_page):
    make_page("Wifi", "Access points.")
    results = search.search_pages("access", limit=20, offset=40)
    assert (results.hits, results.total) == ([], 1)


# --- Anything a person types ----------------------------------------------------------------------------

SYNTAX = [
    '"', "*", "(", ")", "^", ":", "-", "+", "{", "}", "~", ",", "'", "\\", "%", "_", "\x00", "NEAR", "OR",
    "AND", "NOT", "NEAR(", "title:", "body:", "{title}", "budget", "wifi*", "e-rate", "'x':*", "&", "|", "!",
    "<->", "\u00e9", "\u0301", "\U0001f600", "\u200b", " ", "\n",
]  # fmt: skip
junk = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(SYNTAX), max_size=30).map("".join),
    st.lists(st.sampled_from(SYNTAX), max_size=30).map(" ".join),
)


@pytest.fixture
def small_wiki(make_page):
    make_page("Wifi budget", 'Access points, the E-Rate budget and *stars* in "quotes" (parens).')
    make_page("Filtering", "CIPA filtering: `<script>` tags and NEAR OR NOT words.")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=junk)
def test_any_text_searches_without_error(small_wiki, text):
    results = search.search_pages(text)
    assert results.total >= len(results.hits) >= 0
    for hit in results.hits:
        assert_snippet_safe(hit.snippet)


def test_ten_kilobytes_of_junk_searches_without_error(small_wiki):
    text = "".join(SYNTAX) * 200
    assert len(text) > 10_000
    results = search.search_pages(text)
    assert results.notes


def test_only_punctuation_finds_nothing(small_wiki):
    assert search.search_pages('*** () "').total == 0


def test_words_inside_operators_still_match(small_wiki):
    assert found("NEAR(wifi)") == ["Wifi budget"]


def test_highlight_marks_are_never_taken_from_page_text(make_page):
    make_page("Markers", "Sneaky \ue000marker\ue001 text <mark>here</mark>.")
    hit = search.search_pages("sneaky").hits[0]
    assert re.sub(r"</?mark>", "", hit.snippet).count("<") == 0
    assert hit.snippet.count("<mark>") == 1


# --- Snippets at a bounded cost (search/text.py) ------------------------------------------------------------


def test_snippet_of_a_page_full_of_one_word_is_marked_and_short(alice):
    actions.save_revision("Repeats", "district " * 29_000, alice)
    hit = search.search_pages("district").hits[0]
    assert str(hit.snippet).startswith("<mark>district</mark> <mark>district</mark>")
    assert len(str(hit.snippet)) < 2_000


def test_snippet_prefers_the_place_with_the_most_different_terms():
    text = "E-Rate " * 30 + "filler " * 40 + "The E-Rate form 470 opens the bidding. " + "more " * 40
    snippet = marked_snippet(make_snippet(text, term_pattern(parse_query("rate form").terms)))
    assert "<mark>form</mark> 470" in snippet
    assert "<mark>Rate</mark> <mark>form</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


def test_snippet_of_a_match_far_down_a_long_page(alice):
    actions.save_revision("Deep", "filler " * 5_000 + "the rare zeugma word", alice)
    snippet = str(search.search_pages("zeugma").hits[0].snippet)
    assert snippet.startswith("…") and "<mark>zeugma</mark>" in snippet


def test_snippet_text_is_escaped_around_the_marks(alice):
    actions.save_revision("Escapes", 'Use "quotes" and & with care: snippet marks only', alice)
    snippet = str(search.search_pages("snippet").hits[0].snippet)
    assert "quotes&quot;" in snippet and "&amp;" in snippet and "<mark>snippet</mark>" in snippet


@pytest.mark.parametrize("markup", ["`<script>`", "`<style>`", "a <b", "<script>alert(1)</script>"])
def test_words_after_angle_brackets_are_found_and_marked(alice, markup):
    actions.save_revision("Angles", f"Explain {markup} and then the zeugma word.", alice)
    hits = search.search_pages("zeugma").hits
    assert [hit.title for hit in hits] == ["Angles"]
    assert "<mark>zeugma</mark>" in str(hits[0].snippet)


# Over 2,000 characters before the match: PostgreSQL's headline (of a page's first 2,000 characters) marks
# nothing, so the snippet comes from text.make_snippet; SQLite's always does.
LEAD = "Plain words that fill the start of the page before anything to find. " * 32


@pytest.mark.parametrize("lead", ["", LEAD], ids=["match-at-the-start", "match-past-the-headline"])
def test_snippets_around_every_xss_vector_hold_no_markup(alice, lead, settings):
    settings.EDIT_RATE_LIMIT = 1_000
    vectors = [vector.payload for vector in xss_vectors.VECTORS]
    for number in range(0, len(vectors), 2):
        text = "\n\nneedle\n\n".join(vectors[number : number + 2])
        actions.save_revision(f"Vectors {number}", f"{lead}\n\n{text}", alice)
    for query in ("needle", "onerror", '"top xss"', "javascr*", "script needle"):
        hits = search.search_pages(query, limit=500).hits
        assert hits, query
        for hit in hits:
            assert_snippet_safe(hit.snippet)
    needles = search.search_pages("needle", limit=500).hits
    assert len(needles) > len(vectors) // 2 - 5
    if lead:  # cut from further down the page by text.make_snippet, on either database
        assert all(str(hit.snippet).startswith("…") for hit in needles)
