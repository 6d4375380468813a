"""Usernames that can never be signed up for again.

A deleted account's row is kept under a new name ("former-member-<id>"), which frees its old username. Had
anyone been able to take that name, every link and mention that still carried it (in others' posts, in
bookmarks, in e-mails) would lead to an impostor. So deletion retires the old name here, and
usernames.problem_with (sign-up, the admin, create_user) refuses a retired name in any spelling: what is
kept is the name's key (usernames.username_key, a digest of its look-alike skeleton), not the name.
"""

from . import usernames
from .models import RetiredUsername


def username_retired(username: str) -> bool:
    """Whether `username`, in any spelling, belonged to a deleted account."""
    return RetiredUsername.objects.filter(digest=usernames.username_key(username)).exists()


def retire_username(username: str) -> None:
    RetiredUsername.objects.get_or_create(digest=usernames.username_key(username))
