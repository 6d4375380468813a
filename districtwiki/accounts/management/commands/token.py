"""`districtwiki token create|list|revoke USERNAME ...`: personal API tokens from the command line.

`create` prints only the key, so that scripts can capture it: `KEY=$(districtwiki token create alice)`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ... import actions
from ...models import User


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = commands.add_parser("create", help="Make a token and print its key (shown only this once).")
        create.add_argument("username")
        create.add_argument(
            "--name", default="Command line", help='What will use it (default "Command line").'
        )
        listing = commands.add_parser("list", help="List a member's tokens: hint, name, created, last used.")
        listing.add_argument("username")
        revoke = commands.add_parser("revoke", help="Revoke the token whose key starts with HINT.")
        revoke.add_argument("username")
        revoke.add_argument("hint", help="The first characters of the key, as `token list` shows them.")

    def handle(self, *args, action, username, **options):
        user = find_user(username)
        try:
            if action == "create":
                self.create_token(user, options["name"])
            elif action == "list":
                self.list_tokens(user)
            else:
                self.revoke_token(user, options["hint"])
        except actions.AccountError as error:
            raise CommandError(str(error)) from None

    def create_token(self, user, name):
        _token, key = actions.create_api_token(user, name)
        self.stdout.write(key)

    def list_tokens(self, user):
        for token in user.api_tokens.all():
            last_used = format_time(token.last_used_at) if token.last_used_at else "never used"
            self.stdout.write(
                f"{token.hint}\t{token.name}\tcreated {format_time(token.created_at)}\t{last_used}"
            )

    def revoke_token(self, user, hint):
        token = actions.revoke_api_token_by_hint(user, hint)
        self.stdout.write(f'Revoked "{token.name}" ({token.hint}).')


def find_user(username: str) -> User:
    user = (
        User.objects.filter(username=username).first()
        or User.objects.filter(username__iexact=username).first()
    )
    if user is None:
        raise CommandError(f"No user called {username}.")
    return user


def format_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
