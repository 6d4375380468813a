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


CONFIRM_LINK = re.compile(
    r"https?://[^/\s]+(/accounts/confirm/\S+/)"
)  # the path: the site URL is not the test server's


def confirmation_link(outbox) -> str:
    assert outbox, "no confirmation e-mail was sent"
    match = CONFIRM_LINK.search(outbox[-1].body)
    assert match, f"no confirmation link in the e-mail:\n{outbox[-1].body}"
    return match.group(1)


def select_text(page, selector: str, start: int, end: int) -> None:
    page.eval_on_selector(
        selector, "(el, [s, e]) => { el.focus(); el.setSelectionRange(s, e); }", [start, end]
    )


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, "(el, prop) => getComputedStyle(el)[prop]", prop)


# --- Accessibility (test_accessibility.py, test_keyboard.py) -------------------------------------------

# WCAG 2.1 level A and AA: the conformance target. axe's best-practice rules are advice, not failures.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    axe is injected once per document (Axe.run would inject its half-megabyte script on every run), so a
    page can be checked at several widths cheaply."""
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One block per rule: its id, impact and help, then the CSS targets of every failing element."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"      {' '.join(map(str, node['target']))}" for node in violation["nodes"]]
    return "\n".join(lines)


def save_artifacts(page, directory: Path, name: str) -> list[Path]:
    """A screenshot and the HTML of a failing page, for whoever reads the failure later."""
    directory.mkdir(parents=True, exist_ok=True)
    screenshot, html = directory / f"{name}.png", directory / f"{name}.html"
    page.screenshot(path=screenshot, full_page=True)
    html.write_text(page.content(), encoding="utf-8")
    return [screenshot, html]


FOCUS_INDICATOR = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0;
  const label = el.id ? "#" + el.id : el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
  return {label: label + " " + (el.textContent || el.value || "").trim().slice(0, 40),
          outline: outline, boxShadow: style.boxShadow};
}"""


def focus_indicator(page) -> dict | None:
    """The focused element's label and its outline width and box-shadow (None when nothing has focus)."""
    return page.evaluate(FOCUS_INDICATOR)
