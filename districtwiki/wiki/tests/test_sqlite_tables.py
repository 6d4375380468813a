"""Page stamps and members kept in each process on SQLite without Redis (wiki/stampcache.py, unchanged_here):
the one-machine install answers a kept view without reading the database, and a commit by any other
connection (another thread, another process, the sqlite3 shell) empties every table before the next view on
any connection that has not seen it. Writes of this connection forget what they change themselves, as the
guarantees of test_member_views.py and test_page_cache.py check on this pass."""

import threading

import pytest
from django.db import connection

from districtwiki.wiki import actions, membercache, pagecache, stampcache

from .test_member_table import kept, served_and_kept
from .test_member_views import front, signed_in
from .test_stamp_cache import reads

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="PRAGMA data_version is SQLite's")


@pytest.fixture
def without_redis(settings):
    settings.REDIS_URL = ""
    settings.PAGE_STAMP_SECONDS = 30
    settings.MEMBER_SECONDS = 300
    stampcache.table.reset()
    yield
    stampcache.table.reset()


def written_elsewhere(statement: str, params: tuple) -> None:
    """`statement`, committed on another connection (a thread's own) and announced to nobody: as a
    statement typed into the sqlite3 shell, or a process that cannot reach this one."""

    failures: list[BaseException] = []

    def write():
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
        except BaseException as failure:  # reported in the test's thread
            failures.append(failure)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert not failures, failures


@pytest.mark.django_db
def test_the_tables_are_on_for_sqlite_alone_without_redis(without_redis):
    assert stampcache.enabled() is (connection.vendor == "sqlite")
    assert membercache.enabled() is (connection.vendor == "sqlite")


@on_sqlite
@pytest.mark.django_db
def test_a_kept_stamp_needs_no_database_read(without_redis, monkeypatch, make_page):
    page = make_page("Budget", "text").page
    asked = reads(monkeypatch)
    for _ in range(5):
        assert pagecache.current_stamp("Budget") == (page.pk, page.view_stamp)
    assert asked == ["Budget"]


@on_sqlite
@pytest.mark.django_db
def test_zero_seconds_turns_the_table_off(without_redis, settings, monkeypatch, make_page):
    settings.PAGE_STAMP_SECONDS = 0
    make_page("Budget", "text")
    asked = reads(monkeypatch)
    pagecache.current_stamp("Budget"), pagecache.current_stamp("Budget")
    assert asked == ["Budget", "Budget"] and stampcache.table.entries == {}


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_commit_on_another_connection_is_seen_by_the_next_view(without_redis, make_page):
    page = make_page("Budget", "text").page
    assert pagecache.current_stamp("Budget") == (page.pk, page.view_stamp)
    assert "Budget" in stampcache.table.entries
    written_elsewhere("UPDATE wiki_page SET view_stamp = view_stamp + 7 WHERE id = %s", (page.pk,))
    assert pagecache.current_stamp("Budget") == (page.pk, page.view_stamp + 7)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_kept_member_changed_on_another_connection_is_read_again(without_redis, make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    assert b"Signed in as <strong>alice</strong>" in served_and_kept(client)
    written_elsewhere(f"UPDATE {alice._meta.db_table} SET username = %s WHERE id = %s", ("alicia", alice.pk))
    assert b"Signed in as <strong>alicia</strong>" in front(client).body
    assert "alicia" in kept(client).columns  # read again on this answer, and kept as it now is


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_connection_opened_again_trusts_nothing_kept(without_redis, make_page):
    """A new connection has no data_version to compare: whatever was kept meanwhile is forgotten."""
    make_page("Budget", "text")
    pagecache.current_stamp("Budget")
    connection.close()
    generation = stampcache.table.generation
    pagecache.current_stamp("Budget")
    assert stampcache.table.generation > generation


@on_sqlite
@pytest.mark.django_db
def test_a_forked_process_trusts_nothing_its_parent_saw(without_redis):
    table = stampcache.StampTable()
    table.unchanged_here()
    assert table.keep(table.generation, [("Budget", (1, 1))])
    table.unchanged_here()
    assert "Budget" in table.entries
    table._forked()  # as os.fork calls it in the child
    assert table.keep(table.generation, [("Budget", (1, 1))])
    table.unchanged_here()
    assert table.entries == {}


@on_sqlite
@pytest.mark.django_db
def test_a_save_publishes_nothing_and_forgets_again_on_commit(
    without_redis, monkeypatch, make_page, django_capture_on_commit_callbacks, caplog
):
    first = make_page("Budget", "first text")
    pagecache.current_stamp("Budget")
    monkeypatch.setattr(stampcache, "_publisher", lambda: pytest.fail("no Redis is configured"))
    with django_capture_on_commit_callbacks(execute=True):
        second = actions.save_revision("Budget", "second text", first.revision.author, first.revision.pk)
        pagecache.current_stamp("Budget")  # kept again inside the transaction, before its commit
    assert "Budget" not in stampcache.table.entries
    assert pagecache.current_stamp("Budget") == (second.page.pk, second.page.view_stamp)
    assert "could not announce" not in caplog.text


@on_sqlite
def test_every_connection_caches_the_setting_s_kilobytes(db, settings):
    """Each thread's connection (a worker's request threads) is opened with the PRAGMA."""
    sizes = []

    def read():
        with connection.cursor() as cursor:
            sizes.append(cursor.execute("PRAGMA cache_size").fetchone()[0])
        connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    read_here = connection.cursor().execute("PRAGMA cache_size").fetchone()[0]
    assert sizes == [read_here] == [-settings.SQLITE_CACHE_KB]
