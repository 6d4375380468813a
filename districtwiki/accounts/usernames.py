"""Which usernames are one and the same name to a reader, and which are kept back.

Two names are the same when their keys are equal. The key is the UTS #39 skeleton of the name after NFKC
and case folding, so `ALICE` and `alice`, `ÄLICE` and `älice`, and `admin` with a Cyrillic `а` all share
one. User.username_key holds it (a SHA-256 of the skeleton: a skeleton can be 18 times longer than the
name, too long for an index entry on PostgreSQL), unique, so that "is this name taken?" is one indexed
lookup on every database and no race between two sign-ups can slip past it.

The skeleton comes from disarm's `skeleton_key` with the TR39 digit rows (1 ≡ l, 0 ≡ O). disarm leaves
out one ASCII row of confusables.txt, m → rn, because it corrupts prose; a key is never shown, so it is
put back here. Case is folded first, as for every other comparison of usernames: folding after the
confusable map would make `I` an `l` and `ALICE` another name than `alice`.

A new disarm release can change keys (it says so by raising KEY_SCHEMA_VERSION, which a test pins);
the stored keys must then be recomputed by a migration.
"""

import hashlib
import unicodedata

from disarm import skeleton_key

# A deleted account is renamed former-member-<id> (community.account_data); nobody may take such a name.
FORMER_MEMBER_PREFIX = "former-member-"
MAX_LENGTH = 150  # User.username

TAKEN = "A user with that username already exists."
RESERVED = (
    f"Usernames that begin with “{FORMER_MEMBER_PREFIX}” are kept for deleted accounts. Choose another."
)
RETIRED = "That username belonged to a deleted account and is not given again. Choose another."
TOO_LONG = f"A username can be at most {MAX_LENGTH} characters long."


def skeleton(username: str) -> str:
    """The form of a name that look-alikes share. Work is bounded: names are at most MAX_LENGTH
    characters (callers check), and each character expands to at most 18."""
    folded = unicodedata.normalize("NFKC", username).casefold()
    return skeleton_key(folded, digit_policy="tr39").replace("m", "rn")


def username_key(username: str) -> str:
    return hashlib.sha256(skeleton(username).encode()).hexdigest()


def is_reserved(username: str) -> bool:
    return skeleton(username).startswith(skeleton(FORMER_MEMBER_PREFIX))


def problem_with(username: str, user_model, exclude_pk=None) -> str | None:
    """Why this name cannot be given to a new account (exclude_pk None) or to the account exclude_pk,
    as a sentence for the person; None if it can."""
    if len(username) > MAX_LENGTH:
        return TOO_LONG
    if is_reserved(username):
        return RESERVED
    others = user_model._default_manager.filter(username_key=username_key(username))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        return TAKEN
    from .retired import username_retired  # here: retired needs the models, which import this module

    return RETIRED if username_retired(username) else None
