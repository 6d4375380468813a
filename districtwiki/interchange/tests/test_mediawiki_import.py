"""`districtwiki import mediawiki FILE`: pages with their history, talk as threads, placeholder authors,
our syntax, bad files refused with one line, and running it twice adding nothing."""

import bz2
import gzip
import hashlib
import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from districtwiki import progress
from districtwiki.discussions.models import Thread
from districtwiki.interchange.models import ImportedAuthor, ImportedRevision
from districtwiki.interchange.mwimport import authors, dump, pages
from districtwiki.wiki.models import FileUpload, Page, Revision

from .mediawiki_dumps import SMALL, Rev, WikiPage, dump_xml, write_dump


def run(path, tmp_path, *args):
    out = io.StringIO()
    call_command(
        "import_data", "mediawiki", str(path), "--report", str(tmp_path / "report.txt"), *args, stdout=out
    )
    return out.getvalue()


def refused(path, tmp_path, *args) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(path, tmp_path, *args)
    assert "\n" not in str(caught.value)
    assert caught.value.returncode == 1  # what `districtwiki import` exits with
    return caught.value


def history(title):
    return list(Revision.objects.filter(page__title=title).order_by("id"))


@pytest.fixture
def small(db, tmp_path):
    return run(SMALL, tmp_path)


# --- Pages and their history --------------------------------------------------------------------------


def test_every_revision_comes_in_order_with_time_author_and_summary(small):
    first, second = history("E-Rate basics")
    assert first.timestamp == datetime(2019, 3, 1, 10, 0, tzinfo=UTC)
    assert (first.author_name, first.summary, first.minor) == ("Dana_Ortiz", "First draft", False)
    assert first.author is not None and first.author.username == "Dana_Ortiz"
    assert second.parent_id == first.pk
    assert (second.author, second.author_name, second.summary, second.minor) == (
        None,
        "192.0.2.44",
        "typo",
        True,
    )
    assert Page.objects.get(title="E-Rate basics").latest_id == second.pk


def test_wikitext_becomes_our_markdown(small):
    text = history("E-Rate basics")[-1].text
    assert "## Overview" in text
    assert "**E-Rate** pays for [[Network Plan|network plans]] and [[CIPA#Filtering]]." in text
    assert "- Category one\n- Category two" in text
    assert "| Switch | 400  |" in text
    assert "[[Category:Funding]]" in text


def test_links_categories_and_redirects_are_stored(small):
    page = Page.objects.get(title="E-Rate basics")
    assert set(page.outgoing_links.values_list("target", flat=True)) == {"Network Plan", "CIPA"}
    assert list(page.categories.values_list("category", flat=True)) == ["Funding"]
    assert Page.objects.get(title="ERate").redirect_to == "E-Rate basics"


def test_every_revision_has_its_html_stored(small):
    first, second = history("E-Rate basics")
    assert "<strong>E-Rate</strong> pays for school networks." in first.html
    assert '<a data-wikilink="Network Plan"' in second.html


def test_a_template_stays_visible_and_is_reported(small, tmp_path):
    assert "`{{Stub|reason=short}}`" in history("E-Rate basics")[-1].text
    assert "This page is a stub: `{{{reason}}}`." in history("Template:Stub")[-1].text
    report = (tmp_path / "report.txt").read_text()
    assert "template: 2 (in E-Rate basics, Template:Stub)" in report
    assert "revisions: 8 imported, 0 already there" in small


def test_category_page_becomes_the_category_description(small, client):
    response = client.get("/category/Funding")
    assert "Pages about <em>paying</em> for technology." in response.content.decode()
    assert "E-Rate basics" in response.content.decode()


def test_user_pages_only_with_the_flag(db, tmp_path):
    run(SMALL, tmp_path)
    assert not Page.objects.filter(title="User:Dana Ortiz").exists()
    run(SMALL, tmp_path, "--user-pages")
    assert history("User:Dana Ortiz")[0].text == "I run the network."


