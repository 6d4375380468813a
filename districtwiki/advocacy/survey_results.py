"""A survey period's published figures, computed from its anonymous rows: no HTTP, no database.

What is published, for the whole survey and for each group by state, district size and role, alone, in
pairs and all three together (the tables of the results page, its CSV files and the API):
- respondents;
- for a single or multiple choice question: how many answered it, and per choice a count and a share of
  those who answered, in whole percent (a multiple choice question's shares may add up to more than 100);
- for a number question: how many answered it, and when at least the minimum did, the median and the
  quartiles (never a minimum, maximum or mean: each of those is one person's answer or moves with it);
- nothing of a short-text answer, ever; nor of an "other" text beside a choice.
The grouping questions are not repeated inside a group's figures: how many of a group are in each state is
the breakdown by state, with its own suppression, and repeating it as a choice count would go round it.

Which groups are published, and why differencing recovers no smaller group, is survey_suppression.py's
business. Over time (figures seen before and after one more answer arrives) the snapshots protect: pages
and the API show the last PublishedResults of a period (models/survey_results.py), refreshed only when at
least the minimum of responses were saved or revised since the one before, and once more on close; so two
successive snapshots differ by at least the minimum of responses.

Cost: one pass over the rows per group pattern (8) and question, plus sorting each published group's
numbers: linear in rows × questions up to a log factor (10,000 rows: see tests/test_results_compute.py).
"""

from collections import Counter, defaultdict
from itertools import product

from django.conf import settings

from . import survey_definitions
from .survey_definitions import GROUPING_QUESTIONS, Question, QuestionType, SurveyDefinition
from .survey_suppression import NOT_ANSWERED, Group, published_groups

# Which grouping questions a table fixes: everyone, each alone, each pair, all three.
PATTERNS = tuple(product((False, True), repeat=len(GROUPING_QUESTIONS)))


def min_group() -> int:
    """The smallest group whose figures are published (DISTRICTWIKI_SURVEY_MIN_GROUP, default 5)."""
    return settings.SURVEY_MIN_GROUP


# --- The definition a period was answered under -------------------------------------------------------


def definition_of(period) -> SurveyDefinition:
    """The questions of a period, from the copy of its definition it keeps (survey_definitions.to_json)."""
    return survey_definitions.from_json(period.definition)


# --- Groups ---------------------------------------------------------------------------------------------


def grouping_levels(definition: SurveyDefinition) -> tuple[tuple[str, ...], ...]:
    """Each grouping question's published values, in the definition's order (none when it is missing)."""
    levels = []
    for question_id in GROUPING_QUESTIONS:
        question = definition.question(question_id)
        levels.append(tuple(choice.value for choice in (question.choices or ())) if question else ())
    return tuple(levels)


def cell_of(answers: dict, levels) -> tuple[str, str, str]:
    """A row's finest group: its state, size band and role, NOT_ANSWERED where skipped or unknown."""
    return tuple(  # type: ignore[return-value]
        value if isinstance(value := answers.get(question_id), str) and value in levels[d] else NOT_ANSWERED
        for d, question_id in enumerate(GROUPING_QUESTIONS)
    )


def group_key(group: Group) -> str:
    """ "" for everyone; "state=IA&district_size=under-1000" for a group (the grouping questions' order)."""
    return "&".join(
        f"{question_id}={value}"
        for question_id, value in zip(GROUPING_QUESTIONS, group, strict=True)
        if value is not None
    )


def group_of(filters: dict[str, str]) -> Group:
    return tuple(filters.get(question_id) or None for question_id in GROUPING_QUESTIONS)  # type: ignore[return-value]


# --- Figures --------------------------------------------------------------------------------------------


def compute(definition: SurveyDefinition, rows: list[dict], minimum: int) -> dict:
    """The published figures of a period: {"min_group", "respondents", "groups": {group key: figures}}.
    A group that is not published is absent from "groups"; "respondents" is the rows counted, or None when
    they are fewer than the minimum (then nothing at all is published)."""
    levels = grouping_levels(definition)
    cells_of_rows = [cell_of(answers, levels) for answers in rows]
    published = published_groups(Counter(cells_of_rows), levels, minimum)
    members: defaultdict[Group, list[dict]] = defaultdict(list)
    for answers, cell in zip(rows, cells_of_rows, strict=True):
        for group in _groups_of(cell):
            if group in published:
                members[group].append(answers)
    questions = [q for q in definition.questions if q.is_published and not q.is_grouping]
    groups = {
        group_key(group): {
            "respondents": len(members[group]),
            "questions": [question_figures(q, members[group], minimum) for q in questions],
        }
        for group in sorted(published, key=_group_order(levels))
    }
    respondents = len(rows) if len(rows) >= minimum else None
    return {"min_group": minimum, "respondents": respondents, "groups": groups}


def _groups_of(cell) -> list[Group]:
    return [
        tuple(value if keep else None for value, keep in zip(cell, fixed, strict=True))  # type: ignore[misc]
        for fixed in PATTERNS
    ]


def _group_order(levels):
    positions = [{value: i for i, value in enumerate(dimension)} for dimension in levels]

    def order(group: Group):
        return (
            sum(v is not None for v in group),
            [(-1 if v is None else positions[d].get(v, len(positions[d]))) for d, v in enumerate(group)],
        )

    return order


def question_figures(question: Question, answers_list: list[dict], minimum: int) -> dict:
    figures: dict = {"id": question.id, "type": str(question.type), "label": question.label}
    if question.type == QuestionType.NUMBER:
        figures.update(number_figures(question, answers_list, minimum))
    else:
        figures.update(choice_figures(question, answers_list))
    return figures


def choice_figures(question: Question, answers_list: list[dict]) -> dict:
    allowed = {choice.value for choice in question.choices or ()}
    counts: Counter = Counter()
    answered = 0
    for answers in answers_list:
        chosen = _chosen(answers.get(question.id), question.type) & allowed
        if chosen:
            answered += 1
            counts.update(chosen)
    return {
        "answered": answered,
        "choices": [
            {
                "value": choice.value,
                "label": choice.label,
                "count": counts[choice.value],
                "share": whole_percent(counts[choice.value], answered),
            }
            for choice in question.choices or ()
        ],
    }


def _chosen(value, question_type) -> set[str]:
    if question_type == QuestionType.SINGLE:
        return {value} if isinstance(value, str) else set()
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def whole_percent(count: int, total: int) -> int | None:
    if not total:
        return None
    return int((200 * count + total) // (2 * total))  # half up, in integers: no float ties


def number_figures(question: Question, answers_list: list[dict], minimum: int) -> dict:
    values = sorted(
        value
        for answers in answers_list
        if isinstance(value := answers.get(question.id), int | float) and not isinstance(value, bool)
    )
    figures = {"answered": len(values), "unit": question.unit, "median": None, "q1": None, "q3": None}
    # Quartiles of fewer answers than the minimum come close to naming the answers themselves.
    if len(values) >= minimum:
        figures.update(q1=quantile(values, 0.25), median=quantile(values, 0.5), q3=quantile(values, 0.75))
    return figures


def quantile(ordered: list[float], fraction: float) -> float | int:
    """The interpolated quantile of sorted values (the "linear" method, as spreadsheets compute it)."""
    position = (len(ordered) - 1) * fraction
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    value = round(ordered[below] + (ordered[above] - ordered[below]) * (position - below), 2)
    return int(value) if float(value).is_integer() else value
