"""The `districtwiki` command.

districtwiki serve [--host H] [--port P] [--workers N]   migrate, create the admin once, serve over granian
                   [--websocket-port W]                  (the live rooms' WebSockets on W, default P + 1)
districtwiki token create USERNAME [--name NAME]         a personal API token (also: list, revoke)
districtwiki worker [--once]                             send reminders and digests (serve runs it too)
districtwiki events send-reminders                       send the event reminders due now, once
districtwiki events end-due                              end events that are over; write their transcripts
districtwiki advocacy open-survey SLUG LABEL             open a benchmark survey period (also close-survey)
districtwiki migrate-to postgres://USER@HOST/DB          move this SQLite wiki into an empty PostgreSQL one
districtwiki import FORMAT SOURCE [...]                  bring pages in (mediawiki, markdown)
districtwiki export FORMAT TARGET [...]                  write the wiki out (mediawiki, markdown, html)
districtwiki <django command> ...                        any management command (migrate, createsuperuser, …)
"""

import argparse
import os
import secrets
import sys

DEFAULT_WORKERS = 2
# How long a server process may take to stop gracefully before its supervisor kills it. Granian's workers
# wait for every open connection to finish before they exit, and a browser's kept-alive or half-sent request
# can hold one open indefinitely: without this limit Ctrl+C and SIGTERM left the workers, and the supervisor
# waiting for them, running for good. A request cut off here is rolled back by its transaction.
STOP_GRACE_SECONDS = 3
# Commands spelled with a hyphen on the command line; Django's command modules use underscores.
COMMAND_NAMES = {
    "migrate-to": "migrate_to",
    "import": "import_data",
    "export": "export_data",
    "imported-authors": "imported_authors",
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        fail(f"configuration error: {error}")


def fail(message: str) -> None:
    print(f"districtwiki: {message}", file=sys.stderr)
    raise SystemExit(2)


def ensure_admin() -> None:
    """On first run, create the `admin` account and show its password exactly once."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return
    password = os.environ.get("DISTRICTWIKI_ADMIN_PASSWORD", "").strip()
    shown = not password
    password = password or secrets.token_urlsafe(12)
    User.objects.create_superuser("admin", email="", password=password, email_confirmed=True)
    if shown:
        print(
            "\n  Created the administrator account.\n"
            f"    username: admin\n    password: {password}\n"
            "  This password is shown only once: sign in and change it in your settings.\n"
            f"  (Data lives in {settings.DATA_DIR}.)\n",
            flush=True,
        )


def prepare() -> None:
    from django.core.management import call_command

    from districtwiki.operations.startup import start_up_lock

    with start_up_lock():  # N app processes often start at once: one prepares, the others wait
        call_command("migrate", interactive=False, verbosity=0)
        ensure_admin()
        load_starter_content()


def load_starter_content() -> None:
    """Load the shipped pages on first run, and newer shipped versions after an upgrade (cheap when none)."""
    from districtwiki.content import loader

    report = loader.load()
    if report.changed:
        print(f"Starter content: {report.summary()}.", flush=True)


def serve(args: argparse.Namespace) -> None:
    if args.websocket_server not in ("uvicorn", "granian"):
        fail(f"DISTRICTWIKI_WEBSOCKET_SERVER={args.websocket_server!r} must be uvicorn or granian.")
    websocket_port = args.websocket_port or args.port + 1
    if websocket_port == args.port:
        fail(f"--websocket-port must differ from --port ({args.port}).")
    if not args.no_live_rooms:
        configure_live_rooms(args.host, websocket_port)
    setup_django()
    check_websocket_workers(args.websocket_workers)
    prepare()
    from districtwiki.notifications.worker import start_background_worker

    start_background_worker()  # in this (the supervising) process only: granian's workers are forked from it
    from django.db import connections

    connections.close_all()  # the forked workers must not share this process's database connection
    from districtwiki.operations.websocket_server import WebSocketServer

    websockets = WebSocketServer(
        args.host, websocket_port, args.websocket_workers, STOP_GRACE_SECONDS, args.websocket_server
    )
    address = f"http://{args.host}:{args.port}"
    live = "no live rooms" if args.no_live_rooms else f"live rooms on port {websocket_port}"
    print(
        f"districtwiki is serving on {address} ({args.workers} workers; {live}). Ctrl+C stops it.", flush=True
    )
    server = supervisor(args, websockets)
    if not args.no_live_rooms:
        websockets.start()
    try:
        server.serve()
    finally:
        websockets.finish_stop()


def configure_live_rooms(host: str, websocket_port: int) -> None:
    """Before the settings load: pages learn where to open their WebSocket (unless the operator set it, e.g.
    to 0 behind nginx), and, with the channel layer in memory, the WSGI workers learn the ASGI process's
    relay address, through which a message posted by a form or the API reaches the live rooms."""
    os.environ.setdefault("DISTRICTWIKI_WEBSOCKET_PORT", str(websocket_port))
    in_memory = not (
        os.environ.get("DISTRICTWIKI_CHANNEL_LAYER_URL") or os.environ.get("REDIS_URL", "").strip()
    )
    if in_memory:
        relay_host = {"0.0.0.0": "127.0.0.1", "localhost": "127.0.0.1", "::": "[::1]"}.get(host, host)
        if ":" in relay_host and not relay_host.startswith("["):
            relay_host = f"[{relay_host}]"
        os.environ["DISTRICTWIKI_WEBSOCKET_RELAY_URL"] = f"http://{relay_host}:{websocket_port}/relay"
    else:
        os.environ.pop("DISTRICTWIKI_WEBSOCKET_RELAY_URL", None)


def check_websocket_workers(workers: int) -> None:
    from django.conf import settings

    if workers > 1 and settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels.layers"):
        fail("--websocket-workers above 1 needs REDIS_URL: the in-memory channel layer is one process's.")


def supervisor(args: argparse.Namespace, websockets):
    """Granian's WSGI server, which also stops the ASGI process the moment it is told to stop."""
    from granian import Granian
    from granian.constants import Interfaces

    class Supervisor(Granian):
        def signal_handler_interrupt(self, *arguments, **keywords):
            websockets.begin_stop()  # both stop at once, within the one grace period
            super().signal_handler_interrupt(*arguments, **keywords)

    return Supervisor(
        "districtwiki.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=8,  # requests served at once per worker; each holds a database connection
        log_level="warning",
        websockets=False,
        workers_kill_timeout=STOP_GRACE_SECONDS,  # every server `serve` supervises is started with it
    )


def positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{raw!r} is out of range")
    return value


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="districtwiki serve", description="Serve the wiki.")
    parser.add_argument("--host", default=os.environ.get("DISTRICTWIKI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=positive_int, default=int(os.environ.get("DISTRICTWIKI_PORT", "8000")))
    parser.add_argument("--workers", type=positive_int, default=DEFAULT_WORKERS)
    parser.add_argument(
        "--websocket-port",
        type=positive_int,
        default=None,
        help="where the live rooms' ASGI process listens (default: --port + 1)",
    )
    parser.add_argument(
        "--websocket-server",
        choices=["uvicorn", "granian"],
        default=os.environ.get("DISTRICTWIKI_WEBSOCKET_SERVER", "uvicorn").strip() or "uvicorn",
        help="the ASGI server of the live rooms (README: the measurements behind the default)",
    )
    parser.add_argument(
        "--no-live-rooms",
        action="store_true",
        help="no ASGI process: room pages work through their forms only, without live updates",
    )
    parser.add_argument(
        "--websocket-workers",
        type=positive_int,
        default=1,
        help="ASGI processes for the live rooms (more than one needs REDIS_URL)",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    if argv[0] == "serve":
        serve(serve_parser().parse_args(argv[1:]))
        return
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["districtwiki", COMMAND_NAMES.get(argv[0], argv[0]), *argv[1:]])


if __name__ == "__main__":
    main()
