"""Helpers for the Playwright browser tests (test_browser.py): launching Debian's Chromium, watching a page
for console errors and Content-Security-Policy violations, and signing a browser context in."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
SCREENSHOT_DIR = Path("/tmp")


def launch_chromium(playwright):
    """Debian's Chromium; its absence fails the test run loudly (a skipped browser test proves nothing)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's chromium package "
            "(apt-get install chromium).",
            pytrace=False,
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class PageWatch:
    """Everything a page said that a user or the CSP would object to.

    Chromium reports a CSP violation ("Refused to apply inline style…") as a console error, so an empty
    `errors` list means no violations as well as no script errors. Error statuses of the page itself (the
    409 of an edit conflict) are expected by the test that causes them, via `allow`."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def on_console(self, message) -> None:
        if message.type == "error" and not any(p.search(message.text) for p in self.allowed):
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.errors.append(f"uncaught: {error}")

    def on_response(self, response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.errors.append(f"static file {response.url} answered {response.status}")

    def on_dialog(self, dialog) -> None:
        """Record every dialog and accept it, so that an unexpected one fails an assertion, not a timeout."""
        self.dialogs.append(dialog.type)
        dialog.accept()


def watched_page(context, watch: PageWatch):
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.on("response", watch.on_response)
    page.on("dialog", watch.on_dialog)
    return page


def sign_in(context, base_url: str, user) -> None:
    """Give a browser context a session for `user` without going through the sign-in form."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm/\S+/")


def confirmation_link(outbox) -> str:
    assert outbox, "no confirmation e-mail was sent"
    match = CONFIRM_LINK.search(outbox[-1].body)
    assert match, f"no confirmation link in the e-mail:\n{outbox[-1].body}"
    return match.group(0)


def select_text(page, selector: str, start: int, end: int) -> None:
    page.eval_on_selector(
        selector, "(el, [s, e]) => { el.focus(); el.setSelectionRange(s, e); }", [start, end]
    )


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, "(el, prop) => getComputedStyle(el)[prop]", prop)
