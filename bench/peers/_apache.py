"""What the PHP peers (DokuWiki, MediaWiki) share.

- Debian packages, installed with apt-get on first use; a package this Debian release lacks is reported as
  `PeerUnavailable`, which the runner records instead of a figure.
- A private apache2 + mod_php instance: its own config, port, pid file and logs under the peer's workdir,
  started as root (workers run as www-data) and pinned to the benchmark's server CPUs. The system's own
  apache2 site is never touched.
- `WikiMarkup`: the corpus Markdown, parsed once with markdown-it (as districtwiki parses it), written out
  in a peer's own syntax by a subclass that supplies its notation.
"""

import functools
import glob
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

WEB_USER = "www-data"
APACHE_PACKAGES = [
    "apache2",
    "libapache2-mod-php",
    "php-cli",
    "php-apcu",
    "php-mbstring",
    "php-xml",
    "php-intl",
]
MODULES = "/usr/lib/apache2/modules"
START_TIMEOUT = 30.0


class PeerUnavailable(RuntimeError):
    """The peer cannot run on this machine; the message says why."""


# --- Debian packages ------------------------------------------------------------------------------------


def apt_install(packages: list[str]) -> None:
    """Install the packages that are not installed yet (idempotent). Services stay stopped: the system's
    policy-rc.d decides that, and the peers never use the system's apache2 service."""
    missing = [name for name in packages if not package_version(name)]
    if not missing:
        return
    if os.geteuid() != 0:
        raise PeerUnavailable(f"needs root to install Debian packages: {' '.join(missing)}")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=apt_env)
    absent = [name for name in missing if not has_candidate(name)]
    if absent:
        raise PeerUnavailable(f"not available in this Debian release: {' '.join(absent)}")
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], env=apt_env)


def has_candidate(package: str) -> bool:
    policy = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True).stdout
    match = re.search(r"Candidate:\s*(\S+)", policy)
    return bool(match) and match.group(1) != "(none)"


def package_version(package: str) -> str:
    """The installed Debian version of `package`, or "" when it is not installed."""
    query = subprocess.run(
        ["dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}", package], capture_output=True, text=True
    )
    status, _, version = query.stdout.partition(" ")
    return version if query.returncode == 0 and status == "installed" else ""


def run(command: list[str], **kwargs) -> str:
    """Run a command; on failure raise with its own last words instead of a bare exit status."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(command[:3])} … exited {result.returncode}: {' / '.join(tail)}")
    return result.stdout


def php(*args: str, **kwargs) -> str:
    # APCu is off in the CLI by default; MediaWiki's maintenance scripts need it for CACHE_ACCEL.
    return run(["php", "-d", "apc.enable_cli=1", "-d", "memory_limit=2G", *args], **kwargs)


# --- Files the web server's user must reach ------------------------------------------------------------


def give_to_web_user(path: Path) -> None:
    """Let www-data write under `path` and reach it: the workdir may sit in a 0700 temporary directory, so
    each ancestor gets the traverse bit for others (not the read bit: nothing becomes listable)."""
    run(["chown", "-R", f"{WEB_USER}:{WEB_USER}", str(path)])
    for ancestor in path.resolve().parents:
        mode = ancestor.stat().st_mode
        if not mode & 0o001:
            ancestor.chmod(mode | 0o001)


# --- A private apache2 ------------------------------------------------------------------------------------


class Apache:
    """apache2 with mod_php (prefork) on 127.0.0.1:port, all its state under `root`."""

    workers = 16  # as many as wrk's connections, so no request waits for a free process

    def __init__(self, root: Path, docroot: Path, site_config: str = ""):
        self.root = root
        self.docroot = docroot
        self.site_config = site_config
        self.process: subprocess.Popen | None = None

    def write_config(self, port: int) -> Path:
        for name in ("run", "logs"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        config = self.root / "apache2.conf"
        config.write_text(
            APACHE_CONFIG.format(
                port=port,
                root=self.root,
                docroot=self.docroot,
                modules=MODULES,
                php_module=php_module(),
                user=WEB_USER,
                workers=self.workers,
                site_config=self.site_config,
            )
        )
        run(["apache2", "-t", "-f", str(config)])
        return config

    def start(self, port: int, cpus: str) -> None:
        config = self.write_config(port)
        with open(self.root / "logs" / "console.log", "ab") as console:  # start-up errors land here
            self.process = subprocess.Popen(
                ["taskset", "-c", cpus, "apache2", "-f", str(config), "-DFOREGROUND"],
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(f"http://127.0.0.1:{port}/", self.process, self.root / "logs")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            # SIGTERM is apache2's "stop now": the parent ends its children, then itself.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def pids(self) -> list[int]:
        """The prefork workers: the processes whose parent is apache2's parent process."""
        if self.process is None or self.process.poll() is not None:
            return []
        return children_of(self.process.pid)


