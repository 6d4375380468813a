"""Read replicas (districtwiki/replicas.py): which database each read goes to, read-your-writes, a replica
that is down, the DATABASE_REPLICA_URLS setting, and, on PostgreSQL, a real streaming replica behind a real
app server.

The router and middleware tests give the test database a second alias and call it the replica: a second
connection to the same database, which shows which alias each query used.
"""

import copy
import http.client
import os
import re
import runpy
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from districtwiki import replicas
from districtwiki import settings as settings_module
from districtwiki.accounts.models import APIToken
from districtwiki.api.tests.helpers import bearer, put_page
from districtwiki.wiki.models import Page
from districtwiki.wiki.tests import server
from districtwiki.wiki.tests.server import LiveServer, Storage, free_port, page_path

ROUTER = "districtwiki.replicas.ReplicaRouter"
REPLICA = "replica_test"
SECOND_REPLICA = "replica_test_2"
GONE = "replica_gone"


# --- The DATABASE_REPLICA_URLS setting ------------------------------------------------------------------


def load_settings(monkeypatch, **environment) -> dict:
    """A fresh run of the settings module under `environment` (the running settings are untouched)."""
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URLS", "DISTRICTWIKI_READ_YOUR_WRITES_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings_module.__file__)))


PRIMARY_URL = "postgres://wiki@db1.example.org:5432/wiki"


def test_replica_urls_become_aliases_mirrored_in_tests(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        DATABASE_URL=PRIMARY_URL,
        DATABASE_REPLICA_URLS="postgres://wiki@db2.example.org/wiki, postgres://wiki@db3.example.org/wiki",
        DISTRICTWIKI_READ_YOUR_WRITES_SECONDS="4",
    )
    assert loaded["READ_REPLICAS"] == ["replica1", "replica2"]
    assert [loaded["DATABASES"][alias]["HOST"] for alias in ("replica1", "replica2")] == [
        "db2.example.org",
        "db3.example.org",
    ]
    assert loaded["DATABASES"]["replica1"]["TEST"] == {"MIRROR": "default"}
    assert loaded["DATABASE_ROUTERS"] == [ROUTER]
    assert loaded["READ_YOUR_WRITES_SECONDS"] == 4


