"""`districtwiki migrate-to URL` refuses what it cannot do with one line and a non-zero exit, and changes
nothing: a URL that is not a PostgreSQL database's, a server or database that is not there, a wiki already
on PostgreSQL, a data dir without a wiki. (How the command is run: migration.py.)"""

import uuid
from urllib.parse import urlsplit

import pytest

from districtwiki.wiki.tests.server import free_port

from .migration import ADMIN_URL, assert_refused, districtwiki, needs_postgres, pg_counts, sqlite_fingerprint


@needs_postgres
@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("not-a-url", "is not a database URL"),
        ("sqlite:////tmp/elsewhere.sqlite3", "must be a PostgreSQL database"),
        ("mysql://root@127.0.0.1:3306/wiki", "not a mysql:// URL"),
        ("postgres://postgres:secret@127.0.0.1:5432/", "names no database"),
    ],
)
def test_target_that_is_not_a_postgresql_database_url_is_refused(source, url, phrase):
    before = sqlite_fingerprint(source)
    message = assert_refused(districtwiki(source, "migrate-to", url), phrase)
    assert "secret" not in message
    assert sqlite_fingerprint(source) == before


@needs_postgres
def test_unreachable_server_is_named(source):
    port = free_port()
    done = districtwiki(source, "migrate-to", f"postgres://postgres@127.0.0.1:{port}/wiki")
    assert_refused(done, f"could not connect to the PostgreSQL database wiki on 127.0.0.1:{port}")


@needs_postgres
def test_missing_target_database_says_to_create_it(source):
    name = f"districtwiki_absent_{uuid.uuid4().hex[:12]}"
    url = urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()
    assert_refused(districtwiki(source, "migrate-to", url), f'database "{name}" does not exist', "createdb")


@needs_postgres
def test_wiki_already_on_postgresql_is_refused(source, make_target):
    configured, target = make_target(), make_target()
    done = districtwiki(source, "migrate-to", target, database_url=configured)
    assert_refused(done, "already uses PostgreSQL")
    assert pg_counts(target) == {}
    assert pg_counts(configured) == {}


@needs_postgres
def test_data_dir_without_a_database_is_refused_and_none_is_created(tmp_path, make_target):
    target = make_target()
    assert_refused(districtwiki(tmp_path, "migrate-to", target), "there is no SQLite database")
    assert not (tmp_path / "districtwiki.sqlite3").exists()
    assert pg_counts(target) == {}
