"""Save scenarios: HTTP clients that edit pages through the REST API with a member's bearer token.

Each save is a PUT /api/v1/pages/<title> with the page's whole new text and the revision it is based on, as
an editor's browser or a bot sends it; the reply carries the new revision, which is the base of the next
save. Only the PUTs are timed (the GET that learns a page's first base revision is not).
"""

import http.client
import json
import statistics
import threading
import time
from urllib.parse import quote

TIMEOUT = 60


class Saver:
    """One member on one keep-alive connection, saving pages one after another."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.bases: dict[str, tuple[int, str]] = {}  # title -> (revision id, text)

    def request(self, method: str, title: str, body: dict | None = None) -> tuple[int, dict]:
        path = "/api/v1/pages/" + quote(title.replace(" ", "_"), safe="/")
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, {"detail": raw[:200].decode(errors="replace")}

    def save(self, title: str, number: int) -> float:
        """Seconds the PUT took; RuntimeError when the wiki refused it."""
        if title not in self.bases:
            status, page = self.request("GET", title)
            if status != 200:
                raise RuntimeError(f"GET {title}: {status} {page}")
            self.bases[title] = (page["revision"]["id"], page["content"])
        base, text = self.bases[title]
        text = f"{text}\n\nBenchmark edit {number}."
        started = time.perf_counter()
        status, reply = self.request(
            "PUT", title, {"content": text, "base_revision": base, "summary": "bench"}
        )
        seconds = time.perf_counter() - started
        if status not in (200, 201) or not reply.get("changed"):
            self.bases.pop(title, None)
            raise RuntimeError(f"PUT {title}: {status} {str(reply)[:200]}")
        self.bases[title] = (reply["revision"]["id"], reply["content"])
        return seconds

    def close(self) -> None:
        self.connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def sequential(port: int, token: str, titles: list[str], seconds: float) -> dict:
    """One saver editing `titles` in turn for `seconds`: latency of each save."""
    saver = Saver(port, token)
    latencies, errors, number = [], [], 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            title = titles[number % len(titles)]
            number += 1
            try:
                latencies.append(saver.save(title, number))
            except (RuntimeError, OSError) as error:
                errors.append(str(error))
    finally:
        saver.close()
    if not latencies:
        return {"saves": 0, "errors": len(errors), "first_error": errors[0] if errors else ""}
    return {
        "saves": len(latencies),
        "saves_per_second": round(len(latencies) / sum(latencies), 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def concurrent(port: int, tokens: list[str], titles: list[str], seconds: float) -> dict:
    """len(tokens) savers at once, each on its own connection and its own page, for `seconds`."""
    counts = [0] * len(tokens)
    latencies: list[list[float]] = [[] for _ in tokens]
    errors: list[str] = []
    start = threading.Barrier(len(tokens) + 1)
    deadline = [0.0]

    def work(index: int) -> None:
        saver = Saver(port, tokens[index])
        title = titles[index % len(titles)]
        try:
            saver.save(title, 0)  # learns the base revision before the clock starts
        except (RuntimeError, OSError) as error:
            errors.append(str(error))
        start.wait()
        number = 0
        while time.monotonic() < deadline[0]:
            number += 1
            try:
                latencies[index].append(saver.save(title, number))
                counts[index] += 1
            except (RuntimeError, OSError) as error:
                errors.append(str(error))
        saver.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(tokens))]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds + 3600  # held until every saver is ready
    start.wait()
    began = time.monotonic()
    deadline[0] = began + seconds
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = [value for values in latencies for value in values]
    return {
        "savers": len(tokens),
        "saves": sum(counts),
        "saves_per_second": round(sum(counts) / elapsed, 1),
        "p50_ms": round(statistics.median(every) * 1000, 2) if every else None,
        "p95_ms": round(percentile(every, 0.95) * 1000, 2) if every else None,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }
