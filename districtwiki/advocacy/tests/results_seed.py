"""A seeded benchmark survey for the results tests: a definition built directly (the YAML loader is not
what these tests are about), rows with a realistic skew of groups (a few large states, many tiny ones,
some who skip a grouping question), and periods stored as the hub stores them."""

import random
from datetime import UTC, datetime, timedelta

from districtwiki.advocacy import survey_definitions
from districtwiki.advocacy.models import SurveyPeriod, SurveyResponse
from districtwiki.advocacy.survey_definitions import Choice, Question, QuestionType, SurveyDefinition
from districtwiki.community.models import Profile

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
STATES = ("IA", "NE", "KS", "MN", "SD", "ND", "MT", "WY", "VT", "ME")
SIZES = tuple(value for value, _ in Profile.DistrictSize.choices)
ROLES = tuple(value for value, _ in Profile.Role.choices)
BARRIERS = ("time", "money", "staff", "training", "leadership")
SLUG = "staffing"


def _choices(values, labels=None) -> tuple[Choice, ...]:
    labels = labels or {}
    return tuple(Choice(value, labels.get(value, value)) for value in values)


def staffing_definition(states=STATES) -> SurveyDefinition:
    return SurveyDefinition(
        slug=SLUG,
        title="Small-district technology staffing and workload",
        description="Test survey.",
        questions=(
            Question("state", QuestionType.SINGLE, "State", choices=_choices(states)),
            Question(
                "district_size",
                QuestionType.SINGLE,
                "District size",
                choices=_choices(SIZES, dict(Profile.DistrictSize.choices)),
            ),
            Question(
                "role", QuestionType.SINGLE, "Role", choices=_choices(ROLES, dict(Profile.Role.choices))
            ),
            Question(
                "hours",
                QuestionType.NUMBER,
                "Hours a week on technology",
                minimum=0,
                maximum=80,
                unit="hours",
            ),
            Question(
                "fte", QuestionType.NUMBER, "Technology staff (FTE)", minimum=0, maximum=100, unit="FTE"
            ),
            Question(
                "erate",
                QuestionType.SINGLE,
                "Does your district take part in E-Rate?",
                choices=_choices(("yes", "no", "unsure")),
            ),
            Question(
                "barriers", QuestionType.MULTIPLE, "Largest barriers", choices=_choices(BARRIERS), other=True
            ),
            Question("notes", QuestionType.TEXT, "Anything else?"),
        ),
    )


def skewed_answers(count: int, seed: int, states=STATES) -> list[dict]:
    """Answers whose groups are skewed like a real membership: Zipf-like states, more small districts."""
    rng = random.Random(seed)
    state_weights = [1 / (rank + 1) ** 1.3 for rank in range(len(states))]
    rows = []
    for _ in range(count):
        answers = {
            "state": rng.choices(states, state_weights)[0],
            "district_size": rng.choices(SIZES, [5, 4, 2, 1])[0],
            "role": rng.choices(ROLES, [3, 5, 3, 2, 2, 0.3, 0.6])[0],
            "hours": rng.randint(5, 60),
            "fte": round(rng.uniform(0.2, 6), 1),
            "erate": rng.choice(("yes", "yes", "no", "unsure")),
            "barriers": rng.sample(BARRIERS, rng.randint(1, 3)),
            "notes": "free text that is never published",
        }
        for question_id in ("state", "district_size", "role"):
            if rng.random() < 0.04:
                del answers[question_id]  # skipped
        rows.append(answers)
    return rows


def make_period(definition=None, label="2026–27", closed=True, opened_at=NOW) -> SurveyPeriod:
    definition = definition or staffing_definition()
    return SurveyPeriod.objects.create(
        survey=definition.slug,
        label=label,
        definition=survey_definitions.to_json(definition),
        opened_at=opened_at,
        closed_at=opened_at + timedelta(days=30) if closed else None,
    )


def add_responses(period: SurveyPeriod, rows: list[dict], updated_at=NOW) -> None:
    SurveyResponse.objects.bulk_create(
        SurveyResponse(period=period, answers=answers, updated_at=None if period.closed_at else updated_at)
        for answers in rows
    )


def answer_as(period: SurveyPeriod, member, answers: dict, updated_at=NOW) -> SurveyResponse:
    return SurveyResponse.objects.create(period=period, member=member, answers=answers, updated_at=updated_at)
