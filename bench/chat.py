"""Live room benchmark (`make bench-chat`): one room, 300 connected members, 10 of them sending 2 messages a
second for 60 s, over real WebSockets to `districtwiki serve` pinned to core 0 (the clients run on core 1).

Measured, per mode:
- delivery latency of each message: from the moment its sender sent it to the moment every other client had
  received it (p50, p95, max), and of each single delivery;
- messages lost: deliveries that never arrived (each acknowledged message should reach 299 clients);
- memory per connection: the growth of the ASGI processes' resident memory from before the clients connected
  to after, divided by the number of clients.

Modes: `embedded` (one server, in-memory channel layer) and `redis` (two servers sharing REDIS_URL, half the
clients on each: every message crosses processes through Redis; skipped without REDIS_URL).

    python -m bench.chat [--clients 300] [--senders 10] [--rate 2] [--duration 60] [--modes embedded,redis]

Results: bench/results/chat-<date>.json and bench/results/chat-latest.md (also printed).
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import servers
from bench.run import RESULTS, server_environment

SERVER_CPUS, CLIENT_CPUS = "0", 1
SLUG = "bench-room"
SETTLE = 3.0  # seconds after connecting (presence announcements) and after sending (stragglers)
CONNECT_TIMEOUT = 30
WARM_UP = 20  # connections made before memory is first measured

# Run in `districtwiki shell` on the bench's data: the room and `count` confirmed members, each with a
# session made as signing in makes it; prints the session cookies.
MEMBERS_SCRIPT = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from districtwiki.accounts.models import User
from districtwiki.events.models import Room
room = dict(kind="topic", name="Bench", created_at=timezone.now())
Room.objects.get_or_create(slug={slug!r}, defaults=room)
store = import_module(settings.SESSION_ENGINE).SessionStore
cookies = []
for number in range({count}):
    name = "chat" + str(number)
    user = User.objects.filter(username=name).first() or User.objects.create_user(
        name, email=name + "@example.org", email_confirmed=True
    )
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookies.append(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
print(json.dumps(cookies))
"""


@dataclass
class Client:
    index: int
    cookie: str
    http_port: int
    websocket_port: int
    received: dict[int, float] = field(default_factory=dict)  # message id → when it arrived
    sent: dict[str, float] = field(default_factory=dict)  # client_id → when it was sent
    acked: dict[str, int] = field(default_factory=dict)  # client_id → message id
    errors: list[str] = field(default_factory=list)
    connection: object = None

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.connection = await connect(
            f"ws://127.0.0.1:{self.websocket_port}/ws/rooms/{SLUG}/",
            origin=f"http://127.0.0.1:{self.http_port}",
            additional_headers={"Cookie": self.cookie},
            open_timeout=CONNECT_TIMEOUT,
            max_queue=None,
        )

    async def listen(self) -> None:
        async for raw in self.connection:
            now = time.monotonic()
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "message":
                self.received.setdefault(frame["message"]["id"], now)
            elif kind == "ack":
                self.acked[frame["client_id"]] = frame["message"]["id"]
            elif kind == "error":
                self.errors.append(frame["error"])

    async def talk(self, rate: float, duration: float, offset: float) -> None:
        """Send `rate` messages a second for `duration` seconds, starting `offset` seconds in: the senders are
        spread over the interval, as people typing are, rather than all sending at the same instant."""
        interval, number = 1 / rate, 0
        started = time.monotonic() + offset * interval
        while (due := started + number * interval) < started + duration:
            await asyncio.sleep(max(due - time.monotonic(), 0))
            client_id = f"{self.index}-{number}"
            self.sent[client_id] = time.monotonic()
            text = f"Message {number} from client {self.index}: how does your district handle E-Rate forms?"
            await self.connection.send(json.dumps({"type": "send", "text": text, "client_id": client_id}))
            number += 1


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def resident_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def make_members(server: servers.GroupServer, env: dict[str, str], data_dir: Path, count: int) -> list[str]:
    script = Path(sys.executable).with_name("districtwiki")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "districtwiki.cli"]
    code = MEMBERS_SCRIPT.format(slug=SLUG, count=count)
    finished = subprocess.run(
        [*command, "shell", "--no-imports", "--command", code],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


async def converse(clients: list[Client], args: argparse.Namespace, asgi: list[int]) -> float:
    """Connect everyone, talk, hang up; the ASGI processes' memory per connection in KB, counted from after
    the first WARM_UP connections (the first ones also load code and fill caches) to after the last."""
    listeners = []

    async def arrive(batch: list[Client]) -> None:
        await asyncio.gather(*(client.connect() for client in batch))
        listeners.extend(asyncio.ensure_future(client.listen()) for client in batch)

    await arrive(clients[:WARM_UP])
    await asyncio.sleep(SETTLE)
    before = resident_kb(asgi)
    for start in range(WARM_UP, len(clients), 25):  # a crowd arriving, not one burst of handshakes
        await arrive(clients[start : start + 25])
    await asyncio.sleep(SETTLE)
    per_connection = (resident_kb(asgi) - before) / max(len(clients) - WARM_UP, 1)
    senders = clients[: args.senders]
    await asyncio.gather(
        *(
            client.talk(args.rate, args.duration, number / len(senders))
            for number, client in enumerate(senders)
        )
    )
    await asyncio.sleep(SETTLE)
    for client in clients:
        await client.connection.close()
    await asyncio.gather(*listeners, return_exceptions=True)
    return per_connection


def measure(mode: str, clients: list[Client], senders: int) -> dict:
    send_times, latencies, deliveries, lost = {}, [], [], 0
    for sender in clients[:senders]:
        for client_id, message_id in sender.acked.items():
            send_times[message_id] = (sender.index, sender.sent[client_id])
    for message_id, (sender_index, sent_at) in send_times.items():
        arrivals = [c.received.get(message_id) for c in clients if c.index != sender_index]
        got = [arrived - sent_at for arrived in arrivals if arrived is not None]
        lost += len(arrivals) - len(got)
        deliveries += got
        if len(got) == len(arrivals):
            latencies.append(max(got))
    sent = sum(len(c.sent) for c in clients[:senders])
    errors = sorted({error for c in clients for error in c.errors})
    return {
        "mode": mode,
        "clients": len(clients),
        "senders": senders,
        "messages_sent": sent,
        "messages_acknowledged": len(send_times),
        "deliveries": len(deliveries),
        "unacknowledged": sent - len(send_times),
        "lost": lost,
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 1),
        "delivery_p50_ms": round(percentile(deliveries, 0.5) * 1000, 1),
        "delivery_p95_ms": round(percentile(deliveries, 0.95) * 1000, 1),
        "errors": errors[:5],
    }


