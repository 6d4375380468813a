"""A survey's questions, as read from its YAML file in the content folder (content/surveys/<slug>.yaml).

The dataclasses below are what the rest of the hub works with: the answering form and API, the results and
"how you compare". Reading and checking the files (`districtwiki content check`) lives here too.

The file format, with every key:

    title: Small-district technology staffing and workload
    description: >-            Markdown: why the survey exists, what is done with the answers
    sections:
      - title: About you         a fieldset of the form
        questions:
          - id: state            lower case letters, digits and _; unique in the survey
            type: single         single, multiple, number or text
            label: …
            help: …              optional
            required: true       optional, false by default
            choices: profile     grouping questions: the profile's own list (or written out in full)
          - id: largest_barrier
            type: single
            choices:
              - {value: money, label: Not enough money}
              - {value: other, label: Something else}
            other: true          the choice `other` carries a short text (never published)
          - id: hours_per_week
            type: number
            minimum: 0
            maximum: 100
            unit: hours a week
            integer: true        optional: whole numbers only

An answer is stored as {question id: value}: a choice's value (single), a list of values (multiple), a
number, or a short text; the text beside a chosen "other" is stored under `<id>.other` (Question.other_key).
"""

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

# The questions that group results: each is a single choice prefilled from the member's profile.
GROUPING_QUESTIONS = ("state", "district_size", "role")

SURVEYS_DIR = Path(__file__).resolve().parent.parent / "content" / "surveys"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
CHOICE_VALUE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
OTHER_VALUE = "other"  # the choice that carries a short text when a question has `other: true`
PROFILE_CHOICES = "profile"  # `choices: profile` on a grouping question: the profile's own list
TEXT_MAX_LENGTH = 500  # a short-text answer, and the text beside "other"
MAX_LABEL = 300
MAX_HELP = 1000
MAX_CHOICES = 100
MAX_QUESTIONS = 100
MAX_FILE_BYTES = 200_000


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
    section: str = ""  # the title of the part of the form it is asked in

    @property
    def is_grouping(self) -> bool:
        return self.id in GROUPING_QUESTIONS

    @property
    def is_published(self) -> bool:
        return self.type != QuestionType.TEXT

    @property
    def other_key(self) -> str:
        """Where the text beside a chosen "other" is kept in the answers."""
        return f"{self.id}.{OTHER_VALUE}"

    @property
    def has_choices(self) -> bool:
        return self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE)

    def choice_label(self, value: str) -> str:
        return next((choice.label for choice in self.choices or () if choice.value == value), value)


def number_text(value) -> str:
    """1,500 and 1.5, never 1.5e+06 (medians are stored rounded to two places)."""
    if not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def with_unit(value, unit: str) -> str:
    """A number with its unit as a sentence says it: "60% of your time", "1 device per student", "3 hours"."""
    text = number_text(value)
    if not unit:
        return text
    if unit.startswith("%"):
        return text + unit
    first, _, rest = unit.partition(" ")
    if value == 1 and first.endswith("s") and first.islower():
        first = first[:-1]  # incidents → incident, hours a week → hour a week
    return f"{text} {first}{' ' + rest if rest else ''}"


@dataclass(frozen=True)
class SurveyDefinition:
    slug: str
    title: str
    description: str  # Markdown: why the survey exists and what is done with the answers
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, question_id: str) -> Question | None:
        return next((question for question in self.questions if question.id == question_id), None)

    @property
    def sections(self) -> list[tuple[str, list[Question]]]:
        """(title, questions) in the order of the file: the fieldsets of the form."""
        sections: list[tuple[str, list[Question]]] = []
        for question in self.questions:
            if not sections or sections[-1][0] != question.section:
                sections.append((question.section, []))
            sections[-1][1].append(question)
        return sections

    @property
    def text_keys(self) -> set[str]:
        """The answer keys that hold free text (short-text answers and "other" texts): never published,
        removed when the period closes."""
        keys = {q.id for q in self.questions if q.type == QuestionType.TEXT}
        return keys | {q.other_key for q in self.questions if q.other}


# --- Reading and checking the files ----------------------------------------------------------------------


class SurveyFileError(ValueError):
    """A survey file that cannot be used; the message is one line naming the file and the question."""


class NoSuchSurvey(SurveyFileError):
    pass


def survey_path(slug: str, directory: Path | None = None) -> Path:
    return (directory or SURVEYS_DIR) / f"{slug}.yaml"


def load_definition(slug: str, directory: Path | None = None) -> SurveyDefinition:
    """The survey defined in content/surveys/<slug>.yaml, checked; SurveyFileError if it is not usable."""
    path = survey_path(slug, directory)
    if not SLUG.fullmatch(slug) or not path.is_file():
        raise NoSuchSurvey(f"There is no survey file “{slug[:100]}.yaml”.")
    return parse_file(path)


def all_definitions(directory: Path | None = None) -> tuple[SurveyDefinition, ...]:
    """Every shipped survey, in slug order (a file that does not pass the check raises SurveyFileError)."""
    return tuple(parse_file(path) for path in survey_files(directory))


