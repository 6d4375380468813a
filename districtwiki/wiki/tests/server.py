"""A real `districtwiki serve` in a child process, for what only the running server can show: many HTTP
clients at once, a kill -9 in the middle of a burst of saves, fuzzing over the network.

Each server keeps its data in a test's own data dir and, for PostgreSQL, in a fresh database of its own that
is dropped afterwards. Nothing is shared with the test process's Django (the test database, settings and
cache are untouched), so these tests need no `db` fixture.
"""

import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

ADMIN_PASSWORD = "no-lost-data admin password"
START_TIMEOUT = 90  # seconds: the first start migrates and loads the starter pages
STOP_TIMEOUT = 20
REQUEST_TIMEOUT = 60

# Every test server runs on SQLite; on PostgreSQL too when the suite is given DATABASE_URL.
DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("DATABASE_URL"), reason="DATABASE_URL is not set: no PostgreSQL to test on"
        ),
    ),
]

_database_numbers = itertools.count(1)


class ServerFailed(Exception):
    """The server did not start, or did not stop, in time; the message ends with its log."""


@dataclass
class Storage:
    """Where one test server keeps its data: the data dir, and a PostgreSQL database when database_url is
    set (SQLite in the data dir otherwise). A restarted server on the same Storage sees the same data."""

    data_dir: Path
    database_url: str = ""
    settings: dict[str, str] = field(default_factory=dict)  # extra DISTRICTWIKI_* variables

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "districtwiki.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def environment(self) -> dict[str, str]:
        # The test process's own settings (its data dir, DATABASE_URL, any DISTRICTWIKI_* switch) must not
        # leak into the server: it gets exactly the configuration below.
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("DISTRICTWIKI_") and name != "DATABASE_URL"
        }
        env.update(
            DISTRICTWIKI_DATA_DIR=str(self.data_dir),
            DISTRICTWIKI_ADMIN_PASSWORD=ADMIN_PASSWORD,
            DISTRICTWIKI_EDIT_RATE_LIMIT="100000",
            DISTRICTWIKI_EMAIL="file",  # keep notification mail out of the server log
            DISTRICTWIKI_LOG_LEVEL="warning",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.settings)
        return env


