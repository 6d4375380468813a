"""`districtwiki migrate-to URL`: moving a SQLite wiki into PostgreSQL (docs/migrate-to-postgresql.md).

The source is the configured database, which must be SQLite; the target is an empty PostgreSQL database given
by URL. The target is migrated (by `districtwiki migrate` in a child process configured with the target),
then every row of every model of every installed app is copied with its primary key, table by table in
batches, inside one transaction on each side: on SQLite the transaction is IMMEDIATE, so no one writes to the
source meanwhile; on PostgreSQL foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY
DEFERRED), so tables can be copied in any order. The content types and permissions that `migrate` creates
are replaced by the source's, so that every id matches.

Before that transaction commits, every table is read back from the target and compared with what was read
from the source: the row count, and a SHA-256 over the rows in primary-key order, each value in a canonical
text form that both databases produce alike. Any difference, or any error while copying, rolls the whole
copy back. The search index is not a model (FTS5 on SQLite, a tsvector table on PostgreSQL): it is rebuilt on
the target afterwards by `districtwiki reindex`.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CharField, F, Model, TextField
from django.db.models.functions import Collate

from .. import progress
from ..progress import NO_PROGRESS, Interrupted, Tracker
from .backup import plural, unknown_migrations
from .databases import one_line

TARGET = "migrate_to_target"
BATCH = 1000
CONNECT_TIMEOUT = 10  # seconds
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
NOTHING_CHANGED = "Nothing was changed."
ROLLED_BACK = "the copy was rolled back: the target holds no rows (fix the cause and run migrate-to again)."
STOPPED_COPY = "the copy was rolled back: the target holds no rows; run migrate-to again."
NO_ROWS_YET = "no row was copied: the target holds at most the wiki's empty tables; run migrate-to again."
INDEX_LEFT = (
    "the data was copied and verified, but the search index was not rebuilt: run `districtwiki reindex` "
    "with DATABASE_URL set to the target."
)

Say = Callable[[str], None]


class MigrateError(Exception):
    """A migration that cannot go ahead or did not complete; the message is one line a person can act on."""


class VerificationFailed(MigrateError):
    """The copy did not read back identical: the copy was rolled back."""

    def __init__(self, message: str, tables: list["TableCheck"]):
        super().__init__(message)
        self.tables = tables


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class TableCheck:
    table: str
    source: TableSum
    target: TableSum

    @property
    def ok(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class MigrationReport:
    source: str
    target: str
    tables: list[TableCheck]
    indexed_pages: int

    @property
    def rows(self) -> int:
        return sum(check.source.rows for check in self.tables)


# --- Canonical row checksums -------------------------------------------------------------------------------


def canonical(value) -> str | None:
    """One value as text that SQLite and PostgreSQL, read through Django, give alike."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1.50 and 1.5 are one number
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, timedelta):
        return f"{value // timedelta(microseconds=1)}us"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)  # text, integers, UUIDs


def row_line(row: Iterable) -> bytes:
    # JSON keeps None (null) apart from the text "None" and needs no separator that a value could contain.
    return json.dumps([canonical(value) for value in row], ensure_ascii=False).encode() + b"\n"


def pk_order(model: type[Model], alias: str):
    """Primary-key order, the same on both databases: text keys compare byte by byte on both."""
    pk = model._meta.pk
    key = pk.target_field if pk.is_relation else pk
    if connections[alias].vendor == "postgresql" and isinstance(key, CharField | TextField):
        return Collate(F("pk"), "C")  # byte order, as SQLite's BINARY; PostgreSQL's default is the locale's
    return F("pk")


def stored_fields(model: type[Model]) -> list:
    return [field for field in model._meta.local_concrete_fields if not getattr(field, "generated", False)]


def ordered_rows(model: type[Model], alias: str) -> Iterator[tuple]:
    names = [field.attname for field in stored_fields(model)]
    rows = model._base_manager.using(alias).order_by(pk_order(model, alias)).values_list(*names)
    return rows.iterator(chunk_size=BATCH)


