"""Opening and closing periods, and answering: every bad answer is refused with a sentence naming the
question and nothing stored; a member answers once per period and revises; closing cuts the link."""

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from districtwiki.advocacy import survey_actions, survey_definitions
from districtwiki.advocacy.models import PublishedResults, SurveyPeriod, SurveyResponse
from districtwiki.advocacy.survey_actions import (
    InvalidAnswers,
    PeriodConflict,
    SurveyClosed,
    SurveyError,
    SurveyNotFound,
)

from .survey_world import GOOD_ANSWERS, LABEL, SLUG, answers, period, stored_count  # noqa: F401

pytestmark = pytest.mark.django_db


def refused(period, member, sent) -> str:  # noqa: F811
    with pytest.raises(InvalidAnswers) as raised:
        survey_actions.save_response(period, member, sent)
    assert stored_count() == 0
    return str(raised.value)


# --- Opening and closing


def test_opening_copies_the_definition_into_the_period(period):  # noqa: F811
    assert period.is_open and period.label == LABEL
    assert period.definition["title"] == "Small-district technology staffing and workload"
    assert [q["id"] for q in period.definition["questions"]][:3] == ["state", "district_size", "role"]


def test_opening_an_unknown_survey_is_refused(db):
    with pytest.raises(SurveyNotFound, match="no survey file"):
        survey_actions.open_period("no-such-survey", LABEL)
    assert not SurveyPeriod.objects.exists()


def test_opening_without_a_label_is_refused(db):
    with pytest.raises(SurveyError, match="Give the period a label"):
        survey_actions.open_period(SLUG, "   ")
    assert not SurveyPeriod.objects.exists()


def test_opening_with_a_long_label_is_refused(db):
    with pytest.raises(SurveyError, match="at most 40 characters"):
        survey_actions.open_period(SLUG, "x" * 41)
    assert not SurveyPeriod.objects.exists()


def test_opening_twice_is_a_conflict(period):  # noqa: F811
    with pytest.raises(PeriodConflict, match="already open"):
        survey_actions.open_period(SLUG, "2027–28")
    assert SurveyPeriod.objects.count() == 1


def test_reusing_a_label_is_a_conflict(period):  # noqa: F811
    survey_actions.close_period(SLUG)
    with pytest.raises(PeriodConflict, match="already had a period labelled “2026–27”"):
        survey_actions.open_period(SLUG, LABEL)
    assert SurveyPeriod.objects.count() == 1


def test_a_member_may_not_open_a_survey(alice):
    with pytest.raises(PermissionDenied, match="Only admins can open a survey"):
        survey_actions.open_period(SLUG, LABEL, alice)
    assert not SurveyPeriod.objects.exists()


def test_an_admin_opens_a_survey_and_is_recorded(ada):
    assert survey_actions.open_period(SLUG, LABEL, ada).opened_by == ada


def test_closing_without_an_open_period_is_a_conflict(db):
    with pytest.raises(PeriodConflict, match="no open period"):
        survey_actions.close_period(SLUG)


def test_a_member_may_not_close_a_survey(period, alice):  # noqa: F811
    with pytest.raises(PermissionDenied):
        survey_actions.close_period(SLUG, alice)
    period.refresh_from_db()
    assert period.is_open


def test_closing_cuts_every_link_and_removes_free_text(period, alice, bob):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    survey_actions.save_response(
        period,
        bob,
        answers(biggest_difference=..., largest_barrier="money", **{"largest_barrier.other": ...}),
    )
    survey_actions.close_period(SLUG)
    rows = list(SurveyResponse.objects.filter(period=period).values("member", "updated_at", "answers"))
    assert len(rows) == 2
    assert all(row["member"] is None and row["updated_at"] is None for row in rows)
    for row in rows:
        assert not {"biggest_difference", "largest_barrier.other", "funding_programs.other"} & set(
            row["answers"]
        )
        assert row["answers"]["hours_per_week"] == 48
    assert sorted(row["answers"]["largest_barrier"] for row in rows) == ["money", "other"]


def test_closing_marks_the_period_closed(period):  # noqa: F811
    survey_actions.close_period(SLUG)
    period.refresh_from_db()
    assert period.closed_at is not None and not period.is_open


