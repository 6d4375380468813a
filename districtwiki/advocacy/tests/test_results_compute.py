"""The published figures of a period, computed from its rows (survey_results.compute and definition_of)."""

import time

from districtwiki.advocacy import survey_definitions
from districtwiki.advocacy.models import SurveyPeriod
from districtwiki.advocacy.survey_definitions import QuestionType
from districtwiki.advocacy.survey_results import (
    compute,
    definition_of,
    min_group,
    quantile,
    whole_percent,
)
from districtwiki.community.states import STATE_CHOICES

from .results_seed import skewed_answers, staffing_definition

DEFINITION = staffing_definition()


def row(state="IA", size="under-1000", role="coordinator", **answers):
    return {"state": state, "district_size": size, "role": role, **answers}


def test_definition_of_reads_the_period_copy():
    period = SurveyPeriod(definition=survey_definitions.to_json(DEFINITION))
    definition = definition_of(period)
    assert definition == DEFINITION
    assert definition.question("barriers").type == QuestionType.MULTIPLE
    assert definition.question("barriers").choices[0].value == "time"
    assert definition.question("hours").unit == "hours"


def test_min_group_follows_the_setting(settings):
    settings.SURVEY_MIN_GROUP = 8
    assert min_group() == 8


def test_overall_counts_and_shares_of_a_single_choice():
    rows = [row(erate="yes")] * 3 + [row(erate="no")] * 2 + [row()]
    figures = compute(DEFINITION, rows, 5)["groups"][""]
    erate = next(q for q in figures["questions"] if q["id"] == "erate")
    assert erate["answered"] == 5
    assert [(c["value"], c["count"], c["share"]) for c in erate["choices"]] == [
        ("yes", 3, 60),
        ("no", 2, 40),
        ("unsure", 0, 0),
    ]


def test_multiple_choice_shares_are_of_those_who_answered_and_may_pass_100():
    rows = [row(barriers=["time", "money"])] * 4 + [row(barriers=["time"])]
    figures = compute(DEFINITION, rows, 5)["groups"][""]
    barriers = next(q for q in figures["questions"] if q["id"] == "barriers")
    shares = {c["value"]: c["share"] for c in barriers["choices"]}
    assert (barriers["answered"], shares["time"], shares["money"]) == (5, 100, 80)


def test_numbers_publish_median_and_quartiles_only():
    rows = [row(hours=value) for value in (10, 20, 30, 40, 50)]
    hours = next(q for q in compute(DEFINITION, rows, 5)["groups"][""]["questions"] if q["id"] == "hours")
    assert hours == {
        "id": "hours",
        "type": "number",
        "label": "Hours a week on technology",
        "answered": 5,
        "unit": "hours",
        "q1": 20,
        "median": 30,
        "q3": 40,
    }


def test_numbers_answered_by_fewer_than_the_minimum_have_no_quartiles():
    rows = [row(hours=value) for value in (10, 20, 30, 40)] + [row()]
    hours = next(q for q in compute(DEFINITION, rows, 5)["groups"][""]["questions"] if q["id"] == "hours")
    assert (hours["answered"], hours["median"], hours["q1"], hours["q3"]) == (4, None, None, None)


def test_short_text_and_grouping_questions_are_not_in_a_groups_figures():
    rows = [row(notes="my district is X")] * 5
    ids = [q["id"] for q in compute(DEFINITION, rows, 5)["groups"][""]["questions"]]
    assert ids == ["hours", "fte", "erate", "barriers"]


def test_short_text_is_nowhere_in_the_figures():
    rows = [row(notes="a secret sentence")] * 6
    assert "a secret sentence" not in str(compute(DEFINITION, rows, 5))


def test_group_below_the_minimum_is_not_published():
    rows = [row(state="IA")] * 6 + [row(state="NE")] * 2 + [row(state="KS")] * 5
    groups = compute(DEFINITION, rows, 5)["groups"]
    assert "state=NE" not in groups


def test_smallest_sibling_is_hidden_with_a_lone_small_group():
    # Overall minus IA and KS would give NE's 2: KS (the smaller published state) is withheld too.
    rows = [row(state="IA")] * 7 + [row(state="NE")] * 2 + [row(state="KS")] * 5
    groups = compute(DEFINITION, rows, 5)["groups"]
    assert "state=IA" in groups and "state=KS" not in groups and "state=NE" not in groups


def test_not_answered_counts_in_totals_but_is_never_a_group():
    rows = [row(state="IA")] * 6 + [{k: v for k, v in row().items() if k != "state"}] * 6
    result = compute(DEFINITION, rows, 5)
    assert result["groups"][""]["respondents"] == 12
    assert all("state=&" not in key and not key.endswith("state=") for key in result["groups"])


def test_unknown_grouping_value_counts_as_not_answered():
    rows = [row(state="ZZ")] * 6
    assert "state=ZZ" not in compute(DEFINITION, rows, 5)["groups"]


def test_malformed_answers_are_ignored_not_counted():
    rows = [row(hours="forty", erate=["yes"], barriers="time")] * 5
    figures = {q["id"]: q for q in compute(DEFINITION, rows, 5)["groups"][""]["questions"]}
    assert (figures["hours"]["answered"], figures["erate"]["answered"], figures["barriers"]["answered"]) == (
        0,
        0,
        0,
    )


def test_whole_percent_rounds_half_up():
    assert (whole_percent(1, 8), whole_percent(1, 3), whole_percent(0, 0)) == (13, 33, None)


def test_quantile_interpolates():
    assert quantile([1, 2, 3, 4], 0.5) == 2.5


def test_ten_thousand_rows_compute_in_a_few_seconds():
    # Every state and territory of the profile, so the suppression works on the full set of groups.
    states = tuple(code for code, _ in STATE_CHOICES if code)
    rows = skewed_answers(10_000, seed=3, states=states)
    started = time.perf_counter()
    result = compute(staffing_definition(states), rows, 5)
    elapsed = time.perf_counter() - started
    print(f"10,000 rows: {elapsed:.2f} s, {len(result['groups'])} groups published")
    assert result["respondents"] == 10_000
    assert elapsed < 10


def test_fewer_rows_than_the_minimum_publish_not_even_their_number():
    result = compute(DEFINITION, [row()] * 4, 5)
    assert (result["respondents"], result["groups"]) == (None, {})
