"""How a member is named wherever the wiki shows who did something (history, recent changes, diffs, the
page footer) and where features show people (discussions, uploads, the directory).

The core knows a member only by username. A feature that knows more registers, once in its
AppConfig.ready(), a namer (the community app: the display name the member lets this viewer see) and the
relations the namer reads, which listings select_related so that naming a row costs no query
(`related("author")` → ["author__profile"]).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth import get_user_model

Namer = Callable[[object, object], str]  # (member, viewer) → name

_namer: Namer | None = None
_relations: tuple[str, ...] = ()
_fields: tuple[str, ...] = ()
# What naming a member reads of the account itself (User.is_former_member, get_username).
MEMBER_FIELDS = ("id", "username", "is_active")


def register_namer(namer: Namer, relations: tuple[str, ...] = (), fields: tuple[str, ...] = ()) -> None:
    """`fields`: the related fields the namer reads (e.g. "profile__display_name"), for load_member."""
    global _namer, _relations, _fields
    _namer, _relations, _fields = namer, relations, fields


def unregister_namer() -> None:
    register_namer(None, ())  # type: ignore[arg-type]


def name_for(member, viewer) -> str:
    """The name `viewer` sees for `member` (a user, not None)."""
    if member.is_former_member:
        return member.public_name
    if _namer is not None:
        return _namer(member, viewer)
    return member.get_username()


def related(field: str) -> list[str]:
    """select_related paths that let name_for name `field` (a user foreign key) without a query."""
    return [f"{field}__{relation}" for relation in _relations]


def naming_fields(field: str) -> list[str]:
    """only() paths that keep of `field` (a user foreign key, select_related with related()) just what
    naming reads: a listing then neither fetches nor builds the rest of each account and profile."""
    return [f"{field}__{name}" for name in (*MEMBER_FIELDS, *(_fields if _relations else ()))]


def load_member(user_id: int | None):
    """The member with only what naming them reads (no password hash, no e-mail address: safe to keep in
    a shared cache beside a page's parts), or None."""
    if user_id is None:
        return None
    users = get_user_model()._base_manager.select_related(*_relations)
    return users.only(*MEMBER_FIELDS, *(_fields if _relations else ())).filter(pk=user_id).first()


@dataclass(frozen=True)
class Credit:
    """Who did something, ready to show: their name for this viewer, and their username when there is a
    profile to link to (not for an anonymous edit, an erased author or a former member)."""

    name: str
    username: str = ""

    @property
    def profile_url(self) -> str:
        return "/members/" + quote(self.username, safe="") if self.username else ""


def credit(member, viewer, fallback: str = "Anonymous") -> Credit:
    """`member` (or None, shown as `fallback`: an anonymous edit or a row whose author was erased)."""
    if member is None:
        return Credit(fallback)
    name = name_for(member, viewer)
    return Credit(name, "" if member.is_former_member else member.get_username())
