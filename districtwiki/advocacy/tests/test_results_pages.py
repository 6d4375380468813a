"""The results page, its CSV files and year over year: only published figures, from snapshots."""

import csv
import io
import re
from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine

from districtwiki.advocacy.models import PublishedResults, SurveyPeriod
from districtwiki.advocacy.survey_definitions import Choice

from .results_seed import NOW, SLUG, add_responses, make_period, skewed_answers, staffing_definition

pytestmark = pytest.mark.django_db
PAGE = f"/advocacy/surveys/{SLUG}/results"


@pytest.fixture
def closed_survey():
    period = make_period()
    add_responses(period, skewed_answers(300, seed=7))
    return period


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_results_page_shows_overall_figures_and_charts(client, closed_survey):
    response = client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Results: Small-district technology staffing and workload" in page
    assert "300 responses" in page
    assert page.count('role="img"') >= 4
    assert "Hours a week on technology" in page


def test_every_chart_sits_beside_a_table(client, closed_survey):
    page = client.get(PAGE, {"by": "district_size"}).content.decode()
    sections = page.split('<section class="results-table"')[1:]
    assert sections and all("<table" in section for section in sections if "<svg" in section)


def test_short_text_answers_are_never_on_the_page(client, db):
    period = make_period()
    add_responses(
        period, [dict(answers, notes="Our principal is Jane Doe") for answers in skewed_answers(50, 1)]
    )
    assert "Jane Doe" not in client.get(PAGE).content.decode()
    assert "Anything else?" not in client.get(PAGE).content.decode()


def test_breakdown_lists_only_published_groups(client, db):
    period = make_period()
    rows = [{"state": "IA", "district_size": "under-1000", "role": "director"}] * 9
    rows += [{"state": "NE", "district_size": "under-1000", "role": "director"}] * 2
    add_responses(period, rows)
    page = client.get(PAGE, {"by": "state"}).content.decode()
    assert '<th scope="row">NE</th>' not in page
    # Every state without a published group is named, with or without answers: no telling which had some.
    sentence = (
        re.search(r"Not published: ([^:]*): each has fewer than 5 responses", page).group(1).split(", ")
    )
    # IA (9) is withheld too: beside the overall 11 it would give NE's 2 away.
    assert {"NE", "VT", "IA"} <= set(sentence)


def test_a_breakdown_by_two_questions_describes_what_is_left_out(client, closed_survey):
    page = client.get(PAGE, {"by": "state+district_size"}).content.decode()
    assert "Groups not listed have fewer than 5 responses" in page


def test_unknown_breakdown_is_400_with_a_sentence(client, closed_survey):
    response = client.get(PAGE, {"by": "salary"})
    assert response.status_code == 400
    assert "There is no such breakdown. Choose one of: overall, state" in response.content.decode()
    assert not PublishedResults.objects.exists()


def test_unknown_survey_is_404(client, db):
    response = client.get("/advocacy/surveys/nothing/results")
    assert response.status_code == 404
    assert "There is no survey called “nothing”." in response.content.decode()


def test_open_survey_without_enough_responses_says_so(client, db):
    period = make_period(closed=False)
    add_responses(period, skewed_answers(3, seed=1))
    page = client.get(PAGE).content.decode()
    assert "No figures are published yet" in page and "at least 5 members" in page


def test_open_survey_snapshot_is_labelled_with_its_coverage(client, db):
    with time_machine.travel(NOW, tick=False):
        period = make_period(closed=False)
        add_responses(period, skewed_answers(40, seed=1))
        page = client.get(PAGE).content.decode()
    assert "from a snapshot of the open survey" in page and "covering 40 responses" in page


def test_csv_holds_the_table_the_page_shows(client, closed_survey):
    page = client.get(PAGE, {"by": "state"}).content.decode()
    rows = csv_rows(client.get(f"{PAGE}.csv", {"by": "state", "table": "respondents"}))
    assert rows[0] == ["Respondents, by state"] and rows[1] == ["State", "Respondents"]
    for label, count in rows[2:]:
        assert f'<th scope="row">{label}</th><td data-label="Respondents">{count}</td>' in page


def test_csv_of_a_question_table(client, closed_survey):
    rows = csv_rows(client.get(f"{PAGE}.csv", {"by": "overall", "table": "q-erate"}))
    assert rows[1] == ["Answer", "Count", "Share (%)"]
    assert [row[0] for row in rows[2:]] == ["yes", "no", "unsure"]


def test_csv_unknown_table_is_400_listing_the_tables(client, closed_survey):
    response = client.get(f"{PAGE}.csv", {"by": "overall", "table": "q-notes"})
    assert response.status_code == 400
    assert (
        "There is no table “q-notes” here. The tables are: respondents, q-hours" in response.content.decode()
    )


def test_csv_without_figures_is_404(client, db):
    make_period(closed=False)
    assert client.get(f"{PAGE}.csv", {"table": "respondents"}).status_code == 404


def test_year_over_year_with_two_closed_periods(client, db):
    first = make_period(label="2025–26", opened_at=NOW - timedelta(days=365))
    add_responses(first, skewed_answers(60, seed=1))
    second = make_period(label="2026–27")
    add_responses(second, skewed_answers(80, seed=2))
    page = client.get(PAGE).content.decode()
    assert "Year over year" in page
    assert re.search(r'<th scope="row">2025–26</th><td data-label="Answered">60</td>', page)
    rows = csv_rows(client.get(f"{PAGE}.csv", {"table": "years-hours"}))
    assert [row[0] for row in rows[2:]] == ["2025–26", "2026–27"]


def test_older_period_can_be_chosen(client, db):
    first = make_period(label="2025–26", opened_at=NOW - timedelta(days=365))
    add_responses(first, skewed_answers(60, seed=1))
    add_responses(make_period(label="2026–27"), skewed_answers(80, seed=2))
    page = client.get(PAGE, {"period": "2025–26"}).content.decode()
    assert "Period 2025–26" in page and "60 responses" in page


def test_page_reads_only_snapshots_after_the_first(client, closed_survey, django_assert_max_num_queries):
    client.get(PAGE)
    with django_assert_max_num_queries(6):
        client.get(PAGE, {"by": "state+district_size"})
    assert SurveyPeriod.objects.count() == 1


def test_closed_period_with_too_few_responses_does_not_show_their_number(client, db):
    add_responses(make_period(), skewed_answers(3, seed=1))
    page = client.get(PAGE).content.decode()
    assert "fewer than 5 responses, so no figures are published" in page
    assert "3 responses" not in page


MARKUP = '<img src=x onerror="top.xss()">'


def test_reflected_parameters_are_escaped(client, closed_survey):
    page = client.get(PAGE, {"period": MARKUP}).content.decode()
    assert MARKUP not in page and "&lt;img src=x" in page
    page = client.get(f"{PAGE}.csv", {"table": MARKUP}).content.decode()
    assert MARKUP not in page


def test_labels_from_the_definition_are_escaped_in_tables_and_charts(client, db):
    definition = staffing_definition()
    erate = definition.question("erate")
    marked = replace(erate, label=MARKUP, choices=(Choice("yes", MARKUP), *erate.choices[1:]))
    definition = replace(
        definition, questions=tuple(marked if q.id == "erate" else q for q in definition.questions)
    )
    add_responses(make_period(definition), skewed_answers(60, seed=2))
    for breakdown in ("overall", "district_size", "state"):
        page = client.get(PAGE, {"by": breakdown}).content.decode()
        assert MARKUP not in page and "&lt;img src=x" in page
