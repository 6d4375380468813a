"""kill -9 the real server (the whole process group: granian's workers too) in the middle of a burst of
saves, then start it again on the same data: the database is intact, every save the server acknowledged is
there with exactly the acknowledged text, and the wiki serves and saves as before.

Writers save their own page over and over, each save based on the one before; saves in flight at the kill
may or may not have landed (nobody was told either way), so only acknowledged saves are checked.
"""

import http.client
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from . import server
from .server import LiveServer, page_path

WRITERS = 6
ACKNOWLEDGED_BEFORE_KILL = 60  # saves the server confirms before the kill, so the kill lands mid-burst
BURST_TIMEOUT = 120


def title_of(writer: int) -> str:
    return f"Crash test {writer}"


def text_of(writer: int, number: int) -> str:
    # Links and a category, so that each save also rewrites link and category rows (foreign keys).
    neighbour = title_of((writer + 1) % WRITERS)
    filler = "\n".join(f"- point {line} of save {number}" for line in range(40))
    return f"Save {number} by writer {writer}; see [[{neighbour}]].\n\n{filler}\n\n[[Category:Crash tests]]"


@dataclass
class Acknowledged:
    title: str
    revision_id: int
    text: str


@dataclass
class Burst:
    """The saves the server acknowledged, and what went wrong with any save before the kill."""

    acknowledged: list[Acknowledged] = field(default_factory=list)  # text: as sent and as acknowledged
    failures: list[str] = field(default_factory=list)
    in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    killing: threading.Event = field(default_factory=threading.Event)

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)


def write_until_killed(live: LiveServer, key: str, writer: int, burst: Burst) -> None:
    base_id = None
    for number in range(10_000):
        if burst.killing.is_set():
            return
        edit = {"content": text_of(writer, number), "base_revision": base_id}
        with burst.lock:
            burst.in_flight += 1
        try:
            reply = live.call("PUT", page_path(title_of(writer)), edit, key=key, timeout=30)
        except (OSError, http.client.HTTPException) as error:  # refused, reset, or an answer cut short
            if not burst.killing.is_set():
                burst.failures.append(f"writer {writer}, save {number}: {error!r}")
            return  # the server is gone: this save was never acknowledged
        finally:
            with burst.lock:
                burst.in_flight -= 1
        if reply.status not in (200, 201):
            burst.failures.append(f"writer {writer}, save {number}: {reply.status} {reply.body}")
            return
        if reply.json["content"] != edit["content"]:  # saved from the current base: nothing to merge
            burst.failures.append(f"writer {writer}, save {number}: stored text differs from the text sent")
            return
        base_id = reply.json["revision"]["id"]
        with burst.lock:
            burst.acknowledged.append(Acknowledged(title_of(writer), base_id, edit["content"]))


def burst_then_kill(live: LiveServer, keys: list[str]) -> tuple[Burst, int]:
    """Saves from every writer until enough are acknowledged, then kill -9; the saves in flight then."""
    burst = Burst()
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        writers = [pool.submit(write_until_killed, live, key, n, burst) for n, key in enumerate(keys)]
        deadline = time.monotonic() + BURST_TIMEOUT
        while burst.count() < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline and not burst.failures:
            time.sleep(0.01)  # waiting for other threads' progress; no clock to freeze
        burst.killing.set()  # before the kill, so that every error after it is expected
        with burst.lock:
            in_flight = burst.in_flight
        live.kill()
        for writer in writers:
            writer.result(timeout=BURST_TIMEOUT)
    return burst, in_flight


def sqlite_checks(storage: server.Storage) -> tuple[list, list]:
    """integrity_check and foreign_key_check of the file as the crash left it (opening it replays the WAL)."""
    connection = sqlite3.connect(storage.sqlite_file)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        foreign_keys = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    return integrity, foreign_keys


@dataclass
class Crash:
    storage: server.Storage
    burst: Burst
    in_flight_at_kill: int
    sqlite_integrity: list | None
    sqlite_foreign_keys: list | None
    restarted: LiveServer
    key: str


@pytest.fixture(scope="module", params=server.DATABASES)
def crash(request, tmp_path_factory) -> Iterator[Crash]:
    data_dir = tmp_path_factory.mktemp(f"crash-{request.param}")
    with server.server_storage(request.param, data_dir) as storage:
        live = server.LiveServer(storage).start()
        try:
            keys = live.create_members("writer", WRITERS)
            burst, in_flight = burst_then_kill(live, keys)
        finally:
            live.kill()
        checks = sqlite_checks(storage) if not storage.database_url else (None, None)
        with server.running_server(storage) as restarted:
            yield Crash(storage, burst, in_flight, *checks, restarted, keys[0])


def test_every_save_before_the_kill_was_acknowledged(crash):
    assert not crash.burst.failures
    assert len(crash.burst.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL


def test_the_kill_landed_while_saves_were_in_flight(crash):
    assert crash.in_flight_at_kill > 0


def test_sqlite_file_passes_integrity_check_after_the_kill(crash):
    if crash.storage.database_url:
        pytest.skip("SQLite only: PostgreSQL was not killed, only its client")
    assert crash.sqlite_integrity == [("ok",)]


def test_sqlite_foreign_keys_hold_after_the_kill(crash):
    if crash.storage.database_url:
        pytest.skip("SQLite only: PostgreSQL enforces foreign keys itself")
    assert crash.sqlite_foreign_keys == []


def test_every_acknowledged_save_survives_with_its_text(crash):
    lost, changed = [], []
    for save in crash.burst.acknowledged:
        reply = crash.restarted.call("GET", page_path(save.title, f"?revision={save.revision_id}"))
        if reply.status != 200:
            lost.append((save.title, save.revision_id, reply.status))
        elif reply.json["content"] != save.text:
            changed.append((save.title, save.revision_id))
    assert not lost
    assert not changed


def test_each_page_history_is_a_straight_line_through_its_acknowledged_saves(crash):
    # A writer whose first save was still in flight at the kill may have no page at all: only pages with
    # an acknowledged save are checked.
    for title in {save.title for save in crash.burst.acknowledged}:
        acknowledged = [save.revision_id for save in crash.burst.acknowledged if save.title == title]
        reply = crash.restarted.call("GET", page_path(title, "/history?limit=100"))
        assert reply.status == 200, reply.body
        oldest_first = [revision["id"] for revision in reply.json["revisions"][::-1]]
        parents = [revision["parent_id"] for revision in reply.json["revisions"][::-1]]
        assert parents == [None, *oldest_first[:-1]]
        assert oldest_first[: len(acknowledged)] == acknowledged


def test_restarted_server_reports_healthy(crash):
    reply = crash.restarted.call("GET", "/healthz")
    assert reply.status == 200
    assert reply.json["status"] == "ok"


def test_restarted_server_saves_on_top_of_the_crashed_pages(crash):
    title = crash.burst.acknowledged[0].title
    current = crash.restarted.call("GET", page_path(title)).json["revision"]["id"]
    edit = {"content": "Saved after the restart.", "base_revision": current}
    saved = crash.restarted.call("PUT", page_path(title), edit, key=crash.key)
    assert saved.status == 200, saved.body
    assert crash.restarted.call("GET", page_path(title)).json["content"] == "Saved after the restart."


def test_restarted_server_shows_the_page(crash):
    title = crash.burst.acknowledged[-1].title
    reply = crash.restarted.call("GET", "/wiki/" + title.replace(" ", "_"))
    assert reply.status == 200
    assert f"<h1>{title}</h1>" in reply.body
