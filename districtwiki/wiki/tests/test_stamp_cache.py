"""Page stamps kept per process with Redis (wiki/stampcache.py): a hit needs no database round trip, and
every change of a stamp anywhere empties every process's table. Run on both passes: Redis runs beside the
tests either way (the SQLite pass points REDIS_URL at it here only)."""

import os
import time

import pytest
from django.test import Client

from districtwiki.wiki import actions, pagecache, stampcache
from districtwiki.wiki.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_redis(settings):
    settings.REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    settings.PAGE_STAMP_SECONDS = 30
    stampcache.table.forget()
    yield
    stampcache.table.forget()


def listening(seconds: float = 5.0) -> bool:
    stampcache.table._listening()
    deadline = time.monotonic() + seconds
    while not stampcache.table.ready and time.monotonic() < deadline:
        time.sleep(0.01)
    return stampcache.table.ready


def reads(monkeypatch) -> list[str]:
    """The titles current_stamp asked the database for."""
    asked: list[str] = []
    read = pagecache.read_stamp
    monkeypatch.setattr(pagecache, "read_stamp", lambda title: asked.append(title) or read(title))
    return asked


def announcements(callbacks) -> list:
    """The pages each announcement among on-commit `callbacks` names (None: every page)."""
    return [
        callback.args[0] for callback in callbacks if getattr(callback, "func", None) is stampcache._announce
    ]


def test_a_kept_stamp_needs_no_database(with_redis, monkeypatch, make_page, django_assert_num_queries):
    page = make_page("Budget", "text").page
    assert listening()
    asked = reads(monkeypatch)
    assert pagecache.current_stamp("Budget") == (page.pk, page.view_stamp)
    with django_assert_num_queries(0):
        assert pagecache.current_stamp("Budget") == (page.pk, page.view_stamp)
    assert asked == ["Budget"]


def test_an_announced_change_empties_the_table_within_the_delivery_time(
    with_redis, make_page, django_capture_on_commit_callbacks
):
    """What another process sees: its table is emptied when the message arrives."""
    make_page("Budget", "text")
    assert listening()
    pagecache.current_stamp("Budget")
    generation = stampcache.table.generation
    started = time.monotonic()
    stampcache._announce()  # as the commit of a save elsewhere does
    while stampcache.table.generation == generation and time.monotonic() - started < 2:
        time.sleep(0.0005)
    assert stampcache.table.generation > generation and stampcache.table.entries == {}
    assert time.monotonic() - started < 1


def test_a_save_here_forgets_at_once_and_announces_on_commit(
    with_redis, make_page, django_capture_on_commit_callbacks
):
    first = make_page("Budget", "first text")
    assert listening()
    pagecache.current_stamp("Budget")
    alice_save = actions.save_revision
    with django_capture_on_commit_callbacks() as announced:
        second = alice_save("Budget", "second text", first.revision.author, first.revision.pk)
    assert announcements(announced) == [{first.page.pk}]
    assert pagecache.current_stamp("Budget") == (second.page.pk, second.page.view_stamp)


def test_creating_a_page_announces_it(with_redis, make_page, django_capture_on_commit_callbacks):
    """Even when no page links to it yet (a page linking to it is touched, which announces it too)."""
    make_page("Budget", "text")
    assert listening()
    pagecache.current_stamp("Budget")
    with django_capture_on_commit_callbacks() as announced:
        devices = make_page("Devices", "text").page
    assert set().union(*announcements(announced)) == {devices.pk}
    assert "Budget" in stampcache.table.entries  # nothing links to Devices: Budget's stamp stays


def test_the_next_anonymous_view_after_a_save_is_the_new_page(with_redis, make_page):
    first = make_page("Budget", "first text")
    assert listening()
    reader = Client()
    assert b"first text" in reader.get("/wiki/Budget").content
    assert reader.get("/wiki/Budget")["X-Cache"] == "hit"
    actions.save_revision("Budget", "second text", first.revision.author, first.revision.pk)
    answer = reader.get("/wiki/Budget")
    assert answer["X-Cache"] == "miss" and b"second text" in answer.content


def test_a_read_that_raced_an_announcement_is_not_kept(with_redis, make_page):
    make_page("Budget", "text")
    assert listening()

    def read_while_a_message_arrives(title):
        stampcache.table.forget()
        return pagecache.read_stamp(title)

    assert stampcache.table.get("Budget", read_while_a_message_arrives) is not None
    assert "Budget" not in stampcache.table.entries


def test_without_the_subscription_every_view_asks_the_database(with_redis, monkeypatch, make_page):
    make_page("Budget", "text")
    assert listening()
    monkeypatch.setattr(stampcache.table, "ready", False)
    asked = reads(monkeypatch)
    pagecache.current_stamp("Budget")
    pagecache.current_stamp("Budget")
    assert asked == ["Budget", "Budget"]


