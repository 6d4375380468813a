"""districtwiki benchmarks: `make bench` (1,000 and 10,000 pages), `make bench-full` (adds 100,000),
`make bench-peers` (adds DokuWiki and MediaWiki), or `python -m bench.run --sizes 200 --peers none`.

For each corpus size: a fresh data dir, the corpus bulk-loaded through the save action, a 1,000-revision
page; then `districtwiki serve` pinned to core 0 and wrk pinned to core 1 measure page views (anonymous and
signed in), search (common and rare term), recent changes and history; HTTP clients measure saves
(sequential and 16 at once); then peak RSS per worker and start-up time. The same run measures the framework
floor (a bare Django view returning the same bytes under granian), nginx serving a static copy (the
machine's ceiling) and each peer wiki on the same corpus and load. See bench/README.md.
"""

import argparse
import dataclasses
import importlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench import corpus, report, saves, servers
from bench.client import fetch, sign_in
from bench.load import HISTORY_TITLE
from bench.wrk import Load, WrkFailed, measure

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PEER_WORKDIR = Path(os.environ.get("BENCH_WORKDIR", Path(tempfile.gettempdir()) / "districtwiki-bench-peers"))
SERVER_CPUS, CLIENT_CPUS = "0", "1"
CONCURRENT_SAVERS = 16
WARMING_CLIENTS = 16
SEARCH = "/special/search?fulltext=1&q="


class BenchError(RuntimeError):
    pass


# --- districtwiki ----------------------------------------------------------------------------------------