def test_without_replica_urls_there_is_no_router(monkeypatch):
    loaded = load_settings(monkeypatch, DATABASE_URL=PRIMARY_URL)
    assert loaded["READ_REPLICAS"] == []
    assert loaded["DATABASE_ROUTERS"] == []
    assert set(loaded["DATABASES"]) == {"default"}
    assert loaded["READ_YOUR_WRITES_SECONDS"] == 10


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DATABASE_REPLICA_URLS": "postgres://wiki@db2/wiki"}, "DATABASE_REPLICA_URLS needs DATABASE_URL"),
        (
            {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URLS": "mysql://wiki@db2/wiki"},
            "DATABASE_REPLICA_URLS entry 1 must be a postgres://",
        ),
        (
            {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URLS": "postgres://wiki@db2/wiki,,"},
            "DATABASE_REPLICA_URLS entry 2 is empty",
        ),
        (
            {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URLS": "postgres://db2:port/wiki"},
            "DATABASE_REPLICA_URLS entry 1 is not a valid database URL",
        ),
        (
            {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URLS": "postgres://wiki@db2:5432"},
            "DATABASE_REPLICA_URLS entry 1 must be a postgres://",
        ),
        (
            {"DATABASE_URL": PRIMARY_URL, "DISTRICTWIKI_READ_YOUR_WRITES_SECONDS": "soon"},
            "DISTRICTWIKI_READ_YOUR_WRITES_SECONDS='soon' is not a whole number",
        ),
        (
            {"DATABASE_URL": PRIMARY_URL, "DISTRICTWIKI_READ_YOUR_WRITES_SECONDS": "0"},
            "DISTRICTWIKI_READ_YOUR_WRITES_SECONDS='0' must be at least 1",
        ),
    ],
)
def test_invalid_replica_settings_stop_start_up_naming_the_variable(monkeypatch, environment, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        load_settings(monkeypatch, **environment)


def test_replica_url_errors_never_echo_the_password(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(
            monkeypatch, DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URLS="mysql://wiki:s3cret@db2/wiki"
        )
    assert "s3cret" not in str(raised.value)


# --- The router and middleware, on the test database under a second alias --------------------------------


def add_alias(alias: str, **changes) -> None:
    """A connection to the test database under another alias. Made here rather than listed in DATABASES,
    as Django allows for connections made during a test, so that the test case neither checks nor flushes
    it."""
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict.update(changes)
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)


def unreachable_database() -> dict:
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        return {"NAME": str(Path(tempfile.gettempdir()) / "no-such-directory" / "replica.sqlite3")}
    return {"HOST": "127.0.0.1", "PORT": free_port()}  # nothing listens there


@pytest.fixture
def replica_aliases(settings, django_db_setup, django_db_blocker) -> Iterator[None]:
    """Two working replicas and one that cannot be reached, all on the test database; reads may use the
    first. Tests of the rules alone need no rows, so no test transaction and nothing to flush afterwards."""
    with django_db_blocker.unblock():
        add_alias(REPLICA)
        add_alias(SECOND_REPLICA)
        add_alias(GONE, **unreachable_database())
        settings.READ_REPLICAS = [REPLICA]
        settings.DATABASE_ROUTERS = [ROUTER]
        yield
        for alias in (REPLICA, SECOND_REPLICA, GONE):
            connections[alias].close()
            del connections[alias]


@pytest.fixture
def page(replica_aliases, transactional_db, make_page):
    # Not inside a test transaction: the replicas' connections could not see the rows, and reads inside a
    # transaction go to the primary anyway.
    return make_page("Bus routes", "Route 7 leaves at 7:05.").page


class Queries:
    """The queries each alias ran inside the block."""

    def __init__(self, *aliases: str):
        self.captured = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}

    def __enter__(self) -> "Queries":
        for capture in self.captured.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        for capture in self.captured.values():
            capture.__exit__(*exc_info)

    def count(self, alias: str) -> int:
        return len(self.captured[alias].captured_queries)


def test_reads_outside_a_request_go_to_the_primary(replica_aliases):
    assert router.db_for_read(Page) == DEFAULT_DB_ALIAS


def test_reads_of_a_safe_request_go_to_a_replica(replica_aliases):
    with replicas.request_routing(may_use_replica=True):
        assert router.db_for_read(Page) == REPLICA
    assert router.db_for_write(Page) == DEFAULT_DB_ALIAS


def test_reads_inside_an_atomic_block_go_to_the_primary(replica_aliases):
    with replicas.request_routing(may_use_replica=True):
        with transaction.atomic():
            assert router.db_for_read(Page) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Page) == REPLICA


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replica_aliases):
    with replicas.request_routing(may_use_replica=True) as routing:
        assert router.db_for_read(Page) == REPLICA
        router.db_for_write(Page)
        assert routing.wrote
        assert router.db_for_read(Page) == DEFAULT_DB_ALIAS


def test_a_safe_request_that_wrote_pins_the_browser(replica_aliases, rf):
    def view_that_writes(request):
        router.db_for_write(Page)  # as a save does on its way to the database
        return HttpResponse("ok")

    response = replicas.ReadYourWritesMiddleware(view_that_writes)(rf.get("/special/random"))
    assert replicas.PIN_COOKIE in response.cookies
    response = replicas.ReadYourWritesMiddleware(lambda request: HttpResponse("ok"))(
        rf.get("/special/random")
    )
    assert replicas.PIN_COOKIE not in response.cookies


def test_replicas_are_never_migrated(replica_aliases):
    assert router.allow_migrate(REPLICA, "wiki") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "wiki") is True


def test_replicas_are_taken_in_turn(replica_aliases, settings):
    settings.READ_REPLICAS = [REPLICA, SECOND_REPLICA]
    chosen = []
    for _ in range(4):
        with replicas.request_routing(may_use_replica=True):
            chosen.append(router.db_for_read(Page))
            assert router.db_for_read(Page) == chosen[-1]  # one replica for the whole request
    assert chosen == [REPLICA, SECOND_REPLICA, REPLICA, SECOND_REPLICA]


