"""The deploy recipe of docs/deploy.md, run for real: nginx with deploy/nginx/districtwiki.conf (the file the
docs tell operators to copy, with its EDIT values filled in) in front of two `districtwiki serve` processes
started at the same moment, on one database (PostgreSQL and Redis when the suite has them, SQLite otherwise).

Test clients reach nginx from different loopback addresses (127.0.0.2, 127.0.0.3, …: all of 127/8 is this
machine) so that nginx, like on a real site, sees different clients and forwards their addresses.
"""

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

from districtwiki.cli import serve_parser
from districtwiki.events.tests.servers import room_with_members
from districtwiki.wiki.tests import server
from districtwiki.wiki.tests.server import LiveServer, Storage

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
SITE_FILE = DEPLOY / "nginx" / "districtwiki.conf"
NGINX = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
HOST = "wiki.example.org"  # the site file's server_name, kept as shipped
CDN_MAX_AGE = 2  # seconds nginx may keep an anonymous page (DISTRICTWIKI_CDN_MAX_AGE)
# nginx keeps time in whole seconds: an answer stored at 10.9 s with s-maxage=2 is fresh until 12.999 s.
EXPIRED_AFTER = CDN_MAX_AGE + 1.1
ADDRESS_LOCK_AFTER = 2 * 4  # DISTRICTWIKI_LOGIN_FAILURE_LIMIT=2, four times that per address


def skip_without_nginx() -> None:
    if NGINX is None:
        pytest.skip("nginx is not installed (`make test` installs it)")


# --- nginx, configured as docs/deploy.md says


def render_site_file(
    listen_port: int, upstream_ports: list[int], static_dir: Path, cache_dir: Path, live_ports: list[int]
) -> str:
    """deploy/nginx/districtwiki.conf with its EDIT values replaced, as docs/deploy.md tells operators to."""
    upstreams = "".join(f"    server 127.0.0.1:{port};\n" for port in upstream_ports)
    live_upstreams = "".join(f"    server 127.0.0.1:{port};\n" for port in live_ports)
    edits = {
        "/var/cache/nginx/districtwiki ": f"{cache_dir} ",
        "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n": upstreams,
        "    server 127.0.0.1:8101;\n    server 127.0.0.1:8102;\n": live_upstreams,
        "listen 80;": f"listen 127.0.0.1:{listen_port};",
        "listen [::]:80;": "",
        "alias /var/lib/districtwiki/static/;": f"alias {static_dir}/;",
    }
    text = SITE_FILE.read_text()
    for shipped, value in edits.items():
        assert text.count(shipped) == 1, f"{SITE_FILE.name} no longer has exactly one {shipped!r}"
        text = text.replace(shipped, value)
    return text


MAIN_CONF = """
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    log_format upstreams '$remote_addr|$request_method|$request_uri|$status|'
                         '$upstream_addr|$upstream_cache_status';
    access_log {dir}/access.log upstreams;
    include {dir}/districtwiki.conf;
}}
"""


