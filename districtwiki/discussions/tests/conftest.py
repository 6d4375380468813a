"""Fixtures for discussions: a page to talk about, a thread on it, and a helper to post as anyone."""

import pytest

from districtwiki.accounts.models import User
from districtwiki.discussions import actions


@pytest.fixture
def dave(db):
    return User.objects.create_user(
        username="dave", email="dave@example.org", password="x" * 12, email_confirmed=True
    )


@pytest.fixture
def page(make_page):
    return make_page("Budget basics", "How to plan the technology budget. See [[E-Rate]].").page


@pytest.fixture
def thread(page, alice):
    return actions.start_thread(page, "Planning for next year", "What do you budget for devices?", alice)


@pytest.fixture
def first_post(thread):
    return thread.posts.get()


@pytest.fixture
def reply(thread, dave):
    return actions.add_post(thread, "We replace a fifth of the fleet each year.", dave)
