"""`districtwiki export mediawiki`: a dump MediaWiki's own schema accepts, read back with mwxml, that says
what the database says, revision by revision.

`wiki_history()` describes the wiki as the tests expect a dump of it to describe it: the round trip through
`districtwiki import mediawiki` (once it lands) exports, imports into an empty wiki and compares the
`wiki_history()` of both (authors by name, timestamps to the second).
"""

import bz2
import gzip
import hashlib
import io
import os
import subprocess
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import mwxml
import pytest
import xmlschema
from django.core.management import call_command
from django.core.management.base import CommandError

from districtwiki import progress
from districtwiki.interchange import mediawiki_export
from districtwiki.wiki import actions
from districtwiki.wiki.models import Page, Revision
from districtwiki.wiki.tests.server import districtwiki_command

XSD = Path(__file__).with_name("export-0.11.xsd")
MW = "{http://www.mediawiki.org/xml/export-0.11/}"
HOSTILE = (
    "A CDATA end ]]> and <script>alert(1)</script> &amp; &#x41; \"quotes\" 'apostrophes'\n"
    "Beyond the BMP: 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and a tab\there\n\n  indented, trailing spaces   \nend"
)
CONTROL = "bell \x07 vertical tab \x0b escape \x1b and U+FFFF \uffff end"


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD), allow="local")  # no network: xml.xsd is built into xmlschema


@pytest.fixture
def wiki(db, alice, bob, ada):
    """Pages with history by members, a signed-out author, an IP and a former member; a redirect, a protected
    page, File:, Category: and Template: titles, a deleted page, and hostile text."""
    first = actions.save_revision("Firewall rules", "Keep the firewall current.", alice, None, "First draft")
    second = actions.save_revision(
        "Firewall rules", "Keep the firewall current.\n\nReview quarterly.", bob, first.revision.pk, "Review"
    )
    actions.save_revision(
        "Firewall rules", HOSTILE, ada, second.revision.pk, "Summary with <b>tags</b> & ]]>", minor=True
    )
    actions.save_revision("Old firewall page", "#REDIRECT [[Firewall rules]]", alice)
    actions.save_revision("Category:Security", "Pages about security.", alice)
    actions.save_revision("Template:Infobox", "{{kept as text}}", alice)
    protected = actions.save_revision("Board policy", "Approved by the board.", ada)
    actions.protect_page(protected.page, Page.Protection.ADMIN, ada)
    anonymous = actions.save_revision("Wi-Fi", "Guest network.", alice)
    by_ip = actions.save_revision("Wi-Fi", "Guest network, isolated.", alice, anonymous.revision.pk)
    erased = actions.save_revision("Wi-Fi", "Guest network, isolated, throttled.", bob, by_ip.revision.pk)
    Revision.objects.filter(pk=anonymous.revision.pk).update(author=None, author_name="Anonymous")
    Revision.objects.filter(pk=by_ip.revision.pk).update(author=None, author_name="2001:db8::7")
    Revision.objects.filter(pk=erased.revision.pk).update(author=None, author_name="former member")
    gone = actions.save_revision("Retired page", "Nobody needs this.", alice)
    actions.delete_page(gone.page, ada, "obsolete")
    # Times a second or more apart, with microseconds that a MediaWiki timestamp does not carry.
    start = datetime(2025, 3, 1, 8, 30, 15, 654321, tzinfo=UTC)
    for offset, revision in enumerate(Revision.objects.order_by("id")):
        Revision.objects.filter(pk=revision.pk).update(timestamp=start + timedelta(minutes=offset))


