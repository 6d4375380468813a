"""`districtwiki migrate-to URL`: a SQLite wiki moves into PostgreSQL whole, or nothing is written.

The command always reads a SQLite wiki and writes a PostgreSQL database, whichever database the suite itself
runs on, so these tests run it as an operator does (migration.py). This module looks at one migration of the
shared wiki from several sides, and at the checksum's canonical forms; test_migrate_to_refusals.py at
what is refused, test_migrate_to_rollback.py at failures during the copy.
"""

import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from districtwiki.operations import migrate_to

from .migration import (
    ADMIN_URL,
    ALICE_PASSWORD,
    BOB_PASSWORD,
    LANGUAGE_ORDER,
    LOGIN_FAILURES,
    admin_run,
    assert_refused,
    districtwiki,
    needs_postgres,
    pg_counts,
    pg_rows,
    run_script,
    sqlite_fingerprint,
    sqlite_rows,
)

# --- One migration of the shared wiki, looked at from several sides ---------------------------------------


@pytest.fixture(scope="module")
def migrated(source) -> Iterator[tuple[subprocess.CompletedProcess, str]]:
    """The module's wiki moved into a database that sorts text by language rules ("a" < "B"), as many
    servers do, unlike SQLite: the checksums must still agree."""
    name = f"districtwiki_migrate_{uuid.uuid4().hex[:12]}"
    url = urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()
    admin_run(f'CREATE DATABASE "{name}" TEMPLATE template0 {LANGUAGE_ORDER}')
    try:
        yield districtwiki(source, "migrate-to", url), url
    finally:
        admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Run in `districtwiki shell` with DATABASE_URL set to the migrated database: the site as its members meet it.
CHECK_TARGET = """
import json
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from districtwiki.accounts.models import User
from districtwiki.wiki import actions, search
from districtwiki.wiki.models import Page, Revision

def signs_in(username, password):
    client = Client(HTTP_HOST="localhost")
    client.post("/accounts/login/", {"login": username, "password": password})
    return client.get("/accounts/settings/").status_code == 200

alice_id = str(User.objects.get(username="alice").pk)
sessions = Session.objects.all()
[alice_session] = [one.session_key for one in sessions if one.get_decoded().get(SESSION_KEY) == alice_id]
kept = Client(HTTP_HOST="localhost")
kept.cookies["sessionid"] = alice_session
member = Client(HTTP_HOST="localhost")
highest = [Page.objects.order_by("-id")[0].id, Revision.objects.order_by("-id")[0].id]
with transaction.atomic():
    bob = User.objects.get(username="bob")
    saved = actions.save_revision("After the move", "Written on PostgreSQL.", bob)
    new_ids = [saved.page.id, saved.revision.id]
    transaction.set_rollback(True)
print(json.dumps({
    "kept_session": kept.get("/accounts/settings/").status_code,
    "alice": signs_in("alice", ALICE), "bob": signs_in("bob", BOB), "wrong": signs_in("alice", "not it"),
    "page": member.get("/wiki/Network_basics").content.decode(),
    "search_view": member.get("/special/search?q=Zanzibarite").content.decode(),
    "search_hits": [hit.title for hit in search.search_pages("zanzibarite").hits],
    "highest": highest, "new_ids": new_ids,
}))
"""


@pytest.fixture(scope="module")
def target_url(migrated) -> str:
    """The migrated database's URL, once the migration has succeeded."""
    done, url = migrated
    assert done.returncode == 0, done.stderr
    return url


@pytest.fixture(scope="module")
def target_checks(target_url, source) -> dict:
    url = target_url
    script = CHECK_TARGET.replace("ALICE", repr(ALICE_PASSWORD)).replace("BOB", repr(BOB_PASSWORD))
    return run_script(source, script, database_url=url)


@needs_postgres
def test_migration_reports_every_table_ok_and_succeeds(migrated):
    done, url = migrated
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith("table "))
    rows = [line.split() for line in lines[header + 1 :] if line.split()[-1] in ("ok", "DIFFERS")]
    assert {row[0] for row in rows} >= {"wiki_page", "wiki_revision", "accounts_user", "django_session"}
    assert all(row[-1] == "ok" and row[1] == row[2] for row in rows)
    assert lines[-2].startswith(f"Done: {len(rows)} tables, ")
    assert lines[-2].endswith("every row count and checksum matches.")
    assert f"DATABASE_URL={url}" in lines[-1]


