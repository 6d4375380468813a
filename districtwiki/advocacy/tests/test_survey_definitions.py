"""Survey files: the shipped survey reads and passes the check; every kind of broken file is refused with one
line naming the file and the question; a definition survives its trip through a period's JSON."""

import json

import pytest
import yaml

from districtwiki.advocacy import survey_definitions
from districtwiki.advocacy.survey_definitions import (
    QuestionType,
    SurveyFileError,
    all_definitions,
    from_json,
    load_definition,
    to_json,
)
from districtwiki.community.models import Profile
from districtwiki.community.states import STATE_CHOICES
from districtwiki.content import checks

SHIPPED = "staffing-and-workload"
GROUPING = [
    {"id": "state", "type": "single", "label": "State", "required": True, "choices": "profile"},
    {"id": "district_size", "type": "single", "label": "Size", "required": True, "choices": "profile"},
    {"id": "role", "type": "single", "label": "Role", "required": True, "choices": "profile"},
]


def survey(*questions, **top) -> dict:
    return {
        "title": "A test survey",
        "description": "Why we ask.",
        "sections": [{"title": "About you", "questions": [*GROUPING, *questions]}],
        **top,
    }


def write(tmp_path, data, slug="test-survey"):
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    (tmp_path / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def refusal(tmp_path, data, slug="test-survey") -> str:
    with pytest.raises(SurveyFileError) as raised:
        load_definition(slug, write(tmp_path, data, slug))
    message = str(raised.value)
    assert "\n" not in message
    return message


# --- The shipped survey


def test_the_shipped_survey_passes_the_check():
    assert survey_definitions.check() == []


def test_the_shipped_survey_asks_the_grouping_questions_from_the_profile():
    definition = load_definition(SHIPPED)
    assert [q.id for q in definition.questions[:3]] == ["state", "district_size", "role"]
    assert [c.value for c in definition.question("state").choices] == [v for v, _ in STATE_CHOICES]
    assert [c.value for c in definition.question("role").choices] == list(Profile.Role.values)


def test_the_shipped_survey_asks_about_fifteen_more_questions_of_every_type():
    definition = load_definition(SHIPPED)
    assert len(definition.questions) - 3 >= 15
    assert {q.type for q in definition.questions} == set(QuestionType)


def test_every_shipped_number_question_has_bounds_and_a_unit():
    numbers = [q for q in load_definition(SHIPPED).questions if q.type == QuestionType.NUMBER]
    assert numbers and all(q.minimum is not None and q.maximum is not None and q.unit for q in numbers)


def test_all_definitions_lists_the_shipped_survey():
    assert SHIPPED in [definition.slug for definition in all_definitions()]


def test_the_definition_survives_the_json_kept_in_a_period():
    definition = load_definition(SHIPPED)
    assert from_json(json.loads(json.dumps(to_json(definition)))) == definition


def test_sections_keep_the_files_order():
    sections = load_definition(SHIPPED).sections
    assert sections[0][0] == "You and your district"
    assert sections[0][1][0].id == "state"


def test_text_keys_are_the_short_texts_and_other_texts():
    assert load_definition(SHIPPED).text_keys == {
        "biggest_difference",
        "largest_barrier.other",
        "funding_programs.other",
    }


def test_an_unknown_slug_is_no_survey():
    with pytest.raises(survey_definitions.NoSuchSurvey, match=r"no survey file “nope\.yaml”"):
        load_definition("nope")


def test_a_slug_with_a_path_is_no_survey():
    with pytest.raises(survey_definitions.NoSuchSurvey):
        load_definition("../checks")


# --- Broken files: one line naming the file and the question

NUMBER = {"id": "hours", "type": "number", "label": "Hours", "minimum": 0, "maximum": 80, "unit": "hours"}
SINGLE = {"id": "pick", "type": "single", "label": "Pick", "choices": [{"value": "a", "label": "A"}]}


def test_a_valid_test_survey_loads(tmp_path):
    definition = load_definition("test-survey", write(tmp_path, survey(NUMBER, SINGLE)))
    assert definition.question("hours").maximum == 80


def test_unknown_type_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**NUMBER, "type": "slider"}))
    assert message.startswith("surveys/test-survey.yaml: question hours: unknown type 'slider'")


def test_duplicate_id_is_refused(tmp_path):
    message = refusal(tmp_path, survey(NUMBER, {**SINGLE, "id": "hours"}))
    assert message == "surveys/test-survey.yaml: question hours: the id is used twice"


def test_choices_missing_on_a_choice_question_are_refused(tmp_path):
    message = refusal(tmp_path, survey({"id": "pick", "type": "multiple", "label": "Pick"}))
    assert (
        message
        == "surveys/test-survey.yaml: question pick: a multiple choice question needs a list of choices"
    )


def test_choices_on_a_number_are_refused(tmp_path):
    message = refusal(tmp_path, survey({**NUMBER, "choices": [{"value": "a", "label": "A"}]}))
    assert message == "surveys/test-survey.yaml: question hours: a number question has no choices"


def test_minimum_above_maximum_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**NUMBER, "minimum": 90}))
    assert message == "surveys/test-survey.yaml: question hours: minimum 90 is greater than maximum 80"


def test_a_number_without_bounds_is_refused(tmp_path):
    bare = {key: value for key, value in NUMBER.items() if key != "maximum"}
    message = refusal(tmp_path, survey(bare))
    assert message == "surveys/test-survey.yaml: question hours: a number question needs a numeric `maximum`"


