"""`districtwiki advocacy …`: the advocacy hub's jobs for operators.

- `open-survey SLUG LABEL`: open a period of the survey in content/surveys/SLUG.yaml (members answer it).
- `close-survey SLUG`: close its open period, cutting every answer's link to its member.
"""

from django.core.management.base import BaseCommand, CommandError

from districtwiki.advocacy import survey_actions


class Command(BaseCommand):
    help = "Jobs of the advocacy hub. open-survey SLUG LABEL; close-survey SLUG."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True, metavar="JOB")
        opening = jobs.add_parser("open-survey", help="open a period of a survey")
        opening.add_argument("slug", help="the survey file's name: content/surveys/SLUG.yaml")
        opening.add_argument("label", help="the period's label, such as the school year: 2026-27")
        closing = jobs.add_parser("close-survey", help="close a survey's open period and unlink its answers")
        closing.add_argument("slug")

    def handle(self, *args, job: str, slug: str, **options):
        try:
            if job == "open-survey":
                period = survey_actions.open_period(slug, options["label"])
                self.stdout.write(f"Opened “{period.definition['title']}”, period {period.label}.")
                return
            period = survey_actions.close_period(slug)
        except survey_actions.SurveyError as error:
            raise CommandError(str(error)) from None
        answers = period.responses.count()
        self.stdout.write(
            f"Closed “{period.definition['title']}”, period {period.label}: "
            f"{answers} answer{'' if answers == 1 else 's'}, no longer linked to anyone."
        )
