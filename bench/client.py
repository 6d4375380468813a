"""Small HTTP helpers for the runner: fetch a page, sign in through the login form as a browser does."""

import http.client
import re
from dataclasses import dataclass
from urllib.parse import urlencode

TIMEOUT = 60


@dataclass
class Fetched:
    status: int
    body: bytes
    headers: dict[str, str]
    cookies: dict[str, str]


def fetch(port: int, path: str, cookie: str = "", method: str = "GET", form: dict | None = None) -> Fetched:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return Fetched(response.status, content, {k.lower(): v for k, v in response.getheaders()}, cookies)


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_in(port: int, username: str, password: str) -> str:
    """The Cookie header of a session signed in through /accounts/login/ (a real session cookie)."""
    form = fetch(port, "/accounts/login/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    if form.status != 200 or match is None:
        raise RuntimeError(f"the login form did not load ({form.status})")
    cookies = dict(form.cookies)
    fields = {"csrfmiddlewaretoken": match.group(1).decode(), "login": username, "password": password}
    answer = fetch(port, "/accounts/login/", cookie_header(cookies), "POST", fields)
    if answer.status != 302 or "sessionid" not in answer.cookies:
        raise RuntimeError(f"signing in as {username} failed ({answer.status})")
    cookies.update(answer.cookies)
    return cookie_header(cookies)
