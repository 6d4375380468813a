"""Where the time of each hot path goes: pyinstrument profiles, in one process, of requests through the WSGI
application `districtwiki serve` runs (districtwiki.wsgi.application, page cache front included).

    python -m bench.profile --pages 1000        (make bench-profile; SQLite in a fresh data dir)

The corpus is loaded into a fresh data dir through bench.load's bulk path. Then, for each path, `--requests`
requests are timed without the profiler (milliseconds per request, one thread, so no time is spent waiting
for another request) and the same number again under pyinstrument. Everything is written to
bench/results/profile-<pages>.md: the time per request and the call tree of each path. Paths:

- page_view_warm: anonymous views of random pages, after every page has been viewed once (cache hits);
- page_view_uncached: anonymous views with a query string, which the page cache never answers (a first
  render: what every miss costs);
- page_view_signed_in: random pages with the session cookie of a signed-in member;
- recent_changes, history: /special/recent and /history/<random page>, anonymous;
- save: PUT /api/v1/pages/<title> with a member's token, each based on the revision the last one made;
- search_common, search_rare: the full-text search for the corpus's common and rare terms.
"""

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import corpus
from bench.run import RESULTS, SEARCH, server_environment

PATHS = (
    "page_view_warm",
    "page_view_uncached",
    "page_view_signed_in",
    "recent_changes",
    "history",
    "save",
    "search_common",
    "search_rare",
)


def prepare(pages: int, data_dir: Path) -> dict:
    """Settings for a fresh SQLite data dir, Django set up, the corpus loaded; the bench users."""
    os.environ.update(server_environment(data_dir, "", ""))
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.load import bench_users, bulk_load

    call_command("migrate", interactive=False, verbosity=0)
    users = bench_users(1)
    started = time.perf_counter()
    bulk_load(corpus.generate(pages), users["admin"])
    print(f"{pages} pages loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return users


class Requests:
    """WSGI requests to the application, as granian hands them over."""

    def __init__(self):
        from django.test import RequestFactory

        from districtwiki.wsgi import application

        self.application = application
        self.factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def __call__(self, method: str, path: str, **extra) -> tuple[str, bytes]:
        query = ""
        if "?" in path:
            path, query = path.split("?", 1)
        environ = self.factory.generic(method, path, **extra).environ | {"QUERY_STRING": query}
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"] = status

        response = self.application(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()  # request_finished, as the server sends it
        return started["status"], body


def session_cookie(username: str) -> str:
    """A signed-in member's cookies, as the login form leaves them."""
    from django.test import Client

    from bench.load import BENCH_PASSWORD

    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(username=username, password=BENCH_PASSWORD):
        raise SystemExit("bench.profile: could not sign the bench admin in")
    client.get("/")  # the CSRF cookie
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def scenarios(request: Requests, users: dict, pages: int) -> dict[str, Callable[[random.Random], None]]:
    titles = [f"Page_{number}" for number in range(1, pages + 1)]
    cookie = session_cookie(users["username"])
    token = users["tokens"][0]
    bases: dict[str, tuple[int, str]] = {}

    def expect(status: str, body: bytes, path: str) -> bytes:
        if not status.startswith(("200", "201")):
            raise SystemExit(f"bench.profile: {path} answered {status}: {body[:200]!r}")
        return body

    def page_view_warm(chooser: random.Random) -> None:
        path = "/wiki/" + chooser.choice(titles)
        expect(*request("GET", path), path)

    def page_view_uncached(chooser: random.Random) -> None:
        path = "/wiki/" + chooser.choice(titles) + "?uncached=1"
        expect(*request("GET", path), path)

    def fixed(path: str) -> Callable[[random.Random], None]:
        def run(chooser: random.Random) -> None:
            expect(*request("GET", path), path)

        return run

    def history(chooser: random.Random) -> None:
        path = "/history/" + chooser.choice(titles)
        expect(*request("GET", path), path)

    def page_view_signed_in(chooser: random.Random) -> None:
        path = "/wiki/" + chooser.choice(titles)
        expect(*request("GET", path, HTTP_COOKIE=cookie), path)

    def save(chooser: random.Random) -> None:
        title = chooser.choice(titles[:50])
        path = "/api/v1/pages/" + title
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT": "application/json"}
        if title not in bases:
            page = json.loads(expect(*request("GET", path, **auth), path))
            bases[title] = (page["revision"]["id"], page["content"])
        base, text = bases[title]
        body = {"content": f"{text}\n\nProfiled edit {chooser.random()}.", "base_revision": base}
        sent = request("PUT", path, data=json.dumps(body), content_type="application/json", **auth)
        reply = json.loads(expect(*sent, path))
        bases[title] = (reply["revision"]["id"], reply["content"])

    def search(term: str) -> Callable[[random.Random], None]:
        def run(chooser: random.Random) -> None:
            expect(*request("GET", SEARCH + term), SEARCH + term)

        return run

    for title in titles:  # every page viewed once: the page cache holds them all
        request("GET", "/wiki/" + title)
    return {
        "page_view_warm": page_view_warm,
        "page_view_uncached": page_view_uncached,
        "page_view_signed_in": page_view_signed_in,
        "recent_changes": fixed("/special/recent"),
        "history": history,
        "save": save,
        "search_common": search(corpus.COMMON_TERM),
        "search_rare": search(corpus.RARE_TERM),
    }


def timed(run: Callable[[random.Random], None], requests: int) -> float:
    """Milliseconds per request."""
    chooser = random.Random(20261128)
    started = time.perf_counter()
    for _ in range(requests):
        run(chooser)
    return (time.perf_counter() - started) / requests * 1000


def profiled(run: Callable[[random.Random], None], requests: int) -> str:
    from pyinstrument import Profiler

    chooser = random.Random(20261129)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(requests):
        run(chooser)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=1000, help="per path, timed and again profiled")
    parser.add_argument("--paths", default=",".join(PATHS))
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.paths.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(PATHS))
    if unknown or not chosen or args.pages < 1 or args.requests < 1:
        problem = f"unknown path {', '.join(unknown)}" if unknown else "--pages and --requests must be ≥ 1"
        print(f"bench.profile: {problem} (paths: {', '.join(PATHS)})", file=sys.stderr)
        raise SystemExit(2)

    with tempfile.TemporaryDirectory(prefix="districtwiki-profile-") as directory:
        users = prepare(args.pages, Path(directory))
        runs = scenarios(Requests(), users, args.pages)
        out = io.StringIO()
        out.write(f"# Profiles at {args.pages:,} pages, {args.requests:,} requests per path\n\n")
        out.write("One process, one request at a time, through districtwiki.wsgi.application (SQLite).\n\n")
        for name in chosen:
            milliseconds = timed(runs[name], args.requests)
            print(f"{name}: {milliseconds:.3f} ms per request", flush=True)
            out.write(f"## {name}: {milliseconds:.3f} ms per request\n\n```\n")
            out.write(profiled(runs[name], args.requests).strip() + "\n```\n\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"profile-{args.pages}.md"
    target.write_text(out.getvalue())
    print(f"written to {target}")


if __name__ == "__main__":
    main()
