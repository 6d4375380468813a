"""The client address behind reverse proxies (DISTRICTWIKI_TRUSTED_PROXIES): X-Forwarded-For is believed
only from a trusted proxy, and only as far left as the first address that is not one."""

import ipaddress
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from conftest import PASSWORD
from districtwiki.accounts import throttling
from districtwiki.accounts.models import LoginFailure
from districtwiki.settings import env_networks

NGINX = "127.0.0.1"
CLIENT = "198.51.100.7"
OTHER_CLIENT = "203.0.113.9"


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(NGINX), ipaddress.ip_network("10.0.0.0/8"))


def address_of(remote_addr: str, forwarded_for: str | None = None) -> str:
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return throttling.client_address(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ()
    assert address_of(CLIENT, forwarded_for=OTHER_CLIENT) == CLIENT


def test_a_request_from_a_trusted_proxy_counts_the_address_it_forwarded(behind_nginx):
    assert address_of(NGINX, forwarded_for=CLIENT) == CLIENT


def test_a_direct_client_cannot_claim_another_address(behind_nginx):
    assert address_of(CLIENT, forwarded_for=OTHER_CLIENT) == CLIENT


def test_addresses_a_client_wrote_left_of_the_proxys_entry_are_never_read(behind_nginx):
    # The client sent "X-Forwarded-For: 203.0.113.9, 127.0.0.1"; nginx appended the address it saw.
    assert address_of(NGINX, forwarded_for=f"{OTHER_CLIENT}, {NGINX}, {CLIENT}") == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_nginx):
    # load balancer 10.0.0.1 → nginx 10.0.0.2 → app
    assert address_of("10.0.0.2", forwarded_for=f"{OTHER_CLIENT}, {CLIENT}, 10.0.0.1") == CLIENT


def test_a_request_that_only_passed_trusted_proxies_counts_the_innermost_one(behind_nginx):
    assert address_of(NGINX, forwarded_for="10.0.0.1") == "10.0.0.1"


def test_a_trusted_proxy_without_a_forwarded_header_is_the_client(behind_nginx):
    assert address_of(NGINX) == NGINX
    assert address_of(NGINX, forwarded_for="") == NGINX


def test_a_malformed_entry_added_by_a_trusted_proxy_counts_as_unknown(behind_nginx):
    assert address_of(NGINX, forwarded_for=f"{CLIENT}, not-an-address") == throttling.UNKNOWN_ADDRESS


def test_a_malformed_entry_written_by_the_client_is_ignored(behind_nginx):
    assert address_of(NGINX, forwarded_for=f"<script>, {CLIENT}") == CLIENT


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("fd00::/8"),)
    assert address_of("fd00::2", forwarded_for=f"{CLIENT}, 2001:db8::5") == "2001:db8::5"
    assert address_of("2001:db8::5", forwarded_for=CLIENT) == "2001:db8::5"


def test_an_ipv4_mapped_address_counts_as_ipv4(behind_nginx):
    assert address_of("::ffff:127.0.0.1", forwarded_for=CLIENT) == CLIENT
    assert address_of("::ffff:198.51.100.7") == CLIENT


# --- The setting


def test_the_setting_accepts_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("DISTRICTWIKI_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8,,::1 ")
    assert env_networks("TRUSTED_PROXIES") == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    )


def test_the_setting_is_empty_by_default(monkeypatch):
    monkeypatch.delenv("DISTRICTWIKI_TRUSTED_PROXIES", raising=False)
    assert env_networks("TRUSTED_PROXIES") == ()


@pytest.mark.parametrize("raw", ["nginx.local", "10.0.0.1/8", "127.0.0.1 10.0.0.1", "300.1.1.1"])
def test_an_invalid_setting_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DISTRICTWIKI_TRUSTED_PROXIES", raw)
    with pytest.raises(ImproperlyConfigured, match="DISTRICTWIKI_TRUSTED_PROXIES="):
        env_networks("TRUSTED_PROXIES")


def test_the_command_refuses_to_start_with_an_invalid_setting(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", "check"],
        env={
            "PATH": "/usr/bin:/bin",
            "DISTRICTWIKI_DATA_DIR": str(tmp_path),
            "DISTRICTWIKI_TRUSTED_PROXIES": "nginx",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert finished.stderr.startswith(
        "districtwiki: configuration error: DISTRICTWIKI_TRUSTED_PROXIES='nginx'"
    )
    assert len(finished.stderr.strip().splitlines()) == 1


# --- Sign-in lock-out by address, behind nginx


def fail_from(client, address: str, forwarded_for: str, times: int) -> None:
    for number in range(times):
        response = client.post(
            "/accounts/login/",
            {"login": f"nobody{number}", "password": "wrong password"},
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        assert response.status_code == 400


def sign_in_from(client, address: str, forwarded_for: str):
    return client.post(
        "/accounts/login/",
        {"login": "alice", "password": PASSWORD},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def low_limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # an address is locked after 2 × 4 = 8 failures


@pytest.mark.django_db
def test_locking_one_client_behind_nginx_does_not_lock_another(client, alice, behind_nginx, low_limits):
    fail_from(client, NGINX, CLIENT, 8)
    assert sign_in_from(client, NGINX, CLIENT).status_code == 429
    assert sign_in_from(client, NGINX, OTHER_CLIENT).status_code == 302
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {CLIENT}


@pytest.mark.django_db
def test_a_locked_client_cannot_escape_by_forging_the_header(client, alice, behind_nginx, low_limits):
    fail_from(client, NGINX, CLIENT, 8)
    forged = f"{OTHER_CLIENT}, {CLIENT}"  # the client sent "X-Forwarded-For: 203.0.113.9"; nginx appended
    assert sign_in_from(client, NGINX, forged).status_code == 429
    assert sign_in_from(client, CLIENT, OTHER_CLIENT).status_code == 429  # straight to the app
    assert LoginFailure.objects.count() == 8  # refused attempts are not recorded


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lock(
    client, alice, settings, low_limits
):
    settings.TRUSTED_PROXIES = ()
    fail_from(client, CLIENT, "10.0.0.1", 8)
    assert sign_in_from(client, CLIENT, OTHER_CLIENT).status_code == 429
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {CLIENT}