def run_mode(mode: str, args: argparse.Namespace, redis_url: str) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"districtwiki-chat-{mode}-"))
    env = server_environment(data_dir, "", redis_url)
    env["DISTRICTWIKI_CHAT_RATE"] = "1000/10"  # each sender sends 2 a second; the limit check still runs
    if args.websocket_server:
        env["DISTRICTWIKI_WEBSOCKET_SERVER"] = args.websocket_server
    if redis_url and os.environ.get("DISTRICTWIKI_CHANNEL_LAYER_URL"):
        env["DISTRICTWIKI_CHANNEL_LAYER_URL"] = os.environ["DISTRICTWIKI_CHANNEL_LAYER_URL"]
    started = []
    try:
        for _ in range(2 if mode == "redis" else 1):
            port, websocket_port = servers.free_port(), servers.free_port()
            server = servers.districtwiki_server(port, env, data_dir, SERVER_CPUS, websocket_port)
            server.start(f"http://127.0.0.1:{port}/healthz")
            started.append((server, port, websocket_port))
        cookies = make_members(started[0][0], env, data_dir, args.clients)
        asgi = [pid for server, _, _ in started for pid in server.asgi_processes()]
        clients = [Client(n, cookie, *started[n % len(started)][1:]) for n, cookie in enumerate(cookies)]
        os.sched_setaffinity(0, {CLIENT_CPUS})
        per_connection = asyncio.run(converse(clients, args, asgi))
        result = measure(mode, clients, args.senders)
        result["asgi_processes"] = len(asgi)
        result["memory_per_connection_kb"] = round(per_connection, 1)
        result["asgi_rss_mb"] = round(resident_kb(asgi) / 1024, 1)
        return result
    finally:
        for server, _, _ in started:
            server.stop()


def report(results: list[dict], args: argparse.Namespace) -> str:
    lines = [
        f"# Live room benchmark ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"One room, {args.clients} connected members, {args.senders} sending {args.rate:g} messages/s for "
        f"{args.duration:g} s; live rooms served by {args.websocket_server or 'the default ASGI server'}; "
        "server on core 0, clients on core 1. Latency: send → every other client "
        "received (per message); delivery: send → one client received.",
        "",
        "| mode | ASGI processes | messages stored/sent | deliveries lost | p50 ms | p95 ms | max ms "
        "| delivery p50 / p95 ms | memory per connection | ASGI RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['mode']} | skipped: {r['skipped']} |||||||||")
            continue
        lines.append(
            f"| {r['mode']} | {r['asgi_processes']} | {r['messages_acknowledged']}/{r['messages_sent']} "
            f"| {r['lost']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} "
            f"| {r['delivery_p50_ms']} / {r['delivery_p95_ms']} | {r['memory_per_connection_kb']} KB "
            f"| {r['asgi_rss_mb']} MB |"
        )
    errors = [f"- {r['mode']}: {error}" for r in results for error in r.get("errors", [])]
    return "\n".join([*lines, *(["", "Errors seen by clients:", *errors] if errors else []), ""])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--rate", type=float, default=2.0, help="messages per second per sender")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of sending")
    parser.add_argument("--modes", default="embedded,redis")
    parser.add_argument(
        "--websocket-server", default="", help="uvicorn, granian or daphne (default: districtwiki serve's)"
    )
    args = parser.parse_args(argv)
    redis_url = os.environ.get("REDIS_URL", "").strip()
    results = []
    for mode in args.modes.split(","):
        if mode == "redis" and not redis_url:
            results.append({"mode": mode, "skipped": "REDIS_URL is not set"})
            continue
        print(f"bench.chat: {mode}…", file=sys.stderr, flush=True)
        results.append(run_mode(mode, args, redis_url if mode == "redis" else ""))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    (RESULTS / f"chat-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    text = report(results, args)
    (RESULTS / "chat-latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
