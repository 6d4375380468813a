"""What the home page shows: for everyone, the pathways, the topics, the dated deadlines ahead, recent
discussions and recently updated pages; for a signed-in member, their progress along the pathways, and for a
member whose profile gives their role and district size, what to read next (foryou.py) and their deadlines."""

import datetime
from collections.abc import Callable

from django.db.models import Count

from districtwiki.discussions import queries as discussions
from districtwiki.wiki.models import CategoryMembership, Page, PageProperties, Watch

from . import deadlines, foryou, pathways
from .models import PathwayStep

THIS_MONTH_LIMIT = 3
MONTH_DAYS = 30
RECENT_LIMIT = 6
DISCUSSIONS_LIMIT = 5

# Icons for the starter topics; a topic members create gets the folder.
TOPIC_ICONS = {
    "Cybersecurity": "shield",
    "Data and interoperability": "git-compare",
    "Digital accessibility": "eye",
    "Funding and E-Rate": "trending-up",
    "Infrastructure and devices": "wifi",
    "Internet safety and CIPA": "filter",
    "Leadership, staffing and advocacy": "users",
    "Role and pathways": "route",
    "Student data privacy": "lock",
    "Templates": "file-text",
}


# Cards other apps add to a member's home page (registered from their AppConfig.ready: the core never
# imports a feature). Each takes the member and returns the card's context, with the "template" that draws
# it, or None; it must cost a query or two and show only what this member may see.
MEMBER_CARDS: list[Callable[[object], dict | None]] = []


def register_member_card(card: Callable[[object], dict | None]) -> None:
    if card not in MEMBER_CARDS:
        MEMBER_CARDS.append(card)


def dashboard(user, profile, today: datetime.date) -> dict:
    """Everything the home page shows this person today."""
    sections = everyone_sections(today)
    if user.is_authenticated:
        sections.update(member_sections(user, profile, today))
    else:
        sections["pathway_cards"] = pathway_cards(set())
    month_end = today + datetime.timedelta(days=MONTH_DAYS)
    sections["quiet_month"] = not any(deadline.date <= month_end for deadline in sections["deadlines"])
    return sections


def everyone_sections(today: datetime.date) -> dict:
    return {
        "topics": topics(),
        "recent_pages": recently_updated(),
        "recent_threads": discussions.latest_threads(DISCUSSIONS_LIMIT),
        "deadlines": deadlines.upcoming(today, THIS_MONTH_LIMIT),
        "season": deadlines.season_of(today),
    }


def member_sections(user, profile, today: datetime.date) -> dict:
    """What only this member sees: never cached or shown to anyone else."""
    done = set(PathwayStep.objects.filter(user=user).values_list("pathway", "title"))
    member = foryou.member_from(profile) if profile else None
    sections = {
        "pathway_cards": pathway_cards(done, member.pathway if member else None),
        "review_due_watched": watched_review_due(user, today),
        "member_cards": [found for card in MEMBER_CARDS if (found := card(user))],
    }
    if member:
        ahead = deadlines.upcoming(today)
        sections["for_you"] = foryou.rank(member, {title for _, title in done}, ahead, today)
        sections["deadlines"] = deadlines_for(member, ahead)
    return sections


def pathway_cards(done: set[tuple[str, str]], own: pathways.Pathway | None = None) -> list[dict]:
    """Every pathway with how many of its steps the member ticked done; the member's own pathway first."""
    cards = [
        {
            "pathway": pathway,
            "own": pathway == own,
            "done": sum((pathway.slug, title) in done for title in pathway.titles),
            "total": len(pathway.steps),
        }
        for pathway in pathways.all_pathways()
    ]
    return sorted(cards, key=lambda card: not card["own"])


def deadlines_for(member: foryou.Member, ahead: list[deadlines.Deadline]) -> list[deadlines.Deadline]:
    """The next dated deadlines, those on pages written for the member's role first."""
    audiences = dict(
        PageProperties.objects.filter(
            page__title__in={deadline.page for deadline in ahead}, page__deleted_at__isnull=True
        ).values_list("page__title", "audience")
    )
    relevant = {title for title, audience in audiences.items() if set(audience.split(",")) & member.audiences}
    return sorted(ahead, key=lambda deadline: deadline.page not in relevant)[:THIS_MONTH_LIMIT]


def topics() -> list[dict]:
    counts = (
        CategoryMembership.objects.filter(page__deleted_at__isnull=True)
        .values_list("category")
        .annotate(pages=Count("id"))
        .order_by("category")
    )
    return [
        {"category": category, "pages": pages, "icon": TOPIC_ICONS.get(category, "folder")}
        for category, pages in counts
    ]


def recently_updated(limit: int = RECENT_LIMIT):
    return (
        Page.objects.articles()
        .filter(namespace="")
        .order_by("-touched_at")
        .only("title", "touched_at")[:limit]
    )


def watched_review_due(user, today: datetime.date):
    watched = Watch.objects.filter(user=user).values("page_id")
    return PageProperties.objects.review_due(today).filter(page_id__in=watched).select_related("page")[:10]
