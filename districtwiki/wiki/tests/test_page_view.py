from unittest import mock

import pytest
from django.utils.html import escape

from districtwiki.wiki import actions
from districtwiki.wiki.models import Page


def test_page_shows_rendered_text(client, make_page):
    make_page("Budget basics", "# Heading\n\nSome **bold** text.")
    response = client.get("/wiki/Budget_basics")
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content


def test_title_in_other_form_redirects_to_canonical_url(client, make_page):
    make_page("Budget basics", "text")
    response = client.get("/wiki/budget%20basics")
    assert response.status_code == 301
    assert response["Location"] == "/wiki/Budget_basics"


def test_missing_page_is_404_with_create_link_for_members(alice_client, db):
    response = alice_client.get("/wiki/Not_here")
    assert response.status_code == 404
    assert b'href="/edit/Not_here"' in response.content


@pytest.mark.parametrize("char", ["#", "<", ">", "[", "]", "|", "{", "}"])
def test_forbidden_title_character_is_400_naming_it(client, db, char):
    response = client.get("/wiki/Bad" + {"#": "%23", "<": "%3C", ">": "%3E"}.get(char, char) + "title")
    assert response.status_code == 400
    assert escape(f'Titles cannot contain the character "{char}".').encode() in response.content


def test_control_character_in_title_is_400(client, db):
    response = client.get("/wiki/Bad%07title")
    assert response.status_code == 400
    assert b"control character" in response.content


def test_over_long_title_is_400(client, db):
    response = client.get("/wiki/" + "a" * 256)
    assert response.status_code == 400
    assert b"at most 255 characters" in response.content


def test_red_link_turns_blue_when_target_is_created(client, make_page):
    make_page("Source", "See [[Target page]].")
    before = client.get("/wiki/Source").content.decode()
    assert 'class="wikilink new" href="/edit/Target_page"' in before
    make_page("Target page", "Now it exists.")
    after = client.get("/wiki/Source").content.decode()
    assert 'class="wikilink" href="/wiki/Target_page"' in after


def test_link_turns_red_when_target_is_deleted(client, make_page, ada):
    make_page("Source", "See [[Target page]].")
    target = make_page("Target page", "exists").page
    actions.delete_page(target, ada)
    assert 'class="wikilink new"' in client.get("/wiki/Source").content.decode()


def test_page_view_parses_no_markdown(client, make_page):
    make_page("Cached", "Some *text* with [[Links]].")
    with mock.patch("comrak.render_markdown", side_effect=AssertionError("parsed Markdown")):
        response = client.get("/wiki/Cached")
    assert response.status_code == 200
    assert b"<em>text</em>" in response.content


def test_page_view_query_count_is_pinned(alice_client, make_page, django_assert_max_num_queries):
    make_page("Busy page", "[[A]] [[B]] [[C]] [[Category:Things]]\n\n" + "text\n" * 200)
    # page+revision+properties, link targets, categories, open threads, last editor, session, user, watch,
    # unread count (the second view takes its parts from the cache: test_page_cache pins it at 5)
    with django_assert_max_num_queries(9):
        assert alice_client.get("/wiki/Busy_page").status_code == 200


def test_redirect_is_followed_with_note(client, make_page):
    make_page("Target", "The real page.")
    make_page("Old name", "#REDIRECT [[Target]]")
    response = client.get("/wiki/Old_name", follow=True)
    assert response.redirect_chain[-1][0] == "/wiki/Target?redirectedfrom=Old+name"
    assert b"Redirected from" in response.content


def test_redirect_is_not_followed_with_redirect_no(client, make_page):
    make_page("Old name", "#REDIRECT [[Target]]")
    response = client.get("/wiki/Old_name?redirect=no")
    assert response.status_code == 200
    assert b"This page is a redirect to" in response.content


def test_old_revision_is_shown_with_oldid(client, make_page):
    first = make_page("Versions", "first text").revision
    make_page("Versions", "second text", base_revision=first.pk)
    response = client.get(f"/wiki/Versions?oldid={first.pk}")
    assert b"first text" in response.content
    assert b"You are reading revision" in response.content


def test_oldid_of_another_page_is_404(client, make_page):
    other = make_page("Other", "x").revision
    make_page("Versions", "y")
    assert client.get(f"/wiki/Versions?oldid={other.pk}").status_code == 404


def test_non_numeric_oldid_is_400(client, make_page):
    make_page("Versions", "y")
    response = client.get("/wiki/Versions?oldid=abc")
    assert response.status_code == 400
    assert b"must be a revision number" in response.content


def test_raw_serves_markdown(client, make_page):
    make_page("Source text", "# Hi\n\n[[Link]]")
    response = client.get("/raw/Source_text")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content == b"# Hi\n\n[[Link]]"


def test_titles_and_summaries_are_escaped(client, alice):
    actions.save_revision('Script "quote" & co', "text", alice, None, "<script>alert(1)</script>")
    page = Page.objects.get()
    response = client.get(page.get_absolute_url(), follow=True)
    assert b"<script>alert" not in response.content
    history = client.get("/history/" + page.url_title).content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in history


def test_security_headers_are_sent(client, db):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
