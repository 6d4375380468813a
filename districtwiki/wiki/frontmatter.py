"""Page properties in a YAML block at the top of the Markdown, kept in the revision history.

    ---
    audience: [coordinator, director]
    district_size: [under-1000, 1000-2500]
    reviewed: 2026-11-28
    review_every: 12
    time_sensitive: true
    sources:
      - {title: "…", publisher: "…", date: "2025-06", url: "https://…"}
    ---

Every field is optional on an ordinary page; the starter pages carry all of them (the content check says so).
An invalid block refuses the save with a message naming the field.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

import yaml

AUDIENCES = ("technician", "coordinator", "director", "teacher-leader", "superintendent")
DISTRICT_SIZES = ("under-1000", "1000-2500", "2500-10000", "any")
# How the page view names them ("Written for …", "District size …").
AUDIENCE_LABELS = {
    "technician": "technicians",
    "coordinator": "technology coordinators",
    "director": "technology directors",
    "teacher-leader": "teacher leaders",
    "superintendent": "superintendents",
}
DISTRICT_SIZE_LABELS = {
    "under-1000": "under 1,000 students",
    "1000-2500": "1,000–2,500 students",
    "2500-10000": "2,500–10,000 students",
    "any": "any size",
}
FIELDS = ("audience", "district_size", "reviewed", "review_every", "time_sensitive", "sources")
SOURCE_KEYS = ("title", "publisher", "date", "url")
BLOCK = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
# Bounds on what the YAML parser is given (docs/limits.md): front matter is a few fields and sources.
MAX_FRONT_MATTER_CHARS = 16_384
MAX_DEPTH = 4
MAX_SOURCES = 100


class InvalidFrontMatter(ValueError):
    """The message names the field and says what it must be."""


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (`*name` can repeat a node without end) and with a depth
    limit (the composer recurses once per level: deep nesting would raise RecursionError)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.field = ""

    def compose_node(self, parent, index):
        if self.depth == 1 and isinstance(index, yaml.ScalarNode):
            self.field = str(index.value)
        where = f"Front matter field `{self.field}`" if self.field else "The front matter"
        if self.check_event(yaml.AliasEvent):
            raise InvalidFrontMatter(f"{where} uses an alias (*name); write the value out instead.")
        if self.depth >= MAX_DEPTH:
            raise InvalidFrontMatter(f"{where} is nested too deeply (at most {MAX_DEPTH - 1} levels).")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass
class FrontMatter:
    audience: list[str] = field(default_factory=list)
    district_size: list[str] = field(default_factory=list)
    reviewed: datetime.date | None = None
    review_every: int | None = None
    time_sensitive: bool = False
    sources: list[dict] = field(default_factory=list)
    present: set[str] = field(default_factory=set)

    @property
    def review_due(self) -> datetime.date | None:
        if self.reviewed is None or self.review_every is None:
            return None
        return add_months(self.reviewed, self.review_every)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def split(text: str) -> tuple[str, str]:
    """The YAML source of the block (or "") and the Markdown after it."""
    match = BLOCK.match(text)
    if not match:
        return "", text
    return match.group(1), text[match.end() :]


def parse(text: str) -> FrontMatter | None:
    """The page's front matter, None when it has none; InvalidFrontMatter when the block is wrong."""
    source, _ = split(text)
    if not source.strip():
        return None
    if len(source) > MAX_FRONT_MATTER_CHARS:
        raise InvalidFrontMatter(
            f"The front matter is {len(source):,} characters long; "
            f"it may be at most {MAX_FRONT_MATTER_CHARS:,}."
        )
    try:
        data = yaml.load(source, Loader=BoundedLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise InvalidFrontMatter(f"The front matter is not valid YAML{where}.") from None
    if not isinstance(data, dict):
        raise InvalidFrontMatter(
            "The front matter must be a list of fields such as `audience: [technician]`."
        )
    unknown = [str(key) for key in data if key not in FIELDS]
    if unknown:
        raise InvalidFrontMatter(
            f"Front matter field `{unknown[0]}` is not known; the fields are: {', '.join(FIELDS)}."
        )
    matter = FrontMatter(present=set(data))
    for name in FIELDS:
        if name in data:
            setattr(matter, name, VALIDATORS[name](data[name]))
    return matter


def _choices(name: str, allowed: tuple[str, ...]):
    def validate(value) -> list[str]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise InvalidFrontMatter(f"Front matter field `{name}` must be a list of: {', '.join(allowed)}.")
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise InvalidFrontMatter(
                f"Front matter field `{name}` has “{wrong[0]}”; allowed values are: {', '.join(allowed)}."
            )
        return list(dict.fromkeys(values))

    return validate


def _reviewed(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        raise InvalidFrontMatter("Front matter field `reviewed` must be a date written like 2026-11-28.")
    return value


def _review_every(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
        raise InvalidFrontMatter(
            "Front matter field `review_every` must be a number of months from 1 to 120."
        )
    return value


def _time_sensitive(value) -> bool:
    if not isinstance(value, bool):
        raise InvalidFrontMatter("Front matter field `time_sensitive` must be true or false.")
    return value


def _sources(value) -> list[dict]:
    if not isinstance(value, list):
        raise InvalidFrontMatter("Front matter field `sources` must be a list of sources, each with a title.")
    if len(value) > MAX_SOURCES:
        raise InvalidFrontMatter(
            f"Front matter field `sources` has {len(value)} items; it may have at most {MAX_SOURCES}."
        )
    sources = []
    for number, item in enumerate(value, start=1):
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            raise InvalidFrontMatter(f"Front matter field `sources` item {number} needs a `title`.")
        extra = [key for key in item if key not in SOURCE_KEYS]
        if extra:
            raise InvalidFrontMatter(
                f"Front matter field `sources` item {number} has an unknown key `{extra[0]}` "
                f"(use {', '.join(SOURCE_KEYS)})."
            )
        url = str(item.get("url") or "")
        if url and not url.startswith(("https://", "http://")):
            raise InvalidFrontMatter(
                f"Front matter field `sources` item {number} has a `url` that is not http(s)."
            )
        sources.append(
            {key: str(item[key]).strip() for key in SOURCE_KEYS if item.get(key) not in (None, "")}
        )
    return sources


VALIDATORS = {
    "audience": _choices("audience", AUDIENCES),
    "district_size": _choices("district_size", DISTRICT_SIZES),
    "reviewed": _reviewed,
    "review_every": _review_every,
    "time_sensitive": _time_sensitive,
    "sources": _sources,
}


def with_reviewed(text: str, day: datetime.date) -> str:
    """The text with its front matter's `reviewed` date set to `day` (added if missing)."""
    source, body = split(text)
    line = f"reviewed: {day.isoformat()}"
    if re.search(r"^reviewed:.*$", source, re.MULTILINE):
        source = re.sub(r"^reviewed:.*$", line, source, count=1, flags=re.MULTILINE)
    else:
        source = f"{source.rstrip()}\n{line}" if source.strip() else line
    return f"---\n{source}\n---\n{body}"


# --- Writing the block back (the editor's "About this page" fields) ------------------------------------

TOP_LEVEL_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")


@dataclass
class Layout:
    """How a page's block is written: its delimiter lines, each top-level key's lines as they stand, and
    the values of the known fields. A field whose value is unchanged is written back byte for byte, so an
    edit that changes nothing leaves the text identical and an edit of one field changes only its lines
    (which keeps three-way merges of other people's edits clean)."""

    opening: str = "---"
    closing: str = "---"
    preamble: list[str] = field(default_factory=list)
    chunks: dict[str, str] = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    @property
    def unknown(self) -> list[str]:
        return [key for key in self.chunks if key not in FIELDS]


def layout_of(block: str) -> Layout | None:
    """The layout of a front matter block (delimiters included), None when the block is one the fields
    cannot stand for faithfully: not YAML, not a plain list of `key: value` lines, or a known field with
    a value the fields cannot hold. The editor then leaves the block in the text, as written."""
    match = BLOCK.match(block)
    if not match or not match.group(1).strip() or len(match.group(1)) > MAX_FRONT_MATTER_CHARS:
        return None
    opening, rest = block[: match.end()].split("\n", 1)
    closing = rest[len(match.group(1)) + 1 :].rstrip("\n")
    chunks = _chunks(match.group(1))
    if chunks is None:
        return None
    preamble, keyed = chunks
    values = {}
    for key, lines in keyed.items():
        value = _load_chunk(lines)
        if value is None or key not in value or len(value) != 1:
            return None
        if key in FIELDS:
            try:
                values[key] = VALIDATORS[key](value[key])
            except InvalidFrontMatter:
                return None
    return Layout(opening, closing, preamble, keyed, values)


def _chunks(source: str) -> tuple[list[str], dict[str, str]] | None:
    """The lines before the first key, and each top-level key with its lines (the key line, then its
    indented, blank and comment lines)."""
    preamble: list[str] = []
    keyed: dict[str, list[str]] = {}
    current = preamble
    for line in source.split("\n"):
        key = TOP_LEVEL_KEY.match(line)
        if key:
            if key.group(1) in keyed:
                return None
            current = keyed[key.group(1)] = [line]
        elif line[:1] in ("", " ", "\t", "#"):
            current.append(line)
        else:
            return None  # a top-level list, flow mapping or other shape the fields do not stand for
    if not keyed or any(line.strip() and not line.lstrip().startswith("#") for line in preamble):
        return None
    return preamble, {key: "\n".join(lines) for key, lines in keyed.items()}


def _load_chunk(lines: str) -> dict | None:
    try:
        value = yaml.load(lines, Loader=BoundedLoader)
    except (yaml.YAMLError, InvalidFrontMatter):
        return None
    return value if isinstance(value, dict) else None


def compose(values: dict, layout: Layout | None) -> str:
    """The front matter block (ending in a newline) for the known fields in `values`, "" when there is
    nothing to write. Keys keep the layout's order, unknown keys keep their lines, unchanged fields are
    written as they were; new fields take their place in FIELDS order, written as the starter pages
    write them."""
    layout = layout or Layout()
    order = _key_order([key for key in layout.chunks if key in values or key not in FIELDS], values)
    lines = [_written(key, values, layout) for key in order]
    if not lines:
        return ""
    return "\n".join([layout.opening, *layout.preamble, *lines, layout.closing]) + "\n"


def _key_order(kept: list[str], values: dict) -> list[str]:
    order = list(kept)
    for name in FIELDS:
        if name in values and name not in order:
            earlier = [
                i for i, key in enumerate(order) if key in FIELDS and FIELDS.index(key) < FIELDS.index(name)
            ]
            order.insert(earlier[-1] + 1 if earlier else 0, name)
    return order


def _written(key: str, values: dict, layout: Layout) -> str:
    if key not in FIELDS or (key in layout.values and layout.values[key] == values[key]):
        return layout.chunks[key]
    value = values[key]
    if key in ("audience", "district_size"):
        return f"{key}: [{', '.join(value)}]"
    if key == "reviewed":
        return f"reviewed: {value.isoformat()}"
    if key == "time_sensitive":
        return f"time_sensitive: {'true' if value else 'false'}"
    if key == "sources":
        return "\n".join(["sources:", *(_source_lines(source) for source in value)])
    return f"{key}: {value}"


def _source_lines(source: dict) -> str:
    lines = [f"{key}: {quoted(source[key])}" for key in SOURCE_KEYS if source.get(key)]
    return "\n".join(["  - " + lines[0], *("    " + line for line in lines[1:])])


def quoted(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of it."""
    return UNPRINTABLE.sub(lambda c: f"\\u{ord(c.group()):04x}", json.dumps(value, ensure_ascii=False))


# What PyYAML's reader refuses or reads as a line break: written as \u escapes inside the quotes.
UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)
