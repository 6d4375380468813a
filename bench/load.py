"""Load the benchmark corpus into a wiki through the same save action as every edit.

    python -m bench.load --pages 1000        (Django settings from the environment: DISTRICTWIKI_DATA_DIR,
                                              DATABASE_URL)

`bulk_load` calls actions.save_revision for every page, exactly as the editor, the API and the importer do,
so the revisions, links, categories and search index are the ones a person's saves would make. The only
differences from saving one by one are that a chunk of saves shares one transaction (each save is a savepoint
inside it), which saves a commit — an fsync on SQLite — per page, and that the pages linking to the chunk's
new pages have their view stamps moved on by one UPDATE at the end of the chunk, still inside its
transaction, instead of one per page created (pagecache.linking_touched_together, as the MediaWiki importer
does), and that a worker process renders the next chunk's Markdown meanwhile (wiki/bulk.py).

The command also prepares what bench/run.py measures: a page with a long history, and members with API
tokens for the save scenarios. It prints one JSON object on the last line of its output.
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence

from bench.peers import CorpusPage

CHUNK_SIZE = 200
BENCH_ADMIN = "bench-admin"
BENCH_PASSWORD = "bench password for signed-in views"
HISTORY_TITLE = "History page"


def bulk_load(pages: Sequence[CorpusPage], author, chunk_size: int = CHUNK_SIZE) -> int:
    """Save every page through wiki.bulk.save_pages: `chunk_size` saves to a transaction, the next chunk
    rendered by a worker process meanwhile; the number of pages saved."""
    from districtwiki.wiki import bulk

    return bulk.save_pages(((page.title, page.text) for page in pages), author, chunk_size=chunk_size)


def long_history(title: str, revisions: int, author, chunk_size: int = CHUNK_SIZE) -> int:
    """A page with `revisions` revisions, each based on the one before (the id of the last one)."""
    from django.db import transaction

    from districtwiki.wiki import actions

    base = None
    for start in range(0, revisions, chunk_size):
        with transaction.atomic():
            for number in range(start, min(start + chunk_size, revisions)):
                text = f"Revision {number} of the long history.\n\n" + "A line that stays the same.\n" * 20
                base = actions.save_revision(title, text, author, base, f"edit {number}").revision.pk
    return base


def bench_users(members: int) -> dict:
    """The admin that loads the corpus (and signs in for the signed-in views), and members with tokens."""
    from districtwiki.accounts.actions import create_api_token
    from districtwiki.accounts.models import User

    admin = User.objects.create_user(
        BENCH_ADMIN,
        email="bench-admin@example.org",
        password=BENCH_PASSWORD,
        role="admin",
        email_confirmed=True,
    )
    tokens = []
    for number in range(members):
        member = User.objects.create_user(
            f"bench-saver-{number}", email=f"bench-saver-{number}@example.org", email_confirmed=True
        )
        tokens.append(create_api_token(member, "benchmark")[1])
    return {"admin": admin, "username": BENCH_ADMIN, "password": BENCH_PASSWORD, "tokens": tokens}


def analyze_if_postgresql() -> None:
    """Planner statistics for the new rows, as PostgreSQL's autovacuum gathers them on a running server soon
    after a bulk load (a server may run with it off, as CI's does): measured queries then get the plans
    they get in production. SQLite plans without statistics unless asked, and the wiki never asks."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--history", type=int, default=1000, help="revisions of the long-history page")
    parser.add_argument("--members", type=int, default=17, help="members with API tokens, for saves")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.history < 0 or args.members < 0:
        print("bench.load: --pages must be at least 1, --history and --members at least 0", file=sys.stderr)
        raise SystemExit(2)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench import corpus

    call_command("migrate", interactive=False, verbosity=0)
    users = bench_users(args.members)
    pages = corpus.generate(args.pages)
    started = time.perf_counter()
    bulk_load(pages, users["admin"])
    seconds = time.perf_counter() - started
    history_started = time.perf_counter()
    last_revision = long_history(HISTORY_TITLE, args.history, users["admin"]) if args.history else None
    analyze_if_postgresql()
    report = {
        "pages": len(pages),
        "seconds": round(seconds, 3),
        "pages_per_second": round(len(pages) / seconds, 1),
        "history_title": HISTORY_TITLE,
        "history_revisions": args.history,
        "history_seconds": round(time.perf_counter() - history_started, 3),
        "history_last_revision": last_revision,
        "username": users["username"],
        "password": users["password"],
        "tokens": users["tokens"],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
