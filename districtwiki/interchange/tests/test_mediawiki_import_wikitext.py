"""Wikitext to our Markdown (interchange/wikitext.py): our syntax kept, many texts per pandoc process, and
bounded cost on the inputs that make pandoc's reader slow."""

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from districtwiki.interchange import wikitext, wikitext_plain
from districtwiki.wiki import markup


def convert_one(text: str) -> wikitext.Converted:
    return wikitext.convert([text])[0]


def test_links_categories_files_and_redirects_in_our_syntax():
    converted = convert_one(
        "See [[Network_plan]], [[Network plan|the plan]], [[CIPA#Filtering]] and [[:Category:Funding]].\n"
        "[[File:District logo.png|thumb|Our logo]] [[Media:Budget.pdf]]\n[[Category:Funding|sort key]]"
    )
    assert converted.markdown == (
        "See [[Network plan]], [[Network plan|the plan]], [[CIPA#Filtering]] and [[:Category:Funding]]. "
        "![Our logo](File:District_logo.png) [[File:Budget.pdf]] [[Category:Funding]]"
    )
    redirect = convert_one("#REDIRECT [[E-Rate basics]]\n[[Category:Old]]")
    assert redirect.markdown == "#REDIRECT [[E-Rate basics]]\n\n[[Category:Old]]"
    assert markup.render(redirect.markdown).redirect_to == "E-Rate basics"


def test_parser_functions_and_raw_html_stay_visible_and_are_counted():
    converted = convert_one("{{#if: x | y }}\n\nText <iframe src='x'></iframe> and <code>`ticks`</code>.")
    assert "```wikitext\n{{#if: x | y }}\n```" in converted.markdown
    assert converted.warnings["parser function"] == 1
    assert "&lt;iframe" in markup.render(converted.markdown).html


def test_many_texts_go_to_one_pandoc_process():
    pandoc = wikitext.Pandoc()
    texts = [f"== Part {n} ==\n'''Bold''' [[Page {n}]]<ref>note {n}</ref>" for n in range(60)]
    converted = wikitext.convert(texts, pandoc)
    assert pandoc.calls == 1
    for n, item in enumerate(converted):
        assert item.markdown.startswith(f"## Part {n}\n\n**Bold** [[Page {n}]][^")
        assert f"note {n}" in item.markdown  # each text keeps its own footnote


def test_a_text_pandoc_refuses_is_kept_whole_and_the_others_converted():
    pandoc = wikitext.Pandoc()
    texts = [f"text ''{n}''" for n in range(16)]
    texts[5] = "{|\n| a table that never closes"
    converted = wikitext.convert(texts, pandoc)
    assert converted[5].markdown == "```wikitext\n{|\n| a table that never closes\n```"
    assert converted[5].warnings["not converted"] == 1
    assert [item.markdown for index, item in enumerate(converted) if index != 5] == [
        f"text *{n}*" for n in range(16) if n != 5
    ]
    assert pandoc.calls <= 1 + 2 * 4  # halved until the one at fault is alone


@pytest.mark.parametrize("unit", ["[[", "* [[a|", "{{a|[[b"])
def test_unpaired_brackets_cost_linear_time(unit):
    """pandoc's reader took over a minute on 40 KB of unclosed `[[`; escaped first, about a second."""
    text = unit * (30_000 // len(unit))
    source = wikitext._prepare(text).source
    assert "[[" not in source.replace("&#91;", "") or "]]" in source
    started = time.perf_counter()
    converted = convert_one(text)
    assert time.perf_counter() - started < 15
    assert "not converted" not in converted.warnings


def test_a_text_slow_for_pandoc_is_stopped_by_the_timeout(monkeypatch):
    monkeypatch.setattr(wikitext, "TIMEOUT_FLOOR", 0.5)
    monkeypatch.setattr(wikitext, "TIMEOUT_PER_MB", 0.0)
    slow = "<ref>" * 30_000  # unclosed references: several seconds in pandoc's reader
    started = time.perf_counter()
    converted = wikitext.convert(["fine ''text''", slow])
    assert time.perf_counter() - started < 8
    assert converted[0].markdown == "fine *text*"
    assert converted[1].warnings["not converted"] == 1
    assert converted[1].markdown.startswith("```wikitext\n<ref><ref>")


# --- The admin's path for placeholder accounts -------------------------------------------------------------


def test_imported_authors_command_lists_and_claims(db, tmp_path):
    from .mediawiki_dumps import SMALL

    call_command(
        "import_data", "mediawiki", str(SMALL), "--report", str(tmp_path / "r.txt"), stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("imported_authors", "list", stdout=out)
    assert "Dana_Ortiz\tDana Ortiz\tstatetech\tplaceholder" in out.getvalue()
    call_command("imported_authors", "claim", "Dana_Ortiz", "dana@example.org", stdout=out)
    assert "“Dana_Ortiz” now belongs to dana@example.org" in out.getvalue()
    with pytest.raises(CommandError, match=r"“Nobody” is not an unclaimed imported author\."):
        call_command("imported_authors", "link", "Nobody", "alice")


# --- The plain path ----------------------------------------------------------------------------------------

PLAIN_TEXTS = [
    "Plain text with ''italic'' and '''bold''' and [[Page|label]] and [[Other_page]].",
    "== A ==\n* one\n* two\n\n# first\n# second\nafter the list\n\n=== Smaller ===\ntext",
    "District's ''plan'' is 5% of [[Budget 2024]] (really!) per [http://example.org the site]; x_y *star #1",
    "Line one\nline two joins it.\n\n1. not a list here\n\n[[Category:Funding]]",
    "Text {{Stub}} between.\n\n{{Infobox\n|a=1\n}}",
]
NOT_PLAIN = [
    "a <b>tag</b>",
    "'''''both'''''",
    "** nested",
    " preformatted",
    ": indented",
    "bare http://example.org link",
    "''unclosed italic",
    "'''crossed ''marks''' here''",
]


def render(markdown: str) -> str:
    return " ".join(markup.render(markdown).html.split())


def test_the_plain_path_renders_as_pandoc_does(monkeypatch):
    from bench.mwimport import page_texts

    texts = PLAIN_TEXTS + [text for number in range(1, 40) for text in page_texts(number, 2, 40)]
    assert all(wikitext_plain.convert(wikitext._prepare(text).source) is not None for text in texts)
    fast = wikitext.convert(texts)
    monkeypatch.setattr(wikitext_plain, "convert", lambda text: None)
    slow = wikitext.convert(texts)
    assert [render(item.markdown) for item in fast] == [render(item.markdown) for item in slow]
    assert [item.warnings for item in fast] == [item.warnings for item in slow]


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_what_the_plain_path_does_not_know_goes_to_pandoc(text):
    assert wikitext_plain.convert(wikitext._prepare(text).source) is None
