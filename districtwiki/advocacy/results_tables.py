"""The tables (and charts) of the results page, built from a snapshot; the CSV files are these same
tables, so a download never holds more than the page shows. No HTTP here.

A breakdown is overall, one grouping question, or a pair of them. Its tables: respondents per group, then
one per published question. Each table may carry a chart of the same figures (charts.py); a chart needs at
most charts.SERIES_CLASSES series, so it is drawn whichever way round fits, or not at all (the table stays).
"""

from dataclasses import dataclass, field
from itertools import combinations

from django.utils.safestring import SafeString

from . import charts
from .results_access import Shown
from .survey_definitions import GROUPING_QUESTIONS, Question, QuestionType, SurveyDefinition

NOT_ENOUGH = "fewer than {minimum} answers"
# Above this many groups a chart's bars lie down, one labelled row each: upright bars' labels would overlap.
UPRIGHT_GROUPS = 5
QUESTION_NAMES = {"state": "state", "district_size": "district size", "role": "role"}


@dataclass(frozen=True)
class Breakdown:
    slug: str  # "overall", "state", "state+district_size"
    dimensions: tuple[int, ...]  # positions in GROUPING_QUESTIONS

    @property
    def by_state(self) -> bool:
        return GROUPING_QUESTIONS.index("state") in self.dimensions

    @property
    def title(self) -> str:
        if not self.dimensions:
            return "Overall"
        return "By " + " and ".join(QUESTION_NAMES[GROUPING_QUESTIONS[d]] for d in self.dimensions)


BREAKDOWNS = [Breakdown("overall", ())] + [
    Breakdown("+".join(GROUPING_QUESTIONS[d] for d in dims), dims)
    for size in (1, 2)
    for dims in combinations(range(len(GROUPING_QUESTIONS)), size)
]


def breakdown_named(slug: str) -> Breakdown | None:
    return next((breakdown for breakdown in BREAKDOWNS if breakdown.slug == slug), None)


@dataclass
class Table:
    id: str  # "respondents" or "q-<question id>": the CSV's ?table=
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # the first cell of each row is its header
    chart: SafeString | None = None
    note: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[str, object]]]:
        """Each row's cells with their column's heading (a phone shows each row as a labelled card)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


def tables_for(shown: Shown, breakdown: Breakdown, state: str = "") -> list[Table]:
    """The breakdown's tables; with `state`, only the rows of that state (a breakdown by state only)."""
    groups = _groups_in(shown, breakdown)
    if state:
        position = breakdown.dimensions.index(GROUPING_QUESTIONS.index("state"))
        groups = [(group, figures) for group, figures in groups if group[position] == state]
    labels = _level_labels(shown.definition)
    question_ids = [GROUPING_QUESTIONS[d] for d in breakdown.dimensions]
    rows = [(_group_label(group, question_ids, labels), figures) for group, figures in groups]
    tables = [_respondents_table(breakdown, rows)]
    for index, question in enumerate(_published_questions(shown.definition)):
        tables.append(_question_table(shown, breakdown, question, index, rows))
    return tables


def unpublished_levels(shown: Shown, breakdown: Breakdown) -> list[str]:
    """For a breakdown by one grouping question: every one of its answers with no published group, whether
    nobody gave it, fewer than the minimum did, or it is withheld to protect a smaller group (the page does
    not say which, or it would tell the small groups from the rest)."""
    if len(breakdown.dimensions) != 1:
        return []
    question = shown.definition.question(GROUPING_QUESTIONS[breakdown.dimensions[0]])
    published = {group[0] for group, _ in _groups_in(shown, breakdown)}
    return (
        [choice.label for choice in (question.choices or ()) if choice.value not in published]
        if question
        else []
    )


def _published_questions(definition: SurveyDefinition) -> list[Question]:
    return [q for q in definition.questions if q.is_published and not q.is_grouping]


def _groups_in(shown: Shown, breakdown: Breakdown) -> list[tuple[tuple, dict]]:
    found = []
    for key, figures in shown.snapshot.figures["groups"].items():
        values = dict(part.split("=", 1) for part in key.split("&")) if key else {}
        if {GROUPING_QUESTIONS.index(question_id) for question_id in values} == set(breakdown.dimensions):
            found.append((tuple(values[GROUPING_QUESTIONS[d]] for d in breakdown.dimensions), figures))
    return found


