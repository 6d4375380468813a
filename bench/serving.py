"""What the live rooms cost page views (`make bench-serving`): anonymous page views, with wrk, of the same
wiki served three ways at once, each pinned to core 0, measured in alternation (ROUNDS rounds, so that noise
from anything else on the machine falls on all three alike):

- `pages only`: `districtwiki serve --no-live-rooms` (granian's WSGI workers, as before the live rooms);
- `second port`: `districtwiki serve` (the same, plus the live rooms' ASGI process on its own port, idle);
- `one port`: granian's ASGI interface on one port, WebSockets to the live rooms and HTTP to the WSGI
  application through a2wsgi (measured only when a2wsgi is installed: it is not a dependency).

Results: bench/results/serving-latest.md (also printed). `python -m bench.serving [--rounds 5]`.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bench import servers
from bench.run import RESULTS, server_environment
from bench.wrk import Load, measure

SERVER_CPUS = "0"


def page_paths(env: dict[str, str], data_dir: Path) -> list[str]:
    script = (
        "import json\nfrom districtwiki.wiki.models import Page\n"
        "print(json.dumps(list(Page.objects.values_list('title', flat=True))))"
    )
    command = [sys.executable, "-m", "districtwiki.cli", "shell", "--no-imports", "--command", script]
    output = subprocess.run(command, env=env, cwd=data_dir, capture_output=True, text=True, check=True).stdout
    titles = json.loads(output.strip().splitlines()[-1])
    return ["/wiki/" + quote(title.replace(" ", "_"), safe="/") for title in titles]


def one_port_server(port: int, env: dict[str, str], data_dir: Path) -> servers.GroupServer:
    command = ["taskset", "-c", SERVER_CPUS, sys.executable, "-m", "granian", "--interface", "asginl"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(servers.WORKERS)]
    command += ["--log-level", "warning", "bench.one_port_app:application"]  # PYTHONPATH is the checkout
    return servers.GroupServer(command, env, data_dir, data_dir / "one-port.log")


def warm(base_url: str, paths: list[str]) -> None:
    def view(path: str) -> None:
        with urllib.request.urlopen(base_url + path, timeout=30) as response:
            response.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(view, paths))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", default="5s")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="districtwiki-serving-"))
    env = server_environment(data_dir, "", "")
    started: dict[str, tuple[servers.GroupServer, int]] = {}
    try:
        for name, extra in (("pages only", ["--no-live-rooms"]), ("second port", [])):
            port = servers.free_port()
            server = servers.districtwiki_server(port, env, data_dir, SERVER_CPUS)
            server.command += extra
            server.start(f"http://127.0.0.1:{port}/healthz")
            started[name] = (server, port)
        try:
            import a2wsgi  # noqa: F401
        except ImportError:
            print(
                "bench.serving: a2wsgi is not installed: the one-port set-up is not measured", file=sys.stderr
            )
        else:
            port = servers.free_port()
            server = one_port_server(port, env, data_dir)
            server.start(f"http://127.0.0.1:{port}/healthz")
            started["one port"] = (server, port)
        paths = page_paths(env, data_dir)
        for _, port in started.values():
            warm(f"http://127.0.0.1:{port}", paths)
        figures: dict[str, list[float]] = {name: [] for name in started}
        for _ in range(args.rounds):
            for name, (_, port) in started.items():
                result = measure(f"http://127.0.0.1:{port}", paths, Load(duration=args.duration))
                figures[name].append(result["requests_per_second"])
    finally:
        for server, _ in started.values():
            server.stop()
    report(figures, args, len(paths))


def report(figures: dict[str, list[float]], args: argparse.Namespace, pages: int) -> None:
    baseline = max(figures["pages only"])
    lines = [
        f"# Page views and the live rooms ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Anonymous views of {pages} pages (warm page cache), wrk -c16, {args.rounds} rounds of "
        f"{args.duration} in alternation; servers on core 0, wrk on core 1.",
        "",
        "| set-up | best req/s | median req/s | best vs pages only |",
        "|---|---|---|---|",
    ]
    for name, values in figures.items():
        change = (max(values) / baseline - 1) * 100
        lines.append(f"| {name} | {max(values):,.0f} | {statistics.median(values):,.0f} | {change:+.1f} % |")
    text = "\n".join([*lines, ""])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "serving-latest.md").write_text(text)
    (RESULTS / f"serving-{datetime.now(UTC):%Y-%m-%d}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(text)


if __name__ == "__main__":
    main()