def survey_files(directory: Path | None = None) -> list[Path]:
    folder = directory or SURVEYS_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def check(directory: Path | None = None) -> list[str]:
    """One line per problem in the survey files, for `districtwiki content check`."""
    problems = []
    for path in survey_files(directory):
        try:
            parse_file(path)
        except SurveyFileError as error:
            problems.append(str(error))
    return problems


def parse_file(path: Path) -> SurveyDefinition:
    name = f"surveys/{path.name}"
    if not SLUG.fullmatch(path.stem):
        raise SurveyFileError(f"{name}: the file name must be a slug (lower case, digits and hyphens)")
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise SurveyFileError(f"{name}: larger than {MAX_FILE_BYTES // 1000} kB")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        first_line = str(error).splitlines()[0] if str(error) else "unreadable"
        raise SurveyFileError(f"{name}: not valid YAML ({first_line})") from None
    return parse_survey(path.stem, data, name)


def parse_survey(slug: str, data, name: str) -> SurveyDefinition:
    if not isinstance(data, dict):
        raise SurveyFileError(f"{name}: must be a mapping with title, description and sections")
    _no_unknown_keys(data, {"title", "description", "sections"}, name)
    title = _text(data, "title", name, MAX_LABEL, required=True)
    description = _text(data, "description", name, 10_000, required=True)
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise SurveyFileError(f"{name}: `sections` must be a list of sections, each with questions")
    questions: list[Question] = []
    for number, section in enumerate(sections, start=1):
        questions += _parse_section(section, f"{name}: section {number}")
    _check_questions(questions, name)
    return SurveyDefinition(slug=slug, title=title, description=description, questions=tuple(questions))


def _parse_section(section, where: str) -> list[Question]:
    if not isinstance(section, dict):
        raise SurveyFileError(f"{where}: must be a mapping with a title and questions")
    _no_unknown_keys(section, {"title", "questions"}, where)
    title = _text(section, "title", where, MAX_LABEL, required=True)
    questions = section.get("questions")
    if not isinstance(questions, list) or not questions:
        raise SurveyFileError(f"{where} (“{title}”): `questions` must be a non-empty list")
    return [_parse_question(entry, title, f"{where} (“{title}”)") for entry in questions]


QUESTION_KEYS = {"id", "type", "label", "help", "required", "choices", "other", "minimum", "maximum"}
QUESTION_KEYS |= {"unit", "integer"}


def _parse_question(entry, section: str, where: str) -> Question:
    if not isinstance(entry, dict):
        raise SurveyFileError(f"{where}: each question must be a mapping with id, type and label")
    question_id = entry.get("id")
    if not isinstance(question_id, str) or not QUESTION_ID.fullmatch(question_id):
        raise SurveyFileError(
            f"{where}: question id {question_id!r} must be lower case letters, digits and _ (at most 40), "
            "starting with a letter"
        )
    where = where.split(": section")[0] + f": question {question_id}"
    _no_unknown_keys(entry, QUESTION_KEYS, where)
    kind = entry.get("type")
    if kind not in set(QuestionType):
        known = ", ".join(QuestionType)
        raise SurveyFileError(f"{where}: unknown type {kind!r}; use one of {known}")
    kind = QuestionType(kind)
    for flag in ("required", "other", "integer"):
        if not isinstance(entry.get(flag, False), bool):
            raise SurveyFileError(f"{where}: `{flag}` must be true or false")
    number = _parse_number_keys(entry, kind, where)
    return Question(
        id=question_id,
        type=kind,
        label=_text(entry, "label", where, MAX_LABEL, required=True),
        required=entry.get("required", False),
        help=_text(entry, "help", where, MAX_HELP),
        choices=_parse_choices(entry, question_id, kind, where),
        other=_parse_other(entry, kind, where),
        section=section,
        **number,
    )


def _parse_number_keys(entry: dict, kind: QuestionType, where: str) -> dict:
    keys = ("minimum", "maximum", "unit", "integer")
    if kind != QuestionType.NUMBER:
        stray = [key for key in keys if key in entry]
        if stray:
            raise SurveyFileError(f"{where}: `{stray[0]}` is for number questions only")
        return {}
    bounds = {}
    for key in ("minimum", "maximum"):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SurveyFileError(f"{where}: a number question needs a numeric `{key}`")
        bounds[key] = value
    if bounds["minimum"] > bounds["maximum"]:
        raise SurveyFileError(
            f"{where}: minimum {bounds['minimum']} is greater than maximum {bounds['maximum']}"
        )
    integer = entry.get("integer", False)
    if integer and any(float(value) != int(value) for value in bounds.values()):
        raise SurveyFileError(f"{where}: a whole-number question needs whole-number bounds")
    unit = _text(entry, "unit", where, 60, required=True)
    return {**bounds, "unit": unit, "integer": integer}