def test_anonymous_page_read_queries_only_the_replica(page, client):
    with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
        response = client.get("/raw/Bus_routes")
    assert response.status_code == 200
    assert response.content.decode() == "Route 7 leaves at 7:05."
    assert queries.count(REPLICA) > 0
    assert queries.count(DEFAULT_DB_ALIAS) == 0
    assert replicas.PIN_COOKIE not in response.cookies


def edit(client, page: Page, text: str):
    form = {"text": text, "base_revision": page.latest_id, "summary": "", "minor": ""}
    return client.post("/edit/Bus_routes", form)


def test_a_save_reads_only_the_primary_and_pins_the_browser(page, alice_client):
    with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
        response = edit(alice_client, page, "Route 7 leaves at 7:10.")
    assert response.status_code == 302
    assert queries.count(REPLICA) == 0
    pin_cookie = response.cookies[replicas.PIN_COOKIE]
    assert pin_cookie["httponly"] and pin_cookie["samesite"] == "Lax"

    with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
        assert alice_client.get("/raw/Bus_routes").content.decode() == "Route 7 leaves at 7:10."
    assert queries.count(REPLICA) == 0
    assert queries.count(DEFAULT_DB_ALIAS) > 0


def test_the_pin_ends_after_the_window(page, alice_client, settings):
    settings.READ_YOUR_WRITES_SECONDS = 5
    with time_machine.travel(time.time(), tick=False) as traveller:
        assert edit(alice_client, page, "Route 7 leaves at 7:10.").status_code == 302
        traveller.shift(4.9)
        with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
            alice_client.get("/raw/Bus_routes")
        assert queries.count(REPLICA) == 0
        traveller.shift(0.2)
        with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
            alice_client.get("/raw/Bus_routes")
        assert queries.count(REPLICA) > 0


def test_a_forged_pin_cookie_is_ignored(page, client):
    client.cookies[replicas.PIN_COOKIE] = f"{time.time() + 3600:.3f}"  # unsigned
    with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
        assert client.get("/raw/Bus_routes").status_code == 200
    assert queries.count(REPLICA) > 0


def test_an_api_token_that_wrote_reads_from_the_primary_and_other_tokens_do_not(page, alice, bob):
    alice_key = APIToken.issue(alice, "bot")[1]
    bob_key = APIToken.issue(bob, "bot")[1]
    scripts = Client()  # a script keeps no cookies: every request stands alone
    saved = put_page(
        scripts,
        "Bus routes",
        {"content": "Route 9 too.", "base_revision": page.latest_id},
        **bearer(alice_key),
    )
    assert saved.status_code == 200, saved.content
    assert replicas.PIN_COOKIE not in saved.cookies
    scripts.cookies.clear()

    with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
        assert (
            scripts.get("/api/v1/pages/Bus_routes", **bearer(alice_key)).json()["content"] == "Route 9 too."
        )
    assert queries.count(REPLICA) == 0
    with Queries(DEFAULT_DB_ALIAS, REPLICA) as queries:
        assert scripts.get("/api/v1/pages/Bus_routes", **bearer(bob_key)).status_code == 200
    assert queries.count(REPLICA) > 0


def replica_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "districtwiki.replicas"]


def test_an_unreachable_replica_is_skipped_for_the_next_one(replica_aliases, settings, caplog):
    settings.READ_REPLICAS = [GONE, REPLICA]
    with replicas.request_routing(may_use_replica=True):
        assert router.db_for_read(Page) == REPLICA
    [warning] = replica_warnings(caplog)
    assert warning.startswith(f"Read replica {GONE} does not answer")


def test_with_every_replica_down_pages_are_read_from_the_primary(page, client, settings, caplog):
    settings.READ_REPLICAS = [GONE]
    for _ in range(3):
        with Queries(DEFAULT_DB_ALIAS) as queries:
            assert client.get("/raw/Bus_routes").status_code == 200
        assert queries.count(DEFAULT_DB_ALIAS) > 0
    assert len(replica_warnings(caplog)) == 1  # tried once, then left out for REPLICA_RETRY_SECONDS


