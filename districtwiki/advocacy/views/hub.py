"""The advocacy hub's front page: what the evidence is and where each part of it lives."""

from django.shortcuts import render


def hub(request):
    return render(request, "advocacy/hub.html", {"sections": sections_for(request)})


def sections_for(request) -> list:
    """The hub's parts, each contributing its own summary; filled in as the parts land."""
    return [
        {"template": "advocacy/survey_hub_section.html"},
    ]
