"""How the app processes of `districtwiki serve` ask the C library for memory.

glibc's malloc gives each thread its own arena when it first allocates, up to eight per core, and each arena
keeps the memory freed in it for its own later use. A worker runs its requests on several threads (granian's
blocking threads), so without a limit each of them grows an arena of its own, most of it free but held.
Python's threads take turns under one lock anyway, so two arenas cost no measurable contention; measured
with bench/run.py in docs/deploy.md ("Memory").
"""

import ctypes
import os
import platform

ARENAS = 2
M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Ask glibc for at most `arenas` arenas in this process and the workers it forks afterwards. Not on
    another C library, nor when the operator set MALLOC_ARENA_MAX (glibc read it as the process started).
    Whether the limit was set."""
    if os.environ.get("MALLOC_ARENA_MAX") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(M_ARENA_MAX, arenas) == 1