def server_environment(data_dir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """Exactly the configuration below: nothing of the caller's DISTRICTWIKI_*, DATABASE_URL or REDIS_URL."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DISTRICTWIKI_") and name not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DISTRICTWIKI_DATA_DIR=str(data_dir),
        DISTRICTWIKI_ADMIN_PASSWORD="bench administrator password",
        DISTRICTWIKI_EDIT_RATE_LIMIT="1000000",  # the savers are members; the check itself still runs
        DISTRICTWIKI_EMAIL="file",
        DISTRICTWIKI_LOG_LEVEL="warning",
        DISTRICTWIKI_PAGE_CACHE_DIR=str(data_dir / "page-cache"),
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextmanager
def postgres_database(admin_url: str, size: int):
    """A fresh database for one run on the server of `admin_url`; dropped afterwards."""
    import psycopg

    name = f"districtwiki_bench_{size}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bulk_load(size: int, env: dict[str, str], cwd: Path) -> dict:
    """The corpus saved by bench.load before any server starts: on every core, as an import runs on the
    machine (wiki/bulk.py renders in a worker process beside the writer), not on the load generator's."""
    command = [
        "taskset",
        "-c",
        f"0-{os.cpu_count() - 1}",
        sys.executable,
        "-m",
        "bench.load",
        "--pages",
        str(size),
        "--members",
        str(CONCURRENT_SAVERS + 1),
    ]
    finished = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BenchError(f"bulk load failed: {finished.stderr[-1500:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def check_ok(port: int, path: str, cookie: str = "") -> None:
    answer = fetch(port, path, cookie)
    if answer.status != 200:
        raise BenchError(f"GET {path} answered {answer.status}, not 200")


def scenario(results: dict, name: str, port: int, paths: list[str], load: Load, cookie: str = "") -> None:
    """One wrk scenario; a failure is recorded under its name instead of ending the run."""
    try:
        check_ok(port, paths[0], cookie)
        results[name] = measure(f"http://127.0.0.1:{port}", paths, load, cookie)
    except (BenchError, WrkFailed, OSError) as error:
        results[name] = {"error": str(error)}
    print(f"  {name}: {summary_line(results[name])}", flush=True)


def warm_up(port: int, paths: list[str], load: Load) -> None:
    """A second of requests before measuring, so every worker has imported and connected; not recorded."""
    with suppress(WrkFailed):
        measure(f"http://127.0.0.1:{port}", paths, Load(duration="1s", cpus=load.cpus))


def summary_line(row: dict) -> str:
    if "error" in row:
        return "ERROR " + row["error"][:200]
    if "requests_per_second" in row:
        return f"{row['requests_per_second']:.0f} req/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms"
    return ", ".join(f"{key} {value}" for key, value in row.items() if key != "first_error")


def cache_outcomes(port: int, paths: list[str]) -> dict[str, int]:
    """X-Cache of a sample of anonymous page views right after the page-view scenario."""
    counts: dict[str, int] = {}
    for path in random.Random(7).sample(paths, min(40, len(paths))):
        outcome = fetch(port, path).headers.get("x-cache", "none")
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def shell_outcomes(port: int, paths: list[str], cookie: str) -> dict[str, int]:
    """X-Page-Shell of a sample of signed-in page views after the warm signed-in scenario: "hit" is the
    WSGI front, "miss" the view rendering a shell, "none" a view rendered whole."""
    counts: dict[str, int] = {}
    for path in random.Random(7).sample(paths, min(40, len(paths))):
        outcome = fetch(port, path, cookie).headers.get("x-page-shell", "none")
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def warm_page_cache(port: int, paths: list[str], cookie: str = "") -> dict:
    """View every page once (16 clients at once), as a site's readers do over time: afterwards a random
    page view finds its page in the cache, whatever the size of the wiki. With a member's `cookie`, the
    shells of their role (docs/signed-in-views.md), which any member of that role then reads."""
    started = time.monotonic()

    def view(chunk: list[str]) -> int:
        return sum(fetch(port, path, cookie).status != 200 for path in chunk)

    chunks = [paths[start::WARMING_CLIENTS] for start in range(WARMING_CLIENTS)]
    with ThreadPoolExecutor(WARMING_CLIENTS) as pool:
        failures = sum(pool.map(view, chunks))
    return {"pages": len(paths), "seconds": round(time.monotonic() - started, 1), "not_200": failures}


def measure_districtwiki(backend: str, size: int, data_dir: Path, load: Load, body_file: Path | None) -> dict:
    with database_for(backend, size) as database_url:
        redis_url = os.environ.get("REDIS_URL", "") if backend == "postgresql" else ""
        env = server_environment(data_dir, database_url, redis_url)
        print(f"[{size} pages, {backend}] bulk load …", flush=True)
        loaded = bulk_load(size, env, ROOT)
        result: dict = {"load": {k: v for k, v in loaded.items() if k not in ("tokens", "password")}}
        print(f"  {loaded['pages']} pages in {loaded['seconds']} s: {loaded['pages_per_second']} pages/s")
        port = servers.free_port()
        server = servers.districtwiki_server(port, env, data_dir, SERVER_CPUS)
        result["first_start_seconds"] = round(server.start(f"http://127.0.0.1:{port}/healthz"), 2)
        server.stop()
        port = servers.free_port()  # a stopped server's port can linger in TIME_WAIT
        server = servers.districtwiki_server(port, env, data_dir, SERVER_CPUS)
        result["startup_seconds"] = round(server.start(f"http://127.0.0.1:{port}/healthz"), 2)
        try:
            run_scenarios(result, port, loaded, size, load, body_file)
            result["peak_rss_mb"] = {str(pid): servers.peak_rss_mb(pid) for pid in server.workers()}
        finally:
            server.stop()
    return result


@contextmanager
def database_for(backend: str, size: int):
    """The database URL for `backend`: a fresh PostgreSQL database, or "" for SQLite in the data dir."""
    if backend != "postgresql":
        yield ""
        return
    with postgres_database(os.environ["DATABASE_URL"], size) as url:
        yield url


def run_scenarios(
    result: dict, port: int, loaded: dict, size: int, load: Load, body_file: Path | None
) -> None:
    pages = [f"/wiki/Page_{number}" for number in range(1, size + 1)]
    first = fetch(port, pages[0])
    if body_file is not None and first.status == 200:
        body_file.write_bytes(first.body)  # the floor and nginx serve exactly these bytes
    warm_up(port, pages, load)
    scenarios = result["scenarios"] = {}
    scenario(scenarios, "page_view_anonymous", port, pages, load)
    result["cache_sample"] = {"cold": cache_outcomes(port, pages)}
    result["cache_warming"] = warm_page_cache(port, pages)
    scenario(scenarios, "page_view_anonymous_warm", port, pages, load)
    result["cache_sample"]["warm"] = cache_outcomes(port, pages)
    cookie = sign_in(port, loaded["username"], loaded["password"])
    scenario(scenarios, "page_view_signed_in", port, pages, load, cookie)
    result["shell_warming"] = warm_page_cache(port, pages, cookie)
    scenario(scenarios, "page_view_signed_in_warm", port, pages, load, cookie)
    result["shell_sample"] = shell_outcomes(port, pages, cookie)
    scenario(scenarios, "search_common", port, [SEARCH + corpus.COMMON_TERM], load)
    scenario(scenarios, "search_rare", port, [SEARCH + corpus.RARE_TERM], load)
    # The latency one reader waits for a search: a single client, no queue behind other requests.
    one_client = dataclasses.replace(load, connections=1)
    scenario(scenarios, "search_common_one_client", port, [SEARCH + corpus.COMMON_TERM], one_client)
    scenario(scenarios, "search_rare_one_client", port, [SEARCH + corpus.RARE_TERM], one_client)
    scenario(scenarios, "recent_changes", port, ["/special/recent"], load)
    scenario(scenarios, "history_1000_revisions", port, ["/history/" + HISTORY_TITLE.replace(" ", "_")], load)
    seconds = float(load.duration.rstrip("s"))
    titles = [f"Page {number}" for number in random.Random(11).sample(range(1, size + 1), min(size, 50))]
    tokens = loaded["tokens"]
    result["save_sequential"] = saves.sequential(port, tokens[0], titles, seconds)
    print(f"  save_sequential: {summary_line(result['save_sequential'])}", flush=True)
    result["save_concurrent"] = saves.concurrent(port, tokens[1 : 1 + CONCURRENT_SAVERS], titles, seconds)
    print(f"  save_concurrent: {summary_line(result['save_concurrent'])}", flush=True)


# --- the floor, the ceiling and the peers -----------------------------------------------------------------


def measure_static(kind: str, body_file: Path, paths: list[str], load: Load) -> dict:
    make = servers.floor_server if kind == "floor" else servers.nginx_server
    port = servers.free_port()
    server = make(port, body_file, SERVER_CPUS)
    result: dict = {}
    try:
        server.start(f"http://127.0.0.1:{port}/", timeout=30)
        warm_up(port, paths, load)
        scenario(result, "page_view", port, paths, load)
    except servers.ServerFailed as error:
        result["page_view"] = {"error": str(error)}
    finally:
        server.stop()
        if kind == "nginx":
            shutil.rmtree(server.cwd, ignore_errors=True)
    return result["page_view"]


def measure_peer(name: str, pages: list, size: int, load: Load) -> dict:
    result: dict = {}
    step = "import"
    port = servers.free_port()
    try:
        peer = importlib.import_module(f"bench.peers.{name}").Peer(PEER_WORKDIR / name)
        step = "install"
        result["version"] = peer.install()
        step = "load"
        result["load_seconds"] = round(peer.load(pages), 1)
        step = "start"
        peer.start(port, SERVER_CPUS)
        try:
            step = "measure"
            paths = [peer.page_path(f"Page {number}") for number in range(1, size + 1)]
            warm_up(port, paths, load)
            scenario(result, "page_view", port, paths, load)
            for key, term in (("search_common", corpus.COMMON_TERM), ("search_rare", corpus.RARE_TERM)):
                if path := peer.search_path(term):
                    scenario(result, key, port, [path], load)
            result["peak_rss_mb"] = {str(pid): servers.peak_rss_mb(pid) for pid in peer.pids()}
        finally:
            peer.stop()
    except Exception as error:  # a peer that fails is recorded with its error; the run goes on
        result["error"] = f"{step}: {type(error).__name__}: {str(error)[:500]}"
        print(f"  {name}: ERROR {result['error']}", flush=True)
    return result


# --- one size, the whole run -------------------------------------------------------------------------------


def bench_size(size: int, backends: list[str], peers: list[str], load: Load) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"districtwiki-bench-{size}-"))
    body_file = workdir / "static" / "page.html"
    body_file.parent.mkdir()
    result: dict = {"size": size, "date": now(), "backends": {}, "peers": {}}
    try:
        for backend in backends:
            data_dir = workdir / backend
            data_dir.mkdir()
            keep_body = body_file if backend == backends[0] else None
            try:
                result["backends"][backend] = measure_districtwiki(backend, size, data_dir, load, keep_body)
            except (BenchError, servers.ServerFailed, OSError) as error:
                result["backends"][backend] = {"error": str(error)}
                print(f"  {backend}: ERROR {error}", flush=True)
        paths = [f"/wiki/Page_{number}" for number in range(1, size + 1)]
        if body_file.exists():
            print(f"[{size} pages] framework floor and nginx ({body_file.stat().st_size} bytes)", flush=True)
            result["floor"] = measure_static("floor", body_file, paths, load)
            result["nginx"] = measure_static("nginx", body_file, paths, load)
        if peers:
            page_list = corpus.generate(size)
            for name in peers:
                print(f"[{size} pages] peer {name}", flush=True)
                result["peers"][name] = measure_peer(name, page_list, size, load)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000"))
    parser.add_argument("--peers", default=os.environ.get("BENCH_PEERS", "otterwiki,djangowiki"))
    parser.add_argument(
        "--backends",
        default=os.environ.get(
            "BENCH_BACKENDS", "sqlite,postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
        ),
    )
    parser.add_argument("--duration", default=os.environ.get("BENCH_DURATION", "5s"))
    parser.add_argument(
        "--peers-up-to",
        type=int,
        default=os.environ.get("BENCH_PEERS_UP_TO", "10000"),  # a string: argparse checks it with type
        help="measure the peers only at corpus sizes up to this (loading 100,000 pages takes them hours)",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 2:
        parser.error("--sizes needs at least one corpus size of 2 pages or more")
    args.peers = [name.strip() for name in args.peers.split(",") if name.strip() and name.strip() != "none"]
    args.backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    if set(args.backends) - {"sqlite", "postgresql"} or not args.backends:
        parser.error("--backends is a list of sqlite and postgresql")
    if "postgresql" in args.backends and not os.environ.get("DATABASE_URL"):
        parser.error("the postgresql backend needs DATABASE_URL (a server where it may create databases)")
    if not args.duration.rstrip("s").isdigit():
        parser.error(f"--duration (BENCH_DURATION) must be whole seconds such as 5s, not {args.duration!r}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    for tool in ("wrk", "nginx", "taskset"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: {tool} is not installed (make bench installs wrk and nginx)")
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("bench: needs two cores, one for the server and one for the load generator")
    os.sched_setaffinity(0, {int(CLIENT_CPUS)})  # this process, the loader and the save clients
    load = Load(duration=args.duration, cpus=CLIENT_CPUS)
    started = time.monotonic()
    info = {"machine": report.machine(), "versions": report.versions(), "date": now(), "wrk": vars(load)}
    info["settings"] = {
        "backends": args.backends,
        "peers": args.peers,
        "peers_up_to": args.peers_up_to,
        "workers": servers.WORKERS,
    }
    runs = []
    for size in args.sizes:
        run = bench_size(size, args.backends, args.peers if size <= args.peers_up_to else [], load)
        runs.append(run)
        write(f"{datetime.now(UTC):%Y-%m-%d}-{size}.json", {**info, "runs": [run]})
    info["seconds"] = round(time.monotonic() - started)
    summary = {**info, "runs": runs, "targets": report.targets(runs)}
    write("latest.json", summary)
    markdown = report.markdown(summary)
    (RESULTS / "latest.md").write_text(markdown)
    print(markdown)


def write(name: str, data: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
