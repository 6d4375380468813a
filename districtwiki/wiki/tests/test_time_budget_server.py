"""The time budget in a real `districtwiki serve`: a request past it gets a 503 and a log line, nothing it
began is kept, and no worker is left busy, also after the client gave up waiting."""

import contextlib
import http.client
import json
import time
from pathlib import Path

import pytest

from . import server
from .pathological import corpus
from .server import page_path

# A wide table of 1 MiB (the test server allows such pages): rendering it takes several seconds here, so
# a one-second budget stops its save long before it would end.
PAGE_LIMIT = 1024 * 1024
SLOW_TEXT = corpus(PAGE_LIMIT)["wide table"]


@pytest.fixture(scope="module", params=server.DATABASES)
def live(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp(f"time-budget-{request.param}")
    with server.server_storage(request.param, data_dir) as storage:
        storage.settings["DISTRICTWIKI_REQUEST_TIME_LIMIT"] = "1"
        storage.settings["DISTRICTWIKI_MAX_PAGE_BYTES"] = str(PAGE_LIMIT)
        with server.running_server(storage) as running:
            yield running


def group_cpu_seconds(pgid: int) -> float:
    """User and system CPU time of every process in the server's group, from /proc."""
    total = 0.0
    for pid in server.live_group_members(pgid):
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(stat[11]) + int(stat[12])) / 100  # utime, stime in clock ticks (USER_HZ = 100)
    return total


def idle_cpu(live, seconds: float = 1.0) -> float:
    before = group_cpu_seconds(live.process.pid)
    time.sleep(seconds)  # measuring a child process over real time: there is no clock to freeze
    return group_cpu_seconds(live.process.pid) - before


def wait_for_stops(live, route: str, count: int, within: float) -> None:
    """Until the log has `count` stopped requests for `route`; a stop that does not come within `within`
    seconds (the budget is one) fails. Waiting on the log rather than a fixed time keeps a loaded machine,
    where the stop lands late, from reading a worker still in its refusal as busy."""
    deadline = time.monotonic() + within
    while stops_logged(live, route) < count:
        assert time.monotonic() < deadline, f"fewer than {count} stops of {route} logged" + live.log_tail()
        time.sleep(0.05)  # polling a child's log file: there is no clock to freeze


def stops_logged(live, route: str) -> int:
    lines = live.log_tail(400).splitlines()
    return sum(1 for line in lines if "Request stopped after" in line and line.endswith(route))


def test_a_request_past_the_budget_gets_503_and_keeps_nothing(live):
    key = live.create_members("slow", 1)[0]
    started = time.monotonic()
    reply = live.call("PUT", page_path("Too slow"), {"content": SLOW_TEXT, "base_revision": None}, key)
    assert reply.status == 503, reply.body
    assert "stopped this request" in reply.json["detail"]
    assert time.monotonic() - started < 10
    assert live.call("GET", page_path("Too slow")).status == 404
    assert "Request stopped after" in live.log_tail() and "PUT /api/v1/pages/Too_slow" in live.log_tail()
    saved = live.call("PUT", page_path("Quick"), {"content": "fine", "base_revision": None}, key)
    assert saved.status == 201


def test_no_worker_stays_busy_after_its_client_gives_up(live):
    key = live.create_members("quitter", 1)[0]
    body = json.dumps({"content": SLOW_TEXT, "base_revision": None}).encode()
    for _ in range(2):  # one slow request for each worker, each abandoned after 0.2 s
        connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=0.2)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        connection.request("PUT", page_path("Abandoned"), body=body, headers=headers)
        with contextlib.suppress(TimeoutError):
            connection.getresponse()
        connection.close()
    wait_for_stops(live, "PUT /api/v1/pages/Abandoned", count=2, within=10)
    time.sleep(0.5)  # the 503 itself: its worker is answering a client that has gone
    assert idle_cpu(live) < 0.5
    assert live.call("GET", "/healthz", timeout=5).status == 200
