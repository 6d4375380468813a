"""Two app servers on one database (and one Redis when REDIS_URL is set), as a scaled-out site runs: what one
process writes, the other shows at once (with Redis, as soon as the change's announcement reaches it:
wiki/stampcache.py); a session made on one is valid on the other; search on one finds what was saved through
the other. Nothing a process keeps in its own memory may be needed by the other."""

import http.client
import os
import re
import time
from urllib.parse import urlencode

import pytest

from . import server
from .server import LiveServer, page_path


@pytest.fixture(params=server.DATABASES)
def servers(request, tmp_path):
    with server.server_storage(request.param, tmp_path / "data") as storage:
        first = LiveServer(storage, workers=1).start()  # migrates and loads the starter pages first
        try:
            second = LiveServer(storage, workers=1).start()
            try:
                yield first, second
            finally:
                second.stop()
        finally:
            first.stop()


# With Redis, each process keeps the page stamps it has read until a change is announced to it; Redis
# delivers the announcement in well under a millisecond, and a loaded machine may take longer to read it.
# Without Redis every view asks the database: the first view after the edit must show it.
ANNOUNCEMENT_BOUND = 2.0 if os.environ.get("REDIS_URL") else 0.0


def seen_within(live: LiveServer, path: str, text: str, seconds: float) -> http.client.HTTPResponse:
    """The first anonymous view of `path` that shows `text`, asked for until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        page = browser_get(live, path, {})
        if text in page.body or time.monotonic() >= deadline:
            return page
        time.sleep(0.005)


def browser_get(live: LiveServer, path: str, cookies: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=server.REQUEST_TIMEOUT)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.body = response.read().decode(errors="replace")
    connection.close()
    return response


def set_cookies(response: http.client.HTTPResponse, cookies: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]


def sign_in(live: LiveServer, username: str, password: str) -> dict[str, str]:
    """Sign in through the HTML form, as a browser does; the cookies it ends with."""
    cookies: dict[str, str] = {}
    form = browser_get(live, "/accounts/login/", cookies)
    set_cookies(form, cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=server.REQUEST_TIMEOUT)
    body = urlencode({"csrfmiddlewaretoken": token, "login": username, "password": password})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
    }
    connection.request("POST", "/accounts/login/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 302, f"sign-in failed with {response.status}"
    set_cookies(response, cookies)
    assert "sessionid" in cookies
    return cookies


def test_an_edit_through_one_process_is_seen_through_the_other(servers):
    first, second = servers
    key = first.create_members("scale", 1)[0]
    created = first.call(
        "PUT",
        page_path("Shared budget"),
        {"content": "Version one [[Nowhere yet]].", "base_revision": None},
        key=key,
    )
    assert created.status == 201, created.body
    assert "Version one" in second.call("GET", page_path("Shared budget")).json["content"]
    # Both processes now hold the anonymous view in their shared page cache.
    for live in (second, first, second):
        page = browser_get(live, "/wiki/Shared_budget", {})
        assert "Version one" in page.body
    assert page.headers["X-Cache"] == "hit"

    revision = created.json["revision"]["id"]
    edited = first.call(
        "PUT",
        page_path("Shared budget"),
        {"content": "Version two [[Nowhere yet]].", "base_revision": revision},
        key=key,
    )
    assert edited.status == 200, edited.body
    page = seen_within(second, "/wiki/Shared_budget", "Version two", ANNOUNCEMENT_BOUND)
    assert page.status == 200
    assert "Version two" in page.body and "Version one" not in page.body
    assert 'class="wikilink new"' in page.body
    assert browser_get(second, "/wiki/Shared_budget", {}).headers["X-Cache"] == "hit"

    assert (
        first.call(
            "PUT", page_path("Nowhere yet"), {"content": "Now it exists.", "base_revision": None}, key=key
        ).status
        == 201
    )
    page = browser_get(second, "/wiki/Shared_budget", {})
    assert 'class="wikilink new"' not in page.body  # the link turned blue in the other process at once


def test_a_session_made_on_one_process_is_valid_on_the_other(servers):
    first, second = servers
    cookies = sign_in(first, "admin", server.ADMIN_PASSWORD)
    settings_page = browser_get(second, "/accounts/settings/", cookies)
    assert settings_page.status == 200
    assert "admin" in settings_page.body


def test_search_on_one_process_finds_what_was_saved_through_the_other(servers):
    first, second = servers
    key = first.create_members("finder", 1)[0]
    body = {"content": "The quetzalcoatlus inventory lives here.", "base_revision": None}
    assert first.call("PUT", page_path("Unusual inventory"), body, key=key).status == 201
    found = second.call("GET", "/api/v1/search?q=quetzalcoatlus")
    assert found.status == 200
    assert [hit["title"] for hit in found.json["hits"]] == ["Unusual inventory"]
