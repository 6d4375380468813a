"""The advocacy hub's front page: what the evidence is and where each part of it lives."""

from django.shortcuts import render

from .. import campaign_actions, hub_survey, impact_reports
from ..models import Campaign, FundingProgram

HUB_CAMPAIGNS = 6
HUB_PROGRAMS = 6
HUB_REPORTS = 5


def hub(request):
    return render(request, "advocacy/hub.html", {"sections": sections_for(request)})


def sections_for(request) -> list:
    """The hub's parts, each contributing its own summary; filled in as the parts land."""
    return [
        hub_survey.hub_section(request),
        funding_section(request),
        open_campaigns_section(request),
    ]


def funding_section(request) -> dict:
    """Programs proposed for a cut or cut, and the latest impact reports."""
    at_risk = FundingProgram.objects.at_risk().order_by("name")
    return {
        "template": "advocacy/program_hub_section.html",
        "at_risk": list(at_risk[:HUB_PROGRAMS]),
        "at_risk_more": at_risk.count() > HUB_PROGRAMS,
        "reports": list(impact_reports.recent_reports(HUB_REPORTS)),
        "any_programs": FundingProgram.objects.exists(),
    }


def open_campaigns_section(request) -> dict:
    """Open campaigns, soonest deadline first; always shown, so that a trusted member finds where to
    start one."""
    today = campaign_actions.today()
    campaigns = list(
        Campaign.objects.open(today).with_counts().order_by("deadline", "id")[: HUB_CAMPAIGNS + 1]
    )
    return {
        "template": "advocacy/campaigns_section.html",
        "campaigns": campaigns[:HUB_CAMPAIGNS],
        "more": len(campaigns) > HUB_CAMPAIGNS,
        "can_create": campaign_actions.can_create(request.user),
    }
