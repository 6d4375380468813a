"""A survey's questions, as read from its YAML file in the content folder (content/surveys/<slug>.yaml).

The dataclasses below are what the rest of the hub works with: the answering form and API, the results and
"how you compare". Reading and checking the files (`districtwiki content check`) lives here too.
"""

from dataclasses import dataclass, field
from enum import StrEnum

# The questions that group results: each is a single choice prefilled from the member's profile.
GROUPING_QUESTIONS = ("state", "district_size", "role")


class QuestionType(StrEnum):
    SINGLE = "single"  # one value of `choices`
    MULTIPLE = "multiple"  # a list of values of `choices`
    NUMBER = "number"  # a number within [minimum, maximum], in `unit`
    TEXT = "text"  # a short text: never published, shown to no one but its author


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    label: str
    required: bool = False
    help: str = ""
    choices: tuple[Choice, ...] | None = None  # single and multiple only
    # A single or multiple choice question may offer "Other" with a short text beside it; that text is
    # treated like a TEXT answer (never published).
    other: bool = False
    minimum: float | None = None  # number only
    maximum: float | None = None
    unit: str = ""  # number only: "students", "hours a week", "dollars per student"
    integer: bool = False  # number only: whole numbers

    @property
    def is_grouping(self) -> bool:
        return self.id in GROUPING_QUESTIONS

    @property
    def is_published(self) -> bool:
        return self.type != QuestionType.TEXT


@dataclass(frozen=True)
class SurveyDefinition:
    slug: str
    title: str
    description: str  # Markdown: why the survey exists and what is done with the answers
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, question_id: str) -> Question | None:
        return next((question for question in self.questions if question.id == question_id), None)