def _level_labels(definition: SurveyDefinition) -> dict[str, dict[str, str]]:
    labels = {}
    for question_id in GROUPING_QUESTIONS:
        question = definition.question(question_id)
        labels[question_id] = {c.value: c.label for c in (question.choices or ())} if question else {}
    return labels


def _group_label(group: tuple, question_ids: list[str], labels) -> str:
    if not group:
        return "Everyone"
    return " · ".join(
        labels[question_id].get(value, value) for value, question_id in zip(group, question_ids, strict=True)
    )


def _respondents_table(breakdown: Breakdown, rows) -> Table:
    return Table(
        id="respondents",
        caption=f"Respondents, {breakdown.title.lower()}",
        columns=[_row_heading(breakdown), "Respondents"],
        rows=[[label, figures["respondents"]] for label, figures in rows],
    )


def _row_heading(breakdown: Breakdown) -> str:
    if not breakdown.dimensions:
        return "Group"
    return " and ".join(QUESTION_NAMES[GROUPING_QUESTIONS[d]] for d in breakdown.dimensions).capitalize()


def _question_table(shown: Shown, breakdown: Breakdown, question: Question, index: int, rows) -> Table:
    per_group = [(label, _figures_of(figures, question.id)) for label, figures in rows]
    per_group = [(label, figures) for label, figures in per_group if figures is not None]
    chart_id = f"chart-{breakdown.slug.replace('+', '-')}-{index}"
    if question.type == QuestionType.NUMBER:
        return _number_table(shown, breakdown, question, per_group, chart_id)
    return _choice_table(breakdown, question, per_group, chart_id)


def _unit_suffix(question: Question) -> str:
    # "Technology staff (FTE)" already names its unit.
    if not question.unit or question.unit.lower() in question.label.lower():
        return ""
    return f" ({question.unit})"


def _figures_of(group_figures: dict, question_id: str) -> dict | None:
    return next((q for q in group_figures["questions"] if q["id"] == question_id), None)


def _number_table(shown, breakdown, question, per_group, chart_id) -> Table:
    unit = _unit_suffix(question)
    not_enough = NOT_ENOUGH.format(minimum=shown.min_group)
    table = Table(
        id=f"q-{question.id}",
        caption=question.label + unit,
        columns=[_row_heading(breakdown), "Answered", "Lower quartile", "Median", "Upper quartile"],
    )
    for label, figures in per_group:
        stats = [figures["q1"], figures["median"], figures["q3"]]
        table.rows.append([label, figures["answered"], *(not_enough if v is None else v for v in stats)])
    medians = [figures["median"] for _, figures in per_group]
    if any(value is not None for value in medians):
        # One group (everyone, or one state's row): its quartiles; several: their medians side by side.
        if len(per_group) > 1:
            table.chart = group_bar_chart(
                chart_id,
                question.label,
                f"Median{unit.lower()} for each group shown in the table below; a gap is a group where "
                f"fewer than {shown.min_group} answered.",
                [label for label, _ in per_group],
                {"Median": medians},
            )
        else:
            figures = per_group[0][1]
            table.chart = charts.bar_chart(
                chart_id,
                question.label,
                f"Lower quartile, median and upper quartile{unit.lower()} of "
                f"{'everyone' if not breakdown.dimensions else per_group[0][0]} who answered.",
                ["Lower quartile", "Median", "Upper quartile"],
                {question.label: [figures["q1"], figures["median"], figures["q3"]]},
            )
    return table


def _choice_table(breakdown, question, per_group, chart_id) -> Table:
    choices = list(question.choices or ())
    several = question.type == QuestionType.MULTIPLE
    table = Table(
        id=f"q-{question.id}",
        caption=question.label,
        columns=[_row_heading(breakdown), "Answered", *(f"{c.label} (%)" for c in choices)],
        note="Shares of those who answered; several answers could be chosen, so they may add up to more "
        "than 100%."
        if several
        else "Shares of those who answered, in whole percent.",
    )
    for label, figures in per_group:
        shares = {c["value"]: c["share"] for c in figures["choices"]}
        table.rows.append([label, figures["answered"], *(shares.get(c.value) for c in choices)])
    if not breakdown.dimensions and per_group:
        # Overall: one row, so counts are shown as well.
        figures = per_group[0][1]
        table.columns = ["Answer", "Count", "Share (%)"]
        table.rows = [[c["label"], c["count"], c["share"]] for c in figures["choices"]]
        table.note = (table.note + f" {figures['answered']} answered.").strip()
    table.chart = _choice_chart(breakdown, question, per_group, chart_id)
    return table


