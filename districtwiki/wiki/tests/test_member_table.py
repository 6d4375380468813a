"""Signed-in members kept in each process with Redis (wiki/membercache.py, docs/signed-in-views.md): a kept
member's view needs no database round trip, and every change of what was kept is forgotten at once in the
writing process and by every other one when the announcement arrives. The guarantees of test_member_views.py
are run again here with each member kept before the change. Run on both passes: Redis runs beside the tests
either way (the SQLite pass points REDIS_URL at it here only)."""

import datetime
import time
from array import array

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_user
from districtwiki.community.actions import save_profile
from districtwiki.community.models import Profile
from districtwiki.discussions import moderation
from districtwiki.notifications import actions as notifications
from districtwiki.notifications import privacy as notification_privacy
from districtwiki.notifications.models import Notification
from districtwiki.wiki import actions, membercache, memberviews, pagecache, stampcache
from districtwiki.wiki.models import Page, Watch

from . import test_member_views
from .test_member_views import (  # noqa: F401  (run again here, with the table on)
    dora,
    front,
    signed_in,
    test_a_damaged_or_forged_cookie_goes_to_django,
    test_a_member_whose_name_is_hidden_sees_it_on_pages_rendered_for_them,
    test_a_members_own_edit_shows_to_them_at_once,
    test_a_members_view_is_the_page_rendered_for_them_alone,
    test_a_new_role_shows_at_once,
    test_a_password_change_signs_other_sessions_out,
    test_a_suspended_member_is_signed_out_at_once,
    test_many_members_at_once_each_see_only_themselves,
    test_messages_waiting_are_shown_by_the_view,
    test_nothing_of_one_member_is_in_the_shell_or_in_anothers_view,
    test_other_requests_go_to_django,
    test_signing_out_ends_the_front_for_that_cookie,
    test_the_email_reminder_is_the_readers_own,
    test_watching_and_notifications_show_at_once,
    view,
)
from .test_stamp_cache import listening, with_redis  # noqa: F401

pytestmark = pytest.mark.django_db


def session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def kept(client: Client) -> membercache.Kept | None:
    return membercache.table.get(session_key(client))


def served_and_kept(client: Client, path: str = "/wiki/Budget") -> bytes:
    """The front's answer once the view has stored the shell and the front has kept the member: the first
    answer reads the session through its engine, the second keeps what it read, the third is the table's."""
    view(client, path)
    bodies = [front(client, path) for _ in range(3)]
    assert all(answer is not None and answer.status == 200 for answer in bodies)
    assert kept(client) is not None, "kept by the second answer"
    return bodies[-1].body


@pytest.fixture(autouse=True)
def member_table(with_redis, settings, monkeypatch):  # noqa: F811
    settings.MEMBER_SECONDS = 300
    assert listening(), "the page stamp listener confirms its subscription"
    membercache.table.forget_members(None)
    monkeypatch.setattr(test_member_views, "served", served_and_kept)
    yield
    membercache.table.forget_members(None)


def database_reads(monkeypatch) -> list[str]:
    """The statements the front sends on the raw connection, and any read of a session through its engine."""
    statements: list[str] = []
    fetch_on = pagecache.fetch_on
    monkeypatch.setattr(pagecache, "fetch_on", lambda *args: statements.append(args[1]) or fetch_on(*args))
    signed_in_session = memberviews.signed_in_session
    monkeypatch.setattr(
        memberviews, "signed_in_session", lambda key: statements.append("engine") or signed_in_session(key)
    )
    return statements


def test_a_kept_member_needs_no_database(monkeypatch, make_page, alice, django_assert_num_queries):
    make_page("Budget", "text")
    make_page("Devices", "text")
    client = signed_in(alice)
    served_and_kept(client)
    view(client, "/wiki/Devices")
    front(client, "/wiki/Devices")  # its stamp, kept by the stamp table
    statements = database_reads(monkeypatch)
    with django_assert_num_queries(0):
        for path in ("/wiki/Budget", "/wiki/Devices") * 5:
            assert b"Signed in as <strong>alice</strong>" in front(client, path).body
    assert statements == []