def test_a_revision_whose_model_is_markdown_is_kept_as_it_is(db, tmp_path):
    markdown = "## Markdown\n\n**bold** and _italic_\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    xml = dump_xml([WikiPage("Notes", [Rev("== Wikitext ==\n'''bold'''"), Rev(markdown)])])
    head, tail = xml.rsplit("<model>wikitext</model>", 1)
    run(write_dump_text(tmp_path / "mixed.xml", head + "<model>markdown</model>" + tail), tmp_path)
    assert [revision.text for revision in history("Notes")] == ["## Wikitext\n\n**bold**", markdown]


def test_names_without_an_account_on_their_wiki_stay_names(db, tmp_path):
    xml = dump_xml([WikiPage("Notes", [Rev("one"), Rev("two"), Rev("three")])])
    xml = xml.replace("<username>Dana Ortiz</username><id>1</id>", "<ip>Anonymous</ip>", 1)
    xml = xml.replace("<username>Dana Ortiz</username><id>1</id>", "<username>Former  member</username>", 1)
    run(write_dump_text(tmp_path / "names.xml", xml), tmp_path)
    authors = [(revision.author, revision.author_name) for revision in history("Notes")]
    assert authors[:2] == [(None, "Anonymous"), (None, "Former member")]
    assert authors[2][1] == "Dana_Ortiz" and authors[2][0].username == "Dana_Ortiz"
    assert list(ImportedAuthor.objects.values_list("name", flat=True)) == ["Dana Ortiz"]


def write_dump_text(path, xml: str):
    path.write_text(xml, encoding="utf-8")
    return path


# --- Talk pages ----------------------------------------------------------------------------------------


def test_talk_sections_become_threads_by_who_started_them(small):
    threads = {thread.subject: thread for thread in Thread.objects.filter(page__title="E-Rate basics")}
    assert set(threads) == {"Deadline", "Sources"}
    deadline, sources = threads["Deadline"], threads["Sources"]
    assert (deadline.author_name, deadline.created_at) == ("Lee_Park", datetime(2019, 3, 3, 9, tzinfo=UTC))
    assert sources.author_name == "Dana_Ortiz"
    assert deadline.posts.get().text.startswith("When is the filing window? --Lee")
    assert "It opens in January. --Dana" in deadline.posts.get().text
    assert sources.posts.get().html == "<p>Which <strong>sources</strong> should we cite?</p>\n"


# --- Authors -------------------------------------------------------------------------------------------


def test_authors_are_placeholders_no_one_can_sign_in_to(small, client):
    record = ImportedAuthor.objects.get(name="Dana Ortiz")
    user = record.user
    assert (user.username, user.is_active, user.has_usable_password(), user.email) == (
        "Dana_Ortiz",
        False,
        False,
        "",
    )
    assert not client.login(username="Dana_Ortiz", password="")
    assert ImportedAuthor.objects.count() == 2  # the IP address has no account


def test_an_admin_claims_a_placeholder_for_its_person(small):
    user = authors.claim("Dana_Ortiz", "dana@example.org")
    assert (user.is_active, user.email, user.has_usable_password()) == (True, "dana@example.org", True)
    assert Revision.objects.filter(author=user).count() == 5
    with pytest.raises(authors.AuthorError, match="not an unclaimed imported author"):
        authors.claim("Dana_Ortiz", "other@example.org")


def test_an_admin_links_a_placeholder_to_a_member(small, alice):
    moved = authors.link("Lee_Park", "alice")
    assert moved == 0  # Lee only wrote on the talk page
    assert Thread.objects.get(subject="Deadline").author == alice
    assert not ImportedAuthor.objects.filter(name="Lee Park").exists()


def test_a_taken_username_gets_a_placeholder_of_its_own(db, tmp_path, make_user_named):
    make_user_named("Dana_Ortiz")
    run(SMALL, tmp_path)
    assert ImportedAuthor.objects.get(name="Dana Ortiz").user.username == "Dana_Ortiz-imported"


