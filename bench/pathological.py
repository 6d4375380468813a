"""What the worst inputs cost: every pathological text (districtwiki/wiki/tests/pathological.py) at the page
limit, through each step that reads a page's text, as CPU seconds and as a ratio to ordinary prose of the
same size measured in the same run.

    python -m bench.pathological [--size BYTES]        (make bench-pathological)

Steps: render (Markdown to sanitised HTML), index text (what search stores), front matter, diff against a
reordering of the text (the table the diff and "show changes" pages show), unified diff (the API's), a
three-way merge with the reordering on one side, and a search snippet. Each text is also run at a quarter
of the size: a step whose cost grows faster than its input shows a growth well above 4 there. Results go
to bench/results/pathological.md and .json.
"""

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def steps() -> dict[str, Callable[[str], object]]:
    from districtwiki.wiki import diffs, frontmatter, markup, merging
    from districtwiki.wiki.search.query import parse_query
    from districtwiki.wiki.search.text import make_snippet, plain_text, term_pattern
    from districtwiki.wiki.tests.pathological import reordered

    pattern = term_pattern(parse_query("district a").terms)

    def front_matter(text: str) -> object:
        try:
            return frontmatter.parse(text)
        except frontmatter.InvalidFrontMatter as refused:
            return refused

    return {
        "render": markup.render,
        "index text": lambda text: plain_text(markup.render(text).html),
        "front matter": front_matter,
        "diff table": lambda text: diffs.diff_rows(text, reordered(text)),
        "unified diff": lambda text: diffs.unified_diff(text, reordered(text), "a", "b"),
        "merge": lambda text: merging.merge_texts(text, reordered(text), text + "\nend"),
        "snippet": lambda text: make_snippet(text, pattern),
    }


def prose(size: int) -> str:
    """Ordinary pages of the benchmark corpus, joined up to `size` bytes: the baseline."""
    from bench.corpus import generate

    text = "\n\n".join(page.text for page in generate(200))
    while len(text.encode()) < size:
        text += "\n\n" + text
    return text.encode()[:size].decode(errors="ignore")


def cpu_seconds(step: Callable[[str], object], text: str) -> float:
    started = time.process_time()
    step(text)
    return time.process_time() - started


def measure(size: int) -> dict:
    from districtwiki.wiki.tests.pathological import corpus

    texts = {"ordinary prose (baseline)": prose(size), **corpus(size)}
    quarter = {"ordinary prose (baseline)": prose(size // 4), **corpus(size // 4)}
    rows = {}
    for name, text in texts.items():
        full = {step: cpu_seconds(run, text) for step, run in steps().items()}
        small = {step: cpu_seconds(run, quarter[name]) for step, run in steps().items()}
        rows[name] = {"seconds": full, "quarter_seconds": small}
        print(f"  {name}: {max(full.values()):.2f} s at most", flush=True)
    return {"size": size, "rows": rows}


def report(result: dict) -> str:
    names = list(steps())
    baseline = result["rows"]["ordinary prose (baseline)"]["seconds"]
    lines = [
        f"# Pathological inputs at {result['size']:,} bytes",
        "",
        "CPU seconds per step; in brackets the ratio to ordinary prose of the same size, then the growth",
        "from a quarter of the size to the whole (about 4 means linear).",
        "",
        "| text | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for name, row in result["rows"].items():
        cells = []
        for step in names:
            seconds, small = row["seconds"][step], row["quarter_seconds"][step]
            ratio = seconds / baseline[step] if baseline[step] > 0.0005 else None
            growth = seconds / small if small > 0.005 else None
            cells.append(
                f"{seconds:.3f}"
                + (f" ({ratio:.1f}×" if ratio is not None else " (–")
                + (f", ↑{growth:.1f})" if growth is not None else ")")
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    worst = max(
        (
            (seconds, name, step)
            for name, row in result["rows"].items()
            for step, seconds in row["seconds"].items()
        ),
    )
    lines += ["", f"Slowest: {worst[2]} of “{worst[1]}”, {worst[0]:.2f} s.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pathological", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=0, help="bytes per text (default: the page limit)")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    os.environ.setdefault("DISTRICTWIKI_DATA_DIR", tempfile.mkdtemp(prefix="districtwiki-bench-"))
    import django
    from django.conf import settings

    django.setup()
    result = measure(arguments.size or settings.MAX_PAGE_BYTES)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pathological.json").write_text(json.dumps(result, indent=1))
    (RESULTS / "pathological.md").write_text(report(result))
    print(f"wrote {RESULTS / 'pathological.md'}")


if __name__ == "__main__":
    main()
