"""The advocacy hub's front page: what the evidence is and where each part of it lives."""

from django.shortcuts import render

from .. import campaign_actions
from ..models import Campaign

HUB_CAMPAIGNS = 6


def hub(request):
    return render(request, "advocacy/hub.html", {"sections": sections_for(request)})


def sections_for(request) -> list:
    """The hub's parts, each contributing its own summary; filled in as the parts land."""
    return [open_campaigns_section(request)]


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
