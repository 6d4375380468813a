"""`districtwiki export markdown` and `districtwiki import markdown`: names, front matter, the round trip,
folders from Obsidian, GitHub and Wiki.js, and every refusal (each leaves the wiki and the target as they
were)."""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from districtwiki.interchange import markdown_front, markdown_links
from districtwiki.interchange.markdown_names import NameBook, decode_segment, encode_segment, title_from_path
from districtwiki.wiki import uploads
from districtwiki.wiki.models import FileUpload, Page, Revision

from .images import PNG_BYTES

pytestmark = pytest.mark.django_db

HOSTILE_TITLES = [
    "../../escape",
    "A/../../../etc/passwd",
    "..",
    "CON",
    "Nul.txt",
    'What? A "quote": *',
    "Trailing dot.",
    "100% ~ done",
    "C:\\Windows\\System32",
    "Ünïcödé/ságüés",
    "A",
    "A.md/Is a folder",
]


def export(target: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("export_data", "markdown", str(target), *extra, stdout=out)
    return out.getvalue()


def run_import(source: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("import_data", "markdown", str(source), *extra, stdout=out)
    return out.getvalue()


def write(root: Path, path: str, text: str | bytes) -> Path:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    return file


def page_texts() -> dict[str, str]:
    return dict(Page.objects.values_list("title", "latest__text"))


def files_under(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


# --- Names -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_every_name_decodes_to_its_title_and_is_safe_everywhere(title):
    book = NameBook(".md")
    path = book.path(title)

    assert title_from_path(path) == title
    for part in path.split("/"):
        assert part not in (".", "..")
        assert not set(part) & set('<>:"\\|?*')
        assert not part.startswith(".") and not part.removesuffix(".md").endswith((".", " "))
        assert len(part.encode()) <= 255


def test_names_differing_only_in_case_get_apart():
    book = NameBook(".md")

    paths = [book.path("Wi-fi plan"), book.path("Wi-Fi plan"), book.path("Wi-fi plan/Budget")]

    assert paths == ["Wi-fi plan.md", "Wi-Fi plan~2.md", "Wi-fi plan/Budget.md"]
    assert title_from_path(paths[1]) == "Wi-Fi plan"
    assert book.path("Caf\u00e9") == "Caf\u00e9.md"
    assert book.path("Cafe\u0301") == "Cafe\u0301~2.md"  # one name to macOS


def test_a_folder_never_takes_the_name_of_a_file():
    book = NameBook(".md")

    titles = ["A", "A.md/Sub", "File:X.png", "File:X.png/Notes"]

    assert [book.path(title) for title in titles] == [
        "A.md",
        "A.md~2/Sub.md",
        "_files/X.png.md",
        "_files/X.png~2/Notes.md",
    ]


def test_the_copys_own_index_and_search_pages_are_never_a_pages_name():
    book = NameBook(".html", reserved=("index.html", "search.html"))

    assert [book.path("Index"), book.path("Search"), book.path("Index/Sub")] == [
        "Index~2.html",
        "Search~2.html",
        "Index/Sub.html",
    ]


def test_a_very_long_segment_is_shortened_below_the_file_name_limit():
    title = "é" * 250
    path = NameBook(".md").path(title)

    assert len(path.encode()) < 255
    assert decode_segment(encode_segment("a~b")) == "a~b"
    assert decode_segment("Long~h0123abcd~2") == "Long"


def test_decomposed_names_from_macos_read_as_composed_titles():
    assert title_from_path("Cafe\u0301/Me\u0301nu.md") == "Café/Ménu"


def test_namespace_pages_go_to_their_own_folders():
    book = NameBook(".md")

    assert book.path("File:Logo.png") == "_files/Logo.png.md"
    assert book.path("Category:Safety") == "_categories/Safety.md"
    assert title_from_path("_categories/Safety.md") == "Category:Safety"


# --- Front matter ------------------------------------------------------------------------------------------


OWN_BLOCK = "---\naudience: [director]\n# checked by the board\nreviewed: 2026-11-28\n---\n# Phones\n\nBody."


def test_export_merges_our_keys_into_the_pages_own_block_and_reading_gives_the_text_back():
    written = markdown_front.merged(OWN_BLOCK, "Phones", ["Policies"], 7, _now(), "ada")

    assert written.count("---\n") == 2
    assert written.startswith('---\ntitle: "Phones"\ncategories: ["Policies"]\nrevision: 7\n')
    header, text = markdown_front.taken_apart(written)
    assert header.ours and header.title == "Phones"
    assert text == OWN_BLOCK


def test_a_page_without_front_matter_comes_back_without_a_block():
    written = markdown_front.merged("---\n\nNot front matter: a rule above.", "Rule", [], 1, _now(), "ada")

    assert markdown_front.taken_apart(written)[1] == "---\n\nNot front matter: a rule above."


def test_foreign_keys_are_dropped_and_page_fields_kept():
    text = "---\ntitle: Phones\ntags:\n- safety\n- policy\naliases: [cell]\naudience: [director]\n---\nBody"

    header, kept = markdown_front.taken_apart(text)

    assert header.title == "Phones" and header.categories == ["safety", "policy"]
    assert kept == "---\naudience: [director]\n---\nBody"


def _now():
    from django.utils import timezone

    return timezone.now()


# --- Export ------------------------------------------------------------------------------------------------


@pytest.fixture
def wiki(make_page, ada):
    make_page("Home", "Welcome. See [[Policies/Phones]].\n\n[[Category:Start]]", author=ada)
    make_page("Policies", "All our policies.", author=ada)
    make_page("Policies/Phones", OWN_BLOCK + "\n\n[[Category:Start]]\n[[Category:Policies]]", author=ada)
    make_page("Old home", "#REDIRECT [[Home]]", author=ada)
    make_page("Category:Start", "Where to begin.", author=ada)
    uploads.upload_file("Logo.png", ContentFile(PNG_BYTES, name="Logo.png"), ada, "Our logo")
    make_page("Uses logo", "![The logo](File:Logo.png)", author=ada)
    return page_texts()


def test_export_writes_a_file_per_page_with_uploads_and_an_index(wiki, tmp_path):
    target = tmp_path / "out"

    output = export(target)

    assert files_under(target) == {
        ".districtwiki-export",
        "_index.md",
        "Home.md",
        "Old home.md",
        "Policies.md",
        "Policies/Phones.md",
        "Uses logo.md",
        "_files/Logo.png",
        "_files/Logo.png.md",
        "_categories/Start.md",
    }
    assert (target / "_files/Logo.png").read_bytes() == PNG_BYTES
    phones = (target / "Policies/Phones.md").read_text()
    revision = Page.objects.get(title="Policies/Phones").latest
    assert phones.startswith(
        f'---\ntitle: "Policies/Phones"\ncategories: ["Policies", "Start"]\nrevision: {revision.pk}\n'
        f'timestamp: {revision.timestamp.isoformat()}\nauthor: "ada"\naudience: [director]\n'
    )
    assert "- [Policies/Phones](Policies/Phones.md)" in (target / "_index.md").read_text()
    assert "Done: 7 pages in" in output and "Wrote 7 pages" in output


def test_round_trip_into_an_empty_wiki_gives_the_same_pages_and_texts(wiki, tmp_path, ada):
    export(tmp_path / "out")
    Page.objects.all().delete()
    assert not Revision.objects.exists()

    output = run_import(tmp_path / "out")

    assert page_texts() == wiki
    assert FileUpload.objects.get(page__title="File:Logo.png").file.read() == PNG_BYTES
    assert "Pages: 6 created, 1 updated, 0 unchanged." in output  # the file's page came with the upload
    assert "Done: 8 items in" in output  # the progress line: one file and seven pages


def test_importing_the_same_folder_again_adds_nothing(wiki, tmp_path):
    export(tmp_path / "out")
    revisions = Revision.objects.count()

    output = run_import(tmp_path / "out")

    assert Revision.objects.count() == revisions
    assert "Pages: 0 created, 0 updated, 7 unchanged." in output
    assert "Files: 0 uploaded, 1 unchanged." in output


def test_hostile_titles_are_written_inside_the_folder(make_page, ada, tmp_path):
    for title in HOSTILE_TITLES:
        make_page(title, f"Page {title}", author=ada)
    target = tmp_path / "box" / "out"
    target.parent.mkdir()

    export(target)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["box"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["out"]
    written = [path for path in target.rglob("*.md") if path.name != "_index.md"]
    assert len(written) == len(HOSTILE_TITLES)
    assert all(target.resolve() in path.resolve().parents for path in written)


# --- Export refusals ---------------------------------------------------------------------------------------


def test_export_refuses_a_folder_that_is_not_empty(wiki, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(CommandError, match="is not empty: choose a new folder, or add --force"):
        export(tmp_path)

    assert files_under(tmp_path) == {"notes.txt"}


def test_force_replaces_an_earlier_export_but_never_another_folder(wiki, tmp_path):
    export(tmp_path / "out")
    (tmp_path / "out" / "stale.md").write_text("old")
    export(tmp_path / "out", "--force")
    assert not (tmp_path / "out" / "stale.md").exists()

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.md").write_text("mine")
    with pytest.raises(CommandError, match="not an earlier districtwiki export, so --force leaves it alone"):
        export(tmp_path / "mine", "--force")
    assert files_under(tmp_path / "mine") == {"thesis.md"}


def test_export_into_a_missing_parent_is_refused(wiki, tmp_path):
    with pytest.raises(CommandError, match=r"The folder .*nowhere does not exist: create it first"):
        export(tmp_path / "nowhere" / "out")


def test_cli_error_is_one_line_with_exit_status_1(tmp_path):
    import subprocess
    import sys

    (tmp_path / "notes.txt").write_text("mine")
    done = subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", "export", "markdown", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert done.returncode == 1
    assert done.stderr == (
        f"CommandError: {tmp_path} is not empty: choose a new folder, or add --force to replace an "
        "earlier export.\n"
    )


# --- Import from other tools -------------------------------------------------------------------------------


def test_obsidian_vault_links_tags_and_attachments(ada, tmp_path):
    vault = tmp_path / "vault"
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "attachments/Pasted image.png", PNG_BYTES)
    switches = "---\ntags: [network, hardware, a|b]\naliases: [a]\n---\nSee [[Vlans]]."
    write(vault, "Network/Switches.md", switches)
    write(vault, "Network/Vlans.md", "Back to [[Switches|the switches]].\n\n![[Pasted image.png]]")
    home = "Start at [the switches](Network/Switches.md#models).\n\n```\n[[Not a link]]\n```\n"
    write(vault, "Home.md", home)

    output = run_import(vault, "--author", "ada")

    texts = page_texts()
    assert texts["Network/Switches"] == (
        "See [[Network/Vlans]].\n\n[[Category:Network]]\n[[Category:Hardware]]"
    )
    assert texts["Network/Vlans"] == "Back to [[Network/Switches|the switches]].\n\n[[File:Pasted image.png]]"
    assert texts["Home"] == "Start at [[Network/Switches#models|the switches]].\n\n```\n[[Not a link]]\n```"
    assert FileUpload.objects.get(page__title="File:Pasted image.png").uploader == ada
    assert Revision.objects.filter(page__title="Home").get().author == ada
    assert "Pages: 3 created" in output and "Files: 1 uploaded" in output
    assert (
        "Warning: Network/Switches.md: the tag “a|b” cannot be a category "
        '(Titles cannot contain the character "|".); left out.'
    ) in output


def test_github_and_wikijs_links(ada, tmp_path):
    wiki = tmp_path / "wiki"
    write(wiki, "Home.md", "Read [the plan](Disaster-plan) and [the guide](/en/guide).")
    write(wiki, "Disaster-plan.md", "Plan. [Report form](forms/report.pdf)")
    write(wiki, "en/guide.md", "---\ntitle: Setup guide\ndescription: how\npublished: true\n---\nGuide.")
    write(wiki, "forms/report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    write(wiki, "_Sidebar.md", "[[Home]]")

    run_import(wiki)

    texts = page_texts()
    assert texts["Home"] == "Read [[Disaster-plan|the plan]] and [[Setup guide|the guide]]."
    assert texts["Setup guide"] == "Guide."
    assert texts["Disaster-plan"] == "Plan. [[File:Report.pdf|Report form]]"
    assert "Sidebar" not in " ".join(texts)


def test_github_wiki_names_with_hyphens_for_spaces(ada, tmp_path):
    wiki = tmp_path / "wiki"
    write(wiki, "Home.md", "Read [the plan](Disaster-plan) or [[Disaster plan]].")
    write(wiki, "Disaster-plan.md", "Plan.")

    run_import(wiki, "--hyphens-as-spaces")

    assert page_texts() == {
        "Home": "Read [[Disaster plan|the plan]] or [[Disaster plan]].",
        "Disaster plan": "Plan.",
    }


# --- Import refusals: each one leaves the wiki unchanged ---------------------------------------------------


@pytest.fixture
def folder(tmp_path, ada):
    root = tmp_path / "notes"
    write(root, "A good page.md", "Fine.")
    return root


def refused(root: Path, message: str) -> None:
    """The import stops with `message` and exit status 1, and the wiki is as it was."""
    with pytest.raises(CommandError, match=message) as error:
        run_import(root)
    assert error.value.returncode == 1
    assert not Page.objects.exists() and not FileUpload.objects.exists()


def test_missing_folder_is_refused(folder):
    refused(folder / "nowhere", "nowhere does not exist or is not a folder")


def test_file_that_is_not_utf8_is_refused(folder):
    write(folder, "Latin.md", "Caf\xe9".encode("latin-1"))
    refused(folder, r"Latin.md is not UTF-8 text \(byte 3\): save it as UTF-8")


def test_title_we_cannot_store_is_refused(folder):
    write(folder, "Bad.md", "---\ntitle: A [bracketed] title\n---\nText")
    refused(folder, r"Bad.md: the title “A \[bracketed\] title” cannot be used: Titles cannot contain the")


def test_page_too_large_is_refused(folder, settings):
    settings.MAX_PAGE_BYTES = 2048
    write(folder, "Big.md", "x" * 4096)
    refused(folder, "Big.md: This page is 4 KiB; the limit is 2 KiB")


def test_file_far_too_large_is_refused_before_it_is_read(folder, settings):
    settings.MAX_PAGE_BYTES = 2048
    write(folder, "Huge.md", "x" * 9 * 1024)
    refused(folder, "Huge.md is 9 KiB; a page may be at most 2 KiB")


def test_two_files_with_one_title_are_refused(folder):
    write(folder, "Other.md", "---\ntitle: A good page\n---\nSecond")
    refused(folder, "A good page.md and Other.md would both be the page “A good page”")


def test_invalid_page_field_is_refused(folder):
    write(folder, "Fields.md", "---\naudience: [everyone]\n---\nText")
    refused(folder, "Fields.md: Front matter field `audience` has “everyone”")


def test_unknown_author_is_refused(folder):
    with pytest.raises(CommandError, match="There is no active member called “nobody”"):
        run_import(folder, "--author", "nobody")
    assert not Page.objects.exists()


def test_symlinks_and_dotdot_links_never_read_outside_the_folder(folder, tmp_path):
    secret = write(tmp_path, "secret/passwords.md", "secret")
    write(tmp_path, "secret/photo.png", PNG_BYTES)
    os.symlink(secret, folder / "Linked.md")
    os.symlink(secret.parent, folder / "linked-folder")
    escape = "[x](../secret/passwords.md) ![y](../secret/photo.png) [z](/../secret/photo.png)"
    write(folder, "Escape.md", escape)

    output = run_import(folder)

    assert set(page_texts()) == {"A good page", "Escape"}
    assert page_texts()["Escape"] == escape
    assert not FileUpload.objects.exists()
    assert "Skipped Linked.md: a symbolic link" in output
    assert "Skipped linked-folder: a symbolic link" in output


def test_a_file_swapped_for_a_symlink_after_the_scan_is_not_read(folder, tmp_path):
    from districtwiki.interchange.markdown_import import read_text

    secret = write(tmp_path, "secret.md", "secret")
    (folder / "A good page.md").unlink()
    os.symlink(secret, folder / "A good page.md")

    with pytest.raises(CommandError, match=r"A good page\.md cannot be read inside"):
        read_text(folder, "A good page.md")


def test_link_heavy_page_converts_in_linear_time():
    """Unclosed brackets, half links and wiki-link openers by the ten thousand: the conversion's scans each
    stop at the next bracket, so the whole page costs one pass."""
    hostile = "[a](b.md " * 20_000 + "[[x" * 20_000 + "![" * 20_000 + "](" * 20_000
    hostile += "[t](A%20good%20page.md) " * 5_000
    folder = markdown_links.Folder({"A good page.md": "A good page", "Links.md": "Links"}, set())

    started = time.process_time()  # this process's CPU time: other work on the machine does not count
    converted = markdown_links.convert(hostile, "Links.md", folder, lambda path: path)
    elapsed = time.process_time() - started

    assert elapsed < 1, elapsed
    assert converted.text.count("[[A good page|t]]") == 5_000
    assert converted.text.startswith("[a](b.md " * 3)


def test_an_unreadable_image_a_page_shows_is_refused_before_anything_is_written(folder):
    write(folder, "img/fake.png", b"this is not a png at all")
    write(folder, "Shows it.md", "![fake](img/fake.png)")
    refused(folder, r"img/fake\.png: ")