def _choice_chart(breakdown, question, per_group, chart_id) -> SafeString | None:
    choices = list(question.choices or ())
    if not per_group or not any(figures["answered"] for _, figures in per_group):
        return None
    shares = [{c["value"]: c["share"] for c in figures["choices"]} for _, figures in per_group]
    description = f"Share of those who answered choosing each answer, {breakdown.title.lower()}, in percent."
    if len(per_group) <= charts.SERIES_CLASSES:
        series = {
            label: [s.get(c.value) for c in choices] for (label, _), s in zip(per_group, shares, strict=True)
        }
        return group_bar_chart(chart_id, question.label, description, [c.label for c in choices], series)
    if len(choices) <= charts.SERIES_CLASSES:
        series = {c.label: [s.get(c.value) for s in shares] for c in choices}
        return group_bar_chart(
            chart_id, question.label, description, [label for label, _ in per_group], series
        )
    return None


def group_bar_chart(chart_id, title, description, labels, series) -> SafeString:
    """Bars per group: upright for a few groups, lying down (a row per group) for more."""
    if len(labels) <= UPRIGHT_GROUPS:
        return charts.bar_chart(chart_id, title, description, labels, series)
    return charts.horizontal_bar_chart(chart_id, title, description, labels, series)


# --- Year over year -------------------------------------------------------------------------------------


def year_over_year(shown: list[Shown]) -> list[Table]:
    """Overall figures of each closed period side by side, questions matched by id, for the questions of
    the newest period; drawn as lines across the periods."""
    closed = [candidate for candidate in shown if candidate.is_final]
    if len(closed) < 2:
        return []
    labels = [candidate.period.label for candidate in closed]
    overall = [candidate.group((None, None, None)) for candidate in closed]
    tables = []
    for index, question in enumerate(_published_questions(closed[-1].definition)):
        per_period = [_figures_of(figures, question.id) if figures else None for figures in overall]
        chart_id = f"chart-years-{index}"
        if question.type == QuestionType.NUMBER:
            tables.append(_number_years(question, labels, per_period, chart_id))
        else:
            tables.append(_choice_years(question, labels, per_period, chart_id))
    return tables


def _number_years(question, labels, per_period, chart_id) -> Table:
    unit = _unit_suffix(question)
    table = Table(
        id=f"years-{question.id}",
        caption=f"{question.label}{unit}, by period",
        columns=["Period", "Answered", "Lower quartile", "Median", "Upper quartile"],
    )
    for label, figures in zip(labels, per_period, strict=True):
        if figures:
            table.rows.append([label, figures["answered"], figures["q1"], figures["median"], figures["q3"]])
    series = {
        "Median": [figures["median"] if figures else None for figures in per_period],
    }
    if any(value is not None for value in series["Median"]):
        table.chart = charts.line_chart(
            chart_id, f"{question.label}, by period", f"Median{unit.lower()} in each period.", labels, series
        )
    return table


def _choice_years(question, labels, per_period, chart_id) -> Table:
    choices = list(question.choices or ())
    table = Table(
        id=f"years-{question.id}",
        caption=f"{question.label}, by period",
        columns=["Period", "Answered", *(f"{c.label} (%)" for c in choices)],
        note="Shares of those who answered, in whole percent.",
    )
    shares = []
    for label, figures in zip(labels, per_period, strict=True):
        by_value = {c["value"]: c["share"] for c in figures["choices"]} if figures else {}
        shares.append(by_value)
        if figures:
            table.rows.append([label, figures["answered"], *(by_value.get(c.value) for c in choices)])
    if len(choices) <= charts.SERIES_CLASSES:
        series = {c.label: [s.get(c.value) for s in shares] for c in choices}
        table.chart = charts.line_chart(
            chart_id,
            f"{question.label}, by period",
            "Share choosing each answer in each period, in percent.",
            labels,
            series,
        )
    return table
