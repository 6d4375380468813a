"""Plumbing shared by the Python peers (An Otter Wiki, django-wiki).

Each peer gets a throwaway virtualenv under its workdir with pinned packages from PyPI, and is served by
granian's WSGI interface with the same worker count as districtwiki in bench/run.py, pinned with taskset,
in a process group of its own so stop() ends every worker. Also here: turning districtwiki's wiki links
into a peer's syntax, which both peers need.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

# As bench/run.py serves districtwiki: granian's WSGI interface with the same worker count (keep in step).
GRANIAN = "granian==2.8.9"
WORKERS = 2
START_TIMEOUT = 60.0


class PeerSetupError(RuntimeError):
    """A peer could not be installed, loaded or started; the message says which step and why."""


class Venv:
    """A virtualenv at `path` holding exactly the pinned `requirements` (reinstalled when they change)."""

    def __init__(self, path: Path, requirements: list[str]):
        self.path = path
        self.requirements = requirements
        self.python = path / "bin" / "python"

    def ensure(self) -> None:
        marker = self.path / ".bench-requirements.json"
        wanted = json.dumps(sorted(self.requirements))
        if marker.exists() and marker.read_text() == wanted and self.python.exists():
            return
        shutil.rmtree(self.path, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(self.path)], "create the virtualenv")
        run([str(self.python), "-m", "pip", "install", "--quiet", *self.requirements], "pip install")
        marker.write_text(wanted)

    def versions(self, distributions: list[str]) -> dict[str, str]:
        code = "import importlib.metadata as m, json, sys\n"
        code += "print(json.dumps({d: m.version(d) for d in sys.argv[1:]}))"
        output = run([str(self.python), "-c", code, *distributions], "read installed versions")
        return json.loads(output)

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        """A clean environment: nothing of districtwiki's own (DATABASE_URL, DJANGO_SETTINGS_MODULE...)."""
        keep = {name: os.environ[name] for name in ("HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
        path = f"{self.path / 'bin'}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"
        return {**keep, "PATH": path, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def run(command: list[str], step: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise PeerSetupError(f"{step} failed ({' '.join(command[:3])} ...): " + " | ".join(detail))
    return result.stdout


class GranianServer:
    """`taskset -c CPUS python -m granian --interface wsgi` for one peer, in its own process group."""

    def __init__(self, venv: Venv, log: Path):
        self.venv = venv
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(
        self,
        target: str,
        port: int,
        cpus: str,
        env: dict[str, str],
        cwd: Path,
        ready_path: str,
        threads: int | None = None,
    ):
        """Serve `target`; `threads` caps the request threads per worker for apps that are not thread-safe."""
        command = ["taskset", "-c", cpus, str(self.venv.python), "-m", "granian", "--interface", "wsgi"]
        command += ["--workers", str(WORKERS), "--host", "127.0.0.1", "--port", str(port)]
        if threads is not None:
            command += ["--blocking-threads", str(threads)]
        command += ["--log-level", "error", target]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_for_ok(f"http://127.0.0.1:{port}{ready_path}", self.process, self.log)
        except PeerSetupError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is None:
            return
        group = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        # Whatever of the group outlived the supervisor (a stuck worker, a git helper) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def pids(self) -> list[int]:
        """The granian worker processes (children of the supervisor; not their git or other helpers)."""
        if self.process is None:
            return []
        return children_of(self.process.pid)


def children_of(parent: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # After the command name (which may hold spaces) come the state, then the parent's pid.
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(entry.name))
    return sorted(children)


def wait_for_ok(url: str, process: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT) -> None:
    """Return once `url` answers 200; fail with the server's last log lines if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PeerSetupError(f"the server exited with {process.returncode}: {tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while starting, or an HTTP error status (HTTPError is an OSError)
            pass
        time.sleep(0.1)
    raise PeerSetupError(f"{url} did not answer 200 within {timeout:.0f} s: {tail(log)}")


def tail(log: Path, lines: int = 5) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- districtwiki wiki links in a peer's syntax ----------------------------------------------------------

WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")

# link(title, section, label) -> the peer's markup for a link to page `title` (label may be empty).
LinkWriter = Callable[[str, str, str], str]


def normalize_title(raw: str) -> str:
    """districtwiki's canonical title (districtwiki/wiki/titles.py), enough to match links to pages."""
    text = " ".join(part for part in raw.replace("_", " ").split(" ") if part)
    namespace, colon, rest = text.partition(":")
    if colon and namespace.strip().capitalize() in ("Category", "File") and rest.strip():
        rest = rest.strip()
        return f"{namespace.strip().capitalize()}:{rest[:1].upper()}{rest[1:]}"
    return text[:1].upper() + text[1:]


def convert_wikilinks(text: str, link: LinkWriter) -> str:
    """Rewrite every `[[...]]` of districtwiki's Markdown: page links through `link`, `[[Category:X]]`
    (which files the page and shows nothing) dropped, `[[File:x]]` as its label; `[[:Category:X]]` links
    to the category page. Everything else is plain Markdown that both peers read as it is."""

    def replace(match: re.Match) -> str:
        target, _, label = match.group(1).partition("|")
        leading_colon = target.startswith(":")
        target, _, section = target.lstrip(":").partition("#")
        title = normalize_title(target)
        if not title:
            return match.group(0)
        namespace = title.partition(":")[0] if ":" in title else ""
        if namespace == "Category" and not leading_colon:
            return ""
        if namespace == "File" and not leading_colon:
            return label.strip() or title.partition(":")[2]
        return link(title, section.strip(), label.strip())

    return WIKILINK.sub(replace, text)
