"""What the hub's other parts add to a funding program's page (views/programs.register_program_section):
the survey's published figures for the program's state, and the open campaigns that link the program.
Registered in apps.py; each costs one query."""

from districtwiki.community.states import state_name

from . import campaign_actions, survey_figures
from .models import Campaign, FundingProgram

CAMPAIGNS_SHOWN = 6


def survey_section(request, program: FundingProgram) -> dict | None:
    """A state program's page: the key figures members of that state reported, when the survey has
    published any figures at all (the state's own, or a sentence saying they are not published yet)."""
    if not program.state:
        return None  # a federal program's page has no one state to speak for
    snapshot = survey_figures.latest_snapshot()
    if snapshot is None:
        return None
    name = state_name(program.state) or program.state
    return {
        "heading": f"Survey figures for {name}",
        "template": "advocacy/program_survey_section.html",
        "key": survey_figures.key_figures(program.state, fallback=False, snapshot=snapshot),
        "state_name": name,
        "state": program.state,
        "slug": snapshot.period.survey,
        "min_group": snapshot.figures["min_group"],
    }


def campaigns_section(request, program: FundingProgram) -> dict:
    """Open campaigns about this program, soonest deadline first."""
    campaigns = list(
        Campaign.objects.open(campaign_actions.today())
        .filter(program=program)
        .with_counts()
        .order_by("deadline", "id")[: CAMPAIGNS_SHOWN + 1]
    )
    return {
        "heading": "Open campaigns",
        "template": "advocacy/program_campaigns_section.html",
        "campaigns": campaigns[:CAMPAIGNS_SHOWN],
        "more": len(campaigns) > CAMPAIGNS_SHOWN,
        "can_create": campaign_actions.can_create(request.user),
    }
