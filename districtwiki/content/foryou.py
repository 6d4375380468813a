"""“For you” on the home page: the pages that matter most to one member now, ranked for reasons a person
would give, never by the alphabet.

A page's score is the sum of small named parts (the weights below), so that each can be tested alone:
- role fit: written for the member's own role (their pathway's audience), or for another audience their role
  reads (Profile.audiences);
- district-size fit: written for exactly their size band, or for any size;
- pathway next steps: the steps of their role's pathway they have not ticked done, the next ones first;
- due soon: named by a date in deadlines.yaml that is close ahead; time-sensitive pages (front matter
  `time_sensitive`) carry dated obligations, so they weigh a little more than evergreen advice;
- peers: members with the same role and size band who watch the page, ticked it done on a pathway, edited it
  or wrote in its discussions (there is no read tracking: these are the signals the site already keeps).
Ties go to the earlier step of the member's pathway (its order is the order to read in), then to the page
reviewed most recently, then the most watched, then the one most linked to from other
pages (what the wiki itself treats as central), then the one updated most recently.

Pages the member ticked done on any pathway are left out. Cost: one query for the candidate pages (at most
CANDIDATE_LIMIT), one grouped count per peer signal, one for watchers and one for links, whatever the number
of pages.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from districtwiki.community.models import Profile
from districtwiki.discussions.models import Post
from districtwiki.wiki.models import Page, PageLink, PageProperties, Revision, Watch

from . import pathways
from .deadlines import Deadline
from .models import PathwayStep

LIMIT = 8
CANDIDATE_LIMIT = 400

OWN_ROLE, RELATED_ROLE = 4, 2
EXACT_SIZE, ANY_SIZE = 2, 1
NEXT_STEP, SOON_STEP, LATER_STEP = 4, 3, 1
SOON_STEPS = 3  # the next step and the two after it
DUE_VERY_SOON, DUE_SOON = 3, 2
DUE_VERY_SOON_DAYS, DUE_SOON_DAYS = 30, 120
TIME_SENSITIVE = 1
PEER_CAP = 3
OFF_PATHWAY = 10**6  # sorts after every step number


@dataclass(frozen=True)
class Member:
    """What ranking needs to know about the member: their role, size band and the pathway of their role."""

    user_id: int
    role: str
    district_size: str
    audiences: frozenset[str]
    pathway: pathways.Pathway | None

    @property
    def own_audience(self) -> str:
        return self.pathway.audience if self.pathway else ""


def member_from(profile: Profile) -> Member:
    pathway = pathways.pathway_for_role(profile.role)
    audiences = set(profile.audiences) | ({pathway.audience} if pathway else set())
    return Member(profile.user_id, profile.role, profile.district_size, frozenset(audiences), pathway)


@dataclass
class Suggestion:
    page: Page
    reviewed: datetime.date | None
    score: int = 0
    step: int | None = None  # the page's place on the member's pathway, counted from 1
    deadline: Deadline | None = None
    peers: int = 0
    watchers: int = 0
    links_in: int = 0
    reasons: list[str] = field(default_factory=list)

    def rank_key(self) -> tuple:
        return (
            -self.score,
            self.step if self.step is not None else OFF_PATHWAY,
            -(self.reviewed or datetime.date.min).toordinal(),
            -self.watchers,
            -self.links_in,
            -self.page.touched_at.timestamp(),
            self.page.pk,
        )


# --- The parts of a score -------------------------------------------------------------------------------


def role_fit(properties: PageProperties, member: Member) -> int:
    audiences = set(properties.audience_list)
    if member.own_audience in audiences:
        return OWN_ROLE
    return RELATED_ROLE if audiences & member.audiences else 0


def size_fit(properties: PageProperties, member: Member) -> int:
    sizes = properties.district_size_list
    if member.district_size and member.district_size in sizes:
        return EXACT_SIZE
    return ANY_SIZE if "any" in sizes else 0


def next_steps(member: Member, done_titles: set[str]) -> dict[str, tuple[int, int]]:
    """Title → (its step number, its points) for the member's pathway steps not yet done."""
    if member.pathway is None:
        return {}
    undone = [
        (number, title) for number, title in enumerate(member.pathway.titles, 1) if title not in done_titles
    ]
    points = [NEXT_STEP] + [SOON_STEP] * (SOON_STEPS - 1)
    return {
        title: (number, points[rank] if rank < SOON_STEPS else LATER_STEP)
        for rank, (number, title) in enumerate(undone)
    }


def due_points(deadline: Deadline | None, today: datetime.date) -> int:
    if deadline is None:
        return 0
    days = (deadline.date - today).days
    if days <= DUE_VERY_SOON_DAYS:
        return DUE_VERY_SOON
    return DUE_SOON if days <= DUE_SOON_DAYS else 0


def next_deadline_by_page(deadlines: list[Deadline]) -> dict[str, Deadline]:
    """The first of `deadlines` (in date order, all ahead) for each page they name."""
    by_page: dict[str, Deadline] = {}
    for deadline in deadlines:
        by_page.setdefault(deadline.page, deadline)
    return by_page


# --- Queries ----------------------------------------------------------------------------------------------


