"""An Otter Wiki (PyPI `otterwiki`, Flask) as a benchmark peer.

Its pages are Markdown files in a git repository: page "Page 17" is the file `page 17.md` (the page name
passed through otterwiki.util.sanitize_pagename and lower-cased, `/` making subdirectories), served at
`/Page%2017`. The corpus is written as files and committed once, as a git import would be. Its search greps
every file on each query, so there is no index to build. Otterwiki's own images run it under uWSGI behind
nginx (worker processes, one thread each); here it runs under granian with the same worker count as
districtwiki, one request thread per worker.
"""

import json
import shutil
import time
from pathlib import Path
from urllib.parse import quote

from . import CorpusPage, PeerBase
from ._python import GRANIAN, GranianServer, PeerSetupError, Venv, convert_wikilinks, run

OTTERWIKI = "otterwiki==2.26.1"

# Runs inside the peer's virtualenv: names the files with otterwiki's own sanitizer, one commit for all.
LOAD_SCRIPT = """
import json, pathlib, sys
import git
from otterwiki.util import sanitize_pagename

spec = json.loads(pathlib.Path(sys.argv[1]).read_text())
root = pathlib.Path(spec["repository"])
repo = git.Repo.init(root)
files = {}
for title, text in spec["pages"]:
    name = sanitize_pagename(title).lower() + ".md"
    if name in files:
        sys.exit(f"pages {files[name]!r} and {title!r} would both be stored as {name!r}")
    files[name] = title
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
repo.git.add("--all")
actor = git.Actor("Benchmark", "bench@localhost")
repo.index.commit("Load the benchmark corpus", author=actor, committer=actor)
"""


def otter_link(title: str, section: str, label: str) -> str:
    # Otterwiki's default WIKILINK_STYLE is [[label|Page]], the reverse of districtwiki's [[Page|label]].
    target = f"{title}#{section}" if section else title
    if not label and not section:
        return f"[[{title}]]"
    return f"[[{label or title}|{target}]]"


def otter_text(page: CorpusPage) -> str:
    # A page otterwiki creates starts with "# Name" (wiki.py, _new_page_content); the sidebar and the
    # page title take the name's case from that heading, since the file names are lower-case.
    return f"# {page.title}\n\n" + convert_wikilinks(page.text, otter_link)


class Peer(PeerBase):
    name = "otterwiki"

    def __init__(self, workdir: Path):
        super().__init__(workdir)
        self.venv = Venv(workdir / "venv", [OTTERWIKI, GRANIAN])
        self.repository = workdir / "repository"
        self.server = GranianServer(self.venv, workdir / "server.log")

    def install(self) -> str:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.venv.ensure()
        versions = self.venv.versions(["otterwiki", "granian"])
        return f"otterwiki {versions['otterwiki']} (granian {versions['granian']})"

    def load(self, pages: list[CorpusPage]) -> float:
        started = time.monotonic()
        shutil.rmtree(self.repository, ignore_errors=True)
        (self.workdir / "otterwiki.db").unlink(missing_ok=True)
        self.repository.mkdir(parents=True)
        spec = {
            "repository": str(self.repository),
            "pages": [(page.title, otter_text(page)) for page in pages],
        }
        spec_file = self.workdir / "pages.json"
        spec_file.write_text(json.dumps(spec))
        run([str(self.venv.python), "-c", LOAD_SCRIPT, str(spec_file)], "otterwiki load", self._env())
        # Importing the app once creates its SQLite tables, so the workers do not race to create them.
        run([str(self.venv.python), "-c", "import otterwiki.server"], "otterwiki first start", self._env())
        spec_file.unlink()
        return time.monotonic() - started

    def start(self, port: int, cpus: str) -> None:
        if not (self.repository / ".git").is_dir():
            raise PeerSetupError("otterwiki: load() the corpus before start()")
        # One request thread per worker, as under its uWSGI set-up (processes, no threads): the app shares
        # one GitPython repository handle and renderer state between requests and breaks when threaded.
        self.server.start(
            "otterwiki.server:app", port, cpus, self._env(), self.workdir, "/-/healthz", threads=1
        )

    def stop(self) -> None:
        self.server.stop()

    def page_path(self, title: str) -> str:
        return "/" + quote(title, safe="/")

    def search_path(self, term: str) -> str | None:
        return "/-/search/" + quote(term, safe="")

    def pids(self) -> list[int]:
        return self.server.pids()

    def _env(self) -> dict[str, str]:
        return self.venv.environment(
            {
                "REPOSITORY": str(self.repository),
                "SECRET_KEY": "benchmark-only-secret-key",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.workdir / 'otterwiki.db'}",
                "SITE_NAME": "Benchmark",
                "READ_ACCESS": "ANONYMOUS",
                "LOG_LEVEL": "WARNING",
            }
        )
