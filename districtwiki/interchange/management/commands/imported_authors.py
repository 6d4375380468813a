"""`districtwiki imported-authors`: the placeholder accounts of imported wikis, and handing them to people.

districtwiki imported-authors list
districtwiki imported-authors claim USERNAME EMAIL     the placeholder becomes that person's account
districtwiki imported-authors link USERNAME MEMBER     its edits, threads and uploads go to a member
"""

from django.core.management.base import BaseCommand, CommandError

from districtwiki.interchange.models import ImportedAuthor
from districtwiki.interchange.mwimport import authors


class Command(BaseCommand):
    help = "List the placeholder accounts of imported authors; claim one for a person or link it to a member."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="every imported author and whether it is claimed")
        claim = actions.add_parser("claim", help="make a placeholder the account of the person at EMAIL")
        claim.add_argument("username")
        claim.add_argument("email")
        link = actions.add_parser("link", help="give a placeholder's edits to an existing member")
        link.add_argument("username")
        link.add_argument("member")

    def handle(self, *args, action: str, **options):
        try:
            if action == "list":
                self.list()
            elif action == "claim":
                user = authors.claim(options["username"], options["email"])
                self.stdout.write(
                    f"“{user.username}” now belongs to {user.email}: they set a password with "
                    "“Forgot your password?” on the sign-in page."
                )
            else:
                moved = authors.link(options["username"], options["member"])
                self.stdout.write(
                    f"Gave {moved:,} revisions of “{options['username']}” to {options['member']}."
                )
        except authors.AuthorError as error:
            raise CommandError(str(error)) from None

    def list(self) -> None:
        for record in ImportedAuthor.objects.select_related("user").order_by("source", "name"):
            state = "claimed" if record.user.is_active else "placeholder"
            self.stdout.write(f"{record.user.username}\t{record.name}\t{record.source}\t{state}")
