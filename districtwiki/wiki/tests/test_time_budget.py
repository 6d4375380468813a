"""The request time budget (districtwiki/timebudget.py): a request past it is stopped with a 503 and a log
line naming its route, and the worker goes on serving."""

import logging
import threading
import time

from districtwiki.timebudget import TimeBudgetApplication


def spin(environ, start_response):
    while True:  # pure Python: the watchdog's exception surfaces here
        pass


def quick(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"done"]


class StartResponse:
    def __call__(self, status, headers, exc_info=None):
        self.status, self.headers = status, dict(headers)


def call(application, path="/diff/Page", method="GET"):
    start_response = StartResponse()
    body = b"".join(application({"PATH_INFO": path, "REQUEST_METHOD": method}, start_response))
    return start_response, body


def test_request_past_its_budget_is_stopped_with_503_and_logged(caplog, db):
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="districtwiki.timebudget"):
        response, body = call(TimeBudgetApplication(spin, 0.3))
    assert time.monotonic() - started < 5
    assert response.status == "503 Service Unavailable"
    assert response.headers["Retry-After"] == "30"
    assert b"<h1>That took too long</h1>" in body
    assert b'<link rel="stylesheet" href="/static/districtwiki/wiki.css">' in body
    assert "Request stopped after" in caplog.text and "GET /diff/Page" in caplog.text


def test_api_requests_get_the_sentence_as_json(db):
    response, body = call(TimeBudgetApplication(spin, 0.2), path="/api/v1/pages/A", method="PUT")
    assert response.headers["Content-Type"] == "application/json"
    assert b'"detail": "The server stopped this request' in body


def test_requests_within_the_budget_are_untouched_and_never_interrupted_later():
    application = TimeBudgetApplication(quick, 0.2)
    assert call(application)[1] == b"done"
    deadline = time.monotonic() + 0.6
    while time.monotonic() < deadline:  # long past the first request's deadline: nothing is raised here
        pass
    assert [call(application)[1] for _ in range(3)] == [b"done"] * 3


def test_the_same_thread_serves_again_after_a_stopped_request(db):
    application = TimeBudgetApplication(spin, 0.2)
    assert call(application)[0].status.startswith("503")
    application.application = quick
    assert call(application)[1] == b"done"


def test_a_busy_process_does_not_wake_the_watchdog_for_every_request(monkeypatch):
    """Arming wakes the watchdog thread only for a deadline earlier than its next wake: after the first
    request of a busy spell, none (each wake is a thread switch on the request's path)."""
    application = TimeBudgetApplication(quick, 30)
    watchdog = application.watchdog
    waiting = threading.Event()
    wait = watchdog.wake.wait
    monkeypatch.setattr(watchdog.wake, "wait", lambda timeout: waiting.set() or wait(timeout))

    def first(environ, start_response):  # runs until the new thread has planned its wake by this request
        assert waiting.wait(timeout=10)
        return quick(environ, start_response)

    application.application = first
    assert call(application)[1] == b"done"
    application.application = quick
    wakes = []
    notify = application.watchdog.wake.notify
    monkeypatch.setattr(application.watchdog.wake, "notify", lambda: wakes.append(1) or notify())
    for _ in range(200):
        assert call(application)[1] == b"done"
    assert wakes == []
    assert application.watchdog.running == {}


def test_a_shorter_budget_armed_behind_a_longer_one_is_still_kept(db):
    """The watchdog plans its wake for a long deadline; a request armed later with a shorter budget wakes
    it, and is stopped on time."""
    patient = TimeBudgetApplication(quick, 60)
    watchdog = patient.watchdog
    long_token = watchdog.arm(60)
    hasty = TimeBudgetApplication(spin, 0.3)
    hasty.watchdog = watchdog
    started = time.monotonic()
    assert call(hasty)[0].status.startswith("503")
    assert time.monotonic() - started < 5
    assert long_token in watchdog.running  # the long request goes on
    watchdog.disarm(long_token)
