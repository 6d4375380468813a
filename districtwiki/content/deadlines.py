"""Dated deadlines shipped in deadlines.yaml: the only dates the home page ever shows or ranks by; and the
E-Rate step of each season (seasons.yaml), which carries no date of its own."""

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DEADLINES_FILE = Path(__file__).resolve().parent / "deadlines.yaml"
SEASONS_FILE = Path(__file__).resolve().parent / "seasons.yaml"


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    title: str
    page: str
    source: str


@dataclass(frozen=True)
class Season:
    months: tuple[int, ...]
    title: str
    detail: str
    page: str


@functools.cache
def all_seasons() -> tuple[Season, ...]:
    entries = yaml.safe_load(SEASONS_FILE.read_text(encoding="utf-8"))
    return tuple(Season(**{**entry, "months": tuple(entry["months"])}) for entry in entries)


def season_of(today: datetime.date) -> Season | None:
    """The E-Rate step of the season `today` falls in."""
    return next((season for season in all_seasons() if today.month in season.months), None)


@functools.cache
def all_deadlines() -> tuple[Deadline, ...]:
    entries = yaml.safe_load(DEADLINES_FILE.read_text(encoding="utf-8"))
    return tuple(sorted((Deadline(**entry) for entry in entries), key=lambda deadline: deadline.date))


def upcoming(today: datetime.date, limit: int | None = None) -> list[Deadline]:
    """The deadlines on or after `today`, soonest first."""
    ahead = [deadline for deadline in all_deadlines() if deadline.date >= today]
    return ahead if limit is None else ahead[:limit]
