"""How fast the Markdown renderer is, in one process: `markup.render` over the starter pages and the bench
corpus, and `save_revision` (the save action every editor, the API and the importers go through) in a
fresh SQLite data dir.

    python -m bench.markup_speed --rounds 5 --saves 300 --label after

Each text is rendered once to warm up, then `--rounds` times; the figures are pages per second (all
renders over their total time) and the median milliseconds of one render, both in CPU time of this process
(a shared machine's other work does not count). Saves are given in wall-clock and CPU milliseconds. The
saves append a line to one of the first 50 corpus pages, each based on the revision the last save of that
page made, as an editor does. One line per run is appended to bench/results/markup-speed.md, so that
runs of two checkouts (`PYTHONPATH` pointing at each) can be compared in one table.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import corpus
from bench.run import RESULTS, ROOT

STARTER_PAGES = ROOT / "districtwiki" / "content" / "pages"
CORPUS_PAGES = 200
TABLE_HEAD = (
    "| run | starter pages/s | starter p50 ms | corpus pages/s | corpus p50 ms "
    "| save p50 ms | save p50 CPU ms |\n"
    "|---|---|---|---|---|---|---|\n"
)


def starter_texts() -> list[str]:
    return [path.read_text() for path in sorted(STARTER_PAGES.glob("*.md"))]


def corpus_texts() -> list[str]:
    return [page.text for page in corpus.generate(CORPUS_PAGES)]


def render_speed(render: Callable[[str], object], texts: Sequence[str], rounds: int) -> tuple[float, float]:
    """(pages per second, median milliseconds per page) of `render` over `texts`, `rounds` times."""
    for text in texts:
        render(text)
    seconds = []
    for _ in range(rounds):
        for text in texts:
            started = time.process_time()
            render(text)
            seconds.append(time.process_time() - started)
    return len(seconds) / sum(seconds), statistics.median(seconds) * 1000


def save_speed(saves: int) -> tuple[float, float]:
    """(p50 wall-clock, p50 CPU) ms of `save_revision` in a fresh SQLite data dir holding the corpus."""
    with tempfile.TemporaryDirectory(prefix="districtwiki-markup-speed-") as directory:
        from bench.profile import prepare

        users = prepare(CORPUS_PAGES, Path(directory))
        from districtwiki.wiki.actions import save_revision
        from districtwiki.wiki.models import Page

        titles = [f"Page {number}" for number in range(1, 51)]
        pages = Page.objects.filter(title__in=titles).select_related("latest")
        bases = {page.title: (page.latest_id, page.latest.text) for page in pages}
        seconds, cpu_seconds = [], []
        for number in range(saves):
            title = titles[number % len(titles)]
            base, text = bases[title]
            text = f"{text}\n\nTimed edit {number}."
            started, cpu_started = time.perf_counter(), time.process_time()
            result = save_revision(title, text, users["admin"], base_revision=base)
            seconds.append(time.perf_counter() - started)
            cpu_seconds.append(time.process_time() - cpu_started)
            bases[title] = (result.revision.id, result.revision.text)
    return statistics.median(seconds) * 1000, statistics.median(cpu_seconds) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.markup_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="renders of every text (after one warm-up)")
    parser.add_argument("--saves", type=int, default=300, help="timed saves; 0 skips them")
    parser.add_argument("--label", default="", help="the run's name in the results table")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.saves < 0:
        print("bench.markup_speed: --rounds must be ≥ 1 and --saves ≥ 0", file=sys.stderr)
        raise SystemExit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    from districtwiki.wiki import markup

    label = args.label or Path(markup.__file__).resolve().parents[2].name
    starter = render_speed(markup.render, starter_texts(), args.rounds)
    bench = render_speed(markup.render, corpus_texts(), args.rounds)
    save = save_speed(args.saves) if args.saves else (float("nan"), float("nan"))
    row = (
        f"| {label} | {starter[0]:.0f} | {starter[1]:.2f} | {bench[0]:.0f} | {bench[1]:.2f} "
        f"| {save[0]:.2f} | {save[1]:.2f} |\n"
    )
    print(TABLE_HEAD + row, end="")
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "markup-speed.md"
    if not target.exists():
        title = "# markup.render and save_revision speed (python -m bench.markup_speed)\n\n"
        target.write_text(title + TABLE_HEAD)
    with target.open("a") as results:
        results.write(row)


if __name__ == "__main__":
    main()