@dataclass
class Nginx:
    directory: Path
    upstream_ports: list[int]
    static_dir: Path
    live_ports: list[int] = field(default_factory=list)  # the app processes' live-room (ASGI) ports
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> "Nginx":
        self.port = server.free_port()
        (self.directory / "cache").mkdir(parents=True)  # as `mkdir -p /var/cache/nginx` in docs/deploy.md
        cache_dir = self.directory / "cache" / "districtwiki"  # nginx makes this one
        live = self.live_ports or self.upstream_ports
        site = render_site_file(self.port, self.upstream_ports, self.static_dir, cache_dir, live)
        (self.directory / "districtwiki.conf").write_text(site)
        # As root, workers would otherwise run as nobody, who cannot read the test's private folders.
        user = "user root;" if os.geteuid() == 0 else ""
        main = self.directory / "nginx.conf"
        main.write_text(MAIN_CONF.format(dir=self.directory, user=user))
        command = [NGINX, "-p", str(self.directory), "-e", str(self.directory / "error.log"), "-c", str(main)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx -t refused the configuration:\n{checked.stderr}"
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], start_new_session=True, stderr=subprocess.DEVNULL
        )
        self._wait_until_listening()
        return self

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nginx exited:\n{self.error_log()}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)  # a child process starting: there is no clock to freeze
        raise AssertionError(f"nginx did not listen within 20 s:\n{self.error_log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # nginx's fast shutdown, workers included
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def error_log(self) -> str:
        log = self.directory / "error.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    def access_log(self) -> list[dict[str, str]]:
        entries = []
        for line in (self.directory / "access.log").read_text().splitlines():
            client, method, uri, status, upstream, cache_status = line.split("|")
            entries.append(
                {"client": client, "method": method, "uri": uri, "status": status, "upstream": upstream}
                | {"cache": cache_status}
            )
        return entries


# --- The site: two app processes and nginx


@dataclass
class DeployedStorage(Storage):
    """The servers' environment file of docs/deploy.md, on top of the test servers' own settings."""

    settings: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        return super().environment() | self.settings


def recipe_settings() -> dict[str, str]:
    return {
        "DISTRICTWIKI_SECRET_KEY": "the same long random key in every app process",
        "DISTRICTWIKI_ALLOWED_HOSTS": f"{HOST},127.0.0.1",  # 127.0.0.1: the test's own health checks
        "DISTRICTWIKI_CSRF_TRUSTED_ORIGINS": f"http://{HOST}",
        "DISTRICTWIKI_SITE_URL": f"http://{HOST}",
        "DISTRICTWIKI_TRUSTED_PROXIES": "127.0.0.1",
        "DISTRICTWIKI_WORKER": "external",
        "DISTRICTWIKI_CDN_MAX_AGE": str(CDN_MAX_AGE),
        "DISTRICTWIKI_LOGIN_FAILURE_LIMIT": str(ADDRESS_LOCK_AFTER // 4),
    }


@dataclass
class Site:
    apps: list[LiveServer]
    nginx: Nginx


def start_together(apps: list[LiveServer]) -> None:
    """Start every app process at the same moment, as systemd does; stop them all if one fails."""
    with ThreadPoolExecutor(len(apps)) as pool:
        starts = [pool.submit(app.start) for app in apps]
    failures = [start.exception() for start in starts if start.exception() is not None]
    if failures:
        for app in apps:
            app.kill()
        raise failures[0]


@pytest.fixture(scope="module", params=server.DATABASES)
def site(request, tmp_path_factory):
    skip_without_nginx()
    directory = tmp_path_factory.mktemp("deploy")
    with server.server_storage(request.param, directory / "data") as plain:
        storage = DeployedStorage(plain.data_dir, plain.database_url, recipe_settings())
        apps = [LiveServer(storage, workers=1), LiveServer(storage, workers=1)]
        start_together(apps)
        try:
            for app in apps:
                # A process fingerprints its code at its first page view (part of every ETag): take both
                # fingerprints now, so that the two agree even in a checkout someone is editing meanwhile.
                assert app.call("GET", "/wiki/Acceptable_use_policies").status == 200
            apps[0].manage("collectstatic", "--noinput")
            nginx = Nginx(
                directory / "nginx",
                [app.port for app in apps],
                storage.data_dir / "static",
                [app.websocket_port for app in apps],
            )
            nginx.start()
            try:
                yield Site(apps, nginx)
            finally:
                nginx.stop()
        finally:
            for app in apps:
                app.stop()


# --- A browser reaching the site through nginx from an address of its own


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache_status(self) -> str:
        return self.headers.get("X-Cache-Status", "")


@dataclass
class Browser:
    site: Site
    address: str = "127.0.0.1"
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1",
            self.site.nginx.port,
            timeout=server.REQUEST_TIMEOUT,
            source_address=(self.address, 0),
        )
        sent = {"Host": HOST, **self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode(errors="replace"))
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return answer

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, headers=headers)

    def post_form(self, form_path: str, fields: dict, action: str | None = None) -> Answer:
        """Fetch the form (for its CSRF token and hidden fields), fill it in and submit it."""
        page = self.get(form_path)
        assert page.status == 200, f"GET {form_path}: {page.status}"
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.body))
        return self.request("POST", action or form_path, form={**hidden, **fields})

    def sign_in(self, login: str, password: str) -> Answer:
        return self.post_form("/accounts/login/", {"login": login, "password": password})


def signed_in_admin(site: Site) -> Browser:
    browser = Browser(site)
    assert browser.sign_in("admin", server.ADMIN_PASSWORD).status == 302
    assert "sessionid" in browser.cookies
    return browser


def edit(browser: Browser, title: str, text: str) -> None:
    saved = browser.post_form(f"/edit/{title}", {"text": text, "summary": "deploy recipe test"})
    assert saved.status == 302, f"the edit was not saved ({saved.status}): {saved.body[:500]}"


def requests_to(site: Site, uri: str) -> list[dict[str, str]]:
    return [entry for entry in site.nginx.access_log() if entry["uri"] == uri]


# --- Through nginx


def test_the_worker_runs_with_the_same_environment(site):
    assert site.apps[0].manage("worker", "--once").strip() == "Sent 0 digests."