def test_the_watch_button_is_read_from_the_kept_watches(make_page, alice):
    budget = make_page("Budget", "text").page
    make_page("Devices", "text")
    client = signed_in(alice)
    client.post("/watch/Budget", {"watch": "1"})
    view(client)  # the message about watching
    served_and_kept(client)
    assert list(kept(client).watched) == [budget.pk]
    assert b'aria-pressed="true"' in front(client).body
    view(client, "/wiki/Devices")
    assert b'aria-pressed="false"' in front(client, "/wiki/Devices").body


def change_watch(alice, bob, page):
    actions.set_watch(page, alice, True)


def notify_by_edit(alice, bob, page):
    Watch.objects.create(user=alice, page=page)
    actions.save_revision(page.title, "changed", bob, page.latest_id)


def notify_one(alice, bob, page):
    notifications.notify(alice, "mention", "hello", "/", actor=bob)


def notify_many(alice, bob, page):
    notifications.notify_users([alice.pk, bob.pk], "mention", "hello", "/", actor=None)


def read_one(alice, bob, page):
    notifications.mark_read(Notification.objects.get(user=alice))


def read_all(alice, bob, page):
    notifications.mark_all_read(alice)


def erase_notifications(alice, bob, page):
    notification_privacy.erase(alice)


def auto_watch(alice, bob, page):
    actions.save_revision(page.title, "edited by alice", alice, page.latest_id)


def rename(alice, bob, page):
    save_profile(Profile(user=alice, display_name="Alice Smith", display_name_visibility="members"), [])


def new_role(alice, bob, page):
    alice.role = "trusted"
    alice.save()


def suspend(alice, bob, page):
    moderation.suspend_user(alice, bob, "spam")


def delete_sessions(alice, bob, page):
    Session.objects.all().delete()


