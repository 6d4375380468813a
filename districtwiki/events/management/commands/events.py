"""`districtwiki events …`: the jobs of live events, for cron (the notification worker, in `serve` or
`districtwiki worker`, runs both every minute).

- `end-due`: end the events whose end time passed more than the grace period ago
  (DISTRICTWIKI_EVENT_GRACE_MINUTES, default 30) and write their transcripts, and write the transcripts of the
  sessions of recurring series that are over (ending a series after its last); never writes one twice.
- `send-reminders`: send the event reminders that are due now (a day and 15 minutes before), once.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from districtwiki.events import actions, reminders, sessions


class Command(BaseCommand):
    help = "Jobs of live events. end-due: end events that are over and write transcripts; send-reminders."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True, metavar="JOB")
        jobs.add_parser("end-due", help="end the events that are over and write their transcripts")
        jobs.add_parser("send-reminders", help="send the event reminders that are due now, once")

    def handle(self, *args, job: str, **options):
        if job == "send-reminders":
            sent = reminders.send_due_reminders()
            self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
            return
        grace = settings.EVENT_GRACE_MINUTES
        for record in sessions.write_due_sessions(grace):
            page = record.page.title if record.page else "none (nobody spoke)"
            self.stdout.write(
                f"Session of “{record.event.title}” on {record.starts_at:%Y-%m-%d}; transcript: {page}"
            )
        ended = actions.end_due_events(grace)
        for event in ended:
            transcript = event.transcript.title if event.transcript else "none"
            self.stdout.write(f"Ended “{event.title}” (event {event.pk}); transcript: {transcript}")
        self.stdout.write(f"Ended {len(ended)} event{'' if len(ended) == 1 else 's'}.")
