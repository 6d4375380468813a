"""The two databases a wiki can live in, behind one small interface: snapshot, read contents, restore.

Both talk to their database directly (the sqlite3 module; psycopg and the PostgreSQL client tools) rather
than through Django's connections, so that a backup or a restore can aim at any database given its settings:
the configured one from the commands, a second throw-away one in the tests.

- SQLite: the online backup API copies the live file in one step, inside one read transaction, so the copy
  is a consistent snapshot even while the server writes (WAL mode lets writers carry on meanwhile).
- PostgreSQL: `pg_dump --format=custom` reading a snapshot exported from a REPEATABLE READ transaction, so
  the counts written to the manifest describe exactly the rows in the dump; `pg_restore --single-transaction`
  puts it back all or nothing.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line a person can act on."""


@dataclass(frozen=True)
class Contents:
    """What a database holds, as far as a backup needs to know."""

    counts: dict[str, int]
    uploads: list[tuple[str, str]] = field(default_factory=list)  # (stored file name, sha1) per FileUpload
    migrations: list[str] = field(default_factory=list)  # "app.migration" applied

    @property
    def is_empty(self) -> bool:
        return not (self.counts["pages"] or self.counts["users"])


def counted_tables() -> dict[str, str]:
    from django.contrib.auth import get_user_model

    from districtwiki.wiki.models import FileUpload, Page, Revision

    return {
        "pages": Page._meta.db_table,
        "revisions": Revision._meta.db_table,
        "users": get_user_model()._meta.db_table,
        "uploads": FileUpload._meta.db_table,
    }


def read_contents(connection, tables: set[str]) -> Contents:
    """Counts, upload checksums and applied migrations, through a DB-API connection of either vendor."""
    counted = counted_tables()

    def rows(sql: str, table: str) -> list:
        return connection.execute(sql).fetchall() if table in tables else []

    counts = {
        key: rows(f'SELECT count(*) FROM "{table}"', table)[0][0] if table in tables else 0
        for key, table in counted.items()
    }
    uploads = rows(f'SELECT file, sha1 FROM "{counted["uploads"]}" ORDER BY id', counted["uploads"])
    migrations = rows("SELECT app, name FROM django_migrations", "django_migrations")
    return Contents(
        counts=counts,
        uploads=[(name, sha1) for name, sha1 in uploads],
        migrations=sorted(f"{app}.{name}" for app, name in migrations),
    )


# --- SQLite ------------------------------------------------------------------------------------------------


class SqliteDatabase:
    vendor = "sqlite"
    label = "SQLite"
    dump_name = "districtwiki.sqlite3"

    def __init__(self, path: Path):
        self.path = Path(path)

    def __str__(self) -> str:
        return f"SQLite database {self.path}"

    def _connect(self, path: Path, mode: str) -> sqlite3.Connection:
        # mode=rw never creates a file, so looking at a database that is not there changes nothing.
        return sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True, timeout=30)

    def snapshot(self, destination: Path) -> tuple[Contents, dict]:
        if not self.path.is_file():
            raise BackupError(f"there is no database at {self.path}: nothing to back up.")
        with failing_as(f"could not read {self.path}", sqlite3.Error):
            source = self._connect(self.path, "rw")
            copy = sqlite3.connect(destination)
            try:
                source.backup(copy)  # pages=-1: the whole file in one step, so one consistent read
                # A self-contained file: no -wal beside it to lose when it travels in the archive.
                copy.execute("PRAGMA journal_mode=DELETE")
                problem = copy.execute("PRAGMA integrity_check").fetchone()[0]
                if problem != "ok":
                    raise BackupError(f"the database failed SQLite's integrity check: {problem}.")
                return self._contents(copy), {"sqlite_version": sqlite3.sqlite_version}
            finally:
                source.close()
                copy.close()

    def _contents(self, connection: sqlite3.Connection) -> Contents:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return read_contents(connection, tables)

    def contents(self) -> Contents:
        if not self.path.exists():
            return Contents(counts=dict.fromkeys(counted_tables(), 0))
        with failing_as(f"could not read {self.path}", sqlite3.Error):
            connection = self._connect(self.path, "rw")
            try:
                return self._contents(connection)
            finally:
                connection.close()

    def query(self, sql: str) -> list[tuple]:
        """Rows of one read-only statement (for inspecting a restored database)."""
        connection = self._connect(self.path, "ro")
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def check_can_restore(self, database_manifest: dict) -> None:
        if not self.path.parent.is_dir():
            raise BackupError(f"the folder {self.path.parent} does not exist.")

    def restore(self, dump: Path) -> None:
        """Copy the archived database into place in one write transaction: all of it or nothing."""
        with failing_as(f"could not write {self.path}", sqlite3.Error):
            source = self._connect(dump, "ro")
            target = sqlite3.connect(self.path, timeout=30)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()


# --- PostgreSQL --------------------------------------------------------------------------------------------

DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool", "prepare_threshold"}


@dataclass(frozen=True)
class Tool:
    path: str
    version: str  # "15.20"

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])


