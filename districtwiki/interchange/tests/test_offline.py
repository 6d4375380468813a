"""`districtwiki export html`: the offline copy's files, its links (every one resolves inside the copy or is
an inert red link), one category's copy, the .zip form, and the refusals."""

import html
import io
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from districtwiki import progress
from districtwiki.interchange.offline import links
from districtwiki.wiki import uploads

from .images import PNG_BYTES

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r'<(a|img|link|script|form)\b[^>]*?\s(href|src|action)="([^"]*)"')


def export(target: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("export_data", "html", str(target), *extra, stdout=out)
    return out.getvalue()


def build_wiki(make_page, ada) -> None:
    """The wiki the offline tests (and the browser test) copy."""
    uploads.upload_file("Logo.png", ContentFile(PNG_BYTES, name="Logo.png"), ada, "Our logo")
    make_page(
        "Home",
        "# Welcome\n\nStart with [[Policies/Phones|the phone policy]], the [[Policies]] and "
        "[[Board meeting]].\n\n![Our logo](File:Logo.png)\n\n![Remote](https://example.org/x.png)\n\n"
        "[[Category:Start]]",
        author=ada,
    )
    make_page(
        "Policies", "All our policies, including [[Policies/Phones]].\n\n[[Category:Policies]]", author=ada
    )
    make_page(
        "Policies/Phones",
        "---\naudience: [director]\n---\n## Pineapple rule\n\nPhones stay in lockers. Back to [[Home]] or "
        "the [[Home#Welcome|welcome]]; see [[:Category:Start]].\n\n[[Category:Policies]]",
        author=ada,
    )
    make_page("Old home", "#REDIRECT [[Home]]", author=ada)


@pytest.fixture
def wiki(make_page, ada):
    build_wiki(make_page, ada)


def references(root: Path) -> list[tuple[Path, str, str]]:
    """Every (file, tag, URL) that a browser would follow or fetch, in every HTML file of the copy."""
    found = []
    for page in root.rglob("*.html"):
        for tag, _, url in REFERENCE.findall(page.read_text()):
            found.append((page, tag, url))
    return found


def test_copy_has_every_page_category_file_and_our_stylesheet(wiki, tmp_path):
    target = tmp_path / "copy"

    output = export(target)

    written = {path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()}
    assert {
        "index.html",
        "search.html",
        "Home.html",
        "Old home.html",
        "Policies.html",
        "Policies/Phones.html",
        "_files/Logo.png",
        "_files/Logo.png.html",
        "_categories/Start.html",
        "_categories/Policies.html",
        "_static/wiki.css",
        "_static/page.css",
        "_static/offline.css",
        "_static/offline-search.js",
        "_static/search-index.js",
    } <= written
    assert (target / "_files/Logo.png").read_bytes() == PNG_BYTES
    assert "Wrote 5 pages" in output


def test_every_reference_resolves_inside_the_copy_and_nothing_is_fetched_from_a_server(wiki, tmp_path):
    export(tmp_path / "copy")

    assert_references_resolve(tmp_path / "copy")


def assert_references_resolve(root: Path) -> None:
    for page, tag, url in references(root):
        if tag == "a" and url.startswith(("https://", "http://")):
            continue  # a link the reader may follow when online; never fetched by the page itself
        assert not re.match(r"^[a-z]+:|^/", url), (page, url)
        path = unquote(html.unescape(url).split("#")[0].split("?")[0])
        if path:
            target = (page.parent / path).resolve()
            assert target.is_file() and root.resolve() in target.parents, (page, url)


def test_links_are_relative_to_the_subpage_and_red_links_lead_nowhere(wiki, tmp_path):
    export(tmp_path / "copy")

    phones = (tmp_path / "copy/Policies/Phones.html").read_text()
    assert '<a href="../Home.html" class="wikilink">Home</a>' in phones
    assert '<a href="../Home.html#welcome" class="wikilink">welcome</a>' in phones
    assert 'href="../_categories/Start.html"' in phones
    assert 'href="../_static/wiki.css"' in phones
    home = (tmp_path / "copy/Home.html").read_text()
    assert '<a class="wikilink new" title="Board meeting (not in this copy)">Board meeting</a>' in home
    assert re.search(r'<img alt="Our logo" [^>]*src="_files/Logo.png">', home)
    assert '<a class="external-image" href="https://example.org/x.png">Remote</a>' in home


def test_header_names_the_wiki_the_page_and_the_date_of_the_copy(wiki, tmp_path, settings):
    settings.SITE_NAME = "Valley Tech Leaders"
    export(tmp_path / "copy")

    phones = (tmp_path / "copy/Policies/Phones.html").read_text()
    assert re.search(
        r'<a class="site-name" href="../index.html"><svg [^<]*<rect[^>]*/><path[^>]*/></svg>'
        r"<span>Valley Tech Leaders</span></a>",
        phones,
    )
    assert "<h1>Policies/Phones</h1>" in phones
    assert re.search(r"Offline copy of \d{1,2} [A-Z][a-z]+ \d{4}", phones)
    assert "<script" not in phones and "style=" not in phones


def test_search_index_is_a_script_with_every_page(wiki, tmp_path):
    export(tmp_path / "copy")

    index = (tmp_path / "copy/_static/search-index.js").read_text()
    assert index.startswith("window.districtwikiSearchIndex = [")
    assert (
        '"title":"Policies/Phones","path":"Policies/Phones.html","text":"Pineapple rule Phones stay' in index
    )
    search = (tmp_path / "copy/search.html").read_text()
    assert '<script src="_static/search-index.js" defer></script>' in search
    assert "<script>" not in search


def test_one_category_copies_its_pages_and_files_only(wiki, tmp_path):
    export(tmp_path / "copy", "--category", "Category:policies")

    written = {p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*.html")}
    assert written == {
        "index.html",
        "search.html",
        "Policies.html",
        "Policies/Phones.html",
        "_categories/Policies.html",
    }
    phones = (tmp_path / "copy/Policies/Phones.html").read_text()
    assert '<a class="wikilink new" title="Home (not in this copy)">Home</a>' in phones
    assert '<a class="wikilink new" title="Category:Start (not in this copy)">Category:Start</a>' in phones


def test_zip_holds_the_same_copy(wiki, tmp_path):
    export(tmp_path / "copy.zip")

    with zipfile.ZipFile(tmp_path / "copy.zip") as archive:
        names = set(archive.namelist())
    assert {"index.html", "Policies/Phones.html", "_files/Logo.png", "_static/wiki.css"} <= names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.zip"]


# --- Refusals ----------------------------------------------------------------------------------------------


def test_zip_in_a_missing_folder_is_refused(wiki, tmp_path):
    with pytest.raises(CommandError, match=r"The folder .*/absent does not exist: create it first") as error:
        export(tmp_path / "absent" / "copy.zip")
    assert error.value.returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_existing_zip_is_refused_without_force(wiki, tmp_path):
    (tmp_path / "copy.zip").write_bytes(b"mine")

    with pytest.raises(CommandError, match=r"copy\.zip already exists: choose a new name, or add --force"):
        export(tmp_path / "copy.zip")

    assert (tmp_path / "copy.zip").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.zip"]


def test_folder_that_is_not_empty_is_refused(wiki, tmp_path):
    (tmp_path / "mine.txt").write_text("mine")

    with pytest.raises(CommandError, match="is not empty: choose a new folder"):
        export(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_unknown_category_is_refused(wiki, tmp_path):
    with pytest.raises(CommandError, match="No page is in the category “Nothing here”: nothing to copy"):
        export(tmp_path / "copy", "--category", "Nothing here")
    assert list(tmp_path.iterdir()) == []


def test_an_error_half_way_leaves_nothing_behind(wiki, tmp_path, monkeypatch):
    def fail(*args):
        raise CommandError("disk full")

    monkeypatch.setattr("districtwiki.interchange.offline.export._write_index", fail)

    with pytest.raises(CommandError, match="disk full"):
        export(tmp_path / "copy")

    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_with_status_130_and_leaves_nothing(wiki, tmp_path, monkeypatch):
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("districtwiki.interchange.offline.export.write_page", interrupt)

    with pytest.raises(progress.Interrupted) as stopped:
        export(tmp_path / "copy.zip")

    assert stopped.value.returncode == 130
    assert str(stopped.value) == (
        f"Stopped by Ctrl+C: nothing was written to {tmp_path / 'copy.zip'}; run the export again to make it."
    )
    assert list(tmp_path.iterdir()) == []


def test_progress_is_counted_in_pages(wiki, tmp_path):
    output = export(tmp_path / "copy")

    assert re.search(r"^Done: 5 pages in \d+ s \(\d[\d,]*/s\)\.$", output, re.MULTILINE)


def test_hostile_titles_stay_inside_the_copy_and_links_to_them_resolve(make_page, ada, tmp_path):
    titles = ("../../escape", "A/../../../x", "..", "CON", "C:\\Windows", "Say \"hi\" & 'bye'/%2F")
    titles += ("A", "A.html/x")  # the folder of the second would be the first's file
    for title in titles:
        links_to_all = " ".join(f"[[{other}]]" for other in titles)
        make_page(title, f"Page {title}: {links_to_all}", author=ada)
    (tmp_path / "box").mkdir()

    export(tmp_path / "box" / "copy")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["box"]
    assert sorted(p.name for p in (tmp_path / "box").iterdir()) == ["copy"]
    assert len([p for p in (tmp_path / "box/copy").rglob("*.html")]) == len(titles) + 2
    assert_references_resolve(tmp_path / "box/copy")
    index = (tmp_path / "box/copy/index.html").read_text()
    assert "Say &quot;hi&quot; &amp; &#x27;bye&#x27;/%2F</a>" in index


def test_rewriting_a_link_heavy_page_is_linear():
    fragment = '<p><a data-wikilink="Home" href="/wiki/Home">x</a> [[<a href="/file/X.png">' * 20_000
    fragment += "<a " * 20_000 + '<img src="/file/Y.png" alt="y">' * 20_000
    paths = links.Paths({"Home": "Home.html"}, {"File:Y.png": "_files/Y.png"}, here="A/B/C.html")

    started = time.process_time()  # this process's CPU time: other work on the machine does not count
    rewritten = links.rewrite(fragment, paths)
    elapsed = time.process_time() - started

    assert elapsed < 2, elapsed
    assert rewritten.count('href="../../Home.html"') == 20_000
    assert rewritten.count('src="../../_files/Y.png"') == 20_000
