"""One app process at a time prepares the database at start (migrate, the first admin, starter pages).

A scaled-out site starts several `districtwiki serve` processes at once (systemd starts every instance
together, after a boot or an upgrade). Without a lock each would see the same migrations unapplied and run
them side by side, and all but one would stop with "table already exists". With it, the first prepares and
the others wait, then find nothing left to do.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

# pg_advisory_lock takes a 64-bit key; this one is ours alone in the database: b"dwstart\x01" read as an int.
ADVISORY_LOCK_KEY = int.from_bytes(b"dwstart\x01", "big")
LOCK_FILE_NAME = "start-up.lock"


@contextmanager
def start_up_lock() -> Iterator[None]:
    """Held across every process sharing the database: a PostgreSQL advisory lock (any number of machines),
    or for SQLite, which lives on one machine, a lock on a file in the data dir."""
    if connection.vendor == "postgresql":
        with _advisory_lock():
            yield
    else:
        with _file_lock():
            yield


@contextmanager
def _advisory_lock() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        yield
    finally:
        # The lock belongs to the session: if the connection was closed meanwhile, it went with it.
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


@contextmanager
def _file_lock() -> Iterator[None]:
    with open(settings.DATA_DIR / LOCK_FILE_NAME, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        yield
