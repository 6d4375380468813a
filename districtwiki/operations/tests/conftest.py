"""Fixtures the operations tests share: the SQLite wiki that `migrate-to` moves (test_migrate_to*.py), made
once per test process, and the empty PostgreSQL databases it moves into."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .migration import (
    ADMIN_URL,
    ALICE_PASSWORD,
    BOB_PASSWORD,
    LOGIN_FAILURES,
    POPULATE,
    add_login_failures,
    admin_run,
    districtwiki,
    run_script,
)


@pytest.fixture(scope="session")
def source(tmp_path_factory) -> Path:
    """A data dir holding a small but varied SQLite wiki (made once for the test process, so that the
    migrate-to modules a pytest-xdist worker runs share it; never written after)."""
    data_dir = tmp_path_factory.mktemp("source")
    done = districtwiki(data_dir, "migrate", "--no-input", "--verbosity=0")
    assert done.returncode == 0, done.stderr[-3000:]
    script = POPULATE.replace("ALICE", repr(ALICE_PASSWORD)).replace("BOB", repr(BOB_PASSWORD))
    run_script(data_dir, script)
    add_login_failures(data_dir / "districtwiki.sqlite3", LOGIN_FAILURES)
    return data_dir


@pytest.fixture
def make_target() -> Iterator:
    """make_target() creates an empty PostgreSQL database and returns its URL; all are dropped afterwards."""
    names = []

    def make() -> str:
        name = f"districtwiki_migrate_{uuid.uuid4().hex[:12]}"
        admin_run(f'CREATE DATABASE "{name}"')
        names.append(name)
        return urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()

    yield make
    for name in names:
        admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
