"""`districtwiki serve`'s options for the live rooms' ASGI process, refused with one line when they cannot
work."""

import os
import subprocess
import sys

from districtwiki.cli import serve_parser


def serve(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISTRICTWIKI_") and k != "REDIS_URL"}
    return subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", "serve", *arguments],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_live_rooms_listen_on_the_next_port_by_default():
    parsed = serve_parser().parse_args(["--port", "8400"])
    assert (parsed.websocket_port, parsed.websocket_server, parsed.websocket_workers) == (None, "uvicorn", 1)


def test_the_same_port_for_pages_and_live_rooms_is_refused(tmp_path):
    finished = serve("--port", "8400", "--websocket-port", "8400", DISTRICTWIKI_DATA_DIR=str(tmp_path))
    assert finished.returncode == 2
    assert finished.stderr == "districtwiki: --websocket-port must differ from --port (8400).\n"


def test_several_live_room_processes_need_redis(tmp_path):
    finished = serve("--port", "8400", "--websocket-workers", "2", DISTRICTWIKI_DATA_DIR=str(tmp_path))
    assert finished.returncode == 2
    assert finished.stderr == (
        "districtwiki: --websocket-workers above 1 needs REDIS_URL: "
        "the in-memory channel layer is one process's.\n"
    )


def test_an_unknown_live_rooms_server_is_refused(tmp_path):
    finished = serve(
        "--port", "8400", DISTRICTWIKI_DATA_DIR=str(tmp_path), DISTRICTWIKI_WEBSOCKET_SERVER="daphne"
    )
    assert finished.returncode == 2
    assert (
        finished.stderr
        == "districtwiki: DISTRICTWIKI_WEBSOCKET_SERVER='daphne' must be uvicorn or granian.\n"
    )


def test_an_empty_live_rooms_server_setting_means_the_default(monkeypatch):
    monkeypatch.setenv("DISTRICTWIKI_WEBSOCKET_SERVER", " ")
    assert serve_parser().parse_args([]).websocket_server == "uvicorn"
