"""Running `districtwiki migrate-to` as an operator does, for test_migrate_to*.py: as a child process on a
data dir of its own (filled by another child process through the real actions), into a PostgreSQL database
made for the test and dropped after it. The tests need a PostgreSQL server on 127.0.0.1:5432 (or the one
DATABASE_URL names) and skip without."""

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from districtwiki.wiki.tests.server import districtwiki_command

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


def pg_rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


def pg_counts(url: str) -> dict[str, int]:
    """Rows per table of the target: what a refusal must leave exactly as it was."""
    tables = [name for (name,) in pg_rows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {table: pg_rows(url, f'SELECT count(*) FROM "{table}"')[0][0] for table in sorted(tables)}


def wiki_rows(url: str) -> dict[str, int]:
    counts = pg_counts(url)
    return {
        table: counts[table] for table in ("wiki_page", "wiki_revision", "accounts_user", "wiki_pagelink")
    }
