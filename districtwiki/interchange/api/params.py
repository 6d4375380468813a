"""Reading MediaWiki's parameters as MediaWiki does: `|`-separated lists, flags that are set by being present,
limits with "max" and a ceiling, and a warning for every parameter or value the API did not understand.

Each module declares its parameters as `Param`s (name, type, default, ceiling): the one definition that
the reading below validates against, that decides which parameters a request sent in vain, and that
action=paraminfo describes. Reading a parameter nobody declared is a programming error, not a request error.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import ApiError, bad_value

MAX_LIST_VALUES = 50  # titles, pageids, revids, users: MediaWiki's limit for accounts without apihighlimits


@dataclass(frozen=True)
class Param:
    """One parameter of a module, without the module's prefix. `type` is MediaWiki's paraminfo type
    ("string", "integer", "boolean", "timestamp", "limit", "namespace", "user", "text") or the tuple of
    values allowed; `default` is a string as it would be sent ("a|b" for a multi)."""

    name: str
    type: str | tuple[str, ...] = "string"
    default: str | None = None
    multi: bool = False
    required: bool = False
    max: int | None = None  # the ceiling of a limit
    token: str | None = None  # the token type a `token` parameter carries

    @property
    def values(self) -> tuple[str, ...] | None:
        return self.type if isinstance(self.type, tuple) else None


class UndeclaredParameter(AssertionError):
    """A module read a parameter it did not declare: fix the declaration, it is what paraminfo describes."""


@dataclass
class Params:
    values: dict[str, str]
    declared: dict[str, Param] = field(default_factory=dict)  # by full name, prefix included
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def declare(self, definitions: Iterable[Param], prefix: str = "") -> None:
        self.declared.update({prefix + definition.name: definition for definition in definitions})

    def definition(self, name: str) -> Param:
        found = self.declared.get(name)
        if found is None:
            raise UndeclaredParameter(f'The parameter "{name}" is read but no module declares it.')
        return found

    def warn(self, module: str, text: str) -> None:
        self.warnings.setdefault(module, []).append(text)

    def get(self, name: str, default: str | None = None) -> str | None:
        self.definition(name)
        return self.values.get(name, default)

    def text(self, name: str, default: str = "") -> str:
        value = self.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        """A flag: set by being present with any value, as MediaWiki's boolean parameters are."""
        self.definition(name)
        return name in self.values

    def choice(self, name: str) -> str:
        definition = self.definition(name)
        value = self.text(name, definition.default or "")
        if value not in (definition.values or ()):
            raise bad_value(name, value)
        return value

    def multi(self, name: str, module: str = "main", allowed: tuple[str, ...] | None = None) -> list[str]:
        """A `|` list; values outside the declared ones (or `allowed`) are dropped with MediaWiki's warning.
        Absent, it is the declared default; sent empty, it is empty."""
        definition = self.definition(name)
        raw = self.get(name)
        if raw is None:
            return definition.default.split("|") if definition.default else []
        if not raw:
            return []
        allowed = allowed if allowed is not None else definition.values
        values = raw[1:].split(raw[0]) if raw.startswith("\x1f") else raw.split("|")
        if len(values) > MAX_LIST_VALUES:
            raise ApiError(
                "toomanyvalues",
                f'Too many values supplied for parameter "{name}". The limit is {MAX_LIST_VALUES}.',
            )
        if allowed is None:
            return values
        known = [value for value in values if value in allowed]
        for value in values:
            if value not in allowed:
                self.warn(module, f'Unrecognized value for parameter "{name}": {value[:100]}.')
        return list(dict.fromkeys(known))

    def integer(self, name: str, default: int | None = None, minimum: int = 0) -> int | None:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        return parse_integer(name, raw, minimum)

    def limit(self, name: str, module: str, maximum: int | None = None, default: int | None = None) -> int:
        """A limit: a number up to the declared ceiling (or a lower `maximum`), or "max"; `default` for a
        limit whose default depends on the request (prop=revisions: 1 with content, 10 without)."""
        definition = self.definition(name)
        maximum = maximum or definition.max
        raw = self.text(name, definition.default if default is None else str(default))
        if raw == "max":
            return maximum
        value = parse_integer(name, raw, 1)
        if value > maximum:
            self.warn(module, f"{name} may not be over {maximum} (set to {maximum}) for users.")
            return maximum
        return value

    def timestamp(self, name: str) -> datetime | None:
        raw = self.get(name)
        return parse_timestamp(name, raw) if raw else None

    def unknown(self) -> list[str]:
        """What the request sent that none of the modules it asked for declares."""
        return sorted(name for name in self.values if name not in self.declared)


def parse_integer(name: str, raw: str, minimum: int) -> int:
    text = raw.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit() or len(digits) > 18:
        raise ApiError("badinteger", f'Invalid value "{raw[:100]}" for integer parameter "{name}".')
    value = int(text)
    if value < minimum:
        raise ApiError(
            "badinteger", f'Invalid value "{raw[:100]}" for integer parameter "{name}": below {minimum}.'
        )
    return value


TIMESTAMP_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M:%S")


def parse_timestamp(name: str, raw: str) -> datetime:
    """ISO 8601 in UTC or MediaWiki's 14 digits, the forms clients send (mwclient sends the digits)."""
    for form in TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(raw.strip(), form).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ApiError("badtimestamp", f'Invalid value "{raw[:100]}" for timestamp parameter "{name}".')


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_keyed_continue(name: str, raw: str | None, parts: int) -> list[str] | None:
    """A continuation value we wrote, as `parts` fields separated by `|`; badcontinue for anything else."""
    if raw is None:
        return None
    fields = raw.split("|", parts - 1)
    if len(fields) != parts:
        raise ApiError("badcontinue", bad_continue(name))
    return fields


def continue_integer(name: str, raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise ApiError("badcontinue", bad_continue(name))
    return int(raw)


def bad_continue(name: str) -> str:
    return f'Invalid continue param "{name}": pass back the value the previous response gave.'
