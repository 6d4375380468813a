"""django-wiki (PyPI `wiki`) as a benchmark peer.

django-wiki is a set of Django apps, so it runs inside a minimal project (djangowiki_project/: the settings
and URLs its installation guide gives, SQLite). Each page becomes an article under the root, at
`/<slug>/` with the slug Django's slugify makes of the title; links become its `[label](wiki:/slug)`
syntax. It keeps no categories, so `[[Category:...]]` lines are dropped. Its search queries the article
table directly (no index). It has no server of its own; it runs under granian like districtwiki, with the
same worker count.
"""

import json
import re
import shutil
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote_plus

from . import CorpusPage, PeerBase
from ._python import GRANIAN, GranianServer, PeerSetupError, Venv, convert_wikilinks, run

WIKI = "wiki==0.13.0"
# django-wiki 0.13 supports Django 4.2 to 5.2; pinned so a run is repeatable.
DJANGO = "Django==5.2.19"
PROJECT = Path(__file__).resolve().parent / "djangowiki_project"
SLUG_MAX_LENGTH = 50  # wiki.models.URLPath.SLUG_MAX_LENGTH


def slug_for(title: str) -> str:
    """Django's slugify (django.utils.text), cut to django-wiki's slug length."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")[:SLUG_MAX_LENGTH]


def wiki_link(title: str, section: str, label: str) -> str:
    # The section is left out: django-wiki appends its trailing slash after a #fragment, which breaks it.
    text = (label or title).replace("[", "(").replace("]", ")")
    return f"[{text}](wiki:/{slug_for(title)})"


class Peer(PeerBase):
    name = "django-wiki"

    def __init__(self, workdir: Path):
        super().__init__(workdir)
        self.venv = Venv(workdir / "venv", [WIKI, DJANGO, GRANIAN])
        self.data_dir = workdir / "data"
        self.server = GranianServer(self.venv, workdir / "server.log")

    def install(self) -> str:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.venv.ensure()
        versions = self.venv.versions(["wiki", "Django", "granian"])
        return f"django-wiki {versions['wiki']} (Django {versions['Django']}, granian {versions['granian']})"

    def load(self, pages: list[CorpusPage]) -> float:
        started = time.monotonic()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        spec_file = self.workdir / "pages.json"
        spec_file.write_text(json.dumps(self._spec(pages)))
        run(
            [str(self.venv.python), str(PROJECT / "load_pages.py"), str(spec_file)],
            "django-wiki load",
            self._env(),
        )
        spec_file.unlink()
        return time.monotonic() - started

    def start(self, port: int, cpus: str) -> None:
        if not (self.data_dir / "wiki.sqlite3").exists():
            raise PeerSetupError("django-wiki: load() the corpus before start()")
        self.server.start("wsgi:application", port, cpus, self._env(), PROJECT, "/")

    def stop(self) -> None:
        self.server.stop()

    def page_path(self, title: str) -> str:
        return f"/{slug_for(title)}/"

    def search_path(self, term: str) -> str | None:
        return "/_search/?q=" + quote_plus(term)

    def pids(self) -> list[int]:
        return self.server.pids()

    def _spec(self, pages: list[CorpusPage]) -> dict:
        titles_by_slug: dict[str, str] = {}
        rows = []
        for page in pages:
            slug = slug_for(page.title)
            if not slug:
                raise PeerSetupError(f"django-wiki: the title {page.title!r} has nothing to make a slug of")
            if slug in titles_by_slug:
                raise PeerSetupError(
                    f"django-wiki: {page.title!r} and {titles_by_slug[slug]!r} would share the slug {slug!r}"
                )
            titles_by_slug[slug] = page.title
            rows.append((slug, page.title, convert_wikilinks(page.text, wiki_link)))
        return {"root_title": "Benchmark", "root_text": "The benchmark corpus.", "pages": rows}

    def _env(self) -> dict[str, str]:
        return self.venv.environment(
            {
                "DJANGO_SETTINGS_MODULE": "settings",
                "DJANGOWIKI_DATA_DIR": str(self.data_dir),
                "PYTHONPATH": str(PROJECT),
            }
        )