def table_sum(model: type[Model], alias: str, tracker: Tracker = NO_PROGRESS) -> TableSum:
    digest, count = hashlib.sha256(), 0
    for row in ordered_rows(model, alias):
        digest.update(row_line(row))
        count += 1
        tracker.advance()
    return TableSum(count, digest.hexdigest())


# --- What is copied ----------------------------------------------------------------------------------------


def copied_models() -> list[type[Model]]:
    """Every model with a table of its own: all installed apps, many-to-many tables included."""
    models, tables = [], set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in tables:
            continue
        tables.add(meta.db_table)
        models.append(model)
    return sorted(models, key=lambda model: model._meta.db_table)


def created_by_migrate() -> set[str]:
    """Tables that `migrate` fills on an empty database; the source's rows replace theirs."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return {ContentType._meta.db_table, Permission._meta.db_table}


# --- The target --------------------------------------------------------------------------------------------


def parse_target(url: str) -> dict:
    """The Django DATABASES entry for a postgres:// URL, or a refusal that says what a good URL looks like."""
    example = "postgres://USER:PASSWORD@HOST:5432/DBNAME"
    scheme = urlsplit(url).scheme if "://" in url else ""
    if not scheme:
        raise MigrateError(f"{url!r} is not a database URL: give one like {example}.")
    if scheme.lower() not in POSTGRES_SCHEMES:
        raise MigrateError(f"the target must be a PostgreSQL database ({example}), not a {scheme}:// URL.")
    try:
        settings_dict = dj_database_url.parse(url)
    except Exception as error:  # the parser raises several types for a malformed URL
        detail = one_line(str(error))
        raise MigrateError(f"{shown_url(url)} is not a valid database URL ({detail}).") from None
    if not settings_dict.get("NAME"):
        raise MigrateError(f"{shown_url(url)} names no database: give one like {example}.")
    settings_dict.setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT)
    return connections.configure_settings({DEFAULT_DB_ALIAS: settings_dict})[DEFAULT_DB_ALIAS]


def shown_url(url: str) -> str:
    """The URL with any password replaced, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def describe_target(settings_dict: dict) -> str:
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"PostgreSQL database {settings_dict['NAME']} on {host}:{port}"


@contextmanager
def target_connection(settings_dict: dict) -> Iterator:
    """A Django connection to the target under its own alias, for as long as the migration needs it."""
    connections.settings[TARGET] = settings_dict
    try:
        yield connections[TARGET]
    finally:
        connections[TARGET].close()
        del connections[TARGET]
        del connections.settings[TARGET]


def check_reachable(target, settings_dict: dict) -> None:
    try:
        target.ensure_connection()
    except DatabaseError as error:
        detail = one_line(str(error))
        where = describe_target(settings_dict)
        if "does not exist" in detail:
            raise MigrateError(
                f"could not connect to the {where}: {detail}; create it first (createdb)."
            ) from None
        raise MigrateError(f"could not connect to the {where}: {detail}") from None


def refuse_unless_empty(target, where: str) -> None:
    """Refuse a target that holds anything but what `migrate` itself creates, or another program's tables."""
    with target.cursor() as cursor:
        tables = set(target.introspection.table_names(cursor))
        if not tables:
            return
        problem = foreign_schema(cursor, tables) or first_filled_table(target, cursor, tables)
    if problem:
        raise MigrateError(f"the {where} {problem}; migrate only into an empty database. {NOTHING_CHANGED}")


def foreign_schema(cursor, tables: set[str]) -> str:
    if "django_migrations" not in tables:
        return f"already holds {plural(len(tables), 'table')} that are not a districtwiki's"
    cursor.execute("SELECT app, name FROM django_migrations")
    newer = unknown_migrations([f"{app}.{name}" for app, name in cursor.fetchall()])
    return f"was set up by a newer districtwiki (migration {newer[0]})" if newer else ""


def first_filled_table(target, cursor, tables: set[str]) -> str:
    for model in copied_models():
        table = model._meta.db_table
        if table in tables and table not in created_by_migrate():
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {target.ops.quote_name(table)})")
            if cursor.fetchone()[0]:
                return f"already holds districtwiki data (table {table} is not empty)"
    return ""


