from collections.abc import Iterator

import pytest

from districtwiki.accounts.models import APIToken
from districtwiki.wiki.tests import server
from districtwiki.wiki.tests.server import LiveServer, SharedServers, shared_servers


@pytest.fixture
def alice_key(alice) -> str:
    """A personal API token of alice's, as the client sends it."""
    return APIToken.issue(alice, "test")[1]


@pytest.fixture(scope="session")
def fuzzed_servers(tmp_path_factory) -> Iterator[SharedServers]:
    """The real servers schemathesis fuzzes (test_schemathesis*.py), one per database, shared by the modules
    a worker runs: fuzzing needs no fresh server."""
    with shared_servers(tmp_path_factory, "schemathesis") as servers:
        yield servers


@pytest.fixture(scope="module", params=server.DATABASES)
def live_api(request, fuzzed_servers) -> tuple[LiveServer, str]:
    """The running server and a member's API key."""
    return fuzzed_servers.get(request.param), fuzzed_servers.api_key(request.param, "fuzzer")