def children_of(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ")".
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return sorted(children)


@functools.cache
def php_module() -> str:
    found = sorted(glob.glob(f"{MODULES}/libphp*.so"))
    if not found:
        raise PeerUnavailable("mod_php is missing (Debian package libapache2-mod-php)")
    return found[-1]


def warm_up(base_url: str, paths: list[str], threads: int = 4) -> None:
    """Fetch every path once, so a peer is measured with its own page cache filled, as it would be after
    a day of traffic (districtwiki renders at save time; a cold peer would be measured on its misses)."""

    def fetch(path: str) -> None:
        with urllib.request.urlopen(base_url + path, timeout=120) as response:
            response.read()

    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(fetch, paths):  # the first failure (an HTTPError with its URL) propagates
            pass


def wait_until_up(url: str, process: subprocess.Popen, logs: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = (logs / "console.log").read_text(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"apache2 exited with {process.returncode}: {' / '.join(said)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers; what it answers is the peer's business
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"apache2 did not answer {url} within {START_TIMEOUT:.0f}s; see {logs}/error.log")


APACHE_CONFIG = """\
# A private apache2 for the benchmark; nothing here is shared with the system's apache2.
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {root}/run/apache2.pid
DefaultRuntimeDir {root}/run
Mutex file:{root}/run default
ErrorLog {root}/logs/error.log
LogLevel warn
User {user}
Group {user}

LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule php_module {php_module}

# mod_php needs prefork; a fixed pool of workers, reused for the whole run.
StartServers {workers}
MinSpareServers {workers}
MaxSpareServers {workers}
ServerLimit {workers}
MaxRequestWorkers {workers}
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 5
Timeout 60

TypesConfig /etc/mime.types
AddDefaultCharset utf-8
DocumentRoot {docroot}
DirectoryIndex index.php
<FilesMatch "\\.php$">
    SetHandler application/x-httpd-php
</FilesMatch>
<Directory />
    Options None
    AllowOverride None
    Require all denied
</Directory>
<Directory {docroot}>
    Options FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>
{site_config}
"""


# --- Markdown to a wiki's markup -----------------------------------------------------------------------


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """`[[Title]]`, `[[Title|label]]`, `[[Category:Name]]` as one token (districtwiki's own syntax)."""
    start = state.pos
    if not state.src.startswith("[[", start):
        return False
    end = state.src.find("]]", start + 2)
    if end == -1 or "\n" in state.src[start:end]:
        return False
    target, _, label = state.src[start + 2 : end].partition("|")
    if not target.strip():
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target.strip(), "label": label.strip()}
    state.pos = end + 2
    return True


@functools.cache
def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    return md


class WikiMarkup:
    """Writes parsed Markdown in a wiki's syntax. Subclasses give the notation; this walk is shared."""

    bold = ("**", "**")
    italic = ("//", "//")
    strike = ("<del>", "</del>")
    code = ("''", "''")

    def heading(self, level: int, text: str) -> str:
        raise NotImplementedError

    def list_item(self, kinds: list[str], text: str) -> str:
        """`kinds` is the nesting, outermost first: "bullet" or "ordered" per level."""
        raise NotImplementedError

    def table(self, rows: list[tuple[bool, list[str]]]) -> list[str]:
        """Rows as (is_header, cells)."""
        raise NotImplementedError

    def link(self, url: str, label: str) -> str:
        raise NotImplementedError

    def wikilink(self, target: str, label: str) -> str:
        raise NotImplementedError

    def code_block(self, text: str) -> str:
        raise NotImplementedError

    def quote(self, text: str) -> str:
        raise NotImplementedError

    def escape(self, text: str) -> str:
        raise NotImplementedError

    def heading_text(self, children: list[Token]) -> str:
        return self.inline(children)

    def paragraph(self, text: str) -> str:
        return text

    rule = "----"

    def convert(self, markdown: str) -> str:
        walk = _Walk(self)
        for token in markdown_parser().parse(markdown):
            walk.block(token)
        return "\n".join(walk.lines).strip() + "\n"

    def inline(self, children: list[Token]) -> str:
        parts: list[list[str]] = [[]]  # a new buffer per open link, for its label
        hrefs: list[str] = []
        for token in children:
            kind = token.type
            if kind == "text":
                parts[-1].append(self.escape(token.content))
            elif kind in ("softbreak", "hardbreak"):
                parts[-1].append(" ")
            elif kind == "code_inline":
                parts[-1].append(self.code[0] + self.escape(token.content) + self.code[1])
            elif kind == "wikilink":
                parts[-1].append(self.wikilink(token.meta["target"], token.meta["label"]))
            elif kind == "link_open":
                hrefs.append(str(token.attrGet("href") or ""))
                parts.append([])
            elif kind == "link_close":
                label = "".join(parts.pop())
                parts[-1].append(self.link(hrefs.pop(), label))
            elif kind == "image":
                parts[-1].append(self.escape(token.content))
            else:
                parts[-1].append(self.emphasis(kind))
        return "".join(parts[0]).strip()

    def emphasis(self, kind: str) -> str:
        marks = {"strong": self.bold, "em": self.italic, "s": self.strike}
        name, _, side = kind.rpartition("_")
        pair = marks.get(name)
        return "" if pair is None else pair[0] if side == "open" else pair[1]


class _Walk:
    """The state of one conversion: where the next inline text goes."""

    def __init__(self, markup: WikiMarkup):
        self.markup = markup
        self.lines: list[str] = []
        self.lists: list[str] = []
        self.item_line: list[int | None] = []
        self.rows: list[tuple[bool, list[str]]] | None = None
        self.quotes = 0
        self.heading_level = 0

    def block(self, token: Token) -> None:
        kind = token.type
        if kind == "heading_open":
            self.heading_level = int(token.tag[1])
        elif kind == "inline" and self.heading_level and self.rows is None:
            text = self.markup.heading_text(token.children or [])
            self.lines.extend([self.markup.heading(self.heading_level, text), ""])
            self.heading_level = 0
        elif kind == "inline":
            self.text(self.markup.inline(token.children or []))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append(kind.split("_")[0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            if not self.lists:
                self.lines.append("")
        elif kind == "list_item_open":
            self.item_line.append(None)
        elif kind == "list_item_close":
            self.item_line.pop()
        elif kind == "table_open":
            self.rows = []
        elif kind == "tr_open":
            self.rows.append((False, []))
        elif kind == "th_open":
            self.rows[-1] = (True, self.rows[-1][1])
        elif kind == "table_close":
            self.lines.extend([*self.markup.table(self.rows), ""])
            self.rows = None
        elif kind in ("fence", "code_block"):
            self.lines.extend([self.markup.code_block(token.content), ""])
        elif kind == "hr":
            self.lines.extend([self.markup.rule, ""])
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quotes += 1 if kind.endswith("open") else -1

    def text(self, text: str) -> None:
        if self.rows is not None:
            self.rows[-1][1].append(text)
        elif self.item_line:
            self.item_text(text)
        elif text:
            self.lines.extend([self.markup.quote(text) if self.quotes else self.markup.paragraph(text), ""])

    def item_text(self, text: str) -> None:
        line = self.item_line[-1]
        if line is None:
            self.item_line[-1] = len(self.lines)
            self.lines.append(self.markup.list_item(self.lists, text))
        else:  # a second paragraph in the same item stays on the item's line
            self.lines[line] += " " + text
