"""What every list module shares: its result, keyset continuation, and title helpers."""

from dataclasses import dataclass, field

from districtwiki.wiki.titles import MAX_TITLE_LENGTH, InvalidTitle, normalize_title

from .errors import ApiError
from .pageset import NAMESPACE_NAMES, namespace_number

MAX_LIMIT = 500  # MediaWiki's ceiling for accounts without apihighlimits


@dataclass
class ListResult:
    items: list[dict]
    continuation: dict[str, str] = field(default_factory=dict)  # e.g. {"apcontinue": "Next title"}
    info: dict = field(default_factory=dict)  # beside the list, e.g. search's {"totalhits": 12}

    @property
    def titles(self) -> list[str]:
        return [item["title"] for item in self.items]


def page_of(items: list, limit: int) -> tuple[list, object | None]:
    """The first `limit` of `items` (fetched as limit + 1) and the one after them, if any."""
    return items[:limit], (items[limit] if len(items) > limit else None)


def title_param(ctx, name: str, required: bool = True) -> str | None:
    raw = ctx.params.get(name)
    if not raw:
        if required:
            raise ApiError("missingparam", f'The "{name}" parameter must be set.')
        return None
    try:
        return normalize_title(raw)
    except InvalidTitle as error:
        raise ApiError("invalidtitle", f"Bad title “{raw[:100]}”: {error}") from None


def namespaces_param(ctx, name: str, module: str) -> list[str] | None:
    """The namespace names (our `Page.namespace` values) for a `|` list of numbers; None: all."""
    numbers = ctx.params.multi(name, module, allowed=(*(str(n) for n in NAMESPACE_NAMES), "*"))
    if not numbers or "*" in numbers:
        return None
    return [NAMESPACE_NAMES[int(n)] for n in numbers]


def namespace_param(ctx, name: str) -> str:
    number = ctx.params.integer(name, int(ctx.params.definition(name).default or 0), minimum=-2)
    if number not in NAMESPACE_NAMES:
        raise ApiError("badvalue", f'Unrecognized value for parameter "{name}": {number}.')
    return NAMESPACE_NAMES[number]


def title_in_namespace(namespace: str, name: str) -> str:
    """A bare name as MediaWiki's `apfrom`/`apprefix` take it, made a title of `namespace`."""
    if len(name) > MAX_TITLE_LENGTH:
        # No title is longer; and a long LIKE pattern is more than SQLite will even try.
        raise ApiError(
            "invalidtitle", f"Titles have at most {MAX_TITLE_LENGTH} characters; this one has {len(name)}."
        )
    name = " ".join(name.replace("_", " ").split())
    name = name[:1].upper() + name[1:]
    return f"{namespace}:{name}" if namespace else name


def bare_name(title: str) -> str:
    return title.partition(":")[2] if namespace_number(title) else title


__all__ = ["MAX_LIMIT", "ListResult", "namespace_number"]