@pytest.fixture
def make_user_named(db):
    from conftest import make_user

    return make_user


# --- Again, and after an interruption -------------------------------------------------------------------


def test_importing_again_adds_nothing(small, tmp_path):
    counts = (Revision.objects.count(), Thread.objects.count(), ImportedAuthor.objects.count())
    output = run(SMALL, tmp_path)
    assert "revisions: 0 imported, 8 already there" in output
    assert (Revision.objects.count(), Thread.objects.count(), ImportedAuthor.objects.count()) == counts


def test_an_interrupted_import_continues_where_it_stopped(db, tmp_path, monkeypatch):
    real = pages.Importer._write_talk

    def interrupt(self, page, converted):
        raise KeyboardInterrupt

    monkeypatch.setattr(pages.Importer, "_write_talk", interrupt)
    monkeypatch.setattr(pages, "GROUP_PAGES", 1)  # a transaction per page: the pages before it are committed
    with pytest.raises(progress.Interrupted) as caught:
        run(SMALL, tmp_path)
    assert caught.value.returncode == 130
    assert len(history("E-Rate basics")) == 2 and not Thread.objects.exists()
    monkeypatch.setattr(pages.Importer, "_write_talk", real)
    output = run(SMALL, tmp_path)
    assert "revisions: 6 imported, 2 already there" in output
    assert len(history("E-Rate basics")) == 2 and Thread.objects.count() == 2


def test_an_interrupted_group_of_pages_leaves_no_page_half_written(db, tmp_path, monkeypatch):
    real = pages.Importer._write_talk

    def interrupt(self, page, converted):
        raise KeyboardInterrupt

    monkeypatch.setattr(pages.Importer, "_write_talk", interrupt)
    with pytest.raises(progress.Interrupted):
        run(SMALL, tmp_path)
    # The talk page shares its group's transaction with E-Rate basics: none of the group is there.
    assert not Revision.objects.exists() and not ImportedRevision.objects.exists()
    monkeypatch.setattr(pages.Importer, "_write_talk", real)
    assert "revisions: 8 imported, 0 already there" in run(SMALL, tmp_path)
    assert len(history("E-Rate basics")) == 2 and Thread.objects.count() == 2


def test_a_later_dump_appends_the_new_revisions(db, tmp_path):
    page = WikiPage("Budget", [Rev("one")])
    run(write_dump(tmp_path / "a.xml", [page]), tmp_path)
    page.revisions.append(Rev("two", timestamp="2020-02-01T00:00:00Z"))
    run(write_dump(tmp_path / "b.xml", [page]), tmp_path)
    assert [revision.text for revision in history("Budget")] == ["one", "two"]


def test_a_page_of_this_wiki_with_the_same_title_is_left_alone(db, tmp_path, make_page):
    make_page("Budget", "Our own page")
    output = run(write_dump(tmp_path / "a.xml", [WikiPage("Budget", [Rev("theirs")])]), tmp_path)
    assert [revision.text for revision in history("Budget")] == ["Our own page"]
    assert "left out: a page of this wiki has the title" in output


def test_a_long_history_is_written_in_chunks_in_one_transaction(db, tmp_path, monkeypatch):
    monkeypatch.setattr(dump, "PAGE_BUDGET_BYTES", 10)
    revisions = [Rev(f"Version {n} of the plan") for n in range(5)]
    run(
        write_dump(tmp_path / "a.xml", [WikiPage("Plan", revisions), WikiPage("After", [Rev("x")])]), tmp_path
    )
    assert [revision.text for revision in history("Plan")] == [f"Version {n} of the plan" for n in range(5)]
    assert Page.objects.filter(title="After").exists()