def test_a_replica_that_was_down_is_tried_again_after_the_retry_time(
    page, client, settings, caplog, monkeypatch
):
    settings.READ_REPLICAS = [GONE]
    monkeypatch.setattr(replicas, "REPLICA_RETRY_SECONDS", 0)
    for _ in range(3):
        assert client.get("/raw/Bus_routes").status_code == 200
    assert len(replica_warnings(caplog)) == 3


def test_without_replicas_a_save_sets_no_cookie(alice_client, make_page):
    page = make_page("Bus routes", "Route 7 leaves at 7:05.").page
    response = edit(alice_client, page, "Route 7 leaves at 7:10.")
    assert response.status_code == 302
    assert replicas.PIN_COOKIE not in response.cookies
    assert router.routers == []


# --- A real streaming replica behind a real app server (PostgreSQL) -------------------------------------

needs_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="DATABASE_URL is not set: no PostgreSQL to replicate"
)
WINDOW = 3  # seconds of read-your-writes in the server tests
CATCH_UP_TIMEOUT = 60
HBA_LINE = "host replication postgres 127.0.0.1/32 trust  # districtwiki replica tests\n"


def as_postgres(*command: str, timeout: float = 120) -> str:
    """Run a PostgreSQL tool as the postgres user (the suite runs as root); its output, or a failure."""
    finished = subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, timeout=timeout
    )
    assert finished.returncode == 0, f"{Path(command[0]).name} failed:\n{finished.stderr[-3000:]}"
    return finished.stdout


@dataclass
class StreamingReplica:
    """A hot standby of the primary on 127.0.0.1:port, made with pg_basebackup into a throw-away directory."""

    primary_url: str
    directory: Path
    bin_dir: Path
    port: int = field(default_factory=free_port)
    catch_up_seconds: list[float] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        as_postgres(
            str(self.bin_dir / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(urlsplit(self.primary_url).port or 5432), "-U", "postgres"),
            *("-D", str(self.data_dir), "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast"),
            "--no-sync",  # a throw-away copy: no need to wait for the disk
        )
        with psycopg.connect(self.primary_url, autocommit=True) as primary:
            # A hot standby needs at least the primary's values of these.
            names = (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_locks_per_transaction",
            )
            limits = {name: primary.execute(f"SHOW {name}").fetchone()[0] for name in names}
            limits["max_prepared_transactions"] = primary.execute(
                "SHOW max_prepared_transactions"
            ).fetchone()[0]
        settings_lines = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.directory}'",
            "hot_standby = on",
            "fsync = off",  # a throw-away copy
            *(f"{name} = {value}" for name, value in limits.items()),
        ]
        (self.data_dir / "postgresql.conf").write_text("\n".join(settings_lines) + "\n")
        (self.data_dir / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\nlocal all all trust\n")
        (self.data_dir / "pg_ident.conf").write_text("")
        shutil.chown(self.data_dir / "postgresql.conf", "postgres")
        shutil.chown(self.data_dir / "pg_hba.conf", "postgres")
        shutil.chown(self.data_dir / "pg_ident.conf", "postgres")
        log = str(self.directory / "replica.log")
        as_postgres(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", log, "-w", "-t", "60", "start"
        )
        with self.connect("postgres") as replica:
            assert replica.execute("SELECT pg_is_in_recovery()").fetchone()[0], "not a standby"

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            as_postgres(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop")

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)

    def catch_up(self) -> float:
        """Wait until the replica has replayed everything the primary has written so far; the seconds that
        took (recorded in catch_up_seconds)."""
        started = time.monotonic()
        with psycopg.connect(self.primary_url, autocommit=True) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with self.connect("postgres") as replica:
            while not replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[
                0
            ]:
                assert time.monotonic() - started < CATCH_UP_TIMEOUT, "the replica did not catch up"
                time.sleep(0.005)  # polling another server: there is no clock to freeze
        self.catch_up_seconds.append(time.monotonic() - started)
        return self.catch_up_seconds[-1]

    def pause_replay(self) -> None:
        with self.connect("postgres") as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            while replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
                time.sleep(0.005)

    def resume_replay(self) -> None:
        with self.connect("postgres") as replica:
            replica.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def allow_local_replication(primary_url: str) -> Iterator[None]:
    """pg_basebackup needs a `replication` entry in the primary's pg_hba.conf, which the machine may not have:
    put one (trust, 127.0.0.1, user postgres) first in the file for as long as the tests run."""
    with psycopg.connect(primary_url, autocommit=True) as primary:
        hba_file = Path(primary.execute("SHOW hba_file").fetchone()[0])
        original = hba_file.read_text()
        hba_file.write_text(HBA_LINE + original)
        primary.execute("SELECT pg_reload_conf()")
    try:
        yield
    finally:
        with psycopg.connect(primary_url, autocommit=True) as primary:
            hba_file.write_text(hba_file.read_text().replace(HBA_LINE, "", 1))
            primary.execute("SELECT pg_reload_conf()")


@pytest.fixture(scope="module")
def streaming_replica() -> Iterator[StreamingReplica]:
    primary_url = os.environ["DATABASE_URL"]
    with psycopg.connect(primary_url, autocommit=True) as primary:
        major = int(primary.execute("SHOW server_version_num").fetchone()[0]) // 10000
    directory = Path(tempfile.mkdtemp(prefix="districtwiki-replica-"))  # under /tmp: postgres can reach it
    shutil.chown(directory, "postgres")
    replica = StreamingReplica(primary_url, directory, Path(f"/usr/lib/postgresql/{major}/bin"))
    try:
        with allow_local_replication(primary_url):
            started = time.monotonic()
            replica.start()
            print(f"\nreplica made and started in {time.monotonic() - started:.1f} s")
            yield replica
    finally:
        try:
            replica.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"\nreplica catch-up times (s): {', '.join(f'{s:.3f}' for s in replica.catch_up_seconds)}")


