"""`districtwiki worker`: every minute, for ever (`--once`: one pass), run the steps features registered
(event reminders) and send the notification e-mail digests that are due."""

import contextlib
import signal
import threading

from django.core.management.base import BaseCommand

from districtwiki.notifications import worker


class Command(BaseCommand):
    help = (
        "Send the event reminders and notification e-mail digests that are due, every minute until stopped "
        "(Ctrl+C or SIGTERM). "
        "Use it when DISTRICTWIKI_WORKER=external; `serve` otherwise runs the same loop itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit (for cron and tests)")

    def handle(self, *args, once: bool = False, **options):
        if once:
            sent = worker.run_pass()
            self.stdout.write(f"Sent {sent} digest{'' if sent == 1 else 's'}.")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        self.stdout.write("The notification worker is running. Ctrl+C stops it.")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: stop quietly
            worker.run_forever(stop)
        self.stdout.write("The notification worker stopped.")
