"""What the home page shows: the same welcome for everyone, and a "for you" part for a member whose profile
says their role and district size."""

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db.models import Count

from districtwiki.wiki.models import CategoryMembership, Page, PageProperties, Watch

from . import pathways
from .models import PathwayStep

DEADLINES_FILE = Path(__file__).resolve().parent / "deadlines.yaml"
FOR_YOU_LIMIT = 8


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


def upcoming_deadlines(today: datetime.date, limit: int = 5) -> list[Deadline]:
    return [deadline for deadline in all_deadlines() if deadline.date >= today][:limit]


def category_counts() -> list[dict]:
    return list(
        CategoryMembership.objects.filter(page__deleted_at__isnull=True)
        .values("category")
        .annotate(pages=Count("id"))
        .order_by("category")
    )


def recently_updated(limit: int = 8):
    return (
        Page.objects.articles()
        .filter(namespace="")
        .order_by("-touched_at")
        .only("title", "touched_at")[:limit]
    )


def match_score(properties: PageProperties, audiences: list[str], size: str) -> int:
    """Two points for a page written for the member's role, one for their district size."""
    score = 2 if set(properties.audience_list) & set(audiences) else 0
    sizes = properties.district_size_list
    return score + (1 if size and (size in sizes or "any" in sizes) else 0)


def for_you(profile, done_titles: set[str]) -> list[Page]:
    """Pages ranked by how well their audience and district size match the member's profile."""
    audiences = profile.audiences
    candidates = PageProperties.objects.filter(
        page__deleted_at__isnull=True, page__redirect_to=""
    ).select_related("page")
    if audiences:
        candidates = candidates.filter(audience__regex="|".join(f",{audience}," for audience in audiences))
    scored = [
        (match_score(properties, audiences, profile.district_size), properties.page)
        for properties in candidates
        if properties.page.title not in done_titles
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return [page for score, page in scored if score > 0][:FOR_YOU_LIMIT]


def pathway_progress(user, member_pathways: list[pathways.Pathway]) -> list[dict]:
    done = set(PathwayStep.objects.filter(user=user).values_list("pathway", "title"))
    return [
        {
            "pathway": pathway,
            "done": sum((pathway.slug, title) in done for title in pathway.titles),
            "total": len(pathway.steps),
        }
        for pathway in member_pathways
    ]


def watched_review_due(user, today: datetime.date):
    watched = Watch.objects.filter(user=user).values("page_id")
    return PageProperties.objects.review_due(today).filter(page_id__in=watched).select_related("page")[:10]
