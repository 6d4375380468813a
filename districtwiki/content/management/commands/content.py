from django.core.management.base import BaseCommand, CommandError

from districtwiki import progress
from districtwiki.content import checks, loader


class Command(BaseCommand):
    help = (
        "The starter knowledge base: `content check` validates the shipped pages, `content load` loads them."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "load"])

    def handle(self, *args, action: str, **options):
        if action == "load":
            # Each page is loaded in its own transaction and loading again skips what is there: the
            # default Ctrl+C line (what was done is kept; running again continues) holds.
            with progress.track(
                "Loading starter pages", total=loader.shipped_count(), unit="pages", stream=self.stdout
            ) as bar:
                report = loader.load(bar.advance)
            self.stdout.write(f"Starter content: {report.summary()}.")
            return
        problems, summary = checks.check()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"content check failed: {len(problems)} problems ({summary}).")
        self.stdout.write(f"content check passed: {summary}.")
