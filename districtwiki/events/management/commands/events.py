"""`districtwiki events end-due`: end the events whose end time passed more than the grace period ago
(DISTRICTWIKI_EVENT_GRACE_MINUTES, default 30) and write their transcripts. The worker (in `serve`, or
`districtwiki worker`) does this every minute; this command is for cron. It never ends an event twice."""

from django.core.management.base import BaseCommand, CommandError

from districtwiki.events import actions


class Command(BaseCommand):
    help = "Events maintenance. end-due: end the events past their end and grace period; write transcripts."

    def add_arguments(self, parser):
        tasks = parser.add_subparsers(dest="task", metavar="TASK")
        tasks.add_parser("end-due", help="end the events that are over and write their transcripts")

    def handle(self, *args, task: str | None = None, **options):
        if task != "end-due":
            raise CommandError("say what to do: districtwiki events end-due")
        ended = actions.end_due_now()
        for event in ended:
            self.stdout.write(
                f"Ended “{event.title}” (event {event.pk}); transcript: {event.transcript.title}"
            )
        self.stdout.write(f"Ended {len(ended)} event{'' if len(ended) == 1 else 's'}.")
