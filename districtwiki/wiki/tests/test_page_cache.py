"""The anonymous page cache: answers served whole, and never stale after anything that changes the page."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils.http import http_date

from districtwiki.community.account_data import delete_account
from districtwiki.community.actions import save_profile
from districtwiki.community.models import Profile
from districtwiki.content.models import StarterPage
from districtwiki.discussions import actions as discussions
from districtwiki.discussions import moderation
from districtwiki.wiki import actions, pagecache, uploads
from districtwiki.wiki.models import Page
from districtwiki.wiki.pagecache import (
    FileStore,
    MemoryLayer,
    StoredHeaders,
    Version,
    memory_layer,
    page_store,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def anon():
    return Client()


def another_process() -> Client:
    """A client of a process that has not served the page yet: its memory layer is empty."""
    memory_layer.cache_clear()
    return Client()


def view(client, title="Budget", **headers):
    return client.get("/wiki/" + title, headers=headers)


def test_second_anonymous_view_is_served_from_the_cache(anon, make_page):
    make_page("Budget", "Plan the **E-Rate** budget.")
    first = view(anon)
    second = view(anon)
    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert b"<strong>E-Rate</strong>" in second.content
    assert second["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["ETag"] == first["ETag"]
    assert not second.cookies


def test_a_cached_answer_runs_no_view(anon, make_page, django_assert_num_queries, monkeypatch):
    make_page("Budget", "text")
    view(anon)
    monkeypatch.setattr("districtwiki.wiki.views.pages.render", None)  # any view render would fail
    # The one stamp query goes straight to the database connection, past Django's query log.
    with django_assert_num_queries(0):
        assert view(anon)["X-Cache"] == "hit"


def test_headers_let_shared_caches_keep_anonymous_views_only(anon, alice_client, make_page, settings):
    settings.CDN_MAX_AGE = 30
    make_page("Budget", "text")
    anonymous = view(anon)
    assert anonymous["Cache-Control"] == "public, max-age=0, s-maxage=30, must-revalidate"
    assert "Cookie" in anonymous["Vary"]
    member = view(alice_client)
    assert "X-Cache" not in member
    assert "private" in member["Cache-Control"] and "public" not in member["Cache-Control"]
    assert "ETag" not in member


def test_etag_and_last_modified_answer_304(anon, make_page):
    make_page("Budget", "text")
    first = view(anon)
    again = view(anon, if_none_match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert view(anon, if_modified_since=first["Last-Modified"]).status_code == 304
    assert view(anon, if_none_match='"something-else"').status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    assert view(anon, if_none_match='"other"', if_modified_since=first["Last-Modified"]).status_code == 200


def test_an_older_if_modified_since_gets_the_page(anon, make_page):
    make_page("Budget", "text")
    assert view(anon, if_modified_since=http_date(0)).status_code == 200


def test_head_is_answered_from_the_cache_without_a_body(anon, make_page):
    make_page("Budget", "text")
    full = view(anon)
    head = anon.head("/wiki/Budget")
    assert head.status_code == 200 and head["X-Cache"] == "hit"
    assert head.content == b""
    assert int(head["Content-Length"]) == len(full.content)


def test_an_edit_is_seen_at_once(anon, make_page, alice):
    first = make_page("Budget", "first text")
    old = view(anon)
    actions.save_revision("Budget", "second text", alice, first.revision.pk)
    new = view(anon)
    assert new["X-Cache"] == "miss" and b"second text" in new.content
    assert new["ETag"] != old["ETag"]
    assert view(anon, if_none_match=old["ETag"]).status_code == 200


def test_creating_and_deleting_a_linked_page_recolours_the_link(anon, make_page, ada):
    make_page("Budget", "See [[Switches]].")
    assert b'class="wikilink new"' in view(anon).content
    switches = make_page("Switches", "text").page
    assert b'class="wikilink new"' not in view(anon).content
    actions.delete_page(switches, ada)
    assert b'class="wikilink new"' in view(anon).content
    actions.undelete_page(Page.objects.get(title="Switches"), ada)
    assert b'class="wikilink new"' not in view(anon).content


def test_pages_created_together_recolour_their_links_when_the_block_ends(anon, make_page, monkeypatch):
    """An importer's group of pages: one UPDATE (here one per title, to cover the chunks) at the end of the
    block, inside its transaction, for every page linking to any of them."""
    monkeypatch.setattr(pagecache, "TOUCH_TITLES_AT_ONCE", 1)
    budget = make_page("Budget", "See [[Switches]] and [[Routers]].").page
    plan = make_page("Plan", "See [[Routers]].").page
    view(anon)
    stamps = {page.pk: page.view_stamp for page in (budget, plan)}
    with transaction.atomic(), pagecache.linking_touched_together():
        make_page("Switches", "text")
        make_page("Routers", "text")
        for page in (budget, plan):
            page.refresh_from_db()
            assert page.view_stamp == stamps[page.pk]  # waiting for the end of the block
    for page in (budget, plan):
        page.refresh_from_db()
        assert page.view_stamp > stamps[page.pk]
    answer = view(anon)
    assert answer["X-Cache"] == "miss" and b'class="wikilink new"' not in answer.content


def test_moving_a_linked_page_away_recolours_the_link(anon, make_page, ada):
    make_page("Budget", "See [[Switches]].")
    switches = make_page("Switches", "text").page
    assert b'class="wikilink new"' not in view(anon).content
    actions.move_page(switches, "Network switches", ada, leave_redirect=False)
    assert b'class="wikilink new"' in view(anon).content


def test_opening_and_locking_a_thread_changes_the_count(anon, make_page, alice, bob):
    page = make_page("Budget", "text").page
    assert b"open)" not in view(anon).content
    thread = discussions.start_thread(page, "A question", "What about Wi-Fi?", alice)
    assert b"(1 open)" in view(anon).content
    moderation.set_thread_lock(thread, bob, locked=True)
    assert b"(1 open)" not in view(anon).content


def test_protection_shows_at_once(anon, make_page, bob):
    page = make_page("Budget", "text").page
    assert b"This page is protected" not in view(anon).content
    actions.protect_page(page, Page.Protection.TRUSTED, bob)
    assert b"This page is protected" in view(anon).content


def test_a_waiting_starter_update_shows_at_once(anon, make_page):
    result = make_page("Budget", "text")
    starter = StarterPage.objects.create(page=result.page, loaded_text="text", loaded_sha1="a" * 40)
    assert b"newer version of this starter page" not in view(anon).content
    starter.pending_text, starter.pending_sha1 = "newer", "b" * 40
    starter.save(update_fields=["pending_text", "pending_sha1"])
    assert b"newer version of this starter page" in view(anon).content


def test_an_erased_author_leaves_the_footer(anon, make_page, alice):
    make_page("Budget", "text", author=alice)
    assert b">alice</a>." in view(anon).content
    delete_account(alice)
    assert b">alice</a>" not in view(anon).content


@pytest.mark.parametrize("visibility", ["public", "members", "hidden"])
def test_the_last_editors_name_follows_their_profile_for_every_reader(
    visibility, anon, bob_client, make_page, alice
):
    """Signed-out and signed-in readers are both answered from caches (the anonymous page cache, and the parts
    kept for signed-in views); a new display name or visibility shows at once, as each reader may see it."""
    make_page("Budget", "text", author=alice)
    assert b">alice</a>." in view(anon).content and b">alice</a>." in view(bob_client).content
    save_profile(Profile(user=alice, display_name="Alice Smith", display_name_visibility=visibility), [])
    shown = {"public": (b"Alice Smith", b"Alice Smith"), "members": (b"alice", b"Alice Smith")}
    anonymous, member = shown.get(visibility, (b"alice", b"alice"))
    assert b">" + anonymous + b"</a>." in view(anon).content
    assert b">" + member + b"</a>." in view(bob_client).content
    alice_client = Client()
    alice_client.force_login(alice)
    assert b">Alice Smith</a>." in view(alice_client).content, "the author always sees their own name"


def test_the_cached_parts_keep_nothing_private_of_the_last_editor(bob_client, make_page, alice):
    page = make_page("Budget", "text", author=alice).page
    view(bob_client)
    page.refresh_from_db()
    editor = cache.get("pageparts:" + Version(page.pk, page.view_stamp).key)["last_editor"]
    assert editor.username == "alice" and editor.get_deferred_fields() >= {"password", "email"}


def test_an_erased_uploader_leaves_a_cached_file_page(anon, alice, bob, settings, tmp_path):
    """The File: page's history names every uploader, though its last revision is someone else's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = b"%PDF-1.4\n%%EOF\n"
    uploads.upload_file("Plan.pdf", ContentFile(pdf, name="Plan.pdf"), bob, "the plan")
    uploads.upload_file("Plan.pdf", ContentFile(pdf + b"v2", name="Plan.pdf"), alice, "newer")
    assert b">alice</a>" in view(anon, "File:Plan.pdf").content
    assert view(anon, "File:Plan.pdf")["X-Cache"] == "hit"
    delete_account(alice)
    after = view(anon, "File:Plan.pdf")
    assert after["X-Cache"] == "miss"
    assert b"alice" not in after.content
    assert b"former member" in after.content