def test_a_stamp_nobody_changed_is_kept_past_page_stamp_seconds(with_redis, settings, monkeypatch, make_page):
    """While Redis keeps confirming the subscription, a stamp is kept until a change is announced."""
    make_page("Budget", "text")
    assert listening()
    asked = reads(monkeypatch)
    now = time.monotonic()
    monkeypatch.setattr(stampcache.time, "monotonic", lambda: now)
    pagecache.current_stamp("Budget")
    now += 10 * settings.PAGE_STAMP_SECONDS
    monkeypatch.setattr(stampcache.table, "confirmed", now - 1)  # a pong a second ago
    pagecache.current_stamp("Budget")
    assert asked == ["Budget"]


def test_pongs_confirm_the_subscription_every_ping_seconds(with_redis):
    assert listening()
    started = time.monotonic()
    deadline = started + 10 * stampcache.PING_SECONDS
    while stampcache.table.confirmed < started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stampcache.table.confirmed >= started


def test_without_a_pong_for_page_stamp_seconds_every_view_asks_the_database(
    with_redis, settings, monkeypatch, make_page
):
    """A connection that died without an error delivers no announcement and no pong: the table stops being
    used once the last pong is older than the bound."""
    make_page("Budget", "text")
    assert listening()
    settings.PAGE_STAMP_SECONDS = 1
    monkeypatch.setattr("redis.client.PubSub.ping", lambda subscription, message=None: True)  # lost pings
    pagecache.current_stamp("Budget")
    deadline = time.monotonic() + 10
    while time.monotonic() - stampcache.table.confirmed <= 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    asked = reads(monkeypatch)
    pagecache.current_stamp("Budget")
    pagecache.current_stamp("Budget")
    assert asked == ["Budget", "Budget"]


def test_zero_seconds_turns_the_table_off(with_redis, settings, monkeypatch, make_page):
    settings.PAGE_STAMP_SECONDS = 0
    make_page("Budget", "text")
    asked = reads(monkeypatch)
    pagecache.current_stamp("Budget")
    pagecache.current_stamp("Budget")
    assert asked == ["Budget", "Budget"]


def test_each_wiki_and_data_dir_has_its_own_channel(settings, tmp_path):
    first = stampcache.channel()
    settings.DATA_DIR = tmp_path
    assert stampcache.channel() != first


def test_stamps_read_from_a_replica_are_never_kept(with_redis, monkeypatch, make_page):
    """A replica may be behind when a change is announced: a stamp read there would outlive the message."""
    page = make_page("Budget", "text").page
    assert listening()
    monkeypatch.setattr(pagecache.router, "db_for_read", lambda model, **hints: "replica")
    asked: list[str] = []
    monkeypatch.setattr(
        pagecache, "read_stamp", lambda title: asked.append(title) or (page.pk, page.view_stamp)
    )
    pagecache.current_stamp("Budget")
    pagecache.current_stamp("Budget")
    assert asked == ["Budget", "Budget"] and stampcache.table.entries == {}


def test_the_listener_waits_quietly_while_redis_is_not_configured(settings, monkeypatch, caplog):
    """No connection attempt and no warning a second when REDIS_URL is blank (the tests' SQLite pass turns
    it off while a listener started by an earlier test still runs)."""
    settings.REDIS_URL = ""
    table = stampcache.StampTable()
    table.pid = os.getpid()
    followed, slept = [], []
    monkeypatch.setattr(table, "_follow", followed.append)

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 3:
            table.pid = 0  # as a forked process would: this listener ends

    monkeypatch.setattr(stampcache.time, "sleep", sleep)
    table._listen()
    assert followed == [] and len(slept) == 3
    assert "subscription lost" not in caplog.text


def kept(table, title: str) -> bool:
    return title in table.entries


def test_an_announcement_naming_pages_forgets_only_theirs(with_redis, make_page):
    budget, devices = make_page("Budget", "text").page, make_page("Devices", "text").page
    assert listening()
    pagecache.current_stamp("Budget"), pagecache.current_stamp("Devices")
    stampcache._announce(frozenset({budget.pk}))  # as the commit of a save of Budget elsewhere does
    deadline = time.monotonic() + 2
    while kept(stampcache.table, "Budget") and time.monotonic() < deadline:
        time.sleep(0.0005)
    assert not kept(stampcache.table, "Budget")
    assert stampcache.table.entries["Devices"] == (devices.pk, devices.view_stamp)


def test_a_page_is_forgotten_under_every_title_it_was_kept_by():
    """A renamed page's old title was kept with its id: forgetting the id forgets both titles."""
    table = stampcache.StampTable()
    assert table.keep(table.generation, [("Old name", (7, 100)), ("Other", (8, 100))])
    assert table.keep(table.generation, [("New name", (7, 200))])
    assert table.titles[7] == ("Old name", "New name")
    table.forget([7])
    assert table.entries == {"Other": (8, 100)} and table.titles == {8: "Other"}


