"""Community test set-up: members with profiles, and clients signed in as anyone."""

import re

import pytest
from django.test import Client

from conftest import make_user
from districtwiki.community import actions
from districtwiki.community.models import Profile


@pytest.fixture
def member(db):
    """member("dana", state="VT", expertise=["networking"], ...) → a member with that profile."""

    def make(username: str, *, expertise=(), role_name: str = "member", confirmed: bool = True, **fields):
        user = make_user(username, role=role_name, confirmed=confirmed)
        if fields or expertise:
            profile = Profile(user=user, **fields)
            actions.save_profile(profile, list(expertise))
        return user

    return make


@pytest.fixture
def client_for(db):
    """client_for(user) → a test client signed in as that user; client_for(None) → a signed-out one."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def card_html(html: str, username: str) -> str:
    """The HTML of one member's card (directory, chapter) or profile article; "" if it is not there."""
    match = re.search(
        rf'<article class="member-(?:card|profile)" data-member="{re.escape(username)}">(.*?)</article>',
        html,
        re.DOTALL,
    )
    return match.group(1) if match else ""
