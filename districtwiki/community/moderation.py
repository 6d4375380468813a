"""Message reports in the site's moderation queue, and who may read a reported message.

The moderation queue belongs to the discussions app (/special/moderation). A private message is not one of
its report kinds, so a message report is filed there as a report about the sender's profile, whose reason
links to /members/messages/reports/<id>: the one page where a moderator can read the reported message (and
nothing else of the conversation). Without the discussions app, reports are only kept here and shown to
moderators at /members/messages/reports/.
"""

from django.apps import apps

from districtwiki.wiki import access

from .models import MessageReport

QUEUE_REASON_LENGTH = 1000  # discussions' Report.reason


def moderation_queue_available() -> bool:
    return apps.is_installed("districtwiki.discussions")


def queue_message_report(report: MessageReport) -> None:
    if not moderation_queue_available():
        return
    from districtwiki.discussions import moderation

    prefix = f"Private message reported (read it at {report.get_absolute_url()}): "
    reason = prefix + report.reason
    if len(reason) > QUEUE_REASON_LENGTH:
        reason = reason[: QUEUE_REASON_LENGTH - 1] + "…"
    moderation.file_report(report.reporter, reason, user=report.sender)


def is_moderator(user) -> bool:
    """Trusted members and admins work the moderation queue (as in the discussions app)."""
    return access.is_trusted(user)


def reports_for(user):
    if not is_moderator(user):
        return MessageReport.objects.none()
    return MessageReport.objects.select_related("message", "reporter", "sender")