def test_an_erased_member_touches_no_page_that_does_not_name_them(anon, make_page, alice, bob):
    first = make_page("Budget", "text", author=alice).revision
    make_page("Budget", "more text", author=bob, base_revision=first.pk)
    view(anon)
    delete_account(alice)
    assert view(anon)["X-Cache"] == "hit"


def test_the_next_day_is_a_new_answer(anon, make_page):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        make_page("Budget", "text")
        today = view(anon)
        assert view(anon)["X-Cache"] == "hit"
    with time_machine.travel(datetime.datetime(2026, 3, 2, 0, 30, tzinfo=datetime.UTC), tick=False):
        tomorrow = view(anon)
        assert tomorrow["X-Cache"] == "miss"
        assert tomorrow["ETag"] != today["ETag"]
        assert view(anon, if_modified_since=today["Last-Modified"]).status_code == 200


@pytest.mark.parametrize(
    "path, cookies, headers",
    [
        ("/wiki/Budget?x=1", {}, {}),
        ("/wiki/Budget", {"sessionid": "whatever"}, {}),
        ("/wiki/Budget", {"messages": "whatever"}, {}),
        ("/wiki/Budget", {}, {"authorization": "Bearer nonsense"}),
        ("/wiki/budget", {}, {}),  # not the canonical URL: the view redirects
    ],
)
def test_requests_that_may_differ_are_not_served_from_the_cache(make_page, path, cookies, headers):
    make_page("Budget", "text")
    Client().get("/wiki/Budget")
    client = Client()
    client.cookies.load(cookies)
    response = client.get(path, headers=headers)
    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_cached_page_still_refuses_an_unknown_host(anon, make_page):
    make_page("Budget", "text")
    view(anon)
    assert view(anon)["X-Cache"] == "hit"
    assert anon.get("/wiki/Budget", headers={"host": "evil.example"}).status_code == 400