@dataclass
class ReplicaStorage(Storage):
    """A test server's storage whose server also reads from the replica, with a short read-your-writes
    window."""

    replica_url: str = ""

    def environment(self) -> dict[str, str]:
        return {
            **super().environment(),
            "DATABASE_REPLICA_URLS": self.replica_url,
            "DISTRICTWIKI_READ_YOUR_WRITES_SECONDS": str(WINDOW),
        }


@pytest.fixture
def replicated_server(streaming_replica, tmp_path) -> Iterator[LiveServer]:
    with server.server_storage("postgresql", tmp_path / "data") as storage:
        database = urlsplit(storage.database_url).path.lstrip("/")
        replicated = ReplicaStorage(
            storage.data_dir, storage.database_url, replica_url=streaming_replica.url(database)
        )
        live = LiveServer(replicated).start()
        try:
            yield live
        finally:
            live.stop()


class Browser:
    """A client that keeps its cookies (never expiring them: the server must judge their age itself)."""

    def __init__(self, live: LiveServer):
        self.live = live
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, list[str]]:
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.live.port, timeout=server.REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        set_cookies = response.headers.get_all("Set-Cookie") or []
        for header in set_cookies:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, [header.split("=", 1)[0] for header in set_cookies]

    def get(self, path: str) -> str:
        status, text, _ = self.request("GET", path)
        assert status == 200, f"GET {path}: {status}"
        return text

    def form_fields(self, path: str) -> dict[str, str]:
        page = self.get(path)
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))

    def sign_in(self, username: str, password: str) -> None:
        form = {**self.form_fields("/accounts/login/"), "login": username, "password": password}
        status, _, _ = self.request("POST", "/accounts/login/", form)
        assert status == 302, f"sign-in failed with {status}"


def anonymous_text(live: LiveServer, title: str) -> str:
    """The page's source as a signed-out reader gets it (never from the anonymous page cache)."""
    reply = live.call("GET", "/raw/" + title.replace(" ", "_"))
    assert reply.status in (200, 404), reply.status
    return reply.body if reply.status == 200 else "(missing)"


