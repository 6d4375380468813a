"""How fast `districtwiki import mediawiki` brings in a dump, and whether its memory stays flat.

    python -m bench.mwimport [--pages 10000,2500] [--revisions 3]        (make bench-import)

For each size, a MediaWiki export (format 0.11) of plain pages is generated: "Page 1" … "Page n", each with
`--revisions` revisions that grow by a paragraph (prose with bold and italic, wiki links, a list and
headings, about 1–2 KiB of wikitext). It is imported with the real command into a fresh SQLite data dir in
a child process, which reports the wall time, revisions per second, CPU time per revision and peak memory:
of the importer process (reading the dump, writing the database), and of its worker processes (the
conversion and rendering worker and the pandoc processes it starts, the largest of them). Peak memory
that does not grow from the small dump to the large one is what "flat in the file's size" means. Results
go to bench/results/mwimport.md and .json.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORDS = [
    *("district", "network", "budget", "teachers", "students", "devices", "filtering", "privacy", "vendor"),
    *("contract", "broadband", "switch", "firewall", "training", "board", "policy", "plan", "survey"),
    *("grant", "refresh", "classroom", "library"),
]


def paragraph(rng: random.Random, pages: int) -> str:
    words = []
    for _ in range(rng.randint(40, 70)):
        word = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.05:
            word = f"[[Page {rng.randint(1, pages)}|{word}]]"
        elif roll < 0.08:
            word = f"'''{word}'''"
        elif roll < 0.10:
            word = f"''{word}''"
        words.append(word)
    sentence = " ".join(words)
    return sentence[0].upper() + sentence[1:] + "."


def page_texts(number: int, revisions: int, pages: int) -> list[str]:
    rng = random.Random(number)
    body = [f"== Overview ==\n{paragraph(rng, pages)}", "* " + "\n* ".join(rng.sample(WORDS, 3))]
    texts = []
    for version in range(revisions):
        body.append(f"== Part {version + 1} ==\n{paragraph(rng, pages)}")
        texts.append("\n\n".join(body) + f"\n\n[[Category:Topic {number % 30}]]")
    return texts


def write_dump(path: Path, pages: int, revisions: int) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
            "<siteinfo><sitename>Bench</sitename><dbname>bench</dbname><namespaces>"
            '<namespace key="0" case="first-letter" /><namespace key="1" case="first-letter">Talk</namespace>'
            '<namespace key="14" case="first-letter">Category</namespace></namespaces></siteinfo>\n'
        )
        for number in range(1, pages + 1):
            out.write(f"<page><title>Page {number}</title><ns>0</ns><id>{number}</id>\n")
            for text in page_texts(number, revisions, pages):
                count += 1
                out.write(
                    f"<revision><id>{count}</id><timestamp>2020-01-01T00:00:00Z</timestamp>"
                    f"<contributor><username>Editor {count % 50}</username>"
                    f"<id>{count % 50}</id></contributor>"
                    "<comment>edit</comment><model>wikitext</model><format>text/x-wiki</format>"
                    f'<text xml:space="preserve">{escape(text)}</text><sha1>0</sha1></revision>\n'
                )
            out.write("</page>\n")
        out.write("</mediawiki>\n")
    return count


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(dump: Path, report: Path) -> None:
    """Runs in a fresh process: migrate, import, print the figures as JSON."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    django.setup()
    call_command("migrate", verbosity=0)
    # CPU time of the import alone: Django's start-up and the migrations are taken off.
    me_before, workers_before = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("import_data", "mediawiki", str(dump), "--report", str(report), stdout=quiet)
    seconds = time.perf_counter() - started
    figures = {
        "seconds": seconds,
        "cpu_python_s": cpu_seconds(resource.RUSAGE_SELF) - me_before,
        "cpu_worker_s": cpu_seconds(resource.RUSAGE_CHILDREN) - workers_before,
        "peak_python_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print(json.dumps(figures))


def measure(pages: int, revisions: int, workdir: Path) -> dict:
    dump = workdir / f"dump-{pages}.xml"
    count = write_dump(dump, pages, revisions)
    environment = {**os.environ, "DISTRICTWIKI_DATA_DIR": str(workdir / f"data-{pages}")}
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.mwimport", "--child", str(dump), str(workdir / f"report-{pages}.txt")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures.update(
        pages=pages,
        revisions=count,
        dump_mib=dump.stat().st_size / 1024 / 1024,
        revisions_per_second=count / figures["seconds"],
    )
    return figures


def _per_revision(row: dict) -> str:
    importer, worker = (1000 * row[key] / row["revisions"] for key in ("cpu_python_s", "cpu_worker_s"))
    return f"{importer:.1f} + {worker:.1f}"


def write_results(rows: list[dict]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "mwimport.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = [
        "# MediaWiki import (`make bench-import`)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on SQLite, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine slows the wall time; "
        "the CPU time per revision does not depend on it).",
        "",
        "| pages | revisions | dump MiB | seconds | revisions/s | CPU ms/revision: importer + worker "
        "| peak importer MiB | peak worker MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['pages']:,} | {row['revisions']:,} | {row['dump_mib']:.1f} | {row['seconds']:.1f} | "
            f"{row['revisions_per_second']:,.0f} | {_per_revision(row)} | {row['peak_python_mib']:.0f} | "
            f"{row['peak_worker_mib']:.0f} |"
        )
    (RESULTS / "mwimport.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="10000,2500", help="dump sizes in pages, comma-separated")
    parser.add_argument("--revisions", type=int, default=3, help="revisions per page")
    parser.add_argument("--child", nargs=2, metavar=("DUMP", "REPORT"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(Path(options.child[0]), Path(options.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="districtwiki-bench-import-") as workdir:
        sizes = [int(size) for size in options.pages.split(",")]
        write_results([measure(pages, options.revisions, Path(workdir)) for pages in sizes])


if __name__ == "__main__":
    main()
