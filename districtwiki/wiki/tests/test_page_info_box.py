"""The page view's "About this page" box and the Watch button beside the title."""

import datetime

import pytest
import time_machine

from districtwiki.wiki.sources import link_titles, without_trailing_note

pytestmark = pytest.mark.django_db

FRONT = """---
audience: [technician, coordinator]
district_size: [under-1000]
reviewed: 2026-01-10
review_every: 6
time_sensitive: true
sources:
  - title: "The Guide (second edition)"
    publisher: "State Office"
    date: "2025-06"
    url: "https://example.org/guide"
  - title: "A Letter"
    publisher: "Agency"
---
"""
SECTION = "## Sources\n\n- *The Guide* (second edition), State Office, June 2025.\n- *A Letter*, Agency.\n"
WITH_SECTION = FRONT + "Text.\n\n" + SECTION
WITHOUT_SECTION = FRONT + "Text without a list of sources.\n"


def page_html(client, make_page, text: str) -> str:
    make_page("Budget", text)
    return client.get("/wiki/Budget").content.decode()


def box_of(html: str) -> str:
    return html[html.index('<aside class="info-box"') : html.index("</aside>")]


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
def test_box_names_audience_size_and_review_in_words(client, make_page):
    box = box_of(page_html(client, make_page, WITH_SECTION))
    assert "technicians, technology coordinators" in box
    assert "under 1,000 students" in box
    assert ">10 Jan 2026</time>, every 6 months" in box
    assert "Contains dates or amounts that change" in box
    assert "Review due" not in box


@time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC))
def test_overdue_review_is_flagged_in_the_box(client, make_page):
    assert "Review due" in box_of(page_html(client, make_page, WITH_SECTION))


def test_sources_are_listed_once_when_the_text_has_a_sources_section(client, make_page):
    html = page_html(client, make_page, WITH_SECTION)
    assert html.count("The Guide") == 1
    assert html.count("A Letter") == 1
    assert '<a href="#sources">2 sources' in box_of(html)


def test_sources_in_the_text_link_to_their_front_matter_url(client, make_page):
    html = page_html(client, make_page, WITH_SECTION)
    assert '<em><a href="https://example.org/guide" rel="nofollow ugc noopener">The Guide</a></em>' in html


def test_box_lists_sources_when_the_text_has_none(client, make_page):
    box = box_of(page_html(client, make_page, WITHOUT_SECTION))
    assert (
        '<a href="https://example.org/guide" rel="nofollow ugc noopener">The Guide (second edition)</a>'
        in box
    )
    assert "<li>A Letter, Agency</li>" in box


def test_old_revision_shows_no_box(client, make_page):
    first = make_page("Budget", WITH_SECTION)
    make_page("Budget", WITH_SECTION + "\nMore.", base_revision=first.revision.pk)
    html = client.get(f"/wiki/Budget?oldid={first.revision.pk}").content.decode()
    assert '<aside class="info-box"' not in html


def test_a_title_already_linked_in_the_text_is_left_alone():
    html = '<h2 id="sources">Sources</h2><ul><li><a href="https://a.example"><em>Guide</em></a></li></ul>'
    assert link_titles(html, [{"title": "Guide", "url": "https://b.example"}]) == html


def test_only_the_sources_section_is_linked():
    html = (
        '<p><em>Guide</em></p><h2 id="sources">Sources</h2><ul><li><em>Guide</em></li></ul>'
        '<h2 id="x">X</h2><p><em>Guide</em></p>'
    )
    linked = link_titles(html, [{"title": "Guide", "url": "https://b.example"}])
    assert linked.count("https://b.example") == 1
    assert linked.index("https://b.example") > linked.index('id="sources"')
    assert linked.endswith("<p><em>Guide</em></p>")


def test_trailing_note_is_dropped_from_a_title():
    assert without_trailing_note("Rule (final rule, 89 FR 31320)") == "Rule"
    assert without_trailing_note("(Only a note)") == "(Only a note)"
    assert without_trailing_note("Plain") == "Plain"


def test_watch_button_sits_in_the_title_row(alice_client, make_page):
    html = page_html(alice_client, make_page, "Text.")
    header = html[
        html.index('<header class="page-header">') : html.index(
            "</header>", html.index('<header class="page-header">')
        )
    ]
    assert 'action="/watch/Budget"' in header
    assert 'Watch<span class="visually-hidden"> this page</span>' in header


def test_watching_turns_the_button_into_unwatch(alice_client, make_page):
    make_page("Budget", "Text.")
    alice_client.post("/watch/Budget", {"watch": "1"})
    html = alice_client.get("/wiki/Budget").content.decode()
    assert 'name="watch" value="0"' in html
    assert "Unwatch<span" in html
