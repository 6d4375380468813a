"""A time budget for every request: one that runs past it is stopped and answered 503, so no input (or bug)
can keep a worker busy long after its client has given up.

Every parser, diff and search step is bounded by design (docs/limits.md); this is the backstop. A watchdog
thread per process keeps each running request's deadline. When one passes, it raises RequestOverBudget in
the thread running that request (CPython's PyThreadState_SetAsyncExc): the exception surfaces at the next
Python instruction, so work done inside one C call (a regular expression, the HTML sanitiser) finishes that
call first. RequestOverBudget derives from BaseException so that Django's handler, which turns every
Exception into a 500, lets it through to TimeBudgetApplication; transaction.atomic rolls back on the way out.
"""

import ctypes
import functools
import html
import itertools
import json
import logging
import math
import sys
import threading
import time

from django.conf import settings
from django.db import connections
from django.templatetags.static import static

logger = logging.getLogger("districtwiki.timebudget")

SENTENCE = (
    "The server stopped this request because it ran longer than it may. "
    "Try again in a moment; if it keeps happening, try with less text."
)
JSON_REFUSAL = json.dumps({"detail": SENTENCE}).encode()


class RequestOverBudget(BaseException):
    """Raised in a request's thread by the watchdog when the request runs past its budget."""


class Watchdog:
    """Deadlines of the requests running in this process, and one daemon thread that enforces them.

    Arming a request wakes the thread only when the new deadline comes before the moment it already means
    to wake: with one budget for every request that is only when none was running, so a busy process does
    not pay for a thread switch on every request (its GIL hand-over cost a warm page view a fifth of its
    time). The thread wakes at the earliest deadline, stops what is past due and plans the next wake."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.running: dict[int, tuple[float, int]] = {}  # request token → (deadline, thread ident)
        self.planned = math.inf  # when the thread will next wake by itself
        self.tokens = itertools.count(1)
        self.thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        token = next(self.tokens)
        deadline = time.monotonic() + seconds
        with self.lock:
            self.running[token] = (deadline, threading.get_ident())
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.watch, name="request-watchdog", daemon=True)
                self.thread.start()
            if deadline < self.planned:
                self.planned = deadline
                self.wake.notify()
        return token

    def disarm(self, token: int) -> None:
        with self.lock:
            self.running.pop(token, None)

    def watch(self) -> None:
        with self.lock:
            while True:
                now = time.monotonic()
                for token, (deadline, thread_ident) in list(self.running.items()):
                    if deadline <= now:
                        del self.running[token]
                        interrupt(thread_ident)
                self.planned = min((deadline for deadline, _ in self.running.values()), default=math.inf)
                self.wake.wait(timeout=None if self.planned == math.inf else self.planned - now)


def interrupt(thread_ident: int) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_ident), ctypes.py_object(RequestOverBudget)
    )


@functools.cache
def html_refusal() -> bytes:
    """The 503 page, in the site's look; made without templates or the database, which may be what is
    stuck, and once per process."""
    site = html.escape(settings.SITE_NAME)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>That took too long · {site}</title>\n"
        f'<link rel="stylesheet" href="{static("districtwiki/wiki.css")}">\n</head>\n<body>\n'
        '<header class="site-header" role="banner"><div class="site-header-inner">'
        f'<a class="site-name" href="/">{site}</a></div></header>\n'
        '<main id="content" class="layout-reading error-layout error-busy"><h1>That took too long</h1>'
        f'<p class="error-message">{SENTENCE}</p>\n'
        '<p><a href="/">Go to the home page</a></p></main>\n</body>\n</html>\n'
    ).encode()


class TimeBudgetApplication:
    """WSGI middleware: the application's call for a request must end within `seconds`."""

    def __init__(self, application, seconds: float) -> None:
        self.application, self.seconds = application, seconds
        self.watchdog = Watchdog()

    def __call__(self, environ, start_response):
        started = time.monotonic()
        try:
            token = self.watchdog.arm(self.seconds)
            try:
                return self.application(environ, start_response)
            finally:
                self.watchdog.disarm(token)
        except RequestOverBudget:
            return self.refuse(environ, start_response, time.monotonic() - started)

    def refuse(self, environ, start_response, elapsed: float):
        # The request's database connections may be mid-statement: this thread starts afresh.
        connections.close_all()
        path = environ.get("PATH_INFO", "")
        route = f"{environ.get('REQUEST_METHOD', '')} {path}"
        logger.error("Request stopped after %.1f s (budget %d s): %s", elapsed, self.seconds, route)
        machine = path.startswith("/api/")
        body = JSON_REFUSAL if machine else html_refusal()
        headers = [
            ("Content-Type", "application/json" if machine else "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Retry-After", "30"),
            ("Cache-Control", "no-store"),
        ]
        start_response("503 Service Unavailable", headers, sys.exc_info())
        return [body]
