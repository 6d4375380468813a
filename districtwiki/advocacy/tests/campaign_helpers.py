"""Campaigns for the campaign and brief tests: a valid form, a program, signers with profiles."""

from datetime import timedelta

from conftest import make_user
from districtwiki.advocacy import campaign_actions
from districtwiki.advocacy.models import Campaign, FundingProgram, Signature
from districtwiki.community.models import Profile, Visibility


def in_days(days: int) -> str:
    return (campaign_actions.today() + timedelta(days=days)).isoformat()


def campaign_form(**changes) -> dict:
    form = {
        "title": "Restore the state technology grant",
        "body": "Put the technology grant back in next year's budget.\n\n"
        "It paid for the network in our districts.",
        "audience": "state-board",
        "audience_name": "Kansas State Board of Education",
        "deadline": in_days(30),
        "state": "KS",
        "district_size": "under-1000",
        "program": "",
        "sources": "Board meeting agenda https://example.org/board/agenda",
        "organizers": "",
    }
    return form | changes


def make_campaign(creator, **changes) -> Campaign:
    return campaign_actions.create_campaign(creator, campaign_actions.clean_details(campaign_form(**changes)))


def make_program(**changes) -> FundingProgram:
    fields = {
        "name": "State technology grant",
        "slug": "state-technology-grant",
        "level": FundingProgram.Level.STATE,
        "state": "KS",
        "agency": "State Department of Education",
        "status": FundingProgram.Status.PROPOSED_CUT,
    }
    return FundingProgram.objects.create(**(fields | changes))


def make_signer(username: str, *, display_name: str = "", district: str = "", public_name: bool = False):
    """A member whose profile has a display name (members-only unless `public_name`), a role and a
    district."""
    user = make_user(username)
    Profile.objects.create(
        user=user,
        display_name=display_name,
        display_name_visibility=Visibility.PUBLIC if public_name else Visibility.MEMBERS,
        role=Profile.Role.DIRECTOR,
        district_name=district,
    )
    return user


def signs(campaign: Campaign, user, visibility: str = Signature.Visibility.PUBLIC) -> Signature:
    return campaign_actions.sign(campaign, user, visibility)
