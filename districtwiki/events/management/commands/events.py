"""`districtwiki events send-reminders`: send the event reminders that are due now, once (for cron; the
notification worker, in `serve` or `districtwiki worker`, runs the same step every minute)."""

from django.core.management.base import BaseCommand

from districtwiki.events import reminders


class Command(BaseCommand):
    help = "Jobs of live events. send-reminders: send the reminders due now (a day and 15 minutes before)."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True, metavar="JOB")
        jobs.add_parser("send-reminders", help="send the event reminders that are due now, once")

    def handle(self, *args, job: str, **options):
        if job == "send-reminders":
            sent = reminders.send_due_reminders()
            self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
