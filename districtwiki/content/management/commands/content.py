from django.core.management.base import BaseCommand, CommandError

from districtwiki.content import checks, loader


class Command(BaseCommand):
    help = (
        "The starter knowledge base: `content check` validates the shipped pages, `content load` loads them."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "load"])

    def handle(self, *args, action: str, **options):
        if action == "load":
            report = loader.load()
            self.stdout.write(f"Starter content: {report.summary()}.")
            return
        problems, summary = checks.check()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"content check failed: {len(problems)} problems ({summary}).")
        self.stdout.write(f"content check passed: {summary}.")