def test_signed_in_members_never_get_the_anonymous_answer(anon, alice_client, make_page):
    make_page("Budget", "text")
    view(anon)
    assert view(anon)["X-Cache"] == "hit"
    member = view(alice_client)
    assert b"alice" in member.content and b"Sign out" in member.content


def test_missing_deleted_and_redirect_pages_are_not_cached(anon, make_page, ada):
    assert "X-Cache" not in view(anon, "Nowhere")
    make_page("Old name", "#REDIRECT [[Budget]]")
    assert view(anon, "Old_name").status_code == 302
    assert "X-Cache" not in view(anon, "Old_name")
    page = make_page("Budget", "text").page
    view(anon)
    actions.delete_page(page, ada)
    gone = view(anon)
    assert gone.status_code == 404 and "X-Cache" not in gone


def test_private_wiki_and_switch_off_bypass_the_cache(anon, make_page, settings):
    make_page("Budget", "text")
    settings.PAGE_CACHE = False
    assert "X-Cache" not in view(anon) and "X-Cache" not in view(anon)
    settings.PAGE_CACHE = True
    settings.PRIVATE_WIKI = True
    assert view(anon).status_code == 302


def test_a_damaged_cache_file_is_a_miss(anon, make_page, settings):
    settings.REDIS_URL = ""  # the file store, as in the embedded mode
    page = make_page("Budget", "text").page
    view(anon)
    store = page_store()
    assert isinstance(store, FileStore)
    store.path(page.pk).write_bytes(b"garbage")
    assert view(anon)["X-Cache"] == "hit"  # this process still holds it in memory
    other_process = another_process()
    assert view(other_process)["X-Cache"] == "miss"
    assert view(other_process)["X-Cache"] == "hit"


def test_the_file_store_is_shared_by_processes(make_page, settings):
    settings.REDIS_URL = ""
    make_page("Budget", "text")
    first = view(Client())
    second = view(another_process())  # its own memory, the same files
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content