def _parse_choices(entry: dict, question_id: str, kind: QuestionType, where: str):
    raw = entry.get("choices")
    if kind not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if raw is not None:
            raise SurveyFileError(f"{where}: a {kind} question has no choices")
        return None
    if raw == PROFILE_CHOICES:
        if question_id not in GROUPING_QUESTIONS:
            raise SurveyFileError(f"{where}: `choices: profile` is for the grouping questions only")
        return tuple(Choice(value, str(label)) for value, label in profile_choices()[question_id])
    if not isinstance(raw, list) or not raw:
        raise SurveyFileError(f"{where}: a {kind} choice question needs a list of choices")
    if len(raw) > MAX_CHOICES:
        raise SurveyFileError(f"{where}: more than {MAX_CHOICES} choices")
    choices = tuple(_parse_choice(item, where) for item in raw)
    values = [choice.value for choice in choices]
    duplicates = sorted({value for value in values if values.count(value) > 1})
    if duplicates:
        raise SurveyFileError(f"{where}: the choice {duplicates[0]!r} is listed twice")
    return choices


def _parse_choice(item, where: str) -> Choice:
    if not isinstance(item, dict) or set(item) != {"value", "label"}:
        raise SurveyFileError(f"{where}: each choice must be a mapping with exactly a value and a label")
    value = item["value"]
    if not isinstance(value, str) or not CHOICE_VALUE.fullmatch(value) or len(value) > 40:
        raise SurveyFileError(
            f"{where}: choice value {value!r} must be lower case letters and digits, with - or _ between"
        )
    return Choice(value, _text(item, "label", where, MAX_LABEL, required=True))


def _parse_other(entry: dict, kind: QuestionType, where: str) -> bool:
    other = entry.get("other", False)
    if not other:
        return False
    if kind not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        raise SurveyFileError(f"{where}: `other` is for choice questions only")
    values = [item.get("value") for item in entry["choices"] if isinstance(item, dict)]
    if OTHER_VALUE not in values:
        raise SurveyFileError(f"{where}: `other: true` needs a choice whose value is “{OTHER_VALUE}”")
    return True


def _check_questions(questions: list[Question], name: str) -> None:
    if len(questions) > MAX_QUESTIONS:
        raise SurveyFileError(f"{name}: more than {MAX_QUESTIONS} questions")
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise SurveyFileError(f"{name}: question {question.id}: the id is used twice")
        seen.add(question.id)
    for question_id in GROUPING_QUESTIONS:
        _check_grouping(next((q for q in questions if q.id == question_id), None), question_id, name)


def _check_grouping(question: Question | None, question_id: str, name: str) -> None:
    where = f"{name}: question {question_id}"
    if question is None:
        raise SurveyFileError(
            f"{where}: missing; every survey asks the grouping questions {', '.join(GROUPING_QUESTIONS)}"
        )
    if question.type != QuestionType.SINGLE:
        raise SurveyFileError(f"{where}: a grouping question must be a single choice")
    expected = [value for value, _label in profile_choices()[question_id]]
    values = [choice.value for choice in question.choices or ()]
    if sorted(values) != sorted(expected):
        missing = [value for value in expected if value not in values]
        extra = [value for value in values if value not in expected]
        detail = f"lacks {missing[0]!r}" if missing else f"has {extra[0]!r}, which the profile does not"
        raise SurveyFileError(
            f"{where}: its choices must be the profile's values ({detail}); write `choices: profile`"
        )


def profile_choices() -> dict[str, list[tuple[str, str]]]:
    """The profile's lists the grouping questions take their choices from (so a member's profile prefills
    them, and results group by the same bands)."""
    from districtwiki.community.models import Profile
    from districtwiki.community.states import STATE_CHOICES

    return {
        "state": list(STATE_CHOICES),
        "district_size": [(value, str(label)) for value, label in Profile.DistrictSize.choices],
        "role": [(value, str(label)) for value, label in Profile.Role.choices],
    }


def _text(data: dict, key: str, where: str, limit: int, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise SurveyFileError(f"{where}: `{key}` must be text")
    value = value.strip()
    if required and not value:
        raise SurveyFileError(f"{where}: `{key}` is missing")
    if len(value) > limit:
        raise SurveyFileError(f"{where}: `{key}` is longer than {limit} characters")
    return value


def _no_unknown_keys(data: dict, known: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        raise SurveyFileError(f"{where}: unknown key `{unknown[0]}`")


# --- The copy kept in SurveyPeriod.definition -------------------------------------------------------------


def to_json(definition: SurveyDefinition) -> dict:
    """The definition as JSON, for SurveyPeriod.definition (what a period's answers were given under)."""
    return asdict(definition)


def from_json(data: dict) -> SurveyDefinition:
    """The definition a period keeps (written by to_json)."""
    questions = []
    for entry in data["questions"]:
        choices = entry.get("choices")
        questions.append(
            Question(
                **{
                    **entry,
                    "type": QuestionType(entry["type"]),
                    "choices": tuple(Choice(**choice) for choice in choices) if choices is not None else None,
                }
            )
        )
    return SurveyDefinition(
        slug=data["slug"], title=data["title"], description=data["description"], questions=tuple(questions)
    )
