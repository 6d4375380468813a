"""Usernames that can never be signed up for again.

A deleted account's row is kept under a new name ("former-member-<id>"), which frees its old username. Had
anyone been able to take that name, every link and mention that still carried it (in others' posts, in
bookmarks, in e-mails) would lead to an impostor. So deletion retires the old name here, and sign-up asks
`username_retired` as well as whether the name is in use. Names are compared as sign-up compares them (in
any case), and the digest of that form is all that is kept.

The "former-member-" names themselves are reserved too, so that no one can pose as a deleted member.
"""

import hashlib
import unicodedata

from .models import FORMER_USERNAME_PREFIX, RetiredUsername


def folded(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()


def digest(username: str) -> str:
    return hashlib.sha256(folded(username).encode()).hexdigest()


def username_retired(username: str) -> bool:
    """Whether `username` may never be taken: a deleted account's, or one of the names they are given."""
    if folded(username).startswith(FORMER_USERNAME_PREFIX):
        return True
    return RetiredUsername.objects.filter(digest=digest(username)).exists()


def retire_username(username: str) -> None:
    RetiredUsername.objects.get_or_create(digest=digest(username))
