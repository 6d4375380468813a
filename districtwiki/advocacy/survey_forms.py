"""The answering form: what a posted form means as answers, what the form starts with (the member's saved
answers, else their profile), and the fields the template draws, with each one's error beside it.

The form posts one field per question, named by its id (several values for a multiple choice) and
`<id>.other` for the words beside "other". Checking is survey_actions.clean_answers' job: a number that
does not parse stays text here, so that it is refused there with every other problem at once.
"""

import functools
from dataclasses import dataclass, field

from districtwiki.community import rendering
from districtwiki.community.models import Profile

from .survey_definitions import GROUPING_QUESTIONS, OTHER_VALUE, Question, QuestionType, SurveyDefinition

SELECT_ABOVE = 8  # a single choice with more choices than this is a drop-down (the states), else radios
MAX_NUMBER_TEXT = 40


def answers_from_post(definition: SurveyDefinition, post) -> dict:
    answers: dict = {}
    for question in definition.questions:
        if question.type == QuestionType.MULTIPLE:
            answers[question.id] = post.getlist(question.id)[: len(question.choices or ()) + 1]
        elif question.type == QuestionType.NUMBER:
            answers[question.id] = parse_number(post.get(question.id, ""))
        else:
            answers[question.id] = post.get(question.id, "").strip()
        if question.other and chose_other(answers[question.id]):
            answers[question.other_key] = post.get(question.other_key, "").strip()
    return answers


def chose_other(value) -> bool:
    return value == OTHER_VALUE or (isinstance(value, list) and OTHER_VALUE in value)


def parse_number(text: str):
    """A number typed in the form ("1,250", "0.5"), or the text itself when it is not one."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned or len(cleaned) > MAX_NUMBER_TEXT:
        return cleaned or None
    for kind in (int, float):
        try:
            return kind(cleaned)
        except ValueError:
            continue
    return text.strip()


def initial_answers(definition: SurveyDefinition, member, saved: dict | None) -> dict:
    """The member's saved answers, or, for a first answer, the grouping questions from their profile."""
    if saved is not None:
        return dict(saved)
    profile = Profile.objects.filter(user=member).values(*GROUPING_QUESTIONS).first() or {}
    return {key: value for key, value in profile.items() if value and definition.question(key)}


# --- What the template draws ----------------------------------------------------------------------------


@dataclass
class ChoiceField:
    value: str
    label: str
    checked: bool
    html_id: str


@dataclass
class AnswerField:
    question: Question
    html_id: str
    value: str = ""  # as typed (number, text) or chosen (single)
    choices: list[ChoiceField] = field(default_factory=list)
    other_text: str = ""
    error: str = ""
    other_error: str = ""

    @property
    def widget(self) -> str:
        if self.question.type == QuestionType.SINGLE:
            return "select" if len(self.choices) > SELECT_ABOVE else "radios"
        return {"multiple": "checkboxes", "number": "number", "text": "text"}[self.question.type]

    @property
    def other_id(self) -> str:
        return f"{self.html_id}-other"

    @property
    def step(self) -> str:
        return "1" if self.question.integer else "any"


def answer_fields(definition: SurveyDefinition, values: dict, problems: dict) -> list[dict]:
    """[{"title", "fields": [AnswerField]}] per section of the survey."""
    return [
        {"title": title, "fields": [answer_field(q, values, problems) for q in questions]}
        for title, questions in definition.sections
    ]


def answer_field(question: Question, values: dict, problems: dict) -> AnswerField:
    html_id = f"q-{question.id}"
    value = values.get(question.id)
    chosen = set(value) if isinstance(value, list) else {value}
    choices = [
        ChoiceField(choice.value, choice.label, choice.value in chosen, f"{html_id}-{number}")
        for number, choice in enumerate(question.choices or ())
    ]
    return AnswerField(
        question=question,
        html_id=html_id,
        value=shown_value(value),
        choices=choices,
        other_text=str(values.get(question.other_key, "")) if question.other else "",
        error=capitalised(problems.get(question.id, "")),
        other_error=capitalised(problems.get(question.other_key, "")) if question.other else "",
    )


def shown_value(value) -> str:
    if value is None or isinstance(value, list):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def error_summary(definition: SurveyDefinition, problems: dict) -> list[dict]:
    """The problems in the order of the form, each linking to its field."""
    summary = []
    for question in definition.questions:
        for key, html_id in (
            (question.id, f"q-{question.id}"),
            (question.other_key, f"q-{question.id}-other"),
        ):
            if key in problems:
                summary.append({"label": question.label, "href": f"#{html_id}", "error": problems[key]})
    return summary


@functools.lru_cache(maxsize=32)
def description_html(text: str) -> str:
    """The survey's description (Markdown from the reviewed file), sanitised like every member's text."""
    return rendering.render(text)