def test_with_redis_each_machine_keeps_files_in_front_of_the_shared_cache(tmp_path, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # only page_store()'s choice: the cache stays as it is
    assert isinstance(page_store(), pagecache.LayeredStore)
    shared = pagecache.SharedCacheStore(prefix="layered-test:")
    first = pagecache.LayeredStore(FileStore(tmp_path / "first"), shared)
    second = pagecache.LayeredStore(FileStore(tmp_path / "second"), shared)
    first.put(7, "v1", [("Content-Type", "text/html")], b"<p>one</p>")
    assert first.local.get(7, "v1") == shared.get(7, "v1") == ([("Content-Type", "text/html")], b"<p>one</p>")
    assert second.local.get(7, "v1") is None
    assert second.get(7, "v1") == ([("Content-Type", "text/html")], b"<p>one</p>"), "made on another machine"
    assert second.local.get(7, "v1") is not None, "and kept here from then on"
    assert second.get(7, "v2") is None and first.get(7, "v2") is None
    cache.delete("layered-test:7")
    assert second.get(7, "v1") is not None, "a local hit asks the shared cache nothing"


def test_memory_layer_keeps_to_its_budget():
    entry = pagecache.entry_bytes("k00", [], 100)
    memory = MemoryLayer(budget=10 * entry)
    for page_id in range(10):
        memory.put(page_id, f"k{page_id:02}", [], b"x" * 100)
    assert memory.used == 10 * entry
    memory.put(99, "big", [], b"x" * (2 * entry))  # more than an eighth of the budget: not kept
    assert memory.used <= memory.budget and memory.get(99, "big") is None
    assert memory.get(9, "k09") == ([], b"x" * 100)
    assert memory.get(9, "stale") is None
    memory.put(10, "k10", [], b"x" * 100)
    assert memory.get(0, "k00") is None  # the least recently used went first
    assert memory.get(1, "k01") is not None
    assert memory.used <= memory.budget


def test_memory_layer_counts_the_headers_not_only_the_body():
    """A small page with a page view's dozen headers costs more in headers than in body: counted, the
    budget bounds what the layer really holds."""
    headers = [(f"X-Header-{number}", "a value of some length") for number in range(13)]
    memory = MemoryLayer(budget=100_000)
    for page_id in range(1000):
        memory.put(page_id, f"k{page_id}", headers, b"x" * 100)
    kept = sum(memory.get(page_id, f"k{page_id}") is not None for page_id in range(1000))
    assert kept == len(memory.entries) < 100_000 // (100 + 13 * pagecache.HEADER_BYTES)
    assert memory.used <= memory.budget


def test_stored_headers_read_back_as_django_made_them(anon, make_page, settings):
    settings.REDIS_URL = ""
    make_page("Budget", "text")
    made = view(anon)
    from_files = view(another_process())  # the answer comes from the file, headers and all
    assert from_files["X-Cache"] == "hit"
    expected = {name: value for name, value in made.items() if name not in ("X-Cache",)}
    assert {name: value for name, value in from_files.items() if name != "X-Cache"} == expected
    assert StoredHeaders([("Content-Type", "text/html")])["content-type"] == "text/html"


def test_file_store_round_trip_and_key_mismatch(tmp_path):
    store = FileStore(tmp_path)
    store.put(7, "k1", [("Content-Type", "text/html")], b"<p>body</p>\n<p>two lines</p>")
    assert store.get(7, "k1") == ([("Content-Type", "text/html")], b"<p>body</p>\n<p>two lines</p>")
    assert store.get(7, "k2") is None
    assert store.get(8, "k1") is None
    store.clear()
    assert store.get(7, "k1") is None


def test_file_store_keeps_every_header_as_given_and_refuses_one_django_would_not_send(tmp_path):
    store = FileStore(tmp_path)
    headers = [("ETag", '"7-1"'), ("X-Empty", ""), ("Content-Disposition", 'inline; filename="é.txt"')]
    store.put(7, "k1", headers, b"\r\nbody")
    assert store.get(7, "k1") == (headers, b"\r\nbody")
    store.put(8, "k1", [], b"")
    assert store.get(8, "k1") == ([], b"")
    store.put(9, "k1", [("X-Split", "a\r\nSet-Cookie: b")], b"body")
    assert store.get(9, "k1") is None


def test_file_store_reads_a_damaged_file_as_missing(tmp_path):
    store = FileStore(tmp_path)
    store.put(7, "k1", [("Content-Type", "text/html")], b"body")
    store.path(7).write_bytes(b"k1\nContent-Type\r\n")  # a name without its value
    assert store.get(7, "k1") is None
    store.path(7).write_bytes(b"k1")
    assert store.get(7, "k1") is None


def test_signed_in_views_reuse_the_shown_parts_and_see_every_change(
    bob_client, make_page, alice, django_assert_max_num_queries
):
    saved = make_page("Budget", "See [[Switches]]. first text")
    page = saved.page
    first = view(bob_client)
    assert b'class="wikilink new"' in first.content
    with django_assert_max_num_queries(5):  # session, user, page, watch, bell: links, categories and
        view(bob_client)  # threads come from the cache
    make_page("Switches", "text")
    assert b'class="wikilink new"' not in view(bob_client).content
    discussions.start_thread(page, "A question", "What about Wi-Fi?", alice)
    assert b"(1 open)" in view(bob_client).content
    text = "See [[Switches]]. second text [[Category:Budget]]"
    actions.save_revision("Budget", text, alice, saved.revision.pk)
    latest = view(bob_client)
    assert b"second text" in latest.content and b"/category/Budget" in latest.content
