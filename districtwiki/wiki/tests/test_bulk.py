"""Saving many pages at once (wiki/bulk.py): the same rows as saves made alone, the Markdown rendered by a
worker process ahead of the saves."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districtwiki.notifications.models import NotificationSettings
from districtwiki.wiki import bulk, markup, search
from districtwiki.wiki.actions import WikiError
from districtwiki.wiki.models import CategoryMembership, Page, PageLink, Revision, Watch
from districtwiki.wiki.search import search_pages
from districtwiki.wiki.search.spellings import joined_words

pytestmark = pytest.mark.django_db(transaction=True)


def pages(count: int) -> list[tuple[str, str]]:
    return [
        (f"Bulk {number}", f"# Bulk {number}\n\nSee [[Bulk {number + 1}]] and wordbulk{number}.\n\n"
         f"[[Category:Bulky]]\n")
        for number in range(count)
    ]  # fmt: skip


def test_saves_every_page_with_its_links_categories_and_search_text(ada):
    assert bulk.save_pages(pages(7), ada, summary="Loaded", chunk_size=3) == 7

    assert Revision.objects.filter(summary="Loaded").count() == 7
    assert PageLink.objects.filter(source__title="Bulk 6", target="Bulk 7").exists()
    assert CategoryMembership.objects.filter(category="Bulky").count() == 7
    assert [hit.title for hit in search_pages("wordbulk5").hits] == ["Bulk 5"]
    assert Page.objects.get(title="Bulk 4").latest.html == markup.render(pages(7)[4][1]).html


def test_the_worker_renders_every_chunk_but_the_first(monkeypatch, ada):
    here, rendered_here = os.getpid(), []
    real_render = markup.render

    def counted(text):
        if os.getpid() == here and markup._ahead.get() is not None and text not in markup._ahead.get():
            rendered_here.append(text)
        return real_render(text)

    monkeypatch.setattr(markup, "render", counted)
    bulk.save_pages(pages(9), ada, chunk_size=3)
    assert len(rendered_here) == 3, "the first chunk only: the worker rendered the other six pages"


def test_a_failing_page_keeps_its_chunk_out_and_the_chunks_before(ada):
    broken = pages(7)
    broken[4] = ("Bulk 4", "A NUL \x00 inside")
    with pytest.raises(WikiError, match="NUL character"):
        bulk.save_pages(broken, ada, chunk_size=3)
    assert sorted(Page.objects.values_list("title", flat=True)) == ["Bulk 0", "Bulk 1", "Bulk 2"]


def test_a_text_rendered_ahead_is_used_once_and_any_other_is_rendered():
    ahead = markup.Rendered(html="<p>from the worker</p>")
    with markup.rendered_ahead({"some text": ahead}):
        assert markup.render("some text") is ahead
        assert markup.render("some text").html.strip() == "<p>some text</p>"
        assert markup.render("other text").html.strip() == "<p>other text</p>"
    assert markup.render("some text").html.strip() == "<p>some text</p>"


def index_rows() -> list[tuple]:
    table = search._backend().TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT title, body, title_joined, body_joined FROM {table} ORDER BY title")
        return cursor.fetchall()


def test_the_search_rows_of_pages_rendered_ahead_are_those_a_lone_save_writes(ada):
    """The worker also joins the hyphenated words the index keeps (E-Rate-funded → ERatefunded)."""
    hyphenated = [
        (title, text + f"\nAn E-Rate-funded Wi-Fi plan, form-{title[-1]}.\n") for title, text in pages(7)
    ]
    bulk.save_pages(hyphenated, ada, chunk_size=3)
    saved = index_rows()
    assert len(saved) == 7 and all("ERatefunded" in row[3] for row in saved)
    search.rebuild_index()  # each page indexed again from its revision, as a lone save does
    assert index_rows() == saved


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL cuts long bodies")
def test_a_body_cut_for_postgresql_has_the_joined_words_of_the_part_kept(monkeypatch, ada):
    monkeypatch.setattr(search.postgres, "MAX_BODY_CHARS", 20)
    body = "twelve chars E-Rate then Wi-Fi far past the cut"
    search.postgres.store(1, "Cut", body, joined_words(body))
    assert [row[2:] for row in index_rows()] == [("", joined_words(body[:20]))]
    assert joined_words(body[:20]) == "ERate"


def watch_statements(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith(f"INSERT INTO {Watch._meta.db_table} "))


def test_the_author_watches_every_page_saved_by_one_insert_a_chunk(ada):
    with CaptureQueriesContext(connection) as queries:
        bulk.save_pages(pages(7), ada, chunk_size=3)
    watched = sorted(Watch.objects.filter(user=ada).values_list("page__title", flat=True))
    assert watched == sorted(f"Bulk {number}" for number in range(7))
    assert watch_statements(queries) == 3


def test_a_member_who_turned_auto_watch_off_watches_nothing_they_loaded(ada, alice, make_page):
    NotificationSettings.objects.create(user=alice, auto_watch=False)
    Watch.objects.create(user=alice, page=make_page("Bulk 0", "Written before the load.").page)
    bulk.save_pages(pages(4)[1:], alice, chunk_size=2)
    assert list(Watch.objects.filter(user=alice).values_list("page__title", flat=True)) == ["Bulk 0"]
    bulk.save_pages([(f"Other {number}", "text") for number in range(3)], ada, chunk_size=2)
    assert Watch.objects.filter(user=ada).count() == 3  # the choice is each member's


def test_a_failing_chunk_leaves_no_watch_of_its_pages(ada):
    broken = pages(7)
    broken[4] = ("Bulk 4", "A NUL \x00 inside")
    with pytest.raises(WikiError):
        bulk.save_pages(broken, ada, chunk_size=3)
    assert sorted(Watch.objects.filter(user=ada).values_list("page__title", flat=True)) == [
        "Bulk 0",
        "Bulk 1",
        "Bulk 2",
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_the_writer_caches_more_while_it_loads_and_the_setting_s_size_afterwards(monkeypatch, ada, settings):
    sizes, real_save = [], bulk.actions.save_revision

    def save_revision(*arguments, **keywords):
        sizes.append(connection.cursor().execute("PRAGMA cache_size").fetchone()[0])
        return real_save(*arguments, **keywords)

    monkeypatch.setattr(bulk.actions, "save_revision", save_revision)
    broken = pages(4)
    broken[3] = ("Bulk 3", "A NUL \x00 inside")
    with pytest.raises(WikiError):
        bulk.save_pages(broken, ada, chunk_size=2)
    assert sizes == [-bulk.BULK_CACHE_KB] * 4
    assert connection.cursor().execute("PRAGMA cache_size").fetchone()[0] == -settings.SQLITE_CACHE_KB
