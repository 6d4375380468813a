import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.utils import timezone

from conftest import PASSWORD, make_user
from districtwiki.accounts import throttling
from districtwiki.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LOCKED = "Too many failed sign-in attempts."
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15


def attempt(client, login, password, address="127.0.0.1"):
    return client.post(LOGIN_URL, {"login": login, "password": password}, REMOTE_ADDR=address)


def fail(client, login, times, address="127.0.0.1"):
    for _ in range(times):
        assert attempt(client, login, "wrong password", address).status_code == 400


def test_correct_password_is_refused_after_too_many_failures(client, alice):
    fail(client, "alice", 3)
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.session.get(SESSION_KEY) is None


def test_lockout_says_how_long_to_wait(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "alice", 3)
        traveller.shift(timedelta(minutes=10))
        response = attempt(client, "alice", PASSWORD)
    assert "Wait 5 minutes and try again" in response.content.decode()
    assert response["Retry-After"] == "300"


def test_lockout_counts_names_in_any_case(client, alice):
    fail(client, "Alice", 2)
    fail(client, "ALICE", 1)
    assert attempt(client, "alice", PASSWORD).status_code == 429


def test_lockout_counts_an_accounts_username_and_email_together(client, alice):
    fail(client, "alice", 2)
    fail(client, "Alice@Example.org", 1)
    assert attempt(client, "alice@example.org", PASSWORD).status_code == 429
    assert attempt(client, "alice", PASSWORD).status_code == 429


def test_lockout_counts_look_alike_spellings_of_a_name_together(client, alice):
    fail(client, "\u0430lice", 2)  # Cyrillic а
    fail(client, "ALICE", 1)
    assert attempt(client, "alice", PASSWORD).status_code == 429


def test_non_ascii_name_signs_in_and_is_counted_in_any_case(client, db):
    make_user("älice")
    assert attempt(client, "ÄLICE", PASSWORD).status_code == 302  # SQLite's LIKE folds ASCII only
    client.logout()
    fail(client, "ÄLICE", 3)
    assert attempt(client, "älice", PASSWORD).status_code == 429


def test_lockout_of_one_account_leaves_another_alone(client, alice, bob):
    fail(client, "alice@example.org", 3)
    assert attempt(client, "bob", PASSWORD).status_code == 302


def test_unknown_names_are_counted_each_as_typed(client, alice):
    fail(client, "nobody", 2)
    fail(client, "nobody@example.org", 2)
    assert attempt(client, "alice", PASSWORD).status_code == 302
    assert LoginFailure.objects.filter(username="nobody").count() == 2
    assert LoginFailure.objects.filter(username="nobody@example.org").count() == 2


def form_errors(response) -> str:
    return re.search(r'<div class="form-errors"[^>]*>(.*?)</div>', response.content.decode(), re.S).group(1)


def test_lockout_of_an_unknown_name_looks_the_same(client, alice):
    fail(client, "nobody", 3)
    fail(client, "alice", 3, address="10.0.0.9")
    unknown = attempt(client, "nobody", "anything")
    known = attempt(client, "alice", PASSWORD, address="10.0.0.9")
    assert unknown.status_code == known.status_code == 429
    assert form_errors(unknown) == form_errors(known)


def test_attempts_while_locked_are_not_recorded(client, alice):
    fail(client, "alice", 3)
    attempt(client, "alice", PASSWORD)
    attempt(client, "alice", "wrong password")
    assert LoginFailure.objects.filter(username="alice").count() == 3


def test_lock_lifts_when_the_window_has_passed(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "alice", 3)
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = attempt(client, "alice", PASSWORD)
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(alice.pk)


def test_lock_holds_until_the_window_has_passed(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "alice", 3)
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert attempt(client, "alice", PASSWORD).status_code == 429


def test_one_address_is_locked_after_four_times_the_limit(client, alice):
    for number in range(12):
        assert attempt(client, f"guess{number}", "wrong password").status_code == 400
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_address_lock_leaves_other_addresses_alone(client, alice):
    for number in range(12):
        attempt(client, f"guess{number}", "wrong password")
    assert attempt(client, "alice", PASSWORD, address="10.0.0.2").status_code == 302


def test_successful_login_clears_that_names_failures(client, alice):
    fail(client, "alice", 2)
    fail(client, "nobody", 1)
    assert attempt(client, "alice", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="alice").exists()
    assert LoginFailure.objects.filter(username="nobody").count() == 1


def test_successful_login_by_email_clears_username_failures(client, alice):
    fail(client, "alice", 2)
    attempt(client, "alice@example.org", PASSWORD)
    assert not LoginFailure.objects.filter(username="alice").exists()


def test_old_failures_are_pruned_when_a_new_one_is_recorded(client):
    old = LoginFailure.objects.create(
        username="someone", ip_address="10.0.0.3", timestamp=timezone.now() - timedelta(minutes=16)
    )
    fail(client, "nobody", 1)
    assert not LoginFailure.objects.filter(pk=old.pk).exists()


def test_missing_or_odd_remote_address_is_counted_as_unknown():
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    assert throttling.client_address(request) == throttling.UNKNOWN_ADDRESS


def test_ipv6_addresses_are_recorded_as_given(client):
    fail(client, "nobody", 1, address="2001:db8::1")
    assert LoginFailure.objects.get(username="nobody").ip_address == "2001:db8::1"
