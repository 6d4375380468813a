"""`districtwiki migrate-to URL`: a SQLite wiki moves into PostgreSQL whole, or nothing is written.

The command always reads a SQLite wiki and writes a PostgreSQL database, whichever database the suite itself
runs on, so these tests run it as an operator does: as a child process on a data dir of its own (filled by
another child process through the real actions), into a PostgreSQL database made for the test and dropped
after it. They need a PostgreSQL server on 127.0.0.1:5432 (or the one DATABASE_URL names) and skip without.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from districtwiki.operations import migrate_to
from districtwiki.wiki.tests.server import districtwiki_command, free_port

# The server DATABASE_URL names (CI's), else the local default; its maintenance database, to create others.
SERVER_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
ADMIN_URL = urlsplit(SERVER_URL)._replace(path="/postgres").geturl()
ALICE_PASSWORD = "alice's long old password"
BOB_PASSWORD = "bob's long old password"
# Text sorted by language rules ("a" < "B" < "b" < "C"), unlike SQLite ("B" < "C" < "a" < "b").
LANGUAGE_ORDER = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
LOGIN_FAILURES = 2_500  # a table of some size, copied in several batches of migrate_to.BATCH rows


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


needs_postgres = pytest.mark.skipif(
    not postgres_reachable(), reason="no PostgreSQL server reachable to migrate into"
)


# --- Running the command -----------------------------------------------------------------------------------


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The child's configuration, and only it: nothing of the test process's data dir or databases."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DISTRICTWIKI_") and name not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DISTRICTWIKI_DATA_DIR=str(data_dir), DISTRICTWIKI_EDIT_RATE_LIMIT="100000", DISTRICTWIKI_EMAIL="file"
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def districtwiki(data_dir: Path, *arguments: str, database_url: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [*districtwiki_command(), *arguments],
        env=environment(data_dir, database_url),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=600,
    )


def run_script(data_dir: Path, script: str, database_url: str = "") -> dict:
    done = districtwiki(data_dir, "shell", "--no-imports", "--command", script, database_url=database_url)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_refused(done: subprocess.CompletedProcess, *phrases: str) -> str:
    """A non-zero exit with one line on stderr that says each of `phrases`; the line."""
    message = done.stderr.strip()
    assert done.returncode == 1, (done.returncode, message)
    assert len(message.splitlines()) == 1, message
    assert message.startswith("CommandError: ")
    for phrase in phrases:
        assert phrase in message
    return message


# --- The SQLite wiki to move -------------------------------------------------------------------------------

# Run in `districtwiki shell` in the source data dir: members, pages with history and links, a category, an
# upload, a talk thread, a deleted page, an API token, sessions; then many sign-in failures straight into
# the table.
POPULATE = """
import io, json
from django.core.files.base import ContentFile
from PIL import Image
from districtwiki.accounts.actions import create_api_token
from districtwiki.accounts.models import User
from districtwiki.discussions.actions import add_post, start_thread
from districtwiki.wiki import actions
from districtwiki.wiki.uploads import upload_file

alice = User.objects.create_user("alice", email="alice@example.org", password=ALICE, email_confirmed=True)
bob = User.objects.create_user("bob", email="bob@example.org", password=BOB, role="trusted",
                               email_confirmed=True)
