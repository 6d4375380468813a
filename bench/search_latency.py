"""Search latency at a corpus size, in one process: p50/p95 of `search.search_pages` for the common and the
rare term, and EXPLAIN ANALYZE of every statement one search runs.

    DATABASE_URL=postgres://…/some_db python -m bench.search_latency --pages 100000 [--fill] [--runs 40]

`--fill` indexes the benchmark corpus into the (migrated, empty) database much faster than bench/load.py:
each page is rendered by the same markup.render a save calls, and its page row and search index row are
written with exactly what a save writes to them (`search.index_page`'s text, `store` of the configured
backend); revisions, links and categories are left out, since search reads none of them. Rendering runs in
two processes. Without `--fill` the database must hold such a corpus already (one fill serves many runs).
The figures are the search function's own time (wall clock, and this process's CPU), without HTTP or the
view around it; on a shared machine the wall clock swings with the load. It prints one JSON
object on the last line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from multiprocessing import Pool

from bench import corpus

FILL_BATCH = 500


def rendered_text(page: corpus.CorpusPage) -> tuple[str, str, str]:
    """(title, redirect target, indexed text) of a corpus page, as a save computes them."""
    from districtwiki.wiki import markup
    from districtwiki.wiki.search.text import plain_text

    rendered = markup.render(page.text)
    return page.title, rendered.redirect_to, plain_text(rendered.html)


def fill(pages: list[corpus.CorpusPage]) -> float:
    """Write the page rows and search index rows of `pages`; the seconds it took."""
    from django.db import connection, transaction
    from django.utils import timezone

    from districtwiki.wiki.models import Page
    from districtwiki.wiki.search import _backend
    from districtwiki.wiki.titles import namespace_of

    started = time.perf_counter()
    connection.close()  # the rendering processes are forked: none of them may share its socket
    with Pool(2) as pool:
        for start in range(0, len(pages), FILL_BATCH):
            batch = pool.map(rendered_text, pages[start : start + FILL_BATCH], chunksize=50)
            now = timezone.now()
            with transaction.atomic():
                rows = Page.objects.bulk_create(
                    Page(title=title, namespace=namespace_of(title), redirect_to=redirect, touched_at=now)
                    for title, redirect, _ in batch
                )
                for row, (title, _, body) in zip(rows, batch, strict=True):
                    _backend().store(row.pk, title, body)
            print(f"indexed {start + len(batch)} of {len(pages)} pages", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def timed_runs(term: str, runs: int) -> dict:
    from districtwiki.wiki import search

    search.search_pages(term)  # warm the caches once
    times, cpu_times = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = search.search_pages(term)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    return {
        "term": term,
        "total": results.total,
        "total_is_estimate": getattr(results, "total_is_estimate", False),
        "hits": len(results.hits),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        # this process's CPU (the snippets, the driver), not the database server's
        "client_cpu_p50_ms": round(statistics.median(cpu_times), 2),
    }


def explained(term: str) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement one search for `term` runs."""
    from django.db import connection

    from districtwiki.wiki import search

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        search.search_pages(term)
    plans = []
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        for sql, params in statements:
            if sql.startswith("EXPLAIN"):  # the estimate of a huge result set's size: its plan is the answer
                plans.append(f"(the planner's estimate) {sql}")
                continue
            cursor.execute(explain + sql, params)
            plans.append("\n".join(str(row[0] if len(row) == 1 else row) for row in cursor.fetchall()))
    return plans


def main(argv: list[str] | None = None) -> None:
    description = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m bench.search_latency", description=description)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--fill", action="store_true", help="index the corpus first (an empty database)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--explain", action="store_true", help="print the plans of each search")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.runs < 1:
        print("bench.search_latency: --pages and --runs must be at least 1", file=sys.stderr)
        raise SystemExit(2)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    report: dict = {"pages": args.pages, "database": connection.vendor}
    if args.fill:
        call_command("migrate", interactive=False, verbosity=0)
        report["fill_seconds"] = round(fill(corpus.generate(args.pages)), 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE wiki_search_index")
                cursor.execute("VACUUM ANALYZE wiki_page")
    report["searches"] = [timed_runs(term, args.runs) for term in (corpus.COMMON_TERM, corpus.RARE_TERM)]
    if args.explain:
        for term in (corpus.COMMON_TERM, corpus.RARE_TERM):
            for plan in explained(term):
                print(f"--- {term}\n{plan}\n")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