@needs_postgresql
def test_a_member_reads_their_edit_at_once_while_others_read_the_replica(
    streaming_replica, replicated_server
):
    live = replicated_server
    [key] = live.create_members("replicabot", 1)
    created = live.call(
        "PUT", page_path("Bus routes"), {"content": "Route 7 at 7:05.", "base_revision": None}, key=key
    )
    assert created.status == 201, created.body
    member = Browser(live)
    member.sign_in("admin", server.ADMIN_PASSWORD)
    form = member.form_fields("/edit/Bus_routes")
    streaming_replica.catch_up()
    assert live.call("GET", "/wiki/Bus_routes").headers["x-cache"] == "miss"  # now in the page cache

    streaming_replica.pause_replay()
    try:
        status, _, set_cookies = member.request(
            "POST", "/edit/Bus_routes", {**form, "text": "Route 7 at 7:20."}
        )
        saved_at = time.monotonic()
        assert status == 302
        assert replicas.PIN_COOKIE in set_cookies
        # The member sees the edit at once, from either worker; everyone else reads the paused replica.
        for _ in range(4):
            assert "Route 7 at 7:20." in member.get("/wiki/Bus_routes")
        assert anonymous_text(live, "Bus routes") == "Route 7 at 7:05."
        assert "Route 7 at 7:05." in Browser(live).get("/wiki/Bus_routes?x=1")
        # The page cache's front reads the page's stamp from the replica too, so it still serves the old copy.
        cached = live.call("GET", "/wiki/Bus_routes")
        assert "Route 7 at 7:05." in cached.body and cached.headers["x-cache"] == "hit"
        assert live.call("GET", page_path("Bus routes")).json["content"] == "Route 7 at 7:05."
        # A script with a token: its own write is visible to it at once, without cookies.
        body = {"content": "Route 9 at 8:00.", "base_revision": None}
        assert live.call("PUT", page_path("Late bus"), body, key=key).status == 201
        token_saved_at = time.monotonic()  # the token's pin starts here, after the member's
        assert live.call("GET", page_path("Late bus"), key=key).json["content"] == "Route 9 at 8:00."
        assert live.call("GET", page_path("Late bus")).status == 404
        assert time.monotonic() - saved_at < WINDOW, "too slow to check the window: raise WINDOW"

        # A real server's clock: wait both pins out.
        time.sleep(max(0.0, max(saved_at, token_saved_at) + WINDOW + 0.5 - time.monotonic()))
        assert "Route 7 at 7:05." in member.get("/wiki/Bus_routes")  # the pin is over: the replica again
        assert live.call("GET", page_path("Late bus"), key=key).status == 404

    finally:
        streaming_replica.resume_replay()  # a failure here must not leave the next test a paused replica
    streaming_replica.catch_up()
    assert anonymous_text(live, "Bus routes") == "Route 7 at 7:20."
    assert "Route 7 at 7:20." in member.get("/wiki/Bus_routes")
    assert "Route 7 at 7:20." in live.call("GET", "/wiki/Bus_routes").body
    assert live.call("GET", page_path("Late bus")).json["content"] == "Route 9 at 8:00."


@needs_postgresql
def test_pages_are_still_served_when_the_replica_goes_down(streaming_replica, replicated_server):
    live = replicated_server
    [key] = live.create_members("downbot", 1)
    body = {"content": "Snow day plan.", "base_revision": None}
    assert live.call("PUT", page_path("Snow days"), body, key=key).status == 201
    streaming_replica.catch_up()
    assert anonymous_text(live, "Snow days") == "Snow day plan."

    streaming_replica.stop()  # the last test of the module: the fixture only cleans up after it
    started = time.monotonic()
    for _ in range(6):
        assert anonymous_text(live, "Snow days") == "Snow day plan."
        assert "Snow day plan." in Browser(live).get("/wiki/Snow_days?x=1")
    assert time.monotonic() - started < 10
