"""Shared test set-up: named users for every permission level (the environment: districtwiki/testenv.py).

anon (signed out) · alice (member) · bob (trusted) · ada (admin) · carol (member, e-mail not confirmed)
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; the suite hashes hundreds of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttles, counters and cached page views live in the cache (Redis with REDIS_URL) or, for page
    views without Redis, in files, and search suggestions in each process: start every test without them."""
    from django.conf import settings
    from django.core.cache import cache

    from districtwiki.wiki import stampcache
    from districtwiki.wiki.memberviews import shells
    from districtwiki.wiki.pagecache import file_store, memory_layer
    from districtwiki.wiki.search.suggest import forget as forget_suggestions

    cache.clear()
    file_store(settings.PAGE_CACHE_DIR).clear()
    shells.clear()
    stampcache.table.reset()  # the members kept too
    memory_layer.cache_clear()
    forget_suggestions()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def page_stamp_listener_ends_before_the_test_database(django_db_setup):
    """The page stamp listener (wiki/stampcache.py) reads the database when it subscribes: it ends before
    the test database is dropped, and before the session closes the log streams it writes to."""
    yield
    from districtwiki.wiki import stampcache

    stampcache.table.stop()


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    uses = set(request.fixturenames)
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        uses & {"transactional_db", "live_server", "django_db_serialized_rollback"}
    )


@pytest.fixture(autouse=True)
def empty_search_index_after_transactional_tests(request, django_db_blocker):
    """Django empties the models' tables after a test that commits (a browser test, a live server), but not
    the search index, which a migration made and no model owns: empty it too. Under pytest-xdist a worker
    runs test files in any order, so what one file leaves there would be found by the next file's searches."""
    yield
    if not _is_transactional(request):
        return
    from django.db import connection

    # This teardown may run after the database fixture's own, which blocks database access again.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM wiki_search_index")


def make_user(username: str, role: str = "member", confirmed: bool = True):
    from districtwiki.accounts.models import User

    return User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        role=role,
        email_confirmed=confirmed,
    )


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob", role="trusted")


@pytest.fixture
def ada(db):
    return make_user("ada", role="admin")


@pytest.fixture
def carol(db):
    return make_user("carol", confirmed=False)


@pytest.fixture
def anon_client(client):
    return client


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


@pytest.fixture
def make_page(db):
    """Create a page through the real save action: make_page("Title", "text", author=user)."""
    from districtwiki.wiki import actions

    def make(title: str, text: str, author=None, summary: str = "", **kwargs):
        if author is None:
            author = _system_author()
        return actions.save_revision(
            title, text, author, kwargs.pop("base_revision", None), summary, **kwargs
        )

    return make


def _system_author():
    from districtwiki.accounts.models import User

    user = User.objects.filter(username="page-maker").first()
    return user or make_user("page-maker", role="admin")


@pytest.fixture(scope="module")
def chromium():
    """One Debian Chromium per browser-test module.

    Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls from a
    thread with a running loop. The ORM calls of browser tests (fixtures, assertions, the flush after each
    test) are ordinary synchronous ones, so they are allowed for as long as the module's browser runs."""
    from playwright.sync_api import sync_playwright

    from districtwiki.wiki.tests.browser import launch_chromium

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def watch():
    """Fails the test if any page logged a console error or CSP violation, or opened an unexpected dialog."""
    from districtwiki.wiki.tests.browser import PageWatch

    page_watch = PageWatch()
    yield page_watch
    assert page_watch.errors == [], "\n".join(page_watch.errors)


def settings_under(monkeypatch, cleared, **environment) -> dict:
    """A fresh run of the settings module with the variables `cleared` unset and `environment` set (the
    running settings are untouched)."""
    from districtwiki import settings as settings_module

    for name in cleared:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings_module.__file__)))


def check_command(tmp_path, variable: str, value: str) -> subprocess.CompletedProcess:
    """`districtwiki check` with one setting, the rest of the environment left out."""
    return subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", "check"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
            "DISTRICTWIKI_DATA_DIR": str(tmp_path),
            variable: value,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