@contextmanager
def server_storage(kind: str, data_dir: Path) -> Iterator[Storage]:
    """A Storage for one of DATABASES; a PostgreSQL database is created for it and dropped afterwards."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        yield Storage(data_dir)
        return
    name = f"districtwiki_nolost_{os.getpid()}_{next(_database_numbers)}"
    admin_url = os.environ["DATABASE_URL"]
    _run_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield Storage(data_dir, urlsplit(admin_url)._replace(path=f"/{name}").geturl())
    finally:
        _run_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_sql(database_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def districtwiki_command() -> list[str]:
    """The installed `districtwiki` script next to this interpreter, as an operator runs it."""
    script = Path(sys.executable).with_name("districtwiki")
    return [str(script)] if script.exists() else [sys.executable, "-m", "districtwiki.cli"]


@dataclass
class Reply:
    status: int
    body: dict | str
    headers: dict[str, str]

    @property
    def json(self) -> dict:
        assert isinstance(self.body, dict), f"not JSON ({self.status}): {self.body[:300]!r}"
        return self.body


def page_path(title: str, suffix: str = "") -> str:
    return "/api/v1/pages/" + quote(title.replace(" ", "_"), safe="/") + suffix


class LiveServer:
    """`districtwiki serve --workers N` in its own process group, so that kill() reaches every worker."""

    def __init__(self, storage: Storage, workers: int = 2):
        self.storage = storage
        self.workers = workers
        self.port = 0
        self.websocket_port = 0  # the live rooms' ASGI process
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LiveServer":
        self.port = free_port()  # a new port on every start: a killed server's socket may linger
        self.websocket_port = free_port()
        command = [*districtwiki_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--websocket-port", str(self.websocket_port)]
        with self.storage.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--workers", str(self.workers)],
                env=self.storage.environment(),
                cwd=self.storage.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"the server exited with status {self.process.returncode}{self.log_tail()}"
                )
            try:
                if self.call("GET", "/healthz", timeout=5).status == 200 and self.websockets_listening():
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)  # polling a child process: there is no clock to freeze here
        self.kill()
        raise ServerFailed(f"the server did not answer /healthz within {START_TIMEOUT} s{self.log_tail()}")

    def websockets_listening(self) -> bool:
        with suppress(OSError), socket.create_connection(("127.0.0.1", self.websocket_port), timeout=1):
            return True
        return False

    def stop(self) -> None:
        """Ctrl+C, as an operator stops it; kill -9 if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            self._wait_for_group_exit()
            return
        self.process.send_signal(signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_TIMEOUT)
        self.kill()

    def kill(self) -> None:
        """kill -9 the whole process group: the server and every granian worker, no chance to clean up."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)
        self._wait_for_group_exit()

    def _wait_for_group_exit(self) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT
        while live_group_members(self.process.pid):
            if time.monotonic() > deadline:
                raise ServerFailed(
                    f"server processes {live_group_members(self.process.pid)} are still running"
                )
            time.sleep(0.05)

    def log_tail(self, lines: int = 40) -> str:
        text = self.storage.log_file.read_text(errors="replace") if self.storage.log_file.exists() else ""
        return "\n--- server log ---\n" + "\n".join(text.splitlines()[-lines:])

    def call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        key: str = "",
        timeout: float = REQUEST_TIMEOUT,
    ) -> Reply:
        """One HTTP request on its own connection (safe to use from many threads at once)."""
        headers = {"Accept": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        content = json.loads(raw) if is_json else raw.decode(errors="replace")
        return Reply(response.status, content, dict(response.getheaders()))

    def manage(self, *arguments: str) -> str:
        """Run a `districtwiki` command against this server's data; its output, or a failure with stderr."""
        finished = subprocess.run(
            [*districtwiki_command(), *arguments],
            env=self.storage.environment(),
            cwd=self.storage.data_dir,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert finished.returncode == 0, f"districtwiki {arguments[0]} failed:\n{finished.stderr[-3000:]}"
        return finished.stdout

    def create_members(self, prefix: str, count: int) -> list[str]:
        """`count` confirmed members named prefix0, prefix1, …, each with an API token; the keys in order."""
        script = MEMBERS_SCRIPT.format(prefix=json.dumps(prefix), count=count)
        output = self.manage("shell", "--no-imports", "--command", script)
        keys = json.loads(output.strip().splitlines()[-1])
        assert len(keys) == count
        return keys


# Run inside `districtwiki shell`: members are made as the sign-up flow leaves them (e-mail confirmed), and
# tokens through the same action as `districtwiki token create`.
MEMBERS_SCRIPT = """
import json
from districtwiki.accounts.actions import create_api_token
from districtwiki.accounts.models import User
keys = []
for number in range({count}):
    username = {prefix} + str(number)
    member = User.objects.create_user(username, email=username + "@example.org", email_confirmed=True)
    keys.append(create_api_token(member, "server test")[1])
print(json.dumps(keys))
"""


def live_group_members(pgid: int) -> list[int]:
    """Processes of the group that are still running (zombies no longer count: they cannot write)."""
    members = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name is in parentheses and may contain spaces: split after the last ")".
            state, _parent, group = stat_file.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
        if int(group) == pgid and state != "Z":
            members.append(int(stat_file.parent.name))
    return members


@contextmanager
def running_server(storage: Storage) -> Iterator[LiveServer]:
    server = LiveServer(storage).start()
    try:
        yield server
    finally:
        server.stop()


class SharedServers:
    """One live server per kind of database (DATABASES), started when a test first asks for it and stopped
    when the test process ends, for modules that need no fresh server: those a pytest-xdist worker runs
    share one start (a session fixture holds it, see shared_servers)."""

    def __init__(self, tmp_path_factory, stack: ExitStack, name: str):
        self.tmp_path_factory = tmp_path_factory
        self.stack = stack
        self.name = name
        self.running: dict[str, LiveServer] = {}
        self.keys: dict[tuple[str, str], str] = {}

    def get(self, kind: str) -> LiveServer:
        """The server on `kind`, started on first use."""
        if kind not in self.running:
            data_dir = self.tmp_path_factory.mktemp(f"{self.name}-{kind}")
            storage = self.stack.enter_context(server_storage(kind, data_dir))
            running = LiveServer(storage).start()
            self.stack.callback(running.stop)  # before server_storage drops its database
            self.running[kind] = running
        return self.running[kind]

    def api_key(self, kind: str, username_prefix: str) -> str:
        """The API key of member <username_prefix>0 on the server on `kind`, made on first use."""
        if (kind, username_prefix) not in self.keys:
            (self.keys[kind, username_prefix],) = self.get(kind).create_members(username_prefix, 1)
        return self.keys[kind, username_prefix]


@contextmanager
def shared_servers(tmp_path_factory, name: str) -> Iterator[SharedServers]:
    """SharedServers whose servers (and their PostgreSQL databases) are gone when the block ends."""
    with ExitStack() as stack:
        yield SharedServers(tmp_path_factory, stack, name)