def candidates(member: Member) -> list[PageProperties]:
    """Live articles written for one of the member's audiences or on their pathway (all pages when their role
    reads no audience in particular), at most CANDIDATE_LIMIT of them, the most recently reviewed first."""
    fits = Q()
    for audience in sorted(member.audiences):
        fits |= Q(audience__contains=f",{audience},")
    if member.pathway:
        fits |= Q(page__title__in=member.pathway.titles)
    return list(
        PageProperties.objects.filter(fits, page__deleted_at__isnull=True, page__redirect_to="")
        .select_related("page")
        .only("audience", "district_size", "reviewed", "time_sensitive", "page__title", "page__touched_at")
        .order_by("-reviewed", "-page__touched_at")[:CANDIDATE_LIMIT]
    )


def peers_of(member: Member):
    """Other members with the same role and size band (a subquery, never loaded)."""
    return (
        Profile.objects.filter(role=member.role, district_size=member.district_size)
        .exclude(user_id=member.user_id)
        .values("user_id")
    )


def peer_counts(member: Member, pages: list[Page]) -> dict[int, int]:
    """Page id → how many peers watch it, edited it, posted in its discussions or ticked it done on a pathway
    (each signal counts each peer once)."""
    if not member.role or not member.district_size:
        return {}
    peers = peers_of(member)
    ids = [page.pk for page in pages]
    id_by_title = {page.title: page.pk for page in pages}
    signals = [
        Watch.objects.filter(user__in=peers, page_id__in=ids).values_list("page_id"),
        Revision.objects.filter(author__in=peers, page_id__in=ids).values_list("page_id"),
        Post.objects.filter(author__in=peers, thread__page_id__in=ids).values_list("thread__page_id"),
    ]
    counts: dict[int, int] = {}
    for signal, person in zip(signals, ["user_id", "author_id", "author_id"], strict=True):
        for page_id, n in signal.annotate(n=Count(person, distinct=True)):
            counts[page_id] = counts.get(page_id, 0) + n
    ticked = PathwayStep.objects.filter(user__in=peers, title__in=list(id_by_title)).values_list("title")
    for title, n in ticked.annotate(n=Count("user_id", distinct=True)):
        counts[id_by_title[title]] = counts.get(id_by_title[title], 0) + n
    return counts


def watcher_counts(pages: list[Page]) -> dict[int, int]:
    watches = Watch.objects.filter(page_id__in=[page.pk for page in pages]).values_list("page_id")
    return dict(watches.annotate(n=Count("id")))


def links_in_counts(pages: list[Page]) -> dict[str, int]:
    """Title → how many live pages link to it."""
    links = PageLink.objects.filter(
        target__in=[page.title for page in pages], source__deleted_at__isnull=True
    )
    return dict(links.values_list("target").annotate(n=Count("source_id")))


# --- Ranking ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signals:
    """What ranking knows beyond a page's own front matter, fetched once for all the candidates."""

    today: datetime.date
    steps: dict[str, tuple[int, int]]
    deadlines: dict[str, Deadline]
    peers: dict[int, int]
    watchers: dict[int, int]
    links_in: dict[str, int]


def suggest(properties: PageProperties, member: Member, signals: Signals) -> Suggestion:
    """One page's score, and the reasons a member sees beside it."""
    page = properties.page
    step, step_points = signals.steps.get(page.title, (None, 0))
    deadline = signals.deadlines.get(page.title)
    due = due_points(deadline, signals.today)
    suggestion = Suggestion(
        page,
        properties.reviewed,
        step=step,
        deadline=deadline if due else None,
        peers=signals.peers.get(page.pk, 0),
        watchers=signals.watchers.get(page.pk, 0),
        links_in=signals.links_in.get(page.title, 0),
    )
    fit = role_fit(properties, member)
    suggestion.score = (
        fit
        + size_fit(properties, member)
        + step_points
        + due
        + (TIME_SENSITIVE if properties.time_sensitive else 0)
        + min(suggestion.peers, PEER_CAP)
    )
    suggestion.reasons = [
        reason
        for reason, applies in [
            (f"Step {step} of your pathway", step is not None),
            ("Deadline ahead", bool(due)),
            ("For your role", fit == OWN_ROLE and step is None),
            ("Used by peers like you", suggestion.peers > 0),
        ]
        if applies
    ]
    return suggestion


def rank(
    member: Member, done_titles: set[str], deadlines: list[Deadline], today: datetime.date, limit: int = LIMIT
) -> list[Suggestion]:
    """The member's suggestions, best first; `deadlines` are the dated entries ahead of `today`."""
    found = [properties for properties in candidates(member) if properties.page.title not in done_titles]
    pages = [properties.page for properties in found]
    signals = Signals(
        today=today,
        steps=next_steps(member, done_titles),
        deadlines=next_deadline_by_page(deadlines),
        peers=peer_counts(member, pages) if pages else {},
        watchers=watcher_counts(pages) if pages else {},
        links_in=links_in_counts(pages) if pages else {},
    )
    suggestions = sorted(
        (suggest(properties, member, signals) for properties in found), key=Suggestion.rank_key
    )
    return [suggestion for suggestion in suggestions if suggestion.score > 0][:limit]
