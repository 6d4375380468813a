"""The `districtwiki` command.

districtwiki serve [--host H] [--port P] [--workers N]   migrate, create the admin once, serve over granian
districtwiki token create USERNAME [--name NAME]         a personal API token (also: list, revoke)
districtwiki worker [--once]                             send reminders and digests (serve runs it too)
districtwiki events send-reminders                       send the event reminders due now, once
districtwiki migrate-to postgres://USER@HOST/DB          move this SQLite wiki into an empty PostgreSQL one
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
COMMAND_NAMES = {"migrate-to": "migrate_to"}


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
    setup_django()
    prepare()
    from districtwiki.notifications.worker import start_background_worker

    start_background_worker()  # in this (the supervising) process only: granian's workers are forked from it
    from django.db import connections

    connections.close_all()  # the forked workers must not share this process's database connection
    from granian import Granian
    from granian.constants import Interfaces

    address = f"http://{args.host}:{args.port}"
    print(f"districtwiki is serving on {address} ({args.workers} workers). Ctrl+C stops it.", flush=True)
    Granian(
        "districtwiki.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=8,  # requests served at once per worker; each holds a database connection
        log_level="warning",
        websockets=False,
        workers_kill_timeout=STOP_GRACE_SECONDS,  # every server `serve` supervises is started with it
    ).serve()


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