# --- Formats and compression ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xml", ".xml.gz", ".xml.bz2"])
def test_format_0_11_plain_gzip_and_bzip2(db, tmp_path, suffix):
    data = dump_xml([WikiPage("Network plan", [Rev("A '''plan'''.")])]).encode()
    opener = {".xml": lambda d: d, ".xml.gz": gzip.compress, ".xml.bz2": bz2.compress}[suffix]
    path = tmp_path / f"dump{suffix}"
    path.write_bytes(opener(data))
    run(path, tmp_path)
    assert history("Network plan")[0].text == "A **plan**."


# --- Bad files: one line, exit status 1, nothing half-written -----------------------------------------


def test_not_xml_is_refused(db, tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("These are my notes, not an export.")
    error = refused(path, tmp_path)
    assert (
        str(error)
        == f"{path} is not a readable MediaWiki export: the XML is broken (syntax error) at line 1, column 0."
    )
    assert not Page.objects.exists()


def test_a_wrong_format_version_is_refused(db, tmp_path):
    path = write_dump(tmp_path / "old.xml", [WikiPage("A", [Rev("a")])], version="0.8")
    error = refused(path, tmp_path)
    assert "is a MediaWiki export in format 0.8; this importer reads formats 0.10 and 0.11" in str(error)
    assert not Page.objects.exists()


def test_a_truncated_gzip_stops_and_keeps_whole_pages(db, tmp_path):
    pages_ = [WikiPage(f"Page {n}", [Rev(f"Text {n} " * 200)]) for n in range(30)]
    data = gzip.compress(dump_xml(pages_).encode())
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    error = refused(path, tmp_path)
    assert (
        "is not a readable MediaWiki export: the compressed file is cut short or damaged, after the page"
        in str(error)
    )
    for page in Page.objects.all():
        assert ImportedRevision.objects.filter(revision=page.latest).exists()


def test_a_title_we_cannot_store_is_refused(db, tmp_path):
    path = write_dump(
        tmp_path / "a.xml", [WikiPage("Fine", [Rev("a")]), WikiPage("Budget//2024", [Rev("b")])]
    )
    error = refused(path, tmp_path)
    assert "The page “Budget//2024” in" in str(error)
    assert (
        "has a title this wiki cannot store: A title cannot start or end with / or contain an empty"
        in str(error)
    )
    assert list(Page.objects.values_list("title", flat=True)) == ["Fine"]


def test_a_revision_too_large_is_refused_and_its_page_not_written(db, tmp_path, settings):
    settings.MAX_PAGE_BYTES = 2048
    big = WikiPage("Big", [Rev("small"), Rev("word " * 1000)])
    path = write_dump(tmp_path / "a.xml", [WikiPage("Fine", [Rev("a")]), big])
    error = refused(path, tmp_path)
    assert str(error) == (
        f"Could not import revision 1003 of “Big” from {path}: This page is 4 KiB; the limit is 2 KiB. "
        "Split it into subpages."
    )
    assert list(Page.objects.values_list("title", flat=True)) == ["Fine"]
    assert not ImportedRevision.objects.filter(source_id__in=[1002, 1003]).exists()


def test_a_missing_file_is_refused(db, tmp_path):
    error = refused(tmp_path / "nowhere.xml", tmp_path)
    assert str(error) == f"There is no file {tmp_path / 'nowhere.xml'}."


# --- Safety ------------------------------------------------------------------------------------------------


def test_script_and_javascript_links_come_out_inert(db, tmp_path, client):
    text = (
        "<script>alert('x')</script> [javascript:alert(1) click me] "
        '<a href="javascript:alert(2)">two</a> [[javascript:alert(3)|three]] <img src=x onerror=alert(4)>'
    )
    run(write_dump(tmp_path / "a.xml", [WikiPage("Evil", [Rev(text)])]), tmp_path)
    body = client.get("/wiki/Evil").content.decode()
    article = body[body.index("<main") :]
    assert "<script>alert" not in article and "onerror=" not in article.replace("onerror=alert(4)&gt;", "")
    assert 'href="javascript:' not in article
    assert "<img src=x" not in article


# --- Files -----------------------------------------------------------------------------------------------


def test_files_come_in_through_the_upload_checks(small, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    images = tmp_path / "images"
    digest = hashlib.md5(b"District_logo.png").hexdigest()
    folder = images / digest[0] / digest[:2]
    folder.mkdir(parents=True)
    Image.new("RGB", (4, 3)).save(folder / "District_logo.png")
    ImportedRevision.objects.filter(source_id=601).delete()  # as if the page came now, with --files
    Page.objects.filter(title="File:District logo.png").delete()
    output = run(SMALL, tmp_path, "--files", str(images))
    upload = FileUpload.objects.get(page__title="File:District logo.png")
    assert (upload.content_type, upload.width, upload.height) == ("image/png", 4, 3)
    assert "files: 1" in output


def test_a_page_deleted_here_is_left_alone(db, tmp_path, ada):
    from districtwiki.wiki import actions

    page = WikiPage("Budget", [Rev("one")])
    run(write_dump(tmp_path / "a.xml", [page]), tmp_path)
    actions.delete_page(Page.objects.get(title="Budget"), ada, "obsolete")
    page.revisions.append(Rev("two"))
    output = run(write_dump(tmp_path / "b.xml", [page]), tmp_path)
    assert "left out: deleted in this wiki: 1 (in Budget)" in output
    assert [revision.text for revision in history("Budget")] == ["one"]


# --- Imported history among the wiki's own changes ------------------------------------------------------


def test_imported_revisions_take_their_place_in_recent_changes_by_their_own_time(
    db, tmp_path, make_page, client
):
    make_page("Local page", "Written here today.", summary="local edit")
    old = [
        WikiPage(f"Old {n}", [Rev(f"Text {n}", timestamp=f"2019-01-0{n + 1}T00:00:00Z", comment=f"old {n}")])
        for n in range(3)
    ]
    run(write_dump(tmp_path / "old.xml", old), tmp_path)
    newest_first = ["local edit", "old 2", "old 1", "old 0"]
    assert [row.summary for row in client.get("/special/recent").context["revisions"]] == newest_first
    after = Revision.objects.get(summary="old 2").pk
    older = client.get("/special/recent", {"before": after}).context["revisions"]
    assert [row.summary for row in older] == ["old 1", "old 0"]
    query = {"action": "query", "list": "recentchanges", "rcprop": "comment", "format": "json"}
    api = client.get("/w/api.php", {**query, "formatversion": 2}).json()
    assert [change["comment"] for change in api["query"]["recentchanges"]] == newest_first
    feed = client.get("/feeds/recent.atom").content.decode()
    assert [feed.index(summary) for summary in newest_first] == sorted(
        feed.index(summary) for summary in newest_first
    )


def test_import_revisions_chains_parents_across_chunks_and_leaves_the_ids_after_them_free(
    db, alice, monkeypatch
):
    from districtwiki.wiki import actions

    monkeypatch.setattr(actions, "IMPORT_CHUNK_REVISIONS", 2)
    actions.save_revision("Elsewhere", "A page written before.", alice)
    moment = datetime(2018, 1, 1, tzinfo=UTC)
    historic = [actions.HistoricRevision(f"Version {n}", moment, "Lee") for n in range(5)]
    written = []
    result = actions.import_revisions("Plan", iter(historic), written=written.append)
    stored = history("Plan")
    assert [revision.text for revision in stored] == [f"Version {n}" for n in range(5)]
    assert [revision.pk for revision in written] == [revision.pk for revision in stored]
    assert [revision.parent_id for revision in stored] == [None] + [r.pk for r in stored[:-1]]
    assert result.page.latest_id == stored[-1].pk and result.created
    later = actions.save_revision("Plan", "Written here.", alice, stored[-1].pk).revision
    assert later.pk > stored[-1].pk and later.parent_id == stored[-1].pk