def test_stamps_read_while_a_change_was_forgotten_are_not_kept():
    table = stampcache.StampTable()
    generation = table.generation
    table.forget([99])  # a message arrived while the stamps were read
    assert not table.keep(generation, [("Budget", (1, 100))])
    assert table.entries == {}


def test_a_full_table_drops_its_older_half(monkeypatch):
    monkeypatch.setattr(stampcache, "STAMPS_KEPT", 4)
    table = stampcache.StampTable()
    for number in range(1, 6):
        table.keep(table.generation, [(f"Page {number}", (number, 100))])
    assert list(table.entries) == ["Page 3", "Page 4", "Page 5"]
    assert table.titles == {3: "Page 3", 4: "Page 4", 5: "Page 5"}


def test_an_announcement_from_an_older_version_forgets_every_stamp():
    assert stampcache.announced_pages(b"1") is None  # what every message said before pages were named
    assert stampcache.announced_pages(b"*") is None
    assert stampcache.announced_pages(b"pages:3,not-a-number") is None
    assert stampcache.announced_pages(b"pages:3,12") == [3, 12]


def test_touching_pages_announces_them_by_id(with_redis, make_page, django_capture_on_commit_callbacks):
    budget, devices = make_page("Budget", "text").page, make_page("Devices", "text").page
    make_page("Staffing", "text")
    with django_capture_on_commit_callbacks() as announced:
        assert pagecache.touch_pages(Page.objects.filter(title__in=["Budget", "Devices"])) == 2
    assert announcements(announced) == [{budget.pk, devices.pk}]
    moved = dict(Page.objects.values_list("title", "view_stamp"))
    assert moved["Budget"] > budget.view_stamp and moved["Devices"] > devices.view_stamp


def test_touching_many_pages_announces_every_page(
    with_redis, monkeypatch, make_page, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(stampcache, "ANNOUNCED_PAGES_AT_MOST", 1)
    budget, devices = make_page("Budget", "text").page, make_page("Devices", "text").page
    with django_capture_on_commit_callbacks() as announced:
        assert pagecache.touch_pages(Page.objects.filter(title__in=["Budget", "Devices"])) == 2
    assert announcements(announced) == [None]
    moved = dict(Page.objects.values_list("title", "view_stamp"))
    assert moved["Budget"] > budget.view_stamp and moved["Devices"] > devices.view_stamp


@pytest.mark.django_db(transaction=True)
def test_a_new_subscription_fills_the_table_with_the_pages_changed_last(with_redis, monkeypatch, make_page):
    """A process answers views without the database from its start: its listener reads the stamps of the
    PRELOADED pages changed last once Redis confirms the subscription (live, non-redirect pages only)."""
    monkeypatch.setattr(stampcache, "PRELOADED", 2)
    make_page("Budget", "text")
    devices, staffing = make_page("Devices", "text").page, make_page("Staffing", "text").page
    make_page("Old name", "#REDIRECT [[Staffing]]")
    table = stampcache.StampTable()
    table._listening()  # this process's new listener, beside the module's
    try:
        deadline = time.monotonic() + 5
        while not table.entries and time.monotonic() < deadline:
            time.sleep(0.01)
        assert table.entries == {
            "Devices": (devices.pk, devices.view_stamp),
            "Staffing": (staffing.pk, staffing.view_stamp),
        }
    finally:
        table.stop()


def test_a_failed_preload_leaves_the_table_to_fill_as_pages_are_read(monkeypatch, caplog):
    def fail(limit):
        raise ConnectionError("database gone")

    monkeypatch.setattr(pagecache, "recent_stamps", fail)
    table = stampcache.StampTable()
    table.preload()
    assert table.entries == {} and "could not preload page stamps" in caplog.text


def test_moving_a_page_without_a_redirect_forgets_its_old_title(
    with_redis, make_page, django_capture_on_commit_callbacks
):
    page = make_page("Budget", "text").page
    assert listening()
    assert pagecache.current_stamp("Budget") == (page.pk, page.view_stamp)
    with django_capture_on_commit_callbacks(execute=True):
        actions.move_page(page, "Budget planning", page.latest.author, leave_redirect=False)
    assert not kept(stampcache.table, "Budget")
    assert pagecache.current_stamp("Budget") is None
    assert pagecache.current_stamp("Budget planning")[0] == page.pk


def test_deleting_a_page_forgets_its_stamp(with_redis, make_page, django_capture_on_commit_callbacks):
    page = make_page("Budget", "text").page
    assert listening()
    pagecache.current_stamp("Budget")
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_page(page, page.latest.author, "duplicate")
    assert pagecache.current_stamp("Budget") is None