CHANGES = [
    change_watch,
    notify_by_edit,
    notify_one,
    notify_many,
    read_one,
    read_all,
    erase_notifications,
    auto_watch,
    rename,
    new_role,
    suspend,
    delete_sessions,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_every_change_of_what_is_kept_forgets_it(change, make_page, alice, ada):
    """Each writer of what the lookup reads: the entry goes at once in this process, and the next answer
    (from the front or from Django) is made from the database again."""
    page = make_page("Budget", "text").page
    Notification.objects.create(user=alice, kind="mention", text="first", url="/")
    client = signed_in(alice)
    served_and_kept(client)
    change(alice, ada, Page.objects.get(pk=page.pk))
    assert kept(client) is None


def test_a_change_announced_by_another_process_is_forgotten_when_it_arrives(make_page, alice):
    """A notification written where this process sends no signal (as by another process), and the message
    that process publishes when its transaction commits: this process's listener forgets the member."""
    make_page("Budget", "text")
    client = signed_in(alice)
    served_and_kept(client)
    Notification.objects.bulk_create([Notification(user=alice, kind="mention", text="hello", url="/")])
    assert kept(client) is not None
    stampcache.publish(membercache.MEMBERS + str(alice.pk).encode())
    assert eventually(lambda: kept(client) is None)
    assert b'<span class="badge">1' in front(client).body


def test_a_session_change_announced_by_another_process_is_forgotten(make_page, alice):
    make_page("Budget", "text")
    client, other = signed_in(alice), signed_in(alice)
    served_and_kept(client)
    served_and_kept(other)
    with connection.cursor() as cursor:  # as another process signs out: no signal here
        cursor.execute("DELETE FROM django_session WHERE session_key = %s", [session_key(client)])
    if hasattr(client.session, "cache_key"):
        cache.delete(client.session.cache_key)
    assert kept(client) is not None
    stampcache.publish(membercache.SESSIONS + membercache.digest(session_key(client)))
    assert eventually(lambda: kept(client) is None)
    assert kept(other) is not None, "only that session"
    assert front(client) is None


def eventually(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_a_change_while_reading_is_not_kept(monkeypatch, make_page, alice, bob):
    """The generation check: a lookup read while any change was forgotten may be older than the change."""
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    front(client)  # the session read through its engine
    fetch_on = pagecache.fetch_on

    def racing(connection, query, params):
        row = fetch_on(connection, query, params)
        if query == memberviews.session_lookup_query():
            membercache.members_changed([bob.pk])  # any member: the table cannot tell what raced
        return row

    monkeypatch.setattr(pagecache, "fetch_on", racing)
    assert front(client).status == 200
    assert kept(client) is None
    monkeypatch.setattr(pagecache, "fetch_on", fetch_on)
    front(client)
    assert kept(client) is not None


def test_an_expired_session_is_not_used(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served_and_kept(client)
    key = session_key(client)
    entry = membercache.table.entries[key]
    membercache.table.entries[key] = membercache.Kept(
        entry.member_id, entry.columns, entry.facts, entry.watched, time.time() - 1, entry.until
    )
    assert kept(client) is None
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    if hasattr(client.session, "cache_key"):
        cache.delete(client.session.cache_key)
    assert front(client) is None


def test_an_entry_is_dropped_after_member_seconds(settings, monkeypatch, make_page, alice):
    """The bound for a change nothing announced (a statement typed into the database by hand)."""
    make_page("Budget", "text")
    client = signed_in(alice)
    served_and_kept(client)
    Notification.objects.bulk_create([Notification(user=alice, kind="mention", text="hi", url="/")])
    assert b'class="badge"' not in front(client).body, "not announced: the kept count stays"
    now = time.monotonic()
    monkeypatch.setattr(membercache.time, "monotonic", lambda: now + settings.MEMBER_SECONDS + 1)
    assert kept(client) is None
    assert b'<span class="badge">1' in front(client).body


def test_nothing_is_used_without_a_confirmed_subscription(monkeypatch, make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served_and_kept(client)
    monkeypatch.setattr(stampcache.table, "confirmed", -float("inf"))
    statements = database_reads(monkeypatch)
    assert b"Signed in as <strong>alice</strong>" in front(client).body
    assert memberviews.session_lookup_query() in statements


def test_a_member_watching_very_many_pages_is_asked_about_each_page(monkeypatch, make_page, alice):
    """Kept without their watches: each view runs the one statement (whether they watch its page), and
    their watches are not read again."""
    monkeypatch.setattr(membercache, "WATCHES_KEPT", 1)
    for title in ("Budget", "Devices"):
        Watch.objects.create(user=alice, page=make_page(title, "text").page)
    make_page("Plans", "text")
    client = signed_in(alice)
    for title in ("Budget", "Plans"):
        view(client, f"/wiki/{title}")
    for _ in range(2):
        assert b'aria-pressed="true"' in front(client).body
    assert kept(client).watched is None
    statements = database_reads(monkeypatch)
    watch_reads = []
    values_list = Watch.objects.none().__class__.values_list
    monkeypatch.setattr(
        Watch.objects.none().__class__,
        "values_list",
        lambda self, *a, **k: watch_reads.append(a) or values_list(self, *a, **k),
    )
    assert b'aria-pressed="true"' in front(client).body
    assert b'aria-pressed="false"' in front(client, "/wiki/Plans").body
    assert statements.count(memberviews.session_lookup_query()) == 2 and watch_reads == []


def test_watched_pages_are_found_by_bisection():
    entry = membercache.Kept(1, (), (), array("q", [3, 9, 27]), time.time() + 60, time.monotonic() + 60)
    found = [entry.watches(page_id) for page_id in (1, 3, 4, 9, 27, 28)]
    assert found == [False, True, False, True, True, False]
    assert not membercache.Kept(1, (), (), array("q"), 0, 0).watches(5)


def test_the_table_is_emptied_beyond_its_watched_pages_in_all(monkeypatch, make_page, alice, ada):
    monkeypatch.setattr(membercache, "WATCHED_IDS_KEPT", 3)
    pages = [make_page(title, "text").page for title in ("Budget", "Devices")]
    for page in pages:
        Watch.objects.create(user=alice, page=page)
        Watch.objects.create(user=ada, page=page)
    alices, adas = signed_in(alice), signed_in(ada)
    served_and_kept(alices)
    view(adas)
    for _ in range(2):
        front(adas)
    assert kept(adas) is not None and kept(alices) is None, "four watched pages: alice's entry went"


def test_member_seconds_zero_keeps_nothing(settings, make_page, alice):
    settings.MEMBER_SECONDS = 0
    make_page("Budget", "text")
    client = signed_in(alice)
    view(client)
    for _ in range(3):
        assert front(client).status == 200
    assert membercache.table.entries == {}


def test_announcements_name_members_and_session_digests(django_capture_on_commit_callbacks, alice):
    with django_capture_on_commit_callbacks() as callbacks:
        membercache.members_changed([alice.pk, None, 3])
        membercache.members_changed(range(membercache.ANNOUNCED_MEMBERS_AT_MOST + 1))
        membercache.session_changed("k" * 32)
    messages = [callback.args[1] for callback in callbacks]
    assert messages == [
        b"members:3," + str(alice.pk).encode() if alice.pk > 3 else f"members:{alice.pk},3".encode(),
        b"members:*",
        b"sessions:" + membercache.digest("k" * 32),
    ]
    assert b"k" * 32 not in messages[2]
    assert membercache.announced_members(b"1,2") == [1, 2]
    assert membercache.announced_members(b"*") is None
    assert membercache.announced_members(b"1,x") is None, "not understood: every member"


def test_a_new_subscription_forgets_every_member(make_page, alice):
    make_page("Budget", "text")
    client = signed_in(alice)
    served_and_kept(client)
    stampcache.table.reset()
    assert kept(client) is None


def test_a_members_own_change_is_read_again_for_a_few_seconds(make_page, alice):
    """Following a notification marks it read and shows no message: the answer carries the cookie that
    makes the front read the member again, so a process the announcement has not reached yet (its old entry
    put back here) still shows the member their own change."""
    make_page("Budget", "text")
    notification = Notification.objects.create(user=alice, kind="mention", text="hello", url="/wiki/Budget")
    client = signed_in(alice)
    served_and_kept(client)
    stale = kept(client)
    followed = client.get(f"/notifications/{notification.pk}/go")
    assert followed.status_code == 302
    cookie = followed.cookies[membercache.FRESH_COOKIE]
    assert cookie["max-age"] == membercache.FRESH_SECONDS and cookie["httponly"]
    assert membercache.table.keep(membercache.table.generation, session_key(client), stale)
    assert b'class="badge"' not in front(client).body
    client.cookies.pop(membercache.FRESH_COOKIE)
    assert b'<span class="badge">1' in front(client).body, "without it, the entry not yet forgotten"


def test_a_change_of_someone_else_sets_no_cookie(make_page, alice, ada):
    make_page("Budget", "text")
    client = signed_in(ada)
    response = client.post("/watch/Budget", {"watch": "1"})
    assert membercache.FRESH_COOKIE in response.cookies, "her own watch"
    Notification.objects.create(user=alice, kind="mention", text="hello", url="/wiki/Budget")
    client.cookies.pop(membercache.FRESH_COOKIE)
    answer = client.get("/wiki/Budget")
    assert membercache.FRESH_COOKIE not in answer.cookies


def test_a_change_is_forgotten_again_when_it_commits(transactional_db, make_page):
    """Between the writer's own forgetting and its commit, another thread of the process may read the old
    rows and keep them: the commit forgets the member once more, before the announcement."""
    make_page("Budget", "text")
    alice = make_user("alice")
    client = signed_in(alice)
    served_and_kept(client)
    stale = kept(client)
    with transaction.atomic():
        Notification.objects.create(user=alice, kind="mention", text="hello", url="/")
        assert kept(client) is None
        membercache.table.keep(membercache.table.generation, session_key(client), stale)  # the other thread
    assert kept(client) is None


def test_signing_in_sets_no_cookie_and_forgets_nobody(make_page, alice):
    """Signing in saves the time of it, which no lookup reads: the member's other sessions stay kept, and
    their first views are answered from the table."""
    make_page("Budget", "text")
    kept_one = signed_in(alice)
    served_and_kept(kept_one)
    client = Client()
    response = client.post("/accounts/login/", {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert membercache.FRESH_COOKIE not in response.cookies
    assert kept(kept_one) is not None


def test_two_facts_read_from_one_model_announce_a_change_once(django_capture_on_commit_callbacks, alice):
    """own_name and hides_name both read the profile: one receiver, one announcement per saved row."""
    with django_capture_on_commit_callbacks() as callbacks:
        save_profile(Profile(user=alice, display_name="Alice Smith", display_name_visibility="members"), [])
    announced = [
        callback.args[1] for callback in callbacks if getattr(callback, "func", None) is membercache._announce
    ]
    assert announced.count(membercache.MEMBERS + str(alice.pk).encode()) == 1
