"""Shared pieces of the survey tests: the shipped survey opened for a period, and a complete, valid set of
answers to it."""

import pytest

from districtwiki.advocacy import survey_actions
from districtwiki.advocacy.models import SurveyResponse

SLUG = "staffing-and-workload"
LABEL = "2026–27"
GOOD_ANSWERS = {
    "state": "IA",
    "district_size": "under-1000",
    "role": "coordinator",
    "students_served": 640,
    "years_in_role": 4,
    "tech_staff_fte": 1.5,
    "technology_share": 60,
    "hours_per_week": 48,
    "salary_band": "55k-70k",
    "devices_per_student": 1,
    "budget_per_student": 180,
    "erate": "both-categories",
    "funding_programs": ["erate", "title-iv-a", "other"],
    "funding_programs.other": "A county partnership",
    "cyber_incidents": 2,
    "staff_mfa": "some",
    "learning_hours": 20,
    "largest_barrier": "other",
    "largest_barrier.other": "Bus routes take my mornings",
    "biggest_difference": "A second technician, even half time.",
}


@pytest.fixture
def period(db):
    return survey_actions.open_period(SLUG, LABEL)


def answers(**changes) -> dict:
    merged = {**GOOD_ANSWERS, **changes}
    return {key: value for key, value in merged.items() if value is not ...}


def stored_count() -> int:
    return SurveyResponse.objects.count()
