"""The differencing attacks (issue 15): everything the site and the API publish about a seeded survey, and
an attacker who solves for hidden groups. None may recover a group below the minimum.

The attacker knows every value of every grouping question, and that some respondents skipped one. Its
unknowns are the finest cells (state × size × role, "not answered" included); each published group is an
equation: its respondent count is the sum of its cells. A group is recovered when its own sum is fixed by
those equations, that is when its indicator vector lies in their row space, checked here with exact
rational arithmetic (independent of the module's own audit, which works modulo a prime on the relations
between groups). A choice count or an answer count of a group is a sum over the same cells with the same
equations (a group publishes all its figures or none), so what hides a respondent count hides those too.
"""

import csv
import io
import re
from collections import Counter
from datetime import timedelta
from fractions import Fraction
from html import unescape
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districtwiki.advocacy import results_tables
from districtwiki.advocacy.survey_results import compute, group_key, grouping_levels
from districtwiki.advocacy.survey_suppression import NOT_ANSWERED

from .results_seed import NOW, SLUG, add_responses, make_period, skewed_answers, staffing_definition

DEFINITION = staffing_definition()
LEVELS = grouping_levels(DEFINITION)
ALL_LEVELS = [(*levels, NOT_ANSWERED) for levels in LEVELS]
CELLS = list(product(*ALL_LEVELS))
COLUMN = {cell: index for index, cell in enumerate(CELLS)}
MINIMUM = 5


def every_group():
    for pattern in product((False, True), repeat=3):
        yield from product(
            *[levels if fixed else (None,) for levels, fixed in zip(ALL_LEVELS, pattern, strict=True)]
        )


def cell_of(answers):
    return tuple(
        answers[q] if answers.get(q) in LEVELS[d] else NOT_ANSWERED
        for d, q in enumerate(("state", "district_size", "role"))
    )


def covers(group, cell) -> bool:
    return all(value is None or value == cell[d] for d, value in enumerate(group))


def indicator(group) -> dict[int, Fraction]:
    return {COLUMN[cell]: Fraction(1) for cell in CELLS if covers(group, cell)}


class RowSpace:
    """Exact Gaussian elimination over the rationals, one equation at a time."""

    def __init__(self):
        self.pivots: list[tuple[int, dict[int, Fraction]]] = []

    def reduce(self, vector: dict[int, Fraction]) -> dict[int, Fraction]:
        vector = dict(vector)
        for column, row in self.pivots:
            factor = vector.get(column)
            if factor:
                for c, v in row.items():
                    updated = vector.get(c, 0) - factor * v
                    if updated:
                        vector[c] = updated
                    else:
                        vector.pop(c, None)
        return vector

    def add(self, vector) -> None:
        reduced = self.reduce(vector)
        if reduced:
            column = min(reduced)
            pivot = reduced[column]
            self.pivots.append((column, {c: v / pivot for c, v in reduced.items()}))

    def contains(self, vector) -> bool:
        return not self.reduce(vector)


def recovered_small_groups(published: dict, rows: list[dict], minimum: int) -> list:
    """The groups with 1 to minimum - 1 respondents whose count the published counts pin down."""
    true_cells = Counter(cell_of(answers) for answers in rows)
    space = RowSpace()
    for group in published:
        space.add(indicator(group))
    recovered = []
    for group in every_group():
        count = sum(n for cell, n in true_cells.items() if covers(group, cell))
        if 0 < count < minimum and space.contains(indicator(group)):
            recovered.append((group, count))
    return recovered


def subtraction_leaks(published: dict, rows: list[dict], minimum: int) -> list:
    """Every additive relation: a published parent minus its published children along one question."""
    true_cells = Counter(cell_of(answers) for answers in rows)
    leaks = []
    for parent, figures in published.items():
        for d in range(3):
            if parent[d] is not None:
                continue
            shown = sum(
                published[child]["respondents"]
                for value in ALL_LEVELS[d]
                if (child := tuple(value if i == d else v for i, v in enumerate(parent))) in published
            )
            hidden = figures["respondents"] - shown
            if 0 < hidden < minimum:
                leaks.append((parent, d, hidden))
    assert sum(true_cells.values()) == len(rows)
    return leaks


def published_by_compute(rows, minimum=MINIMUM) -> dict:
    groups = compute(DEFINITION, rows, minimum)["groups"]
    return {group: groups[group_key(group)] for group in every_group() if group_key(group) in groups}


# --- Everything the site and the API publish -------------------------------------------------------------

ROWS = skewed_answers(400, seed=15)
EARLIER_ROWS = skewed_answers(150, seed=14)


@pytest.fixture
def seeded(db):
    earlier = make_period(DEFINITION, label="2025–26", opened_at=NOW - timedelta(days=365))
    add_responses(earlier, EARLIER_ROWS)
    period = make_period(DEFINITION)
    add_responses(period, ROWS)
    return period


def api_published(client, period="") -> dict:
    """Every filter combination the API accepts, the empty one included, for one period."""
    published = {}
    for group in product(*[(None, *levels) for levels in LEVELS]):
        query = {
            q: v for q, v in zip(("state", "district_size", "role"), group, strict=True) if v is not None
        }
        query["period"] = period
        body = client.get(f"/api/v1/surveys/{SLUG}/results", query).json()
        if body["suppressed"]:
            assert body["respondents"] is None
            assert all(
                q["answered"] is None and q["choices"] is None and q["median"] is None
                for q in body["questions"]
            )
        else:
            published[group] = {"respondents": body["respondents"], "questions": body["questions"]}
    return published


