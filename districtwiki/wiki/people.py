"""How a member is named wherever the wiki shows who did something (history, recent changes, diffs, the
page footer) and where features show people (discussions, uploads, the directory).

The core knows a member only by username. A feature that knows more registers, once in its
AppConfig.ready(), a namer (the community app: the display name the member lets this viewer see) and the
relations the namer reads, which listings select_related so that naming a row costs no query
(`related("author")` → ["author__profile"]).
"""

from collections.abc import Callable

Namer = Callable[[object, object], str]  # (member, viewer) → name

_namer: Namer | None = None
_relations: tuple[str, ...] = ()


def register_namer(namer: Namer, relations: tuple[str, ...] = ()) -> None:
    global _namer, _relations
    _namer, _relations = namer, relations


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
