"""Dated deadlines shipped in deadlines.yaml: the only dates the home page ever shows or ranks by."""

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DEADLINES_FILE = Path(__file__).resolve().parent / "deadlines.yaml"


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    title: str
    page: str
    source: str


@functools.cache
def all_deadlines() -> tuple[Deadline, ...]:
    entries = yaml.safe_load(DEADLINES_FILE.read_text(encoding="utf-8"))
    return tuple(sorted((Deadline(**entry) for entry in entries), key=lambda deadline: deadline.date))


def upcoming(today: datetime.date, limit: int | None = None) -> list[Deadline]:
    """The deadlines on or after `today`, soonest first."""
    ahead = [deadline for deadline in all_deadlines() if deadline.date >= today]
    return ahead if limit is None else ahead[:limit]
