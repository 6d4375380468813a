"""A handful of the survey's most telling figures for a state (and size band), for the one-page brief and
the program page: read from the latest published snapshot, never computed.

Only what the results page already shows: the snapshot's groups are exactly the published ones (small groups
and the groups differencing could pin are absent from it), and a number question's median is there only when
at least the minimum answered. Nothing here looks at a response, and nothing takes a new snapshot: a figure
appears in a brief only once it is on the results page.

Which group: the state and size band when that group is published, else the state, else everyone (the
brief); the program page asks for its state alone (`fallback=False`). Each result says which group its
figures describe and why, when it is not the one asked for.
"""

from dataclasses import dataclass, field

from districtwiki.community.models import Profile
from districtwiki.community.states import state_name

from .models import PublishedResults
from .survey_definitions import number_text, with_unit
from .survey_results import group_key

# The figures a brief leads with, by question id of the shipped survey (content/surveys/), in order: what
# each is called on a printed page, and how its median is written. A survey without these questions shows
# its first few number questions under their own labels.
KEY_NUMBERS = (
    ("hours_per_week", "Hours worked in a typical school-year week", "{} hours"),
    ("technology_share", "Share of working time spent on technology", "{}%"),
    ("tech_staff_fte", "Technology staff, full-time equivalents", "{} FTE"),
    ("cyber_incidents", "Cybersecurity incidents in the last 12 months", "{}"),
    ("budget_per_student", "Technology budget per student, a year", "${}"),
)
KEY_CHOICES = (("largest_barrier", "Barrier named most often"),)
FALLBACK_NUMBERS = 4
MAX_LABEL = 70  # a question's own label, when it has no short name above
MAX_CHOICE = 40  # a choice's label, in a figure's box
MAX_TITLE = 60  # the survey's title


@dataclass(frozen=True)
class Figure:
    label: str
    value: str  # the median, with its unit; or the most chosen answer
    detail: str  # how many answered (and the share choosing it)
    spread: str = ""  # the quartiles: printed unbroken
    is_choice: bool = False  # an answer's words, set smaller than a number


@dataclass(frozen=True)
class KeyFigures:
    survey_title: str
    slug: str
    period_label: str
    final: bool
    published_at: object
    group_label: str  # "Kansas, districts of under 1,000 students", "Kansas", "All members"
    respondents: int
    min_group: int
    figures: list[Figure] = field(default_factory=list)
    # Why the figures describe a wider group than asked for ("" when they are the group asked for).
    wider_note: str = ""

    @property
    def results_url(self) -> str:
        return f"/advocacy/surveys/{self.slug}/results"


def latest_snapshot() -> PublishedResults | None:
    """The newest survey period's latest snapshot, when it publishes any figure; one query."""
    snapshot = (
        PublishedResults.objects.select_related("period")
        .order_by("-period__opened_at", "-period_id", "-published_at", "-pk")
        .first()
    )
    if snapshot is None or snapshot.figures.get("respondents") is None:
        # The newest period closed (or stands) below the minimum: it publishes nothing, and an older
        # period's figures would be out of date without saying so.
        return None
    return snapshot


def key_figures(
    state: str, district_size: str = "", *, fallback: bool = True, snapshot: PublishedResults | None = None
) -> KeyFigures | None:
    """The key figures for the state and size band (either may be blank), from `snapshot` (by default the
    latest); None when nothing fitting is published."""
    snapshot = snapshot or latest_snapshot()
    if snapshot is None:
        return None
    groups = snapshot.figures["groups"]
    wanted = candidates(state, district_size)
    if not fallback:
        wanted = wanted[:1]
    for position, group in enumerate(wanted):
        published = groups.get(group_key(group))
        figures = figures_of(published) if published else []
        if figures:
            return KeyFigures(
                survey_title=clip(snapshot.period.definition.get("title", snapshot.period.survey), MAX_TITLE),
                slug=snapshot.period.survey,
                period_label=snapshot.period.label,
                final=snapshot.final,
                published_at=snapshot.published_at,
                group_label=group_label(group),
                respondents=published["respondents"],
                min_group=snapshot.figures["min_group"],
                figures=figures,
                wider_note=wider_note(wanted[0], group, snapshot.figures["min_group"]) if position else "",
            )
    return None


def candidates(state: str, district_size: str) -> list[tuple]:
    """The groups to try, narrowest first: state and size, state, everyone."""
    groups = []
    if state and district_size:
        groups.append((state, district_size, None))
    if state:
        groups.append((state, None, None))
    groups.append((None, None, None))
    return groups


def size_label(size: str | None) -> str:
    if not size or size not in Profile.DistrictSize.values:
        return ""
    return Profile.DistrictSize(size).label.lower()


def group_label(group: tuple) -> str:
    state, size, _role = group
    if state is None:
        return "All members who answered"
    name = state_name(state) or state
    return f"{name}, districts of {size_label(size)}" if size else f"{name}, all district sizes"


def wider_note(asked: tuple, shown: tuple, minimum: int) -> str:
    shown_label = group_label(shown)
    if shown[0] is None:
        shown_label = shown_label[0].lower() + shown_label[1:]
    return (
        f"No figures are published for {group_label(asked)} (fewer than {minimum} responses, or withheld to "
        f"protect a smaller group): these are for {shown_label}."
    )


def figures_of(group: dict) -> list[Figure]:
    by_id = {question["id"]: question for question in group["questions"]}
    figures = [
        number_figure(by_id[qid], label, shape)
        for qid, label, shape in KEY_NUMBERS
        if qid in by_id and by_id[qid].get("median") is not None
    ]
    if not figures:
        numbers = [q for q in group["questions"] if q["type"] == "number" and q.get("median") is not None]
        figures = [number_figure(q, clip(q["label"], MAX_LABEL), None) for q in numbers[:FALLBACK_NUMBERS]]
    if figures:
        figures += [
            choice_figure(by_id[qid], label)
            for qid, label in KEY_CHOICES
            if qid in by_id and by_id[qid].get("answered")
        ]
    return figures


def number_figure(question: dict, label: str, shape: str | None) -> Figure:
    def written(value) -> str:
        text = number_text(value)
        if shape:
            return shape.format(text)
        return with_unit(value, question.get("unit") or "")

    return Figure(
        label=label,
        value=written(question["median"]),
        detail=f"median of {question['answered']}",
        spread=f"middle half {number_text(question['q1'])}–{number_text(question['q3'])}",
    )


def choice_figure(question: dict, label: str) -> Figure:
    top = max(question["choices"], key=lambda choice: (choice["count"], -question["choices"].index(choice)))
    return Figure(
        label=label,
        value=clip(top["label"], MAX_CHOICE),
        detail=f"{top['share']}% of {question['answered']} answers",
        is_choice=True,
    )


def clip(text: str, length: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
