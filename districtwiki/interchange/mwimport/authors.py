"""The authors of an imported wiki as placeholder accounts, and how an admin hands one to a person.

A placeholder is an inactive account with no usable password and no e-mail address: no one can sign in to
it, reset its password or get a token for it. It carries the author's edits (Revision.author) so that their
history stays together. An admin then either claims it for the person (`claim`: it becomes their account,
they set a password through the reset link) or links it to a member who already has an account (`link`:
the imported edits, threads and posts move to that member and the placeholder goes). Anonymous edits keep
their IP address as the author's name and have no account.
"""

from __future__ import annotations

import ipaddress
import re
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from districtwiki.accounts import usernames
from districtwiki.discussions.models import Post, Thread
from districtwiki.wiki.models import FileUpload, Revision

from ..models import ImportedAuthor

NOT_IN_USERNAMES = re.compile(r"[^\w.@+-]+")
MAX_SUFFIXES = 50


class AuthorError(ValueError):
    """A claim or link an admin asked for that cannot be done; the message says why."""


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Authors:
    """Placeholder accounts for the authors of one source wiki, made on first sight and remembered."""

    def __init__(self, source: str):
        self.source = source
        self.known: dict[str, object] = {}
        self.created = 0

    def account(self, name: str):
        """The placeholder for `name` (None for an IP address or a hidden author)."""
        name = " ".join(name.split())
        if not name or is_address(name):
            return None
        if name not in self.known:
            record = (
                ImportedAuthor.objects.select_related("user").filter(source=self.source, name=name).first()
            )
            self.known[name] = record.user if record else self._create(name)
        return self.known[name]

    def _create(self, name: str):
        User = get_user_model()
        user = User(username=self._free_username(name), is_active=False)
        user.set_unusable_password()
        user.save()
        ImportedAuthor.objects.create(source=self.source, name=name, user=user)
        self.created += 1
        return user

    def _free_username(self, name: str) -> str:
        base = NOT_IN_USERNAMES.sub("_", name).strip("_")[:120] or "imported"
        User = get_user_model()
        for number in range(1, MAX_SUFFIXES + 1):
            candidate = base if number == 1 else f"{base}-imported{'' if number == 2 else number - 1}"
            if usernames.problem_with(candidate, User) is None:
                return candidate
        raise AuthorError(f"No free username for the imported author “{name}”.")


def placeholder(username: str):
    record = ImportedAuthor.objects.select_related("user").filter(user__username=username).first()
    if record is None or record.user.is_active:
        raise AuthorError(f"“{username}” is not an unclaimed imported author.")
    return record


def claim(username: str, email: str) -> object:
    """Make the placeholder `username` the account of the person at `email`: active, confirmed, still with
    no password until they set one through the password reset link."""
    record = placeholder(username)
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        raise AuthorError(f"{email} already belongs to an account: link the author to it instead.")
    user = record.user
    user.email, user.is_active, user.email_confirmed = email, True, True
    # A random password no one knows (an unusable one would keep the reset link from being sent).
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    return user


@transaction.atomic
def link(username: str, member_username: str) -> int:
    """Give the placeholder's imported edits, uploads, threads and posts to the member; the placeholder is
    removed. Returns how many revisions moved."""
    record = placeholder(username)
    member = get_user_model().objects.filter(username=member_username, is_active=True).first()
    if member is None:
        raise AuthorError(f"There is no active member called “{member_username}”.")
    old = record.user
    moved = Revision.objects.filter(author=old).update(author=member)
    FileUpload.objects.filter(uploader=old).update(uploader=member)
    Thread.objects.filter(author=old).update(author=member)
    Post.objects.filter(author=old).update(author=member)
    ImportedAuthor.objects.filter(pk=record.pk).delete()
    old.delete()
    return moved