def find_tool(name: str, server_major: int | None = None) -> Tool:
    """A PostgreSQL client program and its version, or a BackupError that says what to install."""
    package = f"postgresql-client-{server_major}" if server_major else "postgresql-client"
    install = f"install the PostgreSQL client tools ({package} on Debian and Ubuntu)"
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: {install}.")
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise BackupError(f"{name} --version failed ({one_line(str(error))}): {install}.") from None
    found = re.search(r"\d+(?:\.\d+)?", output)
    if found is None:
        raise BackupError(f"could not read the version of {name} from {output.strip()!r}.")
    return Tool(path, found.group(0))


def major_of(version: str) -> int:
    return int(version.split(".")[0])


class PostgresDatabase:
    vendor = "postgresql"
    label = "PostgreSQL"
    dump_name = "districtwiki.pgdump"

    def __init__(self, settings_dict: dict):
        self.settings = settings_dict

    def __str__(self) -> str:
        host = self.settings.get("HOST") or "localhost"
        return f"PostgreSQL database {self.settings['NAME']} on {host}"

    def _params(self) -> dict:
        options = self.settings.get("OPTIONS") or {}
        options = {key: value for key, value in options.items() if key not in DJANGO_ONLY_OPTIONS}
        given = {
            "dbname": self.settings.get("NAME"),
            "user": self.settings.get("USER"),
            "host": self.settings.get("HOST"),
            "port": str(self.settings.get("PORT") or ""),
        }
        return {**options, **{k: v for k, v in given.items() if v}}

    def _connect(self) -> psycopg.Connection:
        password = self.settings.get("PASSWORD") or None
        try:
            return psycopg.connect(**self._params(), password=password)
        except psycopg.Error as error:
            raise BackupError(f"could not connect to {self}: {one_line(str(error))}") from None

    def _run(self, tool: Tool, *arguments: str) -> subprocess.CompletedProcess:
        # The password travels in the environment, never on a command line that `ps` shows.
        env = {**os.environ, "PGPASSWORD": self.settings.get("PASSWORD") or ""}
        command = [tool.path, *arguments, f"--dbname={make_conninfo('', **self._params())}"]
        # A session of its own: the terminal's Ctrl+C reaches only us, and we decide (backup.ctrl_c_waits).
        return subprocess.run(command, capture_output=True, text=True, env=env, start_new_session=True)

    def snapshot(self, destination: Path) -> tuple[Contents, dict]:
        with failing_as(f"could not read the {self}", psycopg.Error), self._connect() as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            server = connection.execute("SHOW server_version").fetchone()[0].split()[0]
            pg_dump = find_tool("pg_dump", major_of(server))
            if pg_dump.major < major_of(server):
                raise BackupError(
                    f"pg_dump {pg_dump.version} cannot back up a PostgreSQL {server} server: "
                    f"install the PostgreSQL {major_of(server)} client tools."
                )
            # pg_dump reads the very snapshot this transaction sees, so dump and counts agree.
            snapshot_id = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            contents = read_contents(connection, self._tables(connection))
            done = self._run(pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                             f"--snapshot={snapshot_id}", f"--file={destination}")  # fmt: skip
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {first_line(done.stderr)}")
        return contents, {"server_version": server, "pg_dump_version": pg_dump.version}

    def _tables(self, connection) -> set[str]:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        return {name for (name,) in connection.execute(sql)}

    def contents(self) -> Contents:
        with failing_as(f"could not read the {self}", psycopg.Error), self._connect() as connection:
            return read_contents(connection, self._tables(connection))

    def query(self, sql: str) -> list[tuple]:
        """Rows of one statement (for inspecting a restored database)."""
        with self._connect() as connection:
            return connection.execute(sql).fetchall()

    def check_can_restore(self, database_manifest: dict) -> None:
        dumped_by = database_manifest.get("pg_dump_version", "0")
        pg_restore = find_tool("pg_restore", major_of(dumped_by))
        if pg_restore.major < major_of(dumped_by):
            raise BackupError(
                f"pg_restore {pg_restore.version} cannot read an archive made by pg_dump {dumped_by}: "
                f"install the PostgreSQL {major_of(dumped_by)} client tools."
            )

    def restore(self, dump: Path) -> None:
        # --clean --if-exists drops what an empty but migrated database already has (no pages, no users:
        # checked before); --single-transaction makes the whole restore land or roll back.
        pg_restore = find_tool("pg_restore")
        done = self._run(pg_restore, "--single-transaction", "--exit-on-error", "--clean", "--if-exists",
                         "--no-owner", "--no-privileges", str(dump))  # fmt: skip
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {first_line(done.stderr)}.")


@contextmanager
def failing_as(what: str, *errors: type[Exception]) -> Iterator[None]:
    """Turn a driver's error into a one-line BackupError that says what was being done."""
    try:
        yield
    except errors as error:
        raise BackupError(f"{what}: {one_line(str(error))}.") from None


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def one_line(text: str) -> str:
    return " ".join(text.split())


def database_for(settings_dict: dict):
    """The database a Django DATABASES entry describes."""
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return SqliteDatabase(Path(settings_dict["NAME"]))
    if engine.endswith("postgresql"):
        return PostgresDatabase(settings_dict)
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}.")
