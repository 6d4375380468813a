"""Peer wikis measured beside districtwiki on the same corpus and load.

Each peer module (otterwiki, djangowiki, dokuwiki, mediawiki) defines a class `Peer` with this interface;
bench/run.py drives them all the same way. A peer installs itself into a throwaway place under its
`workdir` (a virtualenv for the Python peers, Debian packages plus a private config for the PHP ones) and
never into the project's own environment.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CorpusPage:
    """One page of the benchmark corpus: a title ("Page 17", "Category:E-Rate") and its text in
    districtwiki's Markdown (see bench/corpus.py for the constructs it uses)."""

    title: str
    text: str


class PeerBase:
    """The interface every peer implements."""

    name = "peer"

    def __init__(self, workdir: Path):
        self.workdir = workdir

    def install(self) -> str:
        """Install the peer (idempotent; reuse what is already there). Returns its version string."""
        raise NotImplementedError

    def load(self, pages: list[CorpusPage]) -> float:
        """Load the corpus (converted to the peer's own syntax), build its search index; returns seconds."""
        raise NotImplementedError

    def start(self, port: int, cpus: str) -> None:
        """Serve on 127.0.0.1:port, pinned to the given CPU list (taskset -c); returns once it answers."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def page_path(self, title: str) -> str:
        """The URL path (with query) that shows the page `title` to an anonymous reader."""
        raise NotImplementedError

    def search_path(self, term: str) -> str | None:
        """The URL path of a full-text search for `term`, or None when the peer has none."""
        return None

    def pids(self) -> list[int]:
        """The server's worker processes, for peak RSS."""
        return []
