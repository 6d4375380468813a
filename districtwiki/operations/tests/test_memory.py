"""The serving processes' memory: glibc's arenas limited for request threads."""

import os
import platform
import subprocess
import sys

import pytest

from districtwiki import memory

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt's arenas are glibc's")

# Eight threads allocate at once, as a worker's request threads do; malloc_stats() then lists one
# "Arena N:" block per arena on standard error.
THREADS = """
import ctypes, sys, threading
from districtwiki import memory
if sys.argv[1] == "limited":
    assert memory.limit_arenas()
barrier = threading.Barrier(8)
def work():
    barrier.wait()
    kept = [bytearray(200) for _ in range(20_000)]
threads = [threading.Thread(target=work) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()
"""


def arenas(mode: str, **environment: str) -> int:
    env = {key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"} | environment
    finished = subprocess.run(
        [sys.executable, "-c", THREADS, mode], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return finished.stderr.count("Arena ")


def test_threads_share_at_most_two_arenas_once_limited():
    assert arenas("unlimited") > memory.ARENAS  # the default: an arena per thread, up to 8 per core
    assert arenas("limited") <= memory.ARENAS


def test_an_operators_malloc_arena_max_is_left_alone(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_arenas() is False
    assert arenas("unlimited", MALLOC_ARENA_MAX="4") <= 4
