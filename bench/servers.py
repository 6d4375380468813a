"""The servers bench/run.py measures: districtwiki itself (started exactly as `districtwiki serve`), the
framework floor (floor_app.py under granian with the same settings) and the machine's ceiling (nginx serving
a static copy of the same bytes). Each runs in a process group of its own, pinned with taskset.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORKERS = 2
BLOCKING_THREADS = 8  # as `districtwiki serve` sets them (districtwiki/cli.py)
START_TIMEOUT = 180.0  # the first start migrates and loads the starter pages


class ServerFailed(RuntimeError):
    pass


def wait_until_ok(url: str, process: subprocess.Popen, timeout: float = START_TIMEOUT) -> float:
    """Seconds until `url` answers 200; ServerFailed if the process exits or it never does."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise ServerFailed(f"the server exited with status {process.returncode} before answering {url}")
        with suppress(OSError, urllib.error.HTTPError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return time.monotonic() - started
        time.sleep(0.02)
    raise ServerFailed(f"{url} did not answer 200 within {timeout:.0f} s")


def group_members(pgid: int) -> list[int]:
    """Live processes of the process group (not zombies)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _parent, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue
        if int(group) == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return sorted(members)


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (the peak resident set) of a process, in MB; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GroupServer:
    """A command started in its own session; stop() ends the whole group."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path, log: Path):
        self.command, self.env, self.cwd, self.log = command, env, cwd, log
        self.process: subprocess.Popen | None = None

    def start(self, ready_url: str, timeout: float = START_TIMEOUT) -> float:
        """Seconds from launching the command to the first 200 from `ready_url`."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            return wait_until_ok(ready_url, self.process, timeout)
        except ServerFailed as error:
            self.stop()
            raise ServerFailed(f"{error}; log: {self.log_tail()}") from None

    def workers(self) -> list[int]:
        """The processes that serve page requests: the group without its supervising leader and without the
        live rooms' ASGI process (asgi_processes)."""
        if self.process is None:
            return []
        live_rooms = set(self.asgi_processes())
        return [
            pid
            for pid in group_members(self.process.pid)
            if pid != self.process.pid and pid not in live_rooms
        ]

    def asgi_processes(self) -> list[int]:
        """The live rooms' ASGI server process (and its workers, if it has any)."""
        if self.process is None:
            return []
        found = []
        for pid in group_members(self.process.pid):
            with suppress(OSError):
                if b"districtwiki.asgi:application" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
        return found

    def stop(self) -> None:
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGINT)  # as Ctrl+C stops `districtwiki serve`
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while group_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def log_tail(self, lines: int = 8) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return " | ".join(text.strip().splitlines()[-lines:])


def districtwiki_server(
    port: int, env: dict[str, str], data_dir: Path, cpus: str, websocket_port: int = 0
) -> GroupServer:
    """`districtwiki serve` as an operator runs it, on `cpus` (with its live rooms' ASGI process, on
    `websocket_port` or a free one)."""
    script = Path(sys.executable).with_name("districtwiki")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "districtwiki.cli"]
    command = ["taskset", "-c", cpus, *command, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--websocket-port", str(websocket_port or free_port())]
    return GroupServer([*command, "--workers", str(WORKERS)], env, data_dir, data_dir / "server.log")


def floor_server(port: int, body_file: Path, cpus: str) -> GroupServer:
    """floor_app.py under granian's WSGI interface with the settings `districtwiki serve` uses."""
    command = ["taskset", "-c", cpus, sys.executable, "-m", "granian", "--interface", "wsgi"]
    command += ["--workers", str(WORKERS), "--blocking-threads", str(BLOCKING_THREADS)]
    command += [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "bench.floor_app:application",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_FLOOR_BODY": str(body_file)}
    return GroupServer(command, env, ROOT, body_file.parent / "floor.log")


NGINX_CONF = """
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
        default_type text/html;
        charset utf-8;
        location / {{ try_files /page.html =404; }}
    }}
}}
"""


def nginx_server(port: int, body_file: Path, cpus: str) -> GroupServer:
    """nginx answering every path with a static copy of `body_file`, from a throwaway config in a directory
    of its own (the caller removes GroupServer.cwd afterwards)."""
    directory = Path(tempfile.mkdtemp(prefix="districtwiki-bench-nginx-"))
    (directory / "www").mkdir()
    (directory / "www" / "page.html").write_bytes(body_file.read_bytes())
    # Started by root, nginx's workers run as "nobody", who must be able to read the page.
    for path in (directory, directory / "www"):
        path.chmod(0o755)
    (directory / "www" / "page.html").chmod(0o644)
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=WORKERS, dir=directory, port=port))
    command = ["taskset", "-c", cpus, "nginx", "-c", str(conf), "-g", "daemon off;"]
    return GroupServer(command, dict(os.environ), directory, directory / "stdout.log")