@needs_postgres
def test_every_table_has_the_same_rows_on_both_sides(target_url, source):
    url = target_url
    counts = pg_counts(url)
    sqlite_tables = [
        name
        for (name,) in sqlite_rows(source, "SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith(("sqlite_", "wiki_search_index", "django_migrations"))
    ]
    assert len(sqlite_tables) > 30
    for table in sqlite_tables:
        assert counts[table] == sqlite_rows(source, f'SELECT count(*) FROM "{table}"')[0][0], table
    assert counts["accounts_loginfailure"] == LOGIN_FAILURES


@needs_postgres
def test_rows_keep_their_keys_and_values(target_url, source):
    url = target_url
    queries = [
        "SELECT id, title, latest_id FROM wiki_page ORDER BY id",
        "SELECT id, page_id, parent_id, text, summary FROM wiki_revision ORDER BY id",
        "SELECT source_id, target FROM wiki_pagelink ORDER BY id",
        "SELECT id, username, password FROM accounts_user ORDER BY id",
        "SELECT id, thread_id, text FROM discussions_post ORDER BY id",
        "SELECT id, file, sha1 FROM wiki_fileupload ORDER BY id",
    ]
    for sql in queries:
        assert pg_rows(url, sql) == sqlite_rows(source, sql), sql
    timestamps = (
        "SELECT created_at FROM wiki_page ORDER BY id"  # auto_now_add: must not become the copy's time
    )
    stored = [datetime.fromisoformat(text).replace(tzinfo=UTC) for (text,) in sqlite_rows(source, timestamps)]
    assert [moment for (moment,) in pg_rows(url, timestamps)] == stored
    assert ("Old draft",) in pg_rows(url, "SELECT title FROM wiki_page WHERE deleted_at IS NOT NULL")
    sessions = "SELECT session_key, session_data FROM django_session"  # the two sort text differently
    assert sorted(pg_rows(url, sessions)) == sorted(sqlite_rows(source, sessions))
    assert {"Bmixedcase", "amixedcase"} <= {key for key, _ in pg_rows(url, sessions)}


@needs_postgres
def test_content_types_and_permissions_keep_the_sources_ids(target_url, source):
    url = target_url
    for sql in (
        "SELECT id, app_label, model FROM django_content_type ORDER BY id",
        "SELECT id, content_type_id, codename FROM auth_permission ORDER BY id",
    ):
        assert pg_rows(url, sql) == sqlite_rows(source, sql)


@needs_postgres
def test_progress_counts_the_rows_copied_and_verified(migrated):
    # Plain lines (the output is not a terminal): every 10 s while it runs, and one closing line each.
    done, _ = migrated
    lines = done.stdout.splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith("table "))
    total = sum(int(line.split()[1].replace(",", "")) for line in lines[header + 1 :] if line.endswith(" ok"))
    assert total > LOGIN_FAILURES
    copied = next(line for line in lines if line.startswith("Copied: "))
    verified = next(line for line in lines if line.startswith("Verified: "))
    assert copied.startswith(f"Copied: {total:,} rows in ")
    assert verified.startswith(f"Verified: {total:,} rows in ")
    assert lines.index(copied) < lines.index("Verifying: reading every table back from the target…")


@needs_postgres
def test_members_stay_signed_in(target_checks):
    assert target_checks["kept_session"] == 200


@needs_postgres
def test_members_sign_in_with_their_old_passwords(target_checks):
    assert target_checks["alice"] is True
    assert target_checks["bob"] is True
    assert target_checks["wrong"] is False


@needs_postgres
def test_pages_and_search_work_on_the_target(target_checks):
    assert "routers" in target_checks["page"]
    assert target_checks["search_hits"] == ["E-Rate"]
    assert "E-Rate" in target_checks["search_view"]


@needs_postgres
def test_new_rows_get_ids_after_the_copied_ones(target_checks):
    new_page, new_revision = target_checks["new_ids"]
    highest_page, highest_revision = target_checks["highest"]
    assert new_page > highest_page
    assert new_revision > highest_revision


@needs_postgres
def test_uploads_stay_in_the_data_dir(target_url, source):
    url = target_url
    [(stored_name,)] = pg_rows(url, "SELECT file FROM wiki_fileupload")
    assert (source / "uploads" / stored_name).is_file()


# --- Refusals: one line, a non-zero exit, nothing changed (the others: test_migrate_to_refusals.py) -------


@needs_postgres
def test_target_holding_a_wiki_is_refused_and_left_alone(target_url, source):
    url = target_url
    before, source_before = pg_counts(url), sqlite_fingerprint(source)
    done = districtwiki(source, "migrate-to", url)
    assert_refused(done, "already holds districtwiki data", "Nothing was changed.")
    assert pg_counts(url) == before
    assert sqlite_fingerprint(source) == source_before


# --- The checksum's canonical forms (no database) ---------------------------------------------------------


def test_same_moment_in_any_time_zone_has_one_form():
    moment = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    elsewhere = moment.astimezone(timezone(timedelta(hours=-5)))
    assert (
        migrate_to.canonical(elsewhere) == migrate_to.canonical(moment) == "2024-05-06T07:08:09.123456+00:00"
    )


def test_equal_decimals_have_one_form_and_bytes_are_hex():
    assert migrate_to.canonical(Decimal("1.50")) == migrate_to.canonical(Decimal("1.5")) == "1.5"
    assert migrate_to.canonical(Decimal("1E+1")) == "10"
    assert migrate_to.canonical(memoryview(b"\x00\xff")) == migrate_to.canonical(b"\x00\xff") == "00ff"


def test_row_line_tells_apart_what_text_alone_would_not():
    assert migrate_to.row_line([None]) != migrate_to.row_line(["None"])
    assert migrate_to.row_line([True]) != migrate_to.row_line([1])
    assert migrate_to.row_line(["a", "b"]) != migrate_to.row_line(["a,b"])
    assert migrate_to.row_line([{"b": 1, "a": 2}]) == migrate_to.row_line([{"a": 2, "b": 1}])


def test_messages_never_show_the_password():
    assert migrate_to.shown_url("postgres://wiki:s3cret@db:5432/wiki") == "postgres://wiki:***@db:5432/wiki"
    with pytest.raises(migrate_to.MigrateError, match="names no database") as refused:
        migrate_to.parse_target("postgres://wiki:s3cret@db:5432/")
    assert "s3cret" not in str(refused.value)
