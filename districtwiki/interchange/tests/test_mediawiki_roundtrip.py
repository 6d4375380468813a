"""The round trip of issue 16: `districtwiki export mediawiki` writes a dump MediaWiki's schema accepts, and
`districtwiki import mediawiki` brings it back into an empty wiki with the same revisions: titles, order,
times to the second, authors by name, summaries, minor flags, texts and their SHA-1s.

Our export's text is Markdown (its `<model>` says so, and its generator line says so also under
`--as-wikitext`), so the importer keeps it exactly as it is instead of converting it as wikitext.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
import xmlschema
from django.core.management import call_command
from django.db import connection

from districtwiki.discussions.models import Thread
from districtwiki.interchange.models import ImportedAuthor
from districtwiki.wiki import actions
from districtwiki.wiki.models import CategoryMembership, Page, Revision

from .test_mediawiki_export import HOSTILE, XSD, export, wiki_history

HOSTILE_TITLE = "R&D: \"budget\" 'plans' & co; 50% off? — 𝔘 😀"
# Markdown that pandoc's MediaWiki reader would rewrite: kept only if the importer leaves our text alone.
MARKDOWN = (
    "## Plan\n\n**Bold**, _italic_, `code` and [a link](https://example.org/?a=1&b=2).\n\n"
    "| Item | Cost |\n|---|---:|\n| Switch | 400 |\n\n- one\n  - nested\n\n> quoted\n\n"
    "    indented code\n\n[[Firewall rules|the rules]] and [[Category:Security]]"
)
MEMBER_NAMES = {"alice", "bob", "ada"}


@pytest.fixture
def wiki(db, alice, bob, ada):
    """Pages with history by members, a signed-out author, an IP and a former member; a redirect,
    categories, a File: page, a Template: page and hostile text and titles."""
    first = actions.save_revision("Firewall rules", "Keep the firewall current.", alice, None, "First draft")
    second = actions.save_revision(
        "Firewall rules", "Keep the firewall current.\n\nReview quarterly.", bob, first.revision.pk, "Review"
    )
    actions.save_revision(
        "Firewall rules", HOSTILE, ada, second.revision.pk, "Summary with <b>tags</b> & ]]>", minor=True
    )
    actions.save_revision("Network plan", MARKDOWN, alice, None, "Markdown of every kind")
    actions.save_revision("Old firewall page", "#REDIRECT [[Firewall rules]]", alice)
    actions.save_revision("Category:Security", "Pages about *security*.", alice)
    actions.save_revision("Template:Infobox", "{{kept as text}} and {{{parameter}}}", alice)
    actions.save_revision("File:Network diagram.png", "The district's network.\n\n[[Category:Security]]", bob)
    actions.save_revision(HOSTILE_TITLE, "Text with ]]> and <script>alert(1)</script>.", ada)
    anonymous = actions.save_revision("Wi-Fi", "Guest network.", alice)
    by_ip = actions.save_revision("Wi-Fi", "Guest network, isolated.", alice, anonymous.revision.pk)
    erased = actions.save_revision("Wi-Fi", "Guest network, isolated, throttled.", bob, by_ip.revision.pk)
    Revision.objects.filter(pk=anonymous.revision.pk).update(author=None, author_name="Anonymous")
    Revision.objects.filter(pk=by_ip.revision.pk).update(author=None, author_name="2001:db8::7")
    Revision.objects.filter(pk=erased.revision.pk).update(author=None, author_name="former member")
    start = datetime(2025, 3, 1, 8, 30, 15, 654321, tzinfo=UTC)  # microseconds a dump does not carry
    for offset, revision in enumerate(Revision.objects.order_by("id")):
        Revision.objects.filter(pk=revision.pk).update(timestamp=start + timedelta(minutes=offset))


def stored_history() -> dict[str, list[tuple]]:
    """wiki_history() with each revision's SHA-1 and whether its parent is the revision before it."""
    history = wiki_history()
    for title, revisions in history.items():
        stored = list(Revision.objects.filter(page__title=title).order_by("id"))
        parents = [None] + [revision.pk for revision in stored[:-1]]
        history[title] = [
            (*row, revision.sha1, revision.parent_id == parent)
            for row, revision, parent in zip(revisions, stored, parents, strict=True)
        ]
    return history


def import_into_an_empty_wiki(dump, tmp_path) -> str:
    if connection.vendor == "postgresql":
        # The test's transaction holds deferred foreign key checks, and PostgreSQL will not TRUNCATE a table
        # with pending trigger events: run the checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Page.objects.exists() and not Revision.objects.exists()
    out = io.StringIO()
    call_command("import_data", "mediawiki", str(dump), "--report", str(tmp_path / "report.txt"), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("options", [(), ("--as-wikitext",)], ids=["markdown", "as-wikitext"])
def test_export_then_import_into_an_empty_wiki_gives_the_same_revisions(wiki, tmp_path, options):
    before = stored_history()
    dump = tmp_path / "wiki.xml"
    export(dump, *options)
    xmlschema.XMLSchema(str(XSD), allow="local").validate(str(dump))
    output = import_into_an_empty_wiki(dump, tmp_path)
    assert stored_history() == before
    assert "revisions: 12 imported, 0 already there" in output
    assert "warnings: none" in output


def test_what_the_revisions_mean_comes_back_too(wiki, tmp_path):
    dump = tmp_path / "wiki.xml"
    export(dump)
    rendered = Revision.objects.get(page__title="Network plan").html
    import_into_an_empty_wiki(dump, tmp_path)
    assert Page.objects.get(title="Old firewall page").redirect_to == "Firewall rules"
    assert set(CategoryMembership.objects.values_list("page__title", "category")) == {
        ("Network plan", "Security"),
        ("File:Network diagram.png", "Security"),
    }
    assert Revision.objects.get(page__title="Network plan").html == rendered
    assert not Thread.objects.exists()


def test_members_become_placeholders_and_names_without_accounts_stay_names(wiki, tmp_path):
    dump = tmp_path / "wiki.xml"
    export(dump)
    import_into_an_empty_wiki(dump, tmp_path)
    assert set(ImportedAuthor.objects.values_list("name", flat=True)) == MEMBER_NAMES
    wifi = Revision.objects.filter(page__title="Wi-Fi").order_by("id")
    wifi = list(wifi.values_list("author", "author_name"))
    assert wifi == [(None, "Anonymous"), (None, "2001:db8::7"), (None, "former member")]
    first = Revision.objects.filter(page__title="Firewall rules").order_by("id").first()
    assert (first.author.username, first.author.is_active) == ("alice", False)


def test_importing_the_dump_again_adds_nothing(wiki, tmp_path):
    dump = tmp_path / "wiki.xml"
    export(dump)
    import_into_an_empty_wiki(dump, tmp_path)
    after = stored_history()
    out = io.StringIO()
    call_command("import_data", "mediawiki", str(dump), "--report", str(tmp_path / "again.txt"), stdout=out)
    assert "revisions: 0 imported, 12 already there" in out.getvalue()
    assert stored_history() == after
