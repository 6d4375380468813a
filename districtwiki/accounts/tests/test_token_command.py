from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from districtwiki.accounts.models import APIToken

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_only_a_key_that_works(alice):
    output = run("create", "alice")
    key = output.strip()
    assert output == key + "\n"
    token = APIToken.objects.find(key)
    assert token.user == alice
    assert token.name == "Command line"


def test_create_uses_the_given_name(alice):
    key = run("create", "alice", "--name", "Nightly export").strip()
    assert APIToken.objects.find(key).name == "Nightly export"


def test_create_for_an_unknown_user_fails_with_one_line(capsys, monkeypatch):
    # The command-line path closes every database connection when it ends, the test's own included.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["districtwiki", "token", "create", "nobody"])
    assert exit_info.value.code != 0
    stderr = capsys.readouterr().err
    assert stderr.strip().splitlines() == ["CommandError: No user called nobody."]
    assert not APIToken.objects.exists()


def test_create_with_an_overlong_name_is_refused(alice):
    with pytest.raises(CommandError, match="at most 100 characters"):
        run("create", "alice", "--name", "x" * 101)
    assert not APIToken.objects.exists()


def test_list_shows_hint_and_name(alice):
    token, _key = APIToken.issue(alice, "Nightly export")
    output = run("list", "alice")
    assert output.startswith(f"{token.hint}\tNightly export\tcreated ")
    assert output.rstrip().endswith("never used")


def test_revoke_by_hint_deletes_the_token(alice):
    token, key = APIToken.issue(alice, "Nightly export")
    output = run("revoke", "alice", token.hint)
    assert "Revoked" in output
    assert APIToken.objects.find(key) is None


def test_revoke_with_an_unknown_hint_is_refused(alice):
    _token, key = APIToken.issue(alice, "Nightly export")
    with pytest.raises(CommandError, match='alice has no API token starting with "dw_nope"'):
        run("revoke", "alice", "dw_nope")
    assert APIToken.objects.find(key) is not None


def test_revoke_cannot_reach_another_members_token(alice, bob):
    token, key = APIToken.issue(bob, "Bob's bot")
    with pytest.raises(CommandError):
        run("revoke", "alice", token.hint)
    assert APIToken.objects.find(key) is not None