def export(target: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("export_data", "mediawiki", str(target), *options, stdout=out)
    return out.getvalue()


def wiki_history() -> dict[str, list[tuple]]:
    """Every live page's revisions, oldest first, as a dump carries them."""
    history: dict[str, list[tuple]] = {}
    for revision in (
        Revision.objects.filter(page__deleted_at__isnull=True).select_related("page").order_by("id")
    ):
        history.setdefault(revision.page.title, []).append(
            (
                revision.timestamp.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
                revision.author_name,
                revision.summary,
                revision.minor,
                revision.text,
            )
        )
    return history


def dump_history(dump: mwxml.Dump) -> dict[str, list[tuple]]:
    return {
        page.title: [
            (
                str(revision.timestamp),
                revision.user.text,
                revision.comment or "",
                revision.minor,
                revision.slots["main"].text or "",
            )
            for revision in page
        ]
        for page in dump
    }


def test_dump_is_valid_against_mediawikis_export_schema(wiki, tmp_path, schema):
    target = tmp_path / "wiki.xml"
    output = export(target)
    schema.validate(str(target))
    assert output.splitlines()[-1] == f"Wrote {target}: 6 pages, 10 revisions (MediaWiki export 0.11)."
    root = ET.parse(target).getroot()
    assert root.tag == f"{MW}mediawiki"
    assert root.get("version") == "0.11"


@pytest.mark.parametrize(
    ("suffix", "opener"), [(".xml", open), (".xml.gz", gzip.open), (".xml.bz2", bz2.open)]
)
def test_every_live_page_and_revision_reads_back_as_the_database_has_it(wiki, tmp_path, suffix, opener):
    target = tmp_path / f"wiki{suffix}"
    export(target)
    with opener(target, "rb") as file:
        dump = mwxml.Dump.from_file(file)
        assert dump.site_info.generator.startswith("districtwiki ")
        assert dump_history(dump) == wiki_history()


def test_revision_ids_parents_sizes_and_mediawiki_sha1s(wiki, tmp_path):
    target = tmp_path / "wiki.xml"
    export(target)
    with target.open("rb") as file:
        revisions = {
            revision.id: (page, revision) for page in mwxml.Dump.from_file(file) for revision in page
        }
    stored = Revision.objects.filter(page__deleted_at__isnull=True).select_related("page")
    assert sorted(revisions) == sorted(stored.values_list("id", flat=True))
    for revision in stored:
        page, dumped = revisions[revision.pk]
        assert page.id == revision.page_id
        assert dumped.parent_id == revision.parent_id
        content = dumped.slots["main"]
        assert (content.model, content.format) == ("markdown", "text/markdown")
        assert int(content.bytes) == revision.size == len(revision.text.encode())
        # MediaWiki's form: the SHA-1 as a base-36 number of 31 digits.
        assert int(content.sha1, 36) == int(revision.sha1, 16)
        assert len(content.sha1) == 31


def test_contributors_are_members_with_ids_or_ip_or_a_plain_name(wiki, tmp_path, alice, bob):
    target = tmp_path / "wiki.xml"
    export(target)
    root = ET.parse(target).getroot()
    contributors = {}
    for page in root.iter(f"{MW}page"):
        if page.findtext(f"{MW}title") == "Wi-Fi":
            for revision in page.iter(f"{MW}revision"):
                contributor = revision.find(f"{MW}contributor")
                contributors[len(contributors)] = [
                    (child.tag[len(MW) :], child.text) for child in contributor
                ]
    assert contributors == {
        0: [("ip", "Anonymous")],
        1: [("ip", "2001:db8::7")],
        2: [("username", "former member")],
    }
    firewall = next(
        page for page in root.iter(f"{MW}page") if page.findtext(f"{MW}title") == "Firewall rules"
    )
    first = firewall.find(f"{MW}revision/{MW}contributor")
    assert [(child.tag[len(MW) :], child.text) for child in first] == [
        ("username", "alice"),
        ("id", str(alice.pk)),
    ]


def test_namespaces_redirects_protection_and_no_deleted_pages(wiki, tmp_path):
    target = tmp_path / "wiki.xml"
    export(target)
    root = ET.parse(target).getroot()
    pages = {page.findtext(f"{MW}title"): page for page in root.iter(f"{MW}page")}
    assert "Retired page" not in pages
    assert {title: page.findtext(f"{MW}ns") for title, page in pages.items()} == {
        "Firewall rules": "0",
        "Old firewall page": "0",
        "Category:Security": "14",
        "Template:Infobox": "10",
        "Board policy": "0",
        "Wi-Fi": "0",
    }
    assert pages["Old firewall page"].find(f"{MW}redirect").get("title") == "Firewall rules"
    assert pages["Board policy"].findtext(f"{MW}restrictions") == "edit=sysop:move=sysop"
    assert pages["Firewall rules"].find(f"{MW}restrictions") is None
    namespaces = {ns.get("key"): ns.text or "" for ns in root.iter(f"{MW}namespace")}
    assert (namespaces["0"], namespaces["6"], namespaces["14"], namespaces["1"]) == (
        "",
        "File",
        "Category",
        "Talk",
    )


def test_hostile_text_and_summaries_round_trip_exactly(wiki, tmp_path, schema):
    target = tmp_path / "wiki.xml"
    export(target)
    schema.validate(str(target))
    with target.open("rb") as file:
        page = next(page for page in mwxml.Dump.from_file(file) if page.title == "Firewall rules")
        latest = list(page)[-1]
    assert latest.slots["main"].text == HOSTILE
    assert latest.comment == "Summary with <b>tags</b> & ]]>"
    assert latest.minor is True


def test_characters_xml_cannot_carry_are_written_as_replacement_characters(db, ada, tmp_path, schema):
    actions.save_revision("Control characters", CONTROL, ada)
    target = tmp_path / "wiki.xml"
    output = export(target)
    schema.validate(str(target))
    with target.open("rb") as file:
        revision = next(iter(next(iter(mwxml.Dump.from_file(file)))))
    written = "bell \ufffd vertical tab \ufffd escape \ufffd and U+FFFF \ufffd end"
    assert revision.slots["main"].text == written
    assert int(revision.slots["main"].bytes) == len(written.encode())
    assert int(revision.slots["main"].sha1, 36) == int(hashlib.sha1(written.encode()).hexdigest(), 16)
    assert "1 revision held control characters XML cannot carry; they were written as U+FFFD." in output


def test_as_wikitext_labels_the_same_text_for_a_stock_mediawiki(wiki, tmp_path, schema):
    target = tmp_path / "wiki.xml"
    export(target, "--as-wikitext")
    schema.validate(str(target))
    with target.open("rb") as file:
        dump = mwxml.Dump.from_file(file)
        models = {
            (revision.slots["main"].model, revision.slots["main"].format)
            for page in dump
            for revision in page
        }
        assert models == {("wikitext", "text/x-wiki")}
    with target.open("rb") as file:
        assert dump_history(mwxml.Dump.from_file(file)) == wiki_history()


def test_an_empty_wiki_gives_a_valid_dump_with_siteinfo_only(db, tmp_path, schema):
    target = tmp_path / "empty.xml"
    assert export(target).splitlines()[-1] == f"Wrote {target}: 0 pages, 0 revisions (MediaWiki export 0.11)."
    schema.validate(str(target))


def test_an_existing_target_is_refused_and_left_alone(wiki, tmp_path):
    target = tmp_path / "wiki.xml"
    target.write_text("keep me")
    with pytest.raises(
        CommandError, match=r"wiki\.xml already exists; choose a new name \(nothing was written\)"
    ):
        export(target)
    assert target.read_text() == "keep me"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["wiki.xml"]


def test_the_command_line_refuses_an_existing_target_with_one_line_and_status_1(tmp_path):
    target = tmp_path / "wiki.xml"
    target.write_text("keep me")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [*districtwiki_command(), "export", "mediawiki", str(target)],
        env={**env, "DISTRICTWIKI_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"CommandError: {target} already exists; choose a new name (nothing was written)."
    ]
    assert target.read_text() == "keep me"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/wiki.xml", r"the folder .*missing does not exist; nothing was written\."),
        (
            "wiki.txt",
            r"wiki\.txt: name the dump FILE\.xml, FILE\.xml\.gz or FILE\.xml\.bz2; nothing was written\.",
        ),
    ],
)
def test_a_target_that_cannot_be_written_is_refused(wiki, tmp_path, name, message):
    with pytest.raises(CommandError, match=message):
        export(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_with_status_130_and_writes_nothing(wiki, tmp_path, monkeypatch):
    advance = progress.Tracker.advance

    def interrupt_at_the_fourth(tracker, amount=1):
        if tracker.done == 3:
            raise KeyboardInterrupt
        advance(tracker, amount)

    monkeypatch.setattr(progress.Tracker, "advance", interrupt_at_the_fourth)
    out = io.StringIO()
    with pytest.raises(progress.Interrupted) as stopped:
        call_command("export_data", "mediawiki", str(tmp_path / "wiki.xml.gz"), stdout=out)
    assert stopped.value.returncode == 130
    assert str(stopped.value).startswith(
        "Stopped by Ctrl+C: exporting revisions stopped after 3 revisions in "
    )
    assert str(stopped.value).endswith(
        "no file was written (wiki.xml.gz does not exist); run the command again."
    )
    assert list(tmp_path.iterdir()) == []
    assert "Done:" not in out.getvalue()


def test_plain_progress_lines_count_revisions(wiki, tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)  # a line on every revision
    lines = export(tmp_path / "wiki.xml").splitlines()
    assert lines[0].startswith("Exporting revisions: 1 of 10 revisions (")
    assert lines[-2].startswith("Done: 10 revisions in ")


def test_memory_stays_flat_and_queries_do_not_grow_with_the_wiki(
    db, ada, tmp_path, django_assert_max_num_queries
):
    # 300 revisions of 40 KB (12 MB of text) written straight to the table; the export holds a chunk at once.
    page = actions.save_revision("Big page", "start", ada).page
    text = "x" * 40_000
    now = datetime.now(UTC)
    Revision.objects.bulk_create(
        Revision(
            page=page,
            author=ada,
            author_name="ada",
            timestamp=now,
            size=len(text),
            sha1="0",
            text=f"{n}{text}",
        )
        for n in range(300)
    )
    tracemalloc.start()
    try:
        with django_assert_max_num_queries(6):
            export(tmp_path / "big.xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (tmp_path / "big.xml").stat().st_size > 12_000_000
    assert peak < 6_000_000, f"peak {peak:,} bytes"
    assert mediawiki_export.CHUNK * 40_000 < 6_000_000


def test_hostile_titles_and_names_round_trip(db, ada, tmp_path, schema):
    title = "R&D: \"budget\" 'plans' & co; 50% off? — 𝔘 😀"  # < > [ ] { } | # are refused in titles
    actions.save_revision(title, "Text.", ada)
    actions.save_revision("Pointer", f"#REDIRECT [[{title}]]", ada)
    target = tmp_path / "wiki.xml"
    export(target)
    schema.validate(str(target))
    with target.open("rb") as file:
        assert [page.title for page in mwxml.Dump.from_file(file)] == [title, "Pointer"]
    root = ET.parse(target).getroot()
    assert [redirect.get("title") for redirect in root.iter(f"{MW}redirect")] == [title]
