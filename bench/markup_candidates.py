"""Compiled Markdown parsers against `markup.render`: speed, and how far their HTML is from ours.

    python -m bench.markup_candidates [--spec commonmark-spec/spec.txt]
        (each candidate that is importable: comrak, markdown-it-pyrs, cmarkgfm; none is a dependency)

Every starter page and the bench corpus is rendered by each candidate, set up as close to our syntax as its
options allow, and passed through the same sanitiser (`markup.sanitize`) as ours. (markup.render is comrak
since this comparison showed it could be spelled as markdown-it wrote our HTML; bench.markup_same checks
two checkouts give the same HTML.) The report counts the
pages whose final HTML is identical to `markup.render`'s and, for the others, which constructs the
differing lines hold (wiki links, task lists, headings, tables, links, images, footnotes, other), so the
work an adapter would need is measured rather than guessed. Written to bench/results/markup-candidates.md.
"""

import argparse
import difflib
import importlib
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.markup_speed import corpus_texts, render_speed, starter_texts
from bench.run import RESULTS

CATEGORIES = (
    ("wiki links", re.compile(r"data-wikilink|\[\[")),
    ("task lists", re.compile(r"task-list|checkbox")),
    ("table of contents", re.compile(r'class="toc|toc-level|toc-heading')),
    ("heading ids", re.compile(r"<h[1-6]")),
    ("tables", re.compile(r"<t[hd][ >]|align")),
    ("footnotes", re.compile(r"footnote|fnref")),
    ("images", re.compile(r"<img")),
    ("external links", re.compile(r"<a [^>]*href=\"(https?:)?//")),
    ("front matter", re.compile(r"^(<hr>|<h2>)?[a-z_]+:", re.MULTILINE)),
)


def sanitised(render: Callable[[str], str]) -> Callable[[str], str]:
    from districtwiki.wiki import markup

    return lambda text: markup.sanitize(render(text))


def comrak_renderer() -> Callable[[str], str]:
    comrak = importlib.import_module("comrak")
    extensions = comrak.ExtensionOptions()
    extensions.table = extensions.strikethrough = extensions.tasklist = extensions.footnotes = True
    extensions.header_id_prefix = ""
    extensions.wikilinks_title_after_pipe = True  # [[Title|label]]
    extensions.front_matter_delimiter = "---"
    options = comrak.RenderOptions()
    options.escape = True  # raw HTML shown as text, as markdown-it's html=False does
    options.tasklist_classes = True
    return sanitised(
        lambda text: comrak.render_markdown(text, extension_options=extensions, render_options=options)
    )


def markdown_it_pyrs_renderer() -> Callable[[str], str]:
    module = importlib.import_module("markdown_it_pyrs")
    plugins = ["table", "strikethrough", "front_matter", "tasklist", "footnote", "heading_anchors"]
    return sanitised(module.MarkdownIt("commonmark").enable_many(plugins).render)


def cmarkgfm_renderer() -> Callable[[str], str]:
    cmarkgfm = importlib.import_module("cmarkgfm")
    footnotes = importlib.import_module("cmarkgfm.cmark").Options.CMARK_OPT_FOOTNOTES
    return sanitised(lambda text: cmarkgfm.github_flavored_markdown_to_html(text, options=footnotes))


CANDIDATES = {
    "comrak, options only": comrak_renderer,
    "markdown-it-pyrs, options only": markdown_it_pyrs_renderer,
    "cmarkgfm, options only": cmarkgfm_renderer,
}
SPEC_EXAMPLE = re.compile(r"^`{32} example\n(.*?)^\.\n(.*?)^`{32}$", re.S | re.M)
HEADING_ID = re.compile(r'\s+id="[^"]*"')


def differing_categories(ours: str, theirs: str) -> set[str]:
    changed = [
        line[1:]
        for line in difflib.unified_diff(ours.splitlines(), theirs.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    found = {name for line in changed for name, pattern in CATEGORIES if pattern.search(line)}
    return found or {"other"}


def compare(render: Callable[[str], str], texts: list[str], expected: list[str]) -> tuple[int, Counter]:

    identical, categories = 0, Counter()
    for text, ours in zip(texts, expected, strict=True):
        theirs = render(text)
        if theirs == ours:
            identical += 1
        else:
            categories.update(differing_categories(ours, theirs))
    return identical, categories


def spec_examples(path: Path) -> list[tuple[str, str]]:
    """(Markdown, HTML) of each example of the CommonMark spec's spec.txt; → stands for a tab there."""
    return [
        (markdown.replace("\u2192", "\t"), expected.replace("\u2192", "\t"))
        for markdown, expected in SPEC_EXAMPLE.findall(path.read_text())
    ]


def spec_comparison(render: Callable[[str], str], examples: list[tuple[str, str]]) -> str:
    """How many spec examples give the spec's HTML (both sanitised; our heading ids left out) with ours and
    with the candidate, and the examples ours passes and the candidate does not."""
    from districtwiki.wiki import markup

    ours_pass, theirs_pass, identical, lost = 0, 0, 0, []
    for number, (text, expected) in enumerate(examples, start=1):
        want = HEADING_ID.sub("", markup.sanitize(expected)).strip()
        ours, theirs = markup.render(text).html, render(text)
        ours_ok = HEADING_ID.sub("", ours).strip() == want
        theirs_ok = HEADING_ID.sub("", theirs).strip() == want
        ours_pass, theirs_pass, identical = (
            ours_pass + ours_ok,
            theirs_pass + theirs_ok,
            identical + (ours == theirs),
        )
        if ours_ok and not theirs_ok:
            lost.append(str(number))
    return (
        f"- CommonMark spec, {len(examples)} examples: the spec's HTML from ours {ours_pass}, from this one "
        f"{theirs_pass}; identical to ours {identical}; passed by ours and not by this one: "
        f"{', '.join(lost) or 'none'}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.markup_candidates", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--spec", type=Path, help="the CommonMark spec's spec.txt, to compare its examples too"
    )
    args = parser.parse_args(argv)
    if args.spec and not args.spec.is_file():
        print(f"bench.markup_candidates: no file {args.spec}", file=sys.stderr)
        raise SystemExit(2)
    spec = spec_examples(args.spec) if args.spec else []
    from districtwiki.wiki import markup

    sets = {"starter pages": starter_texts(), "bench corpus": corpus_texts()}
    expected = {name: [markup.render(text).html for text in texts] for name, texts in sets.items()}
    lines = ["# Compiled Markdown parsers against markup.render\n"]
    for name, texts in sets.items():
        pages_per_second, p50 = render_speed(markup.render, texts, 2)
        lines.append(f"- markup.render, {name}: {pages_per_second:.0f} pages/s, p50 {p50:.2f} ms")
    for candidate, make in CANDIDATES.items():
        try:
            render = make()
        except ImportError:
            lines.append(f"\n## {candidate}: not installed\n")
            continue
        lines.append(f"\n## {candidate}\n")
        for name, texts in sets.items():
            pages_per_second, p50 = render_speed(render, texts, 2)
            identical, categories = compare(render, texts, expected[name])
            differing = ", ".join(f"{category} {count}" for category, count in categories.most_common())
            lines.append(
                f"- {name}: {pages_per_second:.0f} pages/s, p50 {p50:.2f} ms (sanitiser included); "
                f"identical HTML {identical}/{len(texts)}; pages differing in: {differing or 'nothing'}"
            )
        if spec:
            lines.append(spec_comparison(render, spec))
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "markup-candidates.md").write_text(report)


if __name__ == "__main__":
    main()
