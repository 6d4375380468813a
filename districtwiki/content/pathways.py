"""Role pathways: an ordered "start here" list of pages per role, shipped in pathways.yaml."""

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

PATHWAYS_FILE = Path(__file__).resolve().parent / "pathways.yaml"
MIN_STEPS, MAX_STEPS = 10, 15


@dataclass(frozen=True)
class Step:
    title: str
    why: str


@dataclass(frozen=True)
class Pathway:
    slug: str
    name: str
    audience: str
    intro: str
    steps: tuple[Step, ...]

    @property
    def titles(self) -> list[str]:
        return [step.title for step in self.steps]


@functools.cache
def all_pathways() -> tuple[Pathway, ...]:
    data = yaml.safe_load(PATHWAYS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Pathway(
            slug=slug,
            name=entry["name"],
            audience=entry["audience"],
            intro=entry["intro"],
            steps=tuple(Step(step["page"], step["why"]) for step in entry["steps"]),
        )
        for slug, entry in data.items()
    )


def get(slug: str) -> Pathway | None:
    return next((pathway for pathway in all_pathways() if pathway.slug == slug), None)


# Profile roles whose pathway goes by another name; every other role's pathway has the role's own name. A
# student or recent graduate most often starts in the technician's job; "other" has no pathway.
ROLE_PATHWAYS = {"teacher": "teacher-leader", "graduate": "technician"}


def pathway_for_role(role: str) -> Pathway | None:
    """The pathway written for a member's profile role (None for a role without one): the one place that
    maps roles to pathways."""
    return get(ROLE_PATHWAYS.get(role, role)) if role else None


def check(known_titles: set[str]) -> list[str]:
    problems = []
    for pathway in all_pathways():
        if not MIN_STEPS <= len(pathway.steps) <= MAX_STEPS:
            problems.append(
                f"pathway {pathway.slug}: {len(pathway.steps)} steps; needs {MIN_STEPS}–{MAX_STEPS}"
            )
        problems += [
            f"pathway {pathway.slug}: no starter page “{title}”"
            for title in pathway.titles
            if title not in known_titles
        ]
        if len(set(pathway.titles)) != len(pathway.titles):
            problems.append(f"pathway {pathway.slug}: lists a page twice")
        problems += [
            f"pathway {pathway.slug}: step “{step.title}” says nothing about why"
            for step in pathway.steps
            if not step.why.strip()
        ]
    return problems
