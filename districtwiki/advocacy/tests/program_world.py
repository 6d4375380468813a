"""What the funding tracker's tests share: programs made through the actions, members placed in a state, and
impact report pages as members write them. The programs and figures are made up for the tests."""

from districtwiki.community.models import Profile
from districtwiki.wiki import actions as wiki_actions

from .. import funding_actions
from ..models import FundingProgram

SOURCE = "https://example.org/budget/2025"


def make_program(by, name="Prairie State Technology Grant", slug="prairie-grant", level="state", state="IA"):
    details = funding_actions.clean_program(
        {"name": name, "slug": slug, "level": level, "state": state, "agency": "Department of Education"}
    )
    return funding_actions.create_program(by, details)


def place(user, state: str) -> None:
    """Give `user` a profile in `state`: a member of that state's chapter."""
    Profile.objects.update_or_create(user=user, defaults={"state": state})


def report_block(
    program="prairie-grant", year=2024, amount=32000, state="IA", district="Plainview", **extra
) -> str:
    lines = [
        "```impact-report",
        f"program: {program}",
        f"year: {year}",
        f"amount: {amount}",
        f"state: {state}",
    ]
    if district:
        lines.append(f"district: {district}")
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "```", "", "It paid for a network refresh."])


def write_report(author, title="Impact reports/Plainview 2024", **block):
    return wiki_actions.save_revision(title, report_block(**block), author)


def program(slug="prairie-grant") -> FundingProgram:
    return FundingProgram.objects.get(slug=slug)
