"""Compiled Markdown parsers against `markup.render`: speed, and how far their HTML is from ours.

    python -m bench.markup_candidates        (each candidate that is importable: comrak, markdown-it-pyrs,
                                              cmarkgfm; none is a dependency of the wiki)

Every starter page and the bench corpus is rendered by each candidate, set up as close to our syntax as its
options allow, and passed through the same sanitiser (`markup.sanitize`) as ours. The report counts the
pages whose final HTML is identical to `markup.render`'s and, for the others, which constructs the
differing lines hold (wiki links, task lists, headings, tables, links, images, footnotes, other), so the
work an adapter would need is measured rather than guessed. Written to bench/results/markup-candidates.md.
"""

import difflib
import importlib
import re
from collections import Counter
from collections.abc import Callable

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
    return lambda text: comrak.render_markdown(text, extension_options=extensions, render_options=options)


def markdown_it_pyrs_renderer() -> Callable[[str], str]:
    module = importlib.import_module("markdown_it_pyrs")
    plugins = ["table", "strikethrough", "front_matter", "tasklist", "footnote", "heading_anchors"]
    return module.MarkdownIt("commonmark").enable_many(plugins).render


def cmarkgfm_renderer() -> Callable[[str], str]:
    cmarkgfm = importlib.import_module("cmarkgfm")
    options = importlib.import_module("cmarkgfm.cmark").Options
    return lambda text: cmarkgfm.github_flavored_markdown_to_html(text, options=options.CMARK_OPT_FOOTNOTES)


CANDIDATES = {
    "comrak": comrak_renderer,
    "markdown-it-pyrs": markdown_it_pyrs_renderer,
    "cmarkgfm": cmarkgfm_renderer,
}


def differing_categories(ours: str, theirs: str) -> set[str]:
    changed = [
        line[1:]
        for line in difflib.unified_diff(ours.splitlines(), theirs.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    found = {name for line in changed for name, pattern in CATEGORIES if pattern.search(line)}
    return found or {"other"}


def compare(render: Callable[[str], str], texts: list[str], expected: list[str]) -> tuple[int, Counter]:
    from districtwiki.wiki import markup

    identical, categories = 0, Counter()
    for text, ours in zip(texts, expected, strict=True):
        theirs = markup.sanitize(render(text))
        if theirs == ours:
            identical += 1
        else:
            categories.update(differing_categories(ours, theirs))
    return identical, categories


def main() -> None:
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
            raw = render_speed(render, texts, 2)
            with_sanitiser = render_speed(lambda text, render=render: markup.sanitize(render(text)), texts, 2)
            identical, categories = compare(render, texts, expected[name])
            differing = ", ".join(f"{category} {count}" for category, count in categories.most_common())
            lines.append(
                f"- {name}: parser alone {raw[0]:.0f} pages/s (p50 {raw[1]:.2f} ms); with the sanitiser "
                f"{with_sanitiser[0]:.0f} pages/s (p50 {with_sanitiser[1]:.2f} ms); identical HTML "
                f"{identical}/{len(texts)}; pages differing in: {differing or 'nothing'}"
            )
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "markup-candidates.md").write_text(report)


if __name__ == "__main__":
    main()
