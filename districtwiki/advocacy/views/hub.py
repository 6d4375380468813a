"""The advocacy hub's front page: what the evidence is and where each part of it lives."""

from django.shortcuts import render

from .. import impact_reports
from ..models import FundingProgram

HUB_PROGRAMS = 6
HUB_REPORTS = 5


def hub(request):
    return render(request, "advocacy/hub.html", {"sections": sections_for(request)})


def sections_for(request) -> list:
    """The hub's parts, each contributing its own summary; filled in as the parts land."""
    return [{"template": "advocacy/survey_hub_section.html"}, funding_section(request)]


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
