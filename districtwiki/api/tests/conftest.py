import pytest

from districtwiki.accounts.models import APIToken


@pytest.fixture
def alice_key(alice) -> str:
    """A personal API token of alice's, as the client sends it."""
    return APIToken.issue(alice, "test")[1]
