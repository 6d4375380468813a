"""Reading MediaWiki's parameters as MediaWiki does: `|`-separated lists, flags that are set by being present,
limits with "max" and a ceiling, and a warning for every parameter or value the API did not understand.

Every parameter a module reads is remembered, so that what nobody read can be reported as unrecognised.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import ApiError, bad_value

# What every request may carry besides its module's own parameters.
GENERAL = {
    "action", "format", "formatversion", "maxlag", "continue", "token", "assert", "assertuser", "uselang",
    "utf8", "ascii", "errorformat", "errorlang", "origin", "smaxage", "maxage", "requestid", "servedby",
    "curtimestamp", "responselanginfo", "redirects", "titles", "pageids", "revids", "indexpageids",
}  # fmt: skip
MAX_LIST_VALUES = 50  # titles, pageids, revids, users: MediaWiki's limit for accounts without apihighlimits


@dataclass
class Params:
    values: dict[str, str]
    used: set[str] = field(default_factory=set)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def warn(self, module: str, text: str) -> None:
        self.warnings.setdefault(module, []).append(text)

    def get(self, name: str, default: str | None = None) -> str | None:
        self.used.add(name)
        return self.values.get(name, default)

    def text(self, name: str, default: str = "") -> str:
        value = self.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        """A flag: set by being present with any value, as MediaWiki's boolean parameters are."""
        self.used.add(name)
        return name in self.values

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name, default)
        if value not in allowed:
            raise bad_value(name, value)
        return value

    def multi(self, name: str, allowed: tuple[str, ...] | None = None, module: str = "main") -> list[str]:
        """A `|` list; values outside `allowed` are dropped with MediaWiki's warning."""
        raw = self.get(name)
        if not raw:
            return []
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

    def limit(self, name: str, default: int, maximum: int, module: str) -> int:
        raw = self.text(name, str(default))
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

    def unread(self) -> list[str]:
        return sorted(name for name in self.values if name not in self.used and name not in GENERAL)


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
