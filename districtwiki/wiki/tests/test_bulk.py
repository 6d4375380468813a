"""Saving many pages at once (wiki/bulk.py): the same rows as saves made alone, the Markdown rendered by a
worker process ahead of the saves."""

import os

import pytest

from districtwiki.wiki import bulk, markup
from districtwiki.wiki.actions import WikiError
from districtwiki.wiki.models import CategoryMembership, Page, PageLink, Revision
from districtwiki.wiki.search import search_pages

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
