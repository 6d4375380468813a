"""The background worker: a pass every minute that sends the notification e-mail digests that are due, and
runs the tasks features register (register_pass_task).

It runs either as its own process (`districtwiki worker`, for deployments with several app servers) or as a
daemon thread inside `districtwiki serve` (start_background_worker; off with DISTRICTWIKI_WORKER=external).
Several workers at once are safe: each digest is claimed under a row lock before it is sent.
"""

import atexit
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from . import digest

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 60.0
# The in-process worker waits a little before its first pass: `serve` forks its HTTP workers just after
# starting it, and a fork during a pass would copy the pass's open database connection into them.
FIRST_PASS_DELAY_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 30.0


_pass_tasks: list[Callable[[], object]] = []


def register_pass_task(task: Callable[[], object]) -> None:
    """Add work to every pass, once (a feature's AppConfig.ready: events end the events that are over)."""
    if task not in _pass_tasks:
        _pass_tasks.append(task)


def run_pass() -> int:
    """Send every digest that is due now, then run the features' tasks; returns how many were sent."""
    sent = digest.send_due_digests()
    for task in _pass_tasks:
        try:
            task()
        except Exception:  # one feature's failure must not stop the digests or the other tasks
            logger.exception("The worker task %s failed; it runs again next pass", task.__qualname__)
    return sent


def run_forever(stop: threading.Event, interval: float = INTERVAL_SECONDS, delay: float = 0.0, on_pass=None):
    """Run a pass every `interval` seconds until `stop` is set. A failing pass is logged, not fatal."""
    if stop.wait(delay):
        return
    while True:
        try:
            run_pass()
        except Exception:  # any error: the next pass tries again, the loop must not die
            logger.exception("A notification worker pass failed; trying again in %s seconds", interval)
        finally:
            # Idle between passes without holding a database connection (this thread's only).
            connections.close_all()
        if on_pass is not None:
            on_pass()
        if stop.wait(interval):
            return


@dataclass
class BackgroundWorker:
    thread: threading.Thread
    stop: threading.Event
    passes: threading.Semaphore  # released after every pass

    def wait_for_pass(self, timeout: float) -> bool:
        """Block until a pass finishes (tests); False on timeout."""
        return self.passes.acquire(timeout=timeout)


_lock = threading.Lock()
_running: BackgroundWorker | None = None


def start_background_worker(
    interval: float = INTERVAL_SECONDS, delay: float = FIRST_PASS_DELAY_SECONDS
) -> BackgroundWorker | None:
    """Start the worker thread in this process, once; None when DISTRICTWIKI_WORKER=external."""
    global _running
    if settings.WORKER == "external":
        return None
    with _lock:
        if _running is not None and _running.thread.is_alive():
            return _running
        stop, passes = threading.Event(), threading.Semaphore(0)
        thread = threading.Thread(
            target=_thread_main, args=(stop, passes, interval, delay), name="districtwiki-worker", daemon=True
        )
        _running = BackgroundWorker(thread, stop, passes)
        thread.start()
        atexit.register(stop_background_worker)
    return _running


def _thread_main(stop: threading.Event, passes: threading.Semaphore, interval: float, delay: float) -> None:
    try:
        run_forever(stop, interval, delay, on_pass=passes.release)
    finally:
        connections.close_all()


def stop_background_worker(timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Ask the worker thread to stop and wait for its current pass to finish."""
    global _running
    with _lock:
        worker, _running = _running, None
    if worker is not None:
        worker.stop.set()
        worker.thread.join(timeout)
        atexit.unregister(stop_background_worker)
