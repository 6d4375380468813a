"""What the advocacy hub holds about a member: their survey answers in periods that are still open.

Answers in closed periods are linked to no one (closing cuts the link, survey_actions.close_period), so
they are neither exported nor erased: nothing ties them to the member any more. Deleting an account
deletes the member's answers in open periods.
"""

from .models import SurveyResponse


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
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


def erase(user) -> None:
    SurveyResponse.objects.filter(member=user, period__closed_at__isnull=True).delete()
