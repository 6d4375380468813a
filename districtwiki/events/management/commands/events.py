"""`districtwiki events …`: the jobs of live events, for cron (the notification worker, in `serve` or
`districtwiki worker`, runs both every minute).

- `end-due`: end the events whose end time passed more than the grace period ago
  (DISTRICTWIKI_EVENT_GRACE_MINUTES, default 30) and write their transcripts; never ends an event twice.
- `send-reminders`: send the event reminders that are due now (a day and 15 minutes before), once.
"""

from django.core.management.base import BaseCommand

from districtwiki.events import actions, reminders


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
        ended = actions.end_due_now()
        for event in ended:
            transcript = event.transcript.title
            self.stdout.write(f"Ended “{event.title}” (event {event.pk}); transcript: {transcript}")
        self.stdout.write(f"Ended {len(ended)} event{'' if len(ended) == 1 else 's'}.")