# --- The source --------------------------------------------------------------------------------------------


def check_source():
    """The configured database's connection, if it is an up-to-date SQLite database with a file."""
    source = connections[DEFAULT_DB_ALIAS]
    if source.vendor != "sqlite":
        raise MigrateError(
            f"this wiki already uses {source.display_name} (DATABASE_URL is set); migrate-to moves an "
            "embedded SQLite wiki: run it without DATABASE_URL, with the old wiki's DISTRICTWIKI_DATA_DIR."
        )
    path = Path(source.settings_dict["NAME"])
    if not path.is_file():  # connecting would create an empty file
        raise MigrateError(f"there is no SQLite database at {path}: check DISTRICTWIKI_DATA_DIR.")
    executor = MigrationExecutor(source)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise MigrateError(
            f"the SQLite database {path} lacks {plural(len(pending), 'migration')} of this districtwiki: "
            "run `districtwiki migrate` first (with the server stopped), then migrate-to."
        )
    return source


# --- Copy and verify ---------------------------------------------------------------------------------------


def migrate_to(url: str, say: Say, stream=None) -> MigrationReport:
    """Copy the configured SQLite wiki into the empty PostgreSQL database at `url` and verify it.

    Progress of the copy and of the read-back goes to `stream` (districtwiki.progress). Ctrl+C raises
    progress.Interrupted with one line saying where it stopped and what the target holds: before the copy,
    at most the wiki's empty tables (which a new run accepts); during the copy or its check, nothing (the
    transaction is rolled back); while the search index is rebuilt, all the data, verified.
    """
    stage = Stage(f"before anything was written: {NOTHING_CHANGED.lower()}")
    try:
        return migrate_in_stages(url, say, stream, stage)
    except KeyboardInterrupt:  # the copy's own trackers say more (rows done); this covers the rest
        raise Interrupted(f"Stopped by Ctrl+C {stage.note}") from None


@dataclass
class Stage:
    """Where the migration is, as the Ctrl+C line would say it."""

    note: str


def migrate_in_stages(url: str, say: Say, stream, stage: Stage) -> MigrationReport:
    settings_dict = parse_target(url)
    source = check_source()
    where = describe_target(settings_dict)
    with target_connection(settings_dict) as target, ExitStack() as held:
        check_reachable(target, settings_dict)
        refuse_unless_empty(target, where)
        hold_source(held, source)
        say(f"Migrating the {where}…")
        stage.note = f"while creating the tables; {NO_ROWS_YET}"
        migrate_target(url, where)
        stage.note = f"during the copy; {STOPPED_COPY}"
        try:
            tables = copy_and_verify(source, target, where, say, stream)
        except DatabaseError as error:
            raise MigrateError(f"the copy failed ({one_line(str(error))}); {ROLLED_BACK}") from None
        stage.note = f"after the copy was committed; {INDEX_LEFT}"
    say("Rebuilding the search index on the target…")
    indexed = rebuild_search_index(url)
    return MigrationReport(f"SQLite database {source.settings_dict['NAME']}", where, tables, indexed)


def hold_source(held: ExitStack, source) -> None:
    """One IMMEDIATE transaction on the SQLite source until the copy is verified: no one writes meanwhile."""
    try:
        held.enter_context(transaction.atomic(using=source.alias))
    except DatabaseError as error:  # another program holds the write lock for longer than the busy timeout
        raise MigrateError(
            f"could not lock the SQLite database ({one_line(str(error))}): stop the wiki's server and "
            f"worker first. {NOTHING_CHANGED}"
        ) from None


