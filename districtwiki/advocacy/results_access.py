"""Reading a survey's published figures, for the results page, its CSV files, the API and "how you
compare": which periods have figures, the snapshot shown, and one group's figures. Everything read here
comes from a snapshot (results_snapshots.py), never from the answers themselves.

`get_*` raise Http404 with a sentence; a filter naming no value of its grouping question raises
UnknownGroup (a 400).
"""

from dataclasses import dataclass

from django.http import Http404

from . import results_snapshots
from .models import PublishedResults, SurveyPeriod
from .survey_definitions import GROUPING_QUESTIONS, SurveyDefinition
from .survey_results import definition_of, group_key

__all__ = ["Shown", "UnknownGroup", "definition_of", "get_periods", "parse_group", "pick", "shown_periods"]

MAX_FILTER_LENGTH = 100


class UnknownGroup(ValueError):
    """A filter value that is not a value of its grouping question; the message is for the person."""

    status = 400


@dataclass(frozen=True)
class Shown:
    """A period whose figures are shown, with the snapshot they come from."""

    period: SurveyPeriod
    definition: SurveyDefinition
    snapshot: PublishedResults

    @property
    def is_final(self) -> bool:
        return self.snapshot.final

    @property
    def min_group(self) -> int:
        return self.snapshot.figures["min_group"]

    @property
    def respondents(self) -> int:
        return self.snapshot.figures["respondents"]

    def group(self, group) -> dict | None:
        """A published group's figures, or None when it is not published."""
        return self.snapshot.figures["groups"].get(group_key(group))


def get_periods(slug: str) -> list[SurveyPeriod]:
    """The survey's periods, oldest first; 404 when there is no survey by that name."""
    periods = list(SurveyPeriod.objects.of(slug[:MAX_FILTER_LENGTH]).order_by("opened_at"))
    if not periods:
        raise Http404(f"There is no survey called “{slug[:80]}”.")
    return periods


def shown_periods(periods: list[SurveyPeriod]) -> list[Shown]:
    """The periods that have published figures, oldest first: closed ones (final), and an open one once it
    has a snapshot."""
    shown = []
    for period in periods:
        snapshot = results_snapshots.current(period)
        if snapshot is not None:
            shown.append(Shown(period, definition_of(period), snapshot))
    return shown


def pick(shown: list[Shown], label: str | None) -> Shown | None:
    """The period asked for by its label, else the newest with figures; 404 for an unknown label."""
    if not label:
        return shown[-1] if shown else None
    for candidate in shown:
        if candidate.period.label == label:
            return candidate
    raise Http404(f"This survey has no published period “{label[:80]}”.")


def parse_group(definition: SurveyDefinition, filters: dict[str, str | None]):
    """The group (state, district size, role; None where not given) named by the filters."""
    group = []
    for question_id in GROUPING_QUESTIONS:
        value = (filters.get(question_id) or "").strip()
        if value:
            question = definition.question(question_id)
            values = {choice.value for choice in (question.choices or ())} if question else set()
            if value not in values:
                label = question.label if question else question_id.replace("_", " ")
                raise UnknownGroup(f"“{value[:80]}” is not one of the answers to “{label}” in this survey.")
        group.append(value or None)
    return tuple(group)
