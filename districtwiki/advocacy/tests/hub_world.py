"""A hub with every part filled, for the tests of how the parts work together (briefs, program page, hub):
the shipped survey answered and closed (so its final figures are published), a state program with its
status history and yearly amounts, and impact report pages written through the form. Every figure and
district is made up for the tests."""

from django.utils import timezone

from districtwiki.advocacy import funding_actions, impact_reports, survey_actions
from districtwiki.advocacy.models import FundingProgram, SurveyPeriod

from .results_seed import add_responses
from .survey_world import GOOD_ANSWERS, LABEL, SLUG

SOURCE = "https://www.example.org/budget/2025"


def answers_in(state: str, size: str, count: int, hours: int = 48, role: str = "coordinator") -> list[dict]:
    return [
        {**GOOD_ANSWERS, "state": state, "district_size": size, "role": role, "hours_per_week": hours + n % 3}
        for n in range(count)
    ]


# Enough answers in two states and two size bands that each state, each band and each state × band is
# published at a minimum of 5 (no complementary suppression is needed when every cell has the minimum).
FULL_GRID = {("KS", "under-1000"): 6, ("KS", "1000-2500"): 6, ("IA", "under-1000"): 6, ("IA", "1000-2500"): 6}


def published_survey(grid: dict | None = None, *, close: bool = True) -> SurveyPeriod:
    """The shipped survey with answers placed as `grid` says ({(state, size): count}), then closed, which
    publishes its final figures (left open and unpublished with close=False)."""
    period = survey_actions.open_period(SLUG, LABEL)
    rows = []
    for (state, size), count in (grid or FULL_GRID).items():
        rows += answers_in(state, size, count, hours=40 if state == "KS" else 50)
    add_responses(period, rows, updated_at=timezone.now())
    if close:
        survey_actions.close_period(SLUG)
        period.refresh_from_db()
    return period


def state_program(by, **changes) -> FundingProgram:
    details = funding_actions.clean_program(
        {
            "name": "Kansas technology grant",
            "slug": "kansas-technology-grant",
            "level": "state",
            "state": "KS",
            "agency": "Kansas State Department of Education",
        }
        | changes
    )
    return funding_actions.create_program(by, details)


def history(program: FundingProgram, by, years=(2021, 2022, 2023, 2024, 2025), note: str = "") -> None:
    for year in years:
        funding_actions.add_amount(
            program,
            by,
            {
                "year": str(year),
                "year_label": f"FY{year}",
                "amount": str(300_000 + 5_000 * (year - 2020)),
                "source_url": SOURCE,
                "source_title": f"State budget {year}",
            },
        )
    steps = ("proposed-cut", "cut", "restored", "proposed-cut")
    for number, status in enumerate(steps):
        funding_actions.change_status(
            program,
            by,
            {
                "status": status,
                "source_url": SOURCE,
                "note": note or f"Step {number + 1} of the budget fight",
            },
        )


def report(
    author,
    program: FundingProgram,
    district: str,
    year: int,
    amount: int = 32_000,
    state: str = "KS",
    funded: str = "It paid for a network switch in every school. Teachers stopped losing their connection.",
    consequences: str = "We cut the technician's hours in half. Repairs now take a week.",
):
    return impact_reports.file_report(
        program,
        author,
        {
            "district": district,
            "year": str(year),
            "amount": str(amount),
            "state": state,
            "district_size": "under-1000",
            "funded": funded,
            "outcomes": "Fewer outages.",
            "consequences": consequences,
            "source_url": "",
        },
    )