def test_a_number_without_unit_is_refused(tmp_path):
    bare = {key: value for key, value in NUMBER.items() if key != "unit"}
    assert refusal(tmp_path, survey(bare)).endswith("question hours: `unit` is missing")


def test_fractional_bounds_on_a_whole_number_are_refused(tmp_path):
    message = refusal(tmp_path, survey({**NUMBER, "integer": True, "maximum": 7.5}))
    assert message.endswith("question hours: a whole-number question needs whole-number bounds")


def test_a_unit_on_a_choice_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**SINGLE, "unit": "hours"}))
    assert message.endswith("question pick: `unit` is for number questions only")


def test_a_duplicate_choice_is_refused(tmp_path):
    twice = {**SINGLE, "choices": [{"value": "a", "label": "A"}, {"value": "a", "label": "Again"}]}
    assert refusal(tmp_path, survey(twice)).endswith("question pick: the choice 'a' is listed twice")


def test_a_choice_without_label_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**SINGLE, "choices": [{"value": "a"}]}))
    assert "question pick: each choice must be a mapping with exactly a value and a label" in message


def test_other_without_an_other_choice_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**SINGLE, "other": True}))
    assert message.endswith("question pick: `other: true` needs a choice whose value is “other”")


def test_other_on_a_number_is_refused(tmp_path):
    assert refusal(tmp_path, survey({**NUMBER, "other": True})).endswith(
        "`other` is for choice questions only"
    )


def test_an_unknown_key_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**NUMBER, "maximun": 3}))
    assert message == "surveys/test-survey.yaml: question hours: unknown key `maximun`"


def test_a_question_without_label_is_refused(tmp_path):
    bare = {key: value for key, value in NUMBER.items() if key != "label"}
    assert refusal(tmp_path, survey(bare)).endswith("question hours: `label` is missing")


def test_a_bad_question_id_is_refused(tmp_path):
    message = refusal(tmp_path, survey({**NUMBER, "id": "Hours Worked"}))
    assert "question id 'Hours Worked' must be lower case letters" in message


def test_a_non_boolean_required_is_refused(tmp_path):
    assert refusal(tmp_path, survey({**NUMBER, "required": "yes"})).endswith(
        "`required` must be true or false"
    )


@pytest.mark.parametrize("missing", ["state", "district_size", "role"])
def test_a_missing_grouping_question_is_refused(tmp_path, missing):
    data = survey()
    data["sections"][0]["questions"] = [q for q in GROUPING if q["id"] != missing]
    message = refusal(tmp_path, data)
    assert message.startswith(f"surveys/test-survey.yaml: question {missing}: missing;")


def test_a_grouping_question_that_is_not_single_choice_is_refused(tmp_path):
    data = survey()
    data["sections"][0]["questions"][2] = {**GROUPING[2], "type": "multiple"}
    assert refusal(tmp_path, data).endswith("question role: a grouping question must be a single choice")


def test_a_grouping_question_with_other_values_than_the_profile_is_refused(tmp_path):
    data = survey()
    sizes = [{"value": "small", "label": "Small"}, {"value": "large", "label": "Large"}]
    data["sections"][0]["questions"][1] = {**GROUPING[1], "choices": sizes}
    message = refusal(tmp_path, data)
    assert message.startswith(
        "surveys/test-survey.yaml: question district_size: its choices must be the profile"
    )


def test_a_grouping_question_may_spell_out_the_profiles_values(tmp_path):
    data = survey()
    roles = [{"value": value, "label": str(label)} for value, label in Profile.Role.choices]
    data["sections"][0]["questions"][2] = {**GROUPING[2], "choices": roles}
    assert (
        load_definition("test-survey", write(tmp_path, data)).question("role").choices[0].value
        == "technician"
    )


def test_profile_choices_on_another_question_are_refused(tmp_path):
    message = refusal(tmp_path, survey({**SINGLE, "choices": "profile"}))
    assert message.endswith("question pick: `choices: profile` is for the grouping questions only")


def test_invalid_yaml_is_refused(tmp_path):
    assert refusal(tmp_path, "title: [unclosed\n").startswith("surveys/test-survey.yaml: not valid YAML")


def test_a_file_without_sections_is_refused(tmp_path):
    message = refusal(tmp_path, {"title": "T", "description": "D"})
    assert message == "surveys/test-survey.yaml: `sections` must be a list of sections, each with questions"


def test_a_file_name_that_is_not_a_slug_is_refused(tmp_path):
    write(tmp_path, survey(), slug="Bad_Name")
    assert survey_definitions.check(tmp_path) == [
        "surveys/Bad_Name.yaml: the file name must be a slug (lower case, digits and hyphens)"
    ]


def test_content_check_reports_a_broken_survey_file(tmp_path, monkeypatch):
    monkeypatch.setattr(survey_definitions, "SURVEYS_DIR", write(tmp_path, survey({**NUMBER, "type": "x"})))
    assert any(
        p.startswith("surveys/test-survey.yaml: question hours: unknown type") for p in checks.check()[0]
    )


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (60, "% of your time", "60% of your time"),
        (1, "devices per student", "1 device per student"),
        (1.5, "devices per student", "1.5 devices per student"),
        (1, "incidents", "1 incident"),
        (1, "hours a week", "1 hour a week"),
        (40, "hours a week", "40 hours a week"),
        (1, "FTE", "1 FTE"),
        (1500, "students", "1,500 students"),
        (2.25, "", "2.25"),
    ],
)
def test_numbers_are_written_with_their_units(value, unit, written):
    assert survey_definitions.with_unit(value, unit) == written