def copy_and_verify(source, target, where: str, say: Say, stream=None) -> list[TableCheck]:
    models = copied_models()
    with transaction.atomic(using=TARGET):
        refuse_unless_empty(target, where)  # again, now inside the transaction that writes
        clear_created_by_migrate(target)
        say(f"Copying {plural(len(models), 'table')}…")
        total = sum(model._base_manager.using(source.alias).count() for model in models)
        with track_rows("Copying rows", total, stream, "Copied") as tracker:
            sums = {model: copy_table(model, source, target, tracker) for model in models}
        check_references(target)
        reset_sequences(target, models)
        say("Verifying: reading every table back from the target…")
        with track_rows("Verifying rows", total, stream, "Verified") as tracker:
            checks = [
                TableCheck(model._meta.db_table, sums[model], table_sum(model, TARGET, tracker))
                for model in models
            ]
        differing = [check.table for check in checks if not check.ok]
        if differing:
            raise VerificationFailed(
                f"{plural(len(differing), 'table')} read back different from the source "
                f"({', '.join(differing[:5])}); {ROLLED_BACK}",
                checks,
            )
    return checks


def clear_created_by_migrate(target) -> None:
    with target.cursor() as cursor:
        for table in sorted(created_by_migrate()):
            cursor.execute(f"DELETE FROM {target.ops.quote_name(table)}")


def track_rows(label: str, total: int, stream, done_verb: str):
    # Inside the target's transaction: Ctrl+C leaves it by an exception, which rolls the copy back.
    return progress.track(
        label, total=total, unit="rows", stream=stream, stopped_note=STOPPED_COPY, done_verb=done_verb
    )


def copy_table(model: type[Model], source, target, tracker: Tracker) -> TableSum:
    """Copy one table's rows with their keys; the source's row count and checksum, as read."""
    table = model._meta.db_table
    digest, count = hashlib.sha256(), 0
    try:
        for batch in batches(ordered_rows(model, source.alias), BATCH):
            insert_rows(model, target, batch)
            for row in batch:
                digest.update(row_line(row))
            count += len(batch)
            tracker.advance(len(batch))
    except DatabaseError as error:
        raise MigrateError(f"copying table {table} failed ({one_line(str(error))}); {ROLLED_BACK}") from None
    return TableSum(count, digest.hexdigest())


def insert_rows(model: type[Model], target, rows: list[tuple]) -> None:
    # Plain INSERTs, not bulk_create: bulk_create runs each field's pre_save, which would give every
    # auto_now and auto_now_add column the time of the copy instead of the stored one.
    fields = stored_fields(model)
    quote = target.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    values = [
        [field.get_db_prep_save(value, connection=target) for field, value in zip(fields, row, strict=True)]
        for row in rows
    ]
    with target.cursor() as cursor:
        cursor.executemany(sql, values)


def batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def check_references(target) -> None:
    """Check the deferred foreign keys now, so that a dangling one is reported before commit, by name."""
    try:
        target.check_constraints()
    except DatabaseError as error:
        raise MigrateError(
            f"the source holds a broken reference ({one_line(str(error))}); {ROLLED_BACK}"
        ) from None


def reset_sequences(target, models: list[type[Model]]) -> None:
    # The copied rows kept their ids; the next id PostgreSQL hands out must come after the largest.
    with target.cursor() as cursor:
        for statement in target.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def run_on_target(url: str, *command: str) -> subprocess.CompletedProcess:
    """Run a districtwiki command in a child process whose configured database is the target.

    The search code and data migrations read through model managers, which use the configured database:
    run in this process, they would see the SQLite source.
    """
    return subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", *command],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def migrate_target(url: str, where: str) -> None:
    done = run_on_target(url, "migrate", "--no-input", "--verbosity=0")
    if done.returncode != 0:
        raise MigrateError(f"migrating the {where} failed ({last_line(done.stderr)}).")


def rebuild_search_index(url: str) -> int:
    """`districtwiki reindex` on the target; the number of pages indexed."""
    done = run_on_target(url, "reindex")
    if done.returncode != 0:
        raise MigrateError(
            f"the data was copied and verified, but rebuilding the search index failed "
            f"({last_line(done.stderr)}): run `districtwiki reindex` with DATABASE_URL set to the target."
        )
    indexed = re.search(r"Indexed (\d+)", done.stdout)
    return int(indexed.group(1)) if indexed else 0