def test_closing_publishes_the_final_figures_at_once(period, settings):  # noqa: F811
    settings.SURVEY_MIN_GROUP = 3
    for number in range(3):
        survey_actions.save_response(period, make_user(f"member{number}"), GOOD_ANSWERS)
    survey_actions.close_period(SLUG)
    snapshot = PublishedResults.objects.get(period=period)
    assert snapshot.final and snapshot.respondents == 3
    overall = snapshot.figures["groups"][""]
    hours = next(q for q in overall["questions"] if q["id"] == "hours_per_week")
    assert hours["median"] == 48


def test_closing_below_the_minimum_publishes_a_final_snapshot_without_figures(period, alice):  # noqa: F811
    survey_actions.save_response(period, alice, GOOD_ANSWERS)
    survey_actions.close_period(SLUG)
    snapshot = PublishedResults.objects.get(period=period)
    assert snapshot.final and snapshot.respondents is None and snapshot.figures["groups"] == {}


def test_a_refused_close_takes_no_snapshot(period, alice):  # noqa: F811
    with pytest.raises(PermissionDenied):
        survey_actions.close_period(SLUG, alice)
    assert not PublishedResults.objects.exists()


def test_a_period_keeps_its_questions_when_the_file_changes(period, monkeypatch, tmp_path):  # noqa: F811
    shipped = survey_definitions.survey_path(SLUG).read_text(encoding="utf-8")
    edited = shipped.replace("label: Hours you work in a typical school-year week", "label: Weekly hours")
    assert edited != shipped
    (tmp_path / f"{SLUG}.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setattr(survey_definitions, "SURVEYS_DIR", tmp_path)
    assert survey_definitions.load_definition(SLUG).question("hours_per_week").label == "Weekly hours"
    period.refresh_from_db()
    label = survey_actions.definition_of(period).question("hours_per_week").label
    assert label == "Hours you work in a typical school-year week"


def test_a_new_period_may_open_after_the_last_closed(period):  # noqa: F811
    survey_actions.close_period(SLUG)
    later = survey_actions.open_period(SLUG, "2027–28")
    assert survey_actions.get_period(SLUG) == later


# --- Answering


def test_a_member_answers(period, alice):  # noqa: F811
    response = survey_actions.save_response(period, alice, GOOD_ANSWERS)
    assert response.member == alice and response.updated_at is not None
    assert response.answers == GOOD_ANSWERS


def test_a_member_revises_their_answers_in_the_same_row(period, alice):  # noqa: F811
    first = survey_actions.save_response(period, alice, GOOD_ANSWERS)
    second = survey_actions.save_response(period, alice, answers(hours_per_week=40, biggest_difference=...))
    assert second.pk == first.pk and stored_count() == 1
    assert second.answers["hours_per_week"] == 40 and "biggest_difference" not in second.answers


def test_an_anonymous_visitor_may_not_answer(period):  # noqa: F811
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Sign in to answer"):
        survey_actions.save_response(period, AnonymousUser(), GOOD_ANSWERS)
    assert stored_count() == 0


def test_an_unconfirmed_member_may_not_answer(period):  # noqa: F811
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        survey_actions.save_response(period, make_user("newbie", confirmed=False), GOOD_ANSWERS)
    assert stored_count() == 0


def test_answering_a_closed_period_is_a_conflict(period, alice):  # noqa: F811
    survey_actions.close_period(SLUG)
    period.refresh_from_db()
    with pytest.raises(SurveyClosed, match="is closed"):
        survey_actions.save_response(period, alice, GOOD_ANSWERS)
    assert stored_count() == 0


def test_answers_that_are_not_an_object_are_refused(period, alice):  # noqa: F811
    assert (
        refused(period, alice, ["IA"])
        == "Some answers are not valid: answers: must be an object of {question id: answer}."
    )


def test_an_unknown_question_is_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(favourite_colour="blue"))
    assert (
        message == "Some answers are not valid: favourite_colour: there is no such question in this survey."
    )


def test_a_missing_required_answer_is_refused(period, alice):  # noqa: F811
    assert refused(period, alice, answers(state=...)).endswith("state: this question needs an answer.")


def test_a_null_required_answer_is_refused(period, alice):  # noqa: F811
    assert refused(period, alice, answers(role=None)).endswith("role: this question needs an answer.")


def test_a_value_that_is_not_a_choice_is_refused(period, alice):  # noqa: F811
    assert refused(period, alice, answers(district_size="huge")).endswith(
        "district_size: “huge” is not one of the choices."
    )


def test_a_number_for_a_choice_is_refused(period, alice):  # noqa: F811
    assert "salary_band: choose one of the choices" in refused(period, alice, answers(salary_band=60000))


