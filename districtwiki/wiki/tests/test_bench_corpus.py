"""The benchmark corpus (bench/corpus.py) and its bulk loader (bench/load.py): the corpus is the same on
every run, has what the benchmarks measure, and loading it in bulk gives exactly what saving it page by
page gives."""

import re

import pytest
from django.db import transaction

from bench import corpus, load
from districtwiki.wiki import search
from districtwiki.wiki.actions import WikiError, save_revision
from districtwiki.wiki.models import CategoryMembership, Page, PageLink, Revision

SIZE = 50
LINK = re.compile(r"\[\[Page (\d+)(\|[^\]]+)?\]\]")
CATEGORY = re.compile(r"\[\[Category:([^\]]+)\]\]")


@pytest.fixture(scope="module")
def pages():
    return corpus.generate(SIZE)


def articles(pages):
    return [page for page in pages if page.title.startswith("Page ")]


def test_same_seed_gives_identical_corpus(pages):
    assert corpus.generate(SIZE) == pages
    assert corpus.generate(SIZE, seed=corpus.DEFAULT_SEED + 1) != pages


def test_titles_are_the_numbered_pages_then_the_categories(pages):
    expected = [f"Page {number}" for number in range(1, SIZE + 1)]
    expected += [f"Category:{name}" for name in corpus.CATEGORIES]
    assert [page.title for page in pages] == expected
    assert 25 <= len(corpus.CATEGORIES) <= 35


@pytest.mark.parametrize("number", range(1, SIZE + 1))
def test_every_page_has_the_markdown_the_benchmark_needs(pages, number):
    text = pages[number - 1].text
    assert corpus.MIN_BYTES <= len(text.encode()) <= corpus.MAX_BYTES
    assert re.search(r"^## \S", text, re.MULTILINE)
    assert re.search(r"^- \S", text, re.MULTILINE)
    assert re.search(r"^\| Item \| Quantity \| Cost \| Funding \|\n\|---\|", text, re.MULTILINE)
    assert re.search(r"\*\*[^*]+\*\*", text) and re.search(r"(?<!\*)\*[^*]+\*(?!\*)", text)
    links = LINK.findall(text)
    assert 10 <= len(links) <= 30
    assert all(int(target) != number for target, _ in links), "a page links to itself"
    categories = CATEGORY.findall(text)
    assert 1 <= len(categories) <= 3
    assert set(categories) <= set(corpus.CATEGORIES)


def test_the_corpus_has_subheadings_ordered_lists_labels_and_red_links(pages):
    text = "\n".join(page.text for page in articles(pages))
    assert re.search(r"^### \S", text, re.MULTILINE)
    assert re.search(r"^1\. \S", text, re.MULTILINE)
    targets = [int(target) for target, _ in LINK.findall(text)]
    labelled = [label for _, label in LINK.findall(text) if label]
    assert len(labelled) > len(targets) // 5
    missing = [target for target in targets if target > SIZE]
    assert 0 < len(missing) < len(targets) // 5, "a few links, not many, should be red"


def test_common_term_is_on_every_page_and_rare_term_on_exactly_one(pages):
    assert all(corpus.COMMON_TERM in page.text for page in pages)
    assert sum(corpus.RARE_TERM in page.text for page in pages) == 1


def test_an_empty_corpus_is_refused():
    with pytest.raises(ValueError, match="at least one page"):
        corpus.generate(0)


# --- Loading ---------------------------------------------------------------------------------------------


def wiki_state() -> dict:
    """Everything a load writes, without database ids (which differ between two loads)."""
    latest = Page.objects.select_related("latest").order_by("title")
    hits = {term: search.search_pages(term, limit=100) for term in (corpus.COMMON_TERM, corpus.RARE_TERM)}
    return {
        "pages": [(p.title, p.namespace, p.latest.text, p.latest.html, p.latest.sha1) for p in latest],
        "revisions": Revision.objects.count(),
        "links": sorted(PageLink.objects.values_list("source__title", "target")),
        "categories": sorted(CategoryMembership.objects.values_list("page__title", "category")),
        "search": {term: (r.total, [(h.title, str(h.snippet)) for h in r.hits]) for term, r in hits.items()},
    }


def test_bulk_load_writes_what_one_by_one_saves_write(pages, ada):
    with transaction.atomic():
        for page in pages:
            save_revision(page.title, page.text, ada)
        one_by_one = wiki_state()
        transaction.set_rollback(True)
    assert not Page.objects.exists()

    assert load.bulk_load(pages, ada, chunk_size=20) == len(pages)

    assert wiki_state() == one_by_one
    assert one_by_one["revisions"] == len(pages)
    assert len(one_by_one["links"]) > 10 * SIZE
    assert one_by_one["search"][corpus.RARE_TERM][0] == 1
    assert one_by_one["search"][corpus.COMMON_TERM][0] == len(pages)


def test_bulk_load_of_a_bad_page_stops_with_the_wiki_message_and_keeps_its_chunk_out(pages, ada):
    broken = [*pages[:5], corpus.CorpusPage("Page 6", "A NUL \x00 inside"), *pages[6:10]]

    with pytest.raises(WikiError, match="NUL character"):
        load.bulk_load(broken, ada, chunk_size=4)

    assert sorted(Page.objects.values_list("title", flat=True)) == ["Page 1", "Page 2", "Page 3", "Page 4"]


def test_long_history_chains_each_revision_on_the_one_before(ada):
    last = load.long_history("History page", 5, ada, chunk_size=2)

    revisions = list(Revision.objects.filter(page__title="History page").order_by("pk"))
    assert len(revisions) == 5 and revisions[-1].pk == last
    assert [r.parent_id for r in revisions] == [None, *(r.pk for r in revisions[:-1])]


def test_load_command_refuses_a_corpus_of_no_pages(capsys):
    with pytest.raises(SystemExit) as stopped:
        load.main(["--pages", "0"])

    assert stopped.value.code == 2
    assert "--pages must be at least 1" in capsys.readouterr().err
