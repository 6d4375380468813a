"""Run wrk against one server with bench/paths.lua and read its figures.

Every scenario of every server (districtwiki, the floor, nginx, the peers) goes through `measure`, with the
same settings: wrk pinned to the load generator's core, one thread, CONNECTIONS connections, DURATION.
"""

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "paths.lua"
SEED = "20261128"


@dataclass(frozen=True)
class Load:
    """How hard and how long wrk pushes: the same for every server in a run."""

    duration: str = "5s"
    connections: int = 16
    threads: int = 1
    cpus: str = "1"  # the core wrk runs on; servers get the other one
    timeout: str = "10s"  # slow peers answer in seconds; wrk's 2 s default would count them as errors


class WrkFailed(RuntimeError):
    pass


def measure(base_url: str, paths: list[str], load: Load, cookie: str = "") -> dict:
    """Requests/s and latency percentiles (ms) for random requests among `paths` on `base_url`."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    env = {**os.environ, "WRK_PATHS": listing.name, "WRK_SEED": SEED, "WRK_COOKIE": cookie}
    command = ["taskset", "-c", load.cpus, "wrk", f"-t{load.threads}", f"-c{load.connections}"]
    command += [f"-d{load.duration}", f"--timeout={load.timeout}", "--latency", "-s", str(LUA), base_url]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    finally:
        os.unlink(listing.name)
    line = next((x for x in finished.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if finished.returncode != 0 or line is None:
        raise WrkFailed(f"wrk failed ({finished.returncode}): {(finished.stderr or finished.stdout)[-500:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    if raw["requests"] == 0:
        raise WrkFailed(f"no request was answered within {load.duration}")
    return summarise(raw)


def summarise(raw: dict) -> dict:
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "kilobytes_per_request": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1),
        "non_2xx_3xx": raw["non_2xx_3xx"],
        "socket_errors": errors,
    }
