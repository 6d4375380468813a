"""The ASGI server process that `districtwiki serve` runs beside its WSGI workers, for the live rooms'
WebSockets (DESIGN.md, Serving: pages never go through Django's ASGI handler).

It is uvicorn (with the websockets library, per-message compression off) by default, or granian's ASGI
interface: measured with bench/chat.py (README, "Live rooms"), granian's WebSocket connections cost about
150 KB each and uvicorn's about 45 KB, with compression, which also costs CPU on every frame, about 150 KB.
It runs in a child process of the supervisor, in the supervisor's process group, so
that Ctrl+C in the terminal and a `kill` of the group reach it like the WSGI workers. The supervisor starts
stopping it the moment it is told to stop (not after the WSGI workers are gone), so both stop within one
grace period; a process that exits on its own is started again after a pause.
"""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import suppress

log = logging.getLogger(__name__)

APPLICATION = "districtwiki.asgi:application"
RESTART_PAUSE = 1.0  # seconds before an ASGI process that exited on its own is started again
RELAY_VARIABLE = "DISTRICTWIKI_WEBSOCKET_RELAY_URL"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAX_FRAME_BYTES = 128 * 1024


class WebSocketServer:
    def __init__(self, host: str, port: int, workers: int, grace_seconds: int, kind: str = "uvicorn"):
        self.kind = kind
        self.host = host
        self.port = port
        self.workers = workers
        self.grace_seconds = grace_seconds
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def command(self) -> list[str]:
        return COMMANDS[self.kind](self)

    def environment(self) -> dict[str, str]:
        # The relay is how the WSGI workers reach this process; the process itself publishes directly.
        return {name: value for name, value in os.environ.items() if name != RELAY_VARIABLE}

    def start(self) -> "WebSocketServer":
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="websocket-server", daemon=True)
        self._watcher.start()
        return self

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.process = subprocess.Popen(
                self.command(), env=self.environment(), stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
            )

    def _watch(self) -> None:
        """Start the ASGI process again whenever it exits without being told to."""
        while not self._stopping.is_set():
            status = self.process.wait()
            if self._stopping.is_set():
                return
            print(
                f"districtwiki: the WebSocket server exited with status {status}; starting it again.",
                file=sys.stderr,
                flush=True,
            )
            if self._stopping.wait(RESTART_PAUSE):
                return
            self._spawn()

    def begin_stop(self) -> None:
        """Ask the ASGI process to stop (SIGTERM: granian closes its connections and exits)."""
        with self._lock:
            self._stopping.set()
            if self.process is not None and self.process.poll() is None:
                with suppress(ProcessLookupError):
                    self.process.send_signal(signal.SIGTERM)
        self._stop_started = time.monotonic()

    def finish_stop(self) -> None:
        """Wait for it within the grace period (counted from begin_stop), then kill it and its workers."""
        if self.process is None:
            return
        if not self._stopping.is_set():
            self.begin_stop()
        left = max(self.grace_seconds + 1 - (time.monotonic() - self._stop_started), 0.1)
        try:
            self.process.wait(timeout=left)
        except subprocess.TimeoutExpired:
            for pid in [*child_processes(self.process.pid), self.process.pid]:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait()


def granian_command(server: WebSocketServer) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asginl",  # no lifespan protocol: the consumers need no start-up hook
        "--host",
        server.host,
        "--port",
        str(server.port),
        "--workers",
        str(server.workers),
        "--workers-kill-timeout",
        str(server.grace_seconds),
        "--log-level",
        "warning",
        APPLICATION,
    ]


def uvicorn_command(server: WebSocketServer) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", "--host", server.host, "--port", str(server.port)]
    command += ["--lifespan", "off", "--ws", "websockets-sansio", "--ws-per-message-deflate", "false"]
    # A frame larger than any message can be (4,000 characters, JSON-escaped) is refused by uvicorn before it
    # is held in memory whole; smaller oversize frames get the consumer's sentence.
    command += ["--ws-max-size", str(MAX_FRAME_BYTES), "--log-level", "warning", "--no-access-log"]
    command += ["--timeout-graceful-shutdown", str(server.grace_seconds)]
    if server.workers > 1:
        command += ["--workers", str(server.workers)]
    return [*command, APPLICATION]


COMMANDS = {"uvicorn": uvicorn_command, "granian": granian_command}


def _die_with_parent() -> None:
    """Linux's parent-death signal: a supervisor killed with -9 takes its ASGI process with it instead of
    leaving it holding the port."""
    with suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def child_processes(pid: int) -> list[int]:
    """The direct children of `pid` (granian's workers of the ASGI process)."""
    children = []
    with suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as listing:
                children.extend(int(child) for child in listing.read().split())
    return children
