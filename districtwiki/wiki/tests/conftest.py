"""Fixtures the wiki's test modules share."""

import pytest


@pytest.fixture
def common_word_pages(make_page):
    """Six pages saying "district": Old 1–3 mention it most often, New 1–3 (saved later) once, twice and
    three times."""
    for number, mentions in ((1, 6), (2, 5), (3, 4), (1, 1), (2, 2), (3, 3)):
        title = f"Old {number}" if mentions > 3 else f"New {number}"
        make_page(title, "Notes. " + "The district plan. " * mentions + "Filler words here. " * 5)


@pytest.fixture
def browser_for(chromium, live_server):
    """browser_for(user or None) → a browser context at the desktop size, signed in as the user; one per
    user per test (the accessibility walk, test_accessibility*.py)."""
    from .accessibility import VIEWPORTS
    from .browser import sign_in

    contexts = {}

    def browser_for(user):
        if user not in contexts:
            contexts[user] = chromium.new_context(base_url=live_server.url, viewport=VIEWPORTS["desktop"])
            if user is not None:
                sign_in(contexts[user], live_server.url, user)
        return contexts[user]

    yield browser_for
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_context(chromium, live_server):
    """open_context(**options) → a browser context on the live server; all are closed after the test
    (test_browser*.py)."""
    contexts = []

    def open_context(**options):
        context = chromium.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def editor_page(open_context, live_server, watch, alice):
    """A page signed in as alice, on the edit form of a new page."""
    from .browser import sign_in, watched_page

    context = open_context()
    sign_in(context, live_server.url, alice)
    page = watched_page(context, watch)
    page.goto("/edit/Sandbox")
    return page