def test_a_multiple_choice_that_is_not_a_list_is_refused(period, alice):  # noqa: F811
    assert "funding_programs: send a list" in refused(period, alice, answers(funding_programs="erate"))


def test_a_multiple_choice_with_an_unknown_value_is_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(funding_programs=["erate", "lottery"]))
    assert message.endswith("funding_programs: “lottery” is not one of the choices.")


def test_a_multiple_choice_listing_a_value_twice_is_refused(period, alice):  # noqa: F811
    message = refused(
        period, alice, answers(funding_programs=["erate", "erate"], **{"funding_programs.other": ...})
    )
    assert message.endswith("funding_programs: a choice is listed twice.")


@pytest.mark.parametrize("value", ["48", True, float("nan"), float("inf"), [48]])
def test_a_number_of_the_wrong_type_is_refused(period, alice, value):  # noqa: F811
    assert refused(period, alice, answers(hours_per_week=value)).endswith("hours_per_week: enter a number.")


def test_a_number_above_its_maximum_is_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(hours_per_week=101))
    assert message.endswith("hours_per_week: enter at most 100 hours a week.")


def test_a_number_below_its_minimum_is_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(students_served=0))
    assert message.endswith("students_served: enter at least 1 students.")


def test_a_fraction_for_a_whole_number_is_refused(period, alice):  # noqa: F811
    assert refused(period, alice, answers(years_in_role=2.5)).endswith("years_in_role: enter a whole number.")


def test_a_fraction_is_kept_where_it_is_allowed(period, alice):  # noqa: F811
    assert (
        survey_actions.save_response(period, alice, answers(tech_staff_fte=0.5)).answers["tech_staff_fte"]
        == 0.5
    )


def test_a_whole_float_is_stored_as_an_integer(period, alice):  # noqa: F811
    response = survey_actions.save_response(period, alice, answers(hours_per_week=45.0))
    assert response.answers["hours_per_week"] == 45 and isinstance(response.answers["hours_per_week"], int)


def test_a_text_that_is_too_long_is_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(biggest_difference="x" * 501))
    assert message.endswith("biggest_difference: keep it to 500 characters (this has 501).")


def test_a_text_with_nul_is_refused(period, alice):  # noqa: F811
    assert "the text cannot contain NUL" in refused(period, alice, answers(biggest_difference="a\x00b"))


def test_a_text_that_is_not_text_is_refused(period, alice):  # noqa: F811
    assert "biggest_difference: write your answer as text" in refused(
        period, alice, answers(biggest_difference=5)
    )


def test_other_words_without_choosing_other_are_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(largest_barrier="money"))
    assert message.endswith("largest_barrier.other: choose “Something else” to add your own words.")


def test_other_words_that_are_too_long_are_refused(period, alice):  # noqa: F811
    message = refused(period, alice, answers(**{"largest_barrier.other": "y" * 501}))
    assert "largest_barrier.other: keep it to 500 characters" in message


def test_every_problem_is_named_at_once(period, alice):  # noqa: F811
    with pytest.raises(InvalidAnswers) as raised:
        survey_actions.save_response(period, alice, answers(hours_per_week=500, state="ZZ"))
    assert set(raised.value.problems) == {"hours_per_week", "state"}


def test_many_unknown_keys_make_a_bounded_message(period, alice):  # noqa: F811
    message = refused(period, alice, {f"junk{n}": 1 for n in range(5000)} | GOOD_ANSWERS)
    assert len(message) < 1000 and message.endswith("(and 4990 more).")


def test_blank_optional_answers_are_not_stored(period, alice):  # noqa: F811
    sent = answers(
        salary_band="", funding_programs=[], biggest_difference=None, **{"funding_programs.other": ...}
    )
    stored = survey_actions.save_response(period, alice, sent).answers
    assert not {"salary_band", "funding_programs", "biggest_difference"} & set(stored)


def test_only_the_grouping_questions_are_required(period, alice):  # noqa: F811
    sent = {"state": "IA", "district_size": "under-1000", "role": "director"}
    assert survey_actions.save_response(period, alice, sent).answers == sent


def test_multiple_choices_are_stored_in_the_surveys_order(period, alice):  # noqa: F811
    sent = answers(funding_programs=["local-levy", "erate"], **{"funding_programs.other": ...})
    assert survey_actions.save_response(period, alice, sent).answers["funding_programs"] == [
        "erate",
        "local-levy",
    ]