def test_the_home_page_and_a_wiki_page_answer(site):
    anonymous = Browser(site)
    home = anonymous.get("/")
    assert home.status == 200
    assert "districtwiki" in home.body
    page = anonymous.get("/wiki/Acceptable_use_policies")
    assert page.status == 200
    assert "<h1" in page.body and "Acceptable use policies" in page.body


def test_static_files_are_served_by_nginx_from_the_collected_folder(site):
    on_disk = site.apps[0].storage.data_dir / "static" / "districtwiki" / "wiki.css"
    answer = Browser(site).get("/static/districtwiki/wiki.css")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/css")
    assert answer.body == on_disk.read_text()
    compressed = Browser(site).get("/static/districtwiki/wiki.css", **{"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"  # the .gz copy collectstatic wrote
    assert {entry["upstream"] for entry in requests_to(site, "/static/districtwiki/wiki.css")} == {"-"}
    assert Browser(site).get("/static/districtwiki/no-such-file.css").status == 404


def test_a_session_works_on_every_app_process(site):
    admin = signed_in_admin(site)
    for _ in range(6):
        settings_page = admin.get("/accounts/settings/")
        assert settings_page.status == 200
        assert "admin" in settings_page.body
    upstreams = {entry["upstream"] for entry in requests_to(site, "/accounts/settings/")}
    assert upstreams == {f"127.0.0.1:{app.port}" for app in site.apps}  # round robin reached both


def test_signed_in_answers_never_come_from_the_cache(site):
    anonymous, admin = Browser(site), signed_in_admin(site)
    for _ in range(3):
        anonymous.get("/wiki/Acceptable_use_policies")  # fills the cache, if the app allows it
    for _ in range(3):
        answer = admin.get("/wiki/Acceptable_use_policies")
        assert answer.status == 200
        assert answer.cache_status == "BYPASS"
        assert "Sign out" in answer.body
    with_token = Browser(site).get("/wiki/Acceptable_use_policies", Authorization="Bearer not-a-real-token")
    assert with_token.cache_status == "BYPASS"
    assert "Sign out" not in anonymous.get("/wiki/Acceptable_use_policies").body


def test_an_edit_is_seen_at_once_by_its_editor_and_within_the_cache_time_by_readers(site):
    admin, anonymous = signed_in_admin(site), Browser(site)
    edit(admin, "Deploy_notes", "First version of the deploy notes.")
    readings = [anonymous.get("/wiki/Deploy_notes") for _ in range(3)]
    assert all("First version" in reading.body for reading in readings)
    assert readings[-1].cache_status == "HIT"  # nginx holds the first version now

    edit(admin, "Deploy_notes", "Second version of the deploy notes.")
    mine = admin.get("/wiki/Deploy_notes")
    assert mine.cache_status == "BYPASS"
    assert "Second version" in mine.body

    started = time.monotonic()
    while "Second version" not in anonymous.get("/wiki/Deploy_notes").body:
        assert time.monotonic() - started <= EXPIRED_AFTER + 0.5, "anonymous readers still see the old text"
        time.sleep(0.1)  # nginx's clock, in another process, cannot be frozen


def test_anonymous_page_views_are_cached_and_revalidated(site):
    anonymous = Browser(site)
    direct = site.apps[0].call("GET", "/wiki/Acceptable_use_policies")
    cache_control = {name.lower(): value for name, value in direct.headers.items()}.get("cache-control", "")
    assert f"public, max-age=0, s-maxage={CDN_MAX_AGE}" in cache_control  # the contract of docs/deploy.md
    statuses = [anonymous.get("/wiki/Acceptable_use_policies").cache_status for _ in range(3)]
    assert statuses[-1] == "HIT"
    time.sleep(EXPIRED_AFTER)  # let the stored answer expire (nginx's clock)
    etags = {app.call("GET", "/wiki/Acceptable_use_policies").headers.get("etag") for app in site.apps}
    assert len(etags) == 1, f"the app processes disagree on the page's ETag: {etags}"
    assert anonymous.get("/wiki/Acceptable_use_policies").cache_status == "REVALIDATED"


def live_room(site: Site, cookie: str, origin: str = f"http://{HOST}"):
    """A WebSocket to a live room through nginx, as a page of the site opens it."""
    from websockets.sync.client import connect

    return connect(
        f"ws://127.0.0.1:{site.nginx.port}/ws/rooms/deploy-room/",
        origin=origin,
        additional_headers={"Cookie": cookie},
        open_timeout=15,
        legacy=True,
    )


def test_live_room_websockets_go_through_nginx_to_an_app_process(site):
    cookies = room_with_members(site.apps[0], "deploy-room", ["roomie"])
    connection = live_room(site, cookies["roomie"])
    try:
        connection.send(json.dumps({"type": "send", "text": "through nginx", "client_id": "n1"}))
        while (frame := json.loads(connection.recv(timeout=15)))["type"] != "ack":
            assert frame["type"] in ("presence", "message"), frame
        assert frame["client_id"] == "n1" and "through nginx" in frame["message"]["html"]
    finally:
        connection.close()


def test_live_room_handshake_from_another_site_is_refused_through_nginx(site):
    from websockets.exceptions import InvalidStatus

    cookies = room_with_members(site.apps[0], "deploy-room", ["roomie"])
    with pytest.raises(InvalidStatus) as refused:
        live_room(site, cookies["roomie"], origin="http://evil.example")
    assert refused.value.response.status_code == 403


def test_the_lock_out_counts_the_client_address_nginx_forwards(site):
    attacker, neighbour = Browser(site, "127.0.0.2"), Browser(site, "127.0.0.3")
    for number in range(ADDRESS_LOCK_AFTER):
        assert attacker.sign_in(f"guess{number}", "wrong password").status == 400
    assert attacker.sign_in("admin", server.ADMIN_PASSWORD).status == 429
    # The attacker claims to be the neighbour; nginx appends the address it really came from.
    forging = Browser(site, "127.0.0.2", headers={"X-Forwarded-For": "127.0.0.3"})
    assert forging.sign_in("admin", server.ADMIN_PASSWORD).status == 429
    assert neighbour.sign_in("admin", server.ADMIN_PASSWORD).status == 302
    clients = {entry["client"] for entry in requests_to(site, "/accounts/login/")}
    assert {"127.0.0.2", "127.0.0.3"} <= clients


# --- The cache rules of the site file, against an upstream that answers exactly as the app's HTTP caching
# contract says (docs/deploy.md): public with s-maxage for anonymous readers, private for signed-in ones.


class ContractApp(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # nginx keeps upstream connections open (keepalive)
    version = 1  # the page's revision; an edit bumps it
    seen: list[tuple[str, str]] = []  # (path, If-None-Match) of every request that reached the app

    def do_GET(self):
        ContractApp.seen.append((self.path, self.headers.get("If-None-Match", "")))
        signed_in = "sessionid=" in self.headers.get("Cookie", "") or self.headers.get("Authorization")
        etag = f'"rev-{ContractApp.version}"'
        if signed_in:
            self.answer(200, f"for the signed-in member, revision {ContractApp.version}", "private")
        elif self.headers.get("If-None-Match") == etag:
            self.answer(304, "", self.public(), ETag=etag)
        elif self.path == "/sets-a-cookie":
            self.answer(200, "a form", self.public(), **{"Set-Cookie": "csrftoken=abc; Path=/"})
        elif self.path == "/max-age-0":  # DISTRICTWIKI_CDN_MAX_AGE=0, the default
            self.answer(200, "always checked", "public, max-age=0, s-maxage=0, must-revalidate", ETag=etag)
        else:
            self.answer(200, f"for everyone, revision {ContractApp.version}", self.public(), ETag=etag)

    @staticmethod
    def public() -> str:
        return f"public, max-age=0, s-maxage={CDN_MAX_AGE}, must-revalidate"

    def answer(self, status: int, body: str, cache_control: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Cache-Control", cache_control)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        if status != 304:
            self.wfile.write(body.encode())

    def log_message(self, *args):  # keep the test output quiet
        pass


@contextmanager
def nginx_before_contract_app(directory: Path, extra_upstream_ports: tuple[int, ...] = ()) -> Iterator[Site]:
    skip_without_nginx()
    app = ThreadingHTTPServer(("127.0.0.1", 0), ContractApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    nginx = Nginx(directory / "nginx", [app.server_address[1], *extra_upstream_ports], directory)
    try:
        nginx.start()
        yield Site([], nginx)
    finally:
        nginx.stop()
        app.shutdown()
        app.server_close()


@pytest.fixture(scope="module")
def contract_site(tmp_path_factory):
    with nginx_before_contract_app(tmp_path_factory.mktemp("contract")) as site:
        yield site


def test_nginx_keeps_an_anonymous_answer_for_s_maxage_then_revalidates_it(contract_site):
    reader = Browser(contract_site)
    ContractApp.seen.clear()
    assert [reader.get("/wiki/Budget").cache_status for _ in range(3)] == ["MISS", "HIT", "HIT"]
    assert ContractApp.seen == [("/wiki/Budget", "")]
    time.sleep(EXPIRED_AFTER)  # let the stored answer expire on nginx's clock
    again = reader.get("/wiki/Budget")
    assert (again.cache_status, again.body) == ("REVALIDATED", "for everyone, revision 1")
    assert ContractApp.seen[-1] == ("/wiki/Budget", '"rev-1"')  # a conditional request: 304, no body


def test_nginx_shows_an_edit_to_anonymous_readers_within_s_maxage(contract_site):
    reader = Browser(contract_site)
    reader.get("/wiki/Agenda")
    assert reader.get("/wiki/Agenda").cache_status == "HIT"
    ContractApp.version += 1
    started = time.monotonic()
    while reader.get("/wiki/Agenda").body != f"for everyone, revision {ContractApp.version}":
        assert time.monotonic() - started <= EXPIRED_AFTER + 0.5, "the old revision outlived s-maxage"
        time.sleep(0.1)


def test_nginx_neither_serves_nor_stores_answers_for_signed_in_members(contract_site):
    member = Browser(contract_site, cookies={"sessionid": "abc123"})
    ContractApp.seen.clear()
    for _ in range(2):
        answer = member.get("/wiki/Staffing")
        assert answer.cache_status == "BYPASS"
        assert answer.body.startswith("for the signed-in member")
    assert len(ContractApp.seen) == 2
    reader = Browser(contract_site)
    first = reader.get("/wiki/Staffing")  # nothing the member saw was stored
    assert (first.cache_status, first.body.startswith("for everyone")) == ("MISS", True)
    assert reader.get("/wiki/Staffing").cache_status == "HIT"
    assert member.get("/wiki/Staffing").body.startswith("for the signed-in member")  # the cache is not used
    bot = Browser(contract_site).get("/wiki/Staffing", Authorization="Bearer abc")
    assert (bot.cache_status, bot.body.startswith("for the signed-in member")) == ("BYPASS", True)


def test_nginx_never_stores_an_answer_that_sets_a_cookie(contract_site):
    reader = Browser(contract_site)
    assert [reader.request("GET", "/sets-a-cookie").cache_status for _ in range(2)] == ["MISS", "MISS"]


# --- The systemd units agree with the site file


def unit_command(unit: str, instance: str = "") -> list[str]:
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/districtwiki/env\n" in text  # every process reads the same settings
    [line] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart=").replace("%i", instance))


def test_app_instance_n_serves_on_port_800n_as_the_site_file_expects():
    for number in (1, 2, 9):
        program, command, *arguments = unit_command("districtwiki@.service", str(number))
        assert (Path(program).name, command) == ("districtwiki", "serve")
        parsed = serve_parser().parse_args(arguments)
        assert (parsed.host, parsed.port, parsed.websocket_port) == (
            "127.0.0.1",
            8000 + number,
            8100 + number,
        )
    ports = re.findall(r"server 127\.0\.0\.1:(\d+);", SITE_FILE.read_text())
    assert ports == ["8001", "8002", "8101", "8102"]  # pages, then the same processes' live rooms


def test_the_worker_unit_runs_the_worker():
    program, *arguments = unit_command("districtwiki-worker.service")
    assert (Path(program).name, arguments) == ("districtwiki", ["worker"])


def test_nginx_stores_nothing_when_the_app_allows_zero_seconds(contract_site):
    reader = Browser(contract_site)
    ContractApp.seen.clear()
    assert [reader.get("/max-age-0").cache_status for _ in range(2)] == ["MISS", "MISS"]
    assert ContractApp.seen == [("/max-age-0", ""), ("/max-age-0", "")]


def down_port(sock: socket.socket) -> int:
    sock.bind(("127.0.0.1", 0))
    return sock.getsockname()[1]


def test_a_stopped_app_process_goes_unnoticed(tmp_path):
    # An app process that is down: its port is bound (so nothing else can take it) but nothing listens.
    with socket.socket() as down, nginx_before_contract_app(tmp_path, (down_port(down),)) as site:
        stopped = down.getsockname()[1]
        member = Browser(site, cookies={"sessionid": "abc123"})  # never cached: every request goes upstream
        answers = [member.get("/wiki/Staffing") for _ in range(6)]
        assert [answer.status for answer in answers] == [200] * 6
        upstreams = [entry["upstream"] for entry in site.nginx.access_log()]
        tried = [upstream for upstream in upstreams if f"127.0.0.1:{stopped}" in upstream]
        assert len(tried) == 1  # tried once, the request passed on to the live one; then skipped
        assert tried[0].startswith(f"127.0.0.1:{stopped}, 127.0.0.1:")