def label_to_group(breakdown, label: str):
    labels = results_tables._level_labels(DEFINITION)
    questions = [("state", "district_size", "role")[d] for d in breakdown.dimensions]
    if not questions:
        return (None, None, None)
    parts = label.split(" · ")
    by_label = [{v: k for k, v in labels[q].items()} for q in questions]
    values = dict(
        zip(
            breakdown.dimensions,
            (lookup[part] for lookup, part in zip(by_label, parts, strict=True)),
            strict=True,
        )
    )
    return tuple(values.get(d) for d in range(3))


def test_api_publishes_no_recoverable_small_group(client, seeded):
    published = api_published(client)
    assert len(published) > 20  # the seed publishes real tables, not only the total
    assert any(figures["respondents"] < 20 for figures in published.values())
    assert recovered_small_groups(published, ROWS, MINIMUM) == []
    assert subtraction_leaks(published, ROWS, MINIMUM) == []


def test_api_publishes_no_recoverable_small_group_of_an_earlier_period(client, seeded):
    published = api_published(client, "2025–26")
    assert published[(None, None, None)]["respondents"] == len(EARLIER_ROWS)
    assert recovered_small_groups(published, EARLIER_ROWS, MINIMUM) == []
    assert subtraction_leaks(published, EARLIER_ROWS, MINIMUM) == []


def test_every_csv_and_page_table_shows_only_what_the_api_publishes(client, seeded):
    published = api_published(client)
    seen = 0
    for breakdown in results_tables.BREAKDOWNS:
        page = client.get(f"/advocacy/surveys/{SLUG}/results", {"by": breakdown.slug}).content.decode()
        ids = sorted(set(re.findall(r"table=([\w-]+)", page)))
        assert "respondents" in ids
        for table_id in ids:
            response = client.get(
                f"/advocacy/surveys/{SLUG}/results.csv", {"by": breakdown.slug, "table": table_id}
            )
            lines = list(csv.reader(io.StringIO(response.content.decode())))
            for line in lines[2:]:
                if table_id == "respondents":
                    group = label_to_group(breakdown, line[0])
                    assert published[group]["respondents"] == int(line[1])
                    assert f'<th scope="row">{line[0]}</th>' in unescape(page)
                    seen += 1
        page_rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
        for label in page_rows:
            if breakdown.dimensions:
                assert label_to_group(breakdown, unescape(label)) in published
    assert seen == sum(1 for group in published if sum(v is not None for v in group) < 3)


def test_a_lone_small_state_cannot_be_recovered_from_the_total():
    rows = [{"state": "IA", "district_size": "under-1000", "role": "director"}] * 9
    rows += [{"state": "NE", "district_size": "under-1000", "role": "director"}] * 2
    published = published_by_compute(rows)
    assert (("NE", None, None)) not in published
    assert recovered_small_groups(published, rows, MINIMUM) == []


def test_two_way_cells_are_not_pinned_through_both_margins():
    rows = []
    for state, size, count in [
        ("IA", "under-1000", 8),
        ("IA", "1000-2500", 2),
        ("NE", "under-1000", 7),
        ("NE", "1000-2500", 6),
        ("KS", "under-1000", 9),
        ("KS", "1000-2500", 9),
    ]:
        rows += [{"state": state, "district_size": size, "role": "director"}] * count
    published = published_by_compute(rows)
    assert recovered_small_groups(published, rows, MINIMUM) == []
    assert subtraction_leaks(published, rows, MINIMUM) == []


def test_skipped_grouping_question_is_not_recovered_from_totals():
    rows = [{"state": "IA", "district_size": "under-1000", "role": "director"}] * 12
    rows += [{"district_size": "under-1000", "role": "director"}] * 2  # two skipped the state
    published = published_by_compute(rows)
    assert recovered_small_groups(published, rows, MINIMUM) == []
    assert subtraction_leaks(published, rows, MINIMUM) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(min_value=1, max_value=160),
    seed=st.integers(0, 10_000),
    minimum=st.sampled_from([3, 5, 8]),
)
def test_randomised_surveys_publish_no_recoverable_small_group(count, seed, minimum):
    rows = skewed_answers(count, seed)
    published = published_by_compute(rows, minimum)
    assert recovered_small_groups(published, rows, minimum) == []
    assert subtraction_leaks(published, rows, minimum) == []


def primary_only(rows, minimum=MINIMUM) -> dict:
    counts = Counter()
    for answers in rows:
        cell = cell_of(answers)
        for group in every_group():
            if covers(group, cell):
                counts[group] += 1
    return {
        group: {"respondents": n} for group, n in counts.items() if n >= minimum and NOT_ANSWERED not in group
    }


def test_the_attacker_recovers_groups_when_only_small_groups_are_hidden():
    # The attacks are real: without complementary suppression they find small groups in the same seed.
    published = primary_only(ROWS)
    assert recovered_small_groups(published, ROWS, MINIMUM)
    assert subtraction_leaks(published, ROWS, MINIMUM)
