"""districtwiki benchmarks: `make bench` (or `python bench/run.py`).

Seeds a fresh data dir with pages, serves it with granian over WSGI exactly as `districtwiki serve` does,
and loads it from a second process with wrk on 127.0.0.1. The same run measures the framework floor (a bare
Django view under the same server, bench/floor_app.py), so every figure is also given as a ratio to it.
Results go to bench/results/latest.json and bench/results/latest.md.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGES = 500
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = "16"
WORKERS = "2"


def seed(data_dir: Path) -> None:
    code = f"""
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from districtwiki.accounts.models import User
from districtwiki.wiki import actions
author = User.objects.create_user("bench", password="x" * 12, role="admin", email_confirmed=True)
body = "\\n\\n".join(["## Section %d\\n\\n" % s + "Some text about E-Rate and CIPA. " * 40 for s in range(6)])
for n in range({PAGES}):
    links = " ".join("[[Page %d]]" % ((n + k) % ({PAGES} + 50)) for k in range(1, 21))
    actions.save_revision("Page %d" % n, body + "\\n\\n" + links, author)
first = actions.save_revision("History page", "v0", author).revision
for n in range(1, 60):
    first = actions.save_revision("History page", "v%d" % n, author, first.pk).revision
"""
    run_python(code, data_dir)


def run_python(code: str, data_dir: Path) -> None:
    env = {
        **os.environ,
        "DISTRICTWIKI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "districtwiki.settings",
    }
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def start(target: str, port: int, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "DISTRICTWIKI_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "bench")}
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        WORKERS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        target,
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/", timeout=30)
    return process


def wait_until_up(url: str, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            urllib.request.urlopen(url, timeout=1)
            return time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"bench: {url} did not answer within {timeout} s")


def wrk(url: str) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", "-c" + CONNECTIONS, "-d" + DURATION, "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": rate,
        "p99_ms": round(float(p99.group(1)) * scale, 2),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def startup_seconds(data_dir: Path, port: int) -> float:
    """From `districtwiki serve` to the first answer from /healthz, on an existing data dir."""
    env = {**os.environ, "DISTRICTWIKI_DATA_DIR": str(data_dir)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "districtwiki.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", timeout=30)
        return time.monotonic() - started
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is not installed (apt-get install wrk)")
    data_dir = Path(tempfile.mkdtemp(prefix="districtwiki-bench-"))
    seed(data_dir)
    results: dict = {"pages": PAGES, "duration": DURATION, "connections": CONNECTIONS, "workers": WORKERS}
    floor = start("floor_app:application", 8301, data_dir)
    try:
        results["floor"] = wrk("http://127.0.0.1:8301/")
    finally:
        floor.terminate()
        floor.wait()
    wiki = start("districtwiki.wsgi:application", 8302, data_dir)
    try:
        for name, path in [
            ("page_view", "/wiki/Page_250"),
            ("history", "/history/History_page"),
            ("recent_changes", "/special/recent"),
            ("search", "/special/search?q=cipa+rate&fulltext=1"),
            ("api_page", "/api/v1/pages/Page_250"),
        ]:
            results[name] = wrk("http://127.0.0.1:8302" + path)
            results[name]["ratio_to_floor"] = round(
                results[name]["requests_per_second"] / results["floor"]["requests_per_second"], 3
            )
    finally:
        wiki.terminate()
        wiki.wait()
    results["first_start_seconds"] = round(startup_seconds(data_dir, 8303), 2)  # loads the starter content
    results["startup_seconds"] = round(startup_seconds(data_dir, 8303), 2)
    write(results)
    shutil.rmtree(data_dir, ignore_errors=True)


def write(results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    lines = [
        f"# districtwiki benchmark ({PAGES} pages, wrk -c{CONNECTIONS} -d{DURATION}, granian WSGI "
        f"{WORKERS} workers)",
        "",
        "| what | req/s | p99 ms | non-2xx | ratio to floor |",
        "|---|---|---|---|---|",
    ]
    for name, row in results.items():
        if isinstance(row, dict):
            lines.append(
                f"| {name} | {row['requests_per_second']:.0f} | {row['p99_ms']} | {row['errors']} | "
                f"{row.get('ratio_to_floor', 1.0)} |"
            )
    lines.append(f"\nFirst start (loads the starter content): {results['first_start_seconds']} s")
    lines.append(f"Start on an existing data dir: {results['startup_seconds']} s")
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
