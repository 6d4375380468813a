"""What the advocacy hub holds about a member, exported as JSON or erased when they delete their account:
- survey answers in periods that are still open. Answers in closed periods are linked to no one (closing
  cuts the link, survey_actions.close_period), so they are neither exported nor erased: nothing ties them
  to the member any more. Deleting an account deletes the member's answers in open periods;
- the funding programs they watch (deleted) and the at-risk warnings they sent (kept, without their name:
  others were notified of them);
- campaign signatures and campaigns they organize (campaign_privacy.py).
"""

from django.db import transaction

from . import campaign_privacy
from .models import ProgramAlert, ProgramWatch, SurveyResponse


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    return export_surveys(user) | export_funding(user) | campaign_privacy.export(user)


def erase(user) -> None:
    with transaction.atomic():
        SurveyResponse.objects.filter(member=user, period__closed_at__isnull=True).delete()
        ProgramWatch.objects.filter(user=user).delete()
        ProgramAlert.objects.filter(member=user).update(member=None)
        campaign_privacy.erase(user)


def export_funding(user) -> dict:
    watches = ProgramWatch.objects.filter(user=user).select_related("program").order_by("program__name")
    alerts = ProgramAlert.objects.filter(member=user).select_related("program").order_by("id")
    return {
        "programs_watched": [watch.program.name for watch in watches],
        "program_warnings_sent": [
            {
                "program": alert.program.name,
                "note": alert.note,
                "source_url": alert.source_url,
                "created_at": _when(alert.created_at),
            }
            for alert in alerts
        ],
    }


def export_surveys(user) -> dict:
    responses = (
        SurveyResponse.objects.filter(member=user, period__closed_at__isnull=True)
        .select_related("period")
        .order_by("period__survey", "period__opened_at")
    )
    return {
        "survey_answers": [
            {
                "survey": response.period.survey,
                "title": response.period.definition.get("title", response.period.survey),
                "period": response.period.label,
                "answers": response.answers,
                "updated_at": _when(response.updated_at),
            }
            for response in responses
        ]
    }