first = actions.save_revision("Network basics", "Switches and **devices**. [[E-Rate]]", alice)
second = actions.save_revision(
    "Network basics",
    "Switches, routers and **devices**. [[E-Rate]] [[Wanted page]]\\n\\n[[Category:Networks]]",
    bob, first.revision.pk, "Added routers",
)
actions.save_revision("E-Rate", "Apply for E-Rate every year: Zanzibarite filings. Ünïcode ✓ 🎒", alice)
gone = actions.save_revision("Old draft", "Nobody needs this.", bob)
ada = User.objects.create_user("ada", email="ada@example.org", role="admin", email_confirmed=True)
actions.delete_page(gone.page, ada, "duplicate")
image = io.BytesIO()
Image.new("RGB", (4, 3), "red").save(image, "PNG")
upload_file("Diagram.png", ContentFile(image.getvalue(), name="Diagram.png"), alice)
thread = start_thread(second.page, "Which switches?", "Any advice on **PoE** budgets?", alice)
add_post(thread, "Managed ones, with spare ports.", bob)
create_api_token(bob, "bot")

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
signed_in = SessionStore()
signed_in.update({SESSION_KEY: str(alice.pk), HASH_SESSION_KEY: alice.get_session_auth_hash(),
                  BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
signed_in.create()
# Keys whose byte order (B, C, a, b) differs from a language's order (a, b, B, C).
from datetime import UTC, datetime
from django.contrib.sessions.models import Session
for key in ("Bmixedcase", "amixedcase", "Cmixedcase", "bmixedcase"):
    data = SessionStore().encode({"visits": len(key)})
    Session.objects.create(session_key=key, session_data=data, expire_date=datetime(2099, 1, 1, tzinfo=UTC))
print(json.dumps({"ok": True}))
"""


def add_login_failures(database: Path, count: int) -> None:
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO accounts_loginfailure (username, ip_address, timestamp) VALUES (?, ?, ?)",
            [
                (
                    f"guess{n}",
                    "2001:db8::1" if n % 2 else "192.0.2.7",
                    f"2024-03-01 10:{n % 60:02d}:00.{n:06d}",
                )
                for n in range(count)
            ],
        )
    connection.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A data dir holding a small but varied SQLite wiki (made once for the module; never written after)."""
    data_dir = tmp_path_factory.mktemp("source")
    done = districtwiki(data_dir, "migrate", "--no-input", "--verbosity=0")
    assert done.returncode == 0, done.stderr[-3000:]
    script = POPULATE.replace("ALICE", repr(ALICE_PASSWORD)).replace("BOB", repr(BOB_PASSWORD))
    run_script(data_dir, script)
    add_login_failures(data_dir / "districtwiki.sqlite3", LOGIN_FAILURES)
    return data_dir


def sqlite_fingerprint(data_dir: Path) -> str:
    """A hash of everything in the SQLite database, to show that a run changed nothing in it."""
    connection = sqlite3.connect(f"{(data_dir / 'districtwiki.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def sqlite_rows(data_dir: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"{(data_dir / 'districtwiki.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# --- The PostgreSQL target ---------------------------------------------------------------------------------


def admin_run(*statements: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


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


def pg_rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


def pg_counts(url: str) -> dict[str, int]:
    """Rows per table of the target: what a refusal must leave exactly as it was."""
    tables = [name for (name,) in pg_rows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {table: pg_rows(url, f'SELECT count(*) FROM "{table}"')[0][0] for table in sorted(tables)}


# --- One migration of the module's wiki, looked at from several sides ---------------------------------------


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


# --- Refusals: one line, a non-zero exit, nothing changed --------------------------------------------------


@needs_postgres
def test_target_holding_a_wiki_is_refused_and_left_alone(target_url, source):
    url = target_url
    before, source_before = pg_counts(url), sqlite_fingerprint(source)
    done = districtwiki(source, "migrate-to", url)
    assert_refused(done, "already holds districtwiki data", "Nothing was changed.")
    assert pg_counts(url) == before
    assert sqlite_fingerprint(source) == source_before


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


# --- Failures during the copy roll all of it back ---------------------------------------------------------


def wiki_rows(url: str) -> dict[str, int]:
    counts = pg_counts(url)
    return {
        table: counts[table] for table in ("wiki_page", "wiki_revision", "accounts_user", "wiki_pagelink")
    }


@needs_postgres
def test_broken_reference_rolls_the_copy_back_and_a_fixed_source_then_moves(source, tmp_path, make_target):
    data_dir = tmp_path / "wiki"
    shutil.copytree(source, data_dir)
    with sqlite3.connect(data_dir / "districtwiki.sqlite3") as connection:  # foreign keys are off here
        connection.execute(
            "UPDATE wiki_pagelink SET source_id = 999999 WHERE id = (SELECT max(id) FROM wiki_pagelink)"
        )
    connection.close()
    target = make_target()
    done = districtwiki(data_dir, "migrate-to", target)
    assert_refused(done, "broken reference", "wiki_pagelink", "rolled back", "holds no rows")
    assert wiki_rows(target) == dict.fromkeys(
        ("wiki_page", "wiki_revision", "accounts_user", "wiki_pagelink"), 0
    )

    with sqlite3.connect(data_dir / "districtwiki.sqlite3") as connection:
        connection.execute("DELETE FROM wiki_pagelink WHERE source_id = 999999")
    connection.close()
    done = districtwiki(data_dir, "migrate-to", target)  # into the migrated but empty target it left
    assert done.returncode == 0, done.stderr
    pages = sqlite_rows(data_dir, "SELECT count(*) FROM wiki_page")[0][0]
    assert wiki_rows(target)["wiki_page"] == pages


# Run in `districtwiki shell` in the source data dir: migrate-to, with Ctrl+C arriving once 1,000 rows are
# copied (as the terminal delivers it: KeyboardInterrupt in the main thread); then whether a new run would
# accept what the target was left holding.
INTERRUPTED_COPY = """
import json
from django.core.management import call_command
from districtwiki import progress
from districtwiki.operations import migrate_to

advance = progress.Tracker.advance
def stop_at_1000(tracker, amount=1):
    if tracker.done >= 1000:
        raise KeyboardInterrupt
    advance(tracker, amount)
progress.Tracker.advance = stop_at_1000
try:
    call_command("migrate_to", URL)
    result = {"status": 0}
except progress.Interrupted as error:
    result = {"status": error.returncode, "message": str(error)}
with migrate_to.target_connection(migrate_to.parse_target(URL)) as target:
    migrate_to.refuse_unless_empty(target, "target")  # raises MigrateError if a new run would refuse it
print(json.dumps(result))
"""


@needs_postgres
def test_ctrl_c_during_the_copy_rolls_it_back_with_status_130(source, make_target):
    before = sqlite_fingerprint(source)
    target = make_target()
    result = run_script(source, INTERRUPTED_COPY.replace("URL", repr(target)))
    assert result["status"] == 130
    stopped = re.match(r"Stopped by Ctrl\+C: copying rows stopped after ([\d,]+) rows in ", result["message"])
    assert 1_000 <= int(stopped.group(1).replace(",", "")) < LOGIN_FAILURES  # batches are counted whole
    assert result["message"].endswith(
        "the copy was rolled back: the target holds no rows; run migrate-to again."
    )
    assert wiki_rows(target) == dict.fromkeys(
        ("wiki_page", "wiki_revision", "accounts_user", "wiki_pagelink"), 0
    )
    assert sqlite_fingerprint(source) == before


TAMPER = """
CREATE FUNCTION tamper() RETURNS trigger AS $$
BEGIN NEW.summary := NEW.summary || ' (altered)'; RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER tamper BEFORE INSERT ON wiki_revision FOR EACH ROW EXECUTE FUNCTION tamper();
"""


@needs_postgres
def test_rows_that_read_back_different_fail_the_check_and_roll_back(source, make_target):
    target = make_target()
    done = districtwiki(source, "migrate", "--no-input", "--verbosity=0", database_url=target)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(target, autocommit=True) as connection:
        connection.execute(TAMPER)
    done = districtwiki(source, "migrate-to", target)
    assert_refused(done, "wiki_revision", "read back different", "rolled back")
    [verdict] = [line.split()[-1] for line in done.stdout.splitlines() if line.startswith("wiki_revision ")]
    assert verdict == "DIFFERS"
    assert "wiki_page " in done.stdout and "Done:" not in done.stdout
    assert wiki_rows(target)["wiki_revision"] == 0
    assert wiki_rows(target)["wiki_page"] == 0


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
