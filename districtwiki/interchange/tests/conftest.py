"""Fixtures the interchange tests share: the live servers the MediaWiki client libraries talk to."""

from collections.abc import Iterator

import pytest

from districtwiki.wiki.tests.server import SharedServers, shared_servers


@pytest.fixture(scope="session")
def action_api_servers(tmp_path_factory) -> Iterator[SharedServers]:
    """One live server per database for the client-library modules (mwclient, pywikibot) a worker runs: each
    signs in as members of its own and works on pages of its own, so none needs a fresh server."""
    with shared_servers(tmp_path_factory, "action-api") as servers:
        yield servers
