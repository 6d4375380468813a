"""The worker loop and the in-process background thread that `serve` starts."""

import threading

import pytest

from districtwiki.notifications import worker
from districtwiki.notifications.models import NotificationSettings

from .conftest import set_frequency

HOUR = 3600.0


@pytest.fixture
def stop_worker_after():
    yield
    worker.stop_background_worker()


def worker_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "districtwiki-worker"]


def test_starting_twice_runs_one_thread(stop_worker_after):
    first = worker.start_background_worker(interval=HOUR, delay=HOUR)
    second = worker.start_background_worker(interval=HOUR, delay=HOUR)
    assert second is first
    assert worker_threads() == [first.thread]


def test_the_thread_is_a_daemon(stop_worker_after):
    assert worker.start_background_worker(interval=HOUR, delay=HOUR).thread.daemon


def test_stopping_ends_the_thread():
    running = worker.start_background_worker(interval=HOUR, delay=HOUR)
    worker.stop_background_worker(timeout=10)
    assert not running.thread.is_alive()
    assert worker_threads() == []


def test_a_stopped_worker_can_be_started_again(stop_worker_after):
    first = worker.start_background_worker(interval=HOUR, delay=HOUR)
    worker.stop_background_worker(timeout=10)
    second = worker.start_background_worker(interval=HOUR, delay=HOUR)
    assert second.thread is not first.thread
    assert worker_threads() == [second.thread]


def test_external_worker_setting_starts_no_thread(settings):
    settings.WORKER = "external"
    assert worker.start_background_worker(interval=HOUR, delay=HOUR) is None
    assert worker_threads() == []


def test_background_thread_sends_due_digests(
    transactional_db, alice, notify_alice, mailoutbox, stop_worker_after
):
    set_frequency(alice, NotificationSettings.Frequency.IMMEDIATELY)
    notify_alice("bob mentioned you")
    running = worker.start_background_worker(interval=HOUR, delay=0)
    assert running.wait_for_pass(timeout=30)
    assert len(mailoutbox) == 1
    assert "bob mentioned you" in mailoutbox[0].body


def test_a_failing_pass_does_not_end_the_loop(monkeypatch):
    def broken_pass():
        raise RuntimeError("database gone")

    monkeypatch.setattr(worker, "run_pass", broken_pass)
    stop, passes = threading.Event(), []

    def count_pass():
        passes.append(1)
        if len(passes) == 2:
            stop.set()

    worker.run_forever(stop, interval=0, on_pass=count_pass)
    assert len(passes) == 2


def test_a_stopped_loop_runs_no_pass(monkeypatch):
    monkeypatch.setattr(worker, "run_pass", lambda: pytest.fail("a pass ran"))
    stop = threading.Event()
    stop.set()
    worker.run_forever(stop, interval=0, delay=HOUR)
